# gunicorn reads this file when started from the checkout (the Procfile's `web`).
from config.gunicorn import *  # noqa: F403
