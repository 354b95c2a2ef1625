"""Settings for Celery workers started by the meetings tests.

A worker is another process, so mail it sends never reaches the test's locmem outbox. These are
the test settings with Django's file-based backend instead: every message lands as a file in
MEETINGS_TEST_MAIL_DIR (a pytest tmp_path), which `sent_mail()` in test_link_worker.py parses.
"""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MEETINGS_TEST_MAIL_DIR"]
