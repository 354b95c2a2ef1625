"""Zoom's rate limits (https://developers.zoom.us/docs/api/rate-limits/).

- Per account, shared by every app and user on it, by plan and by the endpoint's category (its
  "Rate Limit Label" in Zoom's API reference): Free Light 4/s and 6,000/day, Medium 2/s and
  2,000/day; Pro Light 30/s, Medium 20/s; Business+ (Business, Education, Enterprise) Light 80/s,
  Medium 60/s. Heavy and Resource-intensive endpoints are not modelled: the sandbox serves none.
- Per host, 100 meeting create+update requests a day (reset 00:00 UTC), the Meetings API's
  user-level limit.
- A 429 carries X-RateLimit-Category, X-RateLimit-Type (QPS or Daily-limit), X-RateLimit-Limit,
  X-RateLimit-Remaining and Retry-After (an ISO datetime) as the page's "best practices" example
  shows; a per-second refusal also carries X-RateLimit-Reset. Zoom does not give that header's
  form: the sandbox sends the same ISO datetime as Retry-After.
"""

import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import knobs
from .models import Account, DailyUsage, ZoomUser

LIGHT, MEDIUM = "Light", "Medium"
# (per second, per day or None) for each plan and category, from Zoom's table "Rate limits by
# account type".
PLAN_LIMITS = {
    Account.FREE: {LIGHT: (4, 6000), MEDIUM: (2, 2000)},
    Account.PRO: {LIGHT: (30, None), MEDIUM: (20, None)},
    Account.BUSINESS: {LIGHT: (80, None), MEDIUM: (60, None)},
    Account.ENTERPRISE: {LIGHT: (80, None), MEDIUM: (60, None)},
}
# The Rate Limit Label of the endpoints the sandbox serves that are not Light (Zoom's API
# reference; the OpenAPI copy shr968/Prokalp ZoomMeetingAPISpec.json): create and list meetings,
# a user's settings, a past meeting's participants.
_MEDIUM = (("POST", "/meetings"), ("GET", "/meetings"), ("GET", "/settings"))


def category_of(method: str, path: str) -> str:
    path = path.rstrip("/")
    if path.startswith("/v2/users/") and (method, path[path.rindex("/") :]) in _MEDIUM:
        return MEDIUM
    if path.startswith("/v2/past_meetings/") and path.endswith("/participants"):
        return MEDIUM
    return LIGHT


class RateLimited(Exception):
    def __init__(self, message: str, headers: dict):
        super().__init__(message)
        self.message, self.headers = message, headers


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _whole_second_up(moment: datetime) -> datetime:
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + timedelta(seconds=1)


def _headers(category: str, limit_type: str, limit: int, remaining: int) -> dict:
    return {
        "X-RateLimit-Category": category,
        "X-RateLimit-Type": limit_type,
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
    }


def _limited(
    message: str, category: str, limit_type: str, limit: int, retry_at: datetime
) -> RateLimited:
    """The refusal of a request over a limit. Whether Zoom sends Retry-After is the
    `retry_after_header` knob."""
    headers = _headers(category, limit_type, limit, 0)
    if knobs.get("retry_after_header"):
        headers["Retry-After"] = _iso(retry_at)
    if limit_type == "QPS":
        headers["X-RateLimit-Reset"] = _iso(retry_at)
    return RateLimited(message, headers)


def _next_midnight(today) -> datetime:
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)


# The per-second windows and the Free plan's daily counts live in memory: one sandbox process
# serves all requests, and a window older than a second is worthless after a restart anyway (a
# restart forgets the day's count, the one place the sandbox is more lenient than Zoom).
_windows: dict[tuple, deque] = defaultdict(deque)
_daily: dict[tuple, int] = defaultdict(int)
_windows_lock = threading.Lock()


def reset() -> None:
    with _windows_lock:
        _windows.clear()
        _daily.clear()


def check_account(account: Account, method: str, path: str) -> None:
    """Counts one request against its account's limits; raises RateLimited when one is spent.
    The `qps_limit` knob, once set, replaces the plan's per-second limits with one limit for every
    category (a test's control); the Free plan's daily caps apply either way."""
    category = category_of(method, path)
    per_second, per_day = PLAN_LIMITS.get(account.plan, PLAN_LIMITS[Account.PRO])[category]
    override = knobs.get("qps_limit")
    key = (account.account_id, category)
    if override is not None:
        per_second, key = int(override), (account.account_id, "*")
    now = time.monotonic()
    today = timezone.now().astimezone(UTC).date()
    with _windows_lock:
        window = _windows[key]
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= per_second:
            # Retry-After is when the window has room again, to the whole second as Zoom's ISO
            # form gives it: rounded up, never to a moment that would be refused again.
            frees_at = timezone.now() + timedelta(seconds=1.0 - (now - window[0]))
            raise _limited(
                "You have reached the maximum per-second rate limit for this API. Try again later.",
                category,
                "QPS",
                per_second,
                _whole_second_up(frees_at),
            )
        day_key = (account.account_id, category, today)
        if per_day is not None and _daily[day_key] >= per_day:
            raise _limited(
                f"You have reached the maximum daily rate limit for this API. Try again at "
                f"{_iso(_next_midnight(today))}.",
                category,
                "Daily-limit",
                per_day,
                _next_midnight(today),
            )
        window.append(now)
        _daily[day_key] += 1


def set_account_daily_usage(account: Account, category: str, count: int) -> None:
    today = timezone.now().astimezone(UTC).date()
    with _windows_lock:
        _daily[(account.account_id, category, today)] = count


def count_meeting_write(host: ZoomUser) -> dict:
    """Counts one create or update request against the host's daily quota; raises when spent.
    Returns the headers Zoom adds to successful create/update answers. The category header is
    Light as a real refusal of a create showed it (devforum.zoom.us/t/18928)."""
    limit = int(knobs.get("daily_meeting_limit"))
    today = timezone.now().astimezone(UTC).date()
    with transaction.atomic():
        usage, _ = DailyUsage.objects.get_or_create(user=host, day=today)
        if usage.count >= limit:
            raise _limited(
                f"You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API "
                "requests permitted for this particular user. You may resume these requests at "
                "GMT 00:00:00.",
                LIGHT,
                "Daily-limit",
                limit,
                _next_midnight(today),
            )
        DailyUsage.objects.filter(pk=usage.pk).update(count=F("count") + 1)
    return _headers(LIGHT, "Daily-limit", limit, max(0, limit - usage.count - 1))


def set_daily_usage(host: ZoomUser, count: int) -> None:
    today = timezone.now().astimezone(UTC).date()
    DailyUsage.objects.update_or_create(user=host, day=today, defaults={"count": count})
