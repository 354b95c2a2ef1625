"""populate_zoom_link / sync_zoom_meeting against Zoom's HTTP API faked at the network edge
(`responses`); the flow against the sandbox and a real worker is in test_link_worker.py."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Booking, InviteDelivery, LinkState
from meetings.services import zoom_links
from meetings.services.bookings import cancel_booking, reschedule_booking
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

START_URL = "https://zoom.example/s/85746065432?zak=host-secret-key"


def api(path: str) -> str:
    return f"{settings.ZOOM_API_BASE_URL}{path}"


def meeting_json(meeting_id=85746065432, join="https://zoom.example/j/85746065432?pwd=x"):
    return {
        "id": meeting_id,
        "join_url": join,
        "start_url": START_URL,
        "password": "a1B2c3D4e5",
        "settings": {
            "global_dial_in_numbers": [
                {
                    "country": "US",
                    "country_name": "US",
                    "city": "New York",
                    "number": "+1 646 558 8656",
                    "type": "toll",
                },
            ]
        },
    }


@pytest.fixture
def zoom_rep():
    return ZoomConnectionFactory(zoom_timezone="America/Chicago").user


@pytest.fixture
def booking(zoom_rep):
    meeting_type = MeetingTypeFactory(
        rep=zoom_rep,
        zoom_waiting_room=True,
        zoom_join_before_host=False,
        zoom_auto_recording="cloud",
    )
    return BookingFactory(
        meeting_type=meeting_type,
        start_at=datetime(2030, 4, 2, 14, tzinfo=UTC),
        end_at=datetime(2030, 4, 2, 14, 30, tzinfo=UTC),
    )


def sent_body(call) -> dict:
    return json.loads(call.request.body)


@responses.activate
def test_the_meeting_is_created_with_utc_start_host_zone_passcode_and_the_types_settings(booking):
    responses.post(api("/users/me/meetings"), json=meeting_json(), status=201)

    outcome = zoom_links.populate_zoom_link(booking.pk)

    assert outcome.state == LinkState.READY
    body = sent_body(responses.calls[0])
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
    assert body["agenda"].endswith(f"Booking reference: {booking.reference}")


@responses.activate
def test_the_links_are_stored_and_the_start_url_is_not(booking):
    responses.post(api("/users/me/meetings"), json=meeting_json(), status=201)
    zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.zoom_meeting_id == "85746065432"
    assert booking.zoom_join_url.startswith("https://zoom.example/j/")
    assert booking.zoom_passcode == "a1B2c3D4e5"
    assert booking.zoom_dial_in[0]["number"] == "+1 646 558 8656"
    stored = json.dumps(list(Booking.objects.values().get(pk=booking.pk).values()), default=str)
    assert "zak=" not in stored and START_URL not in stored


@responses.activate
def test_a_meeting_id_beyond_32_bits_is_kept_exactly(booking):
    responses.post(
        api("/users/me/meetings"), json=meeting_json(meeting_id=98765432101234), status=201
    )
    zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.zoom_meeting_id == "98765432101234"


@responses.activate
def test_long_templates_are_cut_to_zooms_limits(zoom_rep):
    meeting_type = MeetingTypeFactory(
        rep=zoom_rep,
        invite_title_template="T" * 300,
        invite_description_template="D" * 4000,
    )
    booking = BookingFactory(meeting_type=meeting_type)
    responses.post(api("/users/me/meetings"), json=meeting_json(), status=201)
    zoom_links.populate_zoom_link(booking.pk)
    body = sent_body(responses.calls[0])
    assert len(body["topic"]) == 200
    assert len(body["agenda"]) <= 2000
    assert body["agenda"].endswith(booking.reference)


@responses.activate
def test_invites_with_the_join_link_go_out_once_the_link_is_ready(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    responses.post(api("/users/me/meetings"), json=meeting_json(), status=201)
    with django_capture_on_commit_callbacks(execute=True):
        zoom_links.populate_zoom_link(booking.pk)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([booking.guest_email, booking.rep.email])
    for message in mailoutbox:
        (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
        assert str(event["LOCATION"]) == booking.rep.bookings.get().zoom_join_url
    assert InviteDelivery.objects.filter(booking=booking).count() == 2


def test_a_rep_without_zoom_gets_the_booking_parked_for_a_reconnect():
    booking = BookingFactory()
    outcome = zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert outcome.state == booking.link_state == LinkState.WAITING_FOR_RECONNECT
    assert "reconnect Zoom" in booking.link_last_error


@responses.activate
def test_a_parked_booking_resumes_once_the_rep_connects(django_capture_on_commit_callbacks):
    booking = BookingFactory()
    zoom_links.populate_zoom_link(booking.pk)
    ZoomConnectionFactory(user=booking.rep)
    responses.post(api("/users/me/meetings"), json=meeting_json(), status=201)
    with django_capture_on_commit_callbacks(execute=True):
        assert zoom_links.resume_parked_links() == 1
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY


@responses.activate
def test_a_zoom_outage_leaves_the_booking_pending_with_a_next_try(booking):
    responses.post(api("/users/me/meetings"), body="<html>Bad gateway</html>", status=502)
    outcome = zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING
    assert booking.link_attempts == 1
    assert "502" in booking.link_last_error
    assert booking.link_next_attempt_at > timezone.now()
    assert outcome.retry_at == booking.link_next_attempt_at


@responses.activate
def test_an_outage_that_outlasts_every_attempt_fails_with_the_reason(booking):
    Booking.objects.filter(pk=booking.pk).update(link_attempts=zoom_links.MAX_ATTEMPTS - 1)
    responses.post(api("/users/me/meetings"), status=500)
    zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "kept failing" in booking.link_last_error


@responses.activate
def test_the_daily_limit_waits_until_zoom_says(booking):
    retry_at = (timezone.now() + timedelta(hours=5)).replace(microsecond=0)
    responses.post(
        api("/users/me/meetings"),
        status=429,
        json={
            "code": 429,
            "message": "You have exceeded the daily rate limit (100) of Meeting "
            "Create/Update API requests permitted for this particular user.",
        },
        headers={
            "X-RateLimit-Type": "Daily-limit",
            "Retry-After": retry_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    outcome = zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING
    assert booking.link_next_attempt_at == retry_at == outcome.retry_at
    assert "daily limit" in booking.link_last_error


@responses.activate
def test_a_user_who_may_not_host_fails_with_that_reason(booking):
    responses.post(
        api("/users/me/meetings"),
        status=400,
        json={"code": 3161, "message": "User is not allowed to host meetings."},
    )
    zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "may not host" in booking.link_last_error


@responses.activate
def test_a_refused_body_fails_with_zooms_field_messages(booking):
    responses.post(
        api("/users/me/meetings"),
        status=400,
        json={
            "code": 300,
            "message": "Validation Failed.",
            "errors": [{"field": "settings.auto_recording", "message": "Invalid value"}],
        },
    )
    zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert "settings.auto_recording: Invalid value" in booking.link_last_error


@responses.activate
def test_a_run_while_another_holds_the_booking_does_nothing(booking):
    Booking.objects.filter(pk=booking.pk).update(
        link_lease_until=timezone.now() + timedelta(minutes=1)
    )
    assert zoom_links.populate_zoom_link(booking.pk) == zoom_links.NOTHING_TO_DO
    assert len(responses.calls) == 0


def ready(booking):
    with responses.RequestsMock() as mock:
        mock.post(api("/users/me/meetings"), json=meeting_json(), status=201)
        zoom_links.populate_zoom_link(booking.pk)
    booking.refresh_from_db()
    return booking


@responses.activate
def test_a_reschedule_patches_the_same_meeting_and_reads_it_back(
    booking, django_capture_on_commit_callbacks
):
    booking = ready(booking)
    responses.patch(api("/meetings/85746065432"), status=204)
    responses.get(api("/meetings/85746065432"), json=meeting_json())
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, start_at=next_slot(days=3, hour=11))
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert booking.invite_sequence == 1
    patch = sent_body(responses.calls[0])
    assert patch["start_time"] == next_slot(days=3, hour=11).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [c.request.method for c in responses.calls] == ["PATCH", "GET"]


@responses.activate
def test_a_reschedule_of_a_meeting_deleted_in_zoom_creates_a_new_one_and_sends_its_link(
    booking, django_capture_on_commit_callbacks, mailoutbox
):
    booking = ready(booking)
    responses.patch(
        api("/meetings/85746065432"),
        status=404,
        json={"code": 3001, "message": "Meeting does not exist"},
    )
    new_join = "https://zoom.example/j/111222333444"
    responses.post(
        api("/users/me/meetings"),
        status=201,
        json=meeting_json(meeting_id=111222333444, join=new_join),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, start_at=next_slot(days=3, hour=11))
    booking.refresh_from_db()
    assert booking.zoom_meeting_id == "111222333444"
    assert booking.zoom_join_url == new_join
    assert all(new_join in m.body for m in mailoutbox)
    assert all(m.subject.startswith("Updated invitation") for m in mailoutbox)


@responses.activate
def test_a_cancel_deletes_the_meeting_and_a_missing_one_counts_as_deleted(
    booking, django_capture_on_commit_callbacks
):
    booking = ready(booking)
    responses.delete(
        api("/meetings/85746065432"),
        status=404,
        json={"code": 3001, "message": "Meeting does not exist"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, by=Booking.Actor.GUEST)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.REMOVED
    assert booking.zoom_join_url == ""
    assert responses.calls[0].request.method == "DELETE"
