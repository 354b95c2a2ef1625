"""Connecting the company's Zoom account once (the admin-managed app), matching reps to its
users, and letting it go. Views and tasks only call these.

Collecting a customer's Server-to-Server OAuth credentials is against Zoom's terms, so the
company-wide integration is its own Marketplace app that an account admin authorizes with the
usual authorization-code flow (PKCE and state as for reps); its token then acts for any user of
the account: `GET /users/{email}` to find a rep's Zoom user, `POST /users/{userId}/meetings` to
book as them. https://developers.zoom.us/docs/integrations/end-user-auth/
"""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..api.client import ZoomClient
from ..api.errors import (
    ZoomError,
    ZoomNeedsReconnect,
    ZoomNotConnected,
    ZoomUnavailable,
    ZoomUserNotFound,
    ZoomUserPending,
)
from ..api.scopes import missing_account_capabilities
from ..connection import oauth_session
from ..connection.connect_failures import ConnectFailed, ConnectProblem
from ..connection.models import ZoomConnection
from ..connection.services import _exchange, _problem_for, _revoke_quietly
from ..connection.session import ZoomSession
from ..signals import zoom_company_needs_matching, zoom_reps_served
from .models import COMPANY, ZoomCompanyAccount, ZoomCompanyMember

logger = logging.getLogger(__name__)

ACTIVE = "active"
# A user invited to the account who has not accepted yet (`status` of `GET /users/{userId}`).
PENDING = "pending"
BASIC = ZoomConnection.UserType.BASIC


def company_redirect_uri() -> str:
    """The account app's OAuth redirect URI (registered on that Marketplace app)."""
    return settings.SITE_URL + reverse("integrations:zoom:account_callback")


def company_account() -> ZoomCompanyAccount | None:
    return ZoomCompanyAccount.objects.filter(key=COMPANY).first()


def start_company_connect(staff_user, session) -> str:
    pending = oauth_session.begin(session, staff_user.pk, key=oauth_session.ACCOUNT_SESSION_KEY)
    return ZoomClient(app="account").authorize_url(
        pending.state, pending.code_challenge, company_redirect_uri()
    )


def handle_company_callback(staff_user, session, params) -> ZoomCompanyAccount | None:
    """Zoom's redirect back to the admin. Returns the connection, or None for an install started
    in the Marketplace (a code with no state): the admin confirms on our page, with a POST, before
    the flow starts again. Raises ConnectFailed."""
    pending = oauth_session.take(session, key=oauth_session.ACCOUNT_SESSION_KEY)
    error, state, code = params.get("error"), params.get("state"), params.get("code")
    if error:
        if error == "access_denied":
            raise ConnectFailed(ConnectProblem.DECLINED)
        raise ConnectFailed(ConnectProblem.ZOOM_REFUSED)
    if not state:
        if code and pending is None:
            # Never accept a code we cannot tie to this session (login CSRF), and never start
            # over on this GET: any site could send a signed-in admin through Zoom's consent
            # (which answers at once for an admin who consented before, in whichever Zoom account
            # they are signed in to) and switch the company's Zoom account without a click.
            return None
        raise ConnectFailed(ConnectProblem.STATE_MISSING)
    if pending is None:
        raise ConnectFailed(ConnectProblem.STATE_MISSING)
    if not pending.matches(state, staff_user.pk):
        raise ConnectFailed(ConnectProblem.STATE_FORGED)
    if pending.expired:
        raise ConnectFailed(ConnectProblem.STATE_EXPIRED)
    if not code:
        raise ConnectFailed(ConnectProblem.ZOOM_REFUSED)
    return connect_company_account(staff_user, code, pending.verifier)


def connect_company_account(staff_user, code: str, verifier: str) -> ZoomCompanyAccount:
    """Exchange the code, check every `:admin` scope the product calls, store the connection.
    Either it is stored, or ConnectFailed is raised and the tokens are revoked at Zoom."""
    client = ZoomClient(app="account")
    grant = _exchange(client, code, verifier, company_redirect_uri())
    missing = missing_account_capabilities(grant.scopes)
    if missing:
        _revoke_quietly(client, grant.access_token)
        logger.error("Zoom account app granted %s; missing %s", sorted(grant.scopes), missing)
        raise ConnectFailed(
            ConnectProblem.SCOPES_MISSING, missing_scopes=tuple(c.granular for c in missing)
        )
    try:
        profile = client.get_me(grant.access_token)
    except ZoomError as exc:
        _revoke_quietly(client, grant.access_token)
        raise ConnectFailed(_problem_for(exc)) from exc
    if not profile.get("id") or not profile.get("account_id"):
        _revoke_quietly(client, grant.access_token)
        raise ConnectFailed(ConnectProblem.ZOOM_UNAVAILABLE)
    with transaction.atomic():
        account, _ = ZoomCompanyAccount.objects.select_for_update().get_or_create(key=COMPANY)
        if account.zoom_account_id not in ("", str(profile["account_id"])):
            # Another Zoom account: the reps' Zoom users of the old one mean nothing now.
            account.members.all().delete()
        account.store_connection(grant, profile, staff_user)
    return account


# Matching reps to Zoom users -----------------------------------------------------------------


def reps():
    """The people bookings are made with: every active user who is not staff, and staff who take
    meetings too (a Meeting Type of their own, or a Zoom user an admin mapped them to)."""
    takes_meetings = Q(is_staff=False) | Q(meeting_types__isnull=False)
    mapped = ZoomCompanyMember.objects.exclude(mapped_by_hand_to="").values("rep_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(takes_meetings | Q(pk__in=mapped))
        .distinct()
        .order_by("email")
    )


def schedule_matching(rep_id: int | None = None) -> None:
    """Look every rep (or one) up in a worker once this commits: one `GET /users/{email}` per rep
    is too slow for a web request in a company of hundreds. A lost enqueue is caught up by the
    hourly keep-alive, which matches again."""
    transaction.on_commit(
        lambda: zoom_company_needs_matching.send_robust(sender=ZoomCompanyAccount, rep_id=rep_id)
    )


def match_company_reps(rep_id: int | None = None) -> dict[str, int]:
    company = company_account()
    if company is None or not company.is_usable:
        return {}
    if rep_id is not None:
        rep = reps().filter(pk=rep_id).first()
        if rep is None:
            return {}
        member = match_rep(company, rep)
        if member is not None and member.is_served:
            announce_served([rep.pk])
        return {member.state: 1} if member is not None else {}
    return match_reps(company)


def match_reps(account: ZoomCompanyAccount) -> dict[str, int]:
    """Looks every rep up in the Zoom account (by email, or by what an admin mapped by hand) and
    records who is served and why others are not. Each rep gets their own result: one rep's
    failure (a pending invitation, a 429, a Zoom user taken) never stops the others. Only a broken
    account connection stops the run (every lookup would fail alike). Returns a count per state."""
    counts: dict[str, int] = {}
    served = []
    for rep in reps():
        member = match_rep(account, rep)
        if member is not None:
            counts[member.state] = counts.get(member.state, 0) + 1
            if member.is_served:
                served.append(rep.pk)
    announce_served(served)
    return counts


def announce_served(rep_ids: list[int]) -> None:
    """Bookings parked for these reps can go now (sent after the commit, never undoing it)."""
    if rep_ids:
        transaction.on_commit(
            lambda: zoom_reps_served.send_robust(sender=ZoomCompanyAccount, rep_ids=rep_ids)
        )


def email_verified(rep) -> bool:
    """Whether the rep's email may claim the company's Zoom user of that email. A sign-up with an
    address it has not confirmed must not take over someone's Zoom user; reps an admin created
    (no sign-up, so no address record) are vouched for by that admin."""
    return not EmailAddress.objects.filter(
        user=rep, email__iexact=rep.email, verified=False
    ).exists()


def match_rep(account: ZoomCompanyAccount, rep, lookup: str | None = None):
    """One rep: `GET /users/{email or id}` with the account token, and the result recorded. A
    broken account connection raises (ZoomNeedsReconnect / ZoomNotConnected); any other failure
    is this rep's result only. An admin's mapping to a Zoom user another rep holds raises
    ZoomUserTaken (when `lookup` is the admin's); found while matching, it is the rep's result."""
    existing = ZoomCompanyMember.objects.filter(rep=rep).first()
    by_hand = lookup if lookup is not None else (existing.mapped_by_hand_to if existing else "")
    values = {
        "account": account,
        "mapped_by_hand_to": by_hand,
        "checked_at": timezone.now(),
        "zoom_user_id": "",
        "zoom_email": "",
        "zoom_user_type": None,
        "zoom_timezone": "",
    }
    State = ZoomCompanyMember.State
    if not by_hand and not email_verified(rep):
        return _record(rep, values, State.EMAIL_UNVERIFIED)
    try:
        with ZoomSession(account) as zoom:
            profile = zoom.call(ZoomClient.get_user, by_hand or rep.email)
    except ZoomUserPending:
        return _record(rep, values, State.INVITATION_PENDING)
    except ZoomUserNotFound:
        return _record(rep, values, State.NO_ZOOM_USER)
    except (ZoomNeedsReconnect, ZoomNotConnected):
        raise
    except ZoomError as exc:
        # Zoom down, or a 429 (the account's limit is shared with every app installed on it):
        # a served rep stays served; anyone else is told to try again.
        logger.info("Zoom lookup of rep %s failed: %s", rep.pk, type(exc).__name__)
        if existing is not None and existing.is_served:
            return existing
        return _record(rep, values, State.LOOKUP_FAILED)
    values["zoom_email"] = str(profile.get("email") or "")
    values["zoom_user_type"] = profile.get("type")
    status = str(profile.get("status") or ACTIVE)
    if status == PENDING:
        return _record(rep, values, State.INVITATION_PENDING)
    if status != ACTIVE:
        return _record(rep, values, State.DEACTIVATED)
    if profile.get("type") == BASIC:
        return _record(rep, values, State.BASIC_USER)
    values["zoom_user_id"] = str(profile["id"])
    values["zoom_timezone"] = str(profile.get("timezone") or "")
    try:
        return _record(rep, values, State.SERVED)
    except IntegrityError as exc:
        if lookup:
            raise ZoomUserTaken(values["zoom_email"]) from exc
        values.update(zoom_user_id="", zoom_timezone="")
        return _record(rep, values, State.ZOOM_USER_TAKEN)


def _record(rep, values: dict, state: str) -> ZoomCompanyMember:
    with transaction.atomic():
        member, _ = ZoomCompanyMember.objects.update_or_create(
            rep=rep, defaults={**values, "state": state}
        )
    return member


class ZoomUserTaken(Exception):
    """The Zoom user already serves another rep (one Zoom user hosts for one rep)."""


def map_rep_by_hand(account: ZoomCompanyAccount, rep, zoom_email_or_id: str):
    """The admin says which Zoom user is this rep's (their emails differ); empty goes back to
    matching by the rep's email."""
    member = match_rep(account, rep, lookup=zoom_email_or_id.strip().lower())
    if member is not None and member.is_served:
        announce_served([rep.pk])
    return member


# Letting go ----------------------------------------------------------------------------------


def disconnect_company_account(account: ZoomCompanyAccount) -> bool:
    """Revoke the app at Zoom, then forget the account's tokens, ids and reps' Zoom users here
    whatever Zoom said. False when Zoom could not be reached (remove the app in Zoom too)."""
    revoked = True
    try:
        if account.is_usable:
            with ZoomSession(account) as zoom:
                zoom.call(ZoomClient.revoke)
    except ZoomUnavailable:
        revoked = False
    except ZoomError as exc:
        logger.info("Zoom revoke for the company account: %s", type(exc).__name__)
    with transaction.atomic():
        locked = ZoomCompanyAccount.objects.select_for_update().get(pk=account.pk)
        locked.mark_disconnected()
    return revoked
