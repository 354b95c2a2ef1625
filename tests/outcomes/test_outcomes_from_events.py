"""Each outcome from Zoom's meeting events alone (the grant has no scope for Zoom's participant
list): the sandbox plays the meeting, its events reach the app, a real worker applies them."""

import pytest
import requests

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from outcomes import followups
from outcomes.models import Source
from outcomes.rules import Outcome
from outcomes.services import bookings_due_for_check
from outcomes.zoom.check import check_after_meeting
from tests.fixtures.celery_worker import wait_until
from tests.meetings.mail_files import sent_mail

from .conftest import GRANULAR_WITH_LIST, meeting_is_over, outcome_of, wait_for_outcome

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def no_show_mail(folder, booking) -> list:
    return [
        m
        for m in sent_mail(folder)
        if m["To"] == booking.guest_email and "Sorry we missed you" in m["Subject"]
    ]


def _applied(count: int):
    return lambda: ZoomWebhookEvent.objects.filter(outcome="applied").count() >= count


def test_held_when_the_host_and_the_guest_were_both_in_it(live_sandbox, zoom_booking, worker_mail):
    booking = zoom_booking()
    meeting = booking.zoom_meeting_id
    live_sandbox.join_meeting(meeting, "Pat Prospect")
    live_sandbox.start_meeting(meeting)
    live_sandbox.end_meeting(meeting)
    record = wait_for_outcome(booking, Outcome.HELD)
    assert record.source == Source.EVENTS
    assert record.host_joined_at and record.guest_joined_at and record.meeting_ended_at
    assert record.others_joined == 1
    assert record.guest_waited_at is not None  # Pat waited for the host first


def test_guest_no_show_when_the_host_was_alone_and_the_guest_is_emailed_once(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking(no_show_email=True)
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    record = wait_for_outcome(booking, Outcome.GUEST_NO_SHOW)
    # The guest is told once the check after the meeting has settled it (a join event could
    # still be on its way).
    assert not record.is_settled and record.no_show_email_sent_at is None
    meeting_is_over(booking)
    check_after_meeting(booking.pk)

    def guest_mail():
        return no_show_mail(worker_mail, booking)

    wait_until(guest_mail, message="the no-show email")
    # Zoom sends the end again (a retry of a delivery it thinks failed), and the follow-up is
    # asked for again: neither sends a second email.
    ended = live_sandbox.webhook_deliveries("meeting.ended")[0]
    assert live_sandbox.redeliver(ended["id"])["status"] == 200
    assert followups.send_no_show_email(booking.pk) is False
    [email] = guest_mail()
    assert "Sorry we missed you" in email["Subject"]
    body = email.get_payload(decode=True).decode()
    expected = f"/book/{booking.rep.booking_slug}/{booking.meeting_type.slug}/"
    assert expected in body
    assert record.source == Source.EVENTS


def test_host_no_show_when_the_guest_waited_and_the_meeting_never_started(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking(no_show_email=True)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    live_sandbox.leave_meeting(booking.zoom_meeting_id, as_="guest")
    wait_until(_applied(2), message="the waiting events applied")
    assert outcome_of(booking).outcome == ""  # nothing ended: nothing decided yet
    meeting_is_over(booking)
    assert check_after_meeting(booking.pk).startswith("decided from events")
    record = outcome_of(booking)
    assert (record.outcome, record.source) == (Outcome.HOST_NO_SHOW, Source.EVENTS)
    # Without the scope the rep is told what to add, and may still mark it by hand.
    assert "meeting:read:list_past_participants" in record.unavailable_reason
    assert not no_show_mail(worker_mail, booking)


def test_events_of_the_hosts_other_meetings_are_ignored(live_sandbox, zoom_booking, worker_mail):
    booking = zoom_booking()
    token = ZoomConnection.objects.get(user=booking.rep).access_token
    own = requests.post(
        f"{live_sandbox.url}/v2/users/me/meetings",
        headers={"Authorization": f"Bearer {token}"},
        json={"topic": "Team stand-up", "type": 1},
        timeout=10,
    ).json()
    live_sandbox.start_meeting(own["id"])
    wait_until(
        lambda: ZoomWebhookEvent.objects.filter(outcome="ignored").count() >= 2,
        message="the stand-up's events processed",
    )
    assert outcome_of(booking) is None


def _guest_join_not_delivered_in_time(live_sandbox, booking, **knob):
    """The host starts the meeting, the guest's join event is held back (`knob`), and the host
    ends it: by Zoom's events in hand, the guest never came."""
    meeting = booking.zoom_meeting_id
    live_sandbox.start_meeting(meeting)
    wait_until(_applied(2), message="the start and the host's join applied")
    live_sandbox.set_knobs(**knob)
    live_sandbox.join_meeting(meeting, "Pat Prospect")
    live_sandbox.set_knobs(activity_event_delay_seconds=0, activity_events_lost=[])
    live_sandbox.end_meeting(meeting)
    return wait_for_outcome(booking, Outcome.GUEST_NO_SHOW)


def test_a_late_join_turns_a_no_show_into_held_and_the_guest_is_never_emailed(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking(no_show_email=True)
    record = _guest_join_not_delivered_in_time(
        live_sandbox, booking, activity_event_delay_seconds=3600
    )
    assert record.no_show_email_sent_at is None
    assert live_sandbox.send_held_events() == 1
    record = wait_for_outcome(booking, Outcome.HELD)
    meeting_is_over(booking)
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert record.is_settled and record.outcome == Outcome.HELD
    assert not followups.no_show_email_due(record)
    assert followups.send_no_show_email(booking.pk) is False
    assert booking.pk not in followups.no_show_emails_due()
    assert not no_show_mail(worker_mail, booking)


def test_zooms_list_corrects_a_no_show_whose_join_event_was_lost(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST, no_show_email=True)
    _guest_join_not_delivered_in_time(
        live_sandbox, booking, activity_events_lost=["meeting.participant_joined"]
    )
    meeting_is_over(booking)
    assert booking.pk in bookings_due_for_check()
    assert check_after_meeting(booking.pk) == "decided from Zoom's list: held"
    record = outcome_of(booking)
    assert (record.outcome, record.source) == (Outcome.HELD, Source.PARTICIPANTS)
    assert record.guest_joined_at is not None
    assert followups.send_no_show_email(booking.pk) is False
    assert not no_show_mail(worker_mail, booking)
