"""GET /v2/users/me and /settings: bearer auth, 124, scopes (4711), other users (1001, admin)."""

import pytest


@pytest.fixture
def ann(zoom):
    return zoom.connect("ann.lee@example.com", timezone="Europe/Paris", user_type=1)


def test_users_me_returns_the_profile(zoom, ann):
    body = zoom.api("GET", "/users/me", ann["access_token"]).json()
    user = zoom.sandbox.user("ann.lee@example.com")
    assert body["id"] == user["id"]
    assert body["email"] == "ann.lee@example.com"
    assert body["account_id"] == user["account_id"]
    assert body["type"] == 1
    assert body["timezone"] == "Europe/Paris"
    assert body["first_name"] == "Ann" and body["last_name"] == "Lee"
    assert body["status"] == "active"
    assert isinstance(body["pmi"], int)


def test_users_me_settings_returns_the_schedule_defaults(zoom, ann):
    body = zoom.api("GET", "/users/me/settings", ann["access_token"]).json()
    assert body["schedule_meeting"]["require_password_for_scheduled_meetings"] is True
    assert body["in_meeting"]["waiting_room"] is False
    assert body["recording"]["auto_recording"] == "none"


def test_settings_overrides_show_in_the_settings(zoom):
    tokens = zoom.connect("bob@example.com", settings={"in_meeting": {"waiting_room": True}})
    body = zoom.api("GET", "/users/me/settings", tokens["access_token"]).json()
    assert body["in_meeting"]["waiting_room"] is True


def test_a_missing_token_is_refused_with_124(zoom):
    response = zoom.api("GET", "/users/me", "")
    assert response.status_code == 401
    assert response.json()["code"] == 124


def test_an_expired_access_token_is_refused_with_124(zoom, ann):
    zoom.sandbox.expire_access_tokens("ann.lee@example.com")
    response = zoom.api("GET", "/users/me", ann["access_token"])
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Access token is expired."}


def test_a_refreshed_token_works_after_expiry(zoom, ann):
    zoom.sandbox.expire_access_tokens("ann.lee@example.com")
    fresh = zoom.refresh(ann["refresh_token"]).json()
    assert zoom.api("GET", "/users/me", fresh["access_token"]).status_code == 200


def test_a_token_without_the_scope_is_refused_with_4711(zoom):
    zoom.sandbox.set_knobs(granted_scopes="meeting:write")
    tokens = zoom.connect("ann@example.com")
    response = zoom.api("GET", "/users/me", tokens["access_token"])
    assert response.status_code == 400
    assert response.json()["code"] == 4711
    assert "does not contain scopes:[user:read:user, user:read]" in response.json()["message"]


def test_granular_scopes_are_accepted(zoom):
    zoom.sandbox.set_knobs(granted_scopes="user:read:user user:read:settings")
    tokens = zoom.connect("ann@example.com")
    assert zoom.api("GET", "/users/me", tokens["access_token"]).status_code == 200
    assert zoom.api("GET", "/users/me/settings", tokens["access_token"]).status_code == 200


def test_a_user_of_another_account_does_not_exist_for_the_token(zoom, ann):
    zoom.sandbox.create_user("stranger@example.org")
    response = zoom.api("GET", "/users/stranger@example.org", ann["access_token"])
    assert response.status_code == 404
    assert response.json()["code"] == 1001


def test_reading_a_colleague_needs_an_admin_scope(zoom, ann):
    account = zoom.sandbox.user("ann.lee@example.com")["account_id"]
    zoom.sandbox.create_user("colleague@example.com", account_id=account)
    response = zoom.api("GET", "/users/colleague@example.com", ann["access_token"])
    assert response.json()["code"] == 4711
