"""What the strict Zoom sandbox demands of a booking's meeting: passcodes meeting the host's rules,
the numeric phone passcode for dial-in, and meetings Zoom will not touch (3000, 3002, 3003,
3007)."""

import json

import pytest

from integrations.zoom.connection.keepalive import keep_connection_alive
from integrations.zoom.connection.models import ZoomConnection
from meetings.models import Booking
from meetings.services.bookings import cancel_booking, reschedule_booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.integrations import steps
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

RULES = "meeting_password_requirement"


def rules_setting(**rules) -> dict:
    return {"schedule_meeting": {RULES: rules}}


def created(sandbox) -> list[dict]:
    return [
        json.loads(call["request_body"])
        for call in sandbox.calls("/users/me/meetings")
        if call["method"] == "POST" and call["status"] == 201
    ]


@pytest.mark.parametrize(
    "rules",
    [
        {"length": 10},
        {"have_letter": True, "have_number": True},
        {"have_special_character": True},
        {"only_allow_numeric": True},
        {"have_upper_and_lower_characters": True},
        {"consecutive_characters_length": 4},
        {
            "length": 8,
            "have_special_character": True,
            "have_upper_and_lower_characters": True,
            "consecutive_characters_length": 4,
        },
    ],
    ids=lambda r: "+".join(r),
)
def test_the_passcode_meets_each_of_the_hosts_rules(rep, connect_zoom, sandbox, rules):
    connect_zoom(rep, settings=rules_setting(**rules))
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    (body,) = created(sandbox)
    booking.refresh_from_db()
    assert booking.zoom_passcode == body["password"]
    if rules.get("only_allow_numeric"):
        assert body["password"].isdigit()


def test_rules_tightened_after_connect_are_read_by_the_keepalive_and_then_met(
    rep, connect_zoom, sandbox
):
    connection = connect_zoom(rep)
    sandbox.set_user_settings(ZOOM_EMAIL, **rules_setting(only_allow_numeric=True))

    keep_connection_alive(connection.pk)
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    assert created(sandbox)[0]["password"].isdigit()


def test_without_known_rules_zoom_generates_the_passcode(rep, connect_zoom, sandbox):
    connection = connect_zoom(rep, settings=rules_setting(have_special_character=True))
    ZoomConnection.objects.filter(pk=connection.pk).update(passcode_rules={})
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    (body,) = created(sandbox)
    assert body["default_password"] is True and "password" not in body
    booking.refresh_from_db()
    assert any(c in "@-_*" for c in booking.zoom_passcode)


def test_the_phone_passcode_is_stored_and_shown_for_dial_in(
    rep, connect_zoom, sandbox, django_capture_on_commit_callbacks, mailoutbox
):
    connect_zoom(rep)
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    with django_capture_on_commit_callbacks(execute=True):
        zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert booking.zoom_phone_passcode == meeting["pstn_password"]
    assert meeting["pstn_password"].isdigit() and meeting["pstn_password"] != meeting["password"]
    assert mailoutbox
    for message in mailoutbox:
        assert f"Phone passcode: {meeting['pstn_password']}" in message.body
        (ics,) = message.attachments
        description = ics.get_payload(decode=True).decode().replace("\r\n ", "")
        assert f"Phone passcode: {meeting['pstn_password']}" in description


def test_join_before_host_is_never_sent_with_a_waiting_room(rep, connect_zoom, sandbox):
    connect_zoom(rep)
    meeting_type = MeetingTypeFactory(rep=rep, zoom_waiting_room=True, zoom_join_before_host=True)
    zoom_links.sync_zoom_meeting(BookingFactory(meeting_type=meeting_type).pk)
    (body,) = created(sandbox)
    assert body["settings"]["join_before_host"] is False


# Meetings Zoom will not change or delete ---------------------------------------------------


@pytest.fixture
def ready_booking(rep, connect_zoom, sandbox):
    connect_zoom(rep)
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    return booking


def test_a_reschedule_of_a_started_meeting_ends_with_a_new_working_link(
    ready_booking, sandbox, django_capture_on_commit_callbacks
):
    """Zoom answers PATCH of a started meeting with 3000 (not 3002): the booking gets a new
    meeting at the new time, and the connection stays healthy."""
    old_id = ready_booking.zoom_meeting_id
    sandbox.set_meeting_status(old_id, "started")
    moved = next_slot(days=4, hour=11)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(ready_booking, start_at=moved)
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.READY
    assert ready_booking.zoom_meeting_id not in ("", old_id)
    [patch] = [c for c in sandbox.calls(f"/meetings/{old_id}") if c["method"] == "PATCH"]
    assert json.loads(patch["response_body"])["code"] == 3000
    new = [m for m in sandbox.meetings(ZOOM_EMAIL) if str(m["id"]) == ready_booking.zoom_meeting_id]
    assert new[0]["start_time"] == moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ready_booking.rep.zoom_connection.status == ZoomConnection.Status.CONNECTED


def test_a_reschedule_of_an_ended_meeting_gets_a_new_meeting(
    ready_booking, sandbox, django_capture_on_commit_callbacks
):
    old_id = ready_booking.zoom_meeting_id
    sandbox.set_meeting_status(old_id, "ended")
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(ready_booking, start_at=next_slot(days=4, hour=11))
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.READY
    assert ready_booking.zoom_meeting_id not in ("", old_id)


def test_a_cancel_of_an_ended_meeting_is_done(
    ready_booking, sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_meeting_status(ready_booking.zoom_meeting_id, "ended")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(ready_booking, by=Booking.Actor.GUEST)
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.REMOVED
    assert ready_booking.link_last_error == ""


def test_a_cancel_while_the_meeting_runs_is_tried_again_later(
    ready_booking, sandbox, django_capture_on_commit_callbacks
):
    sandbox.set_meeting_status(ready_booking.zoom_meeting_id, "started")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(ready_booking, by=Booking.Actor.GUEST)
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.REMOVING
    assert "in progress" in ready_booking.link_last_error


def _switch_zoom_user(rep, sandbox):
    """The rep reconnects as a colleague's Zoom user of the same account: the booking's meeting
    is no longer theirs."""
    account = sandbox.user(ZOOM_EMAIL)["account_id"]
    steps.connect_rep(sandbox, "second.zoom@example.com", rep=rep, account_id=account)


def test_a_reschedule_of_another_zoom_users_meeting_makes_a_new_one_and_says_so(
    ready_booking, rep, sandbox, django_capture_on_commit_callbacks
):
    old_id = ready_booking.zoom_meeting_id
    _switch_zoom_user(rep, sandbox)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(ready_booking, start_at=next_slot(days=4, hour=11))
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.READY
    assert ready_booking.zoom_meeting_id != old_id
    assert "another Zoom user" in ready_booking.zoom_change_note
    assert [m["host_email"] for m in sandbox.meetings("second.zoom@example.com")]


def test_a_cancel_of_another_zoom_users_meeting_is_recorded_with_what_to_do(
    ready_booking, rep, sandbox, django_capture_on_commit_callbacks
):
    _switch_zoom_user(rep, sandbox)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(ready_booking, by=Booking.Actor.GUEST)
    ready_booking.refresh_from_db()
    assert ready_booking.link_state == LinkState.REMOVED
    assert "another Zoom user" in ready_booking.zoom_change_note


def test_rules_tightened_since_they_were_read_are_read_again_and_the_create_retried_once(
    rep, connect_zoom, sandbox
):
    connect_zoom(rep)
    sandbox.set_user_settings(ZOOM_EMAIL, **rules_setting(only_allow_numeric=True))
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    posts = [c for c in sandbox.calls("/users/me/meetings") if c["method"] == "POST"]
    assert [c["status"] for c in posts] == [400, 201]
    assert json.loads(posts[1]["request_body"])["password"].isdigit()
    assert rep.zoom_connection.__class__.objects.get(user=rep).passcode_rules["only_allow_numeric"]


def test_a_call_refused_with_4700_parks_the_booking_and_asks_for_a_reconnect(
    rep, connect_zoom, sandbox
):
    connection = connect_zoom(rep)
    sandbox.fail_next(
        "/users/me/meetings",
        status=400,
        body='{"code": 4700, "message": "Invalid access token, does not contain scopes"}',
    )
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.WAITING_FOR_RECONNECT

    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.NEEDS_RECONNECT
    assert connection.needs_reconnect_reason == "missing_scopes"


def test_without_the_hosts_zoom_time_zone_the_body_names_none(rep, connect_zoom, sandbox):
    """The start goes in UTC; the rep's IANA zone may not be in Zoom's list, so none is sent."""
    connection = connect_zoom(rep)
    ZoomConnection.objects.filter(pk=connection.pk).update(zoom_timezone="")
    rep.time_zone = "America/Argentina/ComodRivadavia"
    rep.save()
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    [body] = created(sandbox)
    assert "timezone" not in body
    assert body["start_time"].endswith("Z")
