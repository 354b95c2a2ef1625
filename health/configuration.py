"""The deployment's configuration, checked before anything starts.

Registered as Django system checks, so `manage.py check --deploy` and `migrate` (the release step)
refuse a wrong configuration with a message naming the variable; `refuse_to_start` runs the same
checks where no management command does: gunicorn's import of config.wsgi, and Celery's worker and
beat (config/celery.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "configuration"

_REDIS_SCHEMES = ("redis", "rediss", "unix")

_CHOOSE = {
    "DATABASE_URL": (
        "postgres://user:password@host:5432/name (what several hosts share), or "
        "DATABASE_URL=embedded for SQLite under DJANGO_VAR_DIR (one small machine only)."
    ),
    "CELERY_BROKER_URL": (
        "redis://host:6379/0 or amqp://user:password@host:5672/vhost, or "
        "CELERY_BROKER_URL=embedded for the broker in files under DJANGO_VAR_DIR (one small "
        "machine only)."
    ),
    "CACHE_URL": (
        "redis://host:6379/1 (rate limits and Zoom allowances shared by every host), or "
        "CACHE_URL=embedded for a file cache under DJANGO_VAR_DIR (one small machine only)."
    ),
    "EMAIL_URL": (
        "smtp+tls://user:password@smtp.example.com:587, or dummymail:// to send no email at all."
    ),
}


@checks.register(TAG)
def services_are_chosen(app_configs=None, **kwargs):
    """With debug off, the database, broker, cache and email are each chosen by name."""
    return [
        checks.Error(
            f"{name} is not set, and with DJANGO_DEBUG off nothing is assumed.",
            hint=f"Choose one: {_CHOOSE[name]}",
            id="config.E001",
        )
        for name in settings.UNCHOSEN_SERVICES
    ]


@checks.register(TAG)
def cache_is_shared(app_configs=None, **kwargs):
    """Rate limits and Zoom allowances count in the cache: one process's own cache would let
    every process count from zero."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(("LocMemCache", "DummyCache")):
        return []
    return [
        checks.Error(
            "CACHE_URL must be shared by every process when debug is off.",
            hint=f"Not {backend.rsplit('.', 1)[-1]}: choose Redis, or CACHE_URL=embedded.",
            id="config.E002",
        )
    ]


@checks.register(TAG)
def pacing_is_shared(app_configs=None, **kwargs):
    """Calls to Zoom are paced in Redis (or, on the embedded broker's one machine, in files):
    a broker that is neither (RabbitMQ) leaves the pacing to be named."""
    url = settings.ZOOM_PACING_URL
    if not url:
        return [
            checks.Error(
                "ZOOM_PACING_URL is not set, and the broker "
                f"({urlsplit(settings.CELERY_BROKER_URL).scheme}://) cannot hold it.",
                hint="Set ZOOM_PACING_URL=redis://host:6379/2: every worker on every host paces "
                "its Zoom calls there.",
                id="config.E003",
            )
        ]
    if urlsplit(url).scheme not in (*_REDIS_SCHEMES, "file"):
        return [
            checks.Error(
                f"ZOOM_PACING_URL must be redis://… (or file:///… on one machine), not "
                f"{urlsplit(url).scheme}://…",
                id="config.E004",
            )
        ]
    return []


@checks.register(TAG)
def broker_survives_a_killed_process(app_configs=None, **kwargs):
    if not settings.CELERY_BROKER_URL.startswith("filesystem:"):
        return []
    return [
        checks.Error(
            "CELERY_BROKER_URL=filesystem:// (kombu's file-system broker) loses messages and can "
            "stop every worker for good after a process is killed mid-write (a kombu bug still "
            "open upstream).",
            hint="On one machine choose CELERY_BROKER_URL=embedded, which survives it.",
            id="config.E005",
        )
    ]


@checks.register(TAG)
def metrics_are_private(app_configs=None, **kwargs):
    """Metrics name the deployment's reps' volumes and failures: never served without a token."""
    if settings.METRICS_PORT and not settings.METRICS_TOKEN:
        return [
            checks.Error(
                "METRICS_PORT is set but METRICS_TOKEN is not: the worker's metrics would be "
                "public.",
                hint="Set METRICS_TOKEN to a long random value; Prometheus sends it as a bearer "
                "token.",
                id="config.E006",
            )
        ]
    if settings.METRICS_TOKEN and len(settings.METRICS_TOKEN) < 32:
        return [
            checks.Error(
                "METRICS_TOKEN is shorter than 32 characters.",
                hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="config.E007",
            )
        ]
    return []


@checks.register(TAG, deploy=True)
def broker_apart_from_the_cache(app_configs=None, **kwargs):
    """An evicting cache must never drop queued tasks: Redis's eviction policy is the server's,
    whatever the database index, so the broker's Redis is another server than the cache's."""
    broker, cache = urlsplit(settings.CELERY_BROKER_URL), settings.CACHES["default"]
    location = cache.get("LOCATION", "")
    location = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    cache_url = urlsplit(location)
    if (
        broker.scheme not in _REDIS_SCHEMES
        or not cache["BACKEND"].endswith("RedisCache")
        or (broker.hostname, broker.port or 6379) != (cache_url.hostname, cache_url.port or 6379)
    ):
        return []
    return [
        checks.Warning(
            "CELERY_BROKER_URL and CACHE_URL are the same Redis server.",
            hint="Give the cache its own Redis (maxmemory with allkeys-lru) and keep the broker's "
            "on noeviction: a cache that evicts under memory pressure would drop queued tasks.",
            id="config.W002",
        )
    ]


@checks.register(TAG)
def email_stays_out_of_the_log(app_configs=None, **kwargs):
    """The console backend writes each email to the web's and workers' log: allauth's
    password-reset and verification links there let whoever reads the log into a rep's account.
    With debug off it is refused, at start-up as well as by `check --deploy`."""
    if settings.DEBUG or not settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return []
    return [
        checks.Error(
            "EMAIL_URL=consolemail:// writes every email to the log, password-reset and "
            "verification links included, and with DJANGO_DEBUG off it is refused.",
            hint=f"Choose one: {_CHOOSE['EMAIL_URL']}",
            id="config.E008",
        )
    ]


def refuse_to_start() -> None:
    """Raises ImproperlyConfigured naming every configuration error (the checks above)."""
    errors = [message for message in checks.run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to start:\n" + "\n".join(str(error) for error in errors)
        )
