"""When failed Zoom work is tried again, by the error's rule (integrations/zoom/api/errors.RULES)
and the tries made: the same for a booking's link runs (links.py) and a former host's meeting
removals (former.py). Only a failure comes here; a run that succeeds never does."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from integrations.zoom.api.errors import Rule, Wait, ZoomError

# Retries after a per-second 429 spread over this many seconds past Zoom's Retry-After.
QPS_RETRY_JITTER = 1.0
# Transient failures (5xx, timeouts) back off exponentially from the base
# (settings.MEETINGS_ZOOM_BACKOFF_BASE_SECONDS) up to CAP, with jitter, and give up after
# MAX_ATTEMPTS with the last error as the reason.
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8


def out_of_attempts(rule: Rule, attempts: int) -> bool:
    """Whether work that backs off has been tried the most times it may be."""
    return rule.wait == Wait.BACKOFF and attempts >= MAX_ATTEMPTS


def next_try(rule: Rule, exc: ZoomError, attempts: int) -> datetime:
    """When work that failed with `exc` (its `rule`) is tried again, after `attempts` tries: the
    link runs' and the former host's meeting removals' alike."""
    if rule.wait == Wait.BACKOFF:
        return timezone.now() + backoff(attempts)
    if rule.wait == Wait.RETRY_AT:
        return exc.retry_at
    if rule.wait == Wait.RETRY_AT_SPREAD:
        return exc.retry_at + timedelta(seconds=random.uniform(0, QPS_RETRY_JITTER))
    return timezone.now() + rule.wait


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with equal jitter: a random wait between half and all of
    BASE·2^(attempts-1), that ceiling capped at BACKOFF_CAP."""
    base = timedelta(seconds=settings.MEETINGS_ZOOM_BACKOFF_BASE_SECONDS)
    ceiling = min(BACKOFF_CAP, base * (2 ** max(attempts - 1, 0)))
    return timedelta(seconds=random.uniform(ceiling.total_seconds() / 2, ceiling.total_seconds()))


def due_and_unheld(rows: QuerySet, *, lease: str, next_attempt: str, now: datetime | None = None):
    """The `rows` whose next try (field `next_attempt`) is due by `now` and that no worker holds
    (field `lease`: empty, or run out), soonest first: what the sweeper hands out again, the link
    runs' and the former host's meeting removals' alike."""
    now = now or timezone.now()
    return rows.filter(
        Q(**{f"{lease}__isnull": True}) | Q(**{f"{lease}__lte": now}),
        **{f"{next_attempt}__lte": now},
    ).order_by(next_attempt)
