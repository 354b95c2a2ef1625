"""The test suite's settings: config.settings read with the test environment's defaults.

Only environment defaults live here, so the tests exercise the one real settings file.
CI and `make test` may export other values (another database, another Redis index, other queues).
"""

import os
import secrets

os.environ.setdefault("DJANGO_DEBUG", "1")
# A role and database of the suite's own, which scripts/ensure_test_services.sh creates on a fresh
# PostgreSQL (whose TCP logins need a password).
os.environ.setdefault(
    "DATABASE_URL", "postgres://zoomsched:zoomsched-tests@127.0.0.1:5432/zoomsched"
)
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
# Each run of the suite has queues of its own on that Redis index, so two suites on one machine
# never share tasks: a worker left running by another checkout's interrupted run listens on its own
# run's queues and never takes this run's. The id is made by the first process that reads these
# settings (pytest) and reaches the workers it starts through the environment.
TEST_RUN = os.environ.setdefault("ZOOMSCHED_TEST_RUN", secrets.token_hex(4))
os.environ.setdefault("CELERY_DEFAULT_QUEUE", f"celery-{TEST_RUN}")
os.environ.setdefault("MEETINGS_INVITES_QUEUE", f"invites-{TEST_RUN}")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("ZOOM_CLIENT_ID", "test-client-id")
os.environ.setdefault("ZOOM_CLIENT_SECRET", "test-client-secret-value")
os.environ.setdefault("ZOOM_WEBHOOK_SECRET_TOKEN", "test-webhook-secret-token")
os.environ.setdefault("ZOOM_ACCOUNT_CLIENT_ID", "test-account-client-id")
os.environ.setdefault("ZOOM_ACCOUNT_CLIENT_SECRET", "test-account-client-secret")
os.environ.setdefault("ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN", "test-account-webhook-secret")
os.environ.setdefault("EMAIL_URL", "consolemail://")
# One process's memory: each test starts with empty rate-limit counters (tests/conftest.py); the
# tests of limits across processes point CACHES at Redis themselves.
os.environ.setdefault("CACHE_URL", "locmemcache://")
# Playwright's sync API runs an event loop in the test thread; the ORM calls stay sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: E402,F403

# Fast hashing: the suite creates many reps.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
