"""Link population end to end: a booking commits, a real Celery worker (over Redis, on the
PostgreSQL test database) creates the meeting in the Zoom sandbox, stores the links and mails the
invites; reschedule and cancel follow in Zoom.

Mail: the worker is another process, so its mail cannot reach this process's locmem outbox. The
worker runs with tests.meetings.worker_settings (Django's file-based backend writing to tmp_path),
and the test reads those files; InviteDelivery rows record the same sends in the database.
"""

from datetime import UTC, datetime

import pytest

from meetings.models import Booking, InviteDelivery
from meetings.services.bookings import book_meeting, cancel_booking, reschedule_booking
from meetings.zoom import bodies, tasks
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import MeetingTypeFactory, next_slot
from tests.meetings.mail_files import calendar_mail, invite_of

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

ZOOM_EMAIL = "rep.meetings@example.com"
GUEST = {
    "guest_name": "Ada Lovelace",
    "guest_email": "ada@example.org",
    "guest_time_zone": "Europe/London",
}


def requests_sent(booking) -> int:
    return InviteDelivery.objects.filter(booking=booking, method="REQUEST").count()


def zoom_start(meeting: dict) -> datetime:
    return datetime.fromisoformat(meeting["start_time"].replace("Z", "+00:00")).astimezone(UTC)


def link_state(booking) -> str:
    return Booking.objects.values_list("link_state", flat=True).get(pk=booking.pk)


@pytest.fixture
def worker_mail(tmp_path, celery_workers):
    celery_workers(
        DJANGO_SETTINGS_MODULE="tests.meetings.worker_settings",
        MEETINGS_TEST_MAIL_DIR=tmp_path,
    )
    return tmp_path


@pytest.mark.both_scope_families
def test_a_booking_gets_one_zoom_meeting_its_links_and_invites(sandbox, connect_zoom, worker_mail):
    rep = connect_zoom(zoom_email=ZOOM_EMAIL).user
    meeting_type = MeetingTypeFactory(
        rep=rep, zoom_waiting_room=True, zoom_join_before_host=False, zoom_auto_recording="none"
    )
    start = next_slot(days=3, hour=11)

    booking = book_meeting(meeting_type, start_at=start, **GUEST)
    wait_until(lambda: link_state(booking) == LinkState.READY, message="the link")

    booking.refresh_from_db()
    (meeting,) = sandbox.meetings(host_email=ZOOM_EMAIL)
    assert str(meeting["id"]) == booking.zoom_meeting_id
    assert zoom_start(meeting) == start
    assert meeting["duration"] == 30
    assert meeting["settings"]["waiting_room"] is True
    assert meeting["settings"]["join_before_host"] is False
    assert meeting["password"] and meeting["password"] == booking.zoom_passcode
    assert meeting["join_url"] == booking.zoom_join_url
    assert meeting["agenda"].endswith(bodies.reference_line(booking))

    wait_until(lambda: len(calendar_mail(worker_mail)) == 2, message="two invites")
    for message in calendar_mail(worker_mail):
        method, event = invite_of(message)
        assert method == "REQUEST"
        assert str(event["LOCATION"]) == booking.zoom_join_url
        assert booking.zoom_join_url in str(event["DESCRIPTION"])
    assert InviteDelivery.objects.filter(booking=booking, method="REQUEST").count() == 2


def test_the_task_run_again_creates_no_second_meeting(sandbox, connect_zoom, worker_mail):
    rep = connect_zoom(zoom_email=ZOOM_EMAIL).user
    booking = book_meeting(MeetingTypeFactory(rep=rep), start_at=next_slot(), **GUEST)
    tasks.sync_zoom_meeting.delay(booking.pk)
    tasks.sync_zoom_meeting.delay(booking.pk)
    wait_until(lambda: link_state(booking) == LinkState.READY, message="the link")
    tasks.sync_zoom_meeting.delay(booking.pk)
    wait_until(lambda: len(calendar_mail(worker_mail)) == 2, message="two invites")
    assert len(sandbox.meetings(host_email=ZOOM_EMAIL)) == 1


@pytest.mark.both_scope_families
def test_zoom_follows_a_reschedule_and_a_cancel(sandbox, connect_zoom, worker_mail):
    rep = connect_zoom(zoom_email=ZOOM_EMAIL).user
    booking = book_meeting(MeetingTypeFactory(rep=rep), start_at=next_slot(), **GUEST)
    wait_until(lambda: link_state(booking) == LinkState.READY, message="the link")
    (created,) = sandbox.meetings(host_email=ZOOM_EMAIL)
    # Invites go out a moment after the link is stored, for the booking's version at that moment:
    # a change that overtook them would rightly send only the newer version. So each step waits
    # for the previous one's invites.
    wait_until(lambda: requests_sent(booking) == 2, message="the invites")

    new_start = next_slot(days=4, hour=14)
    reschedule_booking(booking, start_at=new_start)
    wait_until(
        lambda: zoom_start(sandbox.meetings(host_email=ZOOM_EMAIL)[0]) == new_start,
        message="Zoom to move the meeting",
    )
    wait_until(lambda: link_state(booking) == LinkState.READY, message="the link again")
    (moved,) = sandbox.meetings(host_email=ZOOM_EMAIL)
    assert moved["id"] == created["id"]
    wait_until(lambda: requests_sent(booking) == 4, message="the updated invites")

    cancel_booking(booking, by=Booking.Actor.GUEST)
    wait_until(lambda: link_state(booking) == LinkState.REMOVED, message="the removal")
    assert sandbox.meetings(host_email=ZOOM_EMAIL) == []
    wait_until(
        lambda: InviteDelivery.objects.filter(booking=booking, method="CANCEL").count() == 2,
        message="the cancellations",
    )
    # A delivery is recorded just before its message leaves: wait for the last one to be written.
    wait_until(lambda: len(calendar_mail(worker_mail)) == 6, message="every message written")
    methods = sorted(invite_of(m)[0] for m in calendar_mail(worker_mail))
    assert methods == ["CANCEL", "CANCEL", "REQUEST", "REQUEST", "REQUEST", "REQUEST"]
