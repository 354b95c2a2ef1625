"""Knobs and injected failures, set over HTTP per test, and the calls log."""

import random
import time

import pytest
import requests

from zoom_sandbox.latency import latency_seconds


@pytest.fixture
def token(zoom):
    return zoom.connect("ann@example.com")["access_token"]


def test_fail_next_answers_the_given_status_then_recovers(zoom, token):
    zoom.sandbox.fail_next("/v2/users/me", status=503, count=2)
    assert zoom.api("GET", "/users/me", token).status_code == 503
    assert zoom.api("GET", "/users/me", token).status_code == 503
    assert zoom.api("GET", "/users/me", token).status_code == 200


def test_fail_next_matches_only_its_path(zoom, token):
    zoom.sandbox.fail_next("/oauth/token", status=500)
    assert zoom.api("GET", "/users/me", token).status_code == 200


def test_fail_next_can_send_a_custom_body(zoom, token):
    zoom.sandbox.fail_next("/users/me", status=429, body='{"code": 429, "message": "Slow"}')
    response = zoom.api("GET", "/users/me", token)
    assert response.json() == {"code": 429, "message": "Slow"}


def test_non_json_failures_answer_an_html_page(zoom, token):
    zoom.sandbox.fail_next("/users/me", status=502, kind="non_json")
    response = zoom.api("GET", "/users/me", token)
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_dropped_connections_give_no_answer(zoom, token):
    zoom.sandbox.fail_next("/users/me", kind="drop")
    with pytest.raises(requests.ConnectionError):
        zoom.api("GET", "/users/me", token)
    assert zoom.api("GET", "/users/me", token).status_code == 200


def test_timeouts_keep_the_client_waiting(zoom, token):
    zoom.sandbox.set_knobs(timeout_seconds=2)
    zoom.sandbox.fail_next("/users/me", kind="timeout")
    with pytest.raises(requests.Timeout):
        zoom.api("GET", "/users/me", token, timeout=0.5)


def test_token_endpoint_failures_can_be_injected(zoom):
    zoom.sandbox.fail_next("/oauth/token", status=500)
    code = zoom.code_for("bob@example.com")
    assert zoom.exchange(code).status_code == 500
    assert zoom.exchange(code).status_code == 200


def test_latency_slows_zoom_answers(zoom, token):
    zoom.sandbox.set_knobs(latency_ms=300)
    started = time.monotonic()
    zoom.api("GET", "/users/me", token)
    assert time.monotonic() - started >= 0.3


def test_a_latency_tail_varies_zoom_answers(zoom, token):
    zoom.sandbox.set_knobs(latency_ms=20, latency_p99_ms=400)
    took = []
    for _ in range(6):
        started = time.monotonic()
        zoom.api("GET", "/users/me", token)
        took.append(time.monotonic() - started)
    # Six draws of a log-normal are never all within a millisecond of each other (σ ≈ 1.3).
    assert max(took) - min(took) > 0.001
    assert zoom.sandbox.knobs()["latency_p99_ms"] == 400


def test_the_latency_tail_is_log_normal_around_the_median_with_the_asked_p99():
    rng = random.Random(28)
    draws = sorted(latency_seconds(300, 1000, rng) for _ in range(20_000))
    assert draws[len(draws) // 2] == pytest.approx(0.300, rel=0.05)
    assert draws[int(len(draws) * 0.99)] == pytest.approx(1.000, rel=0.08)


def test_without_a_tail_every_answer_waits_the_latency():
    assert latency_seconds(300) == 0.3
    assert latency_seconds(300, 200) == 0.3
    assert latency_seconds(0, 1000) == 0.0


def test_unknown_knobs_are_refused(zoom):
    with pytest.raises(Exception, match="Unknown knobs"):
        zoom.sandbox.set_knobs(warp_speed=9)


def test_calls_log_what_the_sandbox_received(zoom, token):
    zoom.create_meeting(token)
    [call] = zoom.sandbox.calls("/meetings")
    assert call["method"] == "POST"
    assert call["path"] == "/v2/users/me/meetings"
    assert call["status"] == 201
    assert call["authorization"] == "bearer"
    assert call["user_email"] == "ann@example.com"
    assert '"topic": "Intro call"' in call["request_body"]
    [exchange] = zoom.sandbox.calls("/oauth/token")
    assert exchange["client_id"] == zoom.client_id
    assert "code_verifier=" in exchange["request_body"]


def test_injected_failures_are_marked_in_the_calls_log(zoom, token):
    zoom.sandbox.fail_next("/users/me", kind="drop")
    with pytest.raises(requests.ConnectionError):
        zoom.api("GET", "/users/me", token)
    [call] = zoom.sandbox.calls("/users/me")
    assert call["injected"] == "drop"
    assert call["status"] is None
