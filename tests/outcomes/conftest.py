"""Bookings with a real Zoom meeting in the sandbox, whose meetings the sandbox plays (start, join,
leave, end) and whose events reach the live app; a real worker applies them and sends the mail
(into files: tests/meetings/worker_settings.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Booking, LinkState
from meetings.zoom import links as zoom_links
from outcomes.models import MeetingOutcome
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

ZOOM_EMAIL = "host@corp.example"
GRANULAR_WITH_LIST = (
    "user:read:user user:read:settings meeting:write:meeting meeting:update:meeting "
    "meeting:delete:meeting meeting:read:meeting meeting:read:list_meetings "
    "meeting:read:list_past_participants"
)


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Without a worker, tasks enqueued after a commit run inline (tests/fixtures/celery_worker)."""


@pytest.fixture
def worker_mail(tmp_path, celery_workers):
    celery_workers(
        DJANGO_SETTINGS_MODULE="tests.meetings.worker_settings",
        MEETINGS_TEST_MAIL_DIR=tmp_path,
    )
    return tmp_path


@pytest.fixture
def zoom_booking(live_sandbox, rep, client):
    """`zoom_booking(granted=None, **meeting_type) -> Booking`: the rep connects Zoom (granting
    `granted` instead of the app's listing when given) and gets a booking whose Zoom meeting
    exists in the sandbox."""

    def make(granted: str | None = None, **meeting_type) -> Booking:
        if granted is not None:
            live_sandbox.set_knobs(granted_scopes=granted)
        steps.connect_rep(live_sandbox, ZOOM_EMAIL, rep=rep, account_name="Corp")
        booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep, **meeting_type))
        assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
        booking.refresh_from_db()
        client.force_login(rep)
        return booking

    return make


def outcome_of(booking) -> MeetingOutcome | None:
    return MeetingOutcome.objects.filter(booking=booking).first()


def wait_for_outcome(booking, expected: str) -> MeetingOutcome:
    wait_until(
        lambda: (found := outcome_of(booking)) is not None and found.outcome == expected,
        message=f"the outcome {expected}",
    )
    return outcome_of(booking)


def meeting_is_over(booking) -> None:
    """Moves the booking into the past, as if its time had come and gone (Zoom does not care:
    its meeting keeps its own times)."""
    end = timezone.now() - timedelta(minutes=15)
    Booking.objects.filter(pk=booking.pk).update(start_at=end - timedelta(minutes=30), end_at=end)
    booking.refresh_from_db()


def meeting_is_now(booking) -> None:
    """Moves the booking to now: it started a minute ago."""
    start = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(
        start_at=start, end_at=start + timedelta(minutes=30)
    )
    booking.refresh_from_db()
