"""Per-host daily meeting create+update limit and the per-account per-second limit."""

import time
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


def _account_of(zoom, email="host@example.com"):
    return zoom.sandbox.user(email)["account_id"]


def _burst_until_limited(zoom, token, path, size, deadline_seconds=30):
    """Bursts of `size` parallel GETs until one is refused (a loaded machine may spread a burst
    over more than a second); the refused answer."""
    deadline = time.monotonic() + deadline_seconds
    with ThreadPoolExecutor(max_workers=size) as pool:
        while time.monotonic() < deadline:
            answers = list(pool.map(lambda _: zoom.api("GET", path, token), range(size)))
            limited = [a for a in answers if a.status_code == 429]
            if limited:
                return limited[0]
    raise AssertionError(f"no 429 for {path} in {deadline_seconds}s")


def test_a_free_account_gets_2_medium_requests_a_second_with_zoom_headers(zoom):
    token = zoom.connect("basic@example.com", user_type=1)["access_token"]
    assert zoom.sandbox.user("basic@example.com")["plan"] == "free"
    limited = _burst_until_limited(zoom, token, "/users/me/meetings", 6)
    assert limited.json()["code"] == 429
    headers = limited.headers
    assert (headers["X-RateLimit-Category"], headers["X-RateLimit-Type"]) == ("Medium", "QPS")
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("2", "0")
    assert headers["X-RateLimit-Reset"] == headers["Retry-After"]
    assert datetime.fromisoformat(headers["Retry-After"].replace("Z", "+00:00"))


def test_a_free_account_gets_4_light_requests_a_second(zoom):
    token = zoom.connect("basic@example.com", user_type=1)["access_token"]
    limited = _burst_until_limited(zoom, token, "/users/me", 10)
    assert limited.headers["X-RateLimit-Category"] == "Light"
    assert limited.headers["X-RateLimit-Limit"] == "4"


def test_a_pro_account_gets_20_medium_requests_a_second(zoom, token):
    limited = _burst_until_limited(zoom, token, "/users/me/meetings", 30)
    assert limited.headers["X-RateLimit-Category"] == "Medium"
    assert limited.headers["X-RateLimit-Limit"] == "20"


def test_a_free_account_has_a_daily_cap_per_category(zoom):
    token = zoom.connect("basic@example.com", user_type=1)["access_token"]
    zoom.sandbox.set_account_daily_usage(_account_of(zoom, "basic@example.com"), "Medium", 2000)
    refused = zoom.api("GET", "/users/me/meetings", token)
    assert refused.status_code == 429
    assert (refused.headers["X-RateLimit-Type"], refused.headers["X-RateLimit-Limit"]) == (
        "Daily-limit",
        "2000",
    )
    assert refused.headers["X-RateLimit-Category"] == "Medium"
    assert refused.headers["Retry-After"] == _next_midnight_utc()
    assert "X-RateLimit-Reset" not in refused.headers
    # Light requests have their own cap (6,000 a day).
    assert zoom.api("GET", "/users/me", token).ok
    zoom.sandbox.set_account_daily_usage(_account_of(zoom, "basic@example.com"), "Light", 6000)
    refused = zoom.api("GET", "/users/me", token)
    assert (refused.status_code, refused.headers["X-RateLimit-Limit"]) == (429, "6000")


def test_a_paid_account_has_no_daily_cap(zoom, token):
    zoom.sandbox.set_account_daily_usage(_account_of(zoom), "Medium", 1_000_000)
    assert zoom.api("GET", "/users/me/meetings", token).ok


def test_a_set_qps_limit_replaces_the_plans_limits(zoom):
    token = zoom.connect("basic@example.com", user_type=1)["access_token"]
    zoom.sandbox.set_knobs(qps_limit=50)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: zoom.api("GET", "/users/me/meetings", token), range(6)))
    assert all(a.ok for a in answers)
