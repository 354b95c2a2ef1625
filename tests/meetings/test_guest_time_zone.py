"""The guest's pages show times in the zone the guest picked (`?tz=`, else the zone they booked
in), named by its city, offer the booking page's time zone picker, and carry the zone from page
to page: the booking page, reschedule (the month and the old → new step) and cancel. The cancel
step and a cancelled booking's page have no picker: there is no time left to plan around."""

import re
from zoneinfo import ZoneInfo

import pytest

from meetings import guest_access
from meetings.models import Booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"
CITY = {TOKYO: "Tokyo", "Europe/Berlin": "Berlin", "America/Los_Angeles": "Los Angeles"}


@pytest.fixture
def booking():
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    return BookingFactory(meeting_type=meeting_type, guest_time_zone="Europe/Berlin")


@pytest.fixture
def token(booking):
    return guest_access.token_for(booking)


def shown(moment, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def picker_of(page: str) -> str:
    (form,) = re.findall(r'<form method="get" class="tz-form".*?</form>', page, re.S)
    return form


def has_picker(page: str) -> bool:
    return 'class="tz-form"' in page


def in_city(zone: str) -> str:
    return f"({CITY[zone]} time)"


def test_the_guest_page_shows_the_booked_zone_by_default_with_a_picker(client, booking, token):
    page = client.get(f"/bookings/guest/{token}/").content.decode()
    assert f"{shown(booking.start_at, 'Europe/Berlin')}–" in page and "(Berlin time)" in page
    form = picker_of(page)
    assert 'value="Europe/Berlin" selected' in form and "Show times in this zone" in form
    assert 'type="search"' in form  # the type-to-search field time_zone_picker.js reveals
    assert "js/time_zone_picker.js" in page


def test_a_picked_zone_shows_the_times_there_and_is_carried_to_reschedule_and_cancel(
    client, booking, token
):
    page = client.get(f"/bookings/guest/{token}/", {"tz": TOKYO}).content.decode()
    assert f"{shown(booking.start_at, TOKYO)}–" in page and in_city(TOKYO) in page
    assert f"/bookings/guest/{token}/reschedule/?tz={TOKYO}" in page
    assert f"/bookings/guest/{token}/cancel/?tz={TOKYO}" in page


def test_the_cancel_step_shows_the_time_in_the_picked_zone_and_keeps_it(client, booking, token):
    page = client.get(f"/bookings/guest/{token}/cancel/", {"tz": TOKYO}).content.decode()
    assert f"{shown(booking.start_at, TOKYO)} {in_city(TOKYO)}" in page
    assert not has_picker(page)
    assert f'action="/bookings/guest/{token}/cancel/?tz={TOKYO}"' in page
    assert f'href="/bookings/guest/{token}/?tz={TOKYO}">Keep it' in page
    response = client.post(f"/bookings/guest/{token}/cancel/?tz={TOKYO}", {"reason": ""})
    assert response["Location"] == f"/bookings/guest/{token}/?tz={TOKYO}"
    booking.refresh_from_db()
    assert booking.is_cancelled
    cancelled = client.get(response["Location"]).content.decode()
    assert "Cancelled:" in cancelled and not has_picker(cancelled)


def test_the_cancel_step_defaults_to_the_booked_zone(client, booking, token):
    page = client.get(f"/bookings/guest/{token}/cancel/").content.decode()
    assert f"{shown(booking.start_at, 'Europe/Berlin')} (Berlin time)" in page


def test_an_unknown_zone_falls_back_to_the_booked_zone(client, booking, token):
    page = client.get(f"/bookings/guest/{token}/cancel/", {"tz": "Mars/Olympus"}).content.decode()
    assert "(Berlin time)" in page and "Olympus" not in page.replace("tz=Mars%2FOlympus", "")


def test_the_reschedule_month_is_in_the_picked_zone_with_a_picker(client, booking, token):
    page = client.get(f"/bookings/guest/{token}/reschedule/", {"tz": TOKYO}).content.decode()
    assert "Times in Tokyo time" in page
    assert 'role="grid"' in page
    assert f'value="{TOKYO}" selected' in picker_of(page)
    assert f'href="/bookings/guest/{token}/?tz={TOKYO}"' in page  # back, in the same zone


def test_the_old_to_new_step_is_in_the_picked_zone_and_the_move_keeps_it(
    client, booking, token, django_capture_on_commit_callbacks
):
    new_start = next_slot(days=5, hour=14)
    url = f"/bookings/guest/{token}/reschedule/?tz={TOKYO}"
    page = client.post(url, {"start": new_start.isoformat()}).content.decode()
    assert f"<del>{booking.start_at.astimezone(ZoneInfo(TOKYO)):%A %-d %B %Y, %H:%M}</del>" in page
    assert f"<strong>{new_start.astimezone(ZoneInfo(TOKYO)):%A %-d %B %Y, %H:%M}</strong>" in page
    assert "<dd>Tokyo</dd>" in page
    assert f'action="{url}"' in page
    # The picker on this step keeps the picked time.
    assert f'name="start" value="{new_start.isoformat()}"' in picker_of(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"start": new_start.isoformat(), "confirm": "1"})
    assert response["Location"] == f"/bookings/guest/{token}/?tz={TOKYO}"
    booking.refresh_from_db()
    assert booking.start_at == new_start


def test_changing_the_zone_on_the_old_to_new_step_shows_it_again_and_moves_nothing(
    client, booking, token
):
    new_start = next_slot(days=5, hour=14)
    response = client.get(
        f"/bookings/guest/{token}/reschedule/",
        {"start": new_start.isoformat(), "tz": "America/Los_Angeles", "confirm": "1"},
    )
    page = response.content.decode()
    assert f"{shown(new_start, 'America/Los_Angeles')}</strong>" in page
    assert "<dd>Los Angeles</dd>" in page and "Move the meeting" in page
    booking.refresh_from_db()
    assert booking.start_at == next_slot() and booking.invite_sequence == 0  # a GET never moves


def test_the_reps_pages_stay_in_the_reps_zone(rep_client, rep):
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep), guest_time_zone=TOKYO)
    page = rep_client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert f"{shown(booking.start_at, rep.time_zone)} (New York time)" in page
    assert TOKYO not in page and "Tokyo" not in page
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
