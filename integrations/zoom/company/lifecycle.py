"""What happens when the company's Zoom account connection breaks, is removed in Zoom, or a rep
leaves the Zoom account. Other apps and the Zoom admins' emails hear it through signals
(`signals.zoom_company_account_removed`, `signals.zoom_company_account_notice`), so this core
never imports them."""

import logging

from django.db import transaction

from ..signals import zoom_company_account_notice, zoom_company_account_removed
from ..webhooks.models import ZoomWebhookEvent
from .models import COMPANY, ZoomCompanyAccount, ZoomCompanyMember

logger = logging.getLogger(__name__)


def apply_company_deauthorization(payload: dict) -> tuple[str, str]:
    """`app_deauthorized` of the admin-managed app: the app was removed from the whole Zoom
    account. Every Zoom value it gave us goes (tokens, ids, reps' Zoom users), the bookings of the
    reps it served are parked without their Zoom data, and the Zoom admins are told."""
    account_id = str(payload.get("account_id") or "")
    company = (
        ZoomCompanyAccount.objects.select_for_update()
        .filter(key=COMPANY, zoom_account_id=account_id)
        .exclude(zoom_account_id="")
        .first()
    )
    if company is None:
        return ZoomWebhookEvent.Outcome.IGNORED, "not the company's Zoom account"
    served = list(
        company.members.filter(state=ZoomCompanyMember.State.SERVED).values_list(
            "rep_id", flat=True
        )
    )
    company.mark_removed()
    # Inside this transaction: the bookings' Zoom data goes with the account's, or neither does.
    zoom_company_account_removed.send(sender=ZoomCompanyAccount, rep_ids=served)
    announce("removed", reps=len(served))
    return ZoomWebhookEvent.Outcome.APPLIED, f"company Zoom account removed ({len(served)} reps)"


def company_account_broke(account: ZoomCompanyAccount) -> None:
    logger.warning(
        "The company's Zoom account connection stopped working: %s %s",
        account.status,
        account.needs_reconnect_reason,
    )
    announce("broke", reason=account.get_needs_reconnect_reason_display() or account.status)


def rep_left_company_account(member: ZoomCompanyMember) -> None:
    """Zoom answered 1001 for the rep's Zoom user: only this rep stops being served."""
    if member.mark_left():
        logger.warning("Rep %s is no longer a user of the company's Zoom account", member.rep_id)
        announce("rep_left", rep_id=member.rep_id)


def announce(kind: str, **detail) -> None:
    """Tell the Zoom admins once this commits (the email listens to the signal)."""
    transaction.on_commit(
        lambda: zoom_company_account_notice.send_robust(
            sender=ZoomCompanyAccount, kind=kind, detail=detail
        )
    )
