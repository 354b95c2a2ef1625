"""A team Meeting Type's public pages: the rep's booking page with the team's slots, booking
assigns a member, and the guest's page names the host."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import guest_access
from meetings.models import Booking
from teams.models import Team
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, next_slot
from tests.teams.factories import add_member, member_reps, team_type, zoom_ready

pytestmark = pytest.mark.django_db

PHONE = {"location_kind": "phone", "location_detail": "+1 415 555 0100"}


def page_url(meeting_type, **query):
    url = f"/team/{meeting_type.team.slug}/{meeting_type.slug}/"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_booking(client, meeting_type, start=None, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "start": (start or next_slot()).isoformat(),
        "time_zone": "Europe/London",
        **overrides,
    }
    return client.post(page_url(meeting_type) + "confirm/", data)


def link(moment):
    return "start=" + quote(moment.strftime("%Y-%m-%dT%H:%M:%S"), safe="")


def test_the_page_looks_like_a_reps_and_names_the_team(client):
    meeting_type = team_type(size=2, name="Product demo")
    response = client.get(page_url(meeting_type, tz="UTC"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Product demo with " + meeting_type.team.name + "</h1>" in content
    assert "Times in UTC" in content
    assert "Pick a time" in content
    assert f'href="{page_url(meeting_type)}confirm/?start=' in content


def test_a_slot_stays_offered_until_every_member_is_booked(client):
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    slot = next_slot()
    day = f"{slot:%Y-%m-%d}"
    BookingFactory(meeting_type=meeting_type, rep=first, start_at=slot)
    assert link(slot) in client.get(page_url(meeting_type, tz="UTC", day=day)).content.decode()
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=slot)
    content = client.get(page_url(meeting_type, tz="UTC", day=day)).content.decode()
    assert link(slot) not in content
    assert link(slot + timedelta(minutes=30)) in content


def test_without_the_visitors_zone_the_page_shows_the_teams(client):
    meeting_type = team_type(size=1)
    Team.objects.filter(pk=meeting_type.team_id).update(time_zone="Europe/Madrid")
    assert b"Times in Madrid time" in client.get(page_url(meeting_type)).content


@pytest.mark.parametrize("which", ["team", "type", "hidden", "archived"])
def test_unknown_or_closed_team_pages_are_not_found(client, which):
    meeting_type = team_type(size=1, is_active=which != "hidden", is_archived=which == "archived")
    url = {
        "team": f"/team/nobody/{meeting_type.slug}/",
        "type": f"/team/{meeting_type.team.slug}/nothing/",
    }.get(which, page_url(meeting_type))
    assert client.get(url).status_code == 404


def test_booking_assigns_a_member_and_the_guest_page_names_the_host(client):
    meeting_type = team_type(size=3, **PHONE)
    response = post_booking(client, meeting_type)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == guest_access.manage_path(booking)
    assert booking.rep in member_reps(meeting_type)
    page = client.get(response["Location"]).content.decode()
    assert f"with {booking.rep.display_name}" in page


def test_a_slot_taken_by_every_member_meanwhile_sends_the_prospect_back(client):
    meeting_type = team_type(size=1, **PHONE)
    (rep,) = member_reps(meeting_type)
    BookingFactory(meeting_type=meeting_type, rep=rep, start_at=next_slot())
    response = post_booking(client, meeting_type)
    assert response.status_code == 302
    assert response["Location"].startswith(page_url(meeting_type))
    follow = client.get(response["Location"]).content.decode()
    assert "a moment ago" in follow
    assert Booking.objects.count() == 1


def test_the_client_address_limit_holds_on_team_pages(client, settings):
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "1/d"
    meeting_type = team_type(size=2, **PHONE)
    assert post_booking(client, meeting_type).status_code == 302
    refused = post_booking(client, meeting_type, start=next_slot(hour=11), email="b@example.org")
    assert refused.status_code == 429
    assert Booking.objects.count() == 1


def test_the_team_page_query_count_does_not_grow_with_members_or_bookings(client):
    meeting_type = team_type(size=3)
    url = page_url(meeting_type, tz="UTC")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for rep in member_reps(meeting_type):
        for days in (2, 3):
            BookingFactory(meeting_type=meeting_type, rep=rep, start_at=next_slot(days=days))
    for rep in RepFactory.create_batch(5):
        add_member(meeting_type, zoom_ready(rep))
    # 9: the members' own working hours and their days off are two of them.
    assert queries() == small <= 9


def test_the_guest_reschedules_within_their_hosts_free_times(client):
    meeting_type = team_type(size=2, **PHONE)
    booking = BookingFactory(meeting_type=meeting_type, rep=member_reps(meeting_type)[0])
    other = member_reps(meeting_type)[1]
    host_busy = next_slot(days=3)
    BookingFactory(meeting_type=meeting_type, rep=booking.rep, start_at=host_busy)
    token = guest_access.token_for(booking)
    page = client.get(f"/bookings/guest/{token}/reschedule/?tz=UTC&day={host_busy:%Y-%m-%d}")
    content = page.content.decode()
    # `other` is free then, but the booking stays with its host, who is not.
    assert f'value="{host_busy.isoformat()}"' not in content
    assert f'value="{(host_busy + timedelta(minutes=30)).isoformat()}"' in content
    moved = client.post(
        f"/bookings/guest/{token}/reschedule/",
        {"start": (host_busy + timedelta(minutes=30)).isoformat(), "confirm": "1"},
    )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.start_at == host_busy + timedelta(minutes=30)
    assert booking.rep != other
