"""The rate each Zoom account is paced at, learned from Zoom and remembered per account.

Zoom's per-second limits depend on the account's plan and are shared by every app on the account
(https://developers.zoom.us/docs/api/rate-limits/): Medium APIs such as creating a meeting allow 2
requests a second on Free, 20 on Pro, 60 on Business and above; Free accounts also have daily caps.
One fixed rate (ZOOM_ACCOUNT_REQUESTS_PER_SECOND) is too fast for a Free account and too slow for
a Business one. So each account is paced at:

1. the rate an admin set for it (the admin's "Zoom account pacing"), else
2. the rate learned from Zoom: a per-second 429 names the limit (`X-RateLimit-Limit`), and the
   account is paced just under it; a 429 without the header halves the rate, else
3. the default setting.

A learned rate only goes down (Zoom said so); an admin clears it to try faster again. Reads are
cached in the process for CACHE_SECONDS: pacing sits on every call.
"""

import threading
import time

from django.conf import settings
from django.db import models
from django.utils import timezone

# Paced this share under the limit Zoom names: other apps on the account share it.
HEADROOM = 0.9
# Never slower than this (a Free account's Medium limit is 2/s).
SLOWEST = 0.5
CACHE_SECONDS = 30.0


class ZoomAccountPace(models.Model):
    """How fast calls to one Zoom account may go."""

    zoom_account_id = models.CharField(max_length=64, unique=True)
    learned_rate = models.FloatField(
        null=True, blank=True, help_text="Requests per second learned from Zoom's 429 answers."
    )
    learned_limit = models.IntegerField(
        null=True, blank=True, help_text="The per-second limit Zoom named (X-RateLimit-Limit)."
    )
    learned_category = models.CharField(max_length=32, blank=True)
    learned_at = models.DateTimeField(null=True, blank=True)
    admin_rate = models.FloatField(
        "rate set by an admin",
        null=True,
        blank=True,
        help_text="Requests per second; wins over what was learned. Empty: learn from Zoom.",
    )

    class Meta:
        app_label = "zoom"
        verbose_name = "Zoom account pacing"
        verbose_name_plural = "Zoom account pacing"

    def __str__(self) -> str:
        return f"Zoom account {self.zoom_account_id}: {self.rate:g}/s"

    @property
    def rate(self) -> float:
        return self.admin_rate or self.learned_rate or default_rate()


def default_rate() -> float:
    return float(settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND)


# account -> (its own rate, or None for the default setting; when the entry goes stale)
_cache: dict[str, tuple[float | None, float]] = {}
_lock = threading.Lock()


def rate_for(account_id: str) -> float:
    """Requests per second for calls to this Zoom account."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(account_id)
    if cached is None or cached[1] <= now:
        pace = ZoomAccountPace.objects.filter(zoom_account_id=account_id).first()
        own = (pace.admin_rate or pace.learned_rate) if pace is not None else None
        cached = (own, now + CACHE_SECONDS)
        with _lock:
            _cache[account_id] = cached
    return cached[0] or default_rate()


def forget_cached(account_id: str | None = None) -> None:
    with _lock:
        if account_id is None:
            _cache.clear()
        else:
            _cache.pop(account_id, None)


def learn_from_429(account_id: str, limit: int | None, category: str = "") -> float:
    """Zoom refused a call for the account's per-second limit: pace it under the limit Zoom named,
    or at half its rate. Returns the rate now in force."""
    pace, _ = ZoomAccountPace.objects.get_or_create(zoom_account_id=account_id)
    current = pace.learned_rate or default_rate()
    learned = limit * HEADROOM if limit and limit > 0 else current / 2
    learned = max(min(learned, current), SLOWEST)
    pace.learned_rate = learned
    pace.learned_limit = limit
    pace.learned_category = category[:32]
    pace.learned_at = timezone.now()
    pace.save(update_fields=["learned_rate", "learned_limit", "learned_category", "learned_at"])
    forget_cached(account_id)
    return pace.rate
