"""The Redis broker transport: one Redis client per channel, and a pool that waits for a free
connection instead of failing.

- kombu's Redis channel builds a new `redis.Redis` object for every publish, every delivery it
  records as unacknowledged and every acknowledgement (`conn_or_acquire()`), and each one sets up
  some 170 response callbacks: with acks_late, a booking's three messages cost nine of them. A
  client only borrows a connection from the channel's pool per command, and redis-py documents
  it as safe to share between threads, so the channel keeps one (pipelines, which are not
  shared, are still made per call).
- A threads-pool worker acknowledges from its pool threads, all through one channel whose pool
  holds `max_connections` (10). kombu's pool raises "Too many connections" past that: the
  acknowledgement is only logged, and the message comes back after the visibility timeout, to
  run a second time. Here an eleventh thread waits the moment it takes another to finish.

Every redis:// and rediss:// broker URL gets it (`config.celery` names it for those schemes):
kombu picks a transport by the URL's scheme, so a URL changed at run time still gets the right
one.
"""

from contextlib import contextmanager
from functools import cached_property

import redis
from kombu.transport import redis as kombu_redis

# How long a thread waits for a connection of the channel's pool before giving up (seconds).
POOL_WAIT = 10


class Channel(kombu_redis.Channel):
    @cached_property
    def _shared_client(self):
        return self._create_client()

    @contextmanager
    def conn_or_acquire(self, client=None):
        yield client or self._shared_client

    def _get_pool(self, asynchronous=False):
        pool = super()._get_pool(asynchronous)
        if asynchronous:
            return pool  # the worker's event loop: one connection, one thread
        return redis.BlockingConnectionPool(
            max_connections=pool.max_connections,
            timeout=POOL_WAIT,
            connection_class=pool.connection_class,
            **pool.connection_kwargs,
        )


class Transport(kombu_redis.Transport):
    Channel = Channel
