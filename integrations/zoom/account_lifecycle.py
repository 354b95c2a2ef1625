"""What happens when the company's Zoom account connection breaks, is removed in Zoom, or a rep
leaves the Zoom account. Other apps hear it through `signals.zoom_account_removed`; the Zoom
admins (staff with the "manage_zoom_account" permission) are emailed by a task after the commit."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from kombu.exceptions import OperationalError as BrokerUnavailable

from .account_models import COMPANY, ZoomAccountConnection, ZoomAccountMember
from .models import ZoomWebhookEvent
from .signals import zoom_account_removed

logger = logging.getLogger(__name__)

MANAGE_CODENAME = "manage_zoom_account"


def apply_account_deauthorization(payload: dict) -> tuple[str, str]:
    """`app_deauthorized` of the admin-managed app: the app was removed from the whole Zoom
    account. Every Zoom value it gave us goes (tokens, ids, reps' Zoom users), the bookings of the
    reps it served are parked without their Zoom data, and the Zoom admins are told."""
    account_id = str(payload.get("account_id") or "")
    company = (
        ZoomAccountConnection.objects.select_for_update()
        .filter(key=COMPANY, zoom_account_id=account_id)
        .exclude(zoom_account_id="")
        .first()
    )
    if company is None:
        return ZoomWebhookEvent.Outcome.IGNORED, "not the company's Zoom account"
    served = list(
        company.members.filter(state=ZoomAccountMember.State.SERVED).values_list(
            "rep_id", flat=True
        )
    )
    company.mark_removed()
    # Inside this transaction: the bookings' Zoom data goes with the account's, or neither does.
    zoom_account_removed.send(sender=ZoomAccountConnection, rep_ids=served)
    notify_admins_after_commit(
        "The company's Zoom account was disconnected in Zoom",
        "A Zoom admin removed the app from the company's Zoom account, so its Zoom data was "
        f"deleted here. {len(served)} reps it served now wait for Zoom: reconnect the company's "
        "Zoom account, or have them connect Zoom themselves.",
    )
    return ZoomWebhookEvent.Outcome.APPLIED, f"company Zoom account removed ({len(served)} reps)"


def account_broke(account: ZoomAccountConnection) -> None:
    logger.warning(
        "The company's Zoom account connection stopped working: %s %s",
        account.status,
        account.needs_reconnect_reason,
    )
    notify_admins_after_commit(
        "The company's Zoom account needs reconnecting",
        f"Zoom stopped accepting the company's connection "
        f"({account.get_needs_reconnect_reason_display() or account.status}). Bookings of the "
        "reps it serves wait until a Zoom admin reconnects it.",
    )


def rep_left_account(member: ZoomAccountMember) -> None:
    """Zoom answered 1001 for the rep's Zoom user: only this rep stops being served."""
    if member.mark_left():
        logger.warning("Rep %s is no longer a user of the company's Zoom account", member.rep_id)
        rep = member.rep
        notify_admins_after_commit(
            f"{rep.email} is no longer in the company's Zoom account",
            f"Zoom no longer knows the Zoom user of {rep.email}, so their bookings wait for a "
            "Zoom connection. Map them to their Zoom user again, or have them connect Zoom.",
        )


def zoom_admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    allowed = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename=MANAGE_CODENAME)
        | Q(groups__permissions__codename=MANAGE_CODENAME)
    )
    return sorted(set(allowed.values_list("email", flat=True)))


def notify_admins_after_commit(subject: str, body: str) -> None:
    def enqueue() -> None:
        from .tasks import send_zoom_account_notice

        try:
            send_zoom_account_notice.apply_async((subject, body), retry=False)
        except BrokerUnavailable:
            logger.warning("Broker unreachable; Zoom admins not emailed: %s", subject)

    transaction.on_commit(enqueue)
