"""Zoom's meeting events as evidence (outcomes/zoom/activity.py) and Zoom's participant list
(outcomes/zoom/check.py), without a database: late, repeated and shuffled events give the same
outcome; the host is told from the others by Zoom user id; no name or email is kept."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from integrations.zoom.connection.hosts import ZoomHost
from outcomes.models import MeetingOutcome
from outcomes.rules import Outcome, decide
from outcomes.zoom.activity import _apply, participant_key
from outcomes.zoom.check import _summarize, missing_scope

HOST = "host-zoom-user-id"
T0 = datetime(2030, 4, 2, 14, tzinfo=UTC)


def _at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _event(name: str, minutes: int, **participant) -> tuple[str, dict]:
    obj = {"id": "81234567890", "uuid": "abc==", "host_id": HOST, "start_time": _at(0)}
    time_field = {
        "meeting.participant_joined": "join_time",
        "meeting.participant_left": "leave_time",
        "meeting.participant_joined_waiting_room": "date_time",
    }.get(name)
    if participant:
        if time_field:
            participant[time_field] = _at(minutes)
        obj["participant"] = participant
    if name == "meeting.ended":
        obj["end_time"] = _at(minutes)
    return name, obj


GUEST = {"user_id": "16778240", "user_name": "Pat Prospect", "id": "", "email": ""}
HOST_PERSON = {"user_id": "16778241", "user_name": "Rep", "id": HOST, "email": "rep@corp"}
HELD = [
    _event("meeting.participant_jbh_waiting", 0, user_name="Pat Prospect"),
    _event("meeting.started", 2),
    _event("meeting.participant_joined", 2, **HOST_PERSON),
    _event("meeting.participant_jbh_waiting_left", 2, user_name="Pat Prospect"),
    _event("meeting.participant_joined", 3, **GUEST),
    _event("meeting.participant_left", 30, **GUEST),
    _event("meeting.participant_left", 31, **HOST_PERSON),
    _event("meeting.ended", 31),
]


def _evidence(events, occurred_at=T0):
    record = MeetingOutcome()
    for name, obj in events:
        _apply(record, name, obj, occurred_at)
    return record


@pytest.mark.parametrize(
    "order", list(itertools.islice(itertools.permutations(HELD), 0, None, 997))
)
def test_any_order_of_the_events_gives_the_same_evidence_and_outcome(order):
    record = _evidence(order)
    assert decide(record.evidence(guest_may_start=False)) == Outcome.HELD
    assert record.host_joined_at == T0 + timedelta(minutes=2)
    assert record.guest_joined_at == T0 + timedelta(minutes=3)
    assert record.meeting_ended_at == T0 + timedelta(minutes=31)
    assert record.others_joined == 1


def test_a_repeated_event_changes_nothing():
    once, twice = _evidence(HELD), _evidence(HELD + HELD)
    assert (once.others_joined, once.joined_keys) == (twice.others_joined, twice.joined_keys)


def test_no_name_or_email_is_kept():
    record = _evidence(HELD)
    kept = " ".join(str(v) for v in vars(record).values())
    assert "Pat Prospect" not in kept and "rep@corp" not in kept and "16778240" not in kept


def test_a_guest_waiting_without_the_host_starts_the_alerts_clock_and_the_host_stops_it():
    record = _evidence([_event("meeting.participant_jbh_waiting", 0, user_name="Pat")])
    assert record.host_absent_for(T0 + timedelta(minutes=3)) == timedelta(minutes=3)
    _apply(record, *_event("meeting.participant_joined", 4, **HOST_PERSON), T0)
    assert record.host_absent_for(T0 + timedelta(minutes=5)) is None
    assert record.guest_waited_at == T0  # the evidence stays


def test_a_guest_who_gives_up_waiting_stops_the_clock_but_still_waited():
    record = _evidence(
        [
            _event("meeting.participant_jbh_waiting", 0, user_name="Pat"),
            _event("meeting.participant_jbh_waiting_left", 2, user_name="Pat"),
        ]
    )
    assert record.host_absent_for(T0 + timedelta(minutes=5)) is None
    assert decide(record.evidence(guest_may_start=False)) == Outcome.HOST_NO_SHOW


def _host(**fields) -> ZoomHost:
    return ZoomHost(
        chain=None,
        user="me",
        zoom_user_id=HOST,
        zoom_email="rep@corp.example",
        zoom_timezone="UTC",
        **fields,
    )


def test_zooms_list_tells_the_host_by_id_or_email_and_counts_each_other_person_once():
    records = [
        {"id": HOST, "user_email": "rep@corp.example", "join_time": _at(1), "leave_time": _at(30)},
        {"id": "", "user_id": "1", "name": "Pat", "join_time": _at(3), "leave_time": _at(10)},
        {"id": "", "user_id": "1", "name": "Pat", "join_time": _at(12), "leave_time": _at(29)},
        {"id": "", "user_email": "REP@corp.example", "join_time": _at(20)},
        {"id": "z", "user_id": "2", "status": "in_waiting_room", "join_time": _at(5)},
    ]
    listed = _summarize(records, _host(), "81234567890")
    assert listed.host_joined_at == T0 + timedelta(minutes=1)
    assert [joined for _key, joined in listed.others] == [T0 + timedelta(minutes=3)]
    assert listed.others[0][0] == participant_key("81234567890", {"user_id": "1"})
    assert listed.waited is True
    assert listed.ended_at == T0 + timedelta(minutes=30)


class _Chain:
    def __init__(self, scopes):
        self.granted_scopes = frozenset(scopes.split())


@pytest.mark.parametrize(
    ("granted", "company", "missing"),
    [
        ("meeting:write:meeting meeting:read:list_past_participants", False, ""),
        ("meeting:write meeting:read", False, ""),
        (
            "meeting:write:meeting meeting:read:meeting",
            False,
            "meeting:read:list_past_participants",
        ),
        ("user:read meeting:write", False, "meeting:read"),
        ("meeting:write:meeting:admin", True, "meeting:read:list_past_participants:admin"),
        ("meeting:write:admin", True, "meeting:read:admin"),
        ("meeting:read:list_past_participants:admin", True, ""),
    ],
)
def test_the_scope_to_add_is_named_in_the_grants_family(granted, company, missing):
    host = ZoomHost(
        chain=_Chain(granted),
        user="me",
        zoom_user_id=HOST,
        zoom_email="",
        zoom_timezone="UTC",
        member=object() if company else None,
    )
    assert missing_scope(host) == missing
