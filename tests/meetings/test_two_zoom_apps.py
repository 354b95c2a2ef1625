"""Two Zoom apps, one company: every booking knows which app's token chain made its meeting, only
that chain moves or deletes it, and removing an app in Zoom erases exactly what that app gave us.

The matrix: how the rep gets Zoom {their own app only, the company's app only, both (meetings of
each), their own broken while the company's serves} × {book, reschedule, cancel, their own app
removed, the company's app removed, their Zoom user removed}, against the sandbox over real HTTP
(webhooks delivered to the live app). Erasure is checked by dumping every table of the database
for the erased values."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import timezone

from integrations.zoom.company import services as company_services
from integrations.zoom.connection.models import ZoomConnection, ZoomDataErasure
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings import ics
from meetings.models import Booking, InviteDelivery
from meetings.services.bookings import cancel_booking, reschedule_booking
from meetings.services.invites import send_invites
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState, ZoomChain
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.integrations.steps import connect_rep
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db(transaction=True)

SETUPS = ("personal_only", "company_only", "both", "personal_broken_with_company")
COMPANY_USER = "ann@corp.example"
OWN_USER = "ann@home.example"


@dataclass
class World:
    rep: object
    # The bookings whose meetings each chain made: one ahead, one already over.
    made_by: dict[str, list[Booking]] = field(default_factory=dict)
    zoom_user: dict[str, str] = field(default_factory=dict)

    def bookings(self, chain: str | None = None) -> list[Booking]:
        chains = [chain] if chain else list(self.made_by)
        return [Booking.objects.get(pk=b.pk) for c in chains for b in self.made_by.get(c, [])]

    def upcoming(self, chain: str | None = None) -> list[Booking]:
        return [b for b in self.bookings(chain) if b.end_at > timezone.now()]


def client_of(chain: str) -> str:
    if chain == ZoomChain.COMPANY:
        return django_settings.ZOOM_ACCOUNT_CLIENT_ID
    return django_settings.ZOOM_CLIENT_ID


def book_two(world: World, chain: str) -> None:
    """One booking ahead and one over, both made (and their invites sent) through `chain`."""
    made = []
    first_day = 3 + 2 * len(world.made_by)
    for days in (first_day, first_day + 1):
        start = next_slot(days=days)
        booking = BookingFactory(
            meeting_type=MeetingTypeFactory(rep=world.rep),
            start_at=start,
            end_at=start + timedelta(minutes=30),
        )
        assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
        send_invites(booking.pk)
        booking.refresh_from_db()
        assert booking.zoom_chain == chain
        made.append(booking)
    # The second one is over: its meeting's details are Zoom data all the same.
    past = timezone.now() - timedelta(days=2 + len(world.made_by))
    Booking.objects.filter(pk=made[1].pk).update(start_at=past, end_at=past + timedelta(minutes=30))
    world.made_by[chain] = made


def make_world(setup: str, sandbox) -> World:
    if setup == "personal_only":
        rep = RepFactory(email="bob@solo.example")
        connect_rep(sandbox, "bob@solo.example", rep=rep)
        world = World(rep, zoom_user={ZoomChain.PERSONAL: "bob@solo.example"})
        book_two(world, ZoomChain.PERSONAL)
        return world
    rep = RepFactory(email=COMPANY_USER)
    zoom_admin()
    connected_company(sandbox, COMPANY_USER)
    world = World(rep, zoom_user={ZoomChain.COMPANY: COMPANY_USER})
    if setup == "company_only":
        book_two(world, ZoomChain.COMPANY)
    elif setup == "both":
        # Served by the company first, then the rep connects their own Zoom, which wins.
        book_two(world, ZoomChain.COMPANY)
        connect_rep(sandbox, OWN_USER, rep=rep)
        world.zoom_user[ZoomChain.PERSONAL] = OWN_USER
        book_two(world, ZoomChain.PERSONAL)
    else:
        connect_rep(sandbox, OWN_USER, rep=rep)
        world.zoom_user[ZoomChain.PERSONAL] = OWN_USER
        ZoomConnection.objects.filter(user=rep).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
        book_two(world, ZoomChain.COMPANY)
    return world


def zoom_values(booking: Booking) -> list[str]:
    values = [booking.zoom_meeting_id, booking.zoom_join_url, booking.zoom_passcode]
    return [v for v in values + [booking.zoom_phone_passcode] if v]


def database_dump() -> str:
    """Every value of every row of every table of the app (the sandbox's own are Zoom's side)."""
    rows = []
    for model in apps.get_models():
        if model._meta.app_label == "zoom_sandbox" or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows.extend(repr(row) for row in model.objects.values_list(*names))
    return "\n".join(rows)


def synced(booking: Booking) -> Booking:
    """The booking once its Zoom work ran (tasks run when the change commits; a run left for
    later is run here)."""
    zoom_links.sync_zoom_meeting(booking.pk)
    return Booking.objects.get(pk=booking.pk)


def calls_for(sandbox, method: str, meeting_id: str) -> list[dict]:
    return [c for c in sandbox.calls(f"/meetings/{meeting_id}") if c["method"] == method]


def deauthorizations_applied() -> int:
    # Only app_deauthorized: the meeting.created/updated/deleted Zoom sends for our own API
    # changes may be applied at any moment too.
    return ZoomWebhookEvent.objects.filter(
        event="app_deauthorized", outcome=ZoomWebhookEvent.Outcome.APPLIED
    ).count()


def remove_app(sandbox, world: World, chain: str) -> None:
    before = deauthorizations_applied()
    if chain == ZoomChain.COMPANY:
        sandbox.uninstall("admin@corp.example", client_id=client_of(chain))
    else:
        sandbox.uninstall(world.zoom_user[chain], client_id=client_of(chain))
    wait_until(
        lambda: deauthorizations_applied() > before,
        message="app_deauthorized to be applied",
    )


def chains_with_an_app(setup: str) -> list[str]:
    return {
        "personal_only": [ZoomChain.PERSONAL],
        "company_only": [ZoomChain.COMPANY],
        "both": [ZoomChain.PERSONAL, ZoomChain.COMPANY],
        "personal_broken_with_company": [ZoomChain.PERSONAL, ZoomChain.COMPANY],
    }[setup]


@pytest.mark.parametrize("setup", SETUPS)
def test_book_the_serving_chain_makes_the_meeting(live_sandbox, setup):
    world = make_world(setup, live_sandbox)

    for chain, bookings in world.made_by.items():
        for booking in bookings:
            [create] = [
                c
                for c in live_sandbox.calls("/meetings")
                if c["method"] == "POST" and booking.zoom_meeting_id in c["response_body"]
            ]
            assert create["client_id"] == client_of(chain), (setup, chain)
            deliveries = InviteDelivery.objects.filter(booking=booking).exclude(location="")
            assert deliveries and {d.zoom_chain for d in deliveries} == {chain}


@pytest.mark.parametrize("setup", SETUPS)
def test_reschedule_moves_each_meeting_through_the_chain_that_made_it(live_sandbox, setup):
    world = make_world(setup, live_sandbox)

    for booking in world.upcoming():
        moved = next_slot(days=6, hour=11 + booking.pk % 4)
        reschedule_booking(booking, start_at=moved)
        after = synced(booking)
        assert after.link_state == LinkState.READY
        # The guest's link stays: the same meeting, moved by its own chain.
        assert after.zoom_meeting_id == booking.zoom_meeting_id
        [patch] = calls_for(live_sandbox, "PATCH", booking.zoom_meeting_id)
        assert patch["client_id"] == client_of(booking.zoom_chain), (setup, booking.zoom_chain)


@pytest.mark.parametrize("setup", SETUPS)
def test_cancel_deletes_each_meeting_through_the_chain_that_made_it(live_sandbox, setup):
    world = make_world(setup, live_sandbox)

    for booking in world.upcoming():
        cancel_booking(booking, by=Booking.Actor.GUEST)
        assert synced(booking).link_state == LinkState.REMOVED
        [delete] = calls_for(live_sandbox, "DELETE", booking.zoom_meeting_id)
        assert delete["client_id"] == client_of(booking.zoom_chain), (setup, booking.zoom_chain)


REMOVALS = [
    (setup, chain)
    for setup in SETUPS
    for chain in (ZoomChain.PERSONAL, ZoomChain.COMPANY)
    if chain in chains_with_an_app(setup)
]


@pytest.mark.parametrize(("setup", "removed"), REMOVALS)
def test_removing_an_app_erases_exactly_what_it_gave(live_sandbox, setup, removed):
    world = make_world(setup, live_sandbox)
    erased = [v for b in world.bookings(removed) for v in zoom_values(b)]
    kept = [
        v for c in world.made_by if c != removed for b in world.bookings(c) for v in zoom_values(b)
    ]

    remove_app(live_sandbox, world, removed)

    dump = database_dump()
    assert [v for v in erased if v in dump] == [], (setup, removed)
    assert [v for v in kept if v not in dump] == [], (setup, removed)
    for booking in world.bookings(removed):
        # Gone, or replaced by a meeting of the chain that serves the rep now.
        assert booking.zoom_meeting_id not in erased and booking.zoom_chain != removed
        if booking.end_at <= timezone.now():
            assert booking.link_state == LinkState.REMOVED
    for booking in [b for c in world.made_by if c != removed for b in world.bookings(c)]:
        assert booking.link_state == LinkState.READY and booking.zoom_chain != removed
    erasure = ZoomDataErasure.objects.get()
    assert erasure.zoom_app == removed and not erasure.retained
    assert (erasure.rep_id is None) == (removed == ZoomChain.COMPANY)


@pytest.mark.parametrize(("setup", "removed"), REMOVALS)
def test_an_app_removed_with_data_retention_keeps_its_meetings(live_sandbox, setup, removed):
    world = make_world(setup, live_sandbox)
    kept = [v for b in world.bookings() for v in zoom_values(b)]

    before = deauthorizations_applied()
    who = "admin@corp.example" if removed == ZoomChain.COMPANY else world.zoom_user[removed]
    live_sandbox.uninstall(who, client_id=client_of(removed), user_data_retention=True)
    wait_until(
        lambda: deauthorizations_applied() > before,
        message="app_deauthorized to be applied",
    )

    dump = database_dump()
    assert [v for v in kept if v not in dump] == []
    erasure = ZoomDataErasure.objects.get()
    assert erasure.zoom_app == removed and erasure.retained


@pytest.mark.parametrize("setup", SETUPS)
def test_the_zoom_user_removed_parks_its_meetings_and_erases_nothing(live_sandbox, setup):
    world = make_world(setup, live_sandbox)
    serving = ZoomChain.PERSONAL if setup in ("personal_only", "both") else ZoomChain.COMPANY
    live_sandbox.delete_user(world.zoom_user[serving])
    # The company's account learns it when it looks its reps up (keep-alive, or Zoom's event).
    company_services.match_company_reps()

    for booking in world.upcoming():
        reschedule_booking(booking, start_at=next_slot(days=6, hour=11 + booking.pk % 4))
        after = synced(booking)
        if booking.zoom_chain == serving:
            # Its chain cannot reach the meeting: it waits, with the reason, and keeps its link.
            assert after.link_state == LinkState.WAITING_FOR_RECONNECT, (setup, after.link_state)
            assert after.link_last_error
        else:
            assert after.link_state == LinkState.READY
            [patch] = calls_for(live_sandbox, "PATCH", booking.zoom_meeting_id)
            assert patch["client_id"] == client_of(booking.zoom_chain)
    assert not ZoomDataErasure.objects.exists()


def test_a_meeting_whose_chain_is_gone_is_replaced_by_the_serving_chain_with_a_note(live_sandbox):
    """Made by the company's account; the rep then left the company's Zoom and connected their
    own: a move cannot go through the company's chain, so their own makes a new meeting and the
    rep is told to remove the old one."""
    world = make_world("company_only", live_sandbox)
    [booking, _past] = world.made_by[ZoomChain.COMPANY]
    world.rep.zoom_company_member.mark_left()
    connect_rep(live_sandbox, OWN_USER, rep=world.rep)

    reschedule_booking(Booking.objects.get(pk=booking.pk), start_at=next_slot(days=6, hour=11))

    after = synced(booking)
    assert after.link_state == LinkState.READY
    assert after.zoom_chain == ZoomChain.PERSONAL
    assert after.zoom_meeting_id != booking.zoom_meeting_id
    assert "could not be moved" in after.zoom_change_note
    assert not calls_for(live_sandbox, "PATCH", booking.zoom_meeting_id)


def test_a_cancel_whose_chain_is_gone_says_why_the_meeting_stays(live_sandbox):
    world = make_world("company_only", live_sandbox)
    [booking, _past] = world.made_by[ZoomChain.COMPANY]
    world.rep.zoom_company_member.mark_left()

    cancel_booking(Booking.objects.get(pk=booking.pk), by=Booking.Actor.GUEST)

    after = synced(booking)
    assert after.link_state == LinkState.REMOVED
    assert "could not be deleted" in after.zoom_change_note
    assert not calls_for(live_sandbox, "DELETE", booking.zoom_meeting_id)


def test_after_remove_and_reconnect_the_bookings_keep_their_meetings(live_sandbox):
    """The rep removes the app in Zoom, then connects again: the meetings are still in their
    Zoom and the prospects' invites point at them, so they are adopted, not made again; one
    deleted in Zoom meanwhile is made anew."""
    world = make_world("personal_only", live_sandbox)
    [kept, _past] = world.made_by[ZoomChain.PERSONAL]
    start = next_slot(days=9)
    gone = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=world.rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
    )
    gone = synced(gone)
    meetings_before = len(live_sandbox.meetings("bob@solo.example"))
    remove_app(live_sandbox, world, ZoomChain.PERSONAL)
    live_sandbox.delete_meeting_in_zoom(gone.zoom_meeting_id)

    connect_rep(live_sandbox, "bob@solo.example", rep=world.rep)

    adopted, remade = synced(kept), synced(gone)
    assert adopted.link_state == LinkState.READY
    assert adopted.zoom_meeting_id == kept.zoom_meeting_id
    assert adopted.zoom_join_url == kept.zoom_join_url
    assert remade.link_state == LinkState.READY
    assert remade.zoom_meeting_id not in ("", gone.zoom_meeting_id)
    # No orphan: one meeting per upcoming booking (the one deleted in Zoom replaced).
    assert len(live_sandbox.meetings("bob@solo.example")) == meetings_before


def guest_invites(booking: Booking) -> list[InviteDelivery]:
    return list(
        InviteDelivery.objects.filter(
            booking=booking,
            recipient=InviteDelivery.Recipient.GUEST,
            method=InviteDelivery.Method.REQUEST,
        ).order_by("sequence")
    )


def test_after_remove_and_reconnect_only_a_remade_meeting_sends_an_updated_invite(live_sandbox):
    """The guest of an adopted meeting holds the right link already: nothing is sent. The guest of
    one deleted in Zoom meanwhile gets one updated invite (same UID, next SEQUENCE) with the new
    meeting's link."""
    world = make_world("personal_only", live_sandbox)
    [kept, _past] = world.made_by[ZoomChain.PERSONAL]
    start = next_slot(days=9)
    gone = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=world.rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
    )
    gone = synced(gone)
    send_invites(gone.pk)
    assert [i.sequence for i in guest_invites(gone)] == [0]
    remove_app(live_sandbox, world, ZoomChain.PERSONAL)
    live_sandbox.delete_meeting_in_zoom(gone.zoom_meeting_id)

    connect_rep(live_sandbox, "bob@solo.example", rep=world.rep)

    adopted, remade = synced(kept), synced(gone)
    for booking in (adopted, remade):
        send_invites(booking.pk)  # what the worker runs; a version already sent is not sent again
    assert adopted.zoom_join_url == kept.zoom_join_url
    assert adopted.invite_sequence == kept.invite_sequence
    assert [i.sequence for i in guest_invites(adopted)] == [kept.invite_sequence]
    assert remade.zoom_join_url not in ("", gone.zoom_join_url)
    assert remade.invite_sequence == gone.invite_sequence + 1
    [first, update] = guest_invites(remade)
    assert (first.sequence, update.sequence) == (0, 1)
    assert update.location == remade.zoom_join_url
    # One calendar entry for the guest: the update replaces the first invite.
    assert ics.uid_for(remade) == ics.uid_for(gone)
    calendar = ics.build_invite(remade, InviteDelivery.Method.REQUEST).decode()
    calendar = calendar.replace("\r\n ", "")  # unfolded (RFC 5545 3.1)
    assert "SEQUENCE:1" in calendar and remade.zoom_join_url in calendar
