"""Who is next in line for a team booking: round robin and first available (pure)."""

from datetime import UTC, datetime, timedelta

from meetings.meeting_types import Distribution
from teams.ranking import Candidate, in_line

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ROUND_ROBIN = Distribution.ROUND_ROBIN
FIRST_AVAILABLE = Distribution.FIRST_AVAILABLE


def order(candidates, distribution=ROUND_ROBIN):
    return [c.rep_id for c in in_line(candidates, distribution)]


def test_round_robin_puts_the_member_with_the_fewest_bookings_first():
    assert order(
        [Candidate(1, 2, 100, bookings=3), Candidate(2, 2, 100, bookings=1), Candidate(3, 2, 100)]
    ) == [3, 2, 1]


def test_round_robin_ties_go_to_the_higher_priority():
    assert order([Candidate(1, 1, 100, bookings=2), Candidate(2, 4, 100, bookings=2)]) == [2, 1]


def test_round_robin_ties_of_equal_priority_go_to_the_least_recently_booked():
    earlier, later = NOW - timedelta(days=3), NOW - timedelta(hours=1)
    assert order(
        [
            Candidate(1, 2, 100, bookings=2, last_booked_at=later),
            Candidate(2, 2, 100, bookings=2, last_booked_at=earlier),
        ]
    ) == [2, 1]


def test_a_member_never_booked_comes_before_one_booked_long_ago():
    assert order(
        [
            Candidate(1, 2, 100, bookings=0, last_booked_at=NOW - timedelta(days=400)),
            Candidate(2, 2, 100, bookings=0),
        ]
    ) == [2, 1]


def test_a_double_weight_takes_twice_the_bookings_before_falling_behind():
    heavy, light = Candidate(1, 2, 200, bookings=3), Candidate(2, 2, 100, bookings=2)
    # 3 of 200 is less than 2 of 100: the heavy member is still owed bookings.
    assert order([heavy, light]) == [1, 2]
    # 4 of 200 and 2 of 100 are equal shares: the tie-breaks decide, here the priority.
    assert order([Candidate(1, 1, 200, bookings=4), Candidate(2, 3, 100, bookings=2)]) == [2, 1]


def test_priority_does_not_beat_fewer_bookings_in_round_robin():
    assert order([Candidate(1, 4, 100, bookings=5), Candidate(2, 0, 100, bookings=4)]) == [2, 1]


def test_first_available_takes_the_highest_priority_whatever_the_bookings():
    assert order(
        [Candidate(1, 2, 100, bookings=0), Candidate(2, 4, 100, bookings=9)], FIRST_AVAILABLE
    ) == [2, 1]


def test_first_available_rotates_among_equal_priorities():
    assert order(
        [
            Candidate(1, 3, 100, last_booked_at=NOW),
            Candidate(2, 3, 100, last_booked_at=NOW - timedelta(minutes=5)),
            Candidate(3, 1, 100),
        ],
        FIRST_AVAILABLE,
    ) == [2, 1, 3]


def test_equal_candidates_are_always_in_the_same_order():
    candidates = [Candidate(7, 2, 100), Candidate(3, 2, 100), Candidate(5, 2, 100)]
    assert order(candidates) == order(list(reversed(candidates))) == [3, 5, 7]
