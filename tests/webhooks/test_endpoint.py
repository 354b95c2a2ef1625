"""POST /integrations/zoom/webhook/: what each delivery gets back and what it changes."""

import json
import time

import pytest
from django.db import connection as db_connection

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.tasks import sweep_zoom_webhooks
from integrations.zoom.webhooks.deliveries import process_webhook_event
from integrations.zoom.webhooks.envelope import signature_for
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from tests.integrations.factories import ZoomConnectionFactory

URL = "/integrations/zoom/webhook/"


def post(client, settings, payload, *, secret=None, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature_for(secret or settings.ZOOM_WEBHOOK_SECRET_TOKEN, timestamp, body)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"x-zm-signature": signature, "x-zm-request-timestamp": timestamp},
    )


def deauthorization(zoom_user_id, account_id="acc1"):
    return {
        "event": "app_deauthorized",
        "event_ts": int(time.time() * 1000),
        "payload": {
            "account_id": account_id,
            "user_id": zoom_user_id,
            "signature": "zoom-compliance-signature",
            "deauthorization_time": "2026-11-24T08:00:00.000Z",
            "client_id": "test-client-id",
        },
    }


@pytest.fixture
def connection(db):
    return ZoomConnectionFactory()


def test_url_validation_challenge_is_answered_with_the_hmac(client, settings, db):
    response = post(
        client, settings, {"event": "endpoint.url_validation", "payload": {"plainToken": "abc123"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["plainToken"] == "abc123"
    assert len(body["encryptedToken"]) == 64
    assert not ZoomWebhookEvent.objects.exists()


def test_deauthorization_is_accepted_and_recorded_for_a_task(client, settings, connection):
    response = post(client, settings, deauthorization(connection.zoom_user_id))
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    delivery = ZoomWebhookEvent.objects.get()
    assert delivery.event == "app_deauthorized"
    assert delivery.outcome == ZoomWebhookEvent.Outcome.PENDING
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED, "the work happens in the task"


def test_deauthorization_deletes_tokens_and_zoom_ids_and_keeps_the_rep(
    client, settings, connection
):
    access, refresh = connection.access_token, connection.refresh_token
    post(client, settings, deauthorization(connection.zoom_user_id))
    process_webhook_event(ZoomWebhookEvent.objects.get().pk)

    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.REMOVED
    assert connection.removed_at is not None
    assert (connection.zoom_user_id, connection.zoom_account_id, connection.zoom_email) == (
        "",
        "",
        "",
    )
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM zoom_zoomconnection WHERE id = %s",
            [connection.pk],
        )
        raw_access, raw_refresh = cursor.fetchone()
    assert access not in raw_access and refresh not in raw_refresh
    assert connection.access_token == "" and connection.refresh_token == ""
    assert connection.user.is_active

    delivery = ZoomWebhookEvent.objects.get()
    assert delivery.outcome == ZoomWebhookEvent.Outcome.APPLIED
    assert delivery.payload == {}, "the Zoom user's ids are not kept in the delivery log"


def test_a_replayed_delivery_is_acknowledged_and_applied_once(client, settings, connection):
    payload = deauthorization(connection.zoom_user_id)
    first = post(client, settings, payload)
    retry = post(client, settings, payload, timestamp=int(time.time()) + 1)
    assert first.json() == {"status": "accepted"}
    assert retry.status_code == 200
    assert retry.json() == {"status": "duplicate"}
    assert ZoomWebhookEvent.objects.count() == 1

    event_id = ZoomWebhookEvent.objects.get().pk
    process_webhook_event(event_id)
    removed_at = ZoomConnection.objects.get(pk=connection.pk).removed_at
    process_webhook_event(event_id)
    assert ZoomConnection.objects.get(pk=connection.pk).removed_at == removed_at


def test_deauthorization_of_an_unknown_zoom_user_changes_nothing(client, settings, connection):
    post(client, settings, deauthorization("someone-we-never-saw"))
    process_webhook_event(ZoomWebhookEvent.objects.get().pk)
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED
    assert connection.access_token
    delivery = ZoomWebhookEvent.objects.get()
    assert delivery.outcome == ZoomWebhookEvent.Outcome.IGNORED
    assert "no connection" in delivery.note


@pytest.mark.parametrize(
    ("tamper", "status"),
    [
        ({"secret": "not-the-real-secret"}, 401),
        ({"age": 2 * 60 * 60 + 30}, 401),
        ({"age": -(5 * 60 + 30)}, 401),
        ({"raw": b"{this is not json"}, 400),
        ({"raw": b'{"event": "app_deauthorized"}'}, 400),
    ],
    ids=["bad-signature", "stale", "future", "malformed-json", "no-payload"],
)
def test_rejected_deliveries_get_their_status_and_change_nothing(
    client, settings, connection, tamper, status
):
    if "age" in tamper:
        tamper = {"timestamp": int(time.time()) - tamper["age"]}
    response = post(client, settings, deauthorization(connection.zoom_user_id), **tamper)
    assert response.status_code == status
    assert "error" in response.json()
    assert not ZoomWebhookEvent.objects.exists()
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED


def test_unsigned_delivery_is_rejected(client, connection):
    response = client.post(
        URL,
        data=json.dumps(deauthorization(connection.zoom_user_id)),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not ZoomWebhookEvent.objects.exists()


def test_an_event_we_do_not_handle_is_acknowledged_and_not_stored(client, settings, db):
    """Zoom counts any answer but 2xx as a failure, retries, and stops sending the event after
    its retries (https://developers.zoom.us/docs/api/webhooks/#webhook-retries)."""
    response = post(client, settings, {"event": "recording.completed", "payload": {"object": {}}})
    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    assert not ZoomWebhookEvent.objects.exists()


def test_without_a_configured_secret_every_delivery_is_refused(client, settings, connection):
    payload = deauthorization(connection.zoom_user_id)
    body = json.dumps(payload).encode()
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = ""
    timestamp = str(int(time.time()))
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={
            "x-zm-signature": signature_for("", timestamp, body),
            "x-zm-request-timestamp": timestamp,
        },
    )
    assert response.status_code == 503
    assert not ZoomWebhookEvent.objects.exists()


def test_the_endpoint_only_takes_post(client, db):
    assert client.get(URL).status_code == 405


def test_meeting_event_for_a_meeting_that_is_not_ours_is_ignored(client, settings, db):
    post(
        client,
        settings,
        {"event": "meeting.deleted", "payload": {"object": {"id": 98765432101}}},
    )
    process_webhook_event(ZoomWebhookEvent.objects.get().pk)
    delivery = ZoomWebhookEvent.objects.get()
    assert delivery.outcome == ZoomWebhookEvent.Outcome.IGNORED


def test_sweeper_enqueues_deliveries_whose_task_was_lost(client, settings, connection):
    post(client, settings, deauthorization(connection.zoom_user_id))
    assert sweep_zoom_webhooks() == 0, "fresh deliveries are left to their own task"
    ZoomWebhookEvent.objects.update(received_at="2020-01-01T00:00:00Z")
    assert sweep_zoom_webhooks() == 1
