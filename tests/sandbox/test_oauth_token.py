"""POST /oauth/token (authorization code) and POST /oauth/revoke."""

import requests

from .conftest import s256


def test_code_exchange_returns_zoom_token_response(zoom):
    response = zoom.exchange(zoom.code_for("ann@example.com"))
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {
        "access_token",
        "token_type",
        "refresh_token",
        "expires_in",
        "scope",
        "api_url",
    }
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    # An app created today has granular scopes: one per endpoint a scheduler calls.
    assert body["scope"].split() == [
        "user:read:user",
        "user:read:settings",
        "meeting:write:meeting",
        "meeting:update:meeting",
        "meeting:delete:meeting",
        "meeting:read:meeting",
        "meeting:read:list_meetings",
    ]
    assert body["api_url"] == zoom.sandbox.url
    assert len(body["access_token"]) > 300  # JWT-shaped, like Zoom's


def test_client_auth_must_be_http_basic_with_the_right_secret(zoom):
    code = zoom.code_for("ann@example.com")
    wrong = zoom.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": zoom.redirect_uri},
        auth=(zoom.client_id, "wrong-secret"),
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"


def test_missing_client_credentials_are_refused(zoom):
    response = requests.post(
        f"{zoom.sandbox.url}/oauth/token", data={"grant_type": "refresh_token"}, timeout=10
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_code_works_only_once(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    code = zoom.code_for("ann@example.com")
    assert zoom.exchange(code).status_code == 200
    second = zoom.exchange(code)
    assert second.status_code == 400
    assert second.json()["code"] == 4734


def test_a_code_expires_after_its_lifetime(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    zoom.sandbox.set_knobs(code_lifetime=0)
    code = zoom.code_for("ann@example.com")
    response = zoom.exchange(code)
    assert response.status_code == 400
    assert response.json()["code"] == 4733


def test_a_code_is_bound_to_its_redirect_uri(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    code = zoom.code_for("ann@example.com")
    response = zoom.exchange(code, redirect_uri="http://127.0.0.1:8000/elsewhere/")
    assert response.status_code == 400
    assert response.json()["code"] == 4709


def test_a_wrong_s256_verifier_is_refused(zoom):
    code = zoom.code_for("ann@example.com")
    response = zoom.exchange(code, verifier="not-the-verifier-" + "x" * 40)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_missing_verifier_is_refused_when_a_challenge_was_sent(zoom):
    code = zoom.code_for("ann@example.com")
    assert zoom.exchange(code, verifier="").status_code == 400


def test_plain_pkce_compares_the_verifier_itself(zoom):
    code = zoom.code_for("ann@example.com", challenge=zoom.verifier, method="plain")
    assert zoom.exchange(code).status_code == 200


def test_a_challenge_without_method_is_treated_as_plain(zoom):
    code = zoom.code_for("ann@example.com", challenge=zoom.verifier, method=None)
    assert zoom.exchange(code).status_code == 200
    code = zoom.code_for("bob@example.com", challenge=s256(zoom.verifier), method=None)
    assert zoom.exchange(code).status_code == 400


def test_an_unsupported_grant_type_is_refused(zoom):
    response = zoom.token({"grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_granular_scopes_come_back_when_the_app_lists_them(zoom, settings):
    zoom.register_app(scopes="user:read:user meeting:write:meeting meeting:update:meeting")
    body = zoom.connect("ann@example.com")
    assert body["scope"] == "user:read:user meeting:write:meeting meeting:update:meeting"


def test_the_granted_scopes_knob_grants_fewer_scopes(zoom):
    zoom.sandbox.set_knobs(granted_scopes="user:read")
    assert zoom.connect("ann@example.com")["scope"] == "user:read"


def test_oauth_errors_carry_no_numeric_code_by_default_as_zoom_often_sends_them(zoom):
    code = zoom.code_for("ann@example.com")
    zoom.exchange(code)
    assert "code" not in zoom.exchange(code).json()


def test_a_refused_refresh_says_only_invalid_token_by_default(zoom):
    first = zoom.connect("ann@example.com")
    zoom.connect("ann@example.com")
    refresh = zoom.refresh(first["refresh_token"])
    assert refresh.status_code == 400
    assert refresh.json() == {"reason": "Invalid Token!", "error": "invalid_grant"}


def test_the_token_endpoint_reads_only_the_form_body(zoom):
    tokens = zoom.connect("ann@example.com")
    response = requests.post(
        f"{zoom.sandbox.url}/oauth/token",
        params={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(zoom.client_id, zoom.client_secret),
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert zoom.refresh(tokens["refresh_token"]).status_code == 200


def test_authorizing_again_revokes_the_earlier_tokens_with_4741(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    first = zoom.connect("ann@example.com")
    second = zoom.connect("ann@example.com")
    refresh = zoom.refresh(first["refresh_token"])
    assert refresh.status_code == 400
    assert refresh.json()["code"] == 4741
    assert zoom.api("GET", "/users/me", first["access_token"]).json()["code"] == 124
    assert zoom.api("GET", "/users/me", second["access_token"]).status_code == 200
    assert zoom.sandbox.token_stats("ann@example.com")["active_families"] == 1


def test_revoke_ends_the_authorization(zoom):
    tokens = zoom.connect("ann@example.com")
    response = requests.post(
        f"{zoom.sandbox.url}/oauth/revoke",
        data={"token": tokens["access_token"]},
        auth=(zoom.client_id, zoom.client_secret),
        timeout=10,
    )
    assert response.json() == {"status": "success"}
    assert zoom.api("GET", "/users/me", tokens["access_token"]).status_code == 401
    assert zoom.refresh(tokens["refresh_token"]).json() == {
        "reason": "Invalid Token!",
        "error": "invalid_grant",
    }


def test_a_deleted_user_tokens_fail_with_4735(zoom):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    tokens = zoom.connect("ann@example.com")
    zoom.sandbox.delete_user("ann@example.com")
    assert zoom.refresh(tokens["refresh_token"]).json()["code"] == 4735
