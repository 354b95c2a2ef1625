"""Connecting Zoom end to end against the sandbox: connect, reconnect, Marketplace installs,
and one Zoom user per rep."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from integrations.zoom.api.scopes import CLASSIC_SCOPES, GRANULAR_SCOPES
from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory
from tests.integrations import steps

pytestmark = pytest.mark.django_db


@pytest.mark.both_scope_families
def test_connecting_stores_the_zoom_identity_and_lands_on_my_integrations(rep_client, rep, sandbox):
    sandbox.create_user("rep.zoom@example.com", user_type=2)
    listing = sandbox.knobs()["scope_family"]

    response = steps.connect(rep_client, sandbox, "rep.zoom@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/integrations/"
    zoom = ZoomConnection.objects.get(user=rep)
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom.zoom_email == "rep.zoom@example.com"
    assert zoom.zoom_user_id and zoom.zoom_account_id
    assert zoom.zoom_user_type == ZoomConnection.UserType.LICENSED
    assert zoom.zoom_timezone
    assert zoom.access_token and zoom.refresh_token
    assert zoom.access_token_expires_at is not None
    family = CLASSIC_SCOPES if listing == "classic" else GRANULAR_SCOPES
    assert set(family) <= zoom.granted_scopes
    assert zoom.missing_capabilities == []
    # The host's passcode rules, read at connect (the sandbox's default: at least 6 characters).
    assert zoom.passcode_rules["length"] == 6
    assert zoom.connect_started_at is None
    page = rep_client.get("/integrations/").content.decode()
    assert "Connected as <strong>rep.zoom@example.com</strong>" in page


def test_the_code_is_exchanged_with_http_basic_and_the_pkce_verifier(rep_client, sandbox):
    sandbox.create_user("rep.zoom@example.com")
    callback = steps.consent_url(rep_client, sandbox, "rep.zoom@example.com")
    verifier = steps.pending_connect(rep_client)["verifier"]

    rep_client.get(callback)

    (exchange,) = sandbox.calls("/oauth/token")
    assert exchange["authorization"].lower() == "basic"
    assert f"code_verifier={verifier}" in exchange["request_body"]


def test_a_basic_zoom_user_is_recorded_as_basic(rep_client, rep, sandbox):
    sandbox.create_user("free@example.com", user_type=1)
    steps.connect(rep_client, sandbox, "free@example.com")
    assert ZoomConnection.objects.get(user=rep).is_basic


def test_reconnecting_replaces_the_tokens(rep_client, rep, sandbox):
    sandbox.create_user("rep.zoom@example.com")
    steps.connect(rep_client, sandbox, "rep.zoom@example.com")
    first = ZoomConnection.objects.get(user=rep)

    steps.connect(rep_client, sandbox, "rep.zoom@example.com")

    second = ZoomConnection.objects.get(user=rep)
    assert second.pk == first.pk
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert second.token_generation > first.token_generation
    assert second.status == ZoomConnection.Status.CONNECTED


def test_reconnecting_heals_a_connection_that_needed_it(rep_client, rep, sandbox):
    sandbox.create_user("rep.zoom@example.com")
    steps.connect(rep_client, sandbox, "rep.zoom@example.com")
    zoom = ZoomConnection.objects.get(user=rep)
    zoom.mark_needs_reconnect("invalid_grant")

    steps.connect(rep_client, sandbox, "rep.zoom@example.com")

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom.needs_reconnect_reason == ""


def test_a_second_rep_with_the_same_zoom_user_is_refused(rep_client, rep, sandbox):
    sandbox.create_user("shared@example.com")
    steps.connect(rep_client, sandbox, "shared@example.com")
    other = RepFactory()
    other_client = Client()
    other_client.force_login(other)

    response = steps.connect(other_client, sandbox, "shared@example.com")

    assert response.status_code == 409
    assert "connected to another Scheduler user" in response.content.decode()
    assert not ZoomConnection.objects.filter(user=other, status="connected").exists()
    assert ZoomConnection.objects.get(user=rep).zoom_email == "shared@example.com"


def test_the_first_rep_is_told_when_the_second_authorization_broke_their_connection(
    rep_client, rep, sandbox
):
    sandbox.set_knobs(oauth_error_codes=True)
    sandbox.create_user("shared@example.com")
    steps.connect(rep_client, sandbox, "shared@example.com")
    other_client = Client()
    other_client.force_login(RepFactory())

    steps.connect(other_client, sandbox, "shared@example.com")

    # Zoom invalidates a user's earlier tokens when they authorize again (4741).
    zoom = ZoomConnection.objects.get(user=rep)
    assert zoom.status == ZoomConnection.Status.NEEDS_RECONNECT
    assert zoom.needs_reconnect_reason == "authorized_elsewhere"


def test_a_marketplace_install_restarts_with_our_state_and_connects(rep_client, rep, sandbox):
    sandbox.create_user("market@example.com")

    assert (
        rep_client.get("/integrations/zoom/callback/?code=from-the-marketplace").status_code == 200
    )
    restart = rep_client.post("/integrations/zoom/connect/", {"install": "1"})
    assert restart.status_code == 302
    callback = steps.local(sandbox.consent(restart["Location"], "market@example.com"))
    response = rep_client.get(callback)

    assert response["Location"] == "/integrations/"
    assert ZoomConnection.objects.get(user=rep).zoom_email == "market@example.com"
    assert all("from-the-marketplace" not in c["request_body"] for c in sandbox.calls("/oauth/"))


def test_a_marketplace_install_while_logged_out_connects_after_login(client, rep, sandbox):
    sandbox.create_user("market@example.com")

    to_login = client.get("/integrations/zoom/callback/?code=from-the-marketplace")
    client.force_login(rep)
    client.get(parse_qs(urlsplit(to_login["Location"]).query)["next"][0])
    restart = client.post("/integrations/zoom/connect/", {"install": "1"})
    callback = steps.local(sandbox.consent(restart["Location"], "market@example.com"))
    client.get(callback)

    assert ZoomConnection.objects.get(user=rep).status == ZoomConnection.Status.CONNECTED


@pytest.mark.parametrize(
    ("family", "granted", "missing"),
    [
        # Without creating meetings the product can do nothing: named in the app's family.
        (
            "granular",
            "user:read:user user:read:settings meeting:read:meeting",
            "meeting:write:meeting",
        ),
        ("classic", "user:read meeting:read", "meeting:write"),
        # Without reading the user it cannot tell whose Zoom it is.
        ("classic", "meeting:write", "user:read"),
    ],
)
def test_a_grant_without_creating_meetings_or_reading_the_user_is_refused_at_connect(
    rep_client, rep, sandbox, family, granted, missing
):
    sandbox.set_knobs(scope_family=family, granted_scopes=granted)
    response = steps.connect(rep_client, sandbox, "rep.zoom@example.com")
    assert response.status_code == 403
    assert missing in response.content.decode()
    assert not ZoomConnection.objects.filter(user=rep, status="connected").exists()


@pytest.mark.parametrize(
    ("family", "granted"),
    [
        # The help article's app, exactly.
        ("classic", "user:read meeting:write"),
        # The six granular scopes the product used to document: no meeting list.
        (
            "granular",
            "user:read:user user:read:settings meeting:write:meeting meeting:update:meeting "
            "meeting:delete:meeting meeting:read:meeting",
        ),
    ],
)
def test_the_help_articles_pair_and_the_documented_six_connect(
    rep_client, rep, sandbox, family, granted
):
    sandbox.set_knobs(scope_family=family, granted_scopes=granted)
    response = steps.connect(rep_client, sandbox, "rep.zoom@example.com")
    assert response.status_code == 302
    connection = ZoomConnection.objects.get(user=rep)
    assert connection.status == ZoomConnection.Status.CONNECTED
