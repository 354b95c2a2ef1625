"""Per-host daily meeting create+update limit and the per-account per-second limit."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest


@pytest.fixture
def token(zoom):
    return zoom.connect("host@example.com")["access_token"]


def _next_midnight_utc() -> str:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    return f"{tomorrow.isoformat()}T00:00:00Z"


def test_the_101st_create_of_the_day_gets_429_with_zoom_headers(zoom, token):
    zoom.sandbox.set_daily_usage("host@example.com", 100)
    response = zoom.create_meeting(token)
    assert response.status_code == 429
    assert response.json()["code"] == 429
    assert "daily rate limit (100)" in response.json()["message"]
    assert response.headers["X-RateLimit-Type"] == "Daily-limit"
    assert response.headers["X-RateLimit-Category"] == "Light"
    assert response.headers["X-RateLimit-Limit"] == "100"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["Retry-After"] == _next_midnight_utc()


def test_creates_and_updates_both_count_against_the_daily_limit(zoom, token):
    zoom.sandbox.set_knobs(daily_meeting_limit=2)
    created = zoom.create_meeting(token)
    assert created.headers["X-RateLimit-Remaining"] == "1"
    meeting_id = created.json()["id"]
    assert zoom.api("PATCH", f"/meetings/{meeting_id}", token, json={"topic": "b"}).ok
    limited = zoom.api("PATCH", f"/meetings/{meeting_id}", token, json={"topic": "c"})
    assert limited.status_code == 429


def test_deletes_do_not_count(zoom, token):
    zoom.sandbox.set_knobs(daily_meeting_limit=1)
    meeting_id = zoom.create_meeting(token).json()["id"]
    assert zoom.api("DELETE", f"/meetings/{meeting_id}", token).status_code == 204


def test_the_limit_is_per_host(zoom, token):
    zoom.sandbox.set_daily_usage("host@example.com", 100)
    other = zoom.connect("other@example.com")["access_token"]
    assert zoom.create_meeting(other).status_code == 201


def test_retry_after_can_be_left_out_like_real_responses_sometimes(zoom, token):
    zoom.sandbox.set_knobs(retry_after_header=False)
    zoom.sandbox.set_daily_usage("host@example.com", 100)
    response = zoom.create_meeting(token)
    assert response.status_code == 429
    assert "Retry-After" not in response.headers


def test_the_per_second_account_limit_answers_429_qps(zoom, token):
    zoom.sandbox.set_knobs(qps_limit=3)
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: zoom.api("GET", "/users/me", token), range(6)))
    limited = [r for r in responses if r.status_code == 429]
    assert 3 <= len(limited) <= 5
    assert limited[0].headers["X-RateLimit-Type"] == "QPS"
    assert datetime.fromisoformat(limited[0].headers["Retry-After"].replace("Z", "+00:00"))


def test_a_per_second_limit_counts_the_calls_made_after_it_is_set(zoom, token):
    for _ in range(3):
        assert zoom.api("GET", "/users/me", token).ok
    zoom.sandbox.set_knobs(qps_limit=3)
    assert [zoom.api("GET", "/users/me", token).status_code for _ in range(3)] == [200] * 3
