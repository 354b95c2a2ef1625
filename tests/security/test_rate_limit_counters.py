"""The limit counters on each cache production may use: Redis counts with one atomic script, the
file cache under a lock. Either way a refused request counts nothing and concurrent requests
never get more than the limit."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from config import rate_limits
from config.rate_limits import Limit, Rate

REDIS_CACHE_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/8")


@pytest.fixture(params=["redis", "file"])
def shared_cache(request, settings, tmp_path):
    if request.param == "redis":
        # A prefix of its own: other runs may share the Redis database, and nothing is flushed.
        settings.CACHES = {
            "default": {
                "BACKEND": "config.redis_cache.RedisCache",
                "LOCATION": REDIS_CACHE_URL,
                "KEY_PREFIX": f"counters-{uuid.uuid4().hex}",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    return request.param


def test_concurrent_requests_get_exactly_the_limit(shared_cache):
    rates = [Rate(20, 3600), Rate(1000, 86400)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: rate_limits.consume("t", "rep", rates), range(50)))

    assert answers.count(None) == 20
    assert all(0 < wait <= 3600 for wait in answers if wait is not None)
    assert rate_limits.used("t", "rep", rates[0]) == 20
    # The refused 30 counted nothing in the larger window either.
    assert rate_limits.used("t", "rep", rates[1]) == 20


def test_a_spent_second_window_refuses_and_leaves_the_first_alone(shared_cache):
    rates = [Rate(10, 60), Rate(2, 86400)]
    assert rate_limits.consume("t", "guest", rates) is None
    assert rate_limits.consume("t", "guest", rates) is None

    wait = rate_limits.consume("t", "guest", rates)

    assert wait is not None and 60 < wait <= 86400  # the day's window is the spent one
    assert rate_limits.used("t", "guest", rates[0]) == 2
    assert rate_limits.consume("t", "other guest", rates) is None


def test_add_counts_past_the_limit_and_returns_the_new_count(shared_cache):
    rate = Rate(3, 86400)
    assert rate_limits.add("t", "writes", [rate]) == 1
    assert rate_limits.add("t", "writes", [rate], amount=5) == 6

    assert rate_limits.used("t", "writes", rate) == 6
    assert rate_limits.consume("t", "writes", [rate]) is not None


def test_several_limits_count_all_or_nothing(shared_cache):
    address = Limit("addr", "198.51.100.7", [Rate(5, 60)])
    email = Limit("email", "guest@example.org", [Rate(1, 3600)])
    assert rate_limits.consume_all([address, email]) is None

    index, wait = rate_limits.consume_all([address, email])

    assert index == 1 and 0 < wait <= 3600  # the email's limit is spent
    assert rate_limits.used("addr", "198.51.100.7", Rate(5, 60)) == 1  # the refusal counted none
    assert (
        rate_limits.consume_all([address, Limit("email", "other@example.org", [Rate(1, 3600)])])
        is None
    )
    assert rate_limits.used("addr", "198.51.100.7", Rate(5, 60)) == 2


def test_a_ceiling_reads_another_counter_and_counts_nothing(shared_cache):
    """A host's Zoom writes, counted elsewhere, cap the public's bookings in the same round trip."""
    writes = Rate(10**9, 86400)
    ceiling = Limit("writes", "host", [writes], at_most=2)
    booking = Limit("book", "host", [Rate(10, 86400)])
    rate_limits.add("writes", "host", [writes])
    assert rate_limits.consume_all([ceiling, booking]) is None  # 1 write, below 2
    assert rate_limits.used("writes", "host", writes) == 1  # the ceiling counted nothing
    assert rate_limits.used("book", "host", Rate(10, 86400)) == 1

    rate_limits.add("writes", "host", [writes])
    index, wait = rate_limits.consume_all([ceiling, booking])

    assert index == 0 and 0 < wait <= 86400  # 2 writes reach the ceiling
    assert rate_limits.used("book", "host", Rate(10, 86400)) == 1  # the refusal counted none
    rate_limits.give_back([ceiling, booking])
    assert rate_limits.used("writes", "host", writes) == 2  # nothing given back to the ceiling
    assert rate_limits.used("book", "host", Rate(10, 86400)) == 0


def test_no_rates_mean_no_limit(shared_cache):
    assert rate_limits.consume("t", "free", rate_limits.parse_rates("")) is None
    assert rate_limits.add("t", "free", []) == 0
