"""Each host's daily allowance of meeting creates and updates, kept so the public cannot spend it.

Zoom allows a host 100 `POST /users/{userId}/meetings` + `PATCH /meetings/{meetingId}` a day, reset
at 00:00 UTC, then answers 429 until the reset (docs/zoom-facts.md; "Meeting Create/Update" in
https://developers.zoom.us/docs/api/rate-limits/#rate-limits). Every write we make is counted
here per rep (one rep is one Zoom host), and public traffic (prospects booking, guests moving a
meeting) reserves its writes ahead: it stops ZOOM_MEETING_WRITES_RESERVE short of the limit, so
the rep's own reschedules and retries still have room whatever strangers do.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from config import rate_limits

from .errors import ZoomError, ZoomRateLimited, ZoomUnavailable

_DAY = 86400
# Shown in the admin from this share of the daily limit on.
NEAR_LIMIT_SHARE = 0.8


def _limit() -> int:
    return settings.ZOOM_DAILY_MEETING_WRITES


def _public_limit() -> int:
    return max(_limit() - settings.ZOOM_MEETING_WRITES_RESERVE, 0)


def _writes_rate() -> rate_limits.Rate:
    # The counter itself never refuses: Zoom does. It only has to be a UTC-day window.
    return rate_limits.Rate(10**9, _DAY)


def record_write(user_id: int) -> None:
    """A create or update was sent to Zoom for this rep's host."""
    rate_limits.add("zoom-writes", str(user_id), [_writes_rate()])


@contextmanager
def counted_write(user_id: int | None):
    """Around one meeting create or update: counted once it has reached Zoom (answered, or sent
    and its answer lost), never when it was held back before leaving (our own pacing, a
    connection that cannot be used) or refused by a 429 (Zoom did nothing). A 429 for the day
    fills the count. No rep (the company's Zoom admin acting as themselves): nothing to count."""
    if user_id is None:
        yield
        return
    try:
        yield
    except ZoomRateLimited as exc:
        if exc.daily:
            record_exhausted(user_id)
        raise
    except ZoomError as exc:
        if exc.status is not None or isinstance(exc, ZoomUnavailable):
            record_write(user_id)
        raise
    record_write(user_id)


def record_exhausted(user_id: int) -> None:
    """Zoom said the day's writes are spent (429): whatever we counted, the day is full."""
    missing = _limit() - writes_today(user_id)
    if missing > 0:
        rate_limits.add("zoom-writes", str(user_id), [_writes_rate()], amount=missing)


def writes_today(user_id: int) -> int:
    return rate_limits.used("zoom-writes", str(user_id), _writes_rate())


def public_share_ceiling(user_id: int) -> rate_limits.Limit:
    """What refuses a public booking or move when the rep's own work (or retries) already used the
    public share of the day's writes: a ceiling on the host's writes counter, checked with that
    booking's other limits (`rate_limits.consume_all`) and counting nothing."""
    return rate_limits.Limit("zoom-writes", str(user_id), [_writes_rate()], at_most=_public_limit())


def public_write_limit(user_id: int) -> rate_limits.Limit:
    """What a public booking or move reserves of the host's day, counted together with that
    booking's other limits (`rate_limits.consume_all`: all or none), after its
    `public_share_ceiling`. It stops at the public share: the rep keeps the reserve."""
    return rate_limits.Limit("zoom-public", str(user_id), [rate_limits.Rate(_public_limit(), _DAY)])


def allowance_spent(user_ids, *, public: bool) -> set[int]:
    """The hosts among `user_ids` who can make no more meeting today: every write of the day used
    (Zoom would answer 429), or with `public`, the share public traffic may use (a public write
    would be refused). Reads only, in one round trip to the cache."""
    ids = [str(user_id) for user_id in user_ids]
    writes = rate_limits.used_many("zoom-writes", ids, _writes_rate())
    if not public:
        return {int(ident) for ident in ids if writes[ident] >= _limit()}
    public_rate = rate_limits.Rate(_public_limit(), _DAY)
    reserved = rate_limits.used_many("zoom-public", ids, public_rate)
    return {
        int(ident)
        for ident in ids
        if writes[ident] >= _public_limit() or reserved[ident] >= _public_limit()
    }


@dataclass(frozen=True)
class QuotaUse:
    used: int
    limit: int

    @property
    def near_limit(self) -> bool:
        return self.used >= self.limit * NEAR_LIMIT_SHARE


def quota_use(user_id: int) -> QuotaUse:
    return QuotaUse(used=min(writes_today(user_id), _limit()), limit=_limit())
