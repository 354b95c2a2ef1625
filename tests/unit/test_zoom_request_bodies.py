"""What we send Zoom for a booking (meetings.zoom.bodies): pure, no database or sandbox."""

from meetings.zoom import bodies
from tests.unit.builders import booking


def test_a_create_is_a_scheduled_meeting_at_the_bookings_utc_time_and_length():
    body = bodies.create_body(booking(minutes=45), "America/New_York", {"length": 6})
    assert body["type"] == bodies.SCHEDULED_MEETING
    assert body["start_time"] == "2030-06-03T14:00:00Z"
    assert body["duration"] == 45
    assert body["timezone"] == "America/New_York"


def test_no_zone_is_sent_when_zoom_gave_none_the_start_being_utc():
    # The rep's IANA zone may not be in Zoom's list of time zones, which Zoom refuses.
    body = bodies.schedule_body(booking(), "")
    assert "timezone" not in body
    assert body["start_time"].endswith("Z")


def test_the_hosts_zoom_zone_is_sent_when_known():
    assert bodies.schedule_body(booking(), "Asia/Tokyo")["timezone"] == "Asia/Tokyo"


def test_the_passcode_has_letters_and_digits_and_fits_zooms_ten_characters():
    for _ in range(50):
        code = bodies.passcode_fields({"length": 6})["password"]
        assert len(code) == 10
        assert any(c.isdigit() for c in code) and any(c.isalpha() for c in code)
        assert code.isalnum()


def test_the_passcode_meets_the_hosts_rules_or_zoom_generates_it():
    assert bodies.passcode_fields({"only_allow_numeric": True})["password"].isdigit()
    assert bodies.passcode_fields({}) == {"default_password": True}
    assert bodies.passcode_fields({"length": 12}) == {"default_password": True}


def test_join_before_host_is_not_asked_for_with_a_waiting_room():
    b = booking()
    b.meeting_type.zoom_waiting_room = True
    b.meeting_type.zoom_join_before_host = True
    assert bodies.create_body(b, "", {})["settings"]["join_before_host"] is False


def test_the_phone_passcode_is_kept_from_zooms_answer():
    meeting = bodies.parse_meeting({"id": 81234567890, "password": "aB3", "pstn_password": "5739"})
    assert meeting.phone_passcode == "5739"


def test_the_meeting_settings_come_from_the_meeting_type():
    b = booking()
    b.meeting_type.zoom_waiting_room = True
    b.meeting_type.zoom_auto_recording = "cloud"
    assert bodies.create_body(b, "", {})["settings"] == {
        "waiting_room": True,
        "join_before_host": False,
        "auto_recording": "cloud",
    }


def test_the_agenda_ends_with_the_booking_marker_even_when_the_text_is_too_long():
    b = booking()
    b.meeting_type.invite_description_template = "x" * 5000
    agenda = bodies.agenda(b)
    assert len(agenda) <= bodies.AGENDA_LIMIT
    assert agenda.endswith(f"\n\n{bodies.reference_line(b)}")


def test_zoom_values_are_left_out_of_the_agenda_before_the_meeting_exists():
    b = booking(zoom_join_url="https://zoom.example/j/1")
    assert "https://zoom.example/j/1" not in bodies.agenda(b)
    assert "Join Zoom:" not in bodies.agenda(b)  # its line is dropped, being empty


def test_a_long_title_is_cut_to_zooms_topic_limit():
    b = booking(guest_name="A" * 400)
    assert len(bodies.topic(b)) == bodies.TOPIC_LIMIT


def test_a_reschedule_patches_time_and_wording_but_never_the_passcode():
    body = bodies.schedule_body(booking(), "UTC")
    assert set(body) == {"topic", "start_time", "duration", "timezone", "agenda"}
