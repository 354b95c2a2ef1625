"""The roster and the overview run the same number of queries for 10 reps as for 1,000."""

from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from tests.admin.conftest import ROSTER_URL

pytestmark = pytest.mark.django_db
Status = ZoomConnection.Status


def add_reps(count: int, start: int) -> None:
    """`count` reps in bulk, cycling through every connection state (tokens included)."""
    now = timezone.now()
    reps = User.objects.bulk_create(
        User(email=f"bulk{n}@example.com", booking_slug=f"bulk-{n}", password="!")
        for n in range(start, start + count)
    )
    connections = []
    for n, rep in enumerate(reps, start):
        kind = n % 6
        if kind == 0:
            continue  # never connected: no row at all
        identity = {
            "zoom_user_id": f"bulkzoom{n}",
            "zoom_account_id": f"bulk-account-{n % 7}",
            "zoom_email": f"zoom{n}@example.com",
            "zoom_user_type": ZoomConnection.UserType.LICENSED,
            "access_token": f"access-{n}",
            "refresh_token": f"refresh-{n}",
            "scopes": "meeting:write user:read",
            "connected_at": now,
        }
        connections.append(
            [
                None,
                ZoomConnection(user=rep, status=Status.CONNECTED, **identity),
                ZoomConnection(
                    user=rep,
                    status=Status.NEEDS_RECONNECT,
                    needs_reconnect_reason=ReconnectReason.APPROVAL_WITHDRAWN,
                    needs_reconnect_since=now - timedelta(hours=n % 48),
                    **identity,
                ),
                ZoomConnection(user=rep, status=Status.REMOVED, removed_at=now),
                ZoomConnection(user=rep, connect_started_at=now),
                ZoomConnection(user=rep, status=Status.DISCONNECTED, connected_at=now),
            ][kind]
        )
    ZoomConnection.objects.bulk_create(connections)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(db) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", [ROSTER_URL, f"{ROSTER_URL}?status=needs_reconnect", "/admin/"])
def test_the_page_runs_as_many_queries_for_1000_reps_as_for_10(superuser_client, url):
    add_reps(10, 0)
    queries_for(superuser_client, url)  # warm the session and content-type caches
    with_10 = queries_for(superuser_client, url)

    add_reps(990, 10)
    with_1000 = queries_for(superuser_client, url)

    assert with_1000 == with_10


def test_the_roster_of_1000_reps_stays_under_a_fixed_query_budget(
    superuser_client, django_assert_max_num_queries
):
    add_reps(1000, 0)
    superuser_client.get(ROSTER_URL)

    with django_assert_max_num_queries(10):
        response = superuser_client.get(ROSTER_URL)

    assert response.status_code == 200


def test_the_roster_of_1000_reps_is_paginated_50_a_page(superuser_client):
    add_reps(1000, 0)  # the superuser looking is staff, not a rep

    first = superuser_client.get(ROSTER_URL)
    last = superuser_client.get(f"{ROSTER_URL}?p=20")

    changelist = first.context["cl"]
    assert changelist.result_count == 1000
    assert len(changelist.result_list) == 50
    assert changelist.paginator.num_pages == 20
    assert len(last.context["cl"].result_list) == 50
    assert not changelist.can_show_all
    assert "?p=20" in first.content.decode()
