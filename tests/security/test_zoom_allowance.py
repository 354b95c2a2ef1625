"""Public traffic may use only part of a rep's Zoom daily allowance of meeting creates + updates;
the rest stays for the rep's own work, and the count is what the admin shows."""

import pytest
from django.test import Client

from integrations.zoom.api import quota
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.meetings.factories import MeetingTypeFactory
from tests.security.booking_steps import book, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_allowance(settings):
    settings.ZOOM_DAILY_MEETING_WRITES = 5
    settings.ZOOM_MEETING_WRITES_RESERVE = 2
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def test_public_bookings_stop_short_of_zoom_daily_limit_and_the_rep_keeps_the_reserve(
    client, zoom_rep, small_allowance, django_capture_on_commit_callbacks
):
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = book(client, meeting_type, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        assert answer.status_code == 302
    assert quota.writes_today(zoom_rep.pk) == 3

    refused = book(client, meeting_type, 3, HTTP_X_FORWARDED_FOR="192.0.2.77")

    assert refused.status_code == 429
    assert b"cannot take more online bookings today" in refused.content
    assert Booking.objects.count() == 3
    # The rep's own reschedule still reaches Zoom: the reserve is theirs.
    rep_client = Client()
    rep_client.force_login(zoom_rep)
    booking = Booking.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        moved = rep_client.post(
            f"/bookings/{booking.pk}/reschedule/", {"start": slot(9).isoformat(), "confirm": "1"}
        )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert booking.start_at == slot(9)
    assert quota.writes_today(zoom_rep.pk) == 4
    assert quota.quota_use(zoom_rep.pk).near_limit


def test_zoom_refusing_for_the_day_fills_the_count(
    client, zoom_rep, sandbox, small_allowance, django_capture_on_commit_callbacks
):
    small_allowance.ZOOM_DAILY_MEETING_WRITES = 100
    sandbox.set_knobs(daily_meeting_limit=1)
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            book(client, meeting_type, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert quota.quota_use(zoom_rep.pk).used == 100
    assert book(client, meeting_type, 5, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 429


def test_the_admin_roster_says_when_a_rep_is_near_zooms_daily_limit(
    superuser_client, zoom_rep, settings
):
    calm = MeetingTypeFactory().rep
    for _ in range(85):
        quota.record_write(zoom_rep.pk)
    quota.record_write(calm.pk)

    page = superuser_client.get("/admin/integrations/zoomrosterentry/").content.decode()

    assert "Near Zoom's daily limit (85 of 100)" in page
    # A rep far from it shows nothing to act on; their page has the count.
    assert "(1 of 100)" not in page
    detail = superuser_client.get(
        f"/admin/integrations/zoomrosterentry/{calm.pk}/change/"
    ).content.decode()
    assert "1 / 100" in detail


def test_calls_held_back_by_our_pacing_are_not_counted_against_the_day(
    zoom_rep, sandbox, settings, tmp_path
):
    """Only what reaches Zoom counts: five bookings at once on an account paced to one call per
    ten seconds send one create; the other four wait their turn, uncounted."""
    from meetings.zoom import links as zoom_links
    from tests.meetings.factories import BookingFactory

    settings.ZOOM_PACING_URL = f"file://{tmp_path}"
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 0.1
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 0
    meeting_type = MeetingTypeFactory(rep=zoom_rep)
    bookings = [BookingFactory(meeting_type=meeting_type, start_at=slot(n)) for n in range(5)]

    states = [zoom_links.sync_zoom_meeting(b.pk).state for b in bookings]

    assert states.count(LinkState.READY) == 1
    assert states.count(LinkState.PENDING) == 4
    posts = [c for c in sandbox.calls("/users/me/meetings") if c["method"] == "POST"]
    assert len(posts) == 1
    assert quota.writes_today(zoom_rep.pk) == 1
