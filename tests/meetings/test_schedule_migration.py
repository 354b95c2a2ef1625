"""The migration to schedules: each Meeting Type's weekly hours and date overrides become a
schedule of its own (a rep's first is their default; a team type's belongs to the team), on the
real database (PostgreSQL refuses to alter a table whose rows changed in the same transaction)."""

from datetime import date, time

import pytest

from tests.fixtures.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("meetings", "0014_availability_schedules"), ("teams", "0001_initial")]
AFTER = [("meetings", "0016_hours_belong_to_schedules")]


def test_each_types_hours_become_a_schedule_it_uses(at_latest):
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("teams", "Team")
    MeetingType = apps.get_model("meetings", "MeetingType")
    Window = apps.get_model("meetings", "AvailabilityWindow")
    Override = apps.get_model("meetings", "DateOverride")
    rep = User.objects.create(email="old@example.com", booking_slug="old", time_zone="UTC")
    team = Team.objects.create(name="Sales", slug="sales")
    common = {"duration_minutes": 30, "location_kind": "zoom"}
    intro = MeetingType.objects.create(rep=rep, name="Intro", slug="intro", **common)
    demo = MeetingType.objects.create(rep=rep, name="Intro", slug="intro-2", **common)
    shared = MeetingType.objects.create(
        team=team, name="Team demo", slug="demo", distribution="round_robin", **common
    )
    Window.objects.create(meeting_type=intro, weekday=0, start_time=time(9), end_time=time(12))
    Window.objects.create(meeting_type=demo, weekday=4, start_time=time(13), end_time=time(17))
    Window.objects.create(meeting_type=shared, weekday=1, start_time=time(8), end_time=time(9))
    Override.objects.create(meeting_type=intro, date=date(2030, 12, 25))

    apps = migrate(AFTER)
    MeetingType = apps.get_model("meetings", "MeetingType")
    intro, demo, shared = (
        MeetingType.objects.select_related("schedule").get(slug=slug)
        for slug in ("intro", "intro-2", "demo")
    )
    assert (intro.schedule.name, intro.schedule.is_default) == ("Intro hours", True)
    assert (demo.schedule.name, demo.schedule.is_default) == ("Intro hours (2)", False)
    assert shared.schedule.team_id == shared.team_id and shared.schedule.rep_id is None
    assert [(w.weekday, w.start_time) for w in intro.schedule.windows.all()] == [(0, time(9))]
    assert [(w.weekday, w.start_time) for w in demo.schedule.windows.all()] == [(4, time(13))]
    assert [o.date for o in intro.schedule.overrides.all()] == [date(2030, 12, 25)]
    assert [w.weekday for w in shared.schedule.windows.all()] == [1]
