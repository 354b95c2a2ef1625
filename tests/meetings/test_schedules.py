"""Availability schedules: weekly hours typed with time inputs, several ranges per day, named and
shared by Meeting Types (a change to one schedule changes every type that uses it)."""

import re
from datetime import UTC, date, datetime, time

import pytest

from meetings import selectors
from meetings.availability import day_bounds
from meetings.schedules import AvailabilitySchedule, AvailabilityWindow, describe_week
from tests.meetings.factories import MeetingTypeFactory, ScheduleFactory
from tests.meetings.schedule_data import NEW_SCHEDULE, hours_rows, schedule_data

pytestmark = pytest.mark.django_db


def windows(schedule) -> list[str]:
    return [str(w) for w in schedule.windows.all()]


def test_a_new_rep_finds_working_hours_ready_on_the_availability_page(rep_client, rep):
    page = rep_client.get("/availability/").content.decode()
    (schedule,) = AvailabilitySchedule.objects.filter(rep=rep)
    assert schedule.is_default and "Working hours" in page and "Default" in page
    assert "Mon–Fri 09:00–17:00" in page
    assert "Not used by any Meeting Type." in page
    rep_client.get("/availability/")
    assert AvailabilitySchedule.objects.filter(rep=rep).count() == 1  # made once


def test_the_hours_editor_has_time_inputs_per_weekday_and_a_blank_row_for_more(rep_client):
    page = rep_client.get(NEW_SCHEDULE).content.decode()
    for day in ("Monday", "Tuesday", "Sunday"):
        assert f'<legend class="weekday__name">{day}</legend>' in page
    assert re.search(r'<input type="time" name="hours-0-start" value="09:00"', page)
    # Monday–Friday 09:00–17:00 to start with, each day with one blank row after its hours.
    starts = re.findall(r'name="hours-(\d+)-start"(?: value="([^"]*)")?', page)
    assert [value for _, value in starts] == ["09:00", ""] * 5 + ["", ""]
    assert 'data-rows="hours-day-0"' in page and "Add hours<span" in page
    assert 'id="hours-template-6"' in page and 'name="hours-__prefix__-weekday" value="6"' in page
    assert "js/formset_rows.js" in page


def test_a_day_takes_several_ranges_and_a_day_without_any_is_off(rep_client, rep):
    data = schedule_data(
        (0, "09:00", "12:00"),
        (0, "13:00", "17:00"),
        (2, "10:00", "11:30"),
        (3, "", ""),  # an empty row: no hours
        name="Split days",
        is_default="on",
    )
    assert rep_client.post(NEW_SCHEDULE, data).status_code == 302
    schedule = AvailabilitySchedule.objects.get(rep=rep, name="Split days")
    assert windows(schedule) == [
        "Monday 09:00–12:00",
        "Monday 13:00–17:00",
        "Wednesday 10:00–11:30",
    ]
    assert describe_week(schedule.windows.all()) == [
        "Mon 09:00–12:00, 13:00–17:00",
        "Wed 10:00–11:30",
    ]


def test_an_end_of_midnight_means_the_end_of_the_day(rep_client, rep):
    assert rep_client.post(NEW_SCHEDULE, schedule_data((4, "18:00", "00:00"))).status_code == 302
    assert windows(AvailabilitySchedule.objects.get(rep=rep)) == ["Friday 18:00–23:59"]


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        (((0, "17:00", "09:00"),), "id_hours-0-end", "The end must come after the start."),
        (((0, "09:00", ""),), "id_hours-0-end", "Enter when these hours end."),
        (((0, "", "17:00"),), "id_hours-0-start", "Enter when these hours start."),
        (((0, "9am", "17:00"),), "id_hours-0-start", "Enter a time like 09:00."),
        (
            ((1, "09:00", "12:00"), (1, "11:00", "13:00")),
            "id_hours-1-start",
            "These hours overlap other hours on Tuesday.",
        ),
    ],
)
def test_bad_hours_are_refused_at_their_input_and_nothing_is_saved(
    rep_client, rep, rows, field, message
):
    page = rep_client.post(NEW_SCHEDULE, schedule_data(*rows)).content.decode()
    (tag,) = re.findall(rf'<input [^>]*id="{field}"[^>]*>', page)
    assert 'aria-invalid="true"' in tag
    assert f'<a href="#{field}">' in page and message in page
    assert "Nothing was saved." in page
    assert not AvailabilitySchedule.objects.exists()


def test_making_a_schedule_the_default_takes_it_from_the_other(rep_client, rep):
    first = ScheduleFactory(rep=rep, name="Working hours", is_default=True)
    rep_client.post(NEW_SCHEDULE, schedule_data(name="Evenings", is_default="on"))
    first.refresh_from_db()
    evenings = AvailabilitySchedule.objects.get(name="Evenings")
    assert evenings.is_default and not first.is_default
    assert selectors.default_schedule_of(rep) == evenings
    page = rep_client.post(NEW_SCHEDULE, schedule_data(name="Evenings")).content.decode()
    assert "You have a schedule with this name already." in page


def test_types_sharing_a_schedule_all_follow_a_change_to_it(rep_client, rep):
    shared = ScheduleFactory(rep=rep, name="Working hours")
    AvailabilityWindow.objects.create(
        schedule=shared, weekday=0, start_time=time(9), end_time=time(17)
    )
    intro = MeetingTypeFactory(rep=rep, schedule=shared)
    demo = MeetingTypeFactory(rep=rep, schedule=shared, duration_minutes=60)
    now = datetime(2030, 12, 1, tzinfo=UTC)
    monday = date(2030, 12, 2)

    def count(meeting_type):
        return len(
            selectors.available_slots(meeting_type, *day_bounds(monday, rep.time_zone), now=now)
        )

    assert (count(intro), count(demo)) == (16, 15)
    page = rep_client.get(f"/availability/{shared.pk}/edit/").content.decode()
    assert intro.name in page and demo.name in page  # "Used by …"
    data = schedule_data((0, "09:00", "11:00"), name="Working hours")
    assert rep_client.post(f"/availability/{shared.pk}/edit/", data).status_code == 302
    assert (count(intro), count(demo)) == (4, 3)


def test_a_schedule_in_use_cannot_be_deleted_and_an_unused_one_can(rep_client, rep):
    used = ScheduleFactory(rep=rep, name="Used", is_default=True)
    MeetingTypeFactory(rep=rep, schedule=used, name="Intro")
    spare = ScheduleFactory(rep=rep, name="Spare")
    page = rep_client.get(f"/availability/{used.pk}/delete/").content.decode()
    assert "cannot be deleted" in page and "Intro" in page
    rep_client.post(f"/availability/{used.pk}/delete/")
    assert AvailabilitySchedule.objects.filter(pk=used.pk).exists()
    rep_client.post(f"/availability/{spare.pk}/delete/")
    assert not AvailabilitySchedule.objects.filter(pk=spare.pk).exists()


def test_deleting_the_default_passes_it_to_the_next(rep_client, rep):
    default = ScheduleFactory(rep=rep, name="A", is_default=True)
    other = ScheduleFactory(rep=rep, name="B")
    rep_client.post(f"/availability/{default.pk}/delete/")
    other.refresh_from_db()
    assert other.is_default


def test_another_reps_schedule_is_not_found(rep_client):
    theirs = ScheduleFactory(name="Theirs")
    assert rep_client.get(f"/availability/{theirs.pk}/edit/").status_code == 404
    assert rep_client.post(f"/availability/{theirs.pk}/delete/").status_code == 404
    assert AvailabilitySchedule.objects.filter(pk=theirs.pk).exists()


def test_a_forged_row_without_a_weekday_is_refused(rep_client):
    data = schedule_data() | hours_rows((0, "09:00", "17:00"), ("x", "10:00", "11:00"))
    response = rep_client.post(NEW_SCHEDULE, data)
    assert response.status_code == 200
    assert not AvailabilitySchedule.objects.exists()


def test_a_week_reads_in_a_few_words():
    from meetings.availability import Window

    week = [Window(d, time(9), time(17)) for d in range(5)] + [Window(6, time(10), time(12))]
    assert describe_week(week) == ["Mon–Fri 09:00–17:00", "Sun 10:00–12:00"]
    assert describe_week([]) == []
