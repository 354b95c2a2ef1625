"""A signed-in rep (an SDR) books a prospect into a teammate's or a team's Meeting Type: the
meeting is the host's, the booking records who booked it."""

import pytest
from django.test import Client

from meetings import guest_access
from meetings.models import Booking
from teams.models import TeamMember
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import TeamFactory, member_reps, team_type

pytestmark = pytest.mark.django_db

PHONE = {"location_kind": "phone", "location_detail": "+1 415 555 0100"}


def signed_in(rep) -> Client:
    client = Client()
    client.force_login(rep)
    return client


@pytest.fixture
def sdr_team():
    """A team with a round robin type of two members, and an SDR in the team who takes none."""
    meeting_type = team_type(size=2, name="Product demo", **PHONE)
    sdr = RepFactory(first_name="Sam", last_name="Dev")
    TeamMember.objects.create(team=meeting_type.team, rep=sdr)
    return meeting_type, sdr


def book(client, meeting_type, start=None, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "start": (start or next_slot()).isoformat(),
        "time_zone": "Europe/London",
        **overrides,
    }
    return client.post(f"/teams/book/{meeting_type.pk}/", data)


def test_the_teams_page_lists_the_teams_types_and_the_teammates_types(sdr_team):
    meeting_type, sdr = sdr_team
    host = member_reps(meeting_type)[0]
    MeetingTypeFactory(rep=host, name="Deep dive")
    MeetingTypeFactory(name="Stranger's call")
    page = signed_in(sdr).get("/teams/").content.decode()
    assert "Product demo" in page and "Deep dive" in page
    assert "Stranger&#x27;s call" not in page and "Stranger's call" not in page
    assert f"/team/{meeting_type.team.slug}/{meeting_type.slug}/" in page


def test_a_rep_in_no_team_is_told_how_to_get_into_one():
    page = signed_in(RepFactory()).get("/teams/").content.decode()
    assert "You are not in a team yet" in page


def test_the_sdr_picks_a_team_time_and_the_booking_goes_to_a_member(sdr_team):
    meeting_type, sdr = sdr_team
    client = signed_in(sdr)
    week = client.get(f"/teams/book/{meeting_type.pk}/?tz=UTC").content.decode()
    assert "Pick a time" in week and f"/teams/book/{meeting_type.pk}/?start=" in week
    start = next_slot()
    details = client.get(f"/teams/book/{meeting_type.pk}/", {"start": start.isoformat()})
    assert "Prospect&#x27;s email" in details.content.decode()

    response = book(client, meeting_type, start)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/teams/booked/{booking.pk}/"
    assert booking.booked_by == sdr
    assert booking.rep in member_reps(meeting_type)
    assert booking.guest_time_zone == "Europe/London"
    page = client.get(response["Location"]).content.decode()
    assert booking.rep.display_name in page
    assert guest_access.manage_url(booking) in page


def test_the_sdr_books_into_a_teammates_own_type(sdr_team):
    meeting_type, sdr = sdr_team
    teammate = member_reps(meeting_type)[1]
    own = MeetingTypeFactory(rep=teammate, **PHONE)
    assert book(signed_in(sdr), own).status_code == 302
    booking = Booking.objects.get()
    assert (booking.rep, booking.booked_by, booking.meeting_type) == (teammate, sdr, own)


def test_the_host_sees_who_booked_it(sdr_team):
    meeting_type, sdr = sdr_team
    book(signed_in(sdr), meeting_type)
    booking = Booking.objects.get()
    page = signed_in(booking.rep).get(f"/bookings/{booking.pk}/").content.decode()
    assert "Booked by" in page and "Sam Dev" in page


@pytest.mark.parametrize("whose", ["another team", "a stranger", "an archived type"])
def test_types_outside_the_reps_teams_cannot_be_booked_into(sdr_team, whose):
    _, sdr = sdr_team
    target = {
        "another team": lambda: team_type(team=TeamFactory(), size=1, **PHONE),
        "a stranger": lambda: MeetingTypeFactory(**PHONE),
        "an archived type": lambda: team_type(team=sdr_team[0].team, size=1, is_archived=True),
    }[whose]()
    client = signed_in(sdr)
    assert client.get(f"/teams/book/{target.pk}/").status_code == 404
    assert book(client, target).status_code == 404
    assert not Booking.objects.exists()


def test_a_booking_made_by_someone_else_is_not_shown():
    booking = BookingFactory(booked_by=RepFactory())
    assert signed_in(RepFactory()).get(f"/teams/booked/{booking.pk}/").status_code == 404


def test_a_time_taken_meanwhile_keeps_the_details_and_says_so(sdr_team):
    meeting_type, sdr = sdr_team
    for rep in member_reps(meeting_type):
        BookingFactory(meeting_type=meeting_type, rep=rep, start_at=next_slot())
    response = book(signed_in(sdr), meeting_type)
    assert response.status_code == 200
    page = response.content.decode()
    assert "a moment ago" in page or "no longer available" in page
    assert 'value="ada@example.org"' in page


def test_bad_details_are_refused_at_their_fields(sdr_team):
    meeting_type, sdr = sdr_team
    response = book(signed_in(sdr), meeting_type, email="nope", time_zone="Mars/Olympus")
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Select a valid choice" in page
    assert not Booking.objects.exists()


def test_booking_from_inside_the_app_spends_no_public_limit(sdr_team, settings):
    settings.RATE_LIMIT_BOOKINGS_PER_REP = "1/d"
    settings.RATE_LIMIT_BOOKINGS_PER_EMAIL = "1/d"
    meeting_type, sdr = sdr_team
    client = signed_in(sdr)
    for hour in (10, 11, 12, 13):
        assert book(client, meeting_type, next_slot(hour=hour)).status_code == 302
    assert Booking.objects.count() == 4


def test_signing_in_is_required():
    meeting_type = team_type(size=1)
    response = Client().get(f"/teams/book/{meeting_type.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
