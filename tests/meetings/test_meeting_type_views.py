"""The rep's Meeting Type pages: create, edit, validation, access, Zoom defaults."""

from datetime import time

import pytest

from meetings.meeting_types import MeetingType
from meetings.schedules import AvailabilitySchedule, AvailabilityWindow
from tests.factories import RepFactory
from tests.meetings.factories import MeetingTypeFactory, ScheduleFactory

pytestmark = pytest.mark.django_db
NEW = "/meeting-types/new/"
# A Zoom user whose own defaults differ from the form's (waiting room, join before host and
# recording are all off there). Zoom reports the waiting room in both sections.
ZOOM_SETTINGS = {
    "schedule_meeting": {"join_before_host": True},
    "in_meeting": {"waiting_room": True},
    "meeting_security": {"waiting_room": True},
    "recording": {"auto_recording": "local"},
}


def valid_data(**overrides) -> dict:
    data = {
        "name": "Intro call",
        "slug": "intro",
        "duration_minutes": "30",
        "description": "",
        "location_kind": "zoom",
        "location_detail": "",
        "is_active": "on",
        "zoom_auto_recording": "none",
        "invite_title_template": "{{ meeting.name }} with {{ guest.name }}",
        "invite_description_template": "Join: {{ zoom.join_url }}",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_new_reps_first_type_uses_working_hours_made_for_them(rep_client, rep):
    page = rep_client.get(NEW).content.decode()
    (schedule,) = AvailabilitySchedule.objects.filter(rep=rep)
    assert (schedule.name, schedule.is_default) == ("Working hours", True)
    assert f'<option value="{schedule.pk}" selected>Working hours</option>' in page
    response = rep_client.post(NEW, valid_data(schedule=schedule.pk))
    assert response.status_code == 302
    meeting_type = MeetingType.objects.get(rep=rep)
    assert meeting_type.slug == "intro" and meeting_type.is_zoom
    assert meeting_type.schedule == schedule
    windows = [(w.weekday, w.start_time, w.end_time) for w in schedule.windows.all()]
    assert windows == [(day, time(9), time(17)) for day in range(5)]


def test_a_type_takes_another_of_the_reps_schedules_never_someone_elses(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep, slug="intro")
    evenings = ScheduleFactory(rep=rep, name="Evenings")
    theirs = ScheduleFactory(name="Theirs")
    url = f"/meeting-types/{meeting_type.pk}/edit/"
    page = rep_client.get(url).content.decode()
    assert "Evenings" in page and "Theirs" not in page
    response = rep_client.post(url, valid_data(schedule=theirs.pk))
    assert "Select a valid choice" in str(response.context["form"].errors["schedule"])
    AvailabilityWindow.objects.create(
        schedule=evenings, weekday=0, start_time=time(18), end_time=time(21)
    )
    assert rep_client.post(url, valid_data(schedule=evenings.pk)).status_code == 302
    meeting_type.refresh_from_db()
    assert meeting_type.schedule == evenings


def test_saving_a_zoom_type_without_zoom_connected_offers_to_connect(rep_client):
    response = rep_client.post(NEW, valid_data(), follow=True)
    assert b"Zoom is not working for you right now" in response.content
    assert b"Connect your Zoom account</a>" in response.content
    assert b'href="/integrations/"' in response.content


def test_the_form_offers_to_connect_zoom_when_it_is_not_connected(rep_client):
    response = rep_client.get(NEW)
    assert b"Connect your Zoom account" in response.content


def test_a_new_meeting_type_starts_from_the_reps_zoom_settings(rep_client, rep, connect_zoom):
    connect_zoom(rep, settings=ZOOM_SETTINGS)
    form = rep_client.get(NEW).context["form"]
    assert form.initial["zoom_waiting_room"] is True
    assert form.initial["zoom_join_before_host"] is True
    assert form.initial["zoom_auto_recording"] == "local"


def test_zoom_settings_that_fail_to_load_leave_our_defaults(rep_client, rep, connect_zoom, sandbox):
    connect_zoom(rep, settings=ZOOM_SETTINGS)
    sandbox.fail_next("/users/me/settings", status=503)
    response = rep_client.get(NEW)
    assert response.status_code == 200
    assert sandbox.calls("/users/me/settings")[-1]["status"] == 503
    assert response.context["form"].initial["zoom_waiting_room"] is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"duration_minutes": "2"}, "duration_minutes", "greater than or equal to 5"),
        ({"duration_minutes": "600"}, "duration_minutes", "less than or equal to 480"),
        ({"location_kind": "phone"}, "location_detail", "Enter the phone number to call."),
        (
            {"location_kind": "phone", "location_detail": "call me"},
            "location_detail",
            "Enter a phone number",
        ),
        ({"location_kind": "in_person"}, "location_detail", "Enter the address"),
        (
            {"location_kind": "custom_link", "location_detail": "meet.example"},
            "location_detail",
            "Enter a full link",
        ),
        ({"location_kind": "carrier pigeon"}, "location_kind", "Select a valid choice"),
        ({"zoom_auto_recording": "tape"}, "zoom_auto_recording", "Select a valid choice"),
        (
            {"invite_title_template": "{{ zoom.start_url }}"},
            "invite_title_template",
            "Unknown placeholder {{ zoom.start_url }}",
        ),
        (
            {"invite_description_template": "{{ guest.phone }}"},
            "invite_description_template",
            "Unknown placeholder {{ guest.phone }}",
        ),
    ],
)
def test_bad_input_shows_a_clear_message_and_saves_nothing(rep_client, overrides, field, message):
    response = rep_client.post(NEW, valid_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert b"Nothing was saved" in response.content
    assert not MeetingType.objects.exists()


def test_a_bookable_type_with_a_schedule_without_hours_is_refused(rep_client, rep):
    empty = ScheduleFactory(rep=rep, name="Someday")
    response = rep_client.post(NEW, valid_data(schedule=empty.pk))
    assert "“Someday” has no weekly hours yet" in str(response.context["form"].errors["schedule"])
    assert not MeetingType.objects.exists()
    hidden = valid_data(schedule=empty.pk)
    del hidden["is_active"]
    assert rep_client.post(NEW, hidden).status_code == 302  # not bookable: no hours needed


def test_a_rep_cannot_reuse_their_own_slug(rep_client, rep):
    MeetingTypeFactory(rep=rep, slug="intro")
    response = rep_client.post(NEW, valid_data())
    assert "already have a Meeting Type with this link" in str(response.context["form"].errors)
    assert MeetingType.objects.count() == 1


def test_two_reps_may_use_the_same_slug(rep_client):
    MeetingTypeFactory(slug="intro")
    assert rep_client.post(NEW, valid_data()).status_code == 302


def test_a_rep_sees_only_their_own_meeting_types(rep_client, rep):
    mine = MeetingTypeFactory(rep=rep, name="Mine")
    theirs = MeetingTypeFactory(rep=RepFactory(), name="Theirs")
    response = rep_client.get("/meeting-types/")
    assert b"Mine" in response.content and b"Theirs" not in response.content
    assert rep_client.get(f"/meeting-types/{theirs.pk}/edit/").status_code == 404
    assert rep_client.post(f"/meeting-types/{theirs.pk}/edit/", valid_data()).status_code == 404
    assert rep_client.get(f"/meeting-types/{mine.pk}/edit/").status_code == 200


def test_meeting_type_pages_need_a_login(client):
    response = client.get("/meeting-types/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(NEW, valid_data()).status_code == 302
    assert not MeetingType.objects.exists()


def test_a_basic_zoom_user_is_told_about_the_40_minute_limit(rep_client, rep, connect_zoom):
    connect_zoom(rep, user_type=1)
    response = rep_client.get(NEW)
    assert b"Zoom ends its meetings after 40 minutes" in response.content


def test_rules_are_saved_and_shown_again(rep_client, rep):
    data = valid_data(
        buffer_before_minutes="10",
        buffer_after_minutes="15",
        min_notice_minutes="240",
        horizon_days="14",
    )
    assert rep_client.post(NEW, data).status_code == 302
    meeting_type = MeetingType.objects.get(rep=rep)
    assert (meeting_type.buffer_before_minutes, meeting_type.horizon_days) == (10, 14)
    page = rep_client.get(f"/meeting-types/{meeting_type.pk}/edit/").content.decode()
    assert 'name="buffer_after_minutes" value="15"' in page


def test_an_archived_type_closes_its_page_and_keeps_its_bookings(rep_client, rep, client):
    from meetings.models import Booking
    from tests.meetings.factories import BookingFactory, MeetingTypeFactory

    meeting_type = MeetingTypeFactory(rep=rep)
    booking = BookingFactory(meeting_type=meeting_type)
    rep_client.post(f"/meeting-types/{meeting_type.pk}/archive/", {"archived": "1"})
    assert client.get(f"/book/{rep.booking_slug}/{meeting_type.slug}/").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    listing = rep_client.get("/meeting-types/").content.decode()
    assert "Archived" in listing and "Restore" in listing
    rep_client.post(f"/meeting-types/{meeting_type.pk}/archive/", {"archived": "0"})
    assert client.get(f"/book/{rep.booking_slug}/{meeting_type.slug}/").status_code == 200


def test_only_an_unused_type_can_be_deleted(rep_client, rep):
    from tests.meetings.factories import BookingFactory, MeetingTypeFactory

    unused = MeetingTypeFactory(rep=rep)
    used = MeetingTypeFactory(rep=rep)
    BookingFactory(meeting_type=used)
    assert (
        "Archive it instead" in rep_client.get(f"/meeting-types/{used.pk}/delete/").content.decode()
    )
    rep_client.post(f"/meeting-types/{used.pk}/delete/")
    rep_client.post(f"/meeting-types/{unused.pk}/delete/")
    assert list(MeetingType.objects.filter(rep=rep)) == [used]


def test_the_booking_page_months_stop_at_the_horizon(client, rep):
    from tests.meetings.factories import MeetingTypeFactory

    meeting_type = MeetingTypeFactory(rep=rep, horizon_days=40)
    url = f"/book/{rep.booking_slug}/{meeting_type.slug}/"
    months = []
    from django.utils import timezone

    page = client.get(url, {"tz": "UTC", "month": f"{timezone.now():%Y-%m}"})
    while True:
        months.append(page.context["slots"].month)
        assert len(months) < 5
        if 'data-month-step="1"' not in page.content.decode():
            break
        page = client.get(url, {"tz": "UTC", "month": f"{page.context['slots'].next_month:%Y-%m}"})
    assert 2 <= len(months) <= 3  # 40 days from today reach into the next month, or the one after
