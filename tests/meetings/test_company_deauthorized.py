"""The company's Zoom account app is removed in Zoom (account-level `app_deauthorized`): its Zoom
data is erased, the bookings it served are parked without their Zoom data, the Zoom admins are told.
End to end: the sandbox signs and POSTs the event to the live app."""

import pytest
from django.core import mail
from django.db import transaction

from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings.models import Booking
from meetings.zoom import events as zoom_events
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState, ZoomChain
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db(transaction=True)


def test_removing_the_company_app_in_zoom_erases_its_data_and_parks_its_bookings(
    live_sandbox, settings
):
    ann = RepFactory(email="ann@corp.example")
    admin = zoom_admin()
    connected_company(live_sandbox, "ann@corp.example")
    start = next_slot(days=3)
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=ann), start_at=start, end_at=start.replace(minute=30)
    )
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    mail.outbox.clear()

    delivery = live_sandbox.uninstall(
        "admin@corp.example", client_id=settings.ZOOM_ACCOUNT_CLIENT_ID
    )

    assert delivery["status"] == 200, delivery
    wait_until(
        lambda: ZoomWebhookEvent.objects.filter(outcome=ZoomWebhookEvent.Outcome.APPLIED).exists(),
        message="app_deauthorized to be applied",
    )
    company = ZoomCompanyAccount.objects.get()
    assert company.status == company.Status.REMOVED
    assert (company.access_token, company.refresh_token, company.zoom_account_id) == ("", "", "")
    assert not ZoomCompanyMember.objects.exists()
    booking.refresh_from_db()
    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT
    assert (booking.zoom_meeting_id, booking.zoom_join_url, booking.zoom_passcode) == ("", "", "")
    assert booking.zoom_dial_in == []
    assert "disconnected in Zoom" in booking.link_last_error
    [notice] = [m for m in mail.outbox if "company's Zoom account" in m.subject]
    assert admin.email in notice.to and ann.email not in notice.to


def test_a_removal_for_another_zoom_account_changes_nothing(live_sandbox, settings):
    RepFactory(email="ann@corp.example")
    connected_company(live_sandbox, "ann@corp.example")
    other = live_sandbox.create_user("boss@other.example", is_admin=True)
    assert other["account_id"] != ZoomCompanyAccount.objects.get().zoom_account_id
    live_sandbox.uninstall("boss@other.example", client_id=settings.ZOOM_ACCOUNT_CLIENT_ID)
    wait_until(
        lambda: ZoomWebhookEvent.objects.filter(outcome=ZoomWebhookEvent.Outcome.IGNORED).exists(),
        message="app_deauthorized to be ignored",
    )
    assert ZoomCompanyAccount.objects.get().is_usable


def test_a_parked_booking_keeps_no_zoom_value_the_phone_passcode_included():
    ann = RepFactory(email="ann@corp.example")
    start = next_slot(days=3)
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=ann),
        start_at=start,
        end_at=start.replace(minute=30),
        link_state=LinkState.READY,
        zoom_meeting_id="85746065432",
        zoom_chain=ZoomChain.COMPANY,
        zoom_join_url="https://zoom.us/j/85746065432",
        zoom_passcode="a1B2c3",
        zoom_phone_passcode="123456",
        zoom_dial_in=[{"number": "+1 646 558 8656", "country": "US"}],
    )

    # Sent inside the transaction that erases the account's own Zoom data.
    with transaction.atomic():
        erased = zoom_events.erase_zoom_data_of_app(None, zoom_app="company")

    assert erased == 1

    booking = Booking.objects.get(pk=booking.pk)
    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT
    zoom_values = (
        booking.zoom_meeting_id,
        booking.zoom_chain,
        booking.zoom_join_url,
        booking.zoom_passcode,
        booking.zoom_phone_passcode,
    )
    assert zoom_values == ("", "", "", "", "")
    assert booking.zoom_dial_in == []
