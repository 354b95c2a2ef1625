"""Settings of the sandbox process. Never imported by the app: production never runs the sandbox."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

# The sandbox only ever runs locally for the demo and the tests; its sessions sign with this key
# so a browser stays signed in as a sandbox Zoom user across restarts of the demo.
SECRET_KEY = os.environ.get(
    "ZOOM_SANDBOX_SECRET_KEY", "zoom-sandbox-local-only-key-never-used-by-the-app"
)
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["zoom_sandbox"]

MIDDLEWARE = [
    "zoom_sandbox.calls.CallLogMiddleware",
    "zoom_sandbox.knobs.FaultInjectionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zoom_sandbox.urls"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "zoom_sandbox.pages.sandbox_context",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "ZOOM_SANDBOX_DB", str(BASE_DIR.parent / "var" / "zoom-sandbox.sqlite3")
        ),
        "OPTIONS": {
            # Many threads write at once (the app's workers call in parallel): WAL lets readers run
            # beside a writer, IMMEDIATE transactions take the write lock up front (no upgrade
            # deadlocks), and the timeout makes writers queue instead of failing.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Signed-cookie sessions need no table; the names differ from the app's so cookies never mix even
# if both ran on one host.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_NAME = "zoom_sandbox_session"
CSRF_COOKIE_NAME = "zoom_sandbox_csrftoken"
SESSION_COOKIE_SAMESITE = "Lax"

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[zoom-sandbox] %(asctime)s %(levelname)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZOOM_SANDBOX_LOG_LEVEL", "WARNING")},
}
