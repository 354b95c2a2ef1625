"""Meetings that happen in the sandbox: starting, joining as host and guest, waiting for the host
or in the waiting room, leaving and ending, and the events Zoom sends about each, in the shapes
of Zoom's SDK (`meetings.d.ts`), late or lost as the knobs say."""

import json

import pytest

from scripts.sandbox import SandboxError


@pytest.fixture
def host_token(zoom, webhook_receiver):
    # These tests watch the events of a meeting that happens, not the echoes of API changes
    # (meeting.created…), which Zoom sends too and test_webhooks.py covers.
    zoom.sandbox.set_knobs(webhooks_for_api_changes=False)
    return zoom.connect("host@corp.example", account_name="Corp")["access_token"]


@pytest.fixture
def meeting(zoom, host_token):
    return zoom.create_meeting(host_token).json()


def _events(receiver) -> list[str]:
    return [r["event"] for r in map(_body, receiver.requests)]


def _body(request) -> dict:
    return json.loads(request["body"])


def _participant(receiver, event) -> dict:
    [found] = receiver.events(event)
    return found["payload"]["object"]["participant"]


def test_the_host_starting_sends_started_then_the_hosts_join(zoom, meeting, webhook_receiver):
    host = zoom.sandbox.user("host@corp.example")
    zoom.sandbox.start_meeting(meeting["id"])
    assert _events(webhook_receiver) == ["meeting.started", "meeting.participant_joined"]
    [started] = webhook_receiver.events("meeting.started")
    obj = started["payload"]["object"]
    # Zoom's SDK types the id of meeting.started as a string, unlike the REST API's int64.
    assert obj["id"] == str(meeting["id"])
    assert obj["uuid"] == meeting["uuid"]
    assert obj["host_id"] == host["id"]
    assert obj["start_time"].endswith("Z")
    assert started["payload"]["account_id"] == host["account_id"]
    joined = _participant(webhook_receiver, "meeting.participant_joined")
    assert joined["id"] == host["id"]
    assert joined["email"] == "host@corp.example"
    assert joined["join_time"].endswith("Z")
    assert joined["user_id"].isdigit()


def test_a_guest_before_the_host_waits_until_the_host_starts(
    zoom, meeting, host_token, webhook_receiver
):
    waiting = zoom.sandbox.join_meeting(meeting["id"], "Pat Prospect")
    assert waiting["participant"]["state"] == "jbh"
    [event] = webhook_receiver.events("meeting.participant_jbh_waiting")
    # Zoom's type names only who waits: no email, no join time.
    assert event["payload"]["object"]["participant"] == {"user_name": "Pat Prospect"}
    assert zoom.api("GET", f"/meetings/{meeting['id']}", host_token).json()["status"] == "waiting"

    zoom.sandbox.start_meeting(meeting["id"])
    assert _events(webhook_receiver)[1:] == [
        "meeting.started",
        "meeting.participant_joined",
        "meeting.participant_jbh_waiting_left",
        "meeting.participant_joined",
    ]
    [left_waiting] = webhook_receiver.events("meeting.participant_jbh_waiting_left")
    assert left_waiting["payload"]["object"]["id"] == meeting["id"]  # a number in this one
    guest = webhook_receiver.events("meeting.participant_joined")[1]["payload"]["object"]
    assert guest["participant"]["user_name"] == "Pat Prospect"
    # Not signed in to Zoom: no Zoom user id, no email.
    assert guest["participant"]["id"] == ""
    assert guest["participant"]["email"] == ""


def test_join_before_host_lets_the_guest_start_the_meeting(
    zoom, meeting, host_token, webhook_receiver
):
    zoom.api(
        "PATCH",
        f"/meetings/{meeting['id']}",
        host_token,
        json={"settings": {"join_before_host": True}},
    )
    zoom.sandbox.join_meeting(meeting["id"], "Pat Prospect")
    assert _events(webhook_receiver) == ["meeting.started", "meeting.participant_joined"]
    assert _participant(webhook_receiver, "meeting.participant_joined")["user_name"] == (
        "Pat Prospect"
    )


def test_the_waiting_room_holds_guests_until_the_host_admits_them(
    zoom, meeting, host_token, webhook_receiver
):
    zoom.api(
        "PATCH",
        f"/meetings/{meeting['id']}",
        host_token,
        json={"settings": {"waiting_room": True, "join_before_host": True}},
    )
    zoom.sandbox.join_meeting(meeting["id"], "Early Guest")
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], "Late Guest")
    assert len(webhook_receiver.events("meeting.participant_joined_waiting_room")) == 2
    assert [
        p["state"] for p in zoom.sandbox.meeting_participants(meeting["id"]) if not p["is_host"]
    ] == ["waiting_room", "waiting_room"]
    [room] = webhook_receiver.events("meeting.participant_joined_waiting_room")[:1]
    assert room["payload"]["object"]["participant"]["date_time"].endswith("Z")

    admitted = zoom.sandbox.admit(meeting["id"])
    assert admitted["participant"]["name"] == "Late Guest"
    assert _events(webhook_receiver)[-2:] == [
        "meeting.participant_admitted",
        "meeting.participant_joined",
    ]


def test_the_last_one_leaving_ends_the_meeting_and_the_next_instance_has_a_new_uuid(
    zoom, meeting, host_token, webhook_receiver
):
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], "Pat Prospect")
    zoom.sandbox.leave_meeting(meeting["id"], as_="host")
    assert "meeting.ended" not in _events(webhook_receiver)  # the guest is still there
    zoom.sandbox.leave_meeting(meeting["id"], as_="guest")
    assert _events(webhook_receiver)[-3:] == [
        "meeting.participant_left",
        "meeting.participant_left",
        "meeting.ended",
    ]
    left = webhook_receiver.events("meeting.participant_left")[-1]["payload"]["object"]
    assert left["participant"]["leave_reason"]
    assert left["participant"]["leave_time"].endswith("Z")
    [ended] = webhook_receiver.events("meeting.ended")
    assert ended["payload"]["object"]["uuid"] == meeting["uuid"]
    assert ended["payload"]["object"]["end_time"].endswith("Z")
    again = zoom.api("GET", f"/meetings/{meeting['id']}", host_token).json()
    assert again["status"] == "ended"
    assert again["uuid"] != meeting["uuid"]


def test_the_host_ending_it_makes_everyone_leave(zoom, meeting, webhook_receiver):
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], "Pat Prospect")
    result = zoom.sandbox.end_meeting(meeting["id"])
    assert {p["state"] for p in result["participants"]} == {"left"}
    assert _events(webhook_receiver)[-1] == "meeting.ended"
    assert len(webhook_receiver.events("meeting.participant_left")) == 2


def test_emails_of_people_outside_the_hosts_account_are_blank(zoom, meeting, webhook_receiver):
    zoom.sandbox.create_user("buyer@prospect.example", account_name="Prospect Inc")
    host = zoom.sandbox.user("host@corp.example")
    zoom.sandbox.create_user("colleague@corp.example", account_id=host["account_id"])
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], email="buyer@prospect.example")
    zoom.sandbox.join_meeting(meeting["id"], email="colleague@corp.example")
    _host, buyer, colleague = (
        e["payload"]["object"]["participant"]
        for e in webhook_receiver.events("meeting.participant_joined")
    )
    buyer_user = zoom.sandbox.user("buyer@prospect.example")
    assert buyer["email"] == ""
    assert buyer["id"] == buyer_user["id"]  # signed in: Zoom still names the user
    assert colleague["email"] == "colleague@corp.example"


def test_the_jbh_waiting_event_needs_a_paid_plan_and_the_zoom_app(zoom, meeting, webhook_receiver):
    zoom.sandbox.join_meeting(meeting["id"], "From a browser", client="web")
    assert webhook_receiver.events("meeting.participant_jbh_waiting") == []
    zoom.sandbox.set_account_plan(zoom.sandbox.user("host@corp.example")["account_id"], "free")
    zoom.sandbox.join_meeting(meeting["id"], "On a free plan")
    assert webhook_receiver.events("meeting.participant_jbh_waiting") == []
    states = {p["name"]: p["state"] for p in zoom.sandbox.meeting_participants(meeting["id"])}
    assert states == {"From a browser": "jbh", "On a free plan": "jbh"}


def test_events_go_only_to_apps_subscribed_to_them(zoom, webhook_receiver, settings):
    zoom.register_app(
        webhook_url=webhook_receiver.url,
        webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
        events=["meeting.ended"],
    )
    token = zoom.connect("host@corp.example")["access_token"]
    meeting = zoom.create_meeting(token).json()
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.end_meeting(meeting["id"])
    assert _events(webhook_receiver) == ["meeting.ended"]


def test_late_events_are_held_until_sent_in_either_order(zoom, meeting, webhook_receiver):
    zoom.sandbox.set_knobs(activity_event_delay_seconds=3600)
    result = zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.end_meeting(meeting["id"])
    assert webhook_receiver.requests == []
    assert all(d["held_until"] and d["status"] is None for d in result["deliveries"])
    assert zoom.sandbox.send_held_events(order="reverse") == 4
    assert _events(webhook_receiver) == [
        "meeting.ended",
        "meeting.participant_left",
        "meeting.participant_joined",
        "meeting.started",
    ]
    # event_ts is when it happened, not when it was sent: an app can order them again.
    stamps = [_body(r)["event_ts"] for r in webhook_receiver.requests]
    assert stamps == sorted(stamps, reverse=True)


def test_lost_events_are_never_sent(zoom, meeting, webhook_receiver):
    zoom.sandbox.set_knobs(activity_events_lost=["meeting.ended", "meeting.participant_left"])
    zoom.sandbox.start_meeting(meeting["id"])
    result = zoom.sandbox.end_meeting(meeting["id"])
    assert _events(webhook_receiver) == ["meeting.started", "meeting.participant_joined"]
    assert [d["lost"] for d in result["deliveries"]] == [True, True]
    assert zoom.sandbox.send_held_events() == 0


def test_knobs_refuse_unknown_event_names(zoom):
    with pytest.raises(SandboxError, match="activity_events_lost"):
        zoom.sandbox.set_knobs(activity_events_lost=["meeting.created"])
    with pytest.raises(SandboxError, match="activity_event_delay_seconds"):
        zoom.sandbox.set_knobs(activity_event_delay_seconds=-1)


def test_steps_that_cannot_happen_are_refused_clearly(zoom, meeting):
    with pytest.raises(SandboxError, match="has not started"):
        zoom.sandbox.end_meeting(meeting["id"])
    with pytest.raises(SandboxError, match="No guest"):
        zoom.sandbox.leave_meeting(meeting["id"], as_="guest")
    zoom.sandbox.start_meeting(meeting["id"])
    with pytest.raises(SandboxError, match="already in the meeting"):
        zoom.sandbox.start_meeting(meeting["id"])
    with pytest.raises(SandboxError, match="not in the waiting room"):
        zoom.sandbox.admit(meeting["id"], as_="host")
    with pytest.raises(SandboxError, match="404"):
        zoom.sandbox.start_meeting(12345678901)
