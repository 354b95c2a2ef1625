"""Keeping idle Zoom connections alive, and finding broken ones before a booking does.

Zoom documents no refresh-token lifetime (reports range from 90 days to 15 years) and rotates the
refresh token on every refresh, so a rep who books nothing for months could find their connection
dead the moment a guest books. Every hour (Celery beat) the connections unused for
ZOOM_KEEPALIVE_IDLE_HOURS are each checked by a task: tokens that old are refreshed (a new refresh
token, with a new lifetime) and Zoom is asked `GET /users/me/settings`, because an admin's
withdrawal (4738) shows on API calls and a deleted user (4735) or a newer authorization (4741) on
the refresh it forces; the same answer keeps the host's passcode rules current. A broken connection
is marked by `tokens.with_zoom`, which tells the rep (`lifecycle.connection_broke`). Connections
still broken are reminded once a day.
"""

import logging
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from . import lifecycle
from .errors import ZoomError, ZoomNeedsReconnect, ZoomNotConnected
from .models import ZoomConnection
from .tokens import refresh_connection, with_zoom

logger = logging.getLogger(__name__)

# One run enqueues at most this many checks (oldest first); the rest wait for the next run.
KEEPALIVE_BATCH = 500
# Checks are spread out so one run does not burst into Zoom's per-account rate limit, which
# every app of a customer's Zoom account shares.
KEEPALIVE_SPACING_SECONDS = 0.2


class Health:
    """What checking one connection found."""

    HEALTHY = "healthy"
    BROKEN = "broken"  # marked "needs reconnect"; the rep is being told
    UNAVAILABLE = "unavailable"  # Zoom did not answer usefully; the next run tries again
    NOT_CONNECTED = "not_connected"


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


def connections_to_remind(now: datetime | None = None) -> QuerySet[ZoomConnection]:
    """Connections still needing a reconnect whose rep got no reconnect email in the last day.

    Only "needs reconnect": a rep who removed the app inside Zoom did so on purpose and is told
    once (by the webhook's handling), not every day.
    """
    from integrations.notifications import RECONNECT_EMAIL_INTERVAL

    # Looked up by name: the integrations app owns the notices and imports this one.
    notice = apps.get_model("integrations", "ReconnectNotice")
    since = (now or timezone.now()) - RECONNECT_EMAIL_INTERVAL
    recent_notice = notice.objects.filter(rep_id=OuterRef("user_id"), sent_at__gt=since)
    return ZoomConnection.objects.filter(status=ZoomConnection.Status.NEEDS_RECONNECT).exclude(
        Exists(recent_notice)
    )


def schedule_keepalive(now: datetime | None = None) -> int:
    """Enqueue a check of every connection due for one, and a reminder for every connection still
    broken. Returns how many tasks were enqueued; stops early if the broker is unreachable."""
    from .tasks import check_zoom_connection

    due = list(connections_due_for_keepalive(now).values_list("pk", flat=True)[:KEEPALIVE_BATCH])
    enqueued = 0
    try:
        for index, connection_id in enumerate(due):
            check_zoom_connection.apply_async(
                (connection_id,), countdown=index * KEEPALIVE_SPACING_SECONDS, retry=False
            )
            enqueued += 1
    except BrokerUnavailable as exc:
        # Nothing is lost: the connections stay due and the next run picks them up.
        logger.warning("Broker unreachable; Zoom keep-alive stopped early (%s)", exc)
        return enqueued
    for connection_id in connections_to_remind(now).values_list("pk", flat=True):
        if not lifecycle.enqueue_reconnect_notice(connection_id):
            break
        enqueued += 1
    return enqueued


def keep_connection_alive(connection_id: int) -> str:
    """Check one connection with Zoom, renewing its tokens if they are old. Returns a Health."""
    connection = ZoomConnection.objects.filter(pk=connection_id).first()
    if connection is None or not connection.is_usable:
        return Health.NOT_CONNECTED
    try:
        if _tokens_age(connection) >= keepalive_idle():
            refresh_connection(connection)
        # Only an API call shows an admin's withdrawal of the app's approval (4738). The settings
        # call also keeps the host's passcode rules current (an admin may tighten them any day).
        zoom_settings = with_zoom(connection, lambda client, token: client.get_user_settings(token))
        connection.store_passcode_rules(zoom_settings)
    except ZoomNeedsReconnect:
        return Health.BROKEN
    except ZoomNotConnected:
        # Broken or disconnected since it was queued; whoever changed it handled it.
        return Health.NOT_CONNECTED
    except ZoomError as exc:
        # Down, rate limited, or a 124 twice in a row: none says the authorization is gone.
        connection.record_error(f"Keep-alive check failed: {type(exc).__name__}")
        logger.info("Zoom keep-alive of connection %s: %s", connection.pk, type(exc).__name__)
        return Health.UNAVAILABLE
    return Health.HEALTHY


def _tokens_age(connection: ZoomConnection) -> timedelta:
    issued_at = connection.last_refreshed_at or connection.connected_at
    if issued_at is None:
        return timedelta.max
    return timezone.now() - issued_at
