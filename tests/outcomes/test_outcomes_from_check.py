"""Each outcome from the check after the meeting alone: every meeting event is lost, and Zoom's
participant list (`GET /past_meetings/{id}/participants`) settles it, read through the rep's Zoom
connection (paced, tokens refreshed) where the grant allows."""

import pytest

from outcomes.models import MeetingOutcome, Source
from outcomes.rules import Outcome
from outcomes.services import CHECK_ATTEMPTS, bookings_due_for_check
from outcomes.zoom.check import check_after_meeting

from .conftest import GRANULAR_WITH_LIST, meeting_is_over, outcome_of

pytestmark = pytest.mark.postgres


@pytest.fixture
def events_lost(live_sandbox):
    live_sandbox.set_knobs(activity_events_lost=["*"])


def _played(live_sandbox, booking, *guests):
    meeting = booking.zoom_meeting_id
    live_sandbox.start_meeting(meeting)
    for guest in guests:
        live_sandbox.join_meeting(meeting, guest)
    live_sandbox.end_meeting(meeting)
    meeting_is_over(booking)


def test_held_from_zooms_list(live_sandbox, zoom_booking, events_lost):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST)
    _played(live_sandbox, booking, "Pat Prospect")
    assert outcome_of(booking) is None  # not one event arrived
    assert booking.pk in bookings_due_for_check()
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert (record.outcome, record.source) == (Outcome.HELD, Source.PARTICIPANTS)
    assert record.others_joined == 1 and record.host_joined_at and record.meeting_ended_at
    assert booking.pk not in bookings_due_for_check()
    [call] = live_sandbox.calls("/participants")
    assert call["path"] == f"/v2/past_meetings/{booking.zoom_meeting_id}/participants"


def test_guest_no_show_from_zooms_list_with_only_the_host(live_sandbox, zoom_booking, events_lost):
    # Zoom lists nobody when one person came; the guests could not start the meeting, so it was
    # the host.
    booking = zoom_booking(granted=GRANULAR_WITH_LIST, zoom_join_before_host=False)
    _played(live_sandbox, booking)
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert (record.outcome, record.source) == (Outcome.GUEST_NO_SHOW, Source.PARTICIPANTS)
    assert record.lone_participant


def test_unknown_when_one_unnamed_person_came_and_guests_could_start_it(
    live_sandbox, zoom_booking, events_lost
):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST, zoom_join_before_host=True)
    _played(live_sandbox, booking)
    check_after_meeting(booking.pk)
    assert outcome_of(booking).outcome == Outcome.UNKNOWN


def test_host_no_show_when_zoom_still_has_no_meeting_after_every_check(
    live_sandbox, zoom_booking, events_lost
):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    live_sandbox.leave_meeting(booking.zoom_meeting_id, as_="guest")
    meeting_is_over(booking)
    for _ in range(CHECK_ATTEMPTS - 1):
        assert "checking again" in check_after_meeting(booking.pk)
        record = outcome_of(booking)
        assert record.outcome == "" and record.check_due_at is not None
        # Not due again until CHECK_EVERY has passed.
        assert booking.pk not in bookings_due_for_check()
        MeetingOutcome.objects.filter(pk=record.pk).update(check_due_at=record.created_at)
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert (record.outcome, record.source) == (Outcome.HOST_NO_SHOW, Source.PARTICIPANTS)
    assert record.never_started
    assert len(live_sandbox.calls("/participants")) == CHECK_ATTEMPTS


def test_the_classic_meeting_read_scope_allows_the_list(live_sandbox, zoom_booking, events_lost):
    live_sandbox.set_knobs(scope_family="classic")
    booking = zoom_booking()
    _played(live_sandbox, booking, "Pat Prospect")
    check_after_meeting(booking.pk)
    assert outcome_of(booking).outcome == Outcome.HELD


def test_without_the_scope_zoom_is_not_asked_and_the_outcome_waits_for_the_rep(
    live_sandbox, zoom_booking, events_lost
):
    booking = zoom_booking()
    _played(live_sandbox, booking, "Pat Prospect")
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert record.outcome == ""
    assert "meeting:read:list_past_participants" in record.unavailable_reason
    assert live_sandbox.calls("/participants") == []
    assert booking.pk not in bookings_due_for_check()


def test_a_free_zoom_plan_has_no_list(live_sandbox, zoom_booking, events_lost):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST)
    account = live_sandbox.user("host@corp.example")["account_id"]
    live_sandbox.set_account_plan(account, "free")
    # A Free account takes 2 Medium calls a second (the list is one). The connect's settings
    # read and the create, a moment ago here, would spend this second's two, where the real
    # check runs long after them: the limit counts from now on.
    live_sandbox.set_knobs(qps_limit=2)
    _played(live_sandbox, booking, "Pat Prospect")
    check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert record.outcome == ""
    assert "paid (Pro or higher)" in record.unavailable_reason


def test_zoom_down_makes_the_check_run_again_later(live_sandbox, zoom_booking, events_lost):
    booking = zoom_booking(granted=GRANULAR_WITH_LIST)
    _played(live_sandbox, booking, "Pat Prospect")
    live_sandbox.fail_next("/participants", status=503)
    assert "again later" in check_after_meeting(booking.pk)
    record = outcome_of(booking)
    assert record.outcome == "" and record.check_due_at is not None
    MeetingOutcome.objects.filter(pk=record.pk).update(check_due_at=record.created_at)
    check_after_meeting(booking.pk)
    assert outcome_of(booking).outcome == Outcome.HELD


@pytest.mark.parametrize("granted", [None, GRANULAR_WITH_LIST], ids=["without", "with"])
def test_pages_name_the_missing_scope_as_soon_as_the_meeting_is_over(
    live_sandbox, zoom_booking, client, granted
):
    booking = zoom_booking(granted=granted)
    meeting_is_over(booking)  # no event came and the check has not run yet
    scope = "meeting:read:list_past_participants"
    past = client.get("/bookings/past/").content.decode()
    detail = client.get(f"/bookings/{booking.pk}/").content.decode()
    integrations = client.get("/integrations/").content.decode()
    if granted is None:
        for page in (past, detail):
            assert "Outcome unavailable" in page and scope in page
            assert "Asking Zoom" not in page
        assert 'name="outcome"' in detail  # the rep marks it by hand
        assert 'id="outcomes-scope"' in integrations and scope in integrations
    else:
        assert "Asking Zoom" in past and "Asking Zoom" in detail
        assert 'id="outcomes-scope"' not in integrations


def test_an_unknown_outcome_says_which_scope_would_tell(live_sandbox, zoom_booking, client):
    booking = zoom_booking()
    meeting_is_over(booking)
    # Zoom's events could not tell (the guest sat in the waiting room, never let in).
    record = MeetingOutcome.objects.create(booking=booking)
    record.decide(Outcome.UNKNOWN, Source.EVENTS, booking.end_at)
    record.save()
    detail = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert ">Unknown<" in detail and "meeting:read:list_past_participants" in detail
