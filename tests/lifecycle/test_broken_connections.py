"""Every way a Zoom connection breaks for good: "needs reconnect" with the reason, and the rep
emailed a reconnect link at the transition — not more than once a day, and never once they have
reconnected. Against the Zoom sandbox."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client

from integrations.models import ReconnectNotice
from integrations.zoom.api.errors import ZoomNeedsReconnect, ZoomNotConnected
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.tasks import keep_zoom_connections_alive
from tests.factories import RepFactory
from tests.integrations import steps as connect_steps
from tests.integrations.steps import get_me
from tests.lifecycle import steps

pytestmark = pytest.mark.django_db
ZOOM_EMAIL = "broken.rep@example.com"


def run_keepalive(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        keep_zoom_connections_alive.delay()


def assert_needs_reconnect(connection, reason: ReconnectReason) -> None:
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.NEEDS_RECONNECT
    assert connection.needs_reconnect_reason == reason
    assert connection.needs_reconnect_since is not None


def assert_one_reconnect_email(connection, reason: ReconnectReason) -> None:
    (email,) = mail.outbox
    assert email.to == [connection.user.email]
    assert "Reconnect Zoom" in email.subject
    assert settings.SITE_URL + "/integrations/" in email.body
    assert reason.label in email.body
    assert ReconnectNotice.objects.get().reason == reason


# Each cause, found by the keep-alive before any booking needs the connection --------------------


def test_a_refresh_token_that_no_longer_works_is_invalid_grant(
    sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_knobs(refresh_token_lifetime=1)
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    time.sleep(1.5)  # the refresh token's lifetime runs out
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.INVALID_GRANT)
    assert_one_reconnect_email(zoom, ReconnectReason.INVALID_GRANT)


def test_a_zoom_user_that_no_longer_exists_is_4735(sandbox, django_capture_on_commit_callbacks):
    sandbox.set_knobs(oauth_error_codes=True)
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.delete_user(ZOOM_EMAIL)
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.USER_GONE)
    assert_one_reconnect_email(zoom, ReconnectReason.USER_GONE)


def test_an_admin_withdrawing_the_apps_approval_is_4738(
    sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_knobs(oauth_error_codes=True)
    zoom = steps.connect_preapproved(sandbox, ZOOM_EMAIL)
    sandbox.withdraw_approval(steps.ACCOUNT)
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.APPROVAL_WITHDRAWN)
    assert_one_reconnect_email(zoom, ReconnectReason.APPROVAL_WITHDRAWN)
    assert "Zoom admin" in mail.outbox[0].body


def test_a_withdrawal_found_by_a_call_with_a_fresh_token_is_4738_too(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = steps.connect_preapproved(sandbox, ZOOM_EMAIL)
    sandbox.withdraw_approval(steps.ACCOUNT)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZoomNeedsReconnect):
        get_me(zoom)

    assert_needs_reconnect(zoom, ReconnectReason.APPROVAL_WITHDRAWN)
    assert_one_reconnect_email(zoom, ReconnectReason.APPROVAL_WITHDRAWN)
    assert len(connect_steps.token_calls(sandbox, "refresh_token")) == 0


def test_the_zoom_user_authorizing_the_app_for_another_rep_is_4741(
    sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_knobs(oauth_error_codes=True)
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    other_rep = Client()
    other_rep.force_login(RepFactory())

    # Zoom revokes the first rep's tokens when the same Zoom user authorizes again; the second
    # rep is refused, and the first rep's connection is checked and found broken right away.
    with django_capture_on_commit_callbacks(execute=True):
        response = connect_steps.connect(other_rep, sandbox, ZOOM_EMAIL)

    assert response.status_code == 409  # the "Zoom user already connected" page
    assert_needs_reconnect(zoom, ReconnectReason.AUTHORIZED_ELSEWHERE)
    assert_one_reconnect_email(zoom, ReconnectReason.AUTHORIZED_ELSEWHERE)


@pytest.mark.both_scope_families
def test_a_scope_added_to_the_app_breaks_the_next_refresh_with_a_reason_the_rep_understands(
    sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_knobs(oauth_error_codes=True)
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.set_app_scopes(zoom.scopes + " meeting:read:invitation")
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.SCOPES_CHANGED)
    assert_one_reconnect_email(zoom, ReconnectReason.SCOPES_CHANGED)
    assert "permissions changed" in mail.outbox[0].body


@pytest.mark.parametrize(
    "break_it",
    [
        lambda sandbox, zoom: sandbox.delete_user(ZOOM_EMAIL),
        lambda sandbox, zoom: sandbox.set_app_scopes(zoom.scopes + " meeting:read:invitation"),
        lambda sandbox, zoom: sandbox.uninstall(ZOOM_EMAIL),
    ],
    ids=["user-deleted", "scopes-changed", "revoked"],
)
def test_a_refusal_without_a_numeric_code_still_marks_the_connection_needs_reconnect(
    sandbox, django_capture_on_commit_callbacks, break_it
):
    """Zoom often answers refresh refusals with nothing but "Invalid Token!" / invalid_grant."""
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    break_it(sandbox, zoom)
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.INVALID_GRANT)
    assert "reconnect Zoom" in ReconnectReason.INVALID_GRANT.label


def test_a_refresh_refused_in_a_way_we_do_not_know_does_not_leave_the_connection_healthy(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.fail_next(
        "/oauth/token", status=400, body='{"reason": "Try later", "error": "server_busy"}'
    )
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.REFRESH_REFUSED)


def test_a_refresh_refused_with_4737_asks_the_rep_to_authorize_again(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    sandbox.fail_next(
        "/oauth/token",
        status=400,
        body='{"reason": "Invalid Token!", "error": "invalid_grant", "code": 4737}',
    )
    steps.make_idle(zoom)

    run_keepalive(django_capture_on_commit_callbacks)

    assert_needs_reconnect(zoom, ReconnectReason.REAUTHORIZE)


# Once, and once a day, and never after reconnecting ---------------------------------------------


def age_notices(*, days: int) -> None:
    """As if the reconnect emails had been sent `days` earlier."""
    ReconnectNotice.objects.update(sent_at=F("sent_at") - timedelta(days=days))


def test_workers_finding_the_same_break_email_the_rep_once(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = steps.connect_preapproved(sandbox, ZOOM_EMAIL)
    sandbox.withdraw_approval(steps.ACCOUNT)
    # A second worker loaded the connection before the first one marked it.
    stale_copy = ZoomConnection.objects.get(pk=zoom.pk)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ZoomNeedsReconnect):
            get_me(zoom)
        with pytest.raises(ZoomNeedsReconnect):
            get_me(stale_copy)
        with pytest.raises(ZoomNotConnected):
            get_me(ZoomConnection.objects.get(pk=zoom.pk))

    assert len(mail.outbox) == 1


def test_the_rep_is_reminded_once_a_day_until_they_reconnect(
    sandbox, django_capture_on_commit_callbacks
):
    zoom = steps.connect_preapproved(sandbox, ZOOM_EMAIL)
    sandbox.withdraw_approval(steps.ACCOUNT)
    steps.make_idle(zoom)
    run_keepalive(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    # The hourly runs of the same day send nothing more.
    run_keepalive(django_capture_on_commit_callbacks)
    run_keepalive(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    # A day later, a reminder.
    age_notices(days=1)
    run_keepalive(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    run_keepalive(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2

    # The admin approves the app again and the rep reconnects: no more emails, ever.
    sandbox.approve(steps.ACCOUNT)
    connect_steps.connect_rep(sandbox, ZOOM_EMAIL, rep=zoom.user)
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    age_notices(days=3)
    run_keepalive(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [[zoom.user.email]] * 2


def test_a_removed_connection_gets_no_daily_reminder(sandbox, django_capture_on_commit_callbacks):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    zoom.mark_removed()

    run_keepalive(django_capture_on_commit_callbacks)

    assert mail.outbox == []
