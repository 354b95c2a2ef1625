"""notify_needs_reconnect: a reconnect link by email, at most once a day, never once it works."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from integrations.models import ReconnectNotice
from integrations.zoom.api.errors import ZoomNeedsReconnect
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.connect_failures import ConnectProblem
from integrations.zoom.connection.notifications import notify_needs_reconnect
from tests.admin.conftest import ACME
from tests.factories import RepFactory
from tests.integrations import steps
from tests.meetings.factories import BookingFactory, next_slot

pytestmark = pytest.mark.django_db
RECONNECT_URL = "http://127.0.0.1:8000/integrations/"


@pytest.fixture
def broken(connect_acme_rep, sandbox):
    """A rep connected for real whose Zoom admin then withdrew the app's approval (4738)."""
    sandbox.create_user("admin@acme.example", account_id=ACME, requires_preapproval=True)
    sandbox.approve(ACME)
    connection = connect_acme_rep(RepFactory(first_name="Dana", last_name="Lee"))
    sandbox.withdraw_approval(ACME)
    with pytest.raises(ZoomNeedsReconnect):
        steps.get_me(connection)
    connection.refresh_from_db()
    return connection


def test_a_broken_connection_gets_an_email_with_the_reconnect_link(broken):
    assert notify_needs_reconnect(broken) is True

    (email,) = mail.outbox
    assert email.to == [broken.user.email]
    assert "Reconnect Zoom" in email.subject
    assert RECONNECT_URL in email.body
    assert "Hi Dana Lee," in email.body
    assert ReconnectReason.APPROVAL_WITHDRAWN.label in email.body
    assert ConnectProblem.APPROVAL_REQUIRED.page.explanation in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{RECONNECT_URL}"' in html
    notice = ReconnectNotice.objects.get()
    assert (notice.rep, notice.reason, notice.sent_by) == (
        broken.user,
        ReconnectReason.APPROVAL_WITHDRAWN,
        None,
    )


def test_a_second_notice_within_a_day_sends_nothing(broken):
    notify_needs_reconnect(broken)

    assert notify_needs_reconnect(broken) is False
    assert len(mail.outbox) == 1


def test_a_day_later_the_rep_is_reminded_again(broken):
    notify_needs_reconnect(broken)
    ReconnectNotice.objects.update(sent_at=timezone.now() - timedelta(hours=24, minutes=1))

    assert notify_needs_reconnect(broken) is True
    assert len(mail.outbox) == 2


def test_an_admin_can_force_a_second_email_the_same_day(broken):
    notify_needs_reconnect(broken)

    assert notify_needs_reconnect(broken, force=True) is True
    assert len(mail.outbox) == 2


def test_no_email_once_the_rep_has_reconnected(broken, sandbox):
    notify_needs_reconnect(broken)
    ReconnectNotice.objects.update(sent_at=timezone.now() - timedelta(days=2))
    sandbox.approve(ACME)
    browser = Client()
    browser.force_login(broken.user)
    steps.connect(browser, sandbox, broken.zoom_email)

    assert notify_needs_reconnect(broken) is False
    assert notify_needs_reconnect(broken, force=True) is False
    assert len(mail.outbox) == 1


def test_a_healthy_connection_never_gets_the_email(connect_acme_rep):
    connection = connect_acme_rep()

    assert notify_needs_reconnect(connection, force=True) is False
    assert mail.outbox == []
    assert not ReconnectNotice.objects.exists()


def test_a_failed_send_does_not_use_up_the_days_email(broken, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard

    with pytest.raises(OSError):
        notify_needs_reconnect(broken)

    assert not ReconnectNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_needs_reconnect(broken) is True


def test_the_email_counts_the_bookings_waiting_for_the_link(broken):
    for days in (2, 3):
        BookingFactory(
            meeting_type__rep=broken.user,
            start_at=next_slot(days=days),
            link_state="waiting_for_reconnect",
        )

    notify_needs_reconnect(broken)

    assert "2 bookings waiting" in mail.outbox[0].subject
    assert "2 upcoming bookings are waiting for a Zoom link" in mail.outbox[0].body
