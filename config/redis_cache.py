"""Django's Redis cache with one Redis client per connection pool, not one per operation.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every get, set and incr,
and each one sets up some 170 response callbacks: the rate limits and Zoom allowances read on a
booking's path pay for that on every call. A client only borrows a connection from its pool per
command, and redis-py documents it as safe to share between threads, so one per pool is kept.
Settings use it wherever CACHE_URL is a Redis URL.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
