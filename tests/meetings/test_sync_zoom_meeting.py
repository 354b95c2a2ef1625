"""sync_zoom_meeting against the Zoom sandbox over real HTTP, run inline; the
same flow through a real worker is in test_link_worker.py."""

import json
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Booking, InviteDelivery
from meetings.services.bookings import cancel_booking, reschedule_booking
from meetings.zoom import bodies, resume, retries
from meetings.zoom import links as zoom_links
from meetings.zoom.results import NOTHING_TO_DO
from meetings.zoom.state import LinkState
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

CREATE_PATH = "/users/me/meetings"


@pytest.fixture
def chicago_rep(rep, connect_zoom):
    """A rep whose Zoom user lives in Chicago (the rep's own zone stays New York)."""
    connect_zoom(rep, timezone="America/Chicago")
    return rep


@pytest.fixture
def booking(chicago_rep):
    meeting_type = MeetingTypeFactory(
        rep=chicago_rep,
        zoom_waiting_room=True,
        zoom_join_before_host=False,
        zoom_auto_recording="cloud",
    )
    return BookingFactory(
        meeting_type=meeting_type,
        start_at=datetime(2030, 4, 2, 14, tzinfo=UTC),
        end_at=datetime(2030, 4, 2, 14, 30, tzinfo=UTC),
    )


def creates(sandbox) -> list[dict]:
    """Our create requests, as the sandbox received and answered them."""
    return [call for call in sandbox.calls(CREATE_PATH) if call["method"] == "POST"]


def sent(call) -> dict:
    return json.loads(call["request_body"])


def answered(call) -> dict:
    return json.loads(call["response_body"])


def refusal(code: int, message: str, **extra) -> str:
    """A Zoom error body, for refusals our own requests never provoke."""
    return json.dumps({"code": code, "message": message, **extra})


def test_the_meeting_is_created_with_utc_start_host_zone_passcode_and_the_types_settings(
    booking, sandbox
):
    outcome = zoom_links.sync_zoom_meeting(booking.pk)

    assert outcome.state == LinkState.READY
    (call,) = creates(sandbox)
    body = sent(call)
    assert body["start_time"] == "2030-04-02T14:00:00Z"
    assert body["duration"] == 30
    assert body["timezone"] == "America/Chicago"
    assert body["type"] == 2
    assert re.fullmatch(r"[A-Za-z0-9]{10}", body["password"])
    assert body["settings"] == {
        "waiting_room": True,
        "join_before_host": False,
        "auto_recording": "cloud",
    }
    assert body["agenda"].endswith(f"\n\n{bodies.reference_line(booking)}")


def test_the_links_are_stored_and_the_start_url_is_not(booking, sandbox):
    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    meeting = answered(creates(sandbox)[0])
    assert booking.zoom_meeting_id == str(meeting["id"])
    assert booking.zoom_join_url == meeting["join_url"]
    assert booking.zoom_passcode == meeting["password"]
    dial_in = meeting["settings"]["global_dial_in_numbers"]
    assert booking.zoom_dial_in[0]["number"] == dial_in[0]["number"]
    stored = json.dumps(list(Booking.objects.values().get(pk=booking.pk).values()), default=str)
    assert "zak=" in meeting["start_url"]
    assert "zak=" not in stored and meeting["start_url"] not in stored


def test_a_meeting_id_beyond_32_bits_is_kept_exactly(booking, sandbox):
    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert meeting["id"] > 2**32
    assert booking.zoom_meeting_id == str(meeting["id"])


def test_long_templates_are_cut_to_zooms_limits(chicago_rep, sandbox):
    meeting_type = MeetingTypeFactory(
        rep=chicago_rep,
        invite_title_template="T" * 300,
        invite_description_template="D" * 4000,
    )
    booking = BookingFactory(meeting_type=meeting_type)

    # The sandbox refuses a topic over 200 or an agenda over 2000 characters, as Zoom does.
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    body = sent(creates(sandbox)[0])
    assert len(body["topic"]) == 200
    assert len(body["agenda"]) <= 2000
    assert body["agenda"].endswith(bodies.reference_line(booking))


def test_invites_with_the_join_link_go_out_once_the_link_is_ready(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        zoom_links.sync_zoom_meeting(booking.pk)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([booking.guest_email, booking.rep.email])
    for message in mailoutbox:
        (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
        assert str(event["LOCATION"]) == booking.rep.bookings.get().zoom_join_url
    assert InviteDelivery.objects.filter(booking=booking).count() == 2


def test_a_rep_without_zoom_gets_the_booking_parked_for_a_reconnect():
    booking = BookingFactory()
    outcome = zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert outcome.state == booking.link_state == LinkState.WAITING_FOR_RECONNECT
    assert "reconnect Zoom" in booking.link_last_error


def test_a_parked_booking_resumes_once_the_rep_connects(
    connect_zoom, django_capture_on_commit_callbacks
):
    booking = BookingFactory()
    zoom_links.sync_zoom_meeting(booking.pk)
    connect_zoom(booking.rep)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume.resume_parked_links() == 1
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY


def test_a_zoom_outage_leaves_the_booking_pending_with_a_next_try(booking, sandbox):
    sandbox.fail_next(CREATE_PATH, status=502, kind="non_json")
    outcome = zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING
    assert booking.link_attempts == 1
    assert "502" in booking.link_last_error
    assert booking.link_next_attempt_at > timezone.now()
    assert outcome.retry_at == booking.link_next_attempt_at


def test_an_outage_that_outlasts_every_attempt_fails_with_the_reason(booking, sandbox):
    Booking.objects.filter(pk=booking.pk).update(link_attempts=retries.MAX_ATTEMPTS - 1)
    sandbox.fail_next(CREATE_PATH, status=500)
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "kept failing" in booking.link_last_error


def test_the_daily_limit_waits_until_zoom_says(booking, sandbox):
    sandbox.set_daily_usage(ZOOM_EMAIL, 100)
    outcome = zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    # Zoom's daily quota resets at 00:00 UTC, which its Retry-After names.
    (refused,) = creates(sandbox)
    assert refused["status"] == 429
    midnight = datetime.combine(timezone.now().astimezone(UTC).date(), time(), UTC)
    assert booking.link_state == LinkState.PENDING
    assert booking.link_next_attempt_at == midnight + timedelta(days=1) == outcome.retry_at
    assert "daily limit" in booking.link_last_error
    assert sandbox.meetings(ZOOM_EMAIL) == []


def test_a_user_who_may_not_host_fails_with_that_reason(rep, connect_zoom, sandbox):
    connect_zoom(rep, "no.hosting@example.com", hosting_disabled=True)
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "may not host" in booking.link_last_error


def test_a_refused_body_fails_with_zooms_field_messages(booking, sandbox):
    # Everything we send passes the sandbox's validation (we cut topic and agenda, and the database
    # only holds known recording modes), so Zoom's refusal is injected in Zoom's shape.
    sandbox.fail_next(
        CREATE_PATH,
        status=400,
        body=refusal(
            300,
            "Validation Failed.",
            errors=[{"field": "settings.auto_recording", "message": "Invalid value"}],
        ),
    )
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "settings.auto_recording: Invalid value" in booking.link_last_error


def test_a_run_while_another_holds_the_booking_does_nothing(booking, sandbox):
    Booking.objects.filter(pk=booking.pk).update(
        link_lease_until=timezone.now() + timedelta(minutes=1)
    )
    assert zoom_links.sync_zoom_meeting(booking.pk) == NOTHING_TO_DO
    assert sandbox.calls("meetings") == []


def changed_while_zoom_answers(change):
    """An execute wrapper that makes `change` (another request's) land just before the run
    stores its meeting, as if it came while Zoom was answering."""
    done = []

    def wrapper(execute, sql, params, many, context):
        if sql.startswith('UPDATE "meetings_booking" SET "link_state"') and not done:
            done.append(True)
            change()
        return execute(sql, params, many, context)

    return wrapper


def test_a_booking_moved_while_zoom_creates_keeps_the_meeting_and_goes_round_to_move_it(
    booking, sandbox, django_capture_on_commit_callbacks
):
    new_start = next_slot(days=3, hour=11)
    move = changed_while_zoom_answers(lambda: reschedule_booking(booking, start_at=new_start))
    with connection.execute_wrapper(move), django_capture_on_commit_callbacks() as callbacks:
        run = zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert run.state == LinkState.PENDING
    assert booking.link_state == LinkState.PENDING and booking.link_lease_until is None
    assert booking.start_at == new_start
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert booking.zoom_meeting_id == str(meeting["id"])  # moved by the next run, not remade
    assert len(callbacks) >= 1  # the next run is announced


def test_a_booking_cancelled_while_zoom_creates_has_the_new_meeting_removed(
    booking, sandbox, django_capture_on_commit_callbacks
):
    cancel = changed_while_zoom_answers(lambda: cancel_booking(booking, by=Booking.Actor.GUEST))
    with connection.execute_wrapper(cancel), django_capture_on_commit_callbacks(execute=True):
        zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.is_cancelled
    assert booking.link_state == LinkState.REMOVED
    assert sandbox.meetings(ZOOM_EMAIL) == []


def ready(booking):
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    return booking


def test_a_reschedule_patches_the_same_meeting_and_reads_it_back(
    booking, sandbox, django_capture_on_commit_callbacks
):
    booking = ready(booking)
    meeting_id = booking.zoom_meeting_id
    new_start = next_slot(days=3, hour=11)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, start_at=new_start)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert booking.invite_sequence == 1
    assert booking.zoom_meeting_id == meeting_id
    calls = sandbox.calls(f"/meetings/{meeting_id}")
    assert [c["method"] for c in calls] == ["PATCH", "GET"]
    assert sent(calls[0])["start_time"] == new_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert meeting["start_time"] == new_start.strftime("%Y-%m-%dT%H:%M:%SZ")


# A meeting deleted inside Zoom: the sandbox's meeting.deleted webhook goes to SITE_URL, where no
# server runs in these tests, so the app learns of the deletion only from Zoom's 404 (3001).


def test_a_reschedule_of_a_meeting_deleted_in_zoom_creates_a_new_one_and_sends_its_link(
    booking, sandbox, django_capture_on_commit_callbacks, mailoutbox
):
    booking = ready(booking)
    old_id = booking.zoom_meeting_id
    sandbox.delete_meeting_in_zoom(old_id)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, start_at=next_slot(days=3, hour=11))
    booking.refresh_from_db()
    (patch,) = sandbox.calls(f"/meetings/{old_id}")
    assert patch["method"] == "PATCH" and patch["status"] == 404
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert booking.zoom_meeting_id == str(meeting["id"]) != old_id
    assert booking.zoom_join_url == meeting["join_url"]
    assert len(mailoutbox) == 2
    assert all(meeting["join_url"] in m.body for m in mailoutbox)
    assert all(m.subject.startswith("Updated invitation") for m in mailoutbox)


def test_a_cancel_deletes_the_meeting_in_zoom(booking, sandbox, django_capture_on_commit_callbacks):
    booking = ready(booking)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, by=Booking.Actor.GUEST)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.REMOVED
    assert booking.zoom_join_url == ""
    assert sandbox.meetings(ZOOM_EMAIL) == []


def test_a_cancel_of_a_meeting_already_deleted_in_zoom_counts_as_deleted(
    booking, sandbox, django_capture_on_commit_callbacks
):
    booking = ready(booking)
    sandbox.delete_meeting_in_zoom(booking.zoom_meeting_id)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, by=Booking.Actor.GUEST)
    (delete,) = sandbox.calls(f"/meetings/{booking.zoom_meeting_id}")
    assert delete["method"] == "DELETE" and delete["status"] == 404
    booking.refresh_from_db()
    assert booking.link_state == LinkState.REMOVED
    assert booking.zoom_join_url == ""
