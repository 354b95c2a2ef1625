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

- With acks_late every delivery is recorded as unacknowledged (a sorted set of delivery times and
  a hash of the messages, so a worker that dies mid-task has its message restored after the
  visibility timeout) and struck off at its acknowledgement. kombu does each as a MULTI/EXEC
  pipeline: four commands and four replies to parse, twice per message, on the consumer's event
  loop and under the pool threads' GIL. Here each is one server-side script, the same two writes
  just as atomic: one command, one reply.

Every redis:// and rediss:// broker URL gets it (`config.celery` names it for those schemes):
kombu picks a transport by the URL's scheme, so a URL changed at run time still gets the right
one.
"""

from contextlib import contextmanager
from functools import cached_property
from time import time

import redis
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from kombu.utils.json import dumps

# How long a thread waits for a connection of the channel's pool before giving up (seconds).
POOL_WAIT = 10


# KEYS: the unacked index (delivery times), the unacked hash (messages).
_RECORD_UNACKED = """
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
"""
_STRIKE_UNACKED = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
"""


class QoS(kombu_redis.QoS):
    def append(self, message, delivery_tag):
        delivery = message.delivery_info
        raw = dumps([message._raw, delivery["exchange"], delivery["routing_key"]])
        self.channel.record_unacked(keys=self._keys, args=(time(), delivery_tag, raw))
        virtual.QoS.append(self, message, delivery_tag)  # what the channel holds, in memory

    def ack(self, delivery_tag):
        self.channel.strike_unacked(keys=self._keys, args=(delivery_tag,))
        virtual.QoS.ack(self, delivery_tag)

    @cached_property
    def _keys(self):
        # kombu's prefixing client (global_keyprefix) prefixes only a script's first key.
        return (self.unacked_index_key, self.channel.global_keyprefix + self.unacked_key)


class Channel(kombu_redis.Channel):
    QoS = QoS

    @cached_property
    def _shared_client(self):
        return self._create_client()

    @cached_property
    def record_unacked(self):
        return self._shared_client.register_script(_RECORD_UNACKED)

    @cached_property
    def strike_unacked(self):
        return self._shared_client.register_script(_STRIKE_UNACKED)

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
