"""Reminders before a meeting: to the guest, their other guests and the rep, each once per start
time, never for a cancelled booking or a time it moved away from, always with the link as it is
when the reminder leaves."""

from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from meetings import tasks
from meetings.models import Booking
from meetings.reminders import ReminderDelivery
from meetings.services.bookings import book_meeting, cancel_booking, reschedule_booking
from meetings.services.reminders import send_reminder
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

HOUR = 60
JOIN = "https://zoom.example/j/81234567890"


def due_now(minutes_ahead=50, **fields):
    """A ready Zoom booking starting in `minutes_ahead` minutes, booked days ago, so its 1-hour
    reminder is due now."""
    now = timezone.now()
    start = now + timedelta(minutes=minutes_ahead)
    booking = BookingFactory(
        start_at=start,
        end_at=start + timedelta(minutes=30),
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url=JOIN,
        zoom_chain="personal",
        additional_guests=["grace@example.org"],
        reminders_from=now - timedelta(days=3),
        next_reminder_at=now - timedelta(minutes=10),
        **fields,
    )
    return booking


def test_a_booking_plans_the_reminders_still_ahead_of_it(django_capture_on_commit_callbacks):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    start = next_slot(days=3)
    with django_capture_on_commit_callbacks():
        booking = book_meeting(
            meeting_type,
            start_at=start,
            guest_name="Ada",
            guest_email="ada@example.org",
            guest_time_zone="UTC",
        )
    assert meeting_type.reminder_minutes == [24 * 60, 60]
    assert booking.next_reminder_at == start - timedelta(days=1)


def test_the_due_reminder_reaches_everyone_once_with_the_join_link(mailoutbox):
    booking = due_now(language="de")
    assert send_reminder(booking.pk) == 3
    assert send_reminder(booking.pk) == 0
    by_email = {m.to[0]: m for m in mailoutbox}
    assert set(by_email) == {booking.guest_email, booking.rep.email, "grace@example.org"}
    guest = by_email[booking.guest_email]
    assert guest.subject.startswith("Erinnerung: ") and guest.subject.endswith("in 50 Minuten")
    assert JOIN in guest.body and "/bookings/guest/" in guest.body
    assert "/bookings/guest/" not in by_email["grace@example.org"].body
    rep = by_email[booking.rep.email]
    assert rep.subject.startswith("Reminder: ") and rep.subject.endswith("in 50 minutes")
    assert JOIN in rep.body
    booking.refresh_from_db()
    assert booking.next_reminder_at is None  # the last one of this start
    assert ReminderDelivery.objects.filter(booking=booking, minutes_before=HOUR).count() == 3


def test_a_cancelled_booking_gets_no_reminder(mailoutbox):
    booking = due_now()
    cancel_booking(booking, by=Booking.Actor.GUEST)
    booking.refresh_from_db()
    assert booking.next_reminder_at is None
    assert send_reminder(booking.pk) == 0 and not mailoutbox


def test_a_moved_booking_gets_the_reminders_of_its_new_time_with_its_current_link(mailoutbox):
    booking = due_now(minutes_ahead=24 * 60 - 10)  # its 24-hour reminder is due
    assert send_reminder(booking.pk) == 3
    mailoutbox.clear()

    # Rescheduled: the new time's reminders are planned; nothing of the old time counts.
    new_start = next_slot(days=5)
    reschedule_booking(booking, start_at=new_start)
    booking.refresh_from_db()
    assert booking.next_reminder_at == new_start - timedelta(days=1)
    assert send_reminder(booking.pk) == 0

    # Moved again to a time 50 minutes away, booked earlier, whose Zoom link changed meanwhile:
    # its 1-hour reminder goes out with the link as it is now.
    now = timezone.now()
    soon = now + timedelta(minutes=50)
    Booking.objects.filter(pk=booking.pk).update(
        start_at=soon,
        end_at=soon + timedelta(minutes=30),
        link_state=LinkState.READY,
        zoom_join_url="https://zoom.example/j/99999999999",
        reminders_from=now - timedelta(hours=3),
        next_reminder_at=now,
    )
    assert send_reminder(booking.pk) == 3
    assert all("https://zoom.example/j/99999999999" in m.body for m in mailoutbox)
    assert not any(JOIN in m.body for m in mailoutbox)
    assert ReminderDelivery.objects.filter(start_at=soon).count() == 3


def test_a_stopped_sweeper_sends_one_reminder_not_a_burst(mailoutbox):
    booking = due_now(minutes_ahead=30)  # both the 24-hour and the 1-hour reminder are late
    assert send_reminder(booking.pk) == 3
    # It says what is left, not what it was meant to say an hour ago.
    assert {m.subject.rsplit(", ", 1)[-1] for m in mailoutbox} == {"in 30 minutes"}
    assert send_reminder(booking.pk) == 0
    assert set(ReminderDelivery.objects.values_list("minutes_before", flat=True)) == {HOUR}


class DownBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError("the mail server is down")

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_reminder_the_mail_server_refused_is_sent_on_the_retry(mailoutbox, settings):
    booking = due_now()
    settings.EMAIL_BACKEND = "tests.meetings.test_reminders.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        send_reminder(booking.pk)
    assert not ReminderDelivery.objects.exists()
    booking.refresh_from_db()
    assert booking.next_reminder_at > timezone.now()  # due again shortly
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Booking.objects.filter(pk=booking.pk).update(next_reminder_at=timezone.now())
    assert send_reminder(booking.pk) == 3
    assert send_reminder(booking.pk) == 0


def test_the_sweeper_hands_due_bookings_to_a_worker(mailoutbox):
    due = due_now()
    later = BookingFactory(next_reminder_at=timezone.now() + timedelta(hours=5))
    assert tasks.sweep_due_reminders() == 1
    assert {m.to[0] for m in mailoutbox} >= {due.guest_email}
    assert not ReminderDelivery.objects.filter(booking=later).exists()


def test_changing_a_types_reminders_plans_its_upcoming_bookings_again(rep_client, rep):
    from tests.meetings.test_meeting_type_views import valid_data

    meeting_type = MeetingTypeFactory(rep=rep, slug="intro")
    booking = BookingFactory(meeting_type=meeting_type, start_at=next_slot(days=5))
    data = valid_data(reminder_minutes=["120"])
    assert rep_client.post(f"/meeting-types/{meeting_type.pk}/edit/", data).status_code == 302
    meeting_type.refresh_from_db()
    assert meeting_type.reminder_minutes == [120]
    booking.refresh_from_db()
    assert booking.next_reminder_at == booking.start_at - timedelta(hours=2)


def test_beat_sweeps_the_reminders_every_minute(settings):
    (entry,) = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "meetings.tasks.sweep_due_reminders"
    ]
    assert entry["schedule"] == 60
