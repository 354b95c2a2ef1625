"""The public booking page, the details form, and the guest's booking page."""

from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import guest_access, selectors
from meetings.availability import day_bounds
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


def page_url(meeting_type, **query):
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def confirm_url(meeting_type):
    return page_url(meeting_type) + "confirm/"


def test_the_page_lists_a_days_free_slots_in_the_prospects_time_zone(client):
    meeting_type = MeetingTypeFactory()
    tokyo_day = timezone.now().astimezone(ZoneInfo("Asia/Tokyo")).date() + timedelta(days=2)
    response = client.get(page_url(meeting_type, tz="Asia/Tokyo", day=tokyo_day.isoformat()))
    assert response.status_code == 200
    assert b"Times in Tokyo time" in response.content
    assert b">Asia/Tokyo" not in response.content and b"(Asia/Tokyo)" not in response.content
    slots = selectors.available_slots(meeting_type, *day_bounds(tokyo_day, "Asia/Tokyo"))
    first = slots[0].start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f">{first:%H:%M}</a>".encode() in response.content


def test_a_booked_slot_is_not_offered(client):
    meeting_type = MeetingTypeFactory()
    booking = BookingFactory(meeting_type=meeting_type)
    content = client.get(
        page_url(meeting_type, tz="UTC", day=f"{booking.start_at:%Y-%m-%d}")
    ).content.decode()

    def link(moment):
        return "start=" + quote(moment.strftime("%Y-%m-%dT%H:%M:%S"), safe="")

    assert link(booking.start_at) not in content
    assert link(booking.start_at + timedelta(minutes=30)) in content


def test_an_unknown_time_zone_falls_back_to_the_reps(client):
    meeting_type = MeetingTypeFactory()
    response = client.get(page_url(meeting_type, tz="Mars/Olympus"))
    assert b"Times in New York time" in response.content


@pytest.mark.parametrize("which", ["rep", "type", "hidden"])
def test_unknown_or_hidden_pages_are_not_found(client, which):
    meeting_type = MeetingTypeFactory(is_active=which != "hidden")
    url = {
        "rep": f"/book/nobody/{meeting_type.slug}/",
        "type": f"/book/{meeting_type.rep.booking_slug}/nothing/",
        "hidden": page_url(meeting_type),
    }[which]
    assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_booking_page_query_count_does_not_grow_with_bookings(client):
    meeting_type = MeetingTypeFactory()
    url = page_url(meeting_type, tz="UTC")
    BookingFactory(meeting_type=meeting_type)
    with_one = _queries(client, url)
    for hour in range(11, 16):
        for days in (2, 3, 4):
            BookingFactory(meeting_type=meeting_type, start_at=next_slot(days=days, hour=hour))
    assert Booking.objects.count() == 16
    assert _queries(client, url) == with_one <= 4


def test_the_details_form_shows_the_chosen_time_in_the_prospects_zone(client):
    meeting_type = MeetingTypeFactory()
    start = next_slot()
    response = client.get(
        confirm_url(meeting_type), {"start": start.isoformat(), "tz": "Asia/Tokyo"}
    )
    local = start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M} (Tokyo time)".encode() in response.content


def post_booking(client, meeting_type, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "start": next_slot().isoformat(),
        "time_zone": "Europe/London",
    }
    data.update(overrides)
    return client.post(confirm_url(meeting_type), data)


def test_booking_leads_to_the_guests_page_which_says_the_link_is_being_prepared(
    client, django_capture_on_commit_callbacks
):
    meeting_type = MeetingTypeFactory()
    with django_capture_on_commit_callbacks():  # no worker here: the link stays pending
        response = post_booking(client, meeting_type)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == guest_access.manage_path(booking)
    assert booking.guest_time_zone == "Europe/London"
    page = client.get(response["Location"])
    assert b"Your Zoom link is being prepared" in page.content
    assert b'data-settled="false"' in page.content
    assert b"link_status.js" in page.content


def test_the_polled_fragment_shows_the_join_link_once_ready(client):
    booking = BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="85746065432",
        zoom_join_url="https://zoom.example/j/85746065432",
        zoom_passcode="a1B2c3D4e5",
    )
    token = guest_access.token_for(booking)
    response = client.get(f"/bookings/guest/{token}/link/")
    assert b'data-settled="true"' in response.content
    assert b"https://zoom.example/j/85746065432" in response.content
    assert b"a1B2c3D4e5" in response.content
    assert b"<html" not in response.content


def test_a_delayed_link_is_explained_without_internal_details(client):
    booking = BookingFactory(link_state=LinkState.FAILED, link_last_error="Zoom error 3161")
    response = client.get(guest_access.manage_path(booking))
    assert b"Your Zoom link is delayed" in response.content
    assert b"3161" not in response.content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "   "}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "is not a known time zone"),
    ],
)
def test_bad_details_show_a_clear_message_and_book_nothing(client, overrides, message):
    meeting_type = MeetingTypeFactory()
    response = post_booking(client, meeting_type, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_an_unreadable_time_sends_the_prospect_back_to_pick_one(client):
    meeting_type = MeetingTypeFactory()
    response = post_booking(client, meeting_type, start="yesterday-ish")
    assert response.status_code == 302 and response["Location"].startswith(page_url(meeting_type))
    assert not Booking.objects.exists()


def test_a_slot_taken_meanwhile_sends_the_prospect_back_with_a_message(client):
    meeting_type = MeetingTypeFactory()
    BookingFactory(meeting_type=meeting_type, start_at=next_slot())
    response = post_booking(client, meeting_type)
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "no longer available" in follow.content.decode()
    assert Booking.objects.count() == 1


def test_a_tampered_guest_link_is_not_found(client):
    booking = BookingFactory()
    token = guest_access.token_for(booking)
    assert client.get(f"/bookings/guest/{token[:-2]}xx/").status_code == 404
    other = BookingFactory(start_at=next_slot(days=3))
    forged = f"{other.public_id.hex}:{token.split(':')[1]}"
    assert client.get(f"/bookings/guest/{forged}/").status_code == 404


def test_a_double_booking_refusal_keeps_what_the_prospect_typed(client, db):
    from meetings.models import Booking
    from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    taken = BookingFactory(meeting_type=meeting_type, start_at=next_slot(days=3))
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/confirm/"
    response = client.post(
        url,
        {
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "start": taken.start_at.isoformat(),
            "time_zone": "UTC",
        },
        follow=True,
    )
    assert "no longer available" in response.content.decode() or "a moment ago" in (
        response.content.decode()
    )
    assert Booking.objects.count() == 1
    page = client.get(url, {"start": next_slot(days=4).isoformat(), "tz": "UTC"}).content.decode()
    assert 'value="Grace Hopper"' in page
    assert 'value="grace@example.org"' in page


def test_the_time_zone_picker_offers_cities_with_offsets_and_a_button_for_pages_without_scripts(
    client, db
):
    import re

    from tests.meetings.factories import MeetingTypeFactory

    meeting_type = MeetingTypeFactory()
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"
    page = client.get(url, {"tz": "Europe/Paris"}).content.decode()
    assert re.search(r'value="Europe/Paris" selected>Paris \(UTC\+0[12]:00\)', page)
    assert '<optgroup label="Europe">' in page
    assert "data-zone-form" in page  # time_zone_picker.js applies a choice at once
    assert 'value="Etc/GMT+5"' not in page
    assert "Show times in this zone" in page
    assert "onchange" not in page and "onclick" not in page
    # Every script is a static file: the Content-Security-Policy forbids inline script.
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []


def test_a_parked_booking_page_is_honest_and_keeps_polling(client, db):
    from meetings import guest_access
    from meetings.zoom.state import LinkState
    from tests.meetings.factories import BookingFactory

    booking = BookingFactory(link_state=LinkState.WAITING_FOR_RECONNECT)
    page = client.get(f"/bookings/guest/{guest_access.token_for(booking)}/").content.decode()
    assert "Your Zoom link is delayed" in page
    assert "in your email" not in page
    assert "We are emailing it to" in page  # nothing was sent yet, and the page says so
    assert 'data-settled="false" data-parked' in page


def _today(zone: str):
    return timezone.now().astimezone(ZoneInfo(zone)).date()


def _grid_cell(page: str, day) -> str:
    import re

    (cell,) = re.findall(rf'<td data-date="{day.isoformat()}"[^>]*>.*?</td>', page, re.S)
    return cell


def test_the_month_marks_days_with_free_times_and_opens_on_the_first_one(client):
    meeting_type = MeetingTypeFactory(min_notice_minutes=3 * 24 * 60, horizon_days=20)
    page = client.get(page_url(meeting_type, tz="UTC")).content.decode()
    assert 'role="grid"' in page
    now = timezone.now()
    slots = selectors.available_slots(meeting_type, now, now + timedelta(days=20))
    first_free = slots[0].start.date()
    count = len([s for s in slots if s.start.date() == first_free])
    if first_free.month != _today("UTC").month:
        # Nothing left this month: the page opens on the next one.
        assert f'data-month="{first_free:%Y-%m}"' in page
    free = _grid_cell(page, first_free)
    assert "data-free" in free and 'aria-selected="true"' in free and "data-day-link" in free
    assert f"{count} free time" in free
    if first_free.month == _today("UTC").month:
        blocked = _grid_cell(page, _today("UTC"))
        assert 'aria-disabled="true"' in blocked and "<a" not in blocked
        assert 'aria-current="date"' in blocked
        assert "no free times" in blocked


def test_months_step_within_this_month_and_the_booking_horizon(client):
    meeting_type = MeetingTypeFactory(horizon_days=10)
    today = _today("UTC")
    this_month = f"{today:%Y-%m}"
    page = client.get(page_url(meeting_type, tz="UTC", month=this_month)).content.decode()
    assert 'data-month-step="-1"' not in page  # nothing before this month
    last_day = today + timedelta(days=10)
    if last_day.month == today.month:
        assert 'data-month-step="1"' not in page  # the horizon ends this month
    else:
        assert 'data-month-step="1"' in page
    # A month asked for outside the range is brought back into it.
    page = client.get(page_url(meeting_type, tz="UTC", month="2001-01")).content.decode()
    assert f'data-month="{this_month}"' in page
    far = f"{today.year + 3}-01"
    page = client.get(page_url(meeting_type, tz="UTC", month=far)).content.decode()
    assert f'data-month="{last_day:%Y-%m}"' in page


def test_the_zone_picker_keeps_only_the_month_and_day_the_prospect_picked(client):
    """A day the page opened on is its first free one in the zone shown: in another zone the
    first free day may be another (late in the day, today has no time left in a zone ahead), so
    the picker leaves the choice to the page again. A picked day or month stays picked."""
    meeting_type = MeetingTypeFactory()
    page = client.get(page_url(meeting_type, tz="UTC")).content.decode()
    assert 'aria-selected="true"' in page
    assert 'name="day"' not in page and 'name="month"' not in page
    day = _today("UTC") + timedelta(days=2)
    page = client.get(page_url(meeting_type, tz="UTC", day=day.isoformat())).content.decode()
    assert f'<input type="hidden" name="day" value="{day.isoformat()}">' in page
    assert f'<input type="hidden" name="month" value="{day:%Y-%m}">' in page  # the day's
    month = f"{day:%Y-%m}"
    page = client.get(page_url(meeting_type, tz="UTC", month=month)).content.decode()
    assert f'<input type="hidden" name="month" value="{month}">' in page
    assert 'name="day"' not in page


def test_a_picked_day_lists_its_times_and_a_day_without_any_says_so(client):
    meeting_type = MeetingTypeFactory()
    day = _today("UTC") + timedelta(days=2)
    page = client.get(page_url(meeting_type, tz="UTC", day=day.isoformat())).content.decode()
    assert f'data-date="{day.isoformat()}" data-free aria-selected="true"' in page
    assert page.count('href="/book/') >= 16
    today = _today("UTC")
    page = client.get(page_url(meeting_type, tz="UTC", day=today.isoformat())).content.decode()
    if not selectors.available_slots(meeting_type, *day_bounds(today, "UTC")):
        assert "No free times on this day" in page
