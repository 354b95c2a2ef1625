import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A wrong configuration stops the web process here, before it serves anything.
from health.configuration import refuse_to_start  # noqa: E402 - needs the apps loaded above

refuse_to_start()
