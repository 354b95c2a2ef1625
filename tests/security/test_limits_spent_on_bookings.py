"""Only a booking (or a move) that can be made spends the public limits and the rep's Zoom
allowance: posts for a slot that was never offered, or was just taken, close no rep's page and use
none of the rep's Zoom writes, and a refusal by one limit spends none of the others."""

import pytest
from django.conf import settings

from config import rate_limits
from integrations.zoom.api import quota
from meetings import guest_access
from meetings.models import Booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.security.booking_steps import book, confirm_url, reschedule, slot
from tests.teams.factories import team_type

pytestmark = pytest.mark.django_db

NEVER_OFFERED = next_slot(days=2, hour=20)  # the factory's hours are 09:00–17:00


@pytest.fixture
def tight(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "3/h"
    settings.RATE_LIMIT_BOOKINGS_PER_EMAIL = "3/h"
    settings.RATE_LIMIT_BOOKINGS_PER_REP = "3/h"
    settings.RATE_LIMIT_RESCHEDULES_PER_ADDRESS = "3/h"
    settings.RATE_LIMIT_RESCHEDULES_PER_BOOKING = "3/h"
    settings.ZOOM_DAILY_MEETING_WRITES = 10
    settings.ZOOM_MEETING_WRITES_RESERVE = 7  # public traffic may use 3 writes a day
    return settings


def spent(scope: str, ident, setting: str) -> int:
    return rate_limits.used(
        scope, str(ident), rate_limits.parse_rates(getattr(settings, setting))[0]
    )


def public_writes(rep) -> int:
    return rate_limits.used("zoom-public", str(rep.pk), quota.public_write_limit(rep.pk).rates[0])


def post(client, meeting_type, start, *, address="192.0.2.1", email="ada@example.org"):
    return client.post(
        confirm_url(meeting_type),
        {"name": "Ada", "email": email, "start": start.isoformat(), "time_zone": "UTC"},
        HTTP_X_FORWARDED_FOR=address,
    )


def test_posts_for_a_slot_never_offered_spend_nothing(client, zoom_rep, tight):
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    for _ in range(30):
        refused = post(client, meeting_type, NEVER_OFFERED)
        assert refused.status_code == 302 and "/confirm/" not in refused["Location"]
    assert Booking.objects.count() == 0
    assert spent("book-rep", zoom_rep.pk, "RATE_LIMIT_BOOKINGS_PER_REP") == 0
    assert spent("book-address", "192.0.2.1", "RATE_LIMIT_BOOKINGS_PER_ADDRESS") == 0
    assert spent("book-email", "ada@example.org", "RATE_LIMIT_BOOKINGS_PER_EMAIL") == 0
    assert public_writes(zoom_rep) == 0

    # The page is open, from the same address and for the same guest.
    booked = post(client, meeting_type, slot(0))
    assert booked.status_code == 302 and "/bookings/guest/" in booked["Location"]
    assert spent("book-rep", zoom_rep.pk, "RATE_LIMIT_BOOKINGS_PER_REP") == 1
    assert public_writes(zoom_rep) == 1


def test_posts_for_a_slot_just_taken_spend_nothing(client, zoom_rep, tight):
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    assert post(client, meeting_type, slot(0), address="192.0.2.1").status_code == 302
    for n in range(5):
        taken = post(client, meeting_type, slot(0), address=f"198.51.100.{n}", email=f"g{n}@x.org")
        assert "/bookings/guest/" not in taken["Location"]
    assert Booking.objects.count() == 1
    assert spent("book-rep", zoom_rep.pk, "RATE_LIMIT_BOOKINGS_PER_REP") == 1
    assert spent("book-address", "198.51.100.0", "RATE_LIMIT_BOOKINGS_PER_ADDRESS") == 0
    assert public_writes(zoom_rep) == 1


def test_a_full_zoom_allowance_spends_none_of_the_other_limits(client, zoom_rep, tight):
    tight.ZOOM_MEETING_WRITES_RESERVE = 9  # one public write a day
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    assert book(client, meeting_type, 0, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302

    refused = book(client, meeting_type, 1, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert refused.status_code == 429
    assert b"cannot take more online bookings today" in refused.content
    assert spent("book-rep", zoom_rep.pk, "RATE_LIMIT_BOOKINGS_PER_REP") == 1
    assert spent("book-address", "192.0.2.2", "RATE_LIMIT_BOOKINGS_PER_ADDRESS") == 0
    assert spent("book-email", "prospect1@example.org", "RATE_LIMIT_BOOKINGS_PER_EMAIL") == 0


def test_a_spent_guest_limit_spends_no_zoom_write(client, zoom_rep, tight):
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    tight.RATE_LIMIT_BOOKINGS_PER_EMAIL = "1/h"
    assert book(client, meeting_type, 0, email="same@example.org").status_code == 302
    refused = book(client, meeting_type, 1, email="same@example.org")
    assert refused.status_code == 429
    assert public_writes(zoom_rep) == 1
    assert spent("book-rep", zoom_rep.pk, "RATE_LIMIT_BOOKINGS_PER_REP") == 1


def test_a_guests_moves_to_a_slot_never_offered_spend_nothing(client, zoom_rep, tight):
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=zoom_rep), start_at=slot(0))
    for _ in range(10):
        response = client.post(
            f"/bookings/guest/{guest_access.token_for(booking)}/reschedule/",
            {"start": NEVER_OFFERED.isoformat(), "confirm": "1"},
            HTTP_X_FORWARDED_FOR="192.0.2.1",
        )
        assert response.status_code != 429
    assert spent("move-booking", booking.pk, "RATE_LIMIT_RESCHEDULES_PER_BOOKING") == 0
    assert spent("move-address", "192.0.2.1", "RATE_LIMIT_RESCHEDULES_PER_ADDRESS") == 0
    assert public_writes(zoom_rep) == 0

    assert reschedule(client, booking, 3, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302
    booking.refresh_from_db()
    assert booking.start_at == slot(3)
    assert spent("move-booking", booking.pk, "RATE_LIMIT_RESCHEDULES_PER_BOOKING") == 1
    assert public_writes(zoom_rep) == 1


def test_team_posts_for_a_slot_never_offered_spend_nothing(client, tight):
    meeting_type = team_type(size=2)
    url = f"/team/{meeting_type.team.slug}/{meeting_type.slug}/confirm/"
    for _ in range(10):
        client.post(
            url,
            {"name": "Ada", "email": "ada@example.org", "start": NEVER_OFFERED.isoformat()}
            | {"time_zone": "UTC"},
            HTTP_X_FORWARDED_FOR="192.0.2.1",
        )
    assert Booking.objects.count() == 0
    assert spent("book-address", "192.0.2.1", "RATE_LIMIT_BOOKINGS_PER_ADDRESS") == 0
    assert spent("book-email", "ada@example.org", "RATE_LIMIT_BOOKINGS_PER_EMAIL") == 0
    for member in meeting_type.members.select_related("member"):
        assert spent("book-rep", member.member.rep_id, "RATE_LIMIT_BOOKINGS_PER_REP") == 0
