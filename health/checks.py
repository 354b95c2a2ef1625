"""What the probes report: each check answers True (ok) or False, and never raises.

A probe runs its checks side by side and waits for them no longer than its deadline: a database
or broker that accepts connections and never answers makes a check late, and a late check is down.
The thread of a late check finishes on its own (its call times out) while the probe has answered.
"""

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from config.celery import app as celery_app
from health import beat
from health.models import Heartbeat

logger = logging.getLogger(__name__)

# Threads for the checks: one probe's checks at once. A stuck check holds its thread until its own
# timeout; later probes may then find none free and answer "down" at their deadline.
_checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def run(checks: dict, deadline: float) -> dict:
    """Each check's result, None for any that did not answer within `deadline` seconds."""
    futures = {name: _checks.submit(_alone, check) for name, check in checks.items()}
    wait(futures.values(), timeout=deadline)
    return {
        name: future.result() if future.done() and future.exception() is None else None
        for name, future in futures.items()
    }


def _alone(check):
    # A check's thread outlives the probe: it keeps no database connection between probes (the
    # web's connection count stays what PgBouncer and max_connections were sized for).
    try:
        return check()
    finally:
        connection.close()


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
    """Beat's heartbeat task ran lately (the sweepers, keep-alive and reminders depend on beat),
    or a beat took the lock lately and its first heartbeat is on its way."""
    try:
        last = Heartbeat.last(Heartbeat.BEAT)
        max_age = timedelta(seconds=settings.HEALTHZ_BEAT_MAX_AGE_SECONDS)
        return (last is not None and timezone.now() - last <= max_age) or beat.starting()
    except DatabaseError:
        return False


def beats_running() -> int | None:
    """How many beats run, one sending and the others standing by (None: cannot tell)."""
    try:
        return beat.running()
    except DatabaseError:
        return None
