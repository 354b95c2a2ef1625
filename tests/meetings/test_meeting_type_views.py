"""The rep's Meeting Type pages: create, edit, validation, access, Zoom defaults."""

from datetime import date, time

import pytest

from meetings.models import AvailabilityWindow, MeetingType
from tests.factories import RepFactory
from tests.meetings.factories import MeetingTypeFactory

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


def override_rows(*rows, initial: int = 0) -> dict:
    """The date override formset's fields for rows of (date, "off" | "hours", start, end)."""
    data = {
        "overrides-TOTAL_FORMS": str(len(rows)),
        "overrides-INITIAL_FORMS": str(initial),
    }
    for index, (day, kind, start, end) in enumerate(rows):
        data |= {
            f"overrides-{index}-date": day,
            f"overrides-{index}-kind": kind,
            f"overrides-{index}-start": start,
            f"overrides-{index}-end": end,
        }
    return data


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
        "hours_0": "09:00-12:00, 13:00-17:00",
        "hours_1": "09:00-17:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_rep_creates_a_zoom_meeting_type_with_weekly_hours(rep_client, rep):
    response = rep_client.post(NEW, valid_data())
    assert response.status_code == 302
    meeting_type = MeetingType.objects.get(rep=rep)
    assert meeting_type.slug == "intro" and meeting_type.is_zoom
    windows = [
        (w.weekday, w.start_time, w.end_time) for w in meeting_type.availability_windows.all()
    ]
    assert windows == [(0, time(9), time(12)), (0, time(13), time(17)), (1, time(9), time(17))]


def test_saving_a_zoom_type_without_zoom_connected_offers_to_connect(rep_client):
    response = rep_client.post(NEW, valid_data(), follow=True)
    assert b"Zoom is not connected" in response.content
    assert b'href="/integrations/"' in response.content


def test_the_form_offers_to_connect_zoom_when_it_is_not_connected(rep_client):
    response = rep_client.get(NEW)
    assert b"Connect Zoom" in response.content


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
        ({"hours_0": "9-5"}, "hours_0", "is not a range like 09:00-17:00"),
        ({"hours_0": "17:00-09:00"}, "hours_0", "the end must come after the start"),
        ({"hours_0": "09:00-12:00, 11:00-13:00"}, "hours_0", "Two of these ranges overlap."),
        ({"hours_0": "25:00-26:00"}, "hours_0", "is not a time of day"),
    ],
)
def test_bad_input_shows_a_clear_message_and_saves_nothing(rep_client, overrides, field, message):
    response = rep_client.post(NEW, valid_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert b"Nothing was saved" in response.content
    assert not MeetingType.objects.exists()
    assert not AvailabilityWindow.objects.exists()


def test_a_bookable_type_without_any_hours_is_refused(rep_client):
    response = rep_client.post(NEW, valid_data(hours_0="", hours_1=""))
    assert "Add hours to at least one day" in str(response.context["form"].non_field_errors())
    assert not MeetingType.objects.exists()


def test_a_rep_cannot_reuse_their_own_slug(rep_client, rep):
    MeetingTypeFactory(rep=rep, slug="intro")
    response = rep_client.post(NEW, valid_data())
    assert "already have a Meeting Type with this link" in str(response.context["form"].errors)
    assert MeetingType.objects.count() == 1


def test_two_reps_may_use_the_same_slug(rep_client):
    MeetingTypeFactory(slug="intro")
    assert rep_client.post(NEW, valid_data()).status_code == 302


def test_editing_replaces_the_weekly_hours(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep, slug="intro")
    response = rep_client.post(
        f"/meeting-types/{meeting_type.pk}/edit/", valid_data(hours_0="", hours_1="10:00-11:00")
    )
    assert response.status_code == 302
    assert [str(w) for w in meeting_type.availability_windows.all()] == ["Tuesday 10:00–11:00"]


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


def test_rules_and_date_overrides_are_saved_and_shown_again(rep_client, rep):
    data = valid_data(
        buffer_before_minutes="10",
        buffer_after_minutes="15",
        min_notice_minutes="240",
        horizon_days="14",
        **override_rows(
            ("2030-12-25", "off", "", ""),
            ("2030-12-27", "hours", "10:00", "12:00"),
            ("2030-12-27", "hours", "13:00", "14:00"),
        ),
    )
    assert rep_client.post(NEW, data).status_code == 302
    meeting_type = MeetingType.objects.get(rep=rep)
    assert (meeting_type.buffer_before_minutes, meeting_type.horizon_days) == (10, 14)
    assert [str(o) for o in meeting_type.date_overrides.all()] == [
        "2030-12-25: off",
        "2030-12-27: 10:00–12:00",
        "2030-12-27: 13:00–14:00",
    ]
    overrides = rep_client.get(f"/meeting-types/{meeting_type.pk}/edit/").context["overrides"]
    assert [
        (f["date"].value(), f["kind"].value(), f["start"].value(), f["end"].value())
        for f in overrides.initial_forms
    ] == [
        (date(2030, 12, 25), "off", None, None),
        (date(2030, 12, 27), "hours", time(10), time(12)),
        (date(2030, 12, 27), "hours", time(13), time(14)),
    ]


def test_a_bad_override_row_is_refused_with_its_field_and_nothing_is_saved(rep_client, rep):
    response = rep_client.post(NEW, valid_data(**override_rows(("Christmas", "off", "", ""))))
    assert response.status_code == 200
    assert "Enter a date like 2026-12-25." in response.content.decode()
    assert not MeetingType.objects.exists()


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
