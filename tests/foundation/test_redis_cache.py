"""The production cache on Redis (config/redis_cache.py): one Redis client per connection pool,
shared by every thread, counting exactly under concurrent use."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

REDIS_CACHE_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/8")


@pytest.fixture
def redis_cache(settings):
    # A prefix of its own: other runs may share the Redis database, and nothing is flushed.
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": f"redis-cache-{uuid.uuid4().hex}",
        }
    }
    return caches["default"]


def test_every_operation_borrows_the_same_client(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


def test_threads_sharing_the_client_count_exactly(redis_cache):
    redis_cache.set("hits", 0)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: redis_cache.incr("hits"), range(200)))
    assert redis_cache.get("hits") == 200
    redis_cache.set_many({"a": 1, "b": "two"})
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": 1, "b": "two"}
