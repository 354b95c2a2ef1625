"""Many clients booking at once against the live server (loopback only, a bounded number of
requests): the limits hold exactly when the counters live in Redis, as in production."""

import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from meetings.models import Booking
from tests.meetings.factories import MeetingTypeFactory
from tests.security.booking_steps import confirm_url, slot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_CACHE_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/8")
ADDRESSES = 8
TRIES_PER_ADDRESS = 8
PER_ADDRESS = 3
THREADS = 16
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def redis_cache(settings):
    # A prefix of its own: helpers' runs may share the Redis database, and nothing is flushed.
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": f"load-{uuid.uuid4().hex}",
        }
    }
    return settings


def test_limits_hold_with_many_clients_booking_at_once(live_server, redis_cache):
    redis_cache.TRUSTED_PROXY_COUNT = 1
    redis_cache.RATE_LIMIT_BOOKINGS_PER_ADDRESS = f"{PER_ADDRESS}/d"
    redis_cache.RATE_LIMIT_BOOKINGS_PER_EMAIL = "1000/d"
    redis_cache.RATE_LIMIT_BOOKINGS_PER_REP = "1000/d"
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    url = live_server.url + confirm_url(meeting_type)

    def attempt(n: int) -> int:
        address = {"X-Forwarded-For": f"198.51.100.{n % ADDRESSES}"}
        with requests.Session() as session:
            start = slot(n).isoformat()
            page = session.get(url, params={"start": start}, headers=address, timeout=30)
            token = _TOKEN.search(page.text)[1]
            answer = session.post(
                url + f"?start={start}",
                data={
                    "csrfmiddlewaretoken": token,
                    "name": f"Load {n}",
                    "email": f"load{n}@example.org",
                    "start": start,
                    "time_zone": "UTC",
                },
                headers={**address, "Referer": url},
                allow_redirects=False,
                timeout=30,
            )
            return answer.status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(attempt, range(ADDRESSES * TRIES_PER_ADDRESS)))

    assert answers.count(302) == ADDRESSES * PER_ADDRESS
    assert answers.count(429) == ADDRESSES * (TRIES_PER_ADDRESS - PER_ADDRESS)
    assert Booking.objects.count() == ADDRESSES * PER_ADDRESS
