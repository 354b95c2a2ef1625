"""Teams in the admin: team Meeting Types with their members, and each team's report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.meeting_types import MeetingType
from meetings.models import Booking
from teams.models import AssignmentSkip, MeetingTypeMember, SkipReason, TeamMember
from tests.admin.conftest import staff_client
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import TeamFactory, member_reps, team_type

pytestmark = pytest.mark.django_db


def report(client, team, **period):
    return client.get(f"/admin/teams/team/{team.pk}/report/", period)


def skip(meeting_type, rep, reason, days_ago=0):
    entry = AssignmentSkip.objects.create(
        meeting_type=meeting_type, rep=rep, reason=reason, slot_start=next_slot()
    )
    AssignmentSkip.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_the_report_counts_each_members_bookings_and_skips_by_reason(superuser_client):
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    for days in (2, 3, 4):
        BookingFactory(meeting_type=meeting_type, rep=first, start_at=next_slot(days=days))
    BookingFactory(
        meeting_type=meeting_type,
        rep=second,
        status=Booking.Status.CANCELLED,
        cancelled_at=timezone.now(),
        link_state="removed",
    )
    # A booking of the member's own type is not the team's.
    BookingFactory(meeting_type=MeetingTypeFactory(rep=second), start_at=next_slot(days=5))
    skip(meeting_type, second, SkipReason.BUSY)
    skip(meeting_type, second, SkipReason.BUSY)
    skip(meeting_type, first, SkipReason.ZOOM_BROKEN)

    response = report(superuser_client, meeting_type.team)
    assert response.status_code == 200
    lines = {line.rep: line for line in response.context["report"].lines}
    assert (lines[first].booked, lines[first].cancelled) == (3, 0)
    assert lines[first].skips == {SkipReason.ZOOM_BROKEN.value: 1}
    assert (lines[second].booked, lines[second].cancelled) == (0, 1)
    assert lines[second].skips == {SkipReason.BUSY.value: 2}
    page = response.content.decode()
    assert "3 bookings and 3 skips" in page
    assert "Zoom not connected or needs reconnecting" in page


def test_the_report_keeps_to_its_period(superuser_client):
    meeting_type = team_type(size=1)
    (rep,) = member_reps(meeting_type)
    old = BookingFactory(meeting_type=meeting_type, rep=rep)
    Booking.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    BookingFactory(meeting_type=meeting_type, rep=rep, start_at=next_slot(days=3))
    skip(meeting_type, rep, SkipReason.BUSY, days_ago=40)

    default = report(superuser_client, meeting_type.team).context["report"].lines[0]
    assert (default.booked, default.skipped) == (1, 0)
    today = timezone.localdate()
    longer = (
        report(
            superuser_client,
            meeting_type.team,
            start=(today - timedelta(days=45)).isoformat(),
            end=today.isoformat(),
        )
        .context["report"]
        .lines[0]
    )
    assert (longer.booked, longer.skipped) == (2, 1)


def test_a_former_member_who_still_hosts_a_booking_of_the_period_is_listed(superuser_client):
    meeting_type = team_type(size=2)
    leaver = member_reps(meeting_type)[0]
    BookingFactory(meeting_type=meeting_type, rep=leaver)
    TeamMember.objects.filter(rep=leaver).delete()
    lines = report(superuser_client, meeting_type.team).context["report"].lines
    assert [line.booked for line in lines if line.rep == leaver] == [1]


def test_a_backwards_period_is_refused_with_a_message(superuser_client):
    team = TeamFactory()
    response = report(superuser_client, team, start="2026-12-10", end="2026-12-01")
    assert response.context["report"] is None
    assert "must end on or after" in response.content.decode()


def test_staff_without_the_right_to_view_teams_cannot_open_a_report():
    team = TeamFactory()
    assert report(staff_client(), team).status_code == 403
    assert report(staff_client("teams.view_team"), team).status_code == 200


def test_a_team_type_takes_members_of_its_own_team_only(superuser_client):
    meeting_type = team_type(size=1)
    outsider = TeamMember.objects.create(team=TeamFactory(), rep=RepFactory())
    data = {
        "team": meeting_type.team_id,
        "name": meeting_type.name,
        "slug": meeting_type.slug,
        "is_active": "on",
        "distribution": "round_robin",
        "distribution_window_days": 30,
        "duration_minutes": 30,
        "location_kind": "zoom",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_notice_minutes": 60,
        "horizon_days": 56,
        "zoom_auto_recording": "none",
        "invite_title_template": "Demo",
        "invite_description_template": "Demo",
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 0,
        "members-0-member": outsider.pk,
        "members-0-priority": 2,
        "members-0-weight": 100,
        "availability_windows-TOTAL_FORMS": 0,
        "availability_windows-INITIAL_FORMS": 0,
    }
    url = f"/admin/teams/teammeetingtype/{meeting_type.pk}/change/"
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Only members of this Meeting Type" in response.content.decode()
    assert not MeetingTypeMember.objects.filter(member=outsider).exists()


def test_the_reps_meeting_types_admin_lists_no_team_types(superuser_client):
    team = team_type(size=1, name="Team demo")
    MeetingTypeFactory(name="Own intro")
    page = superuser_client.get("/admin/meetings/meetingtype/").content.decode()
    assert "Own intro" in page and "Team demo" not in page
    assert superuser_client.get(f"/admin/meetings/meetingtype/{team.pk}/change/").status_code == 302
    assert MeetingType.objects.filter(pk=team.pk).exists()


def test_the_team_pages_of_the_admin_open(superuser_client):
    meeting_type = team_type(size=2)
    skip(meeting_type, member_reps(meeting_type)[0], SkipReason.BUSY)
    for url in (
        "/admin/teams/team/",
        f"/admin/teams/team/{meeting_type.team_id}/change/",
        "/admin/teams/teammeetingtype/",
        f"/admin/teams/teammeetingtype/{meeting_type.pk}/change/",
        "/admin/teams/teammeetingtype/add/",
        "/admin/teams/assignmentskip/",
    ):
        assert superuser_client.get(url).status_code == 200, url
