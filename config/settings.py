"""Settings, every one read from the environment.

The defaults make the local demo work (SQLite, the Zoom sandbox, a file-system Celery broker).
With DJANGO_DEBUG off the settings refuse to start without real secrets, and nothing starts until
the database, broker, cache and email are each chosen (config/services.py); see README "Settings".
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.beat_schedule import beat_schedule
from config.database import database_config
from config.error_reporting import init_sentry, parse_admins
from config.logging_config import logging_config
from config.services import ServiceChoices

env = environ.Env()

CONFIG_DIR = Path(__file__).resolve().parent
BASE_DIR = CONFIG_DIR.parent
# A checkout keeps the site's templates/ and static/ at its root; the installed package carries them
# inside config/ (setup.py), so it runs without the checkout.
SITE_FILES_DIR = CONFIG_DIR if (CONFIG_DIR / "templates").is_dir() else BASE_DIR
# Files written at run time live in the checkout, or in the working directory when installed
# (never in site-packages): var/ holds what the embedded defaults write (SQLite, the file-system
# broker, beat's schedule), staticfiles/ what collectstatic writes.
_RUN_DIR = BASE_DIR if SITE_FILES_DIR == BASE_DIR else Path.cwd()
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(_RUN_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
_services = ServiceChoices(env, debug=DEBUG)

# Development-only values: never accepted when DEBUG is off.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
_DEV_FIELD_ENCRYPTION_KEY = "l9mWmJxtk7A1Yx3yKQ5n2xQy8yq0kq2WcY9E0J1v4pA="

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

# One Fernet key, or several comma-separated: the first encrypts, all decrypt (key rotation).
FIELD_ENCRYPTION_KEY = env.list(
    "FIELD_ENCRYPTION_KEY", default=[_DEV_FIELD_ENCRYPTION_KEY] if DEBUG else []
)
if not FIELD_ENCRYPTION_KEY or (not DEBUG and _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "accounts",
    "integrations",
    "integrations.zoom",
    "meetings",
    "teams",
    "outcomes",
    "booking_webhooks",
    "health",
]

MIDDLEWARE = [
    # Every line a request logs carries its id (X-Request-ID).
    "config.log_context.RequestIdMiddleware",
    # Probes and Prometheus's scrape over plain HTTP with any Host: answered before the HTTPS
    # redirect and host checks.
    "health.middleware.HealthProbeMiddleware",
    "health.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RepTimeZoneMiddleware",
    "config.security_headers.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.error_reports.SecretsHiddenReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "config.error_reports.SecretsHiddenExceptionReporter"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integrations.zoom.connection.context_processors.zoom",
                "accounts.context_processors.product",
            ],
            # Site-wide tags that belong to no app (the form error summary).
            "libraries": {"form_errors": "config.form_errors"},
        },
    },
]

# Tuned per engine (config/database.py): SQLite shared by processes, PostgreSQL, PgBouncer.
DATABASES = {
    "default": database_config(
        env,
        _services.url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        var_dir=VAR_DIR,
        may_create=not _services.unchosen,
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Rep accounts (django-allauth): email + password, email is the login.
SITE_ID = 1
# The product's name in page titles and in every email the site sends (allauth's included, which
# read it from the Site record: see accounts/migrations).
PRODUCT_NAME = env.str("PRODUCT_NAME", default="Scheduler")
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for the rep's name and time zone (detected by the browser).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
# A rep's email becomes their public page name, the invite ORGANIZER and a recipient, so production
# verifies it before the rep can sign in; the demo keeps it optional.
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
# open: anyone may sign up; invite: only the addresses (or "@domain"s) in ACCOUNT_SIGNUP_INVITED;
# closed: nobody (reps are added in the admin).
ACCOUNT_SIGNUP_MODE = env.str("ACCOUNT_SIGNUP_MODE", default="open")
if ACCOUNT_SIGNUP_MODE not in {"open", "invite", "closed"}:
    raise ImproperlyConfigured("ACCOUNT_SIGNUP_MODE must be open, invite or closed.")
ACCOUNT_SIGNUP_INVITED = [e.strip().lower() for e in env.list("ACCOUNT_SIGNUP_INVITED", default=[])]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Failed sign-ins are limited per address and per (account, address) pair (accounts/adapter.py):
# wrong passwords sent on purpose from elsewhere never lock a rep out, and every window expires.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="20/m/ip,5/5m/key"),
}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

LANGUAGE_CODE = "en-us"
# The guest's pages, emails and invites come in these (the rep's pages are in English). The
# catalogues are committed compiled (locale/*/LC_MESSAGES/django.mo, rebuilt by `make messages`),
# so an install needs no gettext tools.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pt", "Português"),
]
LOCALE_PATHS = [SITE_FILES_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=_RUN_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:
    # WhiteNoise expects the collectstatic folder even when it serves from the finders.
    Path(STATIC_ROOT).mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: console in the demo, SMTP (EMAIL_URL) in production. The console prints every mail,
# sign-in and verification links included, so with debug off it is only ever chosen by name.
EMAIL_CONFIG = env.email_url_config(
    _services.url("EMAIL_URL", "consolemail://", embedded_word=False)
)
vars().update(EMAIL_CONFIG)
# A stuck mail server must not hang a worker or a request.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Scheduler <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: what `manage.py check --deploy` asks for when DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # Only behind a proxy that sets X-Forwarded-Proto itself (overwriting what the client sent):
    # trusted anywhere else, a plain-HTTP request forging the header would skip the redirect.
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The OAuth callback is a top-level cross-site GET, so Lax (not Strict) keeps the session.
SESSION_COOKIE_SAMESITE = "Lax"

# How many proxies of ours stand before the app, each appending the address it saw to
# X-Forwarded-For. 0: the peer's address is the client's, and X-Forwarded-For (which anyone can
# send) is ignored. N: the N-th address from the end is the client's (config/client_address.py).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# The cache holds rate-limit counters (ours and allauth's login limits) and each rep's Zoom quota
# count, so every web process must see the same one: Redis in production (redis://host:6379/1);
# the embedded one is a file cache under var/, shared by every process of one machine. One that a
# process keeps to itself is refused with debug off (health.configuration).
CACHES = {
    "default": env.cache_url_config(_services.url("CACHE_URL", f"filecache://{VAR_DIR / 'cache'}"))
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # One Redis client per connection pool instead of one per operation (config/redis_cache.py).
    CACHES["default"]["BACKEND"] = "config.redis_cache.RedisCache"

# Public booking limits, each "count/period" (s, m, h, d), comma-separated; see README "Security".
RATE_LIMIT_BOOKINGS_PER_ADDRESS = env.str("RATE_LIMIT_BOOKINGS_PER_ADDRESS", default="5/m,30/d")
RATE_LIMIT_BOOKINGS_PER_EMAIL = env.str("RATE_LIMIT_BOOKINGS_PER_EMAIL", default="3/h,6/d")
RATE_LIMIT_BOOKINGS_PER_REP = env.str("RATE_LIMIT_BOOKINGS_PER_REP", default="30/h,100/d")
RATE_LIMIT_RESCHEDULES_PER_ADDRESS = env.str(
    "RATE_LIMIT_RESCHEDULES_PER_ADDRESS", default="5/m,30/d"
)
RATE_LIMIT_RESCHEDULES_PER_BOOKING = env.str(
    "RATE_LIMIT_RESCHEDULES_PER_BOOKING", default="3/h,10/d"
)
# Zoom allows each host ZOOM_DAILY_MEETING_WRITES meeting creates + updates a day (reset 00:00 UTC);
# public bookings and guest reschedules stop this many short of it, keeping the rest for the rep.
ZOOM_DAILY_MEETING_WRITES = env.int("ZOOM_DAILY_MEETING_WRITES", default=100)
ZOOM_MEETING_WRITES_RESERVE = env.int("ZOOM_MEETING_WRITES_RESERVE", default=30)
# A guest's booking link stops working this long after the meeting ends.
GUEST_LINK_DAYS_AFTER_MEETING = env.int("GUEST_LINK_DAYS_AFTER_MEETING", default=7)
# Outgoing webhooks' deliveries (they carry guests' names and emails) are kept this long once
# delivered or failed, for staff to read in the admin.
BOOKING_WEBHOOK_LOG_DAYS = env.int("BOOKING_WEBHOOK_LOG_DAYS", default=30)

# Celery. The embedded broker keeps the queues in a SQLite file under var/
# (config/embedded_broker.py), so the demo's worker needs no server; production points it at Redis
# or RabbitMQ.
CELERY_BROKER_URL = _services.url("CELERY_BROKER_URL", f"sqlite:///{VAR_DIR / 'broker.sqlite3'}")
CELERY_BROKER_IS_EMBEDDED = CELERY_BROKER_URL.startswith("sqlite:")
if os.environ.get("CELERY_BROKER_URL", CELERY_BROKER_URL) != CELERY_BROKER_URL:
    # Celery reads CELERY_BROKER_URL from the environment before its settings: the word `embedded`
    # must reach it as the URL it stands for.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
if CELERY_BROKER_IS_EMBEDDED:
    # Each worker polls its queues this often when they are empty (a read, no lock).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.1}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Publishing gives up after one quick retry instead of kombu's default ~6 s of retries:
        # a guest's booking must not hang on a dead broker, and the sweeper enqueues what was
        # lost (meetings/signals.py). Workers reconnect on their own schedule
        # (broker_connection_max_retries), which these options do not touch.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
        # A Redis that accepts connections and never answers (a failover, a dead NAT entry)
        # must not hang a publish, a probe or a ping for good.
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
    }
    if CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://")):
        # RabbitMQ acknowledges each published message once it holds it, so a publish that
        # returned is one the broker took (Celery's messages are persistent).
        CELERY_BROKER_TRANSPORT_OPTIONS["confirm_publish"] = True
# Invites have their own queue so building and mailing them never holds up a Zoom create: run a
# worker for each queue (`-Q celery`, `-Q invites`); a worker started without -Q takes both.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="celery")
MEETINGS_INVITES_QUEUE = env.str("MEETINGS_INVITES_QUEUE", default="invites")
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(MEETINGS_INVITES_QUEUE))
# Email goes on the invites queue: a backlog of Zoom work never holds up a guest's invite or
# reminder, or a rep's "your guest is waiting" alert.
CELERY_TASK_ROUTES = {
    name: {"queue": MEETINGS_INVITES_QUEUE}
    for name in (
        "meetings.tasks.send_booking_invites",
        "meetings.tasks.send_booking_reminder",
        "outcomes.tasks.send_no_show_email",
        "outcomes.tasks.alert_host_absent",
    )
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Our LOGGING (with the secret filter) must stay in charge inside workers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "config.celery:Scheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)

# Beat ticks at least this often: each tick renews its hold on the one beat lock (health/beat.py),
# held for CELERY_BEAT_LOCK_SECONDS; a standing-by beat takes over once the lock lapses.
CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("CELERY_BEAT_MAX_LOOP_INTERVAL", default=5)
CELERY_BEAT_LOCK_SECONDS = env.int("CELERY_BEAT_LOCK_SECONDS", default=30)

# /healthz: beat's heartbeat task runs this often, and counts as late after this long.
HEALTHZ_BEAT_INTERVAL_SECONDS = env.int("HEALTHZ_BEAT_INTERVAL_SECONDS", default=60)
HEALTHZ_BEAT_MAX_AGE_SECONDS = env.int(
    "HEALTHZ_BEAT_MAX_AGE_SECONDS", default=max(300, 3 * HEALTHZ_BEAT_INTERVAL_SECONDS)
)
# A beat that took the lock this recently counts as running while its first heartbeat is on its way.
HEALTHZ_BEAT_GRACE_SECONDS = env.int(
    "HEALTHZ_BEAT_GRACE_SECONDS", default=2 * HEALTHZ_BEAT_INTERVAL_SECONDS
)
CELERY_BEAT_SCHEDULE = beat_schedule(heartbeat_seconds=HEALTHZ_BEAT_INTERVAL_SECONDS)

# Zoom. Production defaults are Zoom itself; the demo points these at the local sandbox.
ZOOM_CLIENT_ID = env.str("ZOOM_CLIENT_ID", default="")
ZOOM_CLIENT_SECRET = env.str("ZOOM_CLIENT_SECRET", default="")
ZOOM_WEBHOOK_SECRET_TOKEN = env.str("ZOOM_WEBHOOK_SECRET_TOKEN", default="")
# The company-wide app: a second, admin-managed Marketplace app a Zoom account admin authorizes
# once for the whole Zoom account (its own credentials and webhook secret).
ZOOM_ACCOUNT_CLIENT_ID = env.str("ZOOM_ACCOUNT_CLIENT_ID", default="")
ZOOM_ACCOUNT_CLIENT_SECRET = env.str("ZOOM_ACCOUNT_CLIENT_SECRET", default="")
ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN = env.str("ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN", default="")
ZOOM_OAUTH_BASE_URL = env.str("ZOOM_OAUTH_BASE_URL", default="https://zoom.us").rstrip("/")
ZOOM_API_BASE_URL = env.str("ZOOM_API_BASE_URL", default="https://api.zoom.us/v2").rstrip("/")
ZOOM_MARKETPLACE_URL = env.str("ZOOM_MARKETPLACE_URL", default="https://marketplace.zoom.us/apps")
ZOOM_APP_NAME = env.str("ZOOM_APP_NAME", default="Scheduler for Zoom")
ZOOM_HTTP_TIMEOUT = env.float("ZOOM_HTTP_TIMEOUT", default=10.0)
# A connection with no successful call or new tokens for this long is refreshed and checked by
# the keep-alive, so an idle rep's authorization neither expires nor breaks unseen.
ZOOM_KEEPALIVE_IDLE_HOURS = env.int("ZOOM_KEEPALIVE_IDLE_HOURS", default=24)
# Calls to Zoom are paced per Zoom account, across every worker (integrations/zoom/api/pacing.py),
# below Zoom's per-account per-second limit: 20/s for Medium APIs (meeting create/update) on a
# Pro account, more on larger plans, shared with every other app on the account.
ZOOM_ACCOUNT_REQUESTS_PER_SECOND = env.float("ZOOM_ACCOUNT_REQUESTS_PER_SECOND", default=18.0)
ZOOM_ACCOUNT_BURST = env.int("ZOOM_ACCOUNT_BURST", default=1)
# A call whose turn is further away than this is not waited for: its work is retried then.
ZOOM_PACING_MAX_WAIT_SECONDS = env.float("ZOOM_PACING_MAX_WAIT_SECONDS", default=5.0)
# Where the pacing state lives: Redis shared by every host (the broker's when it is Redis), or a
# directory for the embedded broker's single host. Any other broker (RabbitMQ) has no default:
# health.configuration asks for a redis:// URL.
ZOOM_PACING_URL = env.str(
    "ZOOM_PACING_URL",
    default=f"file://{VAR_DIR / 'zoom-pacing'}"
    if CELERY_BROKER_IS_EMBEDDED
    else CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://"))
    else "",
)
# How long one worker holds a booking's Zoom work (meetings.zoom.links). It must outlast
# the slowest run (a token refresh, the adoption lookup and a create at ZOOM_HTTP_TIMEOUT each);
# when it runs out the booking is someone else's to finish, so a dead worker delays it this long.
MEETINGS_ZOOM_LEASE_SECONDS = env.int("MEETINGS_ZOOM_LEASE_SECONDS", default=120)
# First wait after a transient Zoom failure (5xx, timeout); it doubles per attempt, with jitter.
MEETINGS_ZOOM_BACKOFF_BASE_SECONDS = env.float("MEETINGS_ZOOM_BACKOFF_BASE_SECONDS", default=15.0)

# LOG_FORMAT=json: one JSON object per line (config.logging.JsonFormatter); plain: one text line.
# Either way each line carries the request id and the booking id it belongs to (config/log_context).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = logging_config(LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# Services left unchosen with debug off, and those chosen as `embedded` (config/services.py).
UNCHOSEN_SERVICES = _services.unchosen
EMBEDDED_SERVICES = _services.embedded

# Prometheus (config/metrics.py): /metrics on the web, and METRICS_PORT on a Celery worker, answer
# only to `Authorization: Bearer <METRICS_TOKEN>`; without a token there is no metrics page.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_PORT = env.int("METRICS_PORT", default=0)
METRICS_ADDRESS = env.str("METRICS_ADDRESS", default="0.0.0.0")  # noqa: S104 - behind the token

# Where errors go besides the log (config/error_reporting.py).
ADMINS = parse_admins(env.str("DJANGO_ADMINS", default=""))
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
    )
