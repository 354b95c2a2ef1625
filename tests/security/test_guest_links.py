"""A guest's link is a bearer key: its pages are never cached, and it stops working a while after
the meeting ends."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import guest_access
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone_type():
    return MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")


def pages(booking) -> list[str]:
    base = guest_access.manage_path(booking)
    return [base, base + "link/", base + "calendar.ics", base + "reschedule/"]


def test_every_guest_page_says_no_store(client, phone_type):
    booking = BookingFactory(meeting_type=phone_type)
    for url in pages(booking):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_link_works_until_the_set_days_after_the_meeting_then_is_gone(
    client, phone_type, settings
):
    settings.GUEST_LINK_DAYS_AFTER_MEETING = 3
    now = timezone.now()
    recent = BookingFactory(
        meeting_type=phone_type,
        start_at=now - timedelta(days=2),
        end_at=now - timedelta(days=2) + timedelta(minutes=30),
    )
    old = BookingFactory(
        meeting_type=phone_type,
        start_at=now - timedelta(days=4),
        end_at=now - timedelta(days=4) + timedelta(minutes=30),
    )
    assert client.get(guest_access.manage_path(recent)).status_code == 200
    for url in pages(old):
        response = client.get(url)
        assert response.status_code == 410, url
        assert b"This link has expired" in response.content, url
        assert old.guest_email.encode() not in response.content
        assert "no-store" in response["Cache-Control"]
    cancel = client.post(guest_access.manage_path(old) + "cancel/")
    assert cancel.status_code == 410
