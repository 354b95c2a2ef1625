"""Bookings of reps served by the company's Zoom account, against the sandbox over real HTTP:
meetings created as the rep with the account token, reschedule and cancel, adoption, per-rep daily
limits, precedence of a rep's own connection, a rep leaving the Zoom account."""

from datetime import timedelta

import pytest
from django.core import mail

from integrations.zoom.company.models import ZoomCompanyMember
from meetings.models import Booking
from meetings.services.bookings import cancel_booking, reschedule_booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(sandbox):
    """A rep who never connected Zoom, served by the company's Zoom account as ann@corp."""
    rep = RepFactory(email="ann@corp.example")
    zoom_admin()  # someone to tell when things break
    connected_company(sandbox, "ann@corp.example", "bob@corp.example")
    return rep


def book(rep, days=3) -> Booking:
    start = next_slot(days=days)
    return BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
    )


def zoom_id(sandbox, email) -> str:
    return sandbox.user(email)["id"]


def test_an_unconnected_rep_is_booked_and_the_meeting_is_created_as_them(sandbox, ann):
    booking = book(ann)

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    booking.refresh_from_db()
    [meeting] = sandbox.meetings("ann@corp.example")
    assert booking.zoom_meeting_id == str(meeting["id"]) and booking.zoom_join_url
    [create] = [c for c in sandbox.calls("/meetings") if c["method"] == "POST"]
    assert create["path"] == f"/v2/users/{zoom_id(sandbox, 'ann@corp.example')}/meetings"
    assert create["client_id"] == "test-account-client-id"
    assert not sandbox.calls("/users/me/meetings")


def test_reschedule_and_cancel_go_through_the_account_token(sandbox, ann):
    booking = book(ann)
    zoom_links.sync_zoom_meeting(booking.pk)
    moved = next_slot(days=4, hour=11)
    reschedule_booking(Booking.objects.get(pk=booking.pk), start_at=moved)
    zoom_links.sync_zoom_meeting(booking.pk)
    [meeting] = sandbox.meetings("ann@corp.example")
    assert meeting["start_time"] == moved.strftime("%Y-%m-%dT%H:%M:%SZ")

    cancel_booking(Booking.objects.get(pk=booking.pk), by=Booking.Actor.GUEST)
    zoom_links.sync_zoom_meeting(booking.pk)
    assert Booking.objects.get(pk=booking.pk).link_state == LinkState.REMOVED
    assert sandbox.meetings("ann@corp.example") == []


def test_a_retry_adopts_the_meeting_a_lost_answer_created(sandbox, ann):
    booking = book(ann)
    sandbox.fail_next(f"/users/{zoom_id(sandbox, 'ann@corp.example')}/meetings", kind="drop")
    zoom_links.sync_zoom_meeting(booking.pk)
    Booking.objects.filter(pk=booking.pk).update(link_next_attempt_at=None)
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    assert len(sandbox.meetings("ann@corp.example")) == 1


def test_the_daily_limit_is_per_rep_not_per_account(sandbox, ann):
    bob = RepFactory(email="bob@corp.example")
    from integrations.zoom.company.models import ZoomCompanyAccount
    from integrations.zoom.company.services import match_reps

    match_reps(ZoomCompanyAccount.objects.get())
    sandbox.set_daily_usage("ann@corp.example", 100)
    anns, bobs = book(ann), book(bob)

    assert zoom_links.sync_zoom_meeting(anns.pk).state == LinkState.PENDING
    assert zoom_links.sync_zoom_meeting(bobs.pk).state == LinkState.READY
    assert "daily limit" in Booking.objects.get(pk=anns.pk).link_last_error


def test_a_reps_own_connection_wins_over_the_company_account(sandbox, ann, connect_zoom):
    company_account = sandbox.user("ann@corp.example")["account_id"]
    connect_zoom(ann, "ann@corp.example", account_id=company_account)
    booking = book(ann)

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    [create] = [c for c in sandbox.calls("/meetings") if c["method"] == "POST"]
    assert create["path"] == "/v2/users/me/meetings"
    assert create["client_id"] == "test-client-id"


def test_a_rep_removed_from_the_zoom_account_is_parked_alone_with_the_reason(
    sandbox, ann, django_capture_on_commit_callbacks
):
    bob = RepFactory(email="bob@corp.example")
    from integrations.zoom.company.models import ZoomCompanyAccount
    from integrations.zoom.company.services import match_reps

    company = ZoomCompanyAccount.objects.get()
    match_reps(company)
    sandbox.delete_user("ann@corp.example")
    anns, bobs = book(ann), book(bob)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert zoom_links.sync_zoom_meeting(anns.pk).state == LinkState.WAITING_FOR_RECONNECT
    assert zoom_links.sync_zoom_meeting(bobs.pk).state == LinkState.READY

    assert (
        "no longer in your company's Zoom account"
        in Booking.objects.get(pk=anns.pk).link_last_error
    )
    member = ZoomCompanyMember.objects.get(rep=ann)
    assert member.state == ZoomCompanyMember.State.LEFT_ACCOUNT and member.zoom_user_id == ""
    company.refresh_from_db()
    assert company.is_usable
    assert any("ann@corp.example is no longer" in m.subject for m in mail.outbox)


def test_bookings_wait_when_the_company_account_breaks_and_resume_when_it_serves_again(
    sandbox, ann, django_capture_on_commit_callbacks
):
    from integrations.zoom.company.models import ZoomCompanyAccount

    company = ZoomCompanyAccount.objects.get()
    company.mark_needs_reconnect("invalid_grant", "Invalid Token!")
    booking = book(ann)
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.WAITING_FOR_RECONNECT
    assert "company's Zoom account" in Booking.objects.get(pk=booking.pk).link_last_error

    from tests.integrations.company_steps import connect_company

    with django_capture_on_commit_callbacks(execute=True):
        connect_company(sandbox)
    assert Booking.objects.get(pk=booking.pk).link_state == LinkState.READY
