"""The Meeting API: create, get, update, delete, list; Zoom's shapes and validation."""

from datetime import UTC, datetime, timedelta

import pytest

from scripts.sandbox import SandboxError


@pytest.fixture
def token(zoom):
    return zoom.connect("host@example.com")["access_token"]


def test_create_returns_201_with_zoom_meeting_fields(zoom, token):
    response = zoom.create_meeting(token, agenda="Discovery")
    body = response.json()
    assert response.status_code == 201
    assert isinstance(body["id"], int) and len(str(body["id"])) > 10
    assert body["topic"] == "Intro call"
    assert body["start_time"] == "2030-01-15T15:00:00Z"
    assert body["duration"] == 30
    assert body["timezone"] == "America/New_York"
    assert body["agenda"] == "Discovery"
    assert body["host_email"] == "host@example.com"
    assert len(body["password"]) == 6
    assert body["h323_password"].isdigit() and body["pstn_password"].isdigit()
    assert (
        body["join_url"] == f"{zoom.sandbox.url}/j/{body['id']}?pwd={body['encrypted_password']}.1"
    )
    assert body["start_url"].startswith(f"{zoom.sandbox.url}/s/{body['id']}?zak=")
    [first, *_] = body["settings"]["global_dial_in_numbers"]
    assert set(first) == {"country", "country_name", "city", "number", "type"}


def test_an_explicit_password_is_kept(zoom, token):
    body = zoom.create_meeting(token, password="a1@-_*", default_password=False).json()
    assert body["password"] == "a1@-_*"


def test_a_meeting_without_passcode_gets_a_forced_waiting_room(zoom, token):
    body = zoom.create_meeting(token, default_password=False).json()
    assert body["password"] == ""
    assert body["settings"]["waiting_room"] is True
    assert "pwd=" not in body["join_url"]


def test_local_start_time_is_read_in_the_given_time_zone(zoom, token):
    body = zoom.create_meeting(
        token, start_time="2030-01-15T10:00:00", timezone="America/New_York"
    ).json()
    assert body["start_time"] == "2030-01-15T15:00:00Z"


def test_invalid_fields_fail_with_code_300_and_errors(zoom, token):
    response = zoom.create_meeting(
        token,
        topic="x" * 201,
        start_time="tomorrow",
        password="far-too-long-passcode",
        settings={"auto_recording": "always"},
    )
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == 300
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"topic", "start_time", "password", "settings.auto_recording"}


@pytest.mark.parametrize(
    "name", ["America/Toronto", "Europe/Kyiv", "Asia/Ho_Chi_Minh", "Mars/Base"]
)
def test_a_time_zone_off_zooms_list_is_refused_and_nothing_is_made(zoom, token, name):
    # Real IANA names that Zoom's list does not carry are refused like a made-up one.
    response = zoom.create_meeting(token, start_time="2030-01-15T10:00:00", timezone=name)
    assert response.status_code == 400
    assert response.json()["code"] == 300
    assert [e["field"] for e in response.json()["errors"]] == ["timezone"]
    assert zoom.api("GET", "/users/me/meetings", token).json()["total_records"] == 0


def test_an_update_with_a_time_zone_off_zooms_list_changes_nothing(zoom, token):
    meeting_id = zoom.create_meeting(token, topic="Kept").json()["id"]
    response = zoom.api(
        "PATCH", f"/meetings/{meeting_id}", token, json={"topic": "New", "timezone": "Europe/Kyiv"}
    )
    assert response.status_code == 400 and response.json()["code"] == 300
    assert zoom.api("GET", f"/meetings/{meeting_id}", token).json()["topic"] == "Kept"


@pytest.mark.parametrize(
    ("name", "utc"),
    [("Asia/Calcutta", "2030-01-15T04:30:00Z"), ("SST", "2030-01-14T23:00:00Z")],
)
def test_zoom_list_spellings_are_accepted(zoom, token, name, utc):
    # Zoom's list keeps old spellings (Asia/Calcutta) and one id that is no IANA name (SST,
    # Solomon Islands).
    body = zoom.create_meeting(token, start_time="2030-01-15T10:00:00", timezone=name).json()
    assert body["timezone"] == name and body["start_time"] == utc


def test_a_user_time_zone_comes_from_zooms_list(zoom):
    with pytest.raises(SandboxError, match="Zoom.s time zone list"):
        zoom.sandbox.create_user("toronto@example.com", timezone="America/Toronto")


def test_a_body_that_is_not_json_fails_with_code_300(zoom, token):
    response = zoom.api("POST", "/users/me/meetings", token, data="not json")
    assert response.status_code == 400
    assert response.json() == {
        "code": 300,
        "message": "Request Body should be a valid JSON object.",
    }


def test_get_returns_the_meeting_with_a_fresh_start_url(zoom, token):
    created = zoom.create_meeting(token).json()
    fetched = zoom.api("GET", f"/meetings/{created['id']}", token).json()
    assert fetched["join_url"] == created["join_url"]
    assert fetched["start_url"] != created["start_url"]


def test_an_unknown_meeting_is_404_with_code_3001(zoom, token):
    response = zoom.api("GET", "/meetings/12345678901", token)
    assert response.status_code == 404
    assert response.json() == {
        "code": 3001,
        "message": "Meeting 12345678901 is not found or has expired.",
    }


def test_patch_answers_204_without_body_and_changes_the_meeting(zoom, token):
    created = zoom.create_meeting(token).json()
    response = zoom.api("PATCH", f"/meetings/{created['id']}", token, json={"duration": 45})
    assert response.status_code == 204
    assert response.content == b""
    assert zoom.api("GET", f"/meetings/{created['id']}", token).json()["duration"] == 45


def test_patch_validates_like_create(zoom, token):
    created = zoom.create_meeting(token).json()
    response = zoom.api("PATCH", f"/meetings/{created['id']}", token, json={"duration": "long"})
    assert response.json()["code"] == 300


def test_delete_answers_204_then_the_meeting_is_gone(zoom, token):
    created = zoom.create_meeting(token).json()
    path = f"/meetings/{created['id']}?schedule_for_reminder=false&cancel_meeting_reminder=true"
    assert zoom.api("DELETE", path, token).status_code == 204
    assert zoom.api("DELETE", f"/meetings/{created['id']}", token).json()["code"] == 3001


def test_another_hosts_meeting_is_not_found_for_a_user_token(zoom, token):
    other = zoom.connect("other@example.org")["access_token"]
    created = zoom.create_meeting(other).json()
    assert zoom.api("GET", f"/meetings/{created['id']}", token).status_code == 404


def test_list_upcoming_returns_zoom_list_items(zoom, token):
    future = zoom.create_meeting(token, agenda="Soon").json()
    past = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    zoom.create_meeting(token, start_time=past)
    body = zoom.api("GET", "/users/me/meetings?type=upcoming", token).json()
    assert body["total_records"] == 1
    [item] = body["meetings"]
    assert item["id"] == future["id"]
    assert item["agenda"] == "Soon"
    assert {
        "uuid",
        "id",
        "host_id",
        "topic",
        "type",
        "start_time",
        "duration",
        "timezone",
        "created_at",
        "join_url",
    } <= set(item)
    assert "start_url" not in item and "password" not in item


def test_list_pages_with_next_page_token(zoom, token):
    for _ in range(3):
        zoom.create_meeting(token)
    first = zoom.api("GET", "/users/me/meetings?page_size=2", token).json()
    assert len(first["meetings"]) == 2 and first["next_page_token"]
    second = zoom.api(
        "GET", f"/users/me/meetings?page_size=2&next_page_token={first['next_page_token']}", token
    ).json()
    assert len(second["meetings"]) == 1 and second["next_page_token"] == ""


def _second_page(zoom, token, page_token, list_type="scheduled"):
    return zoom.api(
        "GET",
        f"/users/me/meetings?type={list_type}&page_size=2&next_page_token={page_token}",
        token,
    )


def test_a_next_page_token_expires_after_15_minutes(zoom, token):
    for _ in range(3):
        zoom.create_meeting(token)
    page_token = zoom.api("GET", "/users/me/meetings?page_size=2", token).json()["next_page_token"]
    zoom.sandbox.age_page_tokens(15 * 60 - 1)
    assert len(_second_page(zoom, token, page_token).json()["meetings"]) == 1
    zoom.sandbox.age_page_tokens(1)
    expired = _second_page(zoom, token, page_token)
    assert expired.status_code == 400
    assert expired.json() == {"code": 300, "message": "The next page token is invalid or expired."}
    # A new listing gets a fresh token.
    fresh = zoom.api("GET", "/users/me/meetings?page_size=2", token).json()["next_page_token"]
    assert _second_page(zoom, token, fresh).ok


@pytest.mark.parametrize("page_token", ["Mg==", "made-up"])
def test_a_next_page_token_zoom_never_issued_is_refused(zoom, token, page_token):
    response = _second_page(zoom, token, page_token)
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_a_next_page_token_belongs_to_its_list(zoom, token):
    for _ in range(3):
        zoom.create_meeting(token)
    page_token = zoom.api("GET", "/users/me/meetings?page_size=2", token).json()["next_page_token"]
    assert _second_page(zoom, token, page_token, list_type="upcoming").status_code == 400


def test_list_with_an_unknown_type_fails_validation(zoom, token):
    assert zoom.api("GET", "/users/me/meetings?type=someday", token).json()["code"] == 300


def test_an_admin_token_creates_meetings_for_a_colleague_by_email(zoom):
    zoom.sandbox.set_knobs(granted_scopes="meeting:write:meeting:admin user:read:user:admin")
    admin = zoom.connect("admin@corp.example")
    account = zoom.sandbox.user("admin@corp.example")["account_id"]
    zoom.sandbox.create_user("rep@corp.example", account_id=account)
    response = zoom.create_meeting(admin["access_token"], topic="For rep")
    assert response.status_code == 201
    response = zoom.api(
        "POST",
        "/users/rep@corp.example/meetings",
        admin["access_token"],
        json={"topic": "Rep's", "type": 2, "start_time": "2030-01-01T10:00:00Z"},
    )
    assert response.status_code == 201
    assert response.json()["host_email"] == "rep@corp.example"


def test_a_user_token_cannot_create_for_a_colleague(zoom, token):
    account = zoom.sandbox.user("host@example.com")["account_id"]
    zoom.sandbox.create_user("colleague@example.com", account_id=account)
    response = zoom.api(
        "POST",
        "/users/colleague@example.com/meetings",
        token,
        json={"topic": "x", "type": 2, "start_time": "2030-01-01T10:00:00Z"},
    )
    assert response.json()["code"] == 4711


def test_a_user_who_may_not_host_gets_3161(zoom):
    tokens = zoom.connect("nohost@example.com", hosting_disabled=True)
    assert zoom.create_meeting(tokens["access_token"]).json()["code"] == 3161


def test_the_sandbox_lists_meetings_by_host(zoom, token):
    created = zoom.create_meeting(token).json()
    [meeting] = zoom.sandbox.meetings(host_email="host@example.com")
    assert meeting["id"] == created["id"]
    assert zoom.sandbox.meetings(host_email="nobody@example.com") == []


@pytest.mark.parametrize(("status", "delete_code"), [("started", 3002), ("ended", 3007)])
def test_patch_of_a_started_meeting_answers_3000_and_delete_3002_or_3007(
    zoom, token, status, delete_code
):
    """Zoom's OpenAPI spec: PATCH answers 3000 "You cannot update or delete meetings that have
    started using this method" (`meetingUpdate`); DELETE 3002 in progress, 3007 ended
    (`meetingDelete`)."""
    meeting = zoom.create_meeting(token).json()
    zoom.sandbox.set_meeting_status(meeting["id"], status)
    path = f"/meetings/{meeting['id']}"
    patched = zoom.api("PATCH", path, token, json={"topic": "Moved"})
    deleted = zoom.api("DELETE", path, token)
    assert (patched.status_code, patched.json()["code"]) == (400, 3000)
    assert "have started" in patched.json()["message"]
    assert (deleted.status_code, deleted.json()["code"]) == (400, delete_code)
    assert zoom.api("GET", path, token).json()["status"] == status


def test_patch_and_delete_of_a_colleagues_meeting_answer_3003(zoom, token):
    account = zoom.sandbox.user("host@example.com")["account_id"]
    other = zoom.connect("colleague@example.com", account_id=account)["access_token"]
    meeting = zoom.create_meeting(other).json()
    path = f"/meetings/{meeting['id']}"
    assert zoom.api("PATCH", path, token, json={"topic": "Mine"}).json()["code"] == 3003
    assert zoom.api("DELETE", path, token).json()["code"] == 3003


@pytest.mark.parametrize("duration", [0, 1441, -5])
def test_duration_must_be_1_to_1440_minutes(zoom, token, duration):
    response = zoom.create_meeting(token, duration=duration)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["duration"]


def test_jbh_time_takes_only_zooms_values(zoom, token):
    response = zoom.create_meeting(token, settings={"join_before_host": True, "jbh_time": 7})
    assert response.json()["errors"][0]["field"] == "settings.jbh_time"
    ok = zoom.create_meeting(token, settings={"join_before_host": True, "jbh_time": 10})
    assert ok.json()["settings"]["jbh_time"] == 10


def test_a_past_start_time_is_accepted_and_listed_as_a_previous_meeting(zoom, token):
    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    meeting = zoom.create_meeting(token, start_time=past).json()
    assert meeting["start_time"] == past
    upcoming = zoom.api("GET", "/users/me/meetings", token, params={"type": "upcoming"}).json()
    previous = zoom.api("GET", "/users/me/meetings", token, params={"type": "previous_meetings"})
    assert meeting["id"] not in [m["id"] for m in upcoming["meetings"]]
    assert meeting["id"] in [m["id"] for m in previous.json()["meetings"]]
