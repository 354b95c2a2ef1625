"""The rep's marking wins over everything Zoom says later; the host-absent alert goes out once,
after the Meeting Type's minutes, and the dashboard shows the waiting guest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations.zoom.webhooks.models import ZoomWebhookEvent
from outcomes import followups
from outcomes.models import MeetingOutcome, Source
from outcomes.rules import Outcome
from outcomes.tasks import sweep_outcomes
from outcomes.zoom.check import check_after_meeting
from tests.fixtures.celery_worker import wait_until

from .conftest import GRANULAR_WITH_LIST, meeting_is_now, meeting_is_over, outcome_of

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_the_reps_marking_wins_over_late_events_and_the_check(
    live_sandbox, zoom_booking, client, worker_mail
):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST)
    live_sandbox.set_knobs(activity_event_delay_seconds=3600)  # every event comes late
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.end_meeting(booking.zoom_meeting_id)  # the guest never came
    meeting_is_over(booking)
    response = client.post(f"/bookings/{booking.pk}/outcome/", {"outcome": "held"})
    assert response.status_code == 302
    assert "Marked: Held." in client.get(response["Location"]).content.decode()

    assert live_sandbox.send_held_events() == 4
    # Zoom also tells of the meeting our own create made (meeting.created, not held back): only
    # the four late activity events are counted here.
    late = ZoomWebhookEvent.objects.exclude(event="meeting.created")
    wait_until(
        lambda: late.filter(outcome="applied").count() == 4,
        message="the late events applied",
    )
    assert check_after_meeting(booking.pk) == "already settled"
    record = outcome_of(booking)
    assert (record.outcome, record.source, record.corrected_by) == (
        Outcome.HELD,
        Source.REP,
        booking.rep,
    )
    # What Zoom said is still kept beside it (the times on the booking's page).
    assert record.host_joined_at is not None and record.others_joined == 0


def test_marking_a_meeting_still_ahead_is_refused(zoom_booking, client, live_sandbox):
    booking = zoom_booking()
    page = client.post(f"/bookings/{booking.pk}/outcome/", {"outcome": "held"}, follow=True)
    assert "has not started yet" in page.content.decode()
    assert outcome_of(booking) is None


def test_the_host_absent_alert_is_sent_once_and_the_dashboard_shows_the_guest(
    live_sandbox, zoom_booking, client, worker_mail
):
    booking = zoom_booking(host_absent_alert_minutes=3)
    meeting_is_now(booking)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    wait_until(
        lambda: (found := outcome_of(booking)) and found.guest_waiting_since,
        message="the guest waiting",
    )
    # Two minutes in: too early.
    MeetingOutcome.objects.filter(booking=booking).update(
        guest_waiting_since=timezone.now() - timedelta(minutes=2)
    )
    assert followups.alert_host_absent(booking.pk) is False
    MeetingOutcome.objects.filter(booking=booking).update(
        guest_waiting_since=timezone.now() - timedelta(minutes=4)
    )
    assert followups.alert_host_absent(booking.pk) is True
    assert followups.alert_host_absent(booking.pk) is False
    sweep_outcomes()  # the sweeper finds nothing more to send
    [alert] = [m for m in mail.outbox if m.to == [booking.rep.email]]
    assert alert.subject == f"{booking.guest_name} is waiting for you in Zoom"
    assert f"/bookings/{booking.pk}/" in alert.body
    dashboard = client.get("/dashboard/").content.decode()
    assert "is waiting for you in Zoom" in dashboard
    # The host comes: the banner goes.
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    wait_until(lambda: outcome_of(booking).guest_waiting_since is None, message="the host joining")
    assert "is waiting for you in Zoom" not in client.get("/dashboard/").content.decode()
