"""The webhook envelope on its own: signature, freshness, parsing, the validation challenge."""

import hashlib
import hmac
import json

import pytest

from integrations.zoom.webhooks.envelope import (
    MAX_AGE_SECONDS,
    WebhookRejected,
    signature_for,
    url_validation_answer,
    verify,
)

SECRET = "webhook-secret-token-abc"
NOW = 1_790_000_000
BODY = json.dumps(
    {"event": "meeting.deleted", "event_ts": NOW * 1000, "payload": {"object": {"id": 1}}}
).encode()


def signed(body=BODY, timestamp=str(NOW), secret=SECRET):
    return {
        "body": body,
        "timestamp": timestamp,
        "signature": signature_for(secret, timestamp, body),
    }


def test_signature_matches_zoom_documented_formula():
    expected = hmac.new(SECRET.encode(), b"v0:%d:" % NOW + BODY, hashlib.sha256).hexdigest()
    assert signature_for(SECRET, str(NOW), BODY) == "v0=" + expected


def test_authentic_fresh_event_is_parsed():
    event = verify(secret=SECRET, now=NOW, **signed())
    assert event.name == "meeting.deleted"
    assert event.payload == {"object": {"id": 1}}
    assert event.event_ts == NOW * 1000


def test_signature_from_another_secret_is_rejected():
    with pytest.raises(WebhookRejected) as rejected:
        verify(secret=SECRET, now=NOW, **signed(secret="someone-else"))
    assert rejected.value.status == 401


def test_a_body_changed_after_signing_is_rejected():
    request = signed()
    request["body"] = BODY.replace(b"meeting.deleted", b"app_deauthorized")
    with pytest.raises(WebhookRejected) as rejected:
        verify(secret=SECRET, now=NOW, **request)
    assert rejected.value.status == 401


@pytest.mark.parametrize("age", [MAX_AGE_SECONDS + 1, -(MAX_AGE_SECONDS + 1)])
def test_stale_or_future_timestamps_are_rejected_even_when_signed(age):
    with pytest.raises(WebhookRejected, match="stale"):
        verify(secret=SECRET, now=NOW + age, **signed())


def test_missing_headers_are_rejected():
    with pytest.raises(WebhookRejected) as rejected:
        verify(secret=SECRET, body=BODY, timestamp=None, signature=None, now=NOW)
    assert rejected.value.status == 401


def test_unconfigured_secret_refuses_everything():
    with pytest.raises(WebhookRejected) as rejected:
        verify(secret="", now=NOW, **signed())
    assert rejected.value.status == 503


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"payload": {}}', b'{"event": "x"}'])
def test_malformed_bodies_are_rejected_as_bad_requests(body):
    with pytest.raises(WebhookRejected) as rejected:
        verify(secret=SECRET, now=NOW, **signed(body=body))
    assert rejected.value.status == 400


def test_url_validation_answer_is_the_hmac_of_the_plain_token():
    body = json.dumps(
        {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}
    ).encode()
    event = verify(secret=SECRET, now=NOW, **signed(body=body))
    answer = url_validation_answer(SECRET, event)
    assert answer == {
        "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
        "encryptedToken": hmac.new(
            SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256
        ).hexdigest(),
    }


def test_retries_of_one_delivery_share_a_fingerprint():
    first = verify(secret=SECRET, now=NOW, **signed())
    retry = verify(secret=SECRET, now=NOW + 60, **signed(timestamp=str(NOW + 60)))
    other = verify(secret=SECRET, now=NOW, **signed(body=BODY.replace(b'"id": 1', b'"id": 2')))
    assert first.fingerprint == retry.fingerprint
    assert first.fingerprint != other.fingerprint
