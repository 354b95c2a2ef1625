"""MeetingOutcome: its evidence in any order, the rep's marking that wins, the database's rules,
and the erasure of what came from Zoom."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from meetings.meeting_types import MeetingType
from outcomes import followups
from outcomes.models import MeetingOutcome, Source
from outcomes.rules import Outcome
from outcomes.services import OutcomeError, mark_outcome
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _outcome(**fields) -> MeetingOutcome:
    booking = BookingFactory(start_at=NOW - timedelta(hours=1), end_at=NOW - timedelta(minutes=30))
    return MeetingOutcome.objects.create(booking=booking, **fields)


def test_the_host_is_in_the_meeting_by_the_later_of_join_and_leave_whatever_the_order():
    record = _outcome()
    record.saw_host_leave(NOW + timedelta(minutes=5))  # arrives before its join
    record.saw_host_join(NOW)
    assert not record.host_in_meeting
    record.saw_host_join(NOW + timedelta(minutes=7))
    assert record.host_in_meeting
    assert record.host_joined_at == NOW


def test_the_same_person_joining_twice_counts_once():
    record = _outcome()
    record.saw_other_join("a", NOW + timedelta(minutes=2))
    record.saw_other_join("a", NOW)
    record.saw_other_join("b", NOW + timedelta(minutes=3))
    assert record.others_joined == 2
    assert record.guest_joined_at == NOW


def test_the_reps_marking_wins_over_what_zoom_says_later(rep):
    record = _outcome()
    record.decide(Outcome.GUEST_NO_SHOW, Source.EVENTS, NOW)
    assert record.correct(Outcome.HELD, rep, NOW)
    assert record.decide(Outcome.GUEST_NO_SHOW, Source.PARTICIPANTS, NOW) is False
    assert (record.outcome, record.source, record.corrected_by) == (Outcome.HELD, Source.REP, rep)
    # The rep may still change their mind.
    assert record.correct(Outcome.HOST_NO_SHOW, rep, NOW)


def test_an_outcome_is_decided_with_its_source_and_time_or_not_at_all():
    with pytest.raises(IntegrityError):
        _outcome(outcome=Outcome.HELD)


def test_erasing_keeps_the_outcome_and_forgets_every_zoom_value():
    record = _outcome()
    record.saw_meeting_start(NOW)
    record.saw_host_join(NOW)
    record.saw_other_join("k", NOW)
    record.saw_guest_waiting(NOW)
    record.decide(Outcome.HELD, Source.EVENTS, NOW)
    record.erase_zoom_data()
    record.save()
    record.refresh_from_db()
    assert record.outcome == Outcome.HELD
    assert (record.meeting_started_at, record.host_joined_at, record.guest_joined_at) == (
        None,
        None,
        None,
    )
    assert (record.others_joined, record.joined_keys, record.guest_waited_at) == (0, [], None)


def test_a_rep_marks_an_outcome_and_the_service_refuses_what_cannot_be_marked(rep):
    past = BookingFactory(
        meeting_type__rep=rep, start_at=NOW - timedelta(hours=2), end_at=NOW - timedelta(hours=1)
    )
    record = mark_outcome(past, Outcome.GUEST_NO_SHOW, by=rep)
    assert (record.outcome, record.source) == (Outcome.GUEST_NO_SHOW, Source.REP)
    ahead = BookingFactory(meeting_type__rep=rep)
    with pytest.raises(OutcomeError, match="not started"):
        mark_outcome(ahead, Outcome.HELD, by=rep)
    with pytest.raises(OutcomeError, match="Choose"):
        mark_outcome(past, "maybe", by=rep)


def test_the_guests_email_waits_for_a_settled_no_show_and_the_sweeper_finds_a_lost_one(rep):
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep, no_show_email=True),
        start_at=NOW - timedelta(hours=1),
        end_at=NOW - timedelta(minutes=30),
    )
    record = MeetingOutcome.objects.create(booking=booking)
    record.decide(Outcome.GUEST_NO_SHOW, Source.EVENTS, NOW)
    record.save()
    later = timezone.now() + timedelta(minutes=5)
    # From the events alone: a lost join could explain it, so nobody is told yet.
    assert not record.is_settled and not followups.no_show_email_due(record)
    assert followups.no_show_emails_due(later) == []
    assert followups.send_no_show_email(booking.pk) is False
    record.mark_checked(NOW)  # the check after the meeting ran
    record.save()
    assert followups.no_show_email_due(record)
    assert followups.no_show_emails_due(later) == [booking.pk]
    MeetingType.objects.filter(pk=booking.meeting_type_id).update(is_active=False)
    assert followups.no_show_emails_due(later) == []  # no link to send: not asked again
    MeetingType.objects.filter(pk=booking.meeting_type_id).update(is_active=True)
    assert followups.send_no_show_email(booking.pk) is True
    assert followups.no_show_emails_due(later) == []
    assert followups.send_no_show_email(booking.pk) is False  # once


def test_a_rep_marking_a_no_show_settles_it(rep):
    booking = BookingFactory(
        meeting_type__rep=rep, start_at=NOW - timedelta(hours=2), end_at=NOW - timedelta(hours=1)
    )
    record = mark_outcome(booking, Outcome.GUEST_NO_SHOW, by=rep)
    assert record.is_settled and followups.no_show_email_due(record)
