"""Errors reach people: mail to ADMINS (the mail_admins log handler in settings.LOGGING) and, when
SENTRY_DSN is set, Sentry, which gets no local variables and the log filter's redaction."""

from email.utils import getaddresses

from config.logging import REDACTED, SECRET_FIELDS, redact

_SECRET_KEYS = {name.lower() for name in SECRET_FIELDS}


def parse_admins(value: str) -> list[tuple[str, str]]:
    """`Ops <ops@example.com>, dev@example.com` as Django's ADMINS."""
    return [(name, address) for name, address in getaddresses([value]) if address]


def _scrub(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            key: REDACTED if str(key).lower() in _SECRET_KEYS else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint):
    """Every string of the event (messages, exception values, request data, breadcrumbs) through
    the log filter's redaction, and every field named like a secret blanked."""
    return _scrub(event)


def scrub_breadcrumb(crumb, hint):
    return _scrub(crumb)


def init_sentry(dsn: str, *, environment: str, release: str | None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Frames' local variables hold tokens and guests' details: never sent.
        include_local_variables=False,
        send_default_pii=False,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0,
    )
