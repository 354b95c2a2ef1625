"""Exactly one beat sends the periodic tasks, however many run.

Every beat ticks at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds (config.celery.Scheduler).
On each tick it takes or renews the lock (a database row every host shares) for
CELERY_BEAT_LOCK_SECONDS and, only if it holds it, sends what is due; the others stand by and one
of them takes over once the holder stops renewing (it died, or lost its database). Each beat also
says it is alive, so /healthz shows a second one.

A beat that takes the lock sends beat's heartbeat at once: /healthz then sees the whole chain (beat,
broker, worker) work within seconds of a deploy, not a heartbeat interval later.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from health.models import BeatLock, BeatProcess

LOCK = "beat"
# A beat not seen for this long has stopped (it ticks every few seconds).
PRESENCE = timedelta(seconds=30)
FORGOTTEN_AFTER = timedelta(days=1)


def identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lock_seconds() -> timedelta:
    return timedelta(seconds=settings.CELERY_BEAT_LOCK_SECONDS)


def hold(me: str) -> bool:
    """Takes the lock if it is free or lapsed, or renews it if it is `me`'s; whether `me` holds
    it now. Each step is one conditional UPDATE, so two beats cannot both win."""
    now = timezone.now()
    expires_at = now + _lock_seconds()
    if BeatLock.objects.filter(name=LOCK, holder=me).update(expires_at=expires_at):
        return True
    if not BeatLock.objects.filter(name=LOCK).exists():
        try:
            with transaction.atomic():
                BeatLock.objects.create(
                    name=LOCK, holder="", acquired_at=now, expires_at=now - timedelta(seconds=1)
                )
        except IntegrityError:
            pass  # another beat made it first
    return bool(
        BeatLock.objects.filter(name=LOCK, expires_at__lt=now).update(
            holder=me, acquired_at=now, expires_at=expires_at
        )
    )


def release(me: str) -> None:
    """A beat stopping cleanly hands the lock over at once."""
    BeatLock.objects.filter(name=LOCK, holder=me).update(holder="", expires_at=timezone.now())
    BeatProcess.objects.filter(identity=me).delete()


def seen(me: str, *, started_at, sends: bool) -> None:
    now = timezone.now()
    BeatProcess.objects.update_or_create(
        identity=me, defaults={"started_at": started_at, "seen_at": now, "sends": sends}
    )
    BeatProcess.objects.filter(seen_at__lt=now - FORGOTTEN_AFTER).delete()


def running() -> int:
    """How many beats are alive, sending or standing by."""
    return BeatProcess.objects.filter(seen_at__gte=timezone.now() - PRESENCE).count()


def starting() -> bool:
    """A beat took the lock lately and still holds it: its first heartbeat may be on its way."""
    now = timezone.now()
    grace = timedelta(seconds=settings.HEALTHZ_BEAT_GRACE_SECONDS)
    return BeatLock.objects.filter(
        name=LOCK, expires_at__gt=now, acquired_at__gte=now - grace
    ).exists()
