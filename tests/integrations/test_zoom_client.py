"""The Zoom client: every Zoom answer mapped to its typed error (HTTP faked by responses).

The only place `responses` is used: flows run against the Zoom sandbox.
"""

import base64
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.utils import timezone

from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import (
    ReconnectReason,
    ZoomCannotHost,
    ZoomCodeExpired,
    ZoomCodeInvalid,
    ZoomError,
    ZoomInvalidClient,
    ZoomMeetingEnded,
    ZoomMeetingInProgress,
    ZoomMeetingNotFound,
    ZoomMissingScopes,
    ZoomNeedsReconnect,
    ZoomNotMeetingHost,
    ZoomOAuthError,
    ZoomPaidPlanRequired,
    ZoomRateLimited,
    ZoomRedirectMismatch,
    ZoomTokenExpired,
    ZoomUnavailable,
    ZoomUserNotFound,
    ZoomValidationError,
)

OAUTH = "https://zoom.test"
API = "https://api.zoom.test/v2"
TOKEN_URL = f"{OAUTH}/oauth/token"
ME_URL = f"{API}/users/me"
MEETING_URL = f"{API}/meetings/85746065432"


@pytest.fixture
def client(settings):
    settings.ZOOM_OAUTH_BASE_URL = OAUTH
    settings.ZOOM_API_BASE_URL = API
    settings.ZOOM_CLIENT_ID = "client-id"
    settings.ZOOM_CLIENT_SECRET = "client-secret"
    settings.ZOOM_HTTP_TIMEOUT = 3
    return ZoomClient()


@pytest.fixture
def zoom():
    with responses.RequestsMock() as mock:
        yield mock


def token_body(**overrides):
    body = {
        "access_token": "access-1",
        "token_type": "bearer",
        "refresh_token": "refresh-1",
        "expires_in": 3599,
        "scope": "user:read meeting:write",
        "api_url": "https://api.zoom.us",
    }
    return {**body, **overrides}


# OAuth ----------------------------------------------------------------------------------------


def test_authorize_url_uses_pkce_s256_and_carries_no_scope(client):
    url = client.authorize_url("the-state", "the-challenge", "https://app.test/cb/")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{OAUTH}/oauth/authorize"
    assert query == {
        "response_type": ["code"],
        "client_id": ["client-id"],
        "redirect_uri": ["https://app.test/cb/"],
        "state": ["the-state"],
        "code_challenge": ["the-challenge"],
        "code_challenge_method": ["S256"],
    }


def test_exchange_code_authenticates_with_http_basic_and_sends_the_verifier(client, zoom):
    zoom.post(TOKEN_URL, json=token_body())
    before = timezone.now()
    grant = client.exchange_code("the-code", "the-verifier", "https://app.test/cb/")

    request = zoom.calls[0].request
    expected = base64.b64encode(b"client-id:client-secret").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert parse_qs(request.body) == {
        "grant_type": ["authorization_code"],
        "code": ["the-code"],
        "redirect_uri": ["https://app.test/cb/"],
        "code_verifier": ["the-verifier"],
    }
    assert grant.access_token == "access-1"
    assert grant.refresh_token == "refresh-1"
    assert grant.scopes == {"user:read", "meeting:write"}
    assert (
        before + timedelta(seconds=3598)
        <= grant.expires_at
        <= timezone.now() + timedelta(seconds=3599)
    )


def test_refresh_sends_the_refresh_token_grant(client, zoom):
    zoom.post(TOKEN_URL, json=token_body(access_token="access-2", refresh_token="refresh-2"))
    grant = client.refresh("refresh-1")
    assert parse_qs(zoom.calls[0].request.body) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["refresh-1"],
    }
    assert (grant.access_token, grant.refresh_token) == ("access-2", "refresh-2")


def test_refresh_with_a_dead_refresh_token_needs_reconnect(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"reason": "Invalid Token!", "error": "invalid_grant"})
    with pytest.raises(ZoomNeedsReconnect) as caught:
        client.refresh("refresh-old")
    assert caught.value.reason == ReconnectReason.INVALID_GRANT


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (4735, ReconnectReason.USER_GONE),
        (4738, ReconnectReason.APPROVAL_WITHDRAWN),
        (4741, ReconnectReason.AUTHORIZED_ELSEWHERE),
    ],
)
def test_refresh_refused_with_a_broken_authorization_code_needs_reconnect(
    client, zoom, code, reason
):
    zoom.post(TOKEN_URL, status=401, json={"code": code, "message": "The token is disabled"})
    with pytest.raises(ZoomNeedsReconnect) as caught:
        client.refresh("refresh-1")
    assert caught.value.reason == reason
    assert caught.value.code == code


def test_exchange_with_a_used_code_is_an_invalid_code_not_a_reconnect(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"reason": "Invalid Token!", "error": "invalid_grant"})
    with pytest.raises(ZoomCodeInvalid):
        client.exchange_code("used", "v", "https://app.test/cb/")


def test_exchange_with_code_4734_is_an_invalid_code(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"code": 4734, "message": "Invalid authorization code"})
    with pytest.raises(ZoomCodeInvalid):
        client.exchange_code("bad", "v", "https://app.test/cb/")


def test_exchange_with_code_4733_is_an_expired_code(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"code": 4733, "message": "Code is expired."})
    with pytest.raises(ZoomCodeExpired):
        client.exchange_code("old", "v", "https://app.test/cb/")


def test_exchange_with_code_4709_is_a_redirect_mismatch(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"code": 4709, "message": "Redirect URI mismatch."})
    with pytest.raises(ZoomRedirectMismatch):
        client.exchange_code("c", "v", "https://wrong.test/cb/")


def test_exchange_with_a_redirect_reason_but_no_code_is_a_redirect_mismatch(client, zoom):
    zoom.post(
        TOKEN_URL, status=400, json={"reason": "Redirect URI mismatch.", "error": "invalid_request"}
    )
    with pytest.raises(ZoomRedirectMismatch):
        client.exchange_code("c", "v", "https://wrong.test/cb/")


def test_exchange_with_wrong_client_credentials_is_invalid_client(client, zoom):
    zoom.post(
        TOKEN_URL, status=401, json={"reason": "Invalid client_id", "error": "invalid_client"}
    )
    with pytest.raises(ZoomInvalidClient):
        client.exchange_code("c", "v", "https://app.test/cb/")


def test_exchange_with_code_4711_reports_missing_scopes(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"code": 4711, "message": "missing scopes"})
    with pytest.raises(ZoomMissingScopes) as caught:
        client.exchange_code("c", "v", "https://app.test/cb/")
    assert caught.value.reason == ReconnectReason.MISSING_SCOPES


def test_an_unrecognised_oauth_error_is_a_generic_oauth_error(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"reason": "Something odd", "error": "invalid_request"})
    with pytest.raises(ZoomOAuthError) as caught:
        client.exchange_code("c", "v", "https://app.test/cb/")
    assert type(caught.value) is ZoomOAuthError


def test_a_token_answer_that_is_not_json_is_zoom_unavailable(client, zoom):
    zoom.post(TOKEN_URL, body="<html>oops</html>", content_type="text/html")
    with pytest.raises(ZoomUnavailable):
        client.exchange_code("c", "v", "https://app.test/cb/")


def test_a_token_answer_without_tokens_is_zoom_unavailable(client, zoom):
    zoom.post(TOKEN_URL, json={"status": "ok"})
    with pytest.raises(ZoomUnavailable):
        client.refresh("r")


def test_an_oauth_server_error_is_zoom_unavailable(client, zoom):
    zoom.post(TOKEN_URL, status=503, body="Service Unavailable")
    with pytest.raises(ZoomUnavailable):
        client.refresh("r")


def test_revoke_posts_the_access_token_with_http_basic(client, zoom):
    zoom.post(f"{OAUTH}/oauth/revoke", json={"status": "success"})
    client.revoke("access-1")
    request = zoom.calls[0].request
    assert request.headers["Authorization"].startswith("Basic ")
    assert parse_qs(request.body) == {"token": ["access-1"]}


# REST API -------------------------------------------------------------------------------------


def test_get_me_sends_the_bearer_token_and_returns_the_profile(client, zoom):
    zoom.get(ME_URL, json={"id": "u1", "email": "a@b.test", "type": 2})
    assert client.get_me("access-1")["id"] == "u1"
    assert zoom.calls[0].request.headers["Authorization"] == "Bearer access-1"


def test_code_124_is_token_expired(client, zoom):
    zoom.get(ME_URL, status=401, json={"code": 124, "message": "Invalid access token."})
    with pytest.raises(ZoomTokenExpired):
        client.get_me("expired")


def test_code_4711_on_an_api_call_is_missing_scopes(client, zoom):
    zoom.get(
        ME_URL,
        status=400,
        json={"code": 4711, "message": "Invalid access token, does not contain scopes:[user:read]"},
    )
    with pytest.raises(ZoomMissingScopes):
        client.get_me("t")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (4735, ReconnectReason.USER_GONE),
        (4738, ReconnectReason.APPROVAL_WITHDRAWN),
        (4741, ReconnectReason.AUTHORIZED_ELSEWHERE),
    ],
)
def test_broken_authorization_codes_on_an_api_call_need_reconnect(client, zoom, code, reason):
    zoom.get(ME_URL, status=401, json={"code": code, "message": "nope"})
    with pytest.raises(ZoomNeedsReconnect) as caught:
        client.get_me("t")
    assert caught.value.reason == reason


def test_code_3001_is_meeting_not_found(client, zoom):
    zoom.get(MEETING_URL, status=404, json={"code": 3001, "message": "Meeting is not found"})
    with pytest.raises(ZoomMeetingNotFound):
        client.get_meeting("t", 85746065432)


def test_a_meeting_404_without_json_is_still_meeting_not_found(client, zoom):
    zoom.delete(MEETING_URL, status=404, body="Not Found")
    with pytest.raises(ZoomMeetingNotFound):
        client.delete_meeting("t", 85746065432)


def test_code_300_is_a_validation_error_with_its_field_errors(client, zoom):
    errors = [{"field": "password", "message": "Invalid"}]
    zoom.post(
        f"{API}/users/me/meetings",
        status=400,
        json={"code": 300, "message": "Validation Failed.", "errors": errors},
    )
    with pytest.raises(ZoomValidationError) as caught:
        client.create_meeting("t", {"topic": "x"})
    assert caught.value.errors == errors


def test_code_3161_is_cannot_host(client, zoom):
    zoom.post(f"{API}/users/me/meetings", status=400, json={"code": 3161, "message": "no host"})
    with pytest.raises(ZoomCannotHost):
        client.create_meeting("t", {"topic": "x"})


def test_code_1001_is_user_not_found(client, zoom):
    zoom.get(f"{API}/users/x@y.test/settings", status=404, json={"code": 1001, "message": "gone"})
    with pytest.raises(ZoomUserNotFound):
        client.get_user_settings("t", user="x@y.test")


def test_an_unmapped_code_is_a_plain_zoom_error_with_its_code(client, zoom):
    zoom.get(ME_URL, status=400, json={"code": 9999, "message": "odd"})
    with pytest.raises(ZoomError) as caught:
        client.get_me("t")
    assert type(caught.value) is ZoomError
    assert caught.value.code == 9999


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_zoom_unavailable(client, zoom, status):
    zoom.get(ME_URL, status=status, json={"code": 500, "message": "boom"})
    with pytest.raises(ZoomUnavailable):
        client.get_me("t")


def test_a_client_error_with_a_non_json_body_is_zoom_unavailable(client, zoom):
    zoom.get(ME_URL, status=400, body="<html>Bad gateway page</html>")
    with pytest.raises(ZoomUnavailable):
        client.get_me("t")


def test_a_success_with_a_non_json_body_is_zoom_unavailable(client, zoom):
    zoom.get(ME_URL, body="<html>captive portal</html>", content_type="text/html")
    with pytest.raises(ZoomUnavailable):
        client.get_me("t")


def test_a_timeout_is_zoom_unavailable(client, zoom):
    zoom.get(ME_URL, body=requests.Timeout("read timed out"))
    with pytest.raises(ZoomUnavailable):
        client.get_me("t")


def test_a_connection_error_is_zoom_unavailable(client, zoom):
    zoom.get(ME_URL, body=requests.ConnectionError("refused"))
    with pytest.raises(ZoomUnavailable):
        client.get_me("t")


def test_every_request_has_a_timeout(client, zoom, monkeypatch):
    seen = []
    original = client.session.request

    def spy(method, url, **kwargs):
        seen.append(kwargs.get("timeout"))
        return original(method, url, **kwargs)

    monkeypatch.setattr(client.session, "request", spy)
    zoom.get(ME_URL, json={"id": "u1"})
    client.get_me("t")
    assert seen == [(3.0, 3.0)]


def test_a_refresh_waits_longer_for_its_answer_than_other_calls(client, zoom, monkeypatch):
    seen = []
    original = client.session.request

    def spy(method, url, **kwargs):
        seen.append(kwargs.get("timeout"))
        return original(method, url, **kwargs)

    monkeypatch.setattr(client.session, "request", spy)
    zoom.post(f"{OAUTH}/oauth/token", json=token_body())
    client.refresh("old-refresh-token")
    assert seen == [(3.0, 30.0)]


def test_update_meeting_accepts_zoom_204_without_a_body(client, zoom):
    zoom.patch(MEETING_URL, status=204)
    assert client.update_meeting("t", 85746065432, {"topic": "new"}) is None


def test_delete_meeting_passes_the_reminder_options(client, zoom):
    zoom.delete(MEETING_URL, status=204)
    client.delete_meeting("t", 85746065432, cancel_meeting_reminder=True)
    assert "cancel_meeting_reminder=true" in zoom.calls[0].request.url


def test_list_meetings_follows_every_page(client, zoom):
    url = f"{API}/users/me/meetings"
    zoom.get(
        url,
        json={"meetings": [{"id": 1}], "next_page_token": "p2"},
        match=[responses.matchers.query_param_matcher({"type": "upcoming", "page_size": "300"})],
    )
    zoom.get(
        url,
        json={"meetings": [{"id": 2}], "next_page_token": ""},
        match=[
            responses.matchers.query_param_matcher(
                {"type": "upcoming", "page_size": "300", "next_page_token": "p2"}
            )
        ],
    )
    assert [m["id"] for m in client.list_meetings("t")] == [1, 2]


def test_past_participants_follow_every_page(client, zoom):
    url = f"{API}/past_meetings/85746065432/participants"
    zoom.get(
        url,
        json={"participants": [{"id": "a"}], "next_page_token": "p2"},
        match=[responses.matchers.query_param_matcher({"page_size": "300"})],
    )
    zoom.get(
        url,
        json={"participants": [{"id": "b"}], "next_page_token": ""},
        match=[
            responses.matchers.query_param_matcher({"page_size": "300", "next_page_token": "p2"})
        ],
    )
    assert [p["id"] for p in client.past_meeting_participants("t", "85746065432")] == ["a", "b"]


@pytest.mark.parametrize(
    ("uuid", "sent"),
    [
        # Zoom: "double encode your UUID … if the UUID begins with a '/' or contains '//'".
        ("/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D"),
        ("ab//cd==", "ab%252F%252Fcd%253D%253D"),
        ("ab/cd+e==", "ab%2Fcd%2Be%3D%3D"),
    ],
)
def test_a_uuid_is_encoded_as_zoom_asks(client, zoom, uuid, sent):
    zoom.get(f"{API}/past_meetings/{sent}/participants", json={"participants": []})
    assert client.past_meeting_participants("t", uuid) == []


def test_a_meeting_not_held_is_not_found_and_a_free_plan_is_named(client, zoom):
    url = f"{API}/past_meetings/1/participants"
    zoom.get(url, status=404, json={"code": 3001, "message": "Meeting ID is invalid or not end."})
    with pytest.raises(ZoomMeetingNotFound):
        client.past_meeting_participants("t", "1")
    zoom.get(url, status=400, json={"code": 200, "message": "Only available for paid account: a"})
    with pytest.raises(ZoomPaidPlanRequired):
        client.past_meeting_participants("t", "1")


# Rate limits ----------------------------------------------------------------------------------


def test_a_429_with_an_iso_retry_after_retries_then(client, zoom):
    zoom.post(
        f"{API}/users/me/meetings",
        status=429,
        json={"code": 429, "message": "Too many requests"},
        headers={
            "Retry-After": "2031-05-04T10:00:05Z",
            "X-RateLimit-Type": "QPS",
            "X-RateLimit-Category": "Medium",
        },
    )
    with pytest.raises(ZoomRateLimited) as caught:
        client.create_meeting("t", {})
    assert caught.value.retry_at == datetime(2031, 5, 4, 10, 0, 5, tzinfo=UTC)
    assert caught.value.daily is False


def test_a_daily_429_without_retry_after_waits_for_midnight_utc(client, zoom):
    zoom.post(
        f"{API}/users/me/meetings",
        status=429,
        json={
            "code": 429,
            "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update "
            "API requests permitted for this particular user.",
        },
        headers={"X-RateLimit-Type": "Daily-limit"},
    )
    with pytest.raises(ZoomRateLimited) as caught:
        client.create_meeting("t", {})
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    assert caught.value.daily is True
    assert caught.value.retry_at == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC
    )


def test_a_daily_429_is_recognised_by_its_message_alone(client, zoom):
    zoom.patch(
        MEETING_URL,
        status=429,
        json={"code": 429, "message": "You have exceeded the daily rate limit (100)"},
    )
    with pytest.raises(ZoomRateLimited) as caught:
        client.update_meeting("t", 85746065432, {})
    assert caught.value.daily is True
    assert caught.value.retry_at.time() == datetime.min.time()


def test_a_daily_429_on_a_read_is_the_accounts_cap_and_holds_the_account(zoom, settings, db):
    """Free accounts have daily caps per category, shared by every user: nobody on the account
    gets through until the reset, and the host's own allowance of meeting writes is untouched."""
    from integrations.zoom.api.errors import ZoomAccountDailyLimitReached
    from integrations.zoom.api.pacing import Limiter, PacingDelay, store_for

    settings.ZOOM_API_BASE_URL = API
    account = "acct-" + uuid.uuid4().hex
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    zoom.get(
        ME_URL,
        status=429,
        json={
            "code": 429,
            "message": "You have reached the maximum daily rate limit for this API.",
        },
        headers={
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Category": "Light",
            "Retry-After": f"{tomorrow.isoformat()}T00:00:00Z",
        },
    )
    with pytest.raises(ZoomAccountDailyLimitReached) as caught:
        ZoomClient(account_id=account).get_me("t")
    assert caught.value.daily is False
    other_worker = Limiter(store_for(settings.ZOOM_PACING_URL), rate=1000)
    with pytest.raises(PacingDelay) as held:
        other_worker.acquire(account, max_wait=0)
    assert held.value.wait > 60


def test_a_per_second_429_without_retry_after_waits_briefly(client, zoom):
    zoom.get(ME_URL, status=429, body="", headers={"X-RateLimit-Type": "QPS"})
    with pytest.raises(ZoomRateLimited) as caught:
        client.get_me("t")
    assert caught.value.daily is False
    assert caught.value.retry_at <= timezone.now() + timedelta(seconds=2)


def test_an_invalid_code_without_a_numeric_code_is_still_an_invalid_code(client, zoom):
    zoom.post(
        TOKEN_URL,
        status=400,
        json={"reason": "Invalid authorization code.", "error": "invalid_request"},
    )
    with pytest.raises(ZoomCodeInvalid):
        client.exchange_code("bad", "v", "https://app.test/cb/")


def test_an_expired_code_without_a_numeric_code_is_still_expired(client, zoom):
    zoom.post(TOKEN_URL, status=400, json={"reason": "Code is expired.", "error": "invalid_grant"})
    with pytest.raises(ZoomCodeExpired):
        client.exchange_code("old", "v", "https://app.test/cb/")


# What Zoom answers once the sandbox is as strict as Zoom -------------------------------------


def test_a_refresh_refused_with_4711_says_the_apps_scopes_changed(client, zoom):
    zoom.post(
        TOKEN_URL,
        status=400,
        json={"reason": "Invalid Token!", "error": "invalid_grant", "code": 4711},
    )
    with pytest.raises(ZoomNeedsReconnect) as caught:
        client.refresh("refresh-1")
    assert caught.value.reason == ReconnectReason.SCOPES_CHANGED
    assert "permissions changed" in caught.value.reason.label


def test_a_refresh_refused_with_4737_asks_to_authorize_again(client, zoom):
    zoom.post(
        TOKEN_URL,
        status=400,
        json={"reason": "Re-authorize", "error": "invalid_grant", "code": 4737},
    )
    with pytest.raises(ZoomNeedsReconnect) as caught:
        client.refresh("refresh-1")
    assert caught.value.reason == ReconnectReason.REAUTHORIZE


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "Something odd", "error": "invalid_request"},
        {"error": "temporarily_refused"},
        {"reason": "Unknown", "error": "invalid_grant", "code": 4799},
    ],
)
def test_a_refresh_refused_in_a_way_we_do_not_know_needs_reconnect(client, zoom, body):
    zoom.post(TOKEN_URL, status=400, json=body)
    with pytest.raises(ZoomNeedsReconnect):
        client.refresh("refresh-1")


def test_code_4700_on_an_api_call_is_missing_scopes(client, zoom):
    zoom.get(ME_URL, status=400, json={"code": 4700, "message": "Invalid access token"})
    with pytest.raises(ZoomMissingScopes):
        client.get_me("t")


@pytest.mark.parametrize(
    ("code", "error"),
    [(3002, ZoomMeetingInProgress), (3007, ZoomMeetingEnded), (3003, ZoomNotMeetingHost)],
)
def test_meeting_state_refusals_of_patch_and_delete_are_typed(client, zoom, code, error):
    zoom.patch(MEETING_URL, status=400, json={"code": code, "message": "no"})
    zoom.delete(MEETING_URL, status=400, json={"code": code, "message": "no"})
    with pytest.raises(error):
        client.update_meeting("t", 85746065432, {"topic": "x"})
    with pytest.raises(error):
        client.delete_meeting("t", 85746065432)


@pytest.mark.parametrize(
    "body", [{"code": 4711, "message": "no scope"}, {"message": "Unauthorized"}, None]
)
def test_a_read_refused_with_401_not_for_the_token_is_a_missing_scope(client, zoom, body):
    """Zoom refuses reads the grant's scopes do not allow with 4711/4700, or with a 401 that is
    not code 124 (the token)."""
    from integrations.zoom.api.errors import ZoomMissingScopes

    if body is None:
        zoom.get(MEETING_URL, status=401, body="")
    else:
        zoom.get(MEETING_URL, status=401, json=body)
    with pytest.raises(ZoomMissingScopes):
        client.get_meeting("t", 85746065432)


def test_a_401_with_code_124_is_still_an_expired_token(client, zoom):
    zoom.get(MEETING_URL, status=401, json={"code": 124, "message": "Invalid access token."})
    with pytest.raises(ZoomTokenExpired):
        client.get_meeting("t", 85746065432)
