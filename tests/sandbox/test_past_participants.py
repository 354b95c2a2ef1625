"""`GET /past_meetings/{meetingId}/participants`: who came to a past meeting, with Zoom's scopes,
plan rule, email blanking, the one-participant rule and UUID encoding."""

from urllib.parse import quote

import pytest

from .test_admin_managed_apps import AdminFlow

PAST_SCOPES_GRANULAR = (
    "meeting:write:meeting meeting:update:meeting meeting:read:list_past_participants"
)


@pytest.fixture
def host_token(zoom, webhook_receiver):
    zoom.sandbox.set_knobs(granted_scopes=PAST_SCOPES_GRANULAR)
    return zoom.connect("host@corp.example", account_name="Corp")["access_token"]


@pytest.fixture
def meeting(zoom, host_token):
    return zoom.create_meeting(host_token).json()


def _held(sandbox, meeting, *guests):
    sandbox.start_meeting(meeting["id"])
    for guest in guests:
        sandbox.join_meeting(meeting["id"], **guest)
    sandbox.end_meeting(meeting["id"])


def _in_path(uuid: str) -> str:
    """A meeting UUID as Zoom asks it in a path: encoded, and encoded twice when it begins with
    "/" or holds "//" (one UUID in 64 or so begins with "/"; the sandbox refuses it sent once)."""
    once = quote(uuid, safe="")
    return quote(once, safe="") if uuid.startswith("/") or "//" in uuid else once


def _participants(zoom, token, meeting_id, **params):
    return zoom.api("GET", f"/past_meetings/{meeting_id}/participants", token, params=params)


def test_lists_who_came_with_outside_emails_blank(zoom, meeting, host_token):
    zoom.sandbox.create_user("buyer@prospect.example", account_name="Prospect Inc")
    _held(zoom.sandbox, meeting, {"email": "buyer@prospect.example"}, {"name": "Anonymous"})
    answer = _participants(zoom, host_token, _in_path(meeting["uuid"]))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total_records"] == 3
    host, buyer, anonymous = body["participants"]
    assert host["user_email"] == "host@corp.example"
    assert host["internal_user"] is True
    assert host["status"] == "in_meeting"
    assert buyer["user_email"] == ""
    assert buyer["id"] == zoom.sandbox.user("buyer@prospect.example")["id"]
    assert buyer["internal_user"] is False
    assert anonymous == {
        **anonymous,
        "id": "",
        "name": "Anonymous",
        "user_email": "",
        "failover": False,
    }
    assert anonymous["join_time"].endswith("Z") and anonymous["leave_time"].endswith("Z")
    assert isinstance(anonymous["duration"], int)


def test_the_meeting_id_names_the_latest_instance(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "First"})
    _held(zoom.sandbox, meeting, {"name": "Second"})
    names = [
        p["name"] for p in _participants(zoom, host_token, meeting["id"]).json()["participants"]
    ]
    assert "Second" in names and "First" not in names
    first = _participants(zoom, host_token, _in_path(meeting["uuid"])).json()
    assert "First" in [p["name"] for p in first["participants"]]


def test_a_double_encoded_uuid_is_understood(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "Guest"})
    double = quote(quote(meeting["uuid"], safe=""), safe="")
    assert _participants(zoom, host_token, double).json()["total_records"] == 2


def test_a_meeting_not_held_or_still_running_is_3001(zoom, meeting, host_token):
    answer = _participants(zoom, host_token, meeting["id"])
    assert (answer.status_code, answer.json()["code"]) == (404, 3001)
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], "Guest")
    answer = _participants(zoom, host_token, meeting["id"])
    assert (answer.status_code, answer.json()["code"]) == (404, 3001)


def test_only_one_participant_returns_nothing(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting)
    body = _participants(zoom, host_token, meeting["id"]).json()
    assert (body["total_records"], body["participants"]) == (0, [])


def test_a_rejoin_is_listed_per_stay_and_waiting_room_only_guests_are_marked(
    zoom, meeting, host_token
):
    zoom.api(
        "PATCH",
        f"/meetings/{meeting['id']}",
        host_token,
        json={"settings": {"waiting_room": True}},
    )
    zoom.sandbox.start_meeting(meeting["id"])
    zoom.sandbox.join_meeting(meeting["id"], "Never Admitted")
    for _stay in range(2):
        zoom.sandbox.join_meeting(meeting["id"], "Back Again")
        zoom.sandbox.admit(meeting["id"], as_="guest")
        zoom.sandbox.leave_meeting(meeting["id"], as_="guest")
    zoom.sandbox.end_meeting(meeting["id"])
    records = _participants(zoom, host_token, meeting["id"]).json()["participants"]
    assert [(p["name"], p["status"]) for p in records] == [
        ("Host", "in_meeting"),
        ("Never Admitted", "in_waiting_room"),
        ("Back Again", "in_meeting"),
        ("Back Again", "in_meeting"),
    ]
    assert records[2]["user_id"] != records[3]["user_id"]


def test_pages_follow_next_page_token(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "A"}, {"name": "B"}, {"name": "C"})
    first = _participants(zoom, host_token, meeting["id"], page_size=3).json()
    assert (len(first["participants"]), first["page_count"]) == (3, 2)
    second = _participants(
        zoom, host_token, meeting["id"], page_size=3, next_page_token=first["next_page_token"]
    ).json()
    assert [p["name"] for p in second["participants"]] == ["C"]
    assert second["next_page_token"] == ""
    refused = _participants(zoom, host_token, meeting["id"], page_size=301)
    assert (refused.status_code, refused.json()["code"]) == (400, 300)


def test_a_participants_page_token_expires_after_15_minutes(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "A"}, {"name": "B"}, {"name": "C"})
    first = _participants(zoom, host_token, meeting["id"], page_size=3).json()
    zoom.sandbox.age_page_tokens(15 * 60)
    expired = _participants(
        zoom, host_token, meeting["id"], page_size=3, next_page_token=first["next_page_token"]
    )
    assert (expired.status_code, expired.json()["code"]) == (400, 300)
    assert expired.json()["message"] == "The next page token is invalid or expired."


def test_a_free_account_gets_code_200(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "Guest"})
    account_id = zoom.sandbox.user("host@corp.example")["account_id"]
    zoom.sandbox.set_account_plan(account_id, "free")
    answer = _participants(zoom, host_token, meeting["id"])
    assert answer.status_code == 400
    assert answer.json() == {
        "code": 200,
        "message": f"Only available for paid account: {account_id}",
    }


@pytest.mark.parametrize(
    ("granted", "allowed"),
    [
        ("meeting:write:meeting meeting:read:list_past_participants", True),
        ("meeting:write meeting:read", True),
        ("meeting:write:meeting meeting:read:meeting meeting:read:list_meetings", False),
        ("meeting:write", False),
    ],
)
def test_each_scope_family_names_its_scope(zoom, webhook_receiver, granted, allowed):
    zoom.sandbox.set_knobs(granted_scopes=granted)
    token = zoom.connect("host@corp.example")["access_token"]
    meeting = zoom.create_meeting(token).json()
    _held(zoom.sandbox, meeting, {"name": "Guest"})
    answer = _participants(zoom, token, meeting["id"])
    if allowed:
        assert answer.status_code == 200
    else:
        assert (answer.status_code, answer.json()["code"]) == (400, 4711)
        assert "meeting:read:list_past_participants, meeting:read" in answer.json()["message"]


def test_the_company_app_reads_a_colleagues_meeting_with_the_admin_scope(
    zoom, sandbox, settings, webhook_receiver
):
    admin = sandbox.create_user("admin@corp.example", is_admin=True, account_name="Corp")
    sandbox.create_user("rep@corp.example", account_id=admin["account_id"])
    scopes = "meeting:write:meeting:admin meeting:read:list_past_participants:admin"
    company = AdminFlow(sandbox, settings, scopes=scopes)
    account_token = company.connect("admin@corp.example")["access_token"]
    meeting = company.api(
        "POST",
        "/users/rep@corp.example/meetings",
        account_token,
        json={"topic": "Intro", "type": 2, "start_time": "2030-01-15T15:00:00Z", "duration": 30},
    ).json()
    _held(sandbox, meeting, {"name": "Guest"})
    assert _participants(company, account_token, meeting["id"]).json()["total_records"] == 2

    # A user-level token of a colleague reaches the meeting only with an :admin scope.
    sandbox.set_knobs(granted_scopes="meeting:read:list_past_participants")
    colleague = zoom.connect("admin@corp.example")["access_token"]
    answer = _participants(zoom, colleague, meeting["id"])
    assert (answer.status_code, answer.json()["code"]) == (400, 4711)
    assert ":admin" in answer.json()["message"]


def test_another_accounts_meeting_does_not_exist(zoom, meeting, host_token):
    _held(zoom.sandbox, meeting, {"name": "Guest"})
    other = zoom.connect("someone@elsewhere.example", account_name="Elsewhere")["access_token"]
    answer = _participants(zoom, other, meeting["id"])
    assert (answer.status_code, answer.json()["code"]) == (404, 3001)
