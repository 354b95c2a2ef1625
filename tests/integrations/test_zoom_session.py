"""A Zoom session: refresh ahead of expiry, refresh once on 124, serialize refreshes per connection,
and mark broken authorizations — against the sandbox, on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from integrations.zoom.api.errors import ZoomNeedsReconnect, ZoomTokenExpired, ZoomUnavailable
from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory
from tests.integrations import steps
from tests.integrations.steps import get_me

EMAIL = "rep.zoom@example.com"


@pytest.fixture
def zoom(db, connect_zoom):
    return connect_zoom(zoom_email=EMAIL)


def test_a_call_with_a_valid_token_just_runs_and_records_success(zoom, sandbox):
    profile = get_me(zoom)
    assert profile["email"] == EMAIL
    zoom.refresh_from_db()
    assert zoom.last_success_at is not None
    assert zoom.last_refreshed_at is None


def test_success_is_written_at_most_once_a_minute(zoom, sandbox):
    # A busy connection succeeds many times a second: its row is not written for each call.
    idle_since = timezone.now() - timedelta(minutes=2)
    ZoomConnection.objects.filter(pk=zoom.pk).update(last_success_at=idle_since)
    zoom.refresh_from_db()

    get_me(zoom)
    zoom.refresh_from_db()
    written = zoom.last_success_at
    get_me(zoom)
    zoom.refresh_from_db()

    assert written > idle_since
    assert zoom.last_success_at == written


def test_a_token_about_to_expire_is_refreshed_first(zoom, sandbox):
    ZoomConnection.objects.filter(pk=zoom.pk).update(
        access_token_expires_at=timezone.now() + timedelta(seconds=30)
    )
    zoom.refresh_from_db()
    old_refresh = zoom.refresh_token

    get_me(zoom)

    zoom.refresh_from_db()
    assert zoom.refresh_token != old_refresh
    assert zoom.last_refreshed_at is not None
    assert zoom.access_token_expires_at > timezone.now() + timedelta(minutes=50)
    assert len(steps.token_calls(sandbox, "refresh_token")) == 1


def test_a_token_zoom_rejects_with_124_is_refreshed_once_and_the_call_retried(zoom, sandbox):
    sandbox.expire_access_tokens(EMAIL)

    assert get_me(zoom)["email"] == EMAIL

    assert len(steps.token_calls(sandbox, "refresh_token")) == 1
    assert len(sandbox.calls(path="/v2/users/me")) == 3  # connect, rejected call, retry


def test_a_second_124_after_refreshing_is_raised_not_looped(zoom, sandbox):
    body = '{"code": 124, "message": "Invalid access token."}'
    sandbox.fail_next("/v2/users/me", status=401, body=body, count=5)

    with pytest.raises(ZoomTokenExpired):
        get_me(zoom)

    assert len(steps.token_calls(sandbox, "refresh_token")) == 1
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED


def test_a_refused_refresh_marks_the_connection_needs_reconnect(zoom, sandbox):
    body = '{"reason": "Invalid Token!", "error": "invalid_grant"}'
    sandbox.fail_next("/oauth/token", status=400, body=body)
    ZoomConnection.objects.filter(pk=zoom.pk).update(access_token_expires_at=timezone.now())
    zoom.refresh_from_db()

    with pytest.raises(ZoomNeedsReconnect):
        get_me(zoom)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.NEEDS_RECONNECT
    assert zoom.needs_reconnect_reason == "invalid_grant"
    assert zoom.needs_reconnect_since is not None


def test_an_admin_withdrawing_approval_marks_needs_reconnect_with_4738(db, sandbox):
    account_id = sandbox.create_user(EMAIL, requires_preapproval=True)["account_id"]
    sandbox.approve(account_id)
    rep = RepFactory()
    client = Client()
    client.force_login(rep)
    steps.connect(client, sandbox, EMAIL)
    zoom = ZoomConnection.objects.get(user=rep)
    sandbox.withdraw_approval(account_id)

    with pytest.raises(ZoomNeedsReconnect):
        get_me(zoom)

    zoom.refresh_from_db()
    assert zoom.needs_reconnect_reason == "approval_withdrawn"
    page = client.get("/integrations/").content.decode()
    assert "Ask your Zoom admin to approve" in page


def test_zoom_down_during_a_refresh_does_not_break_the_connection(zoom, sandbox):
    sandbox.fail_next("/oauth/token", status=503)
    ZoomConnection.objects.filter(pk=zoom.pk).update(access_token_expires_at=timezone.now())
    zoom.refresh_from_db()

    with pytest.raises(ZoomUnavailable):
        get_me(zoom)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert get_me(zoom)["email"] == EMAIL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_needing_an_expired_token_at_once_refresh_exactly_once(sandbox, connect_zoom):
    zoom = connect_zoom(zoom_email=EMAIL)
    ZoomConnection.objects.filter(pk=zoom.pk).update(access_token_expires_at=timezone.now())
    # Slow Zoom down so every thread is inside a session while the first refresh is in flight.
    sandbox.set_knobs(latency_ms=300)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def worker():
        try:
            connection = ZoomConnection.objects.get(pk=zoom.pk)
            barrier.wait()
            results.append(get_me(connection)["email"])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert results == [EMAIL] * 4
    assert len(steps.token_calls(sandbox, "refresh_token")) == 1
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert get_me(zoom)["email"] == EMAIL
