"""The events Zoom sends about a meeting that happens, in the shapes of Zoom's SDK
(`zoom/rivet-javascript`, `meetings/meetings.d.ts`: `MeetingStartedEvent`, `MeetingEndedEvent`,
`MeetingParticipantJoinedEvent`, `MeetingParticipantLeftEvent`,
`MeetingParticipantJbhWaitingEvent`, `MeetingParticipantJbhWaitingLeftEvent`,
`MeetingParticipantJoinedWaitingRoomEvent`, `MeetingParticipantLeftWaitingRoomEvent`,
`MeetingParticipantAdmittedEvent`).

Zoom's webhook reference for meetings gives the same fields
(https://developers.zoom.us/docs/api/meetings/events/); its "Participant Waiting for Host" page
says `meeting.participant_jbh_waiting` needs a Pro or higher plan, join before host off, and the
participant in the Zoom client app
(https://marketplace.zoom.us/docs/api-reference/webhook-reference/meeting-events/meeting-participant-waiting-for-host).

The SDK types `object.id` as a string in every one of them except `participant_jbh_waiting_left`,
where it is a number; the sandbox sends each as typed, so the app must take both.

Emails follow Zoom's "email address display rules": "Zoom will not display email addresses for
users flagged as guests from API responses" unless they registered, or the host gave Zoom their
email (Zoom's calendar integrations, authentication exceptions); "you will continue to see the
email addresses of users on your own account". A scheduler's meetings have neither exception,
so everyone outside the host's account is blank, and so is anyone not signed in to Zoom.
https://developers.zoom.us/changelog/platform/zoom-api-email-address-display-rules.md
"""

from .live import Happened
from .meetings import format_time
from .models import MeetingInstance, Participant

# What a meeting that happens makes Zoom send (live.py). The `activity_event_delay_seconds` and
# `activity_events_lost` knobs make them late or lost, as Zoom's deliveries can be.
ACTIVITY_EVENTS = (
    "meeting.started",
    "meeting.ended",
    "meeting.participant_joined",
    "meeting.participant_left",
    "meeting.participant_jbh_waiting",
    "meeting.participant_jbh_waiting_left",
    "meeting.participant_joined_waiting_room",
    "meeting.participant_left_waiting_room",
    "meeting.participant_admitted",
)


def shown_email(person: Participant, host_account_id: int) -> str:
    user = person.zoom_user
    if user is None or user.account_id != host_account_id:
        return ""
    return user.email


def is_internal(person: Participant, host_account_id: int) -> bool:
    return person.zoom_user is not None and person.zoom_user.account_id == host_account_id


def _meeting_object(instance: MeetingInstance, *, numeric_id: bool = False) -> dict:
    started = instance.started_at or instance.scheduled_start
    return {
        "id": instance.meeting_id if numeric_id else str(instance.meeting_id),
        "uuid": instance.uuid,
        "host_id": instance.host.user_id,
        "topic": instance.topic,
        "type": instance.type,
        "start_time": format_time(started),
        "timezone": instance.timezone,
        "duration": instance.duration,
    }


def _who(person: Participant, host_account_id: int) -> dict:
    """The participant fields most events share."""
    signed_in = person.zoom_user
    who = {
        "user_id": person.participant_id,
        "user_name": person.name,
        # "the same as the User ID of the participant if the participant joins the meeting by
        # logging into Zoom … without logging in, the value of this field will be blank"
        # (Zoom's OpenAPI spec, GET /past_meetings/{meetingId}/participants).
        "id": signed_in.user_id if signed_in else "",
        "participant_uuid": person.participant_uuid,
        "email": shown_email(person, host_account_id),
    }
    if signed_in is not None:
        who["participant_user_id"] = signed_in.user_id
    return who


def payload(happened: Happened) -> dict:
    """The `payload` of the event (the envelope's `event` and `event_ts` are added by the
    sender)."""
    instance, person, at = happened.instance, happened.participant, format_time(happened.at)
    host_account = instance.host.account_id
    event = happened.event
    obj = _meeting_object(instance, numeric_id=event == "meeting.participant_jbh_waiting_left")
    if event == "meeting.ended":
        obj["end_time"] = at
    elif event in ("meeting.participant_jbh_waiting", "meeting.participant_jbh_waiting_left"):
        # Only who is waiting: Zoom's type gives no email, join time or per-meeting id.
        obj["participant"] = {"user_name": person.name}
        if person.zoom_user is not None:
            obj["participant"]["id"] = person.zoom_user.user_id
    elif event == "meeting.participant_joined":
        obj["participant"] = {**_who(person, host_account), "join_time": at}
    elif event == "meeting.participant_left":
        obj["participant"] = {
            **_who(person, host_account),
            "leave_time": at,
            "leave_reason": happened.leave_reason,
        }
    elif event != "meeting.started":
        # joined_waiting_room, left_waiting_room, admitted: a `date_time` of the change.
        obj["participant"] = {**_who(person, host_account), "date_time": at}
    return {"account_id": instance.host.account.account_id, "object": obj}
