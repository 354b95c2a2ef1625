"""Which meeting found in Zoom is this booking's (meetings.zoom.matching): pure, no database or
sandbox."""

from datetime import timedelta

from meetings.zoom import bodies, matching
from tests.unit.builders import START, booking


def listed(meeting_id, *, agenda=None, created=START, start="2030-06-03T14:00:00Z", **extra):
    item = {"id": meeting_id, "start_time": start, "duration": 30, "created_at": created}
    if agenda is not None:
        item["agenda"] = agenda
    if isinstance(created, str) or created is None:
        item["created_at"] = created
    else:
        item["created_at"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return item | extra


def test_meetings_showing_the_reference_are_read_first():
    b = booking()
    ours = listed(1, agenda=f"Hello\n\n{bodies.reference_line(b)}")
    unsure = listed(2)  # no agenda in the list: may hide it
    assert [m["id"] for m in matching.meetings_to_read([unsure, ours], b)] == [1, 2]


def test_another_bookings_meeting_and_one_made_before_the_booking_are_not_read():
    b = booking()
    others = listed(1, agenda="Booking reference: SOMEONEELSE")
    older = listed(2, created=b.created_at - matching.CLOCK_SKEW - timedelta(minutes=1))
    assert matching.meetings_to_read([others, older], b) == []


def test_a_meeting_zoom_no_longer_has_is_excluded():
    b = booking()
    assert matching.meetings_to_read([listed(7), listed(8)], b, exclude={"7"}) == [listed(8)]


def test_unsure_meetings_are_read_likeliest_first_and_at_most_max_probes():
    b = booking()
    unlikely = [listed(i, start="2031-01-01T00:00:00Z") for i in range(matching.MAX_PROBES)]
    likely = listed(99, topic=bodies.topic(b))
    chosen = matching.meetings_to_read([*unlikely, likely], b)
    assert len(chosen) == matching.MAX_PROBES
    assert chosen[0]["id"] == 99


def test_the_meeting_at_the_bookings_time_is_kept_else_the_oldest():
    b = booking()
    old_time = listed(1, start="2030-06-02T09:00:00Z")
    on_time = listed(2)
    assert matching.meeting_to_keep([old_time, on_time], b) is on_time
    assert matching.meeting_to_keep([old_time], b) is old_time
    assert matching.is_on_time(on_time, b) and not matching.is_on_time(old_time, b)


def test_found_meetings_are_ordered_oldest_first_those_without_a_date_last():
    newer = listed(1, created=START + timedelta(hours=1))
    older = listed(2, created=START)
    undated = listed(3, created=None)
    assert [m["id"] for m in matching.oldest_first([undated, newer, older])] == [2, 1, 3]
