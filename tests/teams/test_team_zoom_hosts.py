"""A team's Zoom hosts: a member whose Zoom cannot make the meeting (connection broken, not served
by the company's account, daily allowance used) is passed over with the reason, a time no member
can host is not offered, and the meeting is made in the assigned host's Zoom."""

from datetime import timedelta

import pytest

from integrations.zoom.api import quota
from integrations.zoom.connection.models import ZoomConnection
from meetings.models import Booking
from meetings.services.bookings import SlotUnavailable
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from teams.assignment import book_team_meeting
from teams.availability import team_slots
from teams.models import AssignmentSkip, Priority, SkipReason, TeamMember
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Ada Lovelace", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}


def book(meeting_type, start=None, **extra):
    return book_team_meeting(meeting_type, start_at=start or next_slot(), **GUEST, **extra)


def skipped(reason=None):
    rows = AssignmentSkip.objects.all()
    return {(s.rep_id, s.reason) for s in (rows.filter(reason=reason) if reason else rows)}


def day_of(start):
    return start - timedelta(hours=12), start + timedelta(hours=12)


def first_and_second():
    """Two reps, the first ahead in line (higher priority, same load)."""
    return RepFactory(), RepFactory()


def prioritized(first, second, **fields):
    return team_type(reps=[(first, Priority.HIGHEST, 100), (second, Priority.LOW, 100)], **fields)


def test_a_member_whose_zoom_needs_reconnecting_is_passed_over_with_the_reason():
    first, second = first_and_second()
    ZoomConnectionFactory(user=first, status=ZoomConnection.Status.NEEDS_RECONNECT)
    meeting_type = prioritized(first, second)
    booking = book(meeting_type)
    assert booking.rep == second
    assert skipped() == {(first.pk, SkipReason.ZOOM_BROKEN)}


def test_a_member_who_never_connected_zoom_offers_no_time():
    first, second = first_and_second()
    meeting_type = prioritized(first, second, zoom_connected=False)
    ZoomConnectionFactory(user=second)
    slot = next_slot()
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=slot)
    # Only `second` can host, and they are busy at `slot`.
    offered = {s.start for s in team_slots(meeting_type, *day_of(slot))}
    assert slot not in offered and slot + timedelta(minutes=30) in offered


def test_no_time_is_offered_when_no_member_can_host_and_a_post_is_refused():
    meeting_type = team_type(size=2, zoom_connected=False)
    assert team_slots(meeting_type, *day_of(next_slot())) == []
    with pytest.raises(SlotUnavailable, match="no longer available"):
        book(meeting_type)
    assert not Booking.objects.exists()
    # Each was able-bodied but for Zoom: recorded, though nobody took the time.
    assert {reason for _, reason in skipped()} == {SkipReason.ZOOM_BROKEN}


def test_the_team_page_shows_no_time_when_no_member_can_host(client):
    meeting_type = team_type(size=2, zoom_connected=False)
    page = client.get(f"/team/{meeting_type.team.slug}/{meeting_type.slug}/?tz=UTC")
    assert page.status_code == 200
    assert "/confirm/?start=" not in page.content.decode()


def test_a_phone_team_type_asks_nothing_of_zoom():
    meeting_type = team_type(
        size=2, zoom_connected=False, location_kind="phone", location_detail="+1 415 555 0100"
    )
    assert team_slots(meeting_type, *day_of(next_slot()))
    assert book(meeting_type).rep in member_reps(meeting_type)
    assert skipped() == set()


@pytest.fixture
def small_allowance(settings):
    settings.ZOOM_DAILY_MEETING_WRITES = 5
    settings.ZOOM_MEETING_WRITES_RESERVE = 2
    return settings


def test_a_member_whose_public_share_of_zooms_allowance_is_used_is_passed_over(small_allowance):
    first, second = first_and_second()
    meeting_type = prioritized(first, second)
    for _ in range(3):  # the public share of 5 - 2
        quota.record_write(first.pk)
    assert book(meeting_type).rep == second
    assert skipped() == {(first.pk, SkipReason.ZOOM_ALLOWANCE)}
    # Prospects see only `second`'s times now; the SDR's in-app booking may use the reserve.
    assert book(meeting_type, next_slot(hour=11), booked_by=RepFactory()).rep == first


def test_an_sdrs_time_picker_offers_what_only_the_reserve_can_serve(small_allowance, client):
    # The host's public share is used: prospects see no time, a teammate booking from inside
    # the app sees the times it may book (the reserve is for the team's own work).
    meeting_type = team_type(size=1)
    (host,) = member_reps(meeting_type)
    for _ in range(3):
        quota.record_write(host.pk)
    assert team_slots(meeting_type, *day_of(next_slot())) == []
    sdr = RepFactory()
    TeamMember.objects.create(team=meeting_type.team, rep=sdr)
    client.force_login(sdr)

    week = client.get(f"/teams/book/{meeting_type.pk}/?tz=UTC").content.decode()

    assert f"/teams/book/{meeting_type.pk}/?start=" in week


def test_a_member_whose_whole_allowance_is_used_takes_no_booking_at_all(small_allowance):
    first, second = first_and_second()
    meeting_type = prioritized(first, second)
    for _ in range(5):
        quota.record_write(first.pk)
    assert book(meeting_type, booked_by=RepFactory()).rep == second
    assert skipped() == {(first.pk, SkipReason.ZOOM_ALLOWANCE)}


def test_a_public_booking_spends_the_hosts_public_share(small_allowance):
    meeting_type = team_type(size=1)
    (host,) = member_reps(meeting_type)
    for hour in (10, 11, 12):
        book(meeting_type, next_slot(hour=hour))
    with pytest.raises(SlotUnavailable):
        book(meeting_type, next_slot(hour=13))
    assert team_slots(meeting_type, *day_of(next_slot())) == []
    assert skipped() == {(host.pk, SkipReason.ZOOM_ALLOWANCE)}


def test_the_meeting_is_made_in_the_assigned_hosts_own_zoom(sandbox, connect_zoom):
    broken, host = first_and_second()
    connect_zoom(broken, "broken.host@example.com")
    connect_zoom(host, "team.host@example.com")
    ZoomConnection.objects.filter(user=broken).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
    meeting_type = prioritized(broken, host)
    booking = book(meeting_type)
    assert booking.rep == host

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    [meeting] = sandbox.meetings("team.host@example.com")
    assert booking.zoom_meeting_id == str(meeting["id"]) and booking.zoom_chain == "personal"
    assert sandbox.meetings("broken.host@example.com") == []
    # A second run changes nothing: exactly one meeting.
    assert zoom_links.sync_zoom_meeting(booking.pk).state == ""
    assert len(sandbox.meetings("team.host@example.com")) == 1


def test_members_in_the_companys_account_host_through_it_unless_it_cannot_serve_them(sandbox):
    served = RepFactory(email="ann@corp.example")
    unserved = RepFactory(email="nobody@corp.example")  # no Zoom user in the account
    zoom_admin()
    connected_company(sandbox, "ann@corp.example")
    meeting_type = prioritized(unserved, served, zoom_connected=False)

    booking = book(meeting_type)
    assert booking.rep == served
    assert skipped() == {(unserved.pk, SkipReason.ZOOM_NOT_SERVED)}
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    [meeting] = sandbox.meetings("ann@corp.example")
    assert booking.zoom_meeting_id == str(meeting["id"]) and booking.zoom_chain == "company"
