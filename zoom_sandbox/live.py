"""Meetings that happen: the host starts one, people join, wait for the host or in the waiting
room, are admitted, leave, and the meeting ends. Each step records who was there (for
`GET /past_meetings/{meetingId}/participants`) and returns the events Zoom sends about it, which
the caller sends once the step is committed (activity_events.py).

Zoom's rules modelled here, with their sources:
- A participant who arrives before the host waits for the host unless the meeting allows joining
  before the host (`settings.join_before_host`, within `jbh_time` minutes of the start; 0 =
  any time); Zoom then sends `meeting.participant_jbh_waiting`. "If this option is disabled,
  participants will be prompted to wait for the host to arrive in order for the meeting to
  start." (Zoom's webhook reference, "Participant Waiting for Host").
- With the waiting room on, people who arrived before the host see "Please wait for the host to
  start this meeting" and go to the waiting room when the host starts it; the host admits them.
  Zoom documents no way round the waiting room by joining before the host, so the waiting room
  wins over `join_before_host` (the stricter choice).
- The meeting ends when the host ends it, or when the last person in it leaves.
- Each instance has its own UUID; the next instance of the meeting gets a new one
  (models.MeetingInstance).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import identifiers, users
from .models import Meeting, MeetingInstance, Participant, ZoomUser

HOST_ENDED = "the host ended the meeting"
LEFT = "left the meeting"
CLIENTS = ("app", "web")


class LiveError(ValueError):
    """A step that cannot happen now (a guest leaving twice, ending a meeting never started)."""


@dataclass(frozen=True)
class Happened:
    """One event Zoom sends: its name, the participant it is about (None: the meeting itself),
    and when it happened."""

    event: str
    instance: MeetingInstance
    participant: Participant | None
    at: object
    leave_reason: str = ""


def current_instance(meeting: Meeting) -> MeetingInstance:
    """The instance the meeting's UUID names: not started yet, or running."""
    instance, created = MeetingInstance.objects.get_or_create(
        uuid=meeting.uuid,
        defaults={"meeting_id": meeting.id, "host": meeting.host, "timezone": meeting.timezone},
    )
    if instance.started_at is None:
        # Until it starts, the instance is what the meeting is scheduled as.
        instance.topic, instance.type = meeting.topic, meeting.type
        instance.scheduled_start, instance.duration = meeting.start_time, meeting.duration
        instance.timezone = meeting.timezone
        instance.save()
    return instance


def start(meeting: Meeting) -> tuple[Participant, list[Happened]]:
    """The host starts the meeting (or joins it again while it runs)."""
    return join(meeting, as_host=True)


def join(
    meeting: Meeting, *, as_host: bool, name: str = "", email: str = "", client: str = "app"
) -> tuple[Participant, list[Happened]]:
    """Someone opens the join link (a guest) or the start link (the host). A guest's `email` is
    the Zoom user they are signed in as (empty: not signed in; Zoom then knows no email)."""
    if client not in CLIENTS:
        raise LiveError("client must be 'app' or 'web'.")
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update().select_related("host__account").get(pk=meeting.pk)
        )
        instance = current_instance(meeting)
        now = timezone.now()
        if as_host:
            return _host_joins(meeting, instance, now, client)
        signed_in = _signed_in_user(email)
        person = _arrive(
            instance,
            name=(name or (signed_in.display_name if signed_in else "")).strip(),
            zoom_user=signed_in,
            client=client,
            now=now,
        )
        happened: list[Happened] = []
        if instance.is_live:
            happened += _let_in(meeting, instance, person, now)
        elif _may_join_before_host(meeting, now):
            happened += _begin(meeting, instance, now)
            happened += _enter(instance, person, now)
        else:
            person.state = Participant.WAITING_FOR_HOST
            person.save()
            if instance.host.account.is_paid and client == "app":
                # "Prerequisites: Participant must join the meeting from the Zoom Client App …
                # Pro or a higher plan." (Zoom's webhook reference, Participant Waiting for Host)
                happened.append(Happened("meeting.participant_jbh_waiting", instance, person, now))
        return person, happened


def admit(meeting: Meeting, participant_id: str) -> tuple[Participant, list[Happened]]:
    """The host admits someone from the waiting room."""
    with transaction.atomic():
        instance = current_instance(_locked(meeting))
        person = _present(instance, participant_id)
        if person.state != Participant.WAITING_ROOM:
            raise LiveError(f"{person.name} is not in the waiting room.")
        now = timezone.now()
        happened = [Happened("meeting.participant_admitted", instance, person, now)]
        return person, happened + _enter(instance, person, now)


def leave(meeting: Meeting, participant_id: str) -> tuple[Participant, list[Happened]]:
    """Someone leaves (or stops waiting). The last person in the meeting leaving ends it."""
    with transaction.atomic():
        meeting = _locked(meeting)
        instance = current_instance(meeting)
        person = _present(instance, participant_id)
        now = timezone.now()
        happened = _depart(instance, person, now, LEFT)
        if instance.is_live and not instance.participants.filter(state=Participant.IN_MEETING):
            happened += _finish(meeting, instance, now, LEFT)
        return person, happened


def end(meeting: Meeting) -> tuple[MeetingInstance, list[Happened]]:
    """The host ends the meeting for everyone."""
    with transaction.atomic():
        meeting = _locked(meeting)
        instance = current_instance(meeting)
        if not instance.is_live:
            raise LiveError("The meeting has not started.")
        return instance, _finish(meeting, instance, timezone.now(), HOST_ENDED)


def find_participant(meeting: Meeting, *, participant_id: str = "", role: str = "") -> str:
    """The per-meeting id of someone still present: by id, or the latest host/guest present."""
    if participant_id:
        return participant_id
    if role not in ("host", "guest"):
        raise LiveError("Name the participant_id, or as='host' or as='guest'.")
    present = (
        current_instance(meeting)
        .participants.exclude(state=Participant.LEFT)
        .filter(is_host=role == "host")
        .order_by("-arrived_at", "-id")
        .first()
    )
    if present is None:
        raise LiveError(f"No {role} is in or waiting for meeting {meeting.id}.")
    return present.participant_id


# Steps ------------------------------------------------------------------------------------------


def _host_joins(meeting, instance, now, client) -> tuple[Participant, list[Happened]]:
    if instance.participants.filter(is_host=True, state=Participant.IN_MEETING).exists():
        raise LiveError("The host is already in the meeting.")
    host = _arrive(
        instance,
        name=meeting.host.display_name,
        zoom_user=meeting.host,
        client=client,
        now=now,
        is_host=True,
    )
    happened: list[Happened] = []
    if not instance.is_live:
        happened += _begin(meeting, instance, now)
    happened += _enter(instance, host, now)
    for waiting in instance.participants.filter(state=Participant.WAITING_FOR_HOST).order_by("id"):
        happened.append(Happened("meeting.participant_jbh_waiting_left", instance, waiting, now))
        happened += _let_in(meeting, instance, waiting, now)
    return host, happened


def _begin(meeting, instance, now) -> list[Happened]:
    instance.started_at = now
    instance.save(update_fields=["started_at"])
    meeting.status = "started"
    meeting.save(update_fields=["status"])
    return [Happened("meeting.started", instance, None, now)]


def _let_in(meeting, instance, person, now) -> list[Happened]:
    """A guest reaches a running meeting: the waiting room, or straight in."""
    if meeting.settings.get("waiting_room"):
        person.state = person.reached = Participant.WAITING_ROOM
        person.save(update_fields=["state", "reached"])
        return [Happened("meeting.participant_joined_waiting_room", instance, person, now)]
    return _enter(instance, person, now)


def _enter(instance, person, now) -> list[Happened]:
    person.state = person.reached = Participant.IN_MEETING
    person.joined_at = now
    person.save(update_fields=["state", "reached", "joined_at"])
    return [Happened("meeting.participant_joined", instance, person, now)]


def _depart(instance, person, now, reason) -> list[Happened]:
    event = {
        Participant.WAITING_FOR_HOST: "meeting.participant_jbh_waiting_left",
        Participant.WAITING_ROOM: "meeting.participant_left_waiting_room",
        Participant.IN_MEETING: "meeting.participant_left",
    }[person.state]
    person.state = Participant.LEFT
    person.left_at = now
    person.save(update_fields=["state", "left_at"])
    return [Happened(event, instance, person, now, leave_reason=reason)]


def _finish(meeting, instance, now, reason) -> list[Happened]:
    """Everyone still there leaves, the instance ends, and the meeting's next instance gets a new
    UUID."""
    happened: list[Happened] = []
    staying = instance.participants.exclude(state=Participant.LEFT).order_by("id")
    for person in staying:
        happened += _depart(instance, person, now, reason)
    instance.ended_at = now
    instance.save(update_fields=["ended_at"])
    meeting.status = "ended"
    meeting.uuid = identifiers.meeting_uuid()
    meeting.save(update_fields=["status", "uuid"])
    return [*happened, Happened("meeting.ended", instance, None, now)]


def _arrive(instance, *, name, zoom_user, client, now, is_host=False) -> Participant:
    if not name:
        raise LiveError("A guest who is not signed in to Zoom needs a name.")
    earlier = instance.participants.filter(
        zoom_user=zoom_user, **({} if zoom_user else {"name": name})
    ).first()
    return Participant.objects.create(
        instance=instance,
        participant_id=_new_participant_id(instance),
        participant_uuid=earlier.participant_uuid if earlier else identifiers.meeting_uuid(),
        zoom_user=zoom_user,
        name=name,
        is_host=is_host,
        client=client,
        state=Participant.WAITING_FOR_HOST,
        arrived_at=now,
    )


def _may_join_before_host(meeting: Meeting, now) -> bool:
    settings = meeting.settings
    if settings.get("waiting_room") or not settings.get("join_before_host"):
        return False
    minutes = settings.get("jbh_time") or 0
    if not minutes or meeting.start_time is None:
        return True
    return now >= meeting.start_time - timedelta(minutes=minutes)


def _signed_in_user(email: str) -> ZoomUser | None:
    if not email:
        return None
    user = users.find_user(email)
    if user is None:
        raise LiveError(
            f"No sandbox Zoom user {email}: leave email empty for a guest not signed in."
        )
    return user


def _new_participant_id(instance) -> str:
    # Zoom's per-meeting participant ids are 8-digit numbers ("16778240").
    taken = set(instance.participants.values_list("participant_id", flat=True))
    while True:
        candidate = str(16_000_000 + secrets.randbelow(9_000_000))
        if candidate not in taken:
            return candidate


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("host__account").get(pk=meeting.pk)


def _present(instance, participant_id) -> Participant:
    person = instance.participants.filter(participant_id=str(participant_id)).first()
    if person is None:
        raise LiveError(f"No participant {participant_id} in this meeting.")
    if person.state == Participant.LEFT:
        raise LiveError(f"{person.name} has left already.")
    return person
