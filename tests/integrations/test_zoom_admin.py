"""The Django admin lists Zoom connections and never shows their tokens."""

import pytest

from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(RepFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_and_shows_a_connection_without_its_tokens(admin_client):
    zoom = ZoomConnectionFactory(zoom_email="listed@example.com")

    listing = admin_client.get("/admin/zoom/zoomconnection/").content.decode()
    detail = admin_client.get(f"/admin/zoom/zoomconnection/{zoom.pk}/change/").content.decode()

    assert "listed@example.com" in listing
    assert "listed@example.com" in detail
    for page in (listing, detail):
        assert zoom.access_token not in page
        assert zoom.refresh_token not in page


def test_the_admin_index_lists_reps_zoom_connections_once_through_the_roster(admin_client):
    index = admin_client.get("/admin/").content.decode()

    assert "/admin/integrations/zoomrosterentry/" in index
    assert 'href="/admin/zoom/zoomconnection/"' not in index
