"""A booking request does no work that the previous request already did."""

import zoneinfo

import pytest

from accounts.models import known_time_zones
from meetings.models import Booking
from tests.meetings.factories import MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


def test_booking_requests_do_not_walk_the_time_zone_database_again(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    meeting_type = MeetingTypeFactory()
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/confirm/"
    known_time_zones()  # the process's first request has paid for it
    walks = []
    real = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: walks.append(1) or real())
    pages = [f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/?tz=Asia/Tokyo"]

    with django_capture_on_commit_callbacks():
        for hour in (10, 11):
            response = client.post(
                url,
                {
                    "name": "Ada Lovelace",
                    "email": "ada@example.org",
                    "start": next_slot(hour=hour).isoformat(),
                    "time_zone": "Europe/London",
                },
            )
            assert response.status_code == 302
    for page in pages:
        assert client.get(page).status_code == 200

    assert Booking.objects.count() == 2
    assert walks == []


def test_an_unknown_time_zone_is_still_refused_with_the_set_cached():
    known_time_zones()
    assert "Europe/London" in known_time_zones()
    assert "Mars/Olympus" not in known_time_zones()
