"""Webhooks the sandbox sends: app_deauthorized, meeting.updated/deleted, URL validation."""

import hashlib
import hmac
import json
import time
from datetime import datetime

import requests


def _valid_signature(request, secret):
    timestamp = request["headers"]["x-zm-request-timestamp"]
    message = b"v0:" + timestamp.encode() + b":" + request["body"]
    expected = "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return request["headers"]["x-zm-signature"] == expected


def test_uninstall_sends_a_signed_app_deauthorized(zoom, webhook_receiver):
    zoom.connect("ann@example.com")
    user = zoom.sandbox.user("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    assert delivery["status"] == 200
    [request] = webhook_receiver.requests
    assert _valid_signature(request, webhook_receiver.secret)
    event = json.loads(request["body"])
    assert event["event"] == "app_deauthorized"
    payload = event["payload"]
    assert payload["account_id"] == user["account_id"]
    assert payload["user_id"] == user["id"]
    assert payload["client_id"] == zoom.client_id
    assert payload["deauthorization_time"].endswith("Z")


def test_uninstall_revokes_the_users_tokens(zoom, webhook_receiver):
    tokens = zoom.connect("ann@example.com")
    zoom.sandbox.uninstall("ann@example.com")
    assert zoom.api("GET", "/users/me", tokens["access_token"]).status_code == 401
    assert zoom.refresh(tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_the_uninstall_page_removes_the_app(zoom, webhook_receiver):
    zoom.connect("ann@example.com")
    browser = requests.Session()
    browser.get(f"{zoom.sandbox.url}/marketplace/manage", timeout=10)
    csrf = browser.cookies["zoom_sandbox_csrftoken"]
    zoom.sign_in(browser, "ann@example.com", "/marketplace/manage")
    page = browser.get(f"{zoom.sandbox.url}/marketplace/manage", timeout=10)
    assert "Remove" in page.text
    removed = browser.post(
        f"{zoom.sandbox.url}/marketplace/manage/{zoom.client_id}/remove",
        data={"csrfmiddlewaretoken": csrf},
        timeout=10,
    )
    assert "was removed" in removed.text
    assert webhook_receiver.events("app_deauthorized")


def test_editing_a_meeting_in_zoom_sends_meeting_updated(zoom, webhook_receiver):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    result = zoom.sandbox.update_meeting_in_zoom(meeting["id"], topic="Moved", duration=60)
    assert [d["status"] for d in result["deliveries"]] == [200]
    [event] = webhook_receiver.events("meeting.updated")
    assert _valid_signature(webhook_receiver.requests[-1], webhook_receiver.secret)
    assert event["payload"]["object"] == {
        "id": meeting["id"],
        "uuid": meeting["uuid"],
        "topic": "Moved",
        "duration": 60,
    }
    assert event["payload"]["old_object"]["topic"] == "Intro call"
    assert event["payload"]["operator"] == "host@example.com"


def test_deleting_a_meeting_in_zoom_sends_meeting_deleted(zoom, webhook_receiver):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    zoom.sandbox.delete_meeting_in_zoom(meeting["id"])
    [event] = webhook_receiver.events("meeting.deleted")
    assert event["payload"]["object"]["id"] == meeting["id"]
    assert zoom.api("GET", f"/meetings/{meeting['id']}", token).status_code == 404


def test_the_meeting_page_edit_sends_meeting_updated(zoom, webhook_receiver):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    browser = requests.Session()
    url = f"{zoom.sandbox.url}/meetings/{meeting['id']}"
    browser.get(url, timeout=10)
    browser.post(
        url,
        data={
            "csrfmiddlewaretoken": browser.cookies["zoom_sandbox_csrftoken"],
            "action": "save",
            "topic": "Renamed",
            "start_time": meeting["start_time"],
            "duration": "30",
            "agenda": "",
        },
        timeout=10,
    )
    [event] = webhook_receiver.events("meeting.updated")
    assert event["payload"]["object"]["topic"] == "Renamed"


def test_api_changes_send_meeting_events_by_default_as_zoom_does(zoom, webhook_receiver):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    [created] = webhook_receiver.events("meeting.created")
    # Zoom's SDK shape (MeetingCreatedEvent): the join link and passcode, no agenda.
    assert created["payload"]["object"]["join_url"] == meeting["join_url"]
    assert "agenda" not in created["payload"]["object"]
    zoom.api("PATCH", f"/meetings/{meeting['id']}", token, json={"topic": "a"})
    assert len(webhook_receiver.events("meeting.updated")) == 1
    zoom.api("DELETE", f"/meetings/{meeting['id']}", token)
    assert len(webhook_receiver.events("meeting.deleted")) == 1
    zoom.sandbox.set_knobs(webhooks_for_api_changes=False)
    zoom.create_meeting(token, topic="quiet")
    assert len(webhook_receiver.events("meeting.created")) == 1


def test_meeting_events_go_only_to_apps_the_host_authorized(zoom, webhook_receiver):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    zoom.sandbox.uninstall("host@example.com")
    result = zoom.sandbox.update_meeting_in_zoom(meeting["id"], topic="After uninstall")
    assert result["deliveries"] == []


def test_url_validation_passes_when_the_app_answers_correctly(zoom, webhook_receiver):
    result = zoom.sandbox.trigger_url_validation()
    assert result["ok"] is True
    event = webhook_receiver.events("endpoint.url_validation")[0]
    assert event["payload"]["plainToken"] == result["plain_token"]


def test_url_validation_fails_when_the_app_answers_wrongly(zoom, webhook_receiver):
    webhook_receiver.answer_validation = False
    result = zoom.sandbox.trigger_url_validation()
    assert result["ok"] is False
    assert result["status"] == 200


def test_redelivery_sends_the_same_body_freshly_signed(zoom, webhook_receiver):
    zoom.connect("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    zoom.sandbox.redeliver(delivery["id"])
    first, second = webhook_receiver.requests
    assert first["body"] == second["body"]
    assert _valid_signature(second, webhook_receiver.secret)


def test_an_unreachable_webhook_url_is_recorded_as_an_error(zoom, settings):
    zoom.register_app(
        webhook_url="http://127.0.0.1:9/integrations/zoom/webhook/",
        webhook_secret_token="s",
    )
    zoom.connect("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    assert delivery["status"] is None
    assert delivery["error"] == "ConnectionError"


def test_uninstall_says_whether_zoom_keeps_the_users_data(zoom, webhook_receiver):
    zoom.connect("ann@example.com")
    zoom.sandbox.uninstall("ann@example.com")
    zoom.connect("ann@example.com")
    zoom.sandbox.uninstall("ann@example.com", user_data_retention=True)
    events = webhook_receiver.events("app_deauthorized")
    flags = [e["payload"]["user_data_retention"] for e in events]
    assert flags == ["false", "true"]


def test_a_delivery_answered_200_schedules_no_retry(zoom, webhook_receiver):
    zoom.connect("ann@example.com")
    assert zoom.sandbox.uninstall("ann@example.com")["next_retry_at"] is None


def test_a_failed_delivery_is_retried_at_5_25_and_85_minutes_then_dropped(zoom, webhook_receiver):
    webhook_receiver.status = 500
    zoom.connect("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    gaps = []
    for attempt in (1, 2, 3):
        sent = datetime.fromisoformat(delivery["sent_at"])
        gaps.append(round((datetime.fromisoformat(delivery["next_retry_at"]) - sent).seconds / 60))
        delivery = zoom.sandbox.retry_delivery(delivery["id"])
        assert delivery["attempt"] == attempt
    assert gaps == [5, 20, 60]
    assert delivery["next_retry_at"] is None
    bodies = {r["body"] for r in webhook_receiver.requests}
    assert len(webhook_receiver.requests) == 4 and len(bodies) == 1


def test_retries_keep_the_first_attempts_timestamp_by_default(zoom, webhook_receiver):
    webhook_receiver.status = 503
    zoom.connect("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    zoom.sandbox.retry_delivery(delivery["id"])
    first, retry = webhook_receiver.requests
    age = int(retry["headers"]["x-zm-request-timestamp"]) - int(
        first["headers"]["x-zm-request-timestamp"]
    )
    # As old as the first attempt was when Zoom sent the retry 5 minutes later.
    assert -305 <= age <= -295
    assert _valid_signature(retry, webhook_receiver.secret)


def test_retries_can_be_signed_afresh(zoom, webhook_receiver):
    zoom.sandbox.set_knobs(webhook_retry_timestamp="fresh")
    webhook_receiver.status = 503
    zoom.connect("ann@example.com")
    delivery = zoom.sandbox.uninstall("ann@example.com")
    zoom.sandbox.retry_delivery(delivery["id"], late_by_seconds=3600)
    retry = webhook_receiver.requests[1]
    assert abs(int(retry["headers"]["x-zm-request-timestamp"]) - time.time()) < 5
    assert _valid_signature(retry, webhook_receiver.secret)
