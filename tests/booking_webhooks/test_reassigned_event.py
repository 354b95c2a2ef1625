"""A team booking handed to another host tells the company's webhooks once (`booking.reassigned`):
the usual booking with its new host, the former host and who handed it over; written with the
change, so a refused or rolled back reassignment sends nothing."""

import json

import pytest
from django.db import transaction

from booking_webhooks import signing
from booking_webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from booking_webhooks.tasks import sweep_webhook_deliveries
from meetings.models import Booking, HostChange
from meetings.services.bookings import BookingError, SlotUnavailable, cancel_booking
from meetings.services.invites import send_invites
from meetings.tasks import sweep_due_work
from meetings.zoom import former, links
from teams.assignment import book_team_meeting
from teams.models import Priority
from teams.reassignment import reassign_booking
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import team_type

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Ada Lovelace", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}
FORMER, NEW = "former.host@example.com", "new.host@example.com"


def reassigned_events(crm) -> list[dict]:
    return [e for e in crm.events() if e["type"] == "booking.reassigned"]


@pytest.fixture
def phone_booking(django_capture_on_commit_callbacks):
    """A phone team booking (no Zoom), hosted by Fay, Ned next in line."""
    fay = RepFactory(first_name="Fay", last_name="Former")
    ned = RepFactory(first_name="Ned", last_name="New")
    meeting_type = team_type(
        reps=[(fay, Priority.HIGHEST, 100), (ned, Priority.LOW, 100)],
        location_kind="phone",
        location_detail="+1 415 555 0100",
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    assert booking.rep == fay
    return booking, fay, ned


def test_a_zoom_booking_handed_over_is_sent_once_with_both_hosts_and_who_did_it(
    endpoint, crm, sandbox, connect_zoom, django_capture_on_commit_callbacks
):
    fay = RepFactory(first_name="Fay", last_name="Former")
    ned = RepFactory(first_name="Ned", last_name="New")
    connect_zoom(fay, FORMER)
    connect_zoom(ned, NEW)
    meeting_type = team_type(
        reps=[(fay, Priority.HIGHEST, 100), (ned, Priority.LOW, 100)], zoom_connected=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    admin = RepFactory(first_name="Ann", last_name="Admin", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        reassign_booking(booking, ned, by=admin)

    [request] = [r for r in crm.requests if b'"booking.reassigned"' in r["body"]]
    assert signing.verify(endpoint.secret, request["headers"], request["body"])
    event = json.loads(request["body"])
    sent = event["data"]["booking"]
    assert sent["id"] == str(booking.public_id) and sent["reference"] == booking.reference
    assert (sent["status"], sent["start"], sent["previous_start"]) == (
        "confirmed",
        event_time(booking.start_at),
        None,
    )
    assert sent["host"] == {"name": "Ned New", "email": ned.email}
    assert sent["previous_host"] == {"name": "Fay Former", "email": fay.email}
    assert sent["reassigned_by"] == {"name": "Ann Admin", "email": admin.email}
    assert sent["guest"]["email"] == GUEST["guest_email"] and sent["location"] == "zoom"
    # Nothing of Zoom's (meeting id, link, passcode) nor any secret goes out.
    booking.refresh_from_db()
    [meeting] = sandbox.meetings(NEW)
    for private in (booking.zoom_meeting_id, meeting["join_url"], endpoint.secret):
        assert private not in request["body"].decode()
    delivery = WebhookDelivery.objects.get(event_type=EventType.REASSIGNED)
    assert (delivery.status, delivery.booking) == ("delivered", booking)

    # The reassignment's background work, run again, and every sweeper send nothing more.
    change = HostChange.objects.get()
    send_invites(booking.pk)
    links.sync_zoom_meeting(booking.pk)
    former.remove_former_meeting(change.pk)
    sweep_due_work()
    sweep_webhook_deliveries()
    assert len(reassigned_events(crm)) == 1
    assert WebhookDelivery.objects.filter(event_type=EventType.REASSIGNED).count() == 1


def event_time(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_a_hand_over_no_one_signed_in_made_names_no_one_and_other_events_stay_as_they_were(
    endpoint, crm, phone_booking, django_capture_on_commit_callbacks
):
    booking, fay, ned = phone_booking
    with django_capture_on_commit_callbacks(execute=True):
        reassign_booking(booking, ned, by=None)
    created, reassigned = crm.events()
    assert reassigned["data"]["booking"]["previous_host"]["email"] == fay.email
    assert reassigned["data"]["booking"]["reassigned_by"] is None
    # Only the reassignment says who hosted before: the other events keep their shape.
    assert created["data"]["booking"].keys() == reassigned["data"]["booking"].keys() - {
        "previous_host",
        "reassigned_by",
    }


def test_an_endpoint_that_did_not_pick_reassignments_is_not_sent_them(
    crm, phone_booking, django_capture_on_commit_callbacks
):
    booking, fay, ned = phone_booking
    picked_before = [EventType.CREATED, EventType.MOVED, EventType.CANCELLED, EventType.OUTCOME]
    WebhookEndpoint.objects.create(url=crm.url, event_types=picked_before)
    wants_it = WebhookEndpoint.objects.create(url=crm.url, event_types=[EventType.REASSIGNED])
    WebhookEndpoint.objects.create(url=crm.url, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        reassign_booking(booking, ned, by=None)
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.endpoint, delivery.event_type) == (wants_it, "booking.reassigned")
    assert len(reassigned_events(crm)) == 1


@pytest.mark.parametrize("why", ["not_a_member", "busy", "same_host", "cancelled"])
def test_a_refused_reassignment_sends_nothing(
    endpoint, crm, phone_booking, django_capture_on_commit_callbacks, why
):
    booking, fay, ned = phone_booking
    to = ned
    if why == "not_a_member":
        to = RepFactory()
    elif why == "busy":
        own = MeetingTypeFactory(rep=ned, location_kind="phone", location_detail="+1 555")
        BookingFactory(meeting_type=own, rep=ned, start_at=booking.start_at)
    elif why == "same_host":
        to = fay
    elif why == "cancelled":
        cancel_booking(booking, by=Booking.Actor.REP)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises((BookingError, SlotUnavailable)),
    ):
        reassign_booking(booking, to, by=None)
    assert reassigned_events(crm) == []
    assert not WebhookDelivery.objects.filter(event_type=EventType.REASSIGNED).exists()


def test_a_reassignment_that_rolls_back_sends_nothing(endpoint, crm, phone_booking):
    booking, fay, ned = phone_booking
    with pytest.raises(RuntimeError), transaction.atomic():
        reassign_booking(booking, ned, by=None)
        raise RuntimeError("the request failed after the hand-over")
    assert reassigned_events(crm) == []
    assert not WebhookDelivery.objects.filter(event_type=EventType.REASSIGNED).exists()
