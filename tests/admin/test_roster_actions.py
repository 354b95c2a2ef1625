"""The roster's actions, against the Zoom sandbox: test, refresh, disconnect, reconnect email.
Each one is reported to the admin and logged (who, what, when) in Django's admin log."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail

from integrations.models import ReconnectNotice, ZoomRosterEntry
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from tests.admin.conftest import ACME, messages_of, run_action
from tests.factories import RepFactory

pytestmark = pytest.mark.django_db


def log_for(rep) -> LogEntry:
    (entry,) = LogEntry.objects.filter(object_id=str(rep.pk))
    return entry


def assert_logged(client, rep, text: str) -> None:
    entry = log_for(rep)
    assert entry.user == client.staff
    assert entry.action_flag == CHANGE
    assert entry.action_time is not None
    assert entry.content_type.model_class() is ZoomRosterEntry
    assert text in entry.get_change_message()


def test_testing_a_working_connection_asks_zoom_who_the_user_is(
    superuser_client, connect_acme_rep, sandbox
):
    connection = connect_acme_rep(zoom_email="works@acme.example")
    before = len(sandbox.calls("/v2/users/me"))

    response = run_action(superuser_client, "test_connection", connection.user)

    assert len(sandbox.calls("/v2/users/me")) == before + 1
    assert f"{connection.user.email}: Zoom answered for works@acme.example." in messages_of(
        response
    )
    assert_logged(superuser_client, connection.user, "Tested the Zoom connection")
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED


def test_testing_a_connection_whose_approval_was_withdrawn_marks_it_for_reconnecting(
    superuser_client, connect_acme_rep, sandbox
):
    sandbox.create_user("admin@acme.example", account_id=ACME, requires_preapproval=True)
    sandbox.approve(ACME)
    connection = connect_acme_rep(zoom_email="rep@acme.example")
    sandbox.withdraw_approval(ACME)

    response = run_action(superuser_client, "test_connection", connection.user)

    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.NEEDS_RECONNECT
    assert connection.needs_reconnect_reason == ReconnectReason.APPROVAL_WITHDRAWN
    (message,) = messages_of(response)
    assert "now needs reconnecting" in message
    assert ReconnectReason.APPROVAL_WITHDRAWN.label in message
    assert_logged(superuser_client, connection.user, "now needs reconnecting")


def test_testing_while_zoom_is_down_keeps_the_connection_and_records_the_error(
    superuser_client, connect_acme_rep, sandbox
):
    connection = connect_acme_rep()
    sandbox.fail_next("/v2/users/me", status=503)

    response = run_action(superuser_client, "test_connection", connection.user)

    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED
    assert "ZoomUnavailable" in connection.last_error
    assert "did not answer usefully" in messages_of(response)[0]


def test_refreshing_now_gets_new_tokens_from_zoom(superuser_client, connect_acme_rep, sandbox):
    connection = connect_acme_rep()
    old_access, old_refresh = connection.access_token, connection.refresh_token

    response = run_action(superuser_client, "refresh_now", connection.user)

    (refresh,) = [
        c for c in sandbox.calls("/oauth/token") if "grant_type=refresh_token" in c["request_body"]
    ]
    assert refresh["status"] == 200
    connection.refresh_from_db()
    assert connection.access_token != old_access
    assert connection.refresh_token != old_refresh
    assert connection.last_refreshed_at is not None
    assert f"{connection.user.email}: Zoom issued new tokens." in messages_of(response)
    assert_logged(superuser_client, connection.user, "Refreshed the Zoom tokens")


def test_disconnecting_revokes_at_zoom_and_forgets_the_tokens(
    superuser_client, connect_acme_rep, sandbox
):
    connection = connect_acme_rep()
    token = connection.access_token

    response = run_action(superuser_client, "disconnect", connection.user)

    (revoke,) = sandbox.calls("/oauth/revoke")
    assert f"token={token}" in revoke["request_body"]
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.DISCONNECTED
    assert (connection.access_token, connection.refresh_token, connection.zoom_user_id) == (
        "",
        "",
        "",
    )
    assert "Zoom access revoked" in messages_of(response)[0]
    assert_logged(superuser_client, connection.user, "Disconnected Zoom")


def test_disconnecting_while_zoom_is_down_disconnects_here_and_says_what_is_left(
    superuser_client, connect_acme_rep, sandbox
):
    connection = connect_acme_rep()
    sandbox.fail_next("/oauth/revoke", status=503)

    response = run_action(superuser_client, "disconnect", connection.user)

    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.DISCONNECTED
    assert "the rep should remove the app in Zoom" in messages_of(response)[0]


def test_sending_a_reconnect_email_ignores_the_daily_limit_and_records_the_admin(
    superuser_client, connect_acme_rep, sandbox
):
    connection = connect_acme_rep()
    connection.mark_needs_reconnect(ReconnectReason.INVALID_GRANT)
    ReconnectNotice.objects.create(
        rep=connection.user, email=connection.user.email, connection_status="needs_reconnect"
    )

    response = run_action(superuser_client, "send_reconnect_email", connection.user)

    (email,) = mail.outbox
    assert email.to == [connection.user.email]
    assert "http://127.0.0.1:8000/integrations/" in email.body
    notice = ReconnectNotice.objects.first()
    assert notice.sent_by == superuser_client.staff
    assert f"{connection.user.email}: reconnect email sent." in messages_of(response)
    assert_logged(superuser_client, connection.user, "Sent the Zoom reconnect email")


def test_no_reconnect_email_goes_to_a_rep_whose_zoom_works(superuser_client, connect_acme_rep):
    connection = connect_acme_rep()

    response = run_action(superuser_client, "send_reconnect_email", connection.user)

    assert mail.outbox == []
    assert "no email sent, their Zoom connection is “Connected”" in messages_of(response)[0]
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("action", ["test_connection", "refresh_now", "disconnect"])
def test_reps_who_never_connected_are_skipped_without_calling_zoom(
    superuser_client, sandbox, action
):
    rep = RepFactory()

    response = run_action(superuser_client, action, rep)

    assert f"{rep.email}: skipped, they never connected Zoom." in messages_of(response)
    assert sandbox.calls() == []
    assert not LogEntry.objects.exists()


def test_zoom_actions_refuse_more_reps_than_can_be_called_while_the_admin_waits(
    superuser_client, sandbox
):
    reps = RepFactory.create_batch(26)

    response = run_action(superuser_client, "test_connection", *reps)

    assert "Select at most 25 reps at a time" in messages_of(response)[0]
    assert sandbox.calls() == []
