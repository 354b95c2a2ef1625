"""Every way connecting can fail at Zoom, end to end against the sandbox: each shows its page with
a next step, no secret or trace, and leaves no half-created connection."""

import json

import pytest

from integrations.zoom.api.pacing import account_limiter
from integrations.zoom.connection.models import ZoomConnection
from scripts.sandbox import PreapprovalRequired
from tests.integrations import steps

pytestmark = pytest.mark.django_db
EMAIL = "rep.zoom@example.com"


@pytest.fixture
def zoom_user(sandbox):
    return sandbox.create_user(EMAIL)


def assert_safe_failure(response, rep, settings, status):
    page = response.content.decode()
    assert response.status_code == status
    assert "Traceback" not in page
    assert settings.ZOOM_CLIENT_SECRET not in page
    assert "Back to My Integrations" in page
    assert not ZoomConnection.objects.filter(user=rep, status="connected").exists()
    assert not ZoomConnection.objects.filter(user=rep).exclude(zoom_user_id="").exists()
    assert ZoomConnection.objects.get(user=rep).connect_started_at is None
    return page


def test_declining_on_zoom_shows_the_declined_page(rep_client, rep, sandbox, zoom_user, settings):
    response = steps.connect(rep_client, sandbox, EMAIL, allow=False)
    page = assert_safe_failure(response, rep, settings, 200)
    assert "You chose not to allow the app" in page
    assert "Connect Zoom again" in page


def test_an_expired_code_shows_the_expired_page(rep_client, rep, sandbox, zoom_user, settings):
    sandbox.set_knobs(code_lifetime=0)
    response = steps.connect(rep_client, sandbox, EMAIL)
    page = assert_safe_failure(response, rep, settings, 400)
    assert "approval expired" in page


def test_a_code_used_twice_shows_the_already_used_page(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    pending = steps.pending_connect(rep_client)
    rep_client.get(callback)
    ZoomConnection.objects.filter(user=rep).update(status="disconnected", zoom_user_id="")
    session = rep_client.session
    session["zoom_connect"] = pending  # the same answer from Zoom, replayed
    session.save()

    page = rep_client.get(callback).content.decode()

    assert "already used" in page


def test_missing_scopes_are_refused_and_the_grant_revoked(
    rep_client, rep, sandbox, zoom_user, settings
):
    sandbox.set_knobs(granted_scopes="user:read")
    response = steps.connect(rep_client, sandbox, EMAIL)
    page = assert_safe_failure(response, rep, settings, 403)
    assert "without some permissions" in page
    # Named in the family the grant is in (classic here): scopes that exist on that app.
    assert "<code>meeting:write</code>" in page
    # Only what the product cannot work without: the reads are tried under meeting:write.
    assert "<code>meeting:read</code>" not in page
    assert sandbox.calls("/oauth/revoke")


def test_zoom_down_during_the_exchange_shows_zoom_unavailable(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    sandbox.fail_next("/oauth/token", status=503)
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 502)
    assert "Zoom is not answering right now" in page


def test_zoom_answering_nonsense_shows_zoom_unavailable(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    sandbox.fail_next("/oauth/token", status=200, kind="non_json")
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 502)
    assert "Zoom is not answering right now" in page


def test_zoom_down_when_reading_the_profile_keeps_nothing(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    sandbox.fail_next("/v2/users/me", kind="drop")
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 502)
    assert "Zoom is not answering right now" in page


def test_zoom_over_its_per_second_limit_shows_zoom_busy_and_keeps_nothing(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    qps = "You have reached the maximum per-second rate limit for this API. Try again later."
    sandbox.fail_next("/v2/users/me", status=429, body=json.dumps({"code": 429, "message": qps}))
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 503)
    assert "Zoom is busy right now" in page and "connect again in a minute" in page
    assert "Zoom refused" not in page
    assert sandbox.calls("/oauth/revoke")  # the grant made is not left active at Zoom


def test_once_zoom_names_the_account_connecting_takes_its_turn_in_the_accounts_pacing(
    rep_client, rep, sandbox, settings, tmp_path
):
    """Zoom's per-second limit counts a connect's calls with every worker's: the calls after the
    profile (which names the account) wait their turn like theirs, and one further off than a
    request may wait is not sent."""
    settings.ZOOM_PACING_URL = f"file://{tmp_path}"
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 0.5  # a turn every 2 s
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 1.0
    sandbox.create_user(EMAIL, account_id="busy-account")
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    account_limiter().acquire("busy-account")  # a worker's call to the account, just now

    page = assert_safe_failure(rep_client.get(callback), rep, settings, 503)

    assert "Zoom is busy right now" in page
    assert sandbox.calls(path="/v2/users/me")  # the profile, before the account was known
    assert sandbox.calls("/v2/users/me/settings") == []  # its turn was 2 s away: never sent


def test_a_redirect_uri_mismatch_is_an_operator_problem(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    settings.SITE_URL = "https://not-the-registered-host.example"
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 503)
    assert "misconfigured on our side" in page
    assert "This is not something you did" in page
    assert "Connect Zoom again" not in page


def test_wrong_app_credentials_are_an_operator_problem(
    rep_client, rep, sandbox, zoom_user, settings
):
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    settings.ZOOM_CLIENT_SECRET = "not-the-real-secret"
    page = assert_safe_failure(rep_client.get(callback), rep, settings, 503)
    assert "misconfigured on our side" in page


def test_approval_withdrawn_before_the_exchange_shows_the_approval_help(
    rep_client, rep, sandbox, settings
):
    account_id = sandbox.create_user(EMAIL, requires_preapproval=True)["account_id"]
    sandbox.approve(account_id)
    callback = steps.consent_url(rep_client, sandbox, EMAIL)
    sandbox.withdraw_approval(account_id)

    page = assert_safe_failure(rep_client.get(callback), rep, settings, 403)

    assert "Your Zoom admin must approve the app first" in page
    assert settings.ZOOM_MARKETPLACE_URL in page
    assert settings.ZOOM_APP_NAME in page


def test_the_preapproval_wall_is_explained_on_my_integrations(rep_client, rep, sandbox, settings):
    sandbox.create_user(EMAIL, requires_preapproval=True)
    authorize_url = steps.start_connect(rep_client)
    with pytest.raises(PreapprovalRequired):
        sandbox.consent(authorize_url, EMAIL)

    page = rep_client.get("/integrations/").content.decode()

    assert "did not come back from Zoom" in page
    assert "Ask your Zoom admin to approve" in page
    assert settings.ZOOM_MARKETPLACE_URL in page


def test_after_the_admin_approves_connecting_works(rep_client, rep, sandbox):
    account_id = sandbox.create_user(EMAIL, requires_preapproval=True)["account_id"]
    sandbox.approve(account_id, EMAIL)
    steps.connect(rep_client, sandbox, EMAIL)
    assert ZoomConnection.objects.get(user=rep).status == ZoomConnection.Status.CONNECTED
