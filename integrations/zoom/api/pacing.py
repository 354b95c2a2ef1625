"""Pacing our calls to Zoom per Zoom account, across every worker thread and process.

Zoom limits requests per second per *account*, shared by every user and every app on it (Medium
APIs such as creating a meeting: 20/s on Pro, up to 60/s on Business and above; going over answers
429 with `X-RateLimit-Type: QPS`): https://developers.zoom.us/docs/api/rest/rate-limits/
Reps who share a Zoom account (colleagues who each connected personally, or one account-level
connection serving them all) share that budget, so calls are paced per account below the limit and
a burst waits briefly here instead of meeting 429s and retrying in a storm.

The pacing is a GCRA token bucket: one "theoretical arrival time" per account. Each call reserves
the next free slot (one slot every 1/rate seconds, `burst` of them may be taken at once) and sleeps
until it comes, so waiting callers go in order and never arrive at Zoom together. The state lives
in Redis (one Lua script, Redis's clock) so every process on every host shares it; the demo, which
runs without Redis, keeps it in a file under a lock, which holds across the processes of one host.

Slots are handed out ahead of time, so when Zoom answers 429 some callers are already asleep on a
slot given at the pace Zoom just refused. The hold that follows the 429 is stamped, and a caller
who wakes to find a hold newer than its slot takes a fresh slot after the hold instead of sending.
"""

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import redis
from django.conf import settings

# The same algorithm for both stores: reserve the next slot unless it is further than `max_wait`.
_RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval, tolerance, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local slowest = tonumber(redis.call('GET', KEYS[2]) or '0')
if slowest > interval then
  tolerance = tolerance * slowest / interval
  interval = slowest
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, tostring(wait), tostring(now)} end
local ttl = math.ceil((tat + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', ttl)
return {1, tostring(wait), tostring(now)}
"""

_HOLD = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > tat then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
local interval = tonumber(ARGV[2])
if interval > 0 then
  redis.call('SET', KEYS[2], tostring(interval), 'PX', math.ceil(tonumber(ARGV[3]) * 1000))
end
local kept = math.ceil((tonumber(ARGV[1]) + tonumber(ARGV[3])) * 1000)
redis.call('SET', KEYS[3], tostring(now), 'PX', kept)
return 1
"""


class PacingDelay(Exception):
    """The next free slot is further away than the caller may wait: try again after `wait`."""

    def __init__(self, wait: float):
        super().__init__(f"Paced: the next free slot is {wait:.1f} s away.")
        self.wait = wait


# A hold may name the account's slower pace (Zoom's 429 named its limit): every process paces at
# it for this long, however long its own copy of the account's rate is still cached
# (account_pace.CACHE_SECONDS).
SLOWEST_KEPT_SECONDS = 60.0


# How late a woken caller may still go at its slot: a share of the interval between slots, but
# never less than a sleep's ordinary overshoot, nor more than a slot.
LATE_SHARE = 0.1
LATE_ALWAYS_OK = 0.05


# A caller sleeping on its slot looks for a newer hold at most this many times before it gives up
# waiting here (PacingDelay) instead of queueing behind 429 after 429.
HOLDS_FOLLOWED = 3


def _slowest_key(key: str) -> str:
    return key + ":slowest"


def _held_key(key: str) -> str:
    return key + ":held"


def _reserve(tat: float, now: float, interval: float, tolerance: float, max_wait: float):
    """The file store's copy of the Lua script: (granted, wait, new tat)."""
    tat = max(tat, now)
    wait = max(0.0, tat - tolerance - now)
    if wait > max_wait:
        return False, wait, None
    return True, wait, tat + interval


class RedisStore:
    def __init__(self, url: str):
        self.redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._reserve = self.redis.register_script(_RESERVE)
        self._hold = self.redis.register_script(_HOLD)

    def reserve(self, key: str, interval: float, tolerance: float, max_wait: float):
        """(granted, wait, stamp): `stamp` is when the slot was given, for `held_since`."""
        granted, wait, stamp = self._reserve(
            keys=[key, _slowest_key(key)], args=[interval, tolerance, max_wait]
        )
        return bool(granted), float(wait), float(stamp)

    def hold(self, key: str, seconds: float, slowest: float = 0.0) -> None:
        self._hold(
            keys=[key, _slowest_key(key), _held_key(key)],
            args=[seconds, slowest, SLOWEST_KEPT_SECONDS],
        )

    def held_since(self, key: str, stamp: float) -> bool:
        held = self.redis.get(_held_key(key))
        return held is not None and float(held) >= stamp


class FileStore:
    """One small file per key holding its arrival time, read and written under `flock`.

    `flock` locks an open file description, and every call opens the file afresh, so it excludes
    other threads of this process as well as other processes."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _locked(self, key: str, update):
        fd = os.open(self._path(key), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 64, 0).decode() or "0"
            result, new_tat = update(float(raw), time.time())
            if new_tat is not None:
                data = repr(new_tat).encode()
                os.ftruncate(fd, 0)
                os.pwrite(fd, data, 0)
            return result
        finally:
            os.close(fd)  # closing releases the lock

    def reserve(self, key: str, interval: float, tolerance: float, max_wait: float):
        slowest = self._slowest(key)
        if slowest > interval:
            tolerance, interval = tolerance * slowest / interval, slowest

        def update(tat, now):
            granted, wait, new_tat = _reserve(tat, now, interval, tolerance, max_wait)
            return (granted, wait, now), new_tat

        return self._locked(key, update)

    def hold(self, key: str, seconds: float, slowest: float = 0.0) -> None:
        def update(tat, now):
            self._replace(_held_key(key), repr(now))
            return None, now + seconds if now + seconds > tat else None

        self._locked(key, update)
        if slowest > 0:
            self._replace(_slowest_key(key), f"{slowest!r} {time.time() + SLOWEST_KEPT_SECONDS!r}")

    def held_since(self, key: str, stamp: float) -> bool:
        try:
            return float(self._path(_held_key(key)).read_text()) >= stamp
        except (OSError, ValueError):
            return False

    def _replace(self, key: str, text: str) -> None:
        # Replaced whole: readers see the old file or the new one, never half of either.
        path = self._path(key)
        spare = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}")
        spare.write_text(text)
        os.replace(spare, path)

    def _slowest(self, key: str) -> float:
        try:
            interval, until = self._path(_slowest_key(key)).read_text().split()
            return float(interval) if float(until) > time.time() else 0.0
        except (OSError, ValueError):
            return 0.0

    def _path(self, key: str) -> Path:
        return self.directory / hashlib.sha256(key.encode()).hexdigest()[:32]


def store_for(url: str):
    """`redis://…` (shared by every host) or `file:///path/to/dir` (one host)."""
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss", "unix"):
        return RedisStore(url)
    if parts.scheme == "file":
        return FileStore(Path(parts.path))
    raise ValueError(f"ZOOM_PACING_URL must be redis://… or file:///…, not {url!r}")


@dataclass
class Limiter:
    """`rate` calls per second per key, at most `burst` at once; callers wait up to `max_wait`."""

    store: object
    rate: float
    burst: int = 1
    max_wait: float = 5.0
    prefix: str = "zoom-pacing:"
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def acquire(
        self, key: str, *, max_wait: float | None = None, rate: float | None = None
    ) -> float:
        """Takes the key's next slot, sleeping until it comes; returns the seconds from the call
        to the slot. Raises PacingDelay (taking nothing) when that slot is further than
        `max_wait`.

        Zoom counts calls as they arrive. A caller woken late (its process was starved of CPU)
        would arrive closer to the callers due after it than the pace allows: more than
        LATE_SHARE of a slot late (at least LATE_ALWAYS_OK, at most a slot), it gives its passed
        slot up and takes the next free one, once.
        (An account paced at 90% of a 2/s limit has only a tenth of a slot to spare.)
        A caller who wakes to a hold newer than its slot (Zoom refused a call meanwhile) takes a
        slot after the hold, at most HOLDS_FOLLOWED times."""
        # `rate`: this key's own pace (a Zoom account's, `account_pace`), else the limiter's.
        interval = 1.0 / (rate or self.rate)
        limit = self.max_wait if max_wait is None else max_wait
        key = self.prefix + key
        waited = 0.0
        gave_up_late = False
        holds = 0
        while True:
            granted, wait, stamp = self.store.reserve(
                key, interval, interval * (self.burst - 1), limit
            )
            if not granted:
                raise PacingDelay(wait)
            waited += wait
            if wait <= 0:
                return waited
            due = self.clock() + wait
            self.sleep(wait)
            late = self.clock() - due
            if self.store.held_since(key, stamp):
                holds += 1
                if holds > HOLDS_FOLLOWED:
                    raise PacingDelay(interval)
                waited += late
                continue
            if not gave_up_late and late > min(
                interval, max(interval * LATE_SHARE, LATE_ALWAYS_OK)
            ):
                gave_up_late = True
                waited += late
                continue
            return waited

    def hold(self, key: str, seconds: float, *, rate: float | None = None) -> None:
        """Nobody calls for this key during the next `seconds` (Zoom said the account is over
        its limit); waiting callers then resume one slot at a time, at `rate` at most if given
        (whatever rate each process still has for the key) for SLOWEST_KEPT_SECONDS."""
        if seconds > 0 or rate:
            self.store.hold(self.prefix + key, max(seconds, 0.0), 1.0 / rate if rate else 0.0)


_lock = threading.Lock()


@cache
def _account_limiter(url: str, rate: float, burst: int, max_wait: float) -> Limiter:
    return Limiter(store_for(url), rate=rate, burst=burst, max_wait=max_wait)


def account_limiter() -> Limiter:
    """The limiter of calls per Zoom account, as the settings describe it (one per process)."""
    with _lock:
        return _account_limiter(
            settings.ZOOM_PACING_URL,
            float(settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND),
            int(settings.ZOOM_ACCOUNT_BURST),
            float(settings.ZOOM_PACING_MAX_WAIT_SECONDS),
        )
