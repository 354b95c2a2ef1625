"""Counting requests in fixed windows in the shared cache, so a limit holds across every process.

A rate is "count/period" ("5/m", "30/d"; periods s, m, h, d, optionally with a number: "10/5m").
Windows start at multiples of the period (UTC days start at 00:00), so a limit resets at a time
we can tell the person. Counting takes a short lock in the cache (an atomic `add`, like
allauth's own limits) so concurrent requests never lose a count on a cache whose `incr` is a
read-then-write (the database and file caches).
"""

import re
import time
from dataclasses import dataclass

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


def consume(scope: str, ident: str, rates: list[Rate], amount: int = 1) -> float | None:
    """Counts `amount` against every rate unless one of them is spent; returns None when it fits,
    else the seconds until the spent window resets (nothing is counted then)."""
    now = time.time()
    keys = []
    for rate in rates:
        start, end = _window(rate, now)
        keys.append((_key(scope, ident, rate, start), rate, end))
    with _locked(f"rl-lock:{scope}:{ident}"):
        counts = cache.get_many([key for key, _, _ in keys])
        for key, rate, end in keys:
            if counts.get(key, 0) + amount > rate.count:
                return max(end - now, 1.0)
        for key, _rate, end in keys:
            cache.set(key, counts.get(key, 0) + amount, timeout=int(end - now) + 60)
    return None


def add(scope: str, ident: str, rates: list[Rate], amount: int = 1) -> int:
    """Counts unconditionally (work that happened anyway); returns the first rate's new count."""
    now = time.time()
    first = 0
    with _locked(f"rl-lock:{scope}:{ident}"):
        for index, rate in enumerate(rates):
            start, end = _window(rate, now)
            key = _key(scope, ident, rate, start)
            value = cache.get(key, 0) + amount
            cache.set(key, value, timeout=int(end - now) + 60)
            if index == 0:
                first = value
    return first


class _locked:
    """A lock held in the cache for the few operations of one count. Should it not come within
    the wait (a crashed holder), the count goes ahead: a limit a little loose beats a page down."""

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
