from celery import shared_task

from health.models import Heartbeat


@shared_task
def record_beat_heartbeat() -> None:
    """Scheduled by beat every HEALTHZ_BEAT_INTERVAL_SECONDS: /healthz reads when it last ran."""
    Heartbeat.record(Heartbeat.BEAT)
