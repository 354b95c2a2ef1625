"""A host changes or deletes one of our meetings inside Zoom: the booking records it for the rep."""

from datetime import timedelta

import pytest

from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings.models import Booking
from meetings.zoom import links as zoom_links
from meetings.zoom import resume
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

ZOOM_EMAIL = "host@zoom.example"


@pytest.fixture
def booking(client, rep, live_sandbox):
    client.force_login(rep)
    steps.connect_rep(live_sandbox, ZOOM_EMAIL, rep=rep)
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    return booking


def applied(outcome=ZoomWebhookEvent.Outcome.APPLIED):
    return lambda: ZoomWebhookEvent.objects.filter(outcome=outcome).exists()


def test_meeting_deleted_in_zoom_is_shown_and_the_dead_link_removed(
    client, booking, live_sandbox, celery_worker
):
    live_sandbox.delete_meeting_in_zoom(booking.zoom_meeting_id)
    wait_until(applied(), message="meeting.deleted to be applied")

    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED
    assert booking.zoom_join_url == "" and booking.zoom_meeting_id == ""
    assert "deleted this meeting in Zoom" in booking.zoom_change_note
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Changed in Zoom" in page
    assert "Try again now" in page


def test_a_new_link_after_a_deletion_in_zoom_makes_exactly_one_new_meeting(
    client, booking, live_sandbox, celery_worker
):
    live_sandbox.delete_meeting_in_zoom(booking.zoom_meeting_id)
    wait_until(applied(), message="meeting.deleted to be applied")

    assert resume.retry_link(Booking.objects.get(pk=booking.pk))
    wait_until(
        lambda: Booking.objects.get(pk=booking.pk).link_state == LinkState.READY,
        message="the new link",
    )
    booking.refresh_from_db()
    assert booking.zoom_change_note == ""
    assert [m["id"] for m in live_sandbox.meetings(ZOOM_EMAIL)] == [int(booking.zoom_meeting_id)]


def test_meeting_moved_in_zoom_is_recorded_and_the_booking_keeps_its_time(
    client, booking, live_sandbox, celery_worker
):
    moved = booking.start_at + timedelta(hours=2)
    live_sandbox.update_meeting_in_zoom(
        booking.zoom_meeting_id, start_time=moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    wait_until(applied(), message="meeting.updated to be applied")

    before = booking.start_at
    booking.refresh_from_db()
    assert booking.start_at == before
    assert booking.link_state == LinkState.READY
    assert f"start moved to {moved:%Y-%m-%d %H:%M} UTC" in booking.zoom_change_note
    assert "Changed in Zoom" in client.get("/bookings/").content.decode()


def test_our_own_reschedule_echoed_by_zoom_records_nothing(booking, live_sandbox, celery_worker):
    live_sandbox.set_knobs(webhooks_for_api_changes=True)
    booking.move_to(booking.start_at + timedelta(days=1), booking.end_at + timedelta(days=1))
    booking.link_state = LinkState.PENDING
    booking.save()
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    wait_until(
        lambda: ZoomWebhookEvent.objects.exclude(outcome="pending").exists(),
        message="Zoom's meeting.updated echo to be processed",
    )
    booking.refresh_from_db()
    assert booking.zoom_change_note == ""


def test_our_own_reschedule_echoed_with_a_title_naming_the_time_records_nothing(
    rep, booking, live_sandbox, celery_worker
):
    """The title names the time, so our PATCH changes the topic too: the echo carries it."""
    live_sandbox.set_knobs(webhooks_for_api_changes=True)
    booking.meeting_type.invite_title_template = "{{ guest.name }} at {{ time.start }}"
    booking.meeting_type.save()
    booking.move_to(booking.start_at + timedelta(days=1), booking.end_at + timedelta(days=1))
    booking.link_state = LinkState.PENDING
    booking.save()
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    wait_until(
        lambda: ZoomWebhookEvent.objects.exclude(outcome="pending").exists(),
        message="Zoom's meeting.updated echo to be processed",
    )
    (echo,) = [d for d in live_sandbox.webhook_deliveries("meeting.updated") if d["status"] == 200]
    assert "topic" in echo["body"]["payload"]["object"]
    booking.refresh_from_db()
    assert booking.zoom_change_note == ""


def test_a_topic_the_host_changed_in_zoom_is_still_recorded(booking, live_sandbox, celery_worker):
    live_sandbox.update_meeting_in_zoom(booking.zoom_meeting_id, topic="Renamed by the host")
    wait_until(applied(), message="meeting.updated to be applied")
    booking.refresh_from_db()
    assert "topic changed" in booking.zoom_change_note


def _move(booking, days: int) -> None:
    booking.refresh_from_db()
    booking.move_to(booking.start_at + timedelta(days=days), booking.end_at + timedelta(days=days))
    booking.link_state = LinkState.PENDING
    booking.save()
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY


def test_the_echo_of_an_earlier_move_of_ours_arriving_last_records_nothing(
    booking, live_sandbox, celery_worker, settings
):
    """A → B → C in quick succession; Zoom's echo of B comes after C's (its first delivery
    failed and Zoom retried it). It is older than our last update, so it says nothing."""
    secret = settings.ZOOM_WEBHOOK_SECRET_TOKEN
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = ""  # the app cannot answer B's echo: Zoom retries it
    _move(booking, days=1)
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = secret
    _move(booking, days=1)
    [late] = [d for d in live_sandbox.webhook_deliveries("meeting.updated") if d["status"] != 200]

    assert live_sandbox.retry_delivery(late["id"])["status"] == 200

    updates = ZoomWebhookEvent.objects.filter(event="meeting.updated")
    wait_until(
        lambda: updates.exclude(outcome="pending").count() == 2,
        message="both echoes to be processed",
    )
    booking.refresh_from_db()
    assert booking.zoom_change_note == ""
