"""Zoom's meeting events turned into a booking's evidence: who came, when, who waited.

The events' shapes are Zoom's webhook reference for meetings
(https://developers.zoom.us/docs/api/meetings/events/: `meeting.started`, `meeting.ended`,
`meeting.participant_joined`, `meeting.participant_left`, `meeting.participant_jbh_waiting`,
`meeting.participant_joined_waiting_room`, …) and Zoom's SDK types of them
(`zoom/rivet-javascript`, `meetings/meetings.d.ts`):
`object` has the meeting's `id`, `uuid` and `host_id`; `object.participant` has `id` (the Zoom
user id when the person is signed in, else empty), `user_id` (the per-meeting participant id),
`participant_uuid`, `user_name`, `email` (blank for anyone outside the host's account: Zoom's
email display rules) and `join_time` / `leave_time` / `date_time`. Events can come late, twice or
out of order: every time is taken from the event, never from when it arrived, and each piece of
evidence is kept so that the order does not matter (MeetingOutcome's `saw_…`).

Names and emails are read only to tell the host from others and are never stored.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from config.isotime import parse_iso_datetime
from meetings.models import Booking

from ..models import MeetingOutcome, Source
from ..services import decide_outcome, locked_outcome, schedule_host_absent_alert

PARTICIPANT_EVENTS = {
    "meeting.participant_joined": "join_time",
    "meeting.participant_left": "leave_time",
    "meeting.participant_joined_waiting_room": "date_time",
    "meeting.participant_left_waiting_room": "date_time",
}
_WAITING = ("meeting.participant_jbh_waiting", "meeting.participant_joined_waiting_room")
_STOPPED_WAITING = ("meeting.participant_jbh_waiting_left", "meeting.participant_left_waiting_room")


def record(event: str, meeting_id: str, details: dict, occurred_at: datetime | None) -> bool:
    """Applies one event to the booking whose Zoom meeting it is; False when it is not ours."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("meeting_type")
            .filter(zoom_meeting_id=meeting_id, status=Booking.Status.CONFIRMED)
            .order_by("-pk")
            .first()
        )
        if booking is None:
            return False
        outcome = locked_outcome(booking.pk)
        _apply(outcome, event, details, occurred_at or timezone.now())
        if event == "meeting.ended" or outcome.is_decided:
            # The meeting is over (or was decided, and a late event adds to what is known).
            decide_outcome(outcome, booking, Source.EVENTS)
        outcome.save()
        if outcome.host_absent_for(timezone.now()) is not None:
            schedule_host_absent_alert(outcome, booking)
    return True


def _apply(outcome: MeetingOutcome, event: str, details: dict, occurred_at: datetime) -> None:
    person = details.get("participant")
    person = person if isinstance(person, dict) else {}
    at = _time(person.get(PARTICIPANT_EVENTS.get(event, "")), occurred_at)
    is_host = _is_host(person, details)
    if event == "meeting.started":
        outcome.saw_meeting_start(_time(details.get("start_time"), occurred_at))
    elif event == "meeting.ended":
        outcome.saw_meeting_start(_time(details.get("start_time"), occurred_at))
        outcome.saw_meeting_end(_time(details.get("end_time"), occurred_at))
    elif event == "meeting.participant_joined" and is_host:
        outcome.saw_host_join(at)
    elif event == "meeting.participant_joined":
        outcome.saw_other_join(participant_key(str(details.get("id") or ""), person), at)
        if not outcome.host_in_meeting:
            # In a meeting that let guests in first, without the host: waiting for them.
            outcome.saw_guest_waiting(at)
    elif event == "meeting.participant_left" and is_host:
        outcome.saw_host_leave(at)
    elif event == "meeting.participant_left" and not outcome.host_in_meeting:
        outcome.saw_guest_stop_waiting()
    elif event in _WAITING and not is_host:
        outcome.saw_guest_waiting(at)
    elif event in _STOPPED_WAITING and not outcome.host_in_meeting:
        outcome.saw_guest_stop_waiting()


def _is_host(person: dict, details: dict) -> bool:
    host_id = str(details.get("host_id") or "")
    ids = {str(person.get("id") or ""), str(person.get("participant_user_id") or "")}
    return bool(host_id) and host_id in ids


def participant_key(meeting_id: str, person: dict) -> str:
    """Tells one person apart from another without keeping who they are: a keyed hash of the
    meeting and Zoom's id for them (the Zoom user id when signed in, else the per-meeting
    participant id), the same in events and in Zoom's participant list."""
    who = person.get("id") or person.get("user_id") or person.get("user_name") or ""
    return salted_hmac("outcomes.participant", f"{meeting_id}:{who}").hexdigest()[:16]


def _time(value, fallback: datetime) -> datetime:
    return parse_iso_datetime(value, naive_is_utc=True) or fallback
