"""The roster lists every rep with the right status, worst first, with filters and search."""

from datetime import timedelta
from html import escape

import pytest
from django.utils import timezone

from integrations.zoom.admin.roster import RosterStatus
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from tests.admin.conftest import ROSTER_URL
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


def connected(**kwargs) -> ZoomConnection:
    return ZoomConnectionFactory(**kwargs)


def needs_reconnect(reason=ReconnectReason.INVALID_GRANT, **kwargs) -> ZoomConnection:
    connection = ZoomConnectionFactory(**kwargs)
    connection.mark_needs_reconnect(reason, "Zoom said invalid_grant on refresh")
    return connection


def removed(**kwargs) -> ZoomConnection:
    connection = ZoomConnectionFactory(**kwargs)
    connection.mark_removed()
    return connection


def disconnected(**kwargs) -> ZoomConnection:
    connection = ZoomConnectionFactory(**kwargs)
    connection.mark_disconnected()
    return connection


def awaiting_approval(rep=None) -> ZoomConnection:
    connection = ZoomConnection.objects.create(user=rep or RepFactory())
    connection.start_connect_attempt()
    return connection


def listed(client, query: str = "") -> list:
    response = client.get(ROSTER_URL + query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (connected, RosterStatus.CONNECTED),
        (needs_reconnect, RosterStatus.NEEDS_RECONNECT),
        (removed, RosterStatus.REMOVED),
        (disconnected, RosterStatus.DISCONNECTED),
        (awaiting_approval, RosterStatus.AWAITING_APPROVAL),
    ],
)
def test_each_connection_state_is_shown_as_its_status(superuser_client, make, status):
    rep = make().user

    page = superuser_client.get(ROSTER_URL).content.decode()

    (entry,) = [e for e in listed(superuser_client) if e.pk == rep.pk]
    assert entry.roster_status == status
    assert f'<span class="zoom-status zoom-status--{status.value}">{status.label}</span>' in page


def test_a_rep_who_never_started_connecting_is_listed_as_never_connected(superuser_client):
    rep = RepFactory(email="fresh@example.com")

    page = superuser_client.get(ROSTER_URL).content.decode()

    (entry,) = [e for e in listed(superuser_client) if e.pk == rep.pk]
    assert entry.roster_status == RosterStatus.NEVER_CONNECTED
    assert "fresh@example.com" in page
    assert "zoom-status--never_connected" in page


def test_a_connect_click_older_than_a_day_no_longer_counts_as_awaiting_approval(
    superuser_client,
):
    connection = awaiting_approval()
    ZoomConnection.objects.filter(pk=connection.pk).update(
        connect_started_at=timezone.now() - timedelta(days=2)
    )

    (entry,) = [e for e in listed(superuser_client) if e.pk == connection.user_id]

    assert entry.roster_status == RosterStatus.NEVER_CONNECTED


def test_needs_reconnect_says_why(superuser_client):
    needs_reconnect(reason=ReconnectReason.APPROVAL_WITHDRAWN)

    page = superuser_client.get(ROSTER_URL).content.decode()

    assert escape(ReconnectReason.APPROVAL_WITHDRAWN.label) in page


def test_a_connected_rep_shows_their_zoom_identity_plan_scopes_and_times(superuser_client):
    connection = connected(
        zoom_email="rep.zoom@example.com",
        zoom_account_id="acct-42",
        zoom_user_type=ZoomConnection.UserType.BASIC,
        scopes="meeting:write user:read",
        last_success_at=timezone.now() - timedelta(hours=2),
        last_refreshed_at=timezone.now() - timedelta(minutes=5),
    )
    connection.record_error("Checking the connection failed: ZoomUnavailable")

    page = superuser_client.get(ROSTER_URL).content.decode()

    assert "rep.zoom@example.com" in page
    assert "zoom_account=acct-42" in page and ">acct-42<" not in page  # linked, not printed
    assert "everyone on example.com's account" in page
    assert "Basic (free)" in page
    assert "2\xa0hours ago" in page
    # Zoom's own error text is on the rep's page only; the list says there was one.
    assert "Checking the connection failed: ZoomUnavailable" not in page
    assert "Zoom answered with an error" in page
    detail = superuser_client.get(f"{ROSTER_URL}{connection.user_id}/change/").content.decode()
    assert "<code>meeting:write</code> <code>user:read</code>" in detail
    assert "5\xa0minutes ago" in detail
    assert "Checking the connection failed: ZoomUnavailable" in detail


def test_scopes_missing_a_capability_are_flagged(superuser_client):
    connected(scopes="user:read")

    page = superuser_client.get(ROSTER_URL).content.decode()

    assert "Missing: Create meetings" in page


def test_the_roster_is_sorted_worst_first(superuser_client):
    ok = connected().user
    never = RepFactory()
    pending = awaiting_approval().user
    gone = removed().user
    broken = needs_reconnect().user
    off = disconnected().user

    order = [
        e.pk
        for e in listed(superuser_client)
        if e.pk in {r.pk for r in (ok, never, pending, gone, broken, off)}
    ]

    assert order == [broken.pk, gone.pk, pending.pk, never.pk, off.pk, ok.pk]


def test_the_roster_filters_by_status(superuser_client):
    broken = needs_reconnect().user
    connected()

    assert [e.pk for e in listed(superuser_client, "?status=needs_reconnect")] == [broken.pk]


def test_the_roster_filters_by_zoom_account(superuser_client):
    mine = connected(zoom_account_id="acct-mine").user
    connected(zoom_account_id="acct-other")

    entries = listed(superuser_client, "?zoom_account=acct-mine")

    assert [e.pk for e in entries] == [mine.pk]


@pytest.mark.parametrize("query", ["findme@example.com", "zoom-identity@corp.example"])
def test_the_roster_searches_by_rep_or_zoom_email(superuser_client, query):
    rep = RepFactory(email="findme@example.com")
    ZoomConnectionFactory(user=rep, zoom_email="zoom-identity@corp.example")
    connected()

    assert [e.pk for e in listed(superuser_client, f"?q={query}")] == [rep.pk]
