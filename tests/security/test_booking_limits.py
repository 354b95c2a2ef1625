"""The public booking form and the guest's reschedule are limited per client address, per guest
email and per rep; a refusal is a 429 page and creates nothing."""

import pytest

from meetings.models import Booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory
from tests.security.booking_steps import book, reschedule, slot

pytestmark = pytest.mark.django_db

UNLIMITED = "1000/d"


@pytest.fixture
def phone_type():
    return MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")


@pytest.fixture
def limits(settings):
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS = UNLIMITED
    settings.RATE_LIMIT_BOOKINGS_PER_EMAIL = UNLIMITED
    settings.RATE_LIMIT_BOOKINGS_PER_REP = UNLIMITED
    settings.RATE_LIMIT_RESCHEDULES_PER_ADDRESS = UNLIMITED
    settings.RATE_LIMIT_RESCHEDULES_PER_BOOKING = UNLIMITED
    return settings


def test_one_address_gets_a_handful_of_bookings_then_a_429_that_creates_nothing(
    client, phone_type, limits, mailoutbox
):
    limits.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "3/h,30/d"
    for n in range(3):
        assert book(client, phone_type, n).status_code == 302
    sent = len(mailoutbox)

    refused = book(client, phone_type, 3)

    assert refused.status_code == 429
    assert b"Too many bookings were made from your network" in refused.content
    assert b"Nothing was booked" in refused.content
    assert 1 <= int(refused["Retry-After"]) <= 3601
    assert Booking.objects.count() == 3
    assert len(mailoutbox) == sent


def test_the_default_limits_stop_a_script_booking_from_one_address(client, phone_type):
    # Fixed one-minute windows: a run across a minute's end may get two handfuls, never more.
    answers = [book(client, phone_type, n).status_code for n in range(12)]
    assert answers.count(302) <= 10
    assert answers[-2:] == [429, 429]
    assert Booking.objects.count() == answers.count(302)


def test_a_forged_x_forwarded_for_does_not_make_a_new_client(client, phone_type, limits):
    limits.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "2/h"
    for n in range(2):
        assert book(client, phone_type, n, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 302
    assert book(client, phone_type, 2, HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429


def test_behind_one_trusted_proxy_each_client_is_counted_on_its_own(client, phone_type, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "2/h"
    # The proxy appends the address it saw; what the client put before it is ignored.
    first = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7"}
    forged = {"HTTP_X_FORWARDED_FOR": "7.7.7.7, 198.51.100.7"}
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert book(client, phone_type, 0, **first).status_code == 302
    assert book(client, phone_type, 1, **forged).status_code == 302
    assert book(client, phone_type, 2, **first).status_code == 429
    assert book(client, phone_type, 3, **other).status_code == 302


def test_one_guest_email_is_limited_whatever_the_address(client, phone_type, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.RATE_LIMIT_BOOKINGS_PER_EMAIL = "2/h"
    for n in range(2):
        response = book(
            client, phone_type, n, email="Victim@Example.org", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
        assert response.status_code == 302
    refused = book(
        client, phone_type, 2, email="victim@example.org", HTTP_X_FORWARDED_FOR="192.0.2.50"
    )
    assert refused.status_code == 429
    assert b"This email address has booked several meetings" in refused.content


def test_one_rep_takes_a_bounded_number_of_public_bookings(client, phone_type, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.RATE_LIMIT_BOOKINGS_PER_REP = "3/h"
    for n in range(3):
        assert book(client, phone_type, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code == 302
    assert book(client, phone_type, 3, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    other_rep = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0101")
    assert book(client, other_rep, 4, HTTP_X_FORWARDED_FOR="192.0.2.98").status_code == 302


def test_a_guest_moving_one_meeting_over_and_over_is_refused(client, phone_type, limits):
    limits.RATE_LIMIT_RESCHEDULES_PER_BOOKING = "2/h"
    booking = BookingFactory(meeting_type=phone_type)
    for n in range(2):
        assert reschedule(client, booking, 20 + n).status_code == 302
    before = Booking.objects.get(pk=booking.pk).start_at

    refused = reschedule(client, booking, 30)

    assert refused.status_code == 429
    assert b"This meeting was moved several times" in refused.content
    assert Booking.objects.get(pk=booking.pk).start_at == before


def test_reschedules_from_one_address_are_limited_across_bookings(client, phone_type, limits):
    limits.RATE_LIMIT_RESCHEDULES_PER_ADDRESS = "2/h"
    first = BookingFactory(meeting_type=phone_type, start_at=slot(0))
    second = BookingFactory(meeting_type=phone_type, start_at=slot(1))
    assert reschedule(client, first, 40).status_code == 302
    assert reschedule(client, second, 41).status_code == 302
    refused = reschedule(client, second, 42)
    assert refused.status_code == 429
    assert b"Too many meetings were moved from your network" in refused.content
