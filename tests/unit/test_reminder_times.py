"""When a booking's reminders are due (pure): the next one ahead, the one to send now, never one
that was due before the time was booked or moved, and one reminder after a stopped sweeper."""

from datetime import UTC, datetime, timedelta

from meetings.reminders import due_offset, in_words, next_due

START = datetime(2030, 12, 10, 15, 0, tzinfo=UTC)
DAY, HOUR = 24 * 60, 60


def test_the_next_reminder_is_the_first_still_ahead():
    booked = START - timedelta(days=3)
    assert next_due(START, [DAY, HOUR], booked) == START - timedelta(days=1)
    assert next_due(START, [DAY, HOUR], START - timedelta(hours=3)) == START - timedelta(hours=1)
    assert next_due(START, [DAY, HOUR], START - timedelta(minutes=30)) is None
    assert next_due(START, [], booked) is None


def test_a_reminder_due_before_the_time_was_booked_is_never_sent():
    booked = START - timedelta(hours=3)  # the 24-hour reminder was due before this
    assert due_offset(START, [DAY, HOUR], booked, START - timedelta(hours=2)) is None
    assert due_offset(START, [DAY, HOUR], booked, START - timedelta(minutes=59)) == HOUR


def test_a_stopped_sweeper_sends_the_nearest_reminder_not_all_of_them():
    booked = START - timedelta(days=3)
    assert due_offset(START, [DAY, HOUR], booked, START - timedelta(minutes=30)) == HOUR


def test_nothing_is_due_once_the_meeting_began():
    assert due_offset(START, [DAY, HOUR], START - timedelta(days=3), START) is None


def test_a_reminder_says_how_long_is_left():
    assert in_words(timedelta(hours=24, seconds=-20)) == "in 1 day"
    assert in_words(timedelta(minutes=59, seconds=40)) == "in 1 hour"
    assert in_words(timedelta(minutes=30)) == "in 30 minutes"
    assert in_words(timedelta(minutes=95)) == "in 1 h 35 min"
    assert in_words(timedelta(days=7)) == "in 1 week"
