"""app_deauthorized: only for our client_id; erases every Zoom value of the rep's bookings and
stored payloads unless Zoom allows keeping them; keeps the bookings; records the erasure."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.zoom.connection.models import ZoomConnection, ZoomDataErasure
from integrations.zoom.webhooks.deliveries import process_webhook_event
from integrations.zoom.webhooks.envelope import signature_for
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

URL = "/integrations/zoom/webhook/"


def post(client, settings, payload):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    signature = signature_for(settings.ZOOM_WEBHOOK_SECRET_TOKEN, timestamp, body)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"x-zm-signature": signature, "x-zm-request-timestamp": timestamp},
    )


def deauthorization(zoom_user_id, *, client_id="test-client-id", retention="false"):
    payload = {
        "account_id": "acc1",
        "user_id": zoom_user_id,
        "signature": "zoom-compliance-signature",
        "deauthorization_time": "2026-11-24T08:00:00.000Z",
        "client_id": client_id,
    }
    if retention is not None:
        payload["user_data_retention"] = retention
    return {"event": "app_deauthorized", "event_ts": int(time.time() * 1000), "payload": payload}


def ready_booking(rep, **fields):
    meeting_type = MeetingTypeFactory(rep=rep)
    return BookingFactory(
        meeting_type=meeting_type,
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url="https://zoom.us/j/81234567890?pwd=abc",
        zoom_passcode="Ab3dE5",
        zoom_phone_passcode="582913",
        zoom_dial_in=[{"country": "US", "number": "+1 646 558 8656", "city": "New York"}],
        **fields,
    )


@pytest.fixture
def connection(db):
    return ZoomConnectionFactory()


def apply(client, settings, payload):
    response = post(client, settings, payload)
    assert response.status_code == 200, response.content
    process_webhook_event(ZoomWebhookEvent.objects.latest("pk").pk)


def test_erasure_removes_every_zoom_value_of_the_reps_bookings_and_keeps_them(
    client, settings, connection
):
    upcoming = ready_booking(connection.user)
    apply(client, settings, deauthorization(connection.zoom_user_id))

    upcoming.refresh_from_db()
    assert Booking.objects.filter(pk=upcoming.pk).exists()
    assert (upcoming.guest_email, upcoming.status) != ("", "")
    assert upcoming.zoom_meeting_id == upcoming.zoom_join_url == ""
    assert upcoming.zoom_passcode == upcoming.zoom_phone_passcode == ""
    assert upcoming.zoom_dial_in == []
    assert upcoming.link_state == LinkState.WAITING_FOR_RECONNECT
    assert "Reconnect Zoom" in upcoming.link_last_error


def test_past_and_cancelled_bookings_lose_their_zoom_values_too(client, settings, connection):
    start = timezone.now() - timedelta(days=3)
    past = ready_booking(connection.user, start_at=start, end_at=start + timedelta(minutes=30))
    apply(client, settings, deauthorization(connection.zoom_user_id))
    past.refresh_from_db()
    assert past.zoom_meeting_id == "" and past.link_state == LinkState.REMOVED


def test_the_erasure_is_recorded_without_any_zoom_value(client, settings, connection):
    ready_booking(connection.user)
    ready_booking(connection.user, start_at=timezone.now() + timedelta(days=5, hours=1))
    apply(client, settings, deauthorization(connection.zoom_user_id))

    erasure = ZoomDataErasure.objects.get()
    assert erasure.rep == connection.user
    assert erasure.retained is False
    assert erasure.records_erased == 2
    assert erasure.deauthorized_at is not None
    assert connection.zoom_user_id not in str(vars(erasure))
    delivery = ZoomWebhookEvent.objects.get()
    assert delivery.payload == {} and connection.zoom_user_id not in delivery.note


def test_stored_payloads_naming_the_user_are_erased(client, settings, connection):
    waiting = ZoomWebhookEvent.objects.create(
        fingerprint="f" * 64,
        event="meeting.updated",
        payload={"operator_id": connection.zoom_user_id, "object": {"id": 81234567890}},
    )
    apply(client, settings, deauthorization(connection.zoom_user_id))
    waiting.refresh_from_db()
    assert waiting.payload == {}
    assert ZoomDataErasure.objects.get().payloads_erased == 1


@pytest.mark.parametrize("retention", ["true", True])
def test_user_data_retention_true_keeps_the_bookings_zoom_values(
    client, settings, connection, retention
):
    booking = ready_booking(connection.user)
    apply(client, settings, deauthorization(connection.zoom_user_id, retention=retention))
    booking.refresh_from_db()
    assert booking.zoom_join_url and booking.link_state == LinkState.READY
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.REMOVED and connection.access_token == ""
    assert ZoomDataErasure.objects.get().retained is True


def test_a_missing_user_data_retention_means_erase(client, settings, connection):
    booking = ready_booking(connection.user)
    apply(client, settings, deauthorization(connection.zoom_user_id, retention=None))
    booking.refresh_from_db()
    assert booking.zoom_join_url == ""


def test_another_apps_deauthorization_is_refused_and_changes_nothing(client, settings, connection):
    booking = ready_booking(connection.user)
    response = post(
        client, settings, deauthorization(connection.zoom_user_id, client_id="someone-else")
    )
    assert response.status_code == 403
    assert not ZoomWebhookEvent.objects.exists()
    connection.refresh_from_db()
    booking.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED
    assert booking.zoom_join_url


def test_other_reps_bookings_are_untouched(client, settings, connection):
    other = ZoomConnectionFactory()
    theirs = ready_booking(other.user)
    apply(client, settings, deauthorization(connection.zoom_user_id))
    theirs.refresh_from_db()
    assert theirs.zoom_join_url and theirs.link_state == LinkState.READY


def test_each_endpoint_accepts_only_its_own_apps_deauthorization(client, settings, connection):
    # The company app's endpoint, signed with its own secret, refuses the reps' app's client_id…
    body = json.dumps(deauthorization(connection.zoom_user_id)).encode()
    timestamp = str(int(time.time()))
    secret = settings.ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN
    refused = client.post(
        "/integrations/zoom/account/webhook/",
        data=body,
        content_type="application/json",
        headers={
            "x-zm-signature": signature_for(secret, timestamp, body),
            "x-zm-request-timestamp": timestamp,
        },
    )
    # …and the reps' endpoint refuses the company app's.
    company = deauthorization(connection.zoom_user_id, client_id=settings.ZOOM_ACCOUNT_CLIENT_ID)
    assert refused.status_code == 403
    assert post(client, settings, company).status_code == 403
    assert not ZoomWebhookEvent.objects.exists()
