from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """The last time a periodic signal arrived (BEAT: a task beat schedules, run by a worker)."""

    BEAT = "beat"

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"at": timezone.now()})

    @classmethod
    def last(cls, name: str):
        return cls.objects.filter(name=name).values_list("at", flat=True).first()


class BeatLock(models.Model):
    """Which beat sends the periodic tasks: the one `holder` until `expires_at`, renewed on every
    tick. Another beat stands by and takes over once a holder stops renewing (health/beat.py)."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=200, blank=True)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} held by {self.holder or 'nobody'} until {self.expires_at:%H:%M:%S}"


class BeatProcess(models.Model):
    """A running beat, sending or standing by, as it last said so: /healthz counts them."""

    identity = models.CharField(max_length=200, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    sends = models.BooleanField(default=False)

    def __str__(self):
        return f"beat {self.identity} ({'sending' if self.sends else 'standing by'})"
