"""The check after the meeting: Zoom's list of who came (`GET /past_meetings/{meetingId}/
participants`), read through the rep's Zoom host like every other call (paced per Zoom account,
tokens refreshed, 124 retried), for the bookings whose events did not settle their outcome.

Where the grant has no scope for the list (or the account no paid plan), the outcome is decided
from the events that did arrive when they are conclusive; otherwise it stays open, saying what
to add, and the rep marks it by hand.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from config.isotime import parse_iso_datetime
from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import (
    ZoomError,
    ZoomMeetingNotFound,
    ZoomNeedsReconnect,
    ZoomPaidPlanRequired,
    ZoomRateLimited,
    ZoomUnavailable,
)
from integrations.zoom.api.scopes import (
    ACCOUNT_PAST_PARTICIPANTS,
    PAST_PARTICIPANTS,
    scope_to_add,
)
from integrations.zoom.connection.hosts import ZoomHost, zoom_host_for
from integrations.zoom.connection.session import ZoomSession
from meetings.models import Booking

from ..models import MeetingOutcome, Source
from ..rules import Outcome, decide
from ..services import CHECK_ATTEMPTS, CHECK_EVERY, decide_outcome, guest_may_start, settle
from ..services import locked_outcome as _locked
from .activity import participant_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParticipantList:
    host_joined_at: datetime | None
    # (key, when they joined) of each person other than the host who was in the meeting: keys,
    # never names.
    others: tuple[tuple[str, datetime], ...]
    # Someone other than the host sat in the waiting room and was never let in.
    waited: bool
    # The last one left then (None: nobody listed).
    ended_at: datetime | None


class NotHeld(Exception):
    """Zoom has no list yet: the meeting was not held, or is not over (3001)."""


class ListUnavailable(Exception):
    """Zoom will not give the list to this grant or account; `str()` says what to do."""


class TryLater(Exception):
    """Zoom is down, busy or rate limiting us: the check runs again later."""


def check_after_meeting(booking_id: int) -> str:
    """Settles one booking's outcome from Zoom's list, or from its events; returns what it did."""
    booking = Booking.objects.select_related("meeting_type", "rep").filter(pk=booking_id).first()
    if booking is None or booking.is_cancelled or not booking.zoom_meeting_id:
        return "nothing to check"
    record = MeetingOutcome.objects.filter(booking_id=booking_id).first()
    if record is not None and (record.is_corrected or record.checked_at is not None):
        return "already settled"
    reference = booking.zoom_meeting_id
    try:
        listed = read_participant_list(booking, reference)
    except NotHeld:
        return _not_held(booking)
    except ListUnavailable as exc:
        return _from_events(booking, unavailable=str(exc))
    except TryLater as exc:
        return _later(booking, str(exc))
    return _from_list(booking, listed)


def read_participant_list(booking: Booking, reference: str) -> ParticipantList:
    host = zoom_host_for(booking.rep)
    if host is None or not host.is_usable:
        # A reconnect may come before the last check.
        raise TryLater("Zoom is not connected, so Zoom could not say who joined.")
    scope = missing_scope(host)
    if scope:
        raise ListUnavailable(scope_needed(scope))
    try:
        with ZoomSession(host) as zoom:
            records = zoom.call(ZoomClient.past_meeting_participants, reference)
    except ZoomMeetingNotFound as exc:
        raise NotHeld from exc
    except ZoomPaidPlanRequired as exc:
        raise ListUnavailable(
            "Zoom gives the list of who joined only on a paid (Pro or higher) Zoom plan."
        ) from exc
    except (ZoomUnavailable, ZoomRateLimited) as exc:
        raise TryLater(str(exc)) from exc
    except ZoomNeedsReconnect as exc:
        raise ListUnavailable(f"Zoom needs reconnecting: {exc.reason.label}") from exc
    except ZoomError as exc:
        raise ListUnavailable(f"Zoom refused the list of who joined: {exc}") from exc
    return _summarize(records, host, reference)


def missing_scope(host: ZoomHost) -> str:
    """The scope to add for the list (empty: it is granted): the company's app needs the
    account-level form."""
    capability = ACCOUNT_PAST_PARTICIPANTS if host.via_company_account else PAST_PARTICIPANTS
    return scope_to_add(capability, host.chain.granted_scopes)


def scope_needed(scope: str) -> str:
    """What the rep reads where the grant lacks `scope`, on the booking and on My Integrations."""
    return (
        f"Zoom's list of who joined needs the scope {scope} on the Zoom app. "
        "Mark the outcome yourself, or ask your Zoom admin to add the scope."
    )


def _summarize(records: list[dict], host: ZoomHost, reference: str) -> ParticipantList:
    host_joined_at, others, waited, ended_at = None, {}, False, None
    for record in records:
        if not isinstance(record, dict):
            continue
        joined = parse_iso_datetime(record.get("join_time"), naive_is_utc=True) or timezone.now()
        left = parse_iso_datetime(record.get("leave_time"), naive_is_utc=True)
        if left is not None:
            ended_at = max(ended_at or left, left)
        email = str(record.get("user_email") or "").lower()
        is_host = (host.zoom_user_id and str(record.get("id") or "") == host.zoom_user_id) or (
            host.zoom_email and email == host.zoom_email.lower()
        )
        if is_host:
            host_joined_at = min(host_joined_at or joined, joined)
        elif record.get("status") == "in_waiting_room":
            waited = True
        else:
            key = participant_key(reference, record)
            others[key] = min(others.get(key, joined), joined)
    return ParticipantList(
        host_joined_at=host_joined_at,
        others=tuple(others.items()),
        waited=waited,
        ended_at=ended_at,
    )


def _from_list(booking: Booking, listed: ParticipantList) -> str:
    with transaction.atomic():
        record = _locked(booking.pk)
        now = timezone.now()
        record.saw_participant_list(
            host_joined_at=listed.host_joined_at,
            others=listed.others,
            waited=listed.waited,
            ended_at=listed.ended_at,
        )
        record.mark_checked(now)
        decide_outcome(record, booking, Source.PARTICIPANTS)
        record.save()
        settle(record)
    return f"decided from Zoom's list: {record.outcome}"


def _not_held(booking: Booking) -> str:
    with transaction.atomic():
        record = _locked(booking.pk)
        now = timezone.now()
        if record.check_attempts + 1 < CHECK_ATTEMPTS:
            # Zoom's list comes a while after the end, and a meeting may run late.
            record.check_again_at(now + CHECK_EVERY)
            record.save()
            return "not held or not over yet: checking again"
        record.saw_never_started()
        record.mark_checked(now)
        decide_outcome(record, booking, Source.PARTICIPANTS)
        record.save()
        settle(record)
    return f"not held: {record.outcome}"


def _from_events(booking: Booking, *, unavailable: str) -> str:
    """No list: the events decide when they show something; else the outcome stays open."""
    with transaction.atomic():
        record = _locked(booking.pk)
        now = timezone.now()
        outcome = decide(record.evidence(guest_may_start=guest_may_start(booking)))
        record.mark_checked(now, unavailable_reason=unavailable)
        if outcome != Outcome.UNKNOWN:
            decide_outcome(record, booking, Source.EVENTS)
        record.save()
        settle(record)
    logger.info("Booking %s: no participant list (%s)", booking.pk, unavailable)
    return f"decided from events: {record.outcome or 'open'}"


def _later(booking: Booking, why: str) -> str:
    with transaction.atomic():
        record = _locked(booking.pk)
        last_try = record.check_attempts + 1 >= CHECK_ATTEMPTS
        if not last_try:
            record.check_again_at(timezone.now() + CHECK_EVERY)
            record.save()
    if last_try:
        # What the events show, and why Zoom could not say more.
        return _from_events(booking, unavailable=why)
    return f"checking again later: {why}"
