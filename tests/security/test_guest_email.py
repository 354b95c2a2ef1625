"""A guest email with control characters is refused on the form, and an invite the mail server
refuses for good is given up with a reason the rep sees, instead of being retried forever."""

import pytest
from django.test import Client

from meetings import selectors
from meetings.models import Booking, InviteDelivery
from meetings.services.invites import send_invites
from tests.meetings.factories import BookingFactory, MeetingTypeFactory
from tests.security.booking_steps import confirm_url, slot
from tests.security.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db

CONTROL_EMAIL = '"\x01evil"@example.com'


@pytest.fixture
def phone_type():
    return MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield server


@pytest.mark.parametrize("email", [CONTROL_EMAIL, '"a\x7fb"@example.com'])
def test_the_booking_form_refuses_an_email_with_control_characters(client, phone_type, email):
    response = client.post(
        confirm_url(phone_type),
        {"name": "Eve", "email": email, "start": slot(0).isoformat(), "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Booking.objects.exists()


def test_an_invite_refused_for_good_is_given_up_and_the_rep_sees_why(phone_type, smtp):
    # Booked before the form refused such addresses.
    booking = BookingFactory(meeting_type=phone_type, guest_email=CONTROL_EMAIL)

    assert send_invites(booking.pk) == 1

    booking.refresh_from_db()
    assert [r for (r,) in InviteDelivery.objects.values_list("recipient")] == ["rep"]
    assert smtp.delivered == [[booking.rep.email]]
    assert "could not be sent" in booking.invite_error and "501" in booking.invite_error
    assert not selectors.bookings_with_invites_due().filter(pk=booking.pk).exists()
    rep = Client()
    rep.force_login(booking.rep)
    page = rep.get(f"/bookings/{booking.pk}/").content.decode()
    assert "The invite to the guest could not be sent" in page
