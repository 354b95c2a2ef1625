"""Keeping idle Zoom connections alive, and finding broken ones before a booking does.

Zoom documents no refresh-token lifetime (reports range from 90 days to 15 years) and rotates the
refresh token on every refresh, so a rep who books nothing for months could find their connection
dead the moment a guest books. Every hour (Celery beat, `tasks.keep_zoom_connections_alive`) the
connections unused for ZOOM_KEEPALIVE_IDLE_HOURS are each checked by a task: tokens that old are
refreshed (a new refresh token, with a new lifetime) and Zoom is asked `GET /users/me`
(`health.check_connection`), then `GET /users/me/settings`, to keep the host's passcode rules
current. A broken connection is marked by the Zoom session, which tells the
rep (`lifecycle.connection_broke`). Connections still broken are reminded once a day
(`notifications.connection_ids_to_remind`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .health import Health, check_connection
from .models import ZoomConnection

# One run enqueues at most this many checks (oldest first); the rest wait for the next run.
KEEPALIVE_BATCH = 500
# Checks are spread out so one run does not burst into Zoom's per-account rate limit, which
# every app of a customer's Zoom account shares.
KEEPALIVE_SPACING_SECONDS = 0.2


def connection_ids_due(now: datetime | None = None) -> list[int]:
    """The next batch of connections to check, longest idle first."""
    return list(connections_due_for_keepalive(now).values_list("pk", flat=True)[:KEEPALIVE_BATCH])


def keepalive_idle() -> timedelta:
    return timedelta(hours=settings.ZOOM_KEEPALIVE_IDLE_HOURS)


def connections_due_for_keepalive(now: datetime | None = None) -> QuerySet[ZoomConnection]:
    """Working connections with no successful call, or no new refresh token, for a while;
    longest idle first."""
    cutoff = (now or timezone.now()) - keepalive_idle()
    return (
        ZoomConnection.objects.filter(status=ZoomConnection.Status.CONNECTED)
        .exclude(zoom_user_id="")
        .annotate(tokens_issued_at=Coalesce("last_refreshed_at", "connected_at"))
        .filter(
            Q(last_success_at__isnull=True)
            | Q(last_success_at__lt=cutoff)
            | Q(tokens_issued_at__lt=cutoff)
        )
        .order_by(Coalesce("last_success_at", "connected_at").asc(nulls_first=True))
    )


def keep_connection_alive(connection_id: int) -> Health:
    """Check one connection with Zoom, renewing its tokens if they are old."""
    connection = ZoomConnection.objects.filter(pk=connection_id).first()
    if connection is None:
        return Health.NOT_CONNECTED
    renew = connection.is_usable and _tokens_age(connection) >= keepalive_idle()
    return check_connection(
        connection, renew_tokens=renew, read_passcode_rules=True, by="Keep-alive check"
    ).health


def _tokens_age(connection: ZoomConnection) -> timedelta:
    issued_at = connection.last_refreshed_at or connection.connected_at
    if issued_at is None:
        return timedelta.max
    return timezone.now() - issued_at
