"""send_invites: when invites go out, to whom, and never twice for one version."""

from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Booking, InviteDelivery
from meetings.placeholders import format_start
from meetings.services.invites import send_invites
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_a_zoom_booking_confirms_to_the_guest_at_once_and_invites_when_its_link_is_ready(
    mailoutbox,
):
    booking = BookingFactory(link_state=LinkState.PENDING)
    assert send_invites(booking.pk) == 1
    assert send_invites(booking.pk) == 0
    (confirmation,) = mailoutbox
    assert confirmation.to == [booking.guest_email]
    assert confirmation.subject.startswith("Booked: ")
    assert "follow in a separate email" in confirmation.body
    assert "/bookings/guest/" in confirmation.body  # their booking page
    assert not confirmation.attachments  # no calendar invite without the Zoom link
    booking.refresh_from_db()
    assert booking.invites_sent_sequence is None  # the invite itself is still due


def test_a_ready_booking_invites_the_guest_and_the_rep_once(mailoutbox):
    booking = BookingFactory(
        link_state=LinkState.READY, zoom_meeting_id="1", zoom_join_url="https://zoom.example/j/1"
    )
    assert send_invites(booking.pk) == 2
    assert send_invites(booking.pk) == 0
    assert len(mailoutbox) == 2
    assert all("https://zoom.example/j/1" in m.body for m in mailoutbox)
    booking.refresh_from_db()
    assert booking.invites_sent_sequence == 0


def test_a_booking_cancelled_before_any_invite_sends_no_cancellation(mailoutbox):
    booking = BookingFactory(link_state=LinkState.PENDING)
    booking.cancel(Booking.Actor.GUEST)
    booking.save()
    assert send_invites(booking.pk) == 0
    assert not InviteDelivery.objects.exists()


def ready(**kwargs):
    return BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="1",
        zoom_join_url="https://zoom.example/j/1",
        **kwargs,
    )


def test_the_zoom_details_appear_once_in_an_invite(mailoutbox):
    send_invites(ready().pk)
    for message in mailoutbox:
        assert message.body.count("https://zoom.example/j/1") == 1


def test_a_cancellation_says_so_with_the_reason_and_who_cancelled(mailoutbox):
    booking = ready()
    send_invites(booking.pk)
    mailoutbox.clear()
    booking.cancel(Booking.Actor.GUEST, "  Budget was cut. ")
    booking.save()
    send_invites(booking.pk)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    to_rep = by_recipient[booking.rep.email]
    assert to_rep.body.startswith(f"This meeting is cancelled by {booking.guest_name}.")
    assert "Reason: Budget was cut." in to_rep.body
    assert "adds it to your calendar" not in to_rep.body
    assert "removes it from your calendar" in to_rep.body
    assert "https://zoom.example/j/1" not in to_rep.body


def test_an_update_shows_the_old_and_the_new_time(mailoutbox):
    booking = ready(guest_time_zone="UTC")
    send_invites(booking.pk)
    mailoutbox.clear()
    old = booking.start_at
    booking.move_to(old + timedelta(days=1), booking.end_at + timedelta(days=1))
    booking.link_state = LinkState.READY
    booking.save()
    send_invites(booking.pk)
    guest = next(m for m in mailoutbox if m.to == [booking.guest_email])
    assert f"Was: {format_start(old, 'UTC')}" in guest.body
    assert f"Now: {format_start(booking.start_at, 'UTC')}" in guest.body


# Outside a test transaction, as a worker runs it: marking the version sent is one statement in
# autocommit, so the database failing there leaves nothing half done to roll back.
@pytest.mark.django_db(transaction=True)
def test_a_cancellation_retried_after_a_database_error_is_not_sent_twice(mailoutbox):
    booking = ready()
    send_invites(booking.pk)
    booking.cancel(Booking.Actor.REP)
    booking.save()
    mailoutbox.clear()

    failed = []

    def fail_marking_sent_once(execute, sql, params, many, context):
        if 'SET "invites_sent_sequence"' in sql and not failed:
            failed.append(sql)
            raise OperationalError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_marking_sent_once), pytest.raises(OperationalError):
        send_invites(booking.pk)
    assert len(mailoutbox) == 2
    send_invites(booking.pk)  # the task's retry
    assert len(mailoutbox) == 2
    booking.refresh_from_db()
    assert booking.invites_sent_sequence == booking.invite_sequence


def test_a_message_that_could_not_be_sent_is_sent_on_the_retry(mailoutbox, settings):
    booking = ready()
    settings.EMAIL_BACKEND = "tests.meetings.test_send_invites.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        send_invites(booking.pk)
    assert not InviteDelivery.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invites(booking.pk) == 2


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down (the network edge)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class CountingBackend(BaseEmailBackend):
    """A mail server that counts the connections made to it (the network edge)."""

    connections = 0
    sent: list = []

    def open(self):
        CountingBackend.connections += 1
        return True

    def close(self):
        pass

    def send_messages(self, email_messages):
        CountingBackend.sent.extend(email_messages)
        return len(email_messages)


def test_a_change_sends_everyone_the_same_calendar_file_over_one_connection(settings):
    booking = ready()
    settings.EMAIL_BACKEND = "tests.meetings.test_send_invites.CountingBackend"
    CountingBackend.connections, CountingBackend.sent = 0, []

    with CaptureQueriesContext(connection) as queries:
        assert send_invites(booking.pk) == 2

    assert CountingBackend.connections == 1
    guest, rep = CountingBackend.sent
    calendars = [m.attachments[0].get_payload(decode=True) for m in (guest, rep)]
    assert calendars[0] == calendars[1]
    # Lock and read the booking, read what was sent, record both messages, mark the version.
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 4, statements


def test_a_confirmation_marks_nothing_sent(mailoutbox):
    booking = BookingFactory(link_state=LinkState.PENDING)
    with CaptureQueriesContext(connection) as queries:
        assert send_invites(booking.pk) == 1
    assert not any(q["sql"].startswith("UPDATE") for q in queries)
