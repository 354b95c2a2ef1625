"""The sandbox's own pages: dashboard, admin approval, knobs, meetings, webhooks, calls."""

import json

import pytest
import requests


@pytest.fixture
def browser(sandbox):
    session = requests.Session()
    session.get(f"{sandbox.url}/knobs", timeout=10)  # a page with a form sets the CSRF cookie
    return session


def _post(browser, url, **data):
    data["csrfmiddlewaretoken"] = browser.cookies["zoom_sandbox_csrftoken"]
    return browser.post(url, data=data, timeout=10)


@pytest.mark.parametrize(
    "path",
    ["/", "/meetings", "/webhooks", "/knobs", "/calls", "/marketplace/app", "/marketplace/manage"],
)
def test_every_sandbox_page_renders_and_says_it_is_the_sandbox(sandbox, browser, path):
    page = browser.get(f"{sandbox.url}{path}", timeout=10)
    assert page.status_code == 200
    assert "Zoom sandbox" in page.text


def test_the_admin_page_approves_all_users(zoom, browser):
    account = zoom.sandbox.create_user("admin@acme.example", requires_preapproval=True)
    account_id = account["account_id"]
    _post(browser, f"{zoom.sandbox.url}/admin/accounts/{account_id}/action", action="approve")
    assert (
        "approved for all users"
        in browser.get(f"{zoom.sandbox.url}/admin/accounts/{account_id}", timeout=10).text
    )
    assert "code=" in zoom.sandbox.consent(zoom.authorize_url(), "admin@acme.example")


def test_the_admin_page_approves_one_user_and_withdraws(zoom, browser):
    account_id = zoom.sandbox.create_user("a@acme.example", requires_preapproval=True)["account_id"]
    url = f"{zoom.sandbox.url}/admin/accounts/{account_id}/action"
    _post(browser, url, action="approve", email="a@acme.example")
    tokens = zoom.connect("a@acme.example")
    _post(browser, url, action="withdraw", email="a@acme.example")
    assert zoom.api("GET", "/users/me", tokens["access_token"]).json()["code"] == 4738


def test_the_knobs_page_sets_knobs_and_failures(zoom, browser):
    url = f"{zoom.sandbox.url}/knobs"
    _post(
        browser,
        url,
        latency_ms="5",
        access_token_lifetime="60",
        daily_meeting_limit="7",
        qps_limit="9",
        granted_scopes="user:read",
    )
    knobs = zoom.sandbox.knobs()
    assert knobs["daily_meeting_limit"] == 7 and knobs["granted_scopes"] == "user:read"
    assert knobs["retry_after_header"] is False
    _post(browser, url, action="fail", path_contains="/v2/", kind="status", status="502", count="1")
    token = zoom.connect("ann@example.com")["access_token"]
    assert zoom.api("GET", "/users/me", token).status_code == 502


def test_the_webhooks_page_triggers_url_validation(zoom, browser, webhook_receiver):
    page = _post(browser, f"{zoom.sandbox.url}/webhooks/validate")
    assert "Validation passed" in page.text


def test_join_links_open_a_sandbox_meeting_page(zoom):
    token = zoom.connect("host@example.com")["access_token"]
    meeting = zoom.create_meeting(token).json()
    page = requests.get(meeting["join_url"], timeout=10)
    assert f"Joining “{meeting['topic']}”" in page.text


def test_the_join_and_start_links_let_a_guest_wait_and_the_host_start(zoom, webhook_receiver):
    # Only the events of the meeting that happens, not the echo of its creation through the API.
    zoom.sandbox.set_knobs(webhooks_for_api_changes=False)
    token = zoom.connect("host@corp.example")["access_token"]
    meeting = zoom.create_meeting(token).json()
    guest = requests.Session()
    guest.get(meeting["join_url"], timeout=10)
    waiting = guest.post(
        meeting["join_url"],
        data={"name": "Pat", "csrfmiddlewaretoken": guest.cookies["zoom_sandbox_csrftoken"]},
        timeout=10,
    )
    assert "Please wait for the host to start this meeting" in waiting.text
    host = requests.Session()
    host.get(meeting["start_url"], timeout=10)
    started = host.post(
        meeting["start_url"],
        data={"csrfmiddlewaretoken": host.cookies["zoom_sandbox_csrftoken"]},
        timeout=10,
    )
    assert "You are in" in started.text
    states = {p["name"]: p["state"] for p in zoom.sandbox.meeting_participants(meeting["id"])}
    assert states == {"Pat": "in_meeting", "Host": "in_meeting"}
    assert [e["event"] for e in map(_json, webhook_receiver.requests)][:2] == [
        "meeting.participant_jbh_waiting",
        "meeting.started",
    ]


def test_the_meeting_page_plays_a_meeting_and_sends_its_events(zoom, browser, webhook_receiver):
    # Only the events of the meeting that happens, not the echo of its creation through the API.
    zoom.sandbox.set_knobs(webhooks_for_api_changes=False)
    token = zoom.connect("host@corp.example")["access_token"]
    meeting = zoom.create_meeting(token).json()
    url = f"{zoom.sandbox.url}/meetings/{meeting['id']}"
    _post(browser, url, action="join", name="Pat Prospect", email="")
    _post(browser, url, action="start")
    page = browser.get(url, timeout=10).text
    assert "Pat Prospect" in page and "In the meeting" in page
    guest = next(p for p in zoom.sandbox.meeting_participants(meeting["id"]) if not p["is_host"])
    _post(browser, url, action="leave", participant_id=guest["participant_id"])
    _post(browser, url, action="end")
    assert [e["event"] for e in map(_json, webhook_receiver.requests)] == [
        "meeting.participant_jbh_waiting",
        "meeting.started",
        "meeting.participant_joined",
        "meeting.participant_jbh_waiting_left",
        "meeting.participant_joined",
        "meeting.participant_left",
        "meeting.participant_left",
        "meeting.ended",
    ]
    refused = _post(browser, url, action="end")
    assert "has not started" in refused.text


def test_the_knobs_page_makes_activity_events_late_or_lost(zoom, browser):
    _post(
        browser,
        f"{zoom.sandbox.url}/knobs",
        activity_event_delay_seconds="30",
        activity_events_lost="meeting.ended meeting.participant_left",
    )
    knobs = zoom.sandbox.knobs()
    assert knobs["activity_event_delay_seconds"] == 30
    assert knobs["activity_events_lost"] == ["meeting.ended", "meeting.participant_left"]


def _json(request):
    return json.loads(request["body"])
