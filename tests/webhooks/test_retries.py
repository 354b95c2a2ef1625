"""Zoom's retries are accepted whatever Zoom does with their timestamp; replays stay refused."""

import json
import time

import pytest

from integrations.zoom.webhooks.envelope import (
    MAX_AGE_SECONDS,
    WebhookRejected,
    signature_for,
    verify,
)
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from tests.integrations.factories import ZoomConnectionFactory

URL = "/integrations/zoom/webhook/"
SECRET = "s3cret"


def signed(body: bytes, timestamp: int) -> dict:
    ts = str(timestamp)
    return {"timestamp": ts, "signature": signature_for(SECRET, ts, body)}


BODY = json.dumps({"event": "meeting.deleted", "payload": {"object": {"id": 1}}}).encode()


@pytest.mark.parametrize("minutes_late", [5, 25, 85])
def test_a_retry_keeping_the_first_timestamp_is_accepted(minutes_late):
    sent = int(time.time()) - minutes_late * 60
    assert verify(secret=SECRET, body=BODY, **signed(BODY, sent)).name == "meeting.deleted"


def test_a_delivery_older_than_every_retry_is_refused():
    sent = int(time.time()) - MAX_AGE_SECONDS - 60
    with pytest.raises(WebhookRejected) as caught:
        verify(secret=SECRET, body=BODY, **signed(BODY, sent))
    assert caught.value.status == 401


def test_a_timestamp_far_in_the_future_is_refused():
    with pytest.raises(WebhookRejected):
        verify(secret=SECRET, body=BODY, **signed(BODY, int(time.time()) + 3600))


def test_a_replay_inside_the_window_is_acknowledged_and_never_applied_twice(client, settings, db):
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = SECRET
    connection = ZoomConnectionFactory()
    body = json.dumps(
        {
            "event": "app_deauthorized",
            "event_ts": 1,
            "payload": {"user_id": connection.zoom_user_id, "client_id": "test-client-id"},
        }
    ).encode()
    headers = signed(body, int(time.time()) - 60 * 60)
    send = lambda: client.post(  # noqa: E731
        URL,
        data=body,
        content_type="application/json",
        headers={
            "x-zm-signature": headers["signature"],
            "x-zm-request-timestamp": headers["timestamp"],
        },
    )
    assert send().json() == {"status": "accepted"}
    assert send().json() == {"status": "duplicate"}
    assert ZoomWebhookEvent.objects.count() == 1
