"""A log filter that keeps Zoom tokens, our own secrets, passwords inside service URLs and bearer
URLs (guest links, allauth's reset and confirmation keys) out of every log line."""

import json
import logging
import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils.log import AdminEmailHandler

REDACTED = "[redacted]"

# Field names whose values are secrets (OAuth form and JSON fields, our own).
SECRET_FIELDS = (
    "access_token",
    "refresh_token",
    "client_secret",
    "code_verifier",
    "token",
    "password",
    "secret_token",
    "encryptedToken",
)

# Shapes a secret takes inside a message: OAuth form/JSON fields, Authorization headers,
# and JWT-looking strings (Zoom access and refresh tokens are JWTs).
_PATTERNS = [
    re.compile(
        rf"""(?P<key>["']?(?:{"|".join(SECRET_FIELDS)})["']?\s*[:=]\s*["']?)"""
        r"""(?P<value>[^\s"'&,}]+)""",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<key>\b(?:Bearer|Basic)\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE),
    re.compile(r"(?P<key>)(?P<value>\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)"),
    # Access-log lines: OAuth's one-time code and state in the callback's query, and the guest's
    # booking link, whose token is the only key to the guest's booking.
    re.compile(r"(?P<key>[?&](?:code|state)=)(?P<value>[^&\s\"']+)"),
    re.compile(r"(?P<key>/bookings/guest/)(?P<value>[^/\s\"'?]+)"),
    # allauth's password-reset and email-confirmation keys: each opens the rep's account.
    re.compile(r"(?P<key>/password/reset/key/)(?P<value>[^/\s\"'?]+)"),
    re.compile(r"(?P<key>/confirm-email/)(?P<value>[^/\s\"'?]+)"),
    # A password inside a service URL (redis://default:secret@host, postgres://user:pw@host).
    re.compile(r"(?P<key>\b[a-z][a-z0-9+.-]*://[^:/@\s\"']*:)(?P<value>[^@/\s\"']+)(?=@)", re.I),
]


def _configured_secrets() -> list[str]:
    names = ("SECRET_KEY", "ZOOM_CLIENT_SECRET", "ZOOM_WEBHOOK_SECRET_TOKEN", "METRICS_TOKEN")
    values = [getattr(settings, name, "") for name in names]
    values.extend(getattr(settings, "FIELD_ENCRYPTION_KEY", []) or [])
    # Very short values would redact ordinary words; real secrets are long.
    return [v for v in values if isinstance(v, str) and len(v) >= 8]


def redact(text: str) -> str:
    for secret in _configured_secrets():
        text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group("key") + REDACTED, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites the record's final message (and traceback text) with secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RedactedAdminEmailHandler(AdminEmailHandler):
    """Django's mail to ADMINS, with the same redaction over everything it sends: its report
    adds the request (POST data, headers) to the already redacted log message."""

    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = redact(kwargs["html_message"])
        super().send_mail(redact(subject), redact(message), *args, **kwargs)


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json), for log pipelines: when, level, logger, the
    (redacted) message, the request and booking ids (config.log_context), and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in ("request_id", "booking_id"):
            if getattr(record, name, ""):
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)
