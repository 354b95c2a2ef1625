"""Zoom's rate limits: per host, 100 meeting create+update requests a day (reset 00:00 UTC); per
account, a requests-per-second limit shared by every app. https://developers.zoom.us/docs/api/rest/rate-limits/
"""

import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import knobs
from .models import DailyUsage, ZoomUser

CATEGORY = "Light"


class RateLimited(Exception):
    def __init__(self, message: str, headers: dict):
        super().__init__(message)
        self.message, self.headers = message, headers


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _headers(limit_type: str, limit: int, remaining: int) -> dict:
    return {
        "X-RateLimit-Category": CATEGORY,
        "X-RateLimit-Type": limit_type,
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
    }


def _limited(message: str, limit_type: str, limit: int, retry_at: datetime) -> RateLimited:
    """The refusal of a request over a limit. Whether Zoom sends Retry-After is the
    `retry_after_header` knob."""
    headers = _headers(limit_type, limit, 0)
    if knobs.get("retry_after_header"):
        headers["Retry-After"] = _iso(retry_at)
    return RateLimited(message, headers)


# The per-second window lives in memory: one sandbox process serves all requests, and a window
# older than a second is worthless after a restart anyway.
_windows: dict[str, deque] = defaultdict(deque)
_windows_lock = threading.Lock()


def reset() -> None:
    with _windows_lock:
        _windows.clear()


def check_per_second(account_id: str) -> None:
    limit = int(knobs.get("qps_limit"))
    now = time.monotonic()
    with _windows_lock:
        window = _windows[account_id]
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= limit:
            raise _limited(
                "You have reached the maximum per-second rate limit for this API. Try again later.",
                "QPS",
                limit,
                timezone.now() + timedelta(seconds=1),
            )
        window.append(now)


def count_meeting_write(host: ZoomUser) -> dict:
    """Counts one create or update request against the host's daily quota; raises when spent.
    Returns the headers Zoom adds to successful create/update answers."""
    limit = int(knobs.get("daily_meeting_limit"))
    today = timezone.now().astimezone(UTC).date()
    with transaction.atomic():
        usage, _ = DailyUsage.objects.get_or_create(user=host, day=today)
        if usage.count >= limit:
            raise _limited(
                f"You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API "
                "requests permitted for this particular user. You may resume these requests at "
                "GMT 00:00:00.",
                "Daily-limit",
                limit,
                datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC),
            )
        DailyUsage.objects.filter(pk=usage.pk).update(count=F("count") + 1)
    return _headers("Daily-limit", limit, max(0, limit - usage.count - 1))


def set_daily_usage(host: ZoomUser, count: int) -> None:
    today = timezone.now().astimezone(UTC).date()
    DailyUsage.objects.update_or_create(user=host, day=today, defaults={"count": count})
