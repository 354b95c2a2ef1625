"""A schedule's date overrides: rows with a date picker, a day off or hours, added and removed as
a formset, with each mistake shown at its own input."""

import re
from datetime import UTC, date, datetime, time

import pytest

from meetings import selectors
from meetings.availability import day_bounds
from meetings.schedules import AvailabilitySchedule, DateOverride
from tests.meetings.factories import MeetingTypeFactory, ScheduleFactory
from tests.meetings.schedule_data import NEW_SCHEDULE as NEW
from tests.meetings.schedule_data import override_rows, schedule_data

pytestmark = pytest.mark.django_db


def field_error_is_linked(page: str, field_id: str, message: str) -> bool:
    """The input points at its error list (aria-describedby) and the list holds `message`."""
    (tag,) = re.findall(rf'<input [^>]*id="{field_id}"[^>]*>', page)
    errors = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    return (
        f'aria-describedby="{field_id}_error"' in tag
        and 'aria-invalid="true"' in tag
        and errors is not None
        and message in errors.group(1)
    )


def test_the_form_offers_a_date_picker_a_day_off_or_hours_and_a_row_template(rep_client):
    page = rep_client.get(NEW).content.decode()
    assert re.search(
        r'<input type="date" name="overrides-0-date"[^>]*id="id_overrides-0-date"',
        page,
    )
    assert 'type="radio" name="overrides-0-kind" value="off"' in page
    assert "Unavailable all day" in page and "Available these hours" in page
    assert re.search(r'<input type="time" name="overrides-0-start"', page)
    assert 'name="overrides-TOTAL_FORMS" value="1"' in page
    # The blank row "Add a date" copies, and the button itself, shown by the static script.
    (template,) = [
        t
        for t in re.findall(r"<template data-formset-template>(.*?)</template>", page, re.S)
        if "overrides-__prefix__" in t
    ]
    assert 'name="overrides-__prefix__-date"' in template
    assert "data-formset-add hidden>Add a date" in page and "js/formset_rows.js" in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # the CSP allows no inline script


def test_hours_that_end_before_they_start_are_refused_at_the_end_input(rep_client):
    data = schedule_data(overrides=override_rows(("2030-12-27", "hours", "14:00", "10:00")))
    page = rep_client.post(NEW, data).content.decode()
    assert field_error_is_linked(page, "id_overrides-0-end", "The end must come after the start.")
    assert "Nothing was saved" in page
    assert not AvailabilitySchedule.objects.exists()


def test_hours_without_times_are_refused_at_each_empty_input(rep_client):
    page = rep_client.post(
        NEW, schedule_data(overrides=override_rows(("2030-12-27", "hours", "", "")))
    ).content.decode()
    assert field_error_is_linked(page, "id_overrides-0-start", "Enter when the hours start.")
    assert field_error_is_linked(page, "id_overrides-0-end", "Enter when the hours end.")


def test_a_row_without_a_date_is_refused_at_the_date_input(rep_client):
    page = rep_client.post(
        NEW, schedule_data(overrides=override_rows(("", "hours", "10:00", "12:00")))
    ).content.decode()
    assert field_error_is_linked(page, "id_overrides-0-date", "Pick the date.")


def test_a_day_off_cannot_also_have_hours(rep_client):
    data = schedule_data(
        overrides=override_rows(
            ("2030-12-25", "off", "", ""), ("2030-12-25", "hours", "10:00", "12:00")
        )
    )
    page = rep_client.post(NEW, data).content.decode()
    assert field_error_is_linked(page, "id_overrides-1-date", "a day off cannot also have hours")
    assert not AvailabilitySchedule.objects.exists()


def test_overlapping_hours_on_one_date_are_refused(rep_client):
    data = schedule_data(
        overrides=override_rows(
            ("2030-12-27", "hours", "13:00", "15:00"), ("2030-12-27", "hours", "10:00", "14:00")
        )
    )
    page = rep_client.post(NEW, data).content.decode()
    assert field_error_is_linked(page, "id_overrides-0-start", "These hours overlap")


def test_times_typed_before_choosing_a_day_off_are_dropped(rep_client, rep):
    data = schedule_data(overrides=override_rows(("2030-12-25", "off", "10:00", "12:00")))
    assert rep_client.post(NEW, data).status_code == 302
    (row,) = DateOverride.objects.all()
    assert (row.date, row.start_time, row.end_time) == (date(2030, 12, 25), None, None)


def test_a_blank_row_saves_nothing(rep_client):
    assert (
        rep_client.post(
            NEW, schedule_data(overrides=override_rows(("", "off", "", "")))
        ).status_code
        == 302
    )
    assert not DateOverride.objects.exists()


def test_a_removed_row_is_dropped_and_the_others_kept(rep_client, rep):
    schedule = ScheduleFactory(rep=rep, name="Working hours")
    DateOverride.objects.create(schedule=schedule, date=date(2030, 12, 25))
    DateOverride.objects.create(
        schedule=schedule, date=date(2030, 12, 26), start_time=time(9), end_time=time(12)
    )
    data = schedule_data(
        overrides=override_rows(
            ("2030-12-25", "off", "", ""),
            ("2030-12-26", "hours", "09:00", "12:00"),
            ("2031-01-01", "off", "", ""),
            initial=2,
        )
    )
    data["overrides-0-DELETE"] = "on"
    assert rep_client.post(f"/availability/{schedule.pk}/edit/", data).status_code == 302
    assert [str(o) for o in schedule.overrides.all()] == [
        "2030-12-26: 09:00–12:00",
        "2031-01-01: off",
    ]


def test_a_removed_row_may_hold_anything(rep_client):
    data = schedule_data(
        overrides=override_rows(("2030-12-25", "off", "", ""), ("nonsense", "hours", "25:00", ""))
    )
    data["overrides-1-DELETE"] = "on"
    assert rep_client.post(NEW, data).status_code == 302
    assert DateOverride.objects.count() == 1


def test_a_post_without_override_rows_leaves_the_overrides_alone(rep_client, rep):
    schedule = ScheduleFactory(rep=rep, name="Working hours")
    DateOverride.objects.create(schedule=schedule, date=date(2030, 12, 25))
    data = {k: v for k, v in schedule_data().items() if not k.startswith("overrides-")}
    response = rep_client.post(f"/availability/{schedule.pk}/edit/", data)
    assert response.status_code == 302
    assert schedule.overrides.count() == 1


def test_too_many_rows_are_refused(rep_client):
    rows = [(f"2030-01-{day:02d}", "off", "", "") for day in range(1, 29)] * 8  # 224 rows
    response = rep_client.post(NEW, schedule_data(overrides=override_rows(*rows)))
    assert response.status_code == 200
    assert "Please submit at most 200 forms." in response.content.decode()
    assert not AvailabilitySchedule.objects.exists()


def test_saved_overrides_change_the_offered_slots(rep_client, rep):
    data = schedule_data(
        overrides=override_rows(
            ("2030-12-23", "off", "", ""),  # a Monday
            ("2030-12-24", "hours", "10:00", "11:00"),  # a Tuesday
        ),
    )
    assert rep_client.post(NEW, data).status_code == 302
    schedule = AvailabilitySchedule.objects.get(rep=rep)
    meeting_type = MeetingTypeFactory(rep=rep, schedule=schedule)
    now = datetime(2030, 12, 1, tzinfo=UTC)

    def starts(day):
        start, end = day_bounds(day, rep.time_zone)
        return selectors.available_slots(meeting_type, start, end, now=now)

    assert starts(date(2030, 12, 23)) == []
    assert len(starts(date(2030, 12, 24))) == 2
    assert len(starts(date(2030, 12, 30))) == 16  # the next Monday keeps its weekly hours
