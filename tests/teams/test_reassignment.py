"""Reassigning an upcoming team booking: the former host's Zoom meeting is deleted through the chain
that made it, a new one is made in the new host's Zoom, the guest gets one updated invite with the
new link (same UID, next SEQUENCE) and the former host a cancellation; a crash at any step loses
nothing and duplicates nothing. Against the Zoom sandbox, tasks run inline."""

import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from icalendar import Calendar

from integrations.zoom.connection.models import ZoomConnection
from meetings.models import Booking, HostChange, InviteDelivery
from meetings.services.bookings import BookingError, SlotUnavailable, cancel_booking
from meetings.services.invites import send_invites
from meetings.tasks import sweep_due_work
from meetings.zoom import former, links
from meetings.zoom.state import LinkState
from teams.assignment import book_team_meeting
from teams.models import Priority
from teams.reassignment import reassign_booking
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import add_member, team_type

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Ada Lovelace", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}
FORMER, NEW = "former.host@example.com", "new.host@example.com"


@pytest.fixture
def team(sandbox, connect_zoom):
    """A round robin type of two members on their own Zoom, the first ahead in line."""
    first, second = RepFactory(first_name="Fay"), RepFactory(first_name="Ned")
    connect_zoom(first, FORMER)
    connect_zoom(second, NEW)
    meeting_type = team_type(
        reps=[(first, Priority.HIGHEST, 100), (second, Priority.LOW, 100)], zoom_connected=False
    )
    return meeting_type, first, second


@pytest.fixture
def booked(team, django_capture_on_commit_callbacks):
    """A booking with its Zoom link and invites out, hosted by the first member."""
    meeting_type, first, second = team
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    booking.refresh_from_db()
    assert booking.rep == first and booking.link_state == LinkState.READY
    return booking


def reassign(booking, to_rep, capture, by=None):
    with capture(execute=True):
        return reassign_booking(booking, to_rep, by=by)


def calendar_of(message):
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    return calendar["METHOD"], str(event["UID"]), int(event["SEQUENCE"])


def mail_to(mailoutbox, email):
    return [m for m in mailoutbox if m.to == [email]]


def deletes(sandbox, meeting_id):
    return [c for c in sandbox.calls(f"/meetings/{meeting_id}") if c["method"] == "DELETE"]


def test_the_meeting_moves_to_the_new_hosts_zoom_and_everyone_hears_once(
    booked, team, sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    _, first, second = team
    old_meeting = booked.zoom_meeting_id
    (first_invite,) = [
        m for m in mail_to(mailoutbox, GUEST["guest_email"]) if calendar_of_or_none(m)
    ]
    _, uid, sequence = calendar_of(first_invite)
    mailoutbox.clear()

    reassign(booked, second, django_capture_on_commit_callbacks)

    booked.refresh_from_db()
    assert booked.rep == second and booked.link_state == LinkState.READY
    [meeting] = sandbox.meetings(NEW)
    assert booked.zoom_meeting_id == str(meeting["id"]) and booked.zoom_chain == "personal"
    assert sandbox.meetings(FORMER) == []
    assert len(deletes(sandbox, old_meeting)) == 1
    change = HostChange.objects.get(booking=booked)
    assert (change.from_rep, change.to_rep, change.removal) == (first, second, "removed")

    # The guest: one updated invite, the same event, the next version, the new link and host.
    (guest_mail,) = mail_to(mailoutbox, GUEST["guest_email"])
    assert calendar_of(guest_mail) == ("REQUEST", uid, sequence + 1)
    assert meeting["join_url"] in guest_mail.body and "new host: Ned" in guest_mail.body
    # The former host: the event taken off their calendar; the new host: the invite.
    (former_mail,) = mail_to(mailoutbox, first.email)
    assert calendar_of(former_mail) == ("CANCEL", uid, sequence + 1)
    assert "handed to Ned" in former_mail.body and "/bookings/" not in former_mail.body
    (new_mail,) = mail_to(mailoutbox, second.email)
    assert calendar_of(new_mail) == ("REQUEST", uid, sequence + 1)
    assert "handed to you" in new_mail.body

    # Running everything again sends and makes nothing more.
    mailoutbox.clear()
    send_invites(booked.pk)
    assert links.sync_zoom_meeting(booked.pk).state == ""
    assert former.remove_former_meeting(change.pk).state == ""
    assert mailoutbox == [] and len(sandbox.meetings(NEW)) == 1


def calendar_of_or_none(message):
    return any(p.get_content_type() == "text/calendar" for p in message.message().walk())


def test_handed_back_and_away_again_each_former_host_hears_each_time(
    booked, team, mailoutbox, django_capture_on_commit_callbacks
):
    _, first, second = team
    booking = booked
    for to_rep in (second, first, second):
        booking = reassign(booking, to_rep, django_capture_on_commit_callbacks)
    to_first = InviteDelivery.objects.filter(booking=booked, email=first.email)
    assert list(to_first.values_list("sequence", "method")) == [
        (0, "REQUEST"),
        (1, "CANCEL"),
        (2, "REQUEST"),
        (3, "CANCEL"),
    ]
    assert (
        InviteDelivery.objects.filter(booking=booked, email=GUEST["guest_email"])
        .filter(method="REQUEST")
        .count()
        == 4
    )


def test_the_former_host_reads_the_time_in_their_own_zone_not_the_new_hosts(
    booked, team, mailoutbox, django_capture_on_commit_callbacks
):
    _, first, second = team
    first.time_zone, second.time_zone = "Asia/Tokyo", "America/Los_Angeles"
    first.save(update_fields=["time_zone"])
    second.save(update_fields=["time_zone"])
    mailoutbox.clear()

    reassign(booked, second, django_capture_on_commit_callbacks)

    (former_mail,) = mail_to(mailoutbox, first.email)
    (new_mail,) = mail_to(mailoutbox, second.email)
    tokyo = booked.start_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert "(Tokyo time)" in former_mail.body and f"{tokyo:%H:%M}" in former_mail.body
    assert "Los Angeles" not in former_mail.body
    assert "(Los Angeles time)" in new_mail.body


def test_a_crash_after_the_change_committed_is_finished_by_the_sweeper(
    booked, team, sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    """The change commits and its messages to the workers are lost (the process dies, or the
    broker is down): the booking and its former meeting are due, and the sweeper finds both."""
    _, first, second = team
    mailoutbox.clear()
    reassign_booking(booked, second, by=None)  # on_commit never runs: nothing was handed over
    assert len(sandbox.meetings(FORMER)) == 1 and sandbox.meetings(NEW) == []

    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_work()

    booked.refresh_from_db()
    assert booked.link_state == LinkState.READY and sandbox.meetings(FORMER) == []
    assert [str(m["id"]) for m in sandbox.meetings(NEW)] == [booked.zoom_meeting_id]
    assert HostChange.objects.get().removal == "removed"
    # Everyone hears once, as if nothing had been lost; a second sweep sends nothing more.
    (guest_mail,) = mail_to(mailoutbox, GUEST["guest_email"])
    assert calendar_of(guest_mail)[0] == "REQUEST" and sandbox.meetings(NEW)[0]["join_url"] in (
        guest_mail.body
    )
    assert [calendar_of(m)[0] for m in mail_to(mailoutbox, first.email)] == ["CANCEL"]
    assert [calendar_of(m)[0] for m in mail_to(mailoutbox, second.email)] == ["REQUEST"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_work()
    assert mailoutbox == []


def test_a_worker_that_died_deleting_the_former_meeting_is_taken_over(
    booked, team, sandbox, django_capture_on_commit_callbacks, monkeypatch
):
    """Killed after Zoom deleted the meeting and before recording it: the next run finds it gone,
    which counts as deleted."""
    _, first, second = team
    old_meeting = booked.zoom_meeting_id

    def dies_after_zoom_answered(change, removal, error, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(former, "_record", dies_after_zoom_answered)
    with pytest.raises(SystemExit):
        reassign(booked, second, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    change = HostChange.objects.get()
    assert change.removal == "pending" and change.lease_until is not None
    assert sandbox.meetings(FORMER) == []
    # The new host's meeting was made meanwhile: the guest's link never waited on the former host.
    booked.refresh_from_db()
    assert booked.link_state == LinkState.READY

    # Held until the dead worker's lease runs out; then the sweeper's run finishes it.
    assert former.remove_former_meeting(change.pk).state == ""
    # (As when the lease runs out: the claim made the change due again then.)
    HostChange.objects.filter(pk=change.pk).update(
        lease_until=timezone.now(), next_attempt_at=timezone.now()
    )
    sweep_due_work()
    change.refresh_from_db()
    assert change.removal == "removed"
    assert len(deletes(sandbox, old_meeting)) == 2  # the second one answered "already gone"


def test_a_create_the_former_host_never_recorded_is_found_and_deleted(
    team, sandbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The first host's worker died after Zoom made the meeting and before recording it: the
    booking never knew the meeting; the reassignment finds it by the booking's reference."""
    meeting_type, first, second = team
    booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)

    def dies(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(links, "record_meeting", dies)
    with pytest.raises(SystemExit):
        links.sync_zoom_meeting(booking.pk)
    monkeypatch.undo()
    assert len(sandbox.meetings(FORMER)) == 1
    booking.refresh_from_db()
    assert booking.zoom_meeting_id == "" and booking.zoom_create_in_doubt

    # While the worker's lease holds, Zoom may still answer it: not now.
    with pytest.raises(BookingError, match="Zoom is working on this meeting"):
        reassign_booking(booking, second, by=None)
    Booking.objects.filter(pk=booking.pk).update(link_lease_until=timezone.now())
    reassign(booking, second, django_capture_on_commit_callbacks)

    assert sandbox.meetings(FORMER) == []
    booking.refresh_from_db()
    assert [str(m["id"]) for m in sandbox.meetings(NEW)] == [booking.zoom_meeting_id]
    assert HostChange.objects.get().in_doubt


def test_a_former_host_whose_zoom_is_broken_never_holds_up_the_new_link(
    booked, team, sandbox, django_capture_on_commit_callbacks
):
    _, first, second = team
    ZoomConnection.objects.filter(user=first).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
    reassign(booked, second, django_capture_on_commit_callbacks)

    booked.refresh_from_db()
    assert booked.link_state == LinkState.READY and booked.rep == second
    change = HostChange.objects.get()
    assert change.removal == "waiting" and "reconnect" in change.last_error
    assert change.next_attempt_at > timezone.now() + timedelta(minutes=30)
    # Once their Zoom works again, the next look deletes it.
    ZoomConnection.objects.filter(user=first).update(status=ZoomConnection.Status.CONNECTED)
    HostChange.objects.filter(pk=change.pk).update(next_attempt_at=timezone.now())
    sweep_due_work()
    assert HostChange.objects.get().removal == "removed" and sandbox.meetings(FORMER) == []


def test_zoom_failing_the_delete_is_retried_and_deletes_once(
    booked, team, sandbox, django_capture_on_commit_callbacks, settings
):
    _, first, second = team
    old_meeting = booked.zoom_meeting_id
    sandbox.fail_next(f"/meetings/{old_meeting}", status=503, count=1)
    reassign(booked, second, django_capture_on_commit_callbacks)
    # Inline, the retry ran at once (its countdown is a worker's to keep).
    assert HostChange.objects.get().removal == "removed"
    assert sandbox.meetings(FORMER) == []
    statuses = [c["status"] for c in deletes(sandbox, old_meeting)]
    assert statuses == [503, 204]


@pytest.mark.parametrize(
    "why, match",
    [
        ("not_a_member", "does not take this Meeting Type"),
        ("busy", "has another meeting then"),
        ("zoom_broken", "needs reconnecting"),
        ("same_host", "already hosts"),
    ],
)
def test_a_member_who_cannot_take_it_is_refused_and_nothing_changes(
    booked, team, sandbox, why, match
):
    meeting_type, first, second = team
    to = second
    if why == "not_a_member":
        to = RepFactory()
    elif why == "busy":
        own = MeetingTypeFactory(rep=second, location_kind="phone", location_detail="+1 555")
        BookingFactory(meeting_type=own, rep=second, start_at=booked.start_at)
    elif why == "zoom_broken":
        ZoomConnection.objects.filter(user=second).update(
            status=ZoomConnection.Status.NEEDS_RECONNECT
        )
    elif why == "same_host":
        to = first
    expected = SlotUnavailable if why == "busy" else BookingError
    with pytest.raises(expected, match=match):
        reassign_booking(booked, to, by=None)
    booked.refresh_from_db()
    assert booked.rep == first and booked.invite_sequence == 0
    assert not HostChange.objects.exists() and len(sandbox.meetings(FORMER)) == 1


def test_a_cancelled_or_past_booking_is_not_reassigned(booked, team):
    _, first, second = team
    cancel_booking(booked, by=Booking.Actor.REP)
    with pytest.raises(BookingError, match="cancelled"):
        reassign_booking(booked, second, by=None)
    assert not HostChange.objects.exists()


def test_a_phone_team_booking_changes_hands_with_the_invites_alone(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting_type = team_type(size=2, location_kind="phone", location_detail="+1 415 555 0100")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    other = next(m.member.rep for m in meeting_type.members.all() if m.member.rep != booking.rep)
    former_host = booking.rep
    mailoutbox.clear()
    reassign(booking, other, django_capture_on_commit_callbacks)
    assert HostChange.objects.get().removal == "not_needed"
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [GUEST["guest_email"], former_host.email, other.email]
    )


# Who may reassign ---------------------------------------------------------------------------------


def with_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="reassign_team_booking"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def test_a_teammate_with_the_permission_reassigns_from_the_page(
    booked, team, client, django_capture_on_commit_callbacks
):
    meeting_type, first, second = team
    teammate = with_permission(RepFactory())
    add_member(meeting_type, teammate)
    client.force_login(teammate)
    page = f"/teams/reassign/{booked.pk}/"
    response = client.get(page)
    assert response.status_code == 200
    assert "Ned" in response.text and f'value="{first.pk}"' not in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"to_rep": second.pk}, follow=True)
    assert "now hosts this meeting" in response.text
    assert HostChange.objects.get().changed_by == teammate
    booked.refresh_from_db()
    assert booked.rep == second


def test_the_page_says_why_a_reassignment_was_refused(booked, team, client):
    meeting_type, first, second = team
    ZoomConnection.objects.filter(user=second).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
    admin = with_permission(RepFactory(is_staff=True))
    client.force_login(admin)
    response = client.post(f"/teams/reassign/{booked.pk}/", {"to_rep": second.pk})
    assert response.status_code == 200 and "needs reconnecting" in response.text
    booked.refresh_from_db()
    assert booked.rep == first


@pytest.mark.parametrize("who", ["teammate_without_permission", "outsider_with_permission"])
def test_others_cannot_see_or_reassign_it(booked, team, client, who):
    meeting_type, first, second = team
    if who == "teammate_without_permission":
        user = RepFactory()
        add_member(meeting_type, user)
    else:
        user = with_permission(RepFactory())
    client.force_login(user)
    assert client.get(f"/teams/reassign/{booked.pk}/").status_code == 404
    assert client.post(f"/teams/reassign/{booked.pk}/", {"to_rep": second.pk}).status_code == 404
    booked.refresh_from_db()
    assert booked.rep == first


# Where reassignments are seen ---------------------------------------------------------------


def test_the_team_report_counts_reassignments_and_lists_the_bookings_to_reassign(
    booked, team, superuser_client, django_capture_on_commit_callbacks
):
    meeting_type, first, second = team
    reassign(booked, second, django_capture_on_commit_callbacks, by=superuser_client.staff)
    response = superuser_client.get(f"/admin/teams/team/{meeting_type.team.pk}/report/")
    lines = {line.rep: line for line in response.context["report"].lines}
    assert (lines[first].handed_over, lines[first].taken_over) == (1, 0)
    assert (lines[second].handed_over, lines[second].taken_over) == (0, 1)
    assert list(response.context["upcoming"]) == [booked]
    assert f"/teams/reassign/{booked.pk}/" in response.text
    # The booking's admin page tells who handed it to whom, and what became of the old meeting.
    page = superuser_client.get(f"/admin/meetings/booking/{booked.pk}/change/").text
    assert "Former host&#x27;s Zoom meeting removed" in page
    assert superuser_client.get("/admin/meetings/hostchange/").status_code == 200


def test_a_teammate_with_the_permission_sees_the_teams_bookings_to_reassign(booked, team, client):
    meeting_type, first, second = team
    client.force_login(first)
    assert f"/teams/reassign/{booked.pk}/" not in client.get("/teams/").text
    client.force_login(with_permission(first))
    assert f"/teams/reassign/{booked.pk}/" in client.get("/teams/").text


def test_a_meeting_the_company_account_made_is_deleted_through_the_company_account(
    sandbox, connect_zoom, settings, django_capture_on_commit_callbacks
):
    """The former host's meeting was made through the company's account; since then they have
    connected their own Zoom, which new meetings would use. Only the chain that made the meeting
    may delete it."""
    ann = RepFactory(email="ann@corp.example", first_name="Ann")
    ned = RepFactory(first_name="Ned")
    zoom_admin()
    connected_company(sandbox, "ann@corp.example")
    connect_zoom(ned, NEW)
    meeting_type = team_type(
        reps=[(ann, Priority.HIGHEST, 100), (ned, Priority.LOW, 100)], zoom_connected=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    booking.refresh_from_db()
    assert (booking.rep, booking.zoom_chain) == (ann, "company")
    old_meeting = booking.zoom_meeting_id
    connect_zoom(ann, "ann@corp.example")

    reassign(booking, ned, django_capture_on_commit_callbacks)

    assert HostChange.objects.get().zoom_chain == "company"
    [delete] = deletes(sandbox, old_meeting)
    assert delete["client_id"] == settings.ZOOM_ACCOUNT_CLIENT_ID
    assert sandbox.meetings("ann@corp.example") == []
    booking.refresh_from_db()
    assert [str(m["id"]) for m in sandbox.meetings(NEW)] == [booking.zoom_meeting_id]


def test_a_booking_waiting_for_its_hosts_broken_zoom_gets_its_link_from_the_new_host(
    team, sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    """The reason to reassign: the host's Zoom broke before the link was made. The guest, who
    only had the confirmation, gets the invite once, from the new host's Zoom; the former host,
    never invited, gets nothing to cancel."""
    meeting_type, first, second = team
    booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    ZoomConnection.objects.filter(user=first).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
    assert links.sync_zoom_meeting(booking.pk).state == LinkState.WAITING_FOR_RECONNECT
    booking.refresh_from_db()

    reassign(booking, second, django_capture_on_commit_callbacks)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY and booking.rep == second
    assert HostChange.objects.get().removal == "not_needed" and sandbox.meetings(FORMER) == []
    (invite,) = mail_to(mailoutbox, GUEST["guest_email"])
    assert calendar_of(invite)[0::2] == ("REQUEST", 1)
    assert mail_to(mailoutbox, first.email) == []
