"""The site-wide banner for a Zoom connection that needs the rep."""

import pytest

from integrations.zoom.api.reasons import ReconnectReason
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_a_reconnect_banner_for_a_broken_connection(rep_client, rep):
    zoom = ZoomConnectionFactory(user=rep)
    zoom.mark_needs_reconnect(ReconnectReason.INVALID_GRANT)

    page = rep_client.get("/dashboard/").content.decode()

    assert 'id="zoom-attention-banner"' in page
    assert "Your Zoom connection needs attention" in page
    assert "Reconnect Zoom" in page


def test_a_connection_removed_in_zoom_gets_a_banner_too(rep_client, rep):
    zoom = ZoomConnectionFactory(user=rep)
    zoom.mark_removed()
    assert "Zoom was removed from your account" in rep_client.get("/dashboard/").content.decode()


def test_a_healthy_connection_shows_no_banner(rep_client, rep):
    ZoomConnectionFactory(user=rep)
    assert 'id="zoom-attention-banner"' not in rep_client.get("/dashboard/").content.decode()


def test_another_reps_broken_connection_is_not_shown(rep_client):
    other = ZoomConnectionFactory()
    other.mark_needs_reconnect(ReconnectReason.INVALID_GRANT)
    assert 'id="zoom-attention-banner"' not in rep_client.get("/dashboard/").content.decode()
