"""Pacing calls per Zoom account: a token bucket shared by every process, in Redis (real, the
test broker's database) or, for the demo without Redis, in a locked file."""

import multiprocessing
import threading
import time
import uuid
from datetime import timedelta

import pytest
import responses
from django.conf import settings as django_settings
from django.utils import timezone

from integrations.zoom.api import account_pace, pacing
from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import ZoomRateLimited
from integrations.zoom.api.pacing import FileStore, Limiter, PacingDelay, RedisStore, store_for

API = "https://api.zoom.test/v2"
ME_URL = f"{API}/users/me"


def redis_store():
    return RedisStore(django_settings.CELERY_BROKER_URL)


@pytest.fixture(params=["redis", "file"])
def store_url(request, tmp_path):
    if request.param == "redis":
        return django_settings.CELERY_BROKER_URL
    return f"file://{tmp_path / 'pacing'}"


def _take(url: str, key: str, rate: float, count: int, results) -> None:
    limiter = Limiter(store_for(url), rate=rate, max_wait=30)
    for _ in range(count):
        # The slot the limiter gave (when this caller was due), not when a loaded machine
        # happened to wake it up.
        before = time.time()
        results.put(before + limiter.acquire(key))


def grants_from_processes(url: str, *, processes: int, each: int, rate: float) -> list[float]:
    key = f"account-{uuid.uuid4().hex}"
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(target=_take, args=(url, key, rate, each, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    times = sorted(results.get(timeout=60) for _ in range(processes * each))
    for worker in workers:
        worker.join(timeout=10)
    return times


def most_in_one_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_processes_sharing_an_account_never_exceed_its_rate_together(store_url):
    times = grants_from_processes(store_url, processes=4, each=10, rate=20)

    # 40 calls at 20/s: one slot every 50 ms, whoever asks.
    assert most_in_one_second(times) <= 22
    assert times[-1] - times[0] >= 39 / 20 - 0.15
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert sorted(gaps)[len(gaps) // 2] >= 0.03


def test_a_burst_is_queued_briefly_not_refused(store_url):
    limiter = Limiter(store_for(store_url), rate=50, max_wait=5)
    key = uuid.uuid4().hex
    started = time.monotonic()

    waits = [limiter.acquire(key) for _ in range(10)]

    # Every caller got a slot; the slots were 20 ms apart (a loaded machine only sleeps longer).
    assert waits[0] == 0
    assert time.monotonic() - started >= 9 / 50 - 0.01


def test_a_slot_further_than_the_caller_may_wait_is_refused_and_not_taken(store_url):
    limiter = Limiter(store_for(store_url), rate=1, max_wait=0.2)
    key = uuid.uuid4().hex
    limiter.acquire(key)

    with pytest.raises(PacingDelay) as first:
        limiter.acquire(key)
    with pytest.raises(PacingDelay) as second:
        limiter.acquire(key)

    # Refusals reserve nothing: the second refused caller is no further back than the first.
    assert 0.8 < first.value.wait <= 1.0
    assert second.value.wait <= first.value.wait


def test_accounts_do_not_wait_for_each_other(store_url):
    limiter = Limiter(store_for(store_url), rate=1, max_wait=0.2)
    limiter.acquire("account-a-" + uuid.uuid4().hex)

    assert limiter.acquire("account-b-" + uuid.uuid4().hex) == 0


def test_a_hold_makes_every_caller_wait_until_it_ends(store_url):
    limiter = Limiter(store_for(store_url), rate=100, max_wait=5)
    key = uuid.uuid4().hex
    limiter.hold(key, 0.5)

    first = limiter.acquire(key)
    second = limiter.acquire(key)

    assert 0.3 < first <= 0.5
    # After the hold, callers resume one slot apart, not all at once.
    assert second == pytest.approx(0.01, abs=0.05)


def test_a_hold_naming_a_slower_rate_paces_every_process_at_it(store_url):
    # Two processes' limiters for one account, each still at the fast rate it had cached.
    learned_here = Limiter(store_for(store_url), rate=100, max_wait=0.2)
    elsewhere = Limiter(store_for(store_url), rate=100, max_wait=0.2)
    key = uuid.uuid4().hex

    learned_here.hold(key, 0, rate=2)
    elsewhere.acquire(key)
    with pytest.raises(PacingDelay) as refused:
        elsewhere.acquire(key)

    # The next slot is half a second away (2/s), not 10 ms (100/s).
    assert 0.4 < refused.value.wait <= 0.5


def test_the_redis_state_expires_when_idle():
    store = redis_store()
    key = "expiry-" + uuid.uuid4().hex
    Limiter(store, rate=10, prefix="").acquire(key)

    ttl = store.redis.pttl(key)

    assert 0 < ttl <= 1200


def test_the_file_store_survives_a_garbled_state(tmp_path):
    store = FileStore(tmp_path)
    limiter = Limiter(store, rate=10)
    limiter.acquire("a")
    for path in tmp_path.iterdir():
        path.write_text("")

    assert limiter.acquire("a") == 0


def test_an_unknown_store_url_is_refused_clearly():
    with pytest.raises(ValueError, match="ZOOM_PACING_URL"):
        store_for("memcached://localhost")


def test_the_demo_without_redis_paces_in_a_file(settings, tmp_path):
    settings.ZOOM_PACING_URL = f"file://{tmp_path}"
    assert isinstance(pacing.account_limiter().store, FileStore)
    settings.ZOOM_PACING_URL = django_settings.CELERY_BROKER_URL
    assert isinstance(pacing.account_limiter().store, RedisStore)


# The client paces its REST calls -------------------------------------------------------------


@pytest.fixture
def paced_client(settings, db):
    """A client of a Zoom account of its own; its pace is read from (and learned into) the
    database (`account_pace`)."""
    settings.ZOOM_OAUTH_BASE_URL = "https://zoom.test"
    settings.ZOOM_API_BASE_URL = API
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 2
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 0.2
    return ZoomClient(account_id="acct-" + uuid.uuid4().hex)


def test_a_call_whose_turn_is_too_far_is_not_sent_and_says_when_to_retry(paced_client):
    with responses.RequestsMock() as zoom:
        zoom.get(ME_URL, json={"id": "u1"})
        paced_client.get_me("token")
        before = timezone.now()

        with pytest.raises(ZoomRateLimited) as raised:
            paced_client.get_me("token")

        assert len(zoom.calls) == 1
    assert not raised.value.daily
    assert before + timedelta(seconds=0.2) < raised.value.retry_at
    assert raised.value.retry_at <= before + timedelta(seconds=0.6)


def test_a_per_second_429_holds_the_whole_account_until_retry_after(paced_client, settings):
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 1000
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 10
    retry_at = timezone.now() + timedelta(seconds=2)
    with responses.RequestsMock() as zoom:
        zoom.get(
            ME_URL,
            status=429,
            json={"code": 429, "message": "Too many requests"},
            headers={
                "X-RateLimit-Type": "QPS",
                "Retry-After": retry_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        )
        with pytest.raises(ZoomRateLimited):
            paced_client.get_me("token")

    other_worker = Limiter(redis_store(), rate=1000)
    with pytest.raises(PacingDelay) as raised:
        other_worker.acquire(paced_client.account_id, max_wait=0)
    assert 0.5 < raised.value.wait <= 2.1


def test_a_hosts_daily_429_does_not_hold_the_account(paced_client, settings):
    """The host's allowance of meeting writes is theirs: colleagues on the account go on."""
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 1000
    with responses.RequestsMock() as zoom:
        zoom.get(
            ME_URL,
            status=429,
            json={
                "code": 429,
                "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update "
                "API requests permitted for this particular user.",
            },
            headers={"X-RateLimit-Type": "Daily-limit"},
        )
        with pytest.raises(ZoomRateLimited):
            paced_client.get_me("token")

    assert Limiter(redis_store(), rate=1000).acquire(paced_client.account_id, max_wait=0.01) < 0.01


class _Slots:
    """A store that grants the waits it is given, counting reservations; `held` says, per
    reservation, whether a hold came while its caller slept."""

    def __init__(self, *waits: float, held: tuple[bool, ...] = ()):
        self.waits = list(waits)
        self.held = list(held)
        self.reserved = 0

    def reserve(self, key, interval, tolerance, max_wait):
        self.reserved += 1
        return True, self.waits.pop(0), float(self.reserved)

    def held_since(self, key, stamp):
        return self.held.pop(0) if self.held else False


def _oversleeping(late_by: list[float]):
    """A clock and a sleep that wakes `late_by[i]` seconds after the i-th wait (a starved
    process)."""
    now = [100.0]

    def sleep(seconds):
        now[0] += seconds + late_by.pop(0)

    return (lambda: now[0]), sleep


def test_a_caller_woken_more_than_a_slot_late_takes_the_next_free_slot():
    # At 10/s a slot is 100 ms: woken 150 ms late, the caller would arrive with the next one.
    clock, sleep = _oversleeping([0.15, 0.0])
    slots = _Slots(0.1, 0.3)
    limiter = Limiter(slots, rate=10, clock=clock, sleep=sleep)

    waited = limiter.acquire("account")

    assert slots.reserved == 2
    assert waited == pytest.approx(0.1 + 0.15 + 0.3)


def test_at_a_slow_pace_a_caller_woken_a_tenth_of_a_slot_late_takes_the_next_slot():
    # A Free account paced at 1.8/s: its slots are 556 ms apart, 111 ms over two under Zoom's
    # 2/s; woken 100 ms late, the caller would arrive within a second of the two after it.
    clock, sleep = _oversleeping([0.1, 0.0])
    slots = _Slots(0.2, 0.5)

    Limiter(slots, rate=1.8, clock=clock, sleep=sleep).acquire("account")

    assert slots.reserved == 2


def test_a_caller_woken_a_little_late_keeps_its_slot_and_gives_up_one_only_once():
    clock, sleep = _oversleeping([0.05])
    slots = _Slots(0.2)
    assert Limiter(slots, rate=10, clock=clock, sleep=sleep).acquire("account") == 0.2
    assert slots.reserved == 1

    clock, sleep = _oversleeping([0.5, 0.5])
    slots = _Slots(0.2, 0.2)
    Limiter(slots, rate=10, clock=clock, sleep=sleep).acquire("account")
    assert slots.reserved == 2  # a caller starved twice sends rather than queue forever


def test_a_caller_asleep_on_its_slot_when_a_hold_comes_takes_a_slot_after_it(store_url):
    # Slots were given at 10/s; while their callers sleep, Zoom's 429 holds the account for
    # 0.4 s at 2/s. Every sleeper goes after the hold, half a second apart, not at its old slot.
    key = uuid.uuid4().hex
    limiter = Limiter(store_for(store_url), rate=10, max_wait=5)
    limiter.acquire(key)
    sent = []

    def call():
        limiter.acquire(key)
        sent.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)  # each has its slot (0.1, 0.2 and 0.3 s away) and sleeps on it
    held_at = time.monotonic()
    limiter.hold(key, 0.4, rate=2)
    for thread in threads:
        thread.join(timeout=10)

    sent.sort()
    assert len(sent) == 3
    assert sent[0] - held_at >= 0.39
    assert all(b - a >= 0.45 for a, b in zip(sent, sent[1:], strict=False))


def test_a_caller_meeting_hold_after_hold_stops_waiting_here_and_retries_later():
    clock, sleep = _oversleeping([0.0] * 4)
    slots = _Slots(0.1, 0.1, 0.1, 0.1, held=(True, True, True, True))

    with pytest.raises(PacingDelay):
        Limiter(slots, rate=10, clock=clock, sleep=sleep).acquire("account")
    assert slots.reserved == pacing.HOLDS_FOLLOWED + 1


def _qps_429(zoom, **headers):
    zoom.get(
        ME_URL,
        status=429,
        json={"code": 429, "message": "You have reached the maximum per-second rate limit"},
        headers={"X-RateLimit-Type": "QPS", **headers},
    )


def test_a_429_naming_the_limit_paces_that_account_just_under_it(paced_client, settings):
    """A Free account's Medium limit is 2 a second, far under the default pace."""
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 18
    with responses.RequestsMock() as zoom:
        _qps_429(zoom, **{"X-RateLimit-Limit": "2", "X-RateLimit-Category": "Medium"})
        with pytest.raises(ZoomRateLimited):
            paced_client.get_me("token")

    pace = account_pace.ZoomAccountPace.objects.get(zoom_account_id=paced_client.account_id)
    assert pace.learned_rate == pytest.approx(1.8)
    assert (pace.learned_limit, pace.learned_category) == (2, "Medium")
    assert account_pace.rate_for(paced_client.account_id) == pytest.approx(1.8)
    assert account_pace.rate_for("another-account") == 18  # remembered per account


def test_a_429_without_a_limit_halves_the_pace_and_never_speeds_it_up(paced_client, settings):
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 10
    with responses.RequestsMock() as zoom:
        _qps_429(zoom)
        with pytest.raises(ZoomRateLimited):
            paced_client.get_me("token")
    assert account_pace.rate_for(paced_client.account_id) == pytest.approx(5)
    assert account_pace.learn_from_429(paced_client.account_id, limit=None) == pytest.approx(2.5)
    assert account_pace.learn_from_429(paced_client.account_id, limit=100) == pytest.approx(2.5)


def test_an_admins_rate_wins_over_the_learned_one(paced_client, settings):
    account_pace.learn_from_429(paced_client.account_id, limit=2)
    pace = account_pace.ZoomAccountPace.objects.get(zoom_account_id=paced_client.account_id)
    pace.admin_rate = 55
    pace.save()
    account_pace.forget_cached(paced_client.account_id)
    assert account_pace.rate_for(paced_client.account_id) == 55


def test_x_ratelimit_reset_is_honoured_when_it_is_later_than_retry_after(paced_client, settings):
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 10
    now = timezone.now()
    reset = int((now + timedelta(seconds=4)).timestamp())
    with responses.RequestsMock() as zoom:
        _qps_429(
            zoom,
            **{
                "Retry-After": (now + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "X-RateLimit-Reset": str(reset),
            },
        )
        with pytest.raises(ZoomRateLimited) as raised:
            paced_client.get_me("token")
    assert int(raised.value.retry_at.timestamp()) == reset
