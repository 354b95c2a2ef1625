"""Zoom tokens never reach an admin page or an export, nor even the roster's queries."""

import csv
import io
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from integrations.models import ReconnectNotice
from integrations.zoom.admin.roster import EXPORT_COLUMNS
from tests.admin.conftest import ROSTER_URL, run_action
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db
TOKEN_FIELD_NAMES = ("access_token", "refresh_token")


@pytest.fixture
def connections(connect_acme_rep):
    real = connect_acme_rep(zoom_email="real@acme.example")
    broken = ZoomConnectionFactory(zoom_email="broken@example.com")
    broken.mark_needs_reconnect("invalid_grant", "refresh refused")
    ReconnectNotice.objects.create(
        rep=broken.user, email=broken.user.email, connection_status="needs_reconnect"
    )
    return [real, broken, ZoomConnectionFactory()]


def assert_no_tokens(content: str, connections) -> None:
    for connection in connections:
        assert connection.access_token and connection.access_token not in content
        assert connection.refresh_token and connection.refresh_token not in content
    for name in TOKEN_FIELD_NAMES:
        assert name not in content


def test_the_roster_page_shows_no_token(superuser_client, connections):
    page = superuser_client.get(ROSTER_URL).content.decode()
    assert "real@acme.example" in page
    assert_no_tokens(page, connections)


def test_a_reps_detail_and_history_pages_show_no_token(superuser_client, connections):
    for connection in connections:
        run_action(superuser_client, "test_connection", connection.user)
        for url in (
            f"{ROSTER_URL}{connection.user_id}/change/",
            f"{ROSTER_URL}{connection.user_id}/history/",
        ):
            response = superuser_client.get(url)
            assert response.status_code == 200, url
            assert_no_tokens(response.content.decode(), connections)


def test_the_admin_index_overview_and_the_reconnect_email_log_show_no_token(
    superuser_client, connections
):
    for url in ("/admin/", "/admin/integrations/reconnectnotice/"):
        response = superuser_client.get(url)
        assert response.status_code == 200
        assert_no_tokens(response.content.decode(), connections)


def test_the_csv_export_has_only_the_whitelisted_columns_and_no_token(
    superuser_client, connections
):
    response = run_action(
        superuser_client, "export_csv", *[c.user for c in connections], follow=False
    )

    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS
    assert {row["zoom_email"] for row in rows} >= {"real@acme.example", "broken@example.com"}
    assert_no_tokens(content, connections)
    logged = LogEntry.objects.filter(user=superuser_client.staff)
    assert {entry.object_id for entry in logged} == {str(c.user_id) for c in connections}
    assert {entry.change_message for entry in logged} == {
        "Exported the Zoom roster as CSV (3 reps)."
    }


def test_the_json_export_has_only_the_whitelisted_columns_and_no_token(
    superuser_client, connections
):
    response = run_action(
        superuser_client, "export_json", *[c.user for c in connections], follow=False
    )

    content = response.content.decode()
    reps = json.loads(content)["reps"]
    assert len(reps) == 3
    assert all(tuple(rep) == EXPORT_COLUMNS for rep in reps)
    assert_no_tokens(content, connections)


def test_the_roster_never_reads_the_token_columns(superuser_client, connections):
    with CaptureQueriesContext(db) as queries:
        superuser_client.get(ROSTER_URL)
        superuser_client.get(f"{ROSTER_URL}{connections[0].user_id}/change/")
        superuser_client.get("/admin/")

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "zoom_zoomconnection" in sql
    for name in TOKEN_FIELD_NAMES:
        assert f'."{name}"' not in sql
