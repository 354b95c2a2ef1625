"""Meetings as Zoom's Meeting API keeps them: strict request validation (code 300 with `errors`),
and the response shape (int64 ids, join_url with the embedded passcode, start_url, numeric
passcodes for H.323 and phone, dial-in numbers). https://developers.zoom.us/docs/api/meetings/"""

import re
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import identifiers, pagination, users
from .models import Meeting, ZoomUser
from .passcodes import generated_passcode, passcode_requirement, passcode_rule_broken
from .timezones import clock, is_zoom_time_zone

MEETING_TYPES = (1, 2, 3, 8)
PASSWORD_RE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")
# Zoom's OpenAPI spec gives `duration` no bounds; its scheduler offers at most 24 hours, so the
# sandbox refuses anything outside 1–1440 minutes (the stricter choice).
DURATION_RANGE = (1, 1440)
LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")

_BOOL_SETTINGS = (
    "host_video",
    "participant_video",
    "cn_meeting",
    "in_meeting",
    "join_before_host",
    "mute_upon_entry",
    "watermark",
    "use_pmi",
    "enforce_login",
    "close_registration",
    "show_share_button",
    "allow_multiple_devices",
    "registrants_confirmation_email",
    "waiting_room",
    "registrants_email_notification",
    "meeting_authentication",
    "alternative_hosts_email_notification",
    "focus_mode",
    "private_meeting",
    "email_notification",
    "host_save_video_order",
    "request_permission_to_unmute_participants",
    "push_change_to_calendar",
)
_ENUM_SETTINGS = {
    "auto_recording": ("local", "cloud", "none"),
    "audio": ("both", "telephony", "voip", "thirdParty"),
    "encryption_type": ("enhanced_encryption", "e2ee"),
    "approval_type": (0, 1, 2),
    "registration_type": (1, 2, 3),
    "jbh_time": (0, 5, 10, 15),
}
_STRING_SETTINGS = ("alternative_hosts", "contact_name", "contact_email", "enforce_login_domains")

# Zoom's public US dial-in numbers, as a licensed account lists them.
DIAL_IN_NUMBERS = (
    ("US", "US", "New York", "+1 646 558 8656", "toll"),
    ("US", "US", "Washington DC", "+1 301 715 8592", "toll"),
    ("US", "US", "Chicago", "+1 312 626 6799", "toll"),
    ("US", "US", "San Jose", "+1 669 900 9128", "toll"),
    ("US", "US", "Houston", "+1 346 248 7799", "toll"),
)


class MeetingValidationError(Exception):
    def __init__(self, errors: list[dict], message: str = "Validation Failed."):
        super().__init__(message)
        self.errors, self.message = errors, message


class MeetingNotFound(Exception):
    def __init__(self, meeting_id):
        super().__init__(f"Meeting {meeting_id} is not found or has expired.")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_start_time(value: str, tz_name: str) -> datetime | None:
    for fmt, is_utc in (("%Y-%m-%dT%H:%M:%SZ", True), ("%Y-%m-%dT%H:%M:%S", False)):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        # "…Z" is UTC; without Z the time is local to `timezone` (or the host's time zone).
        return parsed.replace(tzinfo=UTC if is_utc else clock(tz_name))
    return None


def validate(body, host: ZoomUser, *, partial: bool) -> dict:
    """The cleaned fields of a create (partial=False) or update body. Unknown fields are ignored,
    as Zoom does; known fields of the wrong type or size fail with code 300."""
    if not isinstance(body, dict):
        raise MeetingValidationError([], "Request Body should be a valid JSON object.")
    errors: list[dict] = []
    cleaned: dict = {}

    def bad(field, message="Invalid field."):
        errors.append({"field": field, "message": message})

    def text(field, max_length):
        if not isinstance(body[field], str) or len(body[field]) > max_length:
            bad(field, f"{field.capitalize()} must be a string of at most {max_length} characters.")
        else:
            cleaned[field] = body[field]

    if "topic" in body:
        text("topic", 200)
    if "type" in body:
        if not _is_int(body["type"]) or body["type"] not in MEETING_TYPES:
            bad("type")
        else:
            cleaned["type"] = body["type"]
    tz_name = host.timezone
    if "timezone" in body:
        # Only an id on Zoom's time zone list (timezones.py). What Zoom answers for another one
        # is not documented: the sandbox refuses it like any invalid field (code 300), the
        # stricter choice over silently using the host's zone.
        if is_zoom_time_zone(body["timezone"]):
            tz_name = cleaned["timezone"] = body["timezone"]
        else:
            bad("timezone", "Invalid field. Use a time zone ID from Zoom's time zone list.")
    if "start_time" in body:
        value = body["start_time"]
        parsed = _parse_start_time(value, tz_name) if isinstance(value, str) else None
        if parsed is None:
            bad("start_time", "Invalid field. Use yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-ddTHH:mm:ss.")
        else:
            cleaned["start_time"] = parsed.astimezone(UTC)
    if "duration" in body:
        low, high = DURATION_RANGE
        if not _is_int(body["duration"]) or not low <= body["duration"] <= high:
            bad("duration", f"Duration must be a whole number of minutes from {low} to {high}.")
        else:
            cleaned["duration"] = body["duration"]
    if "agenda" in body:
        text("agenda", 2000)
    if "password" in body:
        value = body["password"]
        if not isinstance(value, str) or not PASSWORD_RE.match(value):
            bad("password", "Passcode may only contain [A-Za-z0-9@-_*] and at most 10 characters.")
        else:
            broken = passcode_rule_broken(value, passcode_requirement(host))
            if broken:
                bad("password", f"Passcode does not meet the account's requirements: {broken}")
            else:
                cleaned["password"] = value
    if "default_password" in body:
        if not isinstance(body["default_password"], bool):
            bad("default_password")
        else:
            cleaned["default_password"] = body["default_password"]
    if "settings" in body:
        cleaned["settings"] = _validate_settings(body["settings"], bad)
    if errors:
        raise MeetingValidationError(errors)
    if not partial and cleaned.get("type", 2) in (2, 8) and "start_time" not in cleaned:
        raise MeetingValidationError(
            [{"field": "start_time", "message": "start_time is required for scheduled meetings."}]
        )
    return cleaned


def _validate_settings(value, bad) -> dict:
    if not isinstance(value, dict):
        bad("settings")
        return {}
    cleaned = {}
    for key, item in value.items():
        field = f"settings.{key}"
        if key in _BOOL_SETTINGS:
            if isinstance(item, bool):
                cleaned[key] = item
            else:
                bad(field)
        elif key in _ENUM_SETTINGS:
            allowed = _ENUM_SETTINGS[key]
            if item in allowed and type(item) is type(allowed[0]):
                cleaned[key] = item
            else:
                bad(field)
        elif key in _STRING_SETTINGS:
            if isinstance(item, str):
                cleaned[key] = item
            else:
                bad(field)
    return cleaned


def _default_settings(host: ZoomUser) -> dict:
    schedule = users.user_settings(host)
    return {
        "host_video": schedule["schedule_meeting"]["host_video"],
        "participant_video": schedule["schedule_meeting"]["participants_video"],
        "cn_meeting": False,
        "in_meeting": False,
        "join_before_host": schedule["schedule_meeting"]["join_before_host"],
        "jbh_time": 0,
        "mute_upon_entry": schedule["schedule_meeting"]["mute_upon_entry"],
        "watermark": False,
        "use_pmi": False,
        "approval_type": 2,
        "audio": schedule["schedule_meeting"]["audio_type"],
        "auto_recording": schedule["recording"]["auto_recording"],
        "enforce_login": False,
        "enforce_login_domains": "",
        "alternative_hosts": "",
        "close_registration": False,
        "show_share_button": False,
        "allow_multiple_devices": False,
        "registrants_confirmation_email": True,
        "waiting_room": schedule["in_meeting"]["waiting_room"],
        "request_permission_to_unmute_participants": False,
        "registrants_email_notification": True,
        "meeting_authentication": False,
        "encryption_type": "enhanced_encryption",
        "alternative_hosts_email_notification": True,
        "focus_mode": False,
        "private_meeting": False,
        "email_notification": True,
        "host_save_video_order": False,
    }


def _apply(meeting: Meeting, cleaned: dict) -> None:
    for field in ("topic", "type", "start_time", "duration", "timezone", "agenda"):
        if field in cleaned:
            setattr(meeting, field, cleaned[field])
    if cleaned.get("password"):
        meeting.password = cleaned["password"]
    elif cleaned.get("default_password") and not meeting.password:
        meeting.password = generated_passcode(meeting.host)
    if "password" in cleaned or "default_password" in cleaned:
        meeting.encrypted_password = identifiers.encrypted_password() if meeting.password else ""
    meeting.settings = {**meeting.settings, **cleaned.get("settings", {})}
    host_settings = users.user_settings(meeting.host)
    if not meeting.password and host_settings["meeting_security"]["auto_security"]:
        # Accounts that require a security option force a waiting room on meetings without one.
        meeting.settings["waiting_room"] = True


def create(host: ZoomUser, cleaned: dict) -> Meeting:
    meeting = Meeting(
        id=identifiers.meeting_id(),
        uuid=identifiers.meeting_uuid(),
        host=host,
        timezone=host.timezone,
        settings=_default_settings(host),
    )
    _apply(meeting, cleaned)
    if meeting.type == 1 and meeting.start_time is None:
        meeting.start_time = timezone.now()
    meeting.save()
    return meeting


def update(meeting: Meeting, cleaned: dict) -> dict:
    """Applies an update and returns the previous values of the fields it changed."""
    with transaction.atomic():
        before = as_fields(meeting)
        _apply(meeting, cleaned)
        meeting.updated_at = timezone.now()
        meeting.save()
    after = as_fields(meeting)
    return {key: before[key] for key in after if after[key] != before[key]}


def as_fields(meeting: Meeting) -> dict:
    return {
        "topic": meeting.topic,
        "type": meeting.type,
        "start_time": format_time(meeting.start_time),
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "agenda": meeting.agenda,
        "password": meeting.password,
        "settings": dict(meeting.settings),
    }


def get(meeting_id) -> Meeting:
    try:
        key = int(str(meeting_id))
    except ValueError as exc:
        raise MeetingNotFound(meeting_id) from exc
    meeting = Meeting.objects.select_related("host__account").filter(pk=key).first()
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    return meeting


def format_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def join_url(meeting: Meeting, root: str) -> str:
    url = f"{root}/j/{meeting.id}"
    return f"{url}?pwd={meeting.encrypted_password}.1" if meeting.password else url


def start_url(meeting: Meeting, root: str) -> str:
    # The host key (zak) is host-only and short-lived (2 hours): a fresh one on every read.
    zak = identifiers.jwt_token("zak", {"uid": meeting.host.user_id, "mid": meeting.id}, 7200)
    return f"{root}/s/{meeting.id}?zak={zak}"


def as_response(meeting: Meeting, root: str) -> dict:
    settings = {
        **meeting.settings,
        "global_dial_in_countries": ["US"],
        "global_dial_in_numbers": [
            {"country": c, "country_name": n, "city": city, "number": number, "type": kind}
            for c, n, city, number, kind in DIAL_IN_NUMBERS
        ],
    }
    body = {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host.user_id,
        "host_email": meeting.host.email,
        "assistant_id": "",
        "topic": meeting.topic,
        "type": meeting.type,
        "status": meeting.status,
        "start_time": format_time(meeting.start_time),
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "agenda": meeting.agenda,
        "created_at": format_time(meeting.created_at),
        "start_url": start_url(meeting, root),
        "join_url": join_url(meeting, root),
        "password": meeting.password,
        # Phone and H.323 participants can only key digits: Zoom gives them a numeric passcode.
        "h323_password": identifiers.numeric_passcode(meeting.password),
        "pstn_password": identifiers.numeric_passcode(meeting.password),
        "encrypted_password": meeting.encrypted_password,
        "settings": settings,
        "pre_schedule": False,
    }
    if not meeting.agenda:
        del body["agenda"]
    return body


LIST_AGENDA_LIMIT = 250


def summary(meeting: Meeting) -> dict:
    """The fields Zoom names a meeting by in lists and in `meeting.deleted` events."""
    return {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host.user_id,
        "topic": meeting.topic,
        "type": meeting.type,
        "start_time": format_time(meeting.start_time),
        "duration": meeting.duration,
        "timezone": meeting.timezone,
    }


def as_list_item(meeting: Meeting, root: str) -> dict:
    item = {
        **summary(meeting),
        "created_at": format_time(meeting.created_at),
        "join_url": join_url(meeting, root),
        "pmi": str(meeting.host.pmi) if meeting.settings.get("use_pmi") else None,
    }
    if meeting.agenda:
        # Lists cut the agenda: "agenda: … The list of meetings returns only 250 characters"
        # (Zoom's OpenAPI spec, `meetings`); the whole agenda is in GET /meetings/{id}.
        item["agenda"] = meeting.agenda[:LIST_AGENDA_LIMIT]
    if item["pmi"] is None:
        del item["pmi"]
    return item


def list_page(host: ZoomUser, list_type: str, page_size: int, page_token: str, root: str) -> dict:
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(host=host).select_related("host").order_by("start_time", "id")
    )
    if list_type in ("upcoming", "upcoming_meetings"):
        meetings = [
            m
            for m in meetings
            if m.start_time is None or m.start_time + timedelta(minutes=m.duration) > now
        ]
    elif list_type == "previous_meetings":
        meetings = [m for m in meetings if m.start_time and m.start_time < now]
    elif list_type == "live":
        meetings = [
            m
            for m in meetings
            if m.start_time and m.start_time <= now < m.start_time + timedelta(minutes=m.duration)
        ]
    else:
        meetings = [m for m in meetings if m.type in (2, 3, 8)]
    list_key = f"meetings:{host.pk}:{list_type}"
    offset = pagination.offset_of(list_key, page_token)
    page = meetings[offset : offset + page_size]
    next_offset = offset + page_size
    return {
        "page_size": page_size,
        "total_records": len(meetings),
        "next_page_token": pagination.issue(list_key, next_offset)
        if next_offset < len(meetings)
        else "",
        "meetings": [as_list_item(m, root) for m in page],
    }


def as_sandbox_dict(meeting: Meeting, root: str) -> dict:
    """What the control API shows tests: the API response plus the host's email."""
    return {
        **as_response(meeting, root),
        "host_email": meeting.host.email,
        "agenda": meeting.agenda,
        "updated_at": format_time(meeting.updated_at),
    }
