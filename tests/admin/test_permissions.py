"""Staff only: outsiders get the admin login, staff see and do only what they were granted."""

import pytest
from django.test import Client

from integrations.zoom.connection.models import ZoomConnection
from tests.admin.conftest import ROSTER_URL, run_action, staff_client
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db
ZOOM_ACTIONS = ("test_connection", "refresh_now", "disconnect", "send_reconnect_email")
ALL_ACTIONS = (*ZOOM_ACTIONS, "export_csv", "export_json")


def action_names(client) -> set[str]:
    form = client.get(ROSTER_URL).context["action_form"]
    if form is None:  # the admin drops the whole actions bar when none is allowed
        return set()
    return {name for name, _ in form.fields["action"].choices if name}


@pytest.mark.parametrize("url", ["/admin/", ROSTER_URL])
def test_anonymous_visitors_are_sent_to_the_admin_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", ["/admin/", ROSTER_URL])
def test_a_rep_who_is_not_staff_gets_the_admin_login_and_nothing_else(rep_client, url):
    ZoomConnectionFactory(zoom_email="secret@example.com")

    response = rep_client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"secret@example.com" not in response.content


def test_a_rep_who_is_not_staff_cannot_run_an_action(rep_client, sandbox):
    zoom = ZoomConnectionFactory()

    response = run_action(rep_client, "disconnect", zoom.user, follow=False)

    assert response.status_code == 302
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert sandbox.calls() == []


def test_staff_without_the_roster_permission_get_403_and_no_overview():
    client = staff_client()
    ZoomConnectionFactory(zoom_email="secret@example.com")

    assert client.get(ROSTER_URL).status_code == 403
    index = client.get("/admin/").content.decode()
    assert 'id="zoom-overview"' not in index
    assert "secret@example.com" not in index


def test_view_permission_shows_the_roster_and_overview_but_no_action():
    client = staff_client("integrations.view_zoomrosterentry")

    assert client.get(ROSTER_URL).status_code == 200
    assert 'id="zoom-overview"' in client.get("/admin/").content.decode()
    assert action_names(client) == set()


def test_a_viewer_posting_an_action_anyway_changes_nothing(sandbox):
    client = staff_client("integrations.view_zoomrosterentry")
    zoom = ZoomConnectionFactory()

    run_action(client, "disconnect", zoom.user)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert sandbox.calls() == []


@pytest.mark.parametrize(
    ("permission", "actions"),
    [
        ("check_zoom_connection", {"test_connection", "refresh_now"}),
        ("disconnect_zoom_connection", {"disconnect"}),
        ("email_zoom_reconnect", {"send_reconnect_email"}),
        ("export_zoom_roster", {"export_csv", "export_json"}),
    ],
)
def test_each_action_needs_its_own_permission(permission, actions):
    client = staff_client("integrations.view_zoomrosterentry", f"integrations.{permission}")
    assert action_names(client) == actions


def test_a_superuser_has_every_action(superuser_client):
    assert action_names(superuser_client) == set(ALL_ACTIONS)


def test_nobody_adds_edits_or_deletes_roster_entries_by_hand(superuser_client):
    rep = RepFactory()

    assert superuser_client.get(f"{ROSTER_URL}add/").status_code == 403
    assert superuser_client.get(f"{ROSTER_URL}{rep.pk}/delete/").status_code == 403
    page = superuser_client.get(f"{ROSTER_URL}{rep.pk}/change/").content.decode()
    assert 'type="submit" value="Save"' not in page


def test_bookings_in_the_overview_need_the_booking_permission():
    viewer = staff_client("integrations.view_zoomrosterentry")
    booking_viewer = staff_client("integrations.view_zoomrosterentry", "meetings.view_booking")

    assert 'id="zoom-bookings-at-risk"' not in viewer.get("/admin/").content.decode()
    assert 'id="zoom-bookings-at-risk"' in booking_viewer.get("/admin/").content.decode()


def test_logged_out_clients_get_nothing_from_the_exports():
    response = Client().post(ROSTER_URL, {"action": "export_csv", "_selected_action": [1]})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
