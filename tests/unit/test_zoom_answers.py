"""What we keep from Zoom's answers (meetings.zoom.parsing) and how times are read
(config.isotime): pure, no database or sandbox."""

from datetime import UTC, datetime, timedelta, timezone

from config.isotime import parse_iso_datetime
from meetings.zoom.bodies import meeting_type_defaults, parse_meeting, utc_text, zoom_time

MEETING = {
    "id": 85746065432,
    "join_url": "https://zoom.example/j/85746065432?pwd=abc",
    "start_url": "https://zoom.example/s/85746065432?zak=host-key",
    "password": "a1b2c3d4e5",
    "settings": {
        "global_dial_in_numbers": [
            {"country": "US", "country_name": "US", "city": "New York", "number": "+1 646 558"},
            {"country": "DE", "country_name": "Germany", "number": ""},
            "not an entry",
        ]
    },
}


def test_a_meeting_keeps_its_id_link_passcode_and_dial_in_numbers():
    meeting = parse_meeting(MEETING)
    assert meeting.id == "85746065432"
    assert meeting.join_url == MEETING["join_url"]
    assert meeting.passcode == "a1b2c3d4e5"
    assert meeting.dial_in == [
        {"country": "US", "country_name": "US", "city": "New York", "number": "+1 646 558"}
    ]


def test_the_host_start_url_is_never_kept():
    assert "zak=" not in repr(parse_meeting(MEETING))


def test_a_meeting_without_settings_or_passcode_still_parses():
    meeting = parse_meeting({"id": 1})
    assert (meeting.join_url, meeting.passcode, meeting.dial_in) == ("", "", [])


def test_a_hosts_defaults_prefer_the_security_section_for_the_waiting_room():
    settings = {
        "in_meeting": {"waiting_room": False},
        "meeting_security": {"waiting_room": True},
        "schedule_meeting": {"join_before_host": True},
        "recording": {"auto_recording": "local"},
    }
    assert meeting_type_defaults(settings) == {
        "zoom_waiting_room": True,
        "zoom_join_before_host": True,
        "zoom_auto_recording": "local",
    }


def test_unknown_or_missing_host_defaults_are_left_to_ours():
    assert meeting_type_defaults({"recording": {"auto_recording": "everywhere"}}) == {}


def test_zoom_times_in_z_form_offset_form_and_without_offset_are_utc():
    expected = datetime(2030, 6, 3, 14, 0, tzinfo=UTC)
    assert zoom_time("2030-06-03T14:00:00Z") == expected
    assert zoom_time("2030-06-03T16:00:00+02:00") == expected
    assert zoom_time("2030-06-03T14:00:00") == expected
    assert utc_text("2030-06-03T16:00:00+02:00") == "2030-06-03T14:00:00Z"


def test_unreadable_times_are_none_not_errors():
    assert zoom_time("next tuesday") is None
    assert zoom_time(None) is None
    assert zoom_time(1700000000) is None
    assert utc_text("") == ""


def test_a_slot_without_an_offset_is_refused_when_the_caller_says_so():
    assert parse_iso_datetime("2030-06-03T14:00:00", naive_is_utc=False) is None
    moment = parse_iso_datetime(" 2030-06-03T14:00:00-05:00 ", naive_is_utc=False)
    assert moment.utcoffset() == timedelta(hours=-5)
    assert moment.tzinfo == timezone(timedelta(hours=-5))
