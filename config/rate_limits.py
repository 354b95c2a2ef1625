"""Counting requests in fixed windows in the shared cache, so a limit holds across every process.

A rate is "count/period" ("5/m", "30/d"; periods s, m, h, d, optionally with a number: "10/5m").
Windows start at multiples of the period (UTC days start at 00:00), so a limit resets at a time
we can tell the person. On Redis (production) one check-and-count is one Lua script, atomic by
itself and a single round trip, because a booking checks several limits on the request path. On
the other caches (the demo's file cache) a count is a read and a write under a short lock, a file
lock for the file cache, so concurrent requests never lose a count where `incr` is a
read-then-write.
"""

import fcntl
import functools
import hashlib
import os
import re
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LOCK_SECONDS = 5
_LOCK_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def parse_rates(value: str) -> list[Rate]:
    """'5/m,30/d' → [Rate(5, 60), Rate(30, 86400)]; an empty value means no limit."""
    rates = []
    for part in filter(None, (p.strip() for p in (value or "").split(","))):
        match = _RATE.match(part)
        if not match:
            raise ImproperlyConfigured(f"{part!r} is not a rate like 5/m or 30/d.")
        rates.append(Rate(int(match[1]), int(match[2] or 1) * _UNIT_SECONDS[match[3]]))
    return rates


def _window(rate: Rate, now: float) -> tuple[int, float]:
    start = int(now // rate.seconds) * rate.seconds
    return start, start + rate.seconds


def _key(scope: str, ident: str, rate: Rate, window_start: int) -> str:
    return f"rl:{scope}:{rate}:{window_start}:{ident}"


def used(scope: str, ident: str, rate: Rate, now: float | None = None) -> int:
    start, _ = _window(rate, time.time() if now is None else now)
    return cache.get(_key(scope, ident, rate, start), 0)


def used_many(scope: str, idents: list[str], rate: Rate) -> dict[str, int]:
    """`used` of several idents at once (one round trip to the cache)."""
    start, _ = _window(rate, time.time())
    keys = {ident: _key(scope, ident, rate, start) for ident in idents}
    found = cache.get_many(list(keys.values()))
    return {ident: found.get(key, 0) for ident, key in keys.items()}


# KEYS: the windows' counters; ARGV: amount, then each window's limit, then each one's lifetime (0:
# a ceiling, read but not counted). Returns 0 when everything was counted, else the 1-based index
# of the spent window.
_CONSUME = """
local amount, n = tonumber(ARGV[1]), #KEYS
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') + amount > tonumber(ARGV[1 + i]) then return i end
end
for i, key in ipairs(KEYS) do
  local lifetime = tonumber(ARGV[1 + n + i])
  if lifetime > 0 then
    redis.call('INCRBY', key, amount)
    redis.call('EXPIRE', key, lifetime)
  end
end
return 0
"""


# KEYS: the windows' counters; ARGV: amount, then each one's lifetime. Returns the first's new
# count. One command where a MULTI/EXEC pipeline sent four (a Zoom write counts on every create).
_ADD = """
local first
for i, key in ipairs(KEYS) do
  local count = redis.call('INCRBY', key, tonumber(ARGV[1]))
  redis.call('EXPIRE', key, tonumber(ARGV[1 + i]))
  first = first or count
end
return first
"""


@functools.cache
def _redis_scripts(location: str):
    client = redis.Redis.from_url(location, socket_timeout=5, socket_connect_timeout=5)
    return client.register_script(_CONSUME), client.register_script(_ADD)


def _redis():
    """(consume script, add script) when the default cache is Redis, else None. The counters stay
    readable through `cache`: keys go through `cache.make_key`, and Django's Redis cache stores
    integers unpickled, as INCRBY leaves them."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith(".RedisCache"):
        return None
    location = config["LOCATION"]
    # Several servers: Django writes to the first one.
    primary = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return _redis_scripts(primary)


def _windows(scope: str, ident: str, rates: list[Rate], now: float):
    for rate in rates:
        start, end = _window(rate, now)
        yield _key(scope, ident, rate, start), rate, end


@dataclass(frozen=True)
class Limit:
    """`rates` for one scope (what is counted) and ident (whose count it is). With `at_most`, a
    ceiling on a counter something else keeps (a host's Zoom writes): read in the same round trip
    as the limits it guards, refusing once the count plus the amount would pass `at_most` in the
    rates' windows, and never counted itself."""

    scope: str
    ident: str
    rates: list[Rate]
    at_most: int | None = None


def consume(scope: str, ident: str, rates: list[Rate], amount: int = 1) -> float | None:
    """Counts `amount` against every rate unless one of them is spent; returns None when it fits,
    else the seconds until the spent window resets (nothing is counted then)."""
    refused = consume_all([Limit(scope, ident, rates)], amount)
    return None if refused is None else refused[1]


def consume_all(limits: list[Limit], amount: int = 1) -> tuple[int, float] | None:
    """`consume` for several limits at once, all or nothing: None when every one fits (each is
    counted), else (index of a spent limit, seconds until its window resets), counting none."""
    now = time.time()
    # (index, key, the count it may reach, the window's end, whether it is counted)
    windows = [
        (index, key, rate.count, end, True)
        if limit.at_most is None
        else (index, key, limit.at_most, end, False)
        for index, limit in enumerate(limits)
        for key, rate, end in _windows(limit.scope, limit.ident, limit.rates, now)
    ]
    if not windows:
        return None
    if shared := _redis():
        consume_script, _add = shared
        spent = consume_script(
            keys=[cache.make_key(key) for _, key, _, _, _ in windows],
            args=[amount]
            + [most for _, _, most, _, _ in windows]
            + [int(end - now) + 60 if counted else 0 for _, _, _, end, counted in windows],
        )
        if not spent:
            return None
        index, _key, _most, end, _counted = windows[spent - 1]
        return index, max(end - now, 1.0)
    with _locked_all([f"rl-lock:{limit.scope}:{limit.ident}" for limit in limits]):
        counts = cache.get_many([key for _, key, _, _, _ in windows])
        for index, key, most, end, _counted in windows:
            if counts.get(key, 0) + amount > most:
                return index, max(end - now, 1.0)
        for _index, key, _most, end, counted in windows:
            if counted:
                cache.set(key, counts.get(key, 0) + amount, timeout=int(end - now) + 60)
    return None


def give_back(limits: list[Limit], amount: int = 1) -> None:
    """Uncounts what `consume_all` counted for work that did not happen after all."""
    for limit in limits:
        if limit.at_most is None:
            add(limit.scope, limit.ident, limit.rates, amount=-amount)


def add(scope: str, ident: str, rates: list[Rate], amount: int = 1) -> int:
    """Counts unconditionally (work that happened anyway); returns the first rate's new count."""
    now = time.time()
    keys = list(_windows(scope, ident, rates, now))
    if not keys:
        return 0
    if shared := _redis():
        _consume, add_script = shared
        return add_script(
            keys=[cache.make_key(key) for key, _, _ in keys],
            args=[amount] + [int(end - now) + 60 for _, _, end in keys],
        )
    with _locked(f"rl-lock:{scope}:{ident}"):
        counts = cache.get_many([key for key, _, _ in keys])
        for key, _rate, end in keys:
            cache.set(key, counts.get(key, 0) + amount, timeout=int(end - now) + 60)
    return counts.get(keys[0][0], 0) + amount


@contextmanager
def _locked_all(names: list[str]):
    # Always in the same order, so two counts of overlapping limits cannot wait on each other.
    with ExitStack() as stack:
        for name in sorted(set(names)):
            stack.enter_context(_locked(name))
        yield


def _locked(name: str):
    """Excludes every other count of the same scope and ident for the few operations of one count.
    The file cache's `add` checks, then writes, so two processes can both "win" it: there the lock
    is `flock` on a file beside the cache (every process sharing that cache is on this host)."""
    config = settings.CACHES["default"]
    if config["BACKEND"].endswith(".FileBasedCache"):
        return _file_lock(Path(config["LOCATION"]) / "locks", name)
    return _cache_lock(name)


@contextmanager
def _file_lock(directory: Path, name: str):
    directory.mkdir(parents=True, exist_ok=True)
    # Opened afresh each time: flock then excludes other threads of this process as well.
    fd = os.open(directory / hashlib.sha256(name.encode()).hexdigest()[:32], os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class _cache_lock:
    """A lock held in the cache (atomic `add` on the database and local-memory caches). Should it
    not come within the wait (a crashed holder), the count goes ahead: a limit a little loose beats
    a page down."""

    def __init__(self, key: str):
        self.key = key
        self.held = False

    def __enter__(self):
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        pause = 0.005
        while not cache.add(self.key, 1, timeout=_LOCK_SECONDS):
            if time.monotonic() > deadline:
                return self
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        self.held = True
        return self

    def __exit__(self, *exc):
        if self.held:
            cache.delete(self.key)
        return False
