"""The Redis broker transport (config/redis_broker.py) on the test machine's Redis: one Redis client
per channel serves its publishes, deliveries and acknowledgements, from many threads at once, as
a threads-pool worker acknowledges."""

import secrets
import threading

import pytest
import redis
from django.conf import settings

from config.celery import app as celery_app


@pytest.fixture
def broker():
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.skip("the suite's broker is not Redis")
    with celery_app.connection_for_write(url) as connection:
        yield connection


@pytest.mark.parametrize(
    ("url", "transport"),
    [
        ("redis://127.0.0.1:6379/3", "config.redis_broker"),
        ("rediss://127.0.0.1:6380/3", "config.redis_broker"),
        ("amqp://guest:guest@127.0.0.1:5672/sched", "kombu.transport.pyamqp"),
    ],
)
def test_the_app_connects_to_a_redis_broker_through_this_transport(url, transport):
    assert celery_app.connection_for_write(url).get_transport_cls().__module__ == transport


def test_a_channel_keeps_one_client(broker):
    channel = broker.default_channel
    with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
        assert first is second
        assert isinstance(first, redis.Redis)


def test_messages_acknowledged_from_many_threads_leave_nothing_unacknowledged(broker):
    name = f"test-redis-broker-{secrets.token_hex(4)}"
    queue = broker.SimpleQueue(name)
    try:
        for number in range(40):
            queue.put({"number": number})
        messages = [queue.get(timeout=5) for _ in range(40)]
        assert sorted(m.payload["number"] for m in messages) == list(range(40))
        channel = broker.default_channel
        tags = {m.delivery_tag for m in messages}
        with channel.conn_or_acquire() as client:
            assert tags <= {t.decode() for t in client.hkeys(channel.unacked_key)}

        threads = [threading.Thread(target=m.ack) for m in messages]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        with channel.conn_or_acquire() as client:
            assert not tags & {t.decode() for t in client.hkeys(channel.unacked_key)}
            assert client.llen(name) == 0
    finally:
        queue.close()
