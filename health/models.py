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
