"""What happens when the company's Zoom account connection breaks, is removed in Zoom, or a rep
leaves the Zoom account. Other apps and the Zoom admins' emails hear it through signals
(`signals.zoom_data_erasure_due`, `signals.zoom_company_account_notice`), so this core never
imports them."""

import logging

from django.db import transaction

from ..connection.models import ZoomApp
from ..signals import zoom_company_account_notice, zoom_company_rep_unserved
from ..webhooks.erasure import erase_app_data
from ..webhooks.models import ZoomWebhookEvent
from .models import COMPANY, ZoomCompanyAccount, ZoomCompanyMember

logger = logging.getLogger(__name__)


def apply_company_deauthorization(payload: dict, delivery_id: int) -> tuple[str, str]:
    """`app_deauthorized` of the admin-managed app: the app was removed from the whole Zoom
    account. Its tokens, ids and reps' Zoom users go at once; the meetings it made (bookings past
    and future, sent invites, waiting payloads) go too unless Zoom allows keeping them, and the
    rep's own app's meetings stay. The Zoom admins are told."""
    account_id = str(payload.get("account_id") or "")
    company = (
        ZoomCompanyAccount.objects.select_for_update()
        .filter(key=COMPANY, zoom_account_id=account_id)
        .exclude(zoom_account_id="")
        .first()
    )
    if company is None:
        return ZoomWebhookEvent.Outcome.IGNORED, "not the company's Zoom account"
    served = company.members.filter(state=ZoomCompanyMember.State.SERVED).count()
    company.mark_removed()
    # Inside this transaction: the bookings' Zoom data goes with the account's, or neither does.
    erasure = erase_app_data(ZoomApp.COMPANY, payload, delivery_id)
    announce("removed", reps=served)
    kept = (
        "Zoom allows keeping its data"
        if erasure.retained
        else (
            f"{erasure.records_erased} records and {erasure.payloads_erased} stored payloads erased"
        )
    )
    return ZoomWebhookEvent.Outcome.APPLIED, f"company Zoom account removed ({served} reps); {kept}"


def company_account_broke(account: ZoomCompanyAccount) -> None:
    logger.warning(
        "The company's Zoom account connection stopped working: %s %s",
        account.status,
        account.needs_reconnect_reason,
    )
    announce("broke", reason=account.get_needs_reconnect_reason_display() or account.status)


def rep_left_company_account(member: ZoomCompanyMember) -> None:
    """Zoom answered 1001 for the rep's Zoom user: only this rep stops being served."""
    rep_unserved(member, ZoomCompanyMember.State.LEFT_ACCOUNT)


def rep_unserved(member: ZoomCompanyMember, state: str) -> bool:
    """The rep's Zoom user can no longer host for them (left the account, deactivated, deleted,
    disassociated, or not allowed to host): only this rep stops being served, at once; their
    upcoming meetings the company's account made go to their own connection or wait
    (`signals.zoom_company_rep_unserved`), and the Zoom admins are told."""
    if not member.mark_unserved(state):
        return False
    logger.warning(
        "Rep %s is no longer served by the company's Zoom account: %s", member.rep_id, state
    )
    zoom_company_rep_unserved.send(sender=ZoomCompanyMember, rep_id=member.rep_id)
    announce("rep_left", rep_id=member.rep_id, reason=member.get_state_display())
    return True


# Zoom's user events of the company's app, and the state each leaves the rep in. Payload: the
# Zoom user in `object` (`id`, `email`). https://developers.zoom.us/docs/api/users/events/
USER_EVENTS = {
    "user.deactivated": ZoomCompanyMember.State.DEACTIVATED,
    "user.deleted": ZoomCompanyMember.State.LEFT_ACCOUNT,
    "user.disassociated": ZoomCompanyMember.State.LEFT_ACCOUNT,
}


def apply_user_event(event: str, payload: dict) -> tuple[str, str]:
    """A user of the company's Zoom account was deactivated, deleted or taken out of it."""
    user = payload.get("object") if isinstance(payload.get("object"), dict) else {}
    zoom_user_id = str(user.get("id") or "")
    if not zoom_user_id:
        return ZoomWebhookEvent.Outcome.IGNORED, "no user id in payload"
    member = (
        ZoomCompanyMember.objects.select_for_update()
        .filter(
            zoom_user_id=zoom_user_id, account__zoom_account_id=str(payload.get("account_id") or "")
        )
        .first()
    )
    if member is None:
        return ZoomWebhookEvent.Outcome.IGNORED, "no rep served by this Zoom user"
    rep_unserved(member, USER_EVENTS[event])
    return ZoomWebhookEvent.Outcome.APPLIED, f"rep {member.rep_id}: {event}"


def announce(kind: str, **detail) -> None:
    """Tell the Zoom admins once this commits (the email listens to the signal)."""
    transaction.on_commit(
        lambda: zoom_company_account_notice.send_robust(
            sender=ZoomCompanyAccount, kind=kind, detail=detail
        )
    )
