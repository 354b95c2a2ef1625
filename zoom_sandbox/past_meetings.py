"""`GET /past_meetings/{meetingId}/participants` as Zoom's OpenAPI spec describes it
(`pastMeetingParticipants`, Zoom's Meeting API spec; the response type is
`MeetingsGetPastMeetingParticipantsResponse` in Zoom's SDK `meetings/meetings.d.ts`):

- `meetingId` is "the meeting's ID or universally unique ID (UUID)"; an ID means "the latest
  meeting instance". A UUID that begins with "/" or contains "//" "must" be double-encoded: the
  sandbox finds no meeting for one sent single-encoded (Zoom documents no answer: the stricter
  choice).
- "Prerequisites: Paid account on a Pro or higher plan": otherwise 400 code 200 "Only available
  for paid account: {accountId}".
- A meeting not held, or still running: 404 code 3001 "Meeting ID is invalid or not end."
- "The API doesn't return results if there's only one participant in a meeting": the sandbox
  answers an empty list then (Zoom does not say what it answers; an empty list tells an app the
  least).
- `user_email` is blank for participants outside the host's account (activity_events.py).
- Someone who left and joined again is listed once per stay; people who only ever sat in the
  waiting room are listed with `status` "in_waiting_room". `page_size` is at most 300 (default
  30), with `next_page_token`.
"""

from urllib.parse import unquote

from . import pagination
from .activity_events import is_internal, shown_email
from .meetings import format_time
from .models import MeetingInstance, Participant


class PastMeetingError(Exception):
    def __init__(self, status: int, code: int, message: str, errors=None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors


def find_instance(meeting_id: str) -> MeetingInstance | None:
    """The ended instance `meeting_id` names: a numeric ID's latest, or the UUID's own."""
    if meeting_id.isdigit():
        return (
            MeetingInstance.objects.filter(meeting_id=int(meeting_id), ended_at__isnull=False)
            .select_related("host__account")
            .order_by("-ended_at", "-id")
            .first()
        )
    if meeting_id.startswith("/") or "//" in meeting_id:
        return None  # sent single-encoded: Zoom asks for these to be double-encoded
    uuid = unquote(meeting_id) if "%" in meeting_id else meeting_id
    return (
        MeetingInstance.objects.filter(uuid=uuid, ended_at__isnull=False)
        .select_related("host__account")
        .first()
    )


def not_ended() -> PastMeetingError:
    return PastMeetingError(404, 3001, "Meeting ID is invalid or not end.")


def participants_page(instance: MeetingInstance, page_size: str, page_token: str) -> dict:
    if not instance.host.account.is_paid:
        raise PastMeetingError(
            400, 200, f"Only available for paid account: {instance.host.account.account_id}"
        )
    try:
        size = int(page_size)
        if not 1 <= size <= 300:
            raise ValueError
    except ValueError as exc:
        raise PastMeetingError(
            400, 300, "Validation Failed.", [{"field": "page_size", "message": "Invalid field."}]
        ) from exc
    list_key = f"participants:{instance.pk}"
    try:
        offset = pagination.offset_of(list_key, page_token)
    except pagination.PageTokenError as exc:
        raise PastMeetingError(400, 300, str(exc)) from exc
    stays = list(
        instance.participants.exclude(reached=Participant.WAITING_FOR_HOST)
        .select_related("zoom_user")
        .order_by("arrived_at", "id")
    )
    if len({stay.participant_uuid for stay in stays}) <= 1:
        stays = []
    page = stays[offset : offset + size]
    next_offset = offset + size
    return {
        "page_count": (len(stays) + size - 1) // size,
        "page_size": size,
        "total_records": len(stays),
        "next_page_token": pagination.issue(list_key, next_offset)
        if next_offset < len(stays)
        else "",
        "participants": [_as_record(stay, instance) for stay in page],
    }


def _as_record(stay: Participant, instance: MeetingInstance) -> dict:
    host_account = instance.host.account_id
    joined = stay.joined_at or stay.arrived_at
    left = stay.left_at or instance.ended_at
    return {
        "id": stay.zoom_user.user_id if stay.zoom_user else "",
        "name": stay.name,
        "user_id": stay.participant_id,
        "user_email": shown_email(stay, host_account),
        "join_time": format_time(joined),
        "leave_time": format_time(left),
        "duration": max(0, int((left - joined).total_seconds())),
        "failover": False,
        "status": "in_meeting" if stay.reached == Participant.IN_MEETING else "in_waiting_room",
        "internal_user": is_internal(stay, host_account),
    }
