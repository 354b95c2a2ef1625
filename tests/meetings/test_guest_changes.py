"""The prospect reschedules and cancels through the signed link from their email."""

import pytest
from icalendar import Calendar

from meetings import guest_access
from meetings.models import Booking, InviteDelivery
from meetings.services.invites import send_invites
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    booking = BookingFactory(meeting_type=meeting_type)
    send_invites(booking.pk)
    return booking


def calendar_of(message):
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_guests_invite_carries_the_signed_link(booking, mailoutbox):
    (guest_mail,) = [m for m in mailoutbox if m.to == [booking.guest_email]]
    assert guest_access.manage_url(booking) in guest_mail.body
    (rep_mail,) = [m for m in mailoutbox if m.to == [booking.rep.email]]
    assert guest_access.token_for(booking) not in rep_mail.body


def test_the_guest_reschedules_and_both_get_an_updated_invite(
    client, booking, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    token = guest_access.token_for(booking)
    assert client.get(f"/bookings/guest/{token}/reschedule/").status_code == 200
    new_start = next_slot(days=5, hour=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bookings/guest/{token}/reschedule/", {"start": new_start.isoformat(), "confirm": "1"}
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start_at == new_start
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        calendar, event = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == new_start


def test_the_guest_cancels_and_both_get_a_cancellation(
    client, booking, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    token = guest_access.token_for(booking)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bookings/guest/{token}/cancel/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_by == "guest"
    for message in mailoutbox:
        calendar, event = calendar_of(message)
        assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1
    page = client.get(f"/bookings/guest/{token}/")
    assert b"This meeting is cancelled" in page.content
    assert b"Reschedule" not in page.content


def test_cancelling_twice_sends_one_cancellation(
    client, booking, mailoutbox, django_capture_on_commit_callbacks
):
    token = guest_access.token_for(booking)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bookings/guest/{token}/cancel/")
        client.post(f"/bookings/guest/{token}/cancel/")
    assert InviteDelivery.objects.filter(method="CANCEL").count() == 2  # guest and rep, once


def test_a_cancelled_meeting_cannot_be_moved(client, booking):
    token = guest_access.token_for(booking)
    client.post(f"/bookings/guest/{token}/cancel/")
    response = client.post(
        f"/bookings/guest/{token}/reschedule/",
        {"start": next_slot(days=5).isoformat(), "confirm": "1"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start_at == next_slot()


def test_a_reschedule_without_a_time_says_so_and_changes_nothing(client, booking):
    token = guest_access.token_for(booking)
    response = client.post(f"/bookings/guest/{token}/reschedule/", {})
    assert "Please pick a new time." in response.content.decode()
    booking.refresh_from_db()
    assert booking.invite_sequence == 0


def test_cancel_asks_first_and_a_get_changes_nothing(client, booking):
    token = guest_access.token_for(booking)
    response = client.get(f"/bookings/guest/{token}/cancel/")
    assert response.status_code == 200
    assert "Reason (optional)" in response.content.decode()
    booking.refresh_from_db()
    assert not booking.is_cancelled


def test_picking_a_new_time_shows_old_and_new_and_changes_nothing_until_confirmed(client, booking):
    token = guest_access.token_for(booking)
    new_start = next_slot(days=5, hour=14)
    response = client.post(f"/bookings/guest/{token}/reschedule/", {"start": new_start.isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<del>" in body and "Move the meeting" in body
    assert f'value="{new_start.isoformat()}"' in body
    booking.refresh_from_db()
    assert booking.start_at == next_slot() and booking.invite_sequence == 0


def test_the_guests_reason_reaches_the_rep(client, booking, mailoutbox):
    token = guest_access.token_for(booking)
    client.post(f"/bookings/guest/{token}/cancel/", {"reason": "We chose another vendor."})
    booking.refresh_from_db()
    assert booking.is_cancelled and booking.cancel_reason == "We chose another vendor."


def test_the_guest_page_offers_add_to_calendar(client, booking):
    from icalendar import Calendar

    token = guest_access.token_for(booking)
    page = client.get(f"/bookings/guest/{token}/").content.decode()
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "outlook.live.com/calendar/0/deeplink/compose" in page
    response = client.get(f"/bookings/guest/{token}/calendar.ics")
    assert response["Content-Type"] == "text/calendar"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == booking.start_at
    assert str(event["LOCATION"]) == booking.location_detail


def test_the_cancel_step_mentions_a_zoom_meeting_only_when_there_is_one(client, booking):
    phone = client.get(f"/bookings/guest/{guest_access.token_for(booking)}/cancel/")
    assert "removed from both calendars." in phone.content.decode()
    assert "Zoom meeting is deleted" not in phone.content.decode()
    zoom = BookingFactory(meeting_type=MeetingTypeFactory())
    page = client.get(f"/bookings/guest/{guest_access.token_for(zoom)}/cancel/").content.decode()
    assert "removed from both calendars and its Zoom meeting is deleted." in page
