"""What /healthz reports: each check answers True (ok) or False, and never raises."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from config.celery import app as celery_app
from health.models import Heartbeat

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def broker_ok() -> bool:
    if settings.CELERY_BROKER_IS_EMBEDDED:
        return True
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - kombu raises transport-specific errors; all mean "down"
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


def worker_ok() -> bool:
    """A worker answers a ping within a second (the first answer is enough)."""
    try:
        return bool(celery_app.control.ping(timeout=1.0, limit=1))
    except Exception:  # noqa: BLE001 - as for the broker: any transport error means no answer
        logger.warning("healthz: could not ping the workers", exc_info=True)
        return False


def beat_ok() -> bool:
    """Beat's heartbeat task ran lately: the sweepers, keep-alive and reminders depend on beat."""
    try:
        last = Heartbeat.last(Heartbeat.BEAT)
    except DatabaseError:
        return False
    max_age = timedelta(seconds=settings.HEALTHZ_BEAT_MAX_AGE_SECONDS)
    return last is not None and timezone.now() - last <= max_age
