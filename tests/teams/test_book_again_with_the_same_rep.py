"""A guest who missed a team meeting books again with the rep they had: the link in the "sorry we
missed you" email opens the team type's page with that member's times alone, and booking there
goes to them whatever the round robin says."""

from datetime import timedelta
from urllib.parse import quote

import pytest

from meetings.models import Booking
from outcomes.followups import rebook_url
from teams.models import MeetingTypeMember
from tests.meetings.factories import BookingFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.django_db

PHONE = {"location_kind": "phone", "location_detail": "+1 415 555 0100"}


def link(moment):
    return "start=" + quote(moment.strftime("%Y-%m-%dT%H:%M:%S"), safe="")


@pytest.fixture
def missed():
    """A team type of two; the first member's guest missed their meeting, and the round robin
    now puts the second member first (the first has more bookings)."""
    meeting_type = team_type(size=2, **PHONE)
    first, second = member_reps(meeting_type)
    booking = BookingFactory(
        meeting_type=meeting_type, rep=first, start_at=next_slot(days=-1), **PHONE
    )
    return meeting_type, first, second, booking


def test_the_rebook_link_names_the_same_rep(missed, settings):
    meeting_type, first, _, booking = missed
    url = rebook_url(booking)
    path = f"/team/{meeting_type.team.slug}/{meeting_type.slug}/with/{first.booking_slug}/"
    assert url == settings.SITE_URL + path


def test_the_page_offers_only_that_reps_times_and_books_them(missed, client):
    meeting_type, first, second, booking = missed
    path = f"/team/{meeting_type.team.slug}/{meeting_type.slug}/with/{first.booking_slug}/"
    taken = next_slot()
    BookingFactory(meeting_type=meeting_type, rep=first, start_at=taken, **PHONE)
    day = f"{taken:%Y-%m-%d}"

    page = client.get(f"{path}?tz=UTC&day={day}").content.decode()
    assert f"with {first.display_name}</h1>" in page
    assert link(taken) not in page  # the team's page still offers it (the second member)
    assert link(taken + timedelta(minutes=30)) in page
    team_page = client.get(
        f"/team/{meeting_type.team.slug}/{meeting_type.slug}/?tz=UTC&day={day}"
    ).content.decode()
    assert link(taken) in team_page

    start = taken + timedelta(minutes=30)
    response = client.post(
        path + "confirm/",
        {
            "name": booking.guest_name,
            "email": booking.guest_email,
            "start": start.isoformat(),
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302
    again = Booking.objects.get(meeting_type=meeting_type, start_at=start)
    assert again.rep == first


def test_a_rep_no_longer_on_the_type_sends_the_guest_to_the_whole_team(missed, client, settings):
    meeting_type, first, _, booking = missed
    with_rep = rebook_url(booking).removeprefix(settings.SITE_URL)
    MeetingTypeMember.objects.filter(meeting_type=meeting_type, member__rep=first).delete()
    for page in ("", "confirm/"):
        response = client.get(with_rep + page)
        assert response.status_code == 302
        assert response["Location"] == f"/team/{meeting_type.team.slug}/{meeting_type.slug}/"
