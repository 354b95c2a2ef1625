"""What pages say about outcomes: the past bookings' column in each state, the booking's card,
and the admin's rates per rep and per Meeting Type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outcomes import followups
from outcomes.models import MeetingOutcome, Source
from outcomes.rules import Outcome
from outcomes.services import mark_outcome
from tests.admin.conftest import staff_client
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _past(rep, *, hours_ago=3, **fields):
    start = NOW - timedelta(hours=hours_ago)
    return BookingFactory(
        meeting_type=fields.pop("meeting_type", None) or MeetingTypeFactory(rep=rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
        **fields,
    )


def _decided(booking, outcome, source=Source.EVENTS):
    record = MeetingOutcome.objects.create(booking=booking)
    record.decide(outcome, source, NOW)
    record.save()
    return record


def test_past_bookings_show_each_outcome_state(rep_client, rep):
    _decided(_past(rep, guest_name="Held Guest"), Outcome.HELD)
    missing = _past(rep, guest_name="Missing Guest", hours_ago=4)
    MeetingOutcome.objects.create(
        booking=missing, unavailable_reason="Zoom's list of who joined needs the scope X."
    )
    _past(
        rep,
        guest_name="Fresh Guest",
        hours_ago=5,
        zoom_meeting_id="81234567890",
        zoom_chain="personal",
    )
    _past(rep, guest_name="Phone Guest", hours_ago=6, location_kind="phone")
    page = rep_client.get("/bookings/past/").content.decode()
    assert "<th>Outcome</th>" in page
    for text in (
        ">Held<",
        "from Zoom",
        "Outcome unavailable",
        "needs the scope X.",
        "Asking Zoom…",
        "Not marked",
    ):
        assert text in page, text


def test_upcoming_bookings_have_no_outcome_column(rep_client, rep):
    BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
    assert "<th>Outcome</th>" not in rep_client.get("/bookings/").content.decode()


def test_the_booking_page_shows_the_times_and_the_marking_form(rep_client, rep):
    booking = _past(rep)
    record = _decided(booking, Outcome.GUEST_NO_SHOW)
    record.saw_host_join(booking.start_at + timedelta(minutes=1))
    record.saw_meeting_end(booking.end_at)
    record.save()
    page = rep_client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Guest didn&#x27;t show" in page or "Guest didn't show" in page
    assert "You joined" in page and "Ended" in page
    assert f'action="/bookings/{booking.pk}/outcome/"' in page


def test_the_booking_page_says_when_marking_a_no_show_emails_the_guest(rep_client, rep):
    sends = MeetingTypeFactory(rep=rep, no_show_email=True)
    recent = _past(rep, meeting_type=sends, guest_name="Recent Guest")
    old = _past(rep, meeting_type=sends, hours_ago=24 * 5, guest_name="Old Guest")
    quiet = _past(rep, hours_ago=6, guest_name="Quiet Guest")  # its type sends no email
    note = "sorry we missed you” email with a link to book again with you"

    def page(booking):
        return rep_client.get(f"/bookings/{booking.pk}/").content.decode()

    assert note in page(recent) and "Recent Guest" in page(recent)
    assert note not in page(old) and note not in page(quiet)
    assert followups.send_no_show_email(old.pk) is False  # days later it would help nobody
    mark_outcome(recent, Outcome.GUEST_NO_SHOW, by=rep)
    assert followups.send_no_show_email(recent.pk) is True
    after = page(recent)
    assert note not in after
    assert f"email went to {recent.guest_email}" in after


def test_a_rep_cannot_mark_another_reps_booking(rep_client):
    other = _past(RepFactory())
    assert rep_client.post(f"/bookings/{other.pk}/outcome/", {"outcome": "held"}).status_code == 404
    assert not MeetingOutcome.objects.exists()


def test_marking_needs_a_post(rep_client, rep):
    booking = _past(rep)
    assert rep_client.get(f"/bookings/{booking.pk}/outcome/").status_code == 405


def test_the_admin_shows_held_and_no_show_rates_per_rep_and_meeting_type(db):
    ann = RepFactory(first_name="Ann", last_name="Lee")
    intro = MeetingTypeFactory(rep=ann, name="Intro")
    outcomes = (Outcome.HELD, Outcome.HELD, Outcome.HELD, Outcome.GUEST_NO_SHOW, Outcome.UNKNOWN)
    for hours_ago, outcome in enumerate(outcomes, start=2):
        _decided(_past(ann, meeting_type=intro, hours_ago=hours_ago), outcome)
    staff = staff_client("outcomes.view_meetingoutcome")
    page = staff.get("/admin/outcomes/meetingoutcome/").content.decode()
    assert "Held and no-show rates" in page
    assert "Ann Lee" in page and f"Intro ({ann.email})" in page
    assert "75 %" in page and "25 %" in page
    older = staff.get("/admin/outcomes/meetingoutcome/?days=365").content.decode()
    assert 'aria-current="page">365 days' in older


@pytest.mark.parametrize("outcome", Outcome.values)
def test_the_rep_marks_each_outcome_and_the_past_bookings_show_it(rep_client, rep, outcome):
    booking = _past(rep)
    response = rep_client.post(f"/bookings/{booking.pk}/outcome/", {"outcome": outcome})
    assert response.status_code == 302
    record = MeetingOutcome.objects.get(booking=booking)
    assert (record.outcome, record.source, record.corrected_by) == (outcome, Source.REP, rep)
    page = rep_client.get("/bookings/past/").content.decode()
    assert f">{Outcome(outcome).label}<".replace("'", "&#x27;") in page
    assert "marked by you" in page


def test_a_meeting_type_keeps_its_follow_up_settings(rep_client, rep):
    from tests.meetings.test_meeting_type_views import NEW, valid_data

    rep_client.post(NEW, valid_data(no_show_email="on", host_absent_alert_minutes="5"))
    saved = rep.meeting_types.get()
    assert (saved.no_show_email, saved.host_absent_alert_minutes) == (True, 5)
    rep_client.post(NEW, valid_data(slug="other", name="Other"))
    default = rep.meeting_types.get(slug="other")
    assert (default.no_show_email, default.host_absent_alert_minutes) == (False, 3)
    refused = rep_client.post(NEW, valid_data(slug="third", host_absent_alert_minutes="0"))
    assert "Ensure this value is greater than or equal to 1." in refused.content.decode()
