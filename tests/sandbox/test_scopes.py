"""Scopes as Zoom's reference names them per endpoint, in both families, and what changing the
app's scopes does to earlier grants."""

import pytest

# (method, path, body) for every endpoint a scheduler calls, with the granular scope it needs.
GRANULAR = {
    "user:read:user": ("GET", "/users/me"),
    "user:read:settings": ("GET", "/users/me/settings"),
    "meeting:write:meeting": ("POST", "/users/me/meetings"),
    "meeting:read:list_meetings": ("GET", "/users/me/meetings"),
    "meeting:read:meeting": ("GET", "/meetings/{id}"),
    "meeting:update:meeting": ("PATCH", "/meetings/{id}"),
    "meeting:delete:meeting": ("DELETE", "/meetings/{id}"),
}
BODY = {"topic": "Intro", "type": 2, "start_time": "2030-01-15T15:00:00Z", "duration": 30}


def _call(zoom, token, method, path, meeting_id):
    body = BODY if method in ("POST", "PATCH") else None
    return zoom.api(method, path.format(id=meeting_id), token, json=body)


@pytest.fixture
def meeting_id(zoom):
    full = zoom.connect("host@example.com")["access_token"]
    return zoom.create_meeting(full).json()["id"]


@pytest.mark.parametrize("scope", list(GRANULAR))
def test_each_endpoint_needs_its_own_granular_scope(zoom, meeting_id, scope):
    everything_else = " ".join(s for s in GRANULAR if s != scope)
    zoom.sandbox.set_knobs(granted_scopes=everything_else)
    token = zoom.connect("host@example.com")["access_token"]
    method, path = GRANULAR[scope]
    response = _call(zoom, token, method, path, meeting_id)
    assert response.status_code == 400
    assert response.json()["code"] == 4711
    assert scope in response.json()["message"]


def test_the_default_app_lists_meeting_read_list_meetings(zoom):
    assert "meeting:read:list_meetings" in zoom.connect("ann@example.com")["scope"].split()


def test_the_classic_family_is_a_knob(zoom):
    zoom.sandbox.set_knobs(scope_family="classic")
    assert zoom.connect("ann@example.com")["scope"] == "user:read meeting:write meeting:read"


def test_classic_meeting_write_does_not_read_meetings_by_default(zoom, meeting_id):
    zoom.sandbox.set_knobs(granted_scopes="user:read meeting:write")
    token = zoom.connect("host@example.com")["access_token"]
    listed = zoom.api("GET", "/users/me/meetings", token)
    read = zoom.api("GET", f"/meetings/{meeting_id}", token)
    assert (listed.json()["code"], read.json()["code"]) == (4711, 4711)
    assert "meeting:read" in read.json()["message"]
    assert zoom.api("PATCH", f"/meetings/{meeting_id}", token, json=BODY).status_code == 204


def test_classic_meeting_write_reads_meetings_when_the_knob_says_so(zoom, meeting_id):
    zoom.sandbox.set_knobs(granted_scopes="user:read meeting:write", classic_write_grants_read=True)
    token = zoom.connect("host@example.com")["access_token"]
    assert zoom.api("GET", "/users/me/meetings", token).status_code == 200
    assert zoom.api("GET", f"/meetings/{meeting_id}", token).status_code == 200


def test_missing_scopes_can_answer_4700(zoom):
    zoom.sandbox.set_knobs(granted_scopes="user:read:user", missing_scope_code=4700)
    token = zoom.connect("ann@example.com")["access_token"]
    response = zoom.api("GET", "/users/me/settings", token)
    assert (response.status_code, response.json()["code"]) == (400, 4700)


def test_a_scope_added_to_the_app_breaks_every_later_refresh_of_older_grants(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    zoom.sandbox.set_app_scopes("user:read:user meeting:write:meeting")
    old = zoom.connect("ann@example.com")
    zoom.sandbox.set_app_scopes("user:read:user meeting:write:meeting meeting:read:meeting")
    refresh = zoom.refresh(old["refresh_token"])
    assert (refresh.status_code, refresh.json()["code"]) == (400, 4711)
    fresh = zoom.connect("ann@example.com")
    assert zoom.refresh(fresh["refresh_token"]).status_code == 200


def test_a_refresh_refused_for_changed_scopes_says_only_invalid_token_by_default(zoom):
    zoom.sandbox.set_app_scopes("user:read:user")
    old = zoom.connect("ann@example.com")
    zoom.sandbox.set_app_scopes("user:read:user user:read:settings")
    assert zoom.refresh(old["refresh_token"]).json() == {
        "reason": "Invalid Token!",
        "error": "invalid_grant",
    }


def test_a_scope_removed_from_the_app_does_not_break_refreshes(zoom):
    old = zoom.connect("ann@example.com")
    zoom.sandbox.set_app_scopes("user:read:user")
    assert zoom.refresh(old["refresh_token"]).status_code == 200
