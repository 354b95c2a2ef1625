"""The keep-alive beat task: idle connections get new tokens and a check, busy ones are left alone,
broken ones are found before a booking needs them — against the Zoom sandbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from integrations.zoom.connection.health import Health
from integrations.zoom.connection.keepalive import connections_due_for_keepalive
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.tasks import check_zoom_connection, keep_zoom_connections_alive
from tests.integrations import steps as connect_steps
from tests.integrations.factories import ZoomConnectionFactory
from tests.lifecycle import steps

pytestmark = pytest.mark.django_db
ZOOM_EMAIL = "idle.rep@example.com"
TOKEN_124 = '{"code": 124, "message": "Invalid access token."}'


def run_keepalive(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        keep_zoom_connections_alive.delay()


def profile_calls(sandbox) -> list[dict]:
    """`GET /users/me` alone (connecting and every check also read `/users/me/settings`)."""
    return sandbox.calls(path="/v2/users/me")


def test_an_idle_connection_gets_new_tokens_and_is_checked_with_zoom(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    steps.make_idle(zoom)
    old_refresh_token = zoom.refresh_token

    run_keepalive(django_capture_on_commit_callbacks)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom.refresh_token != old_refresh_token
    assert timezone.now() - zoom.last_refreshed_at < timedelta(minutes=1)
    assert timezone.now() - zoom.last_success_at < timedelta(minutes=1)
    assert sandbox.token_stats(ZOOM_EMAIL)["refresh_count"] == 1
    assert [call["status"] for call in profile_calls(sandbox)] == [200, 200]  # connect, check
    assert zoom not in connections_due_for_keepalive()
    assert mail.outbox == []


def test_the_keepalive_keeps_the_hosts_passcode_rules_current(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.set_user_settings(
        ZOOM_EMAIL,
        schedule_meeting={"meeting_password_requirement": {"only_allow_numeric": True}},
    )
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    zoom.refresh_from_db()
    assert zoom.passcode_rules["only_allow_numeric"] is True


def test_a_healthy_recently_used_connection_is_left_alone(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    calls_before = len(sandbox.calls())

    run_keepalive(django_capture_on_commit_callbacks)

    assert zoom not in connections_due_for_keepalive()
    assert len(sandbox.calls()) == calls_before
    assert sandbox.token_stats(ZOOM_EMAIL)["refresh_count"] == 0


def test_a_connection_used_recently_but_with_day_old_tokens_is_due():
    zoom = ZoomConnectionFactory(
        connected_at=timezone.now() - timedelta(days=3), last_success_at=timezone.now()
    )
    assert list(connections_due_for_keepalive()) == [zoom]


def test_connections_that_do_not_work_are_not_checked():
    idle = timezone.now() - timedelta(days=5)
    ZoomConnectionFactory(last_success_at=idle).mark_needs_reconnect("invalid_grant")
    ZoomConnectionFactory(last_success_at=idle).mark_disconnected()
    ZoomConnectionFactory(last_success_at=idle).mark_removed()
    assert list(connections_due_for_keepalive()) == []


def test_the_longest_idle_connection_is_checked_first():
    now = timezone.now()
    recent = ZoomConnectionFactory(last_success_at=now - timedelta(days=2))
    oldest = ZoomConnectionFactory(last_success_at=now - timedelta(days=40))
    # Never used since connecting three days ago: idle for three days.
    unused = ZoomConnectionFactory(last_success_at=None, connected_at=now - timedelta(days=3))
    assert list(connections_due_for_keepalive()) == [oldest, unused, recent]


def test_zoom_down_during_the_keepalive_keeps_the_connection_and_the_next_run_retries(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    steps.make_idle(zoom)
    sandbox.fail_next("/oauth/token", status=503)

    run_keepalive(django_capture_on_commit_callbacks)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert "ZoomUnavailable" in zoom.last_error
    assert zoom in connections_due_for_keepalive()

    run_keepalive(django_capture_on_commit_callbacks)

    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom not in connections_due_for_keepalive()
    assert sandbox.token_stats(ZOOM_EMAIL)["refresh_count"] == 1
    assert mail.outbox == []


def test_a_check_whose_token_zoom_rejects_refreshes_once_and_retries_once(sandbox):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.expire_access_tokens(ZOOM_EMAIL)

    assert check_zoom_connection.delay(zoom.pk).get() == Health.HEALTHY

    assert [call["status"] for call in profile_calls(sandbox)] == [200, 401, 200]
    assert len(connect_steps.token_calls(sandbox, "refresh_token")) == 1


def test_a_check_that_zoom_keeps_answering_124_stops_after_one_refresh_and_one_retry(sandbox):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.fail_next("/v2/users/me", status=401, body=TOKEN_124, count=10)

    assert check_zoom_connection.delay(zoom.pk).get() == Health.UNAVAILABLE

    assert [call["status"] for call in profile_calls(sandbox)] == [200, 401, 401]
    assert len(connect_steps.token_calls(sandbox, "refresh_token")) == 1
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert mail.outbox == []


def test_checking_a_connection_that_is_not_connected_calls_nobody(sandbox):
    zoom = ZoomConnectionFactory()
    zoom.mark_disconnected()
    assert check_zoom_connection.delay(zoom.pk).get() == Health.NOT_CONNECTED
    assert sandbox.calls() == []


def test_celery_beat_runs_the_keepalive_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["zoom-keep-connections-alive"]
    assert entry["task"] == keep_zoom_connections_alive.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 60 * 60
