"""Zoom background work. Tasks stay thin: load ids, call one service, decide retry."""

from celery import shared_task

from .webhook_events import process_webhook_event, sweep_pending_webhook_events


@shared_task(acks_late=True)
def process_zoom_webhook(event_id: int) -> None:
    process_webhook_event(event_id)


@shared_task
def sweep_zoom_webhooks() -> int:
    return sweep_pending_webhook_events()
