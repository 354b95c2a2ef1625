"""GET /integrations/: the Zoom card in each state, the permissions, and the Basic-plan warning."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db
URL = "/integrations/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_rep_without_zoom_sees_not_connected_and_a_connect_button(rep_client):
    page = rep_client.get(URL).content.decode()
    assert "Not connected" in page
    assert 'action="/integrations/zoom/connect/"' in page
    assert "Connect Zoom" in page


def test_a_connected_rep_sees_who_they_are_connected_as(rep_client, rep):
    ZoomConnectionFactory(
        user=rep,
        zoom_email="rep.zoom@example.com",
        zoom_account_id="acct-123",
        last_success_at=timezone.now() - timedelta(minutes=5),
    )
    page = rep_client.get(URL).content.decode()
    assert "Connected as <strong>rep.zoom@example.com</strong>" in page
    assert "acct-123" in page
    assert "Licensed" in page
    assert "5\xa0minutes ago" in page
    assert "Disconnect Zoom" in page


def test_the_page_lists_what_the_app_may_do_and_the_granted_scopes(rep_client, rep):
    ZoomConnectionFactory(user=rep, scopes="meeting:write user:read")
    page = rep_client.get(URL).content.decode()
    assert "Profile &amp; contact information" in page
    assert "Registration &amp; scheduling" in page
    assert "<code>meeting:write</code>, <code>user:read</code>" in page


def test_a_broken_connection_says_why_and_offers_reconnect(rep_client, rep):
    zoom = ZoomConnectionFactory(user=rep)
    zoom.mark_needs_reconnect(ReconnectReason.AUTHORIZED_ELSEWHERE, "code 4741")
    page = rep_client.get(URL).content.decode()
    assert "Needs attention" in page
    assert "authorized the app again somewhere else" in page
    assert "Reconnect Zoom" in page


def test_approval_withdrawn_shows_the_admin_approval_help(rep_client, rep, settings):
    zoom = ZoomConnectionFactory(user=rep)
    zoom.mark_needs_reconnect(ReconnectReason.APPROVAL_WITHDRAWN)
    page = rep_client.get(URL).content.decode()
    assert "withdrew the app" in page
    assert "Ask your Zoom admin to approve" in page
    assert settings.ZOOM_MARKETPLACE_URL in page


def test_a_connect_that_never_came_back_explains_marketplace_approval(rep_client, rep, settings):
    settings.ZOOM_APP_NAME = "Acme Scheduler"
    settings.ZOOM_MARKETPLACE_URL = "https://marketplace.zoom.us/apps/acme"
    ZoomConnection.objects.create(user=rep, connect_started_at=timezone.now())

    page = rep_client.get(URL).content.decode()

    assert "did not come back from Zoom" in page
    assert "Manage</strong> → <strong>Permissions" in page
    assert 'href="https://marketplace.zoom.us/apps/acme"' in page
    # The ready-to-send message names the app and its scopes.
    message = page.split('id="zoom-admin-message"')[1].split("</textarea>")[0]
    assert "Acme Scheduler" in message
    assert "(classic: user:read, meeting:write)" in message
    assert "meeting:write:meeting" in message and "meeting:read:list_meetings" in message


def test_an_old_unfinished_connect_is_no_longer_mentioned(rep_client, rep):
    ZoomConnection.objects.create(user=rep, connect_started_at=timezone.now() - timedelta(days=2))
    assert "did not come back from Zoom" not in rep_client.get(URL).content.decode()


def test_a_basic_user_is_warned_about_zoom_meeting_types_over_40_minutes(rep_client, rep):
    ZoomConnectionFactory(user=rep, zoom_user_type=ZoomConnection.UserType.BASIC)
    meeting_type = apps.get_model("meetings", "MeetingType")
    meeting_type.objects.create(
        rep=rep, name="Deep dive", slug="deep-dive", duration_minutes=60, location_kind="zoom"
    )
    meeting_type.objects.create(
        rep=rep, name="Quick call", slug="quick", duration_minutes=30, location_kind="zoom"
    )
    meeting_type.objects.create(
        rep=rep,
        name="Site visit",
        slug="visit",
        duration_minutes=90,
        location_kind="in_person",
        location_detail="1 Main St",
    )

    page = rep_client.get(URL).content.decode()

    assert "Zoom ends its meetings after 40 minutes" in page
    assert "Deep dive — 60 minutes" in page
    assert "Quick call" not in page
    assert "Site visit" not in page


def test_a_licensed_user_gets_no_40_minute_warning(rep_client, rep):
    ZoomConnectionFactory(user=rep, zoom_user_type=ZoomConnection.UserType.LICENSED)
    assert "40 minutes" not in rep_client.get(URL).content.decode()


def test_a_rep_never_sees_another_reps_connection(rep_client):
    ZoomConnectionFactory(zoom_email="someone.else@example.com")
    page = rep_client.get(URL).content.decode()
    assert "someone.else@example.com" not in page
    assert "Not connected" in page


def test_no_page_ever_shows_a_token(rep_client, rep):
    zoom = ZoomConnectionFactory(user=rep)
    zoom.mark_needs_reconnect(ReconnectReason.INVALID_GRANT)
    for url in (URL, "/dashboard/"):
        page = rep_client.get(url).content.decode()
        assert zoom.access_token not in page
        assert zoom.refresh_token not in page


def test_before_connecting_the_page_lists_every_scope_of_both_families(rep_client, rep):
    page = rep_client.get(URL).content.decode()
    for scope in ("meeting:read:list_meetings", "meeting:read:meeting", "user:read:settings"):
        assert f"<code>{scope}</code>" in page
    assert "<code>meeting:read</code>" in page


def test_a_new_rep_learns_about_admin_pre_approval_before_the_first_attempt(rep_client, rep):
    page = rep_client.get("/integrations/").content.decode()
    assert "ask your Zoom admin to pre-approve" in page
    assert f"My Zoom account: {rep.email}" in page
    assert 'data-copy-target="zoom-admin-message"' in page
