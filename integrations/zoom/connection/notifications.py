"""Telling a rep their Zoom connection broke, with a link to reconnect it.

At most one email per rep per RECONNECT_EMAIL_INTERVAL, so a connection that fails on every
booking does not flood the rep; an admin may send one anyway from the roster. Never once the
connection works again. The Zoom core announces a break (`signals.zoom_connection_broke`) and
never imports this module; `tasks` listens and sends the email from a worker.

The email says how many bookings wait for the reconnect, so this module reads the meetings app's
bookings: it belongs to the Zoom admin layer, not to the core.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from integrations.models import ReconnectNotice
from meetings.models import Booking
from meetings.zoom.state import LinkState

from ..api.reasons import ReconnectReason
from .connect_failures import ConnectProblem
from .hosts import zoom_host_for
from .models import ZoomConnection

logger = logging.getLogger(__name__)

RECONNECT_EMAIL_INTERVAL = timedelta(hours=24)
# Broken in a way only the rep can fix by connecting again.
NOTIFIABLE_STATUSES = (ZoomConnection.Status.NEEDS_RECONNECT, ZoomConnection.Status.REMOVED)


def reconnect_url() -> str:
    return settings.SITE_URL + reverse("integrations:index")


def send_reconnect_notice(connection_id: int) -> bool:
    """The email a break announced (or the daily reminder): sent unless the rep got one in the
    last 24 hours or it works again. Returns whether an email went out; mail errors propagate."""
    connection = ZoomConnection.objects.without_tokens().filter(pk=connection_id).first()
    if connection is None:
        return False
    return notify_needs_reconnect(connection)


def connection_ids_to_remind(now=None) -> list[int]:
    """Connections still needing a reconnect whose rep got no reconnect email in the last day.

    Only "needs reconnect": a rep who removed the app inside Zoom did so on purpose and is told
    once (by the webhook's handling), not every day.
    """
    since = (now or timezone.now()) - RECONNECT_EMAIL_INTERVAL
    recent_notice = ReconnectNotice.objects.filter(rep_id=OuterRef("user_id"), sent_at__gt=since)
    return list(
        ZoomConnection.objects.filter(status=ZoomConnection.Status.NEEDS_RECONNECT)
        .exclude(Exists(recent_notice))
        .values_list("pk", flat=True)
    )


def notify_needs_reconnect(
    connection: ZoomConnection, *, force: bool = False, sent_by=None
) -> bool:
    """Email the rep a reconnect link if their connection is still broken and they were not
    emailed in the last 24 hours (`force`, for an admin, skips only the latter). `sent_by` is the
    admin who forced it. Returns whether an email went out; mail server errors propagate.

    Not sent by itself while the company's Zoom account makes the rep's meetings and no booking
    waits for this connection: every page tells them so (an admin may still send one)."""
    rep = get_user_model()(pk=connection.user_id)
    if not force and _served_by_company(rep) and not _bookings_waiting(rep):
        return False
    claimed = _claim_notice(connection, force=force, sent_by=sent_by)
    if claimed is None:
        return False
    notice, current = claimed
    try:
        _message(current, notice.rep).send()
    except Exception:
        # Give the slot back so the next attempt (a retried task, the admin) can send it.
        notice.delete()
        raise
    logger.info("Sent the Zoom reconnect email to rep %s (forced=%s)", notice.rep_id, force)
    return True


def _claim_notice(
    connection: ZoomConnection, *, force: bool, sent_by
) -> tuple[ReconnectNotice, ZoomConnection] | None:
    """Record the notice before sending, under the connection's row lock: two workers noticing
    the same broken connection at once serialize here and only the first one sends. The lock is
    held for two short queries only; the email leaves after it is released."""
    with transaction.atomic():
        current = (
            ZoomConnection.objects.select_for_update(of=("self",))
            .select_related("user")
            .without_tokens()
            .get(pk=connection.pk)
        )
        if current.status not in NOTIFIABLE_STATUSES:
            return None
        if not force and _emailed_recently(current.user_id):
            return None
        notice = ReconnectNotice.objects.create(
            rep=current.user,
            email=current.user.email,
            connection_status=current.status,
            reason=current.needs_reconnect_reason,
            sent_by=sent_by,
        )
    return notice, current


def _served_by_company(rep) -> bool:
    host = zoom_host_for(rep, with_tokens=False)
    return host is not None and host.via_company_account and host.is_usable


def _emailed_recently(rep_id: int) -> bool:
    since = timezone.now() - RECONNECT_EMAIL_INTERVAL
    return ReconnectNotice.objects.filter(rep_id=rep_id, sent_at__gt=since).exists()


def _message(connection: ZoomConnection, rep) -> EmailMultiAlternatives:
    context = {
        "rep": rep,
        "connection": connection,
        "removed": connection.status == ZoomConnection.Status.REMOVED,
        "reason": connection.get_needs_reconnect_reason_display(),
        "approval_withdrawn": (
            connection.needs_reconnect_reason == ReconnectReason.APPROVAL_WITHDRAWN
        ),
        "approval": ConnectProblem.APPROVAL_REQUIRED.page,
        "waiting_bookings": _bookings_waiting(rep),
        "reconnect_url": reconnect_url(),
        "zoom_app_name": settings.ZOOM_APP_NAME,
        "zoom_marketplace_url": settings.ZOOM_MARKETPLACE_URL,
    }
    subject = render_to_string("integrations/email/reconnect_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("integrations/email/reconnect.txt", context),
        to=[rep.email],
    )
    message.attach_alternative(
        render_to_string("integrations/email/reconnect.html", context), "text/html"
    )
    return message


def _bookings_waiting(rep) -> int:
    """Upcoming bookings parked until the rep reconnects: the email says how many are waiting."""
    return Booking.objects.filter(
        rep=rep,
        status=Booking.Status.CONFIRMED,
        end_at__gte=timezone.now(),
        link_state=LinkState.WAITING_FOR_RECONNECT,
    ).count()
