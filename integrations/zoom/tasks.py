"""Zoom background work. Tasks stay thin: load ids, call one service, decide retry.

This module also hands on what the Zoom core announces (a broken connection: the rep's reconnect
email), so that the core never imports its tasks or the notifications.
"""

from celery import shared_task

from config.celery import mail_task, publish, publish_on

from .company import keepalive as company_keepalive
from .company import notices as company_notices
from .company import services as company_services
from .connection import keepalive, notifications
from .connection.health import Health
from .signals import zoom_company_account_notice, zoom_company_needs_matching, zoom_connection_broke
from .webhooks.deliveries import deliveries_to_reenqueue, process_webhook_event

# Webhook deliveries ---------------------------------------------------------------------------


@shared_task(acks_late=True)
def process_zoom_webhook(event_id: int) -> None:
    process_webhook_event(event_id)


def apply_webhook_later(event_id: int) -> None:
    # If the broker cannot take it, the delivery stays pending and the sweeper enqueues it.
    publish(process_zoom_webhook, event_id)


@shared_task
def sweep_zoom_webhooks() -> int:
    ids = deliveries_to_reenqueue()
    for event_id in ids:
        apply_webhook_later(event_id)
    return len(ids)


# Token lifecycle ------------------------------------------------------------------------------


@shared_task
def keep_zoom_connections_alive() -> int:
    """Celery beat, hourly: queues a check of every idle connection (spread out), and a reminder
    for every connection still broken. Returns how many tasks were queued; stops early if the
    broker is unreachable (nothing is lost: the connections stay due for the next run)."""
    queued = 0
    for index, connection_id in enumerate(keepalive.connection_ids_due()):
        countdown = index * keepalive.KEEPALIVE_SPACING_SECONDS
        if not publish(check_zoom_connection, connection_id, countdown=countdown):
            return queued
        queued += 1
    for connection_id in notifications.connection_ids_to_remind():
        if not publish(send_zoom_reconnect_notice, connection_id):
            break
        queued += 1
    return queued


@shared_task(acks_late=True)
def check_zoom_connection(connection_id: int) -> Health:
    # A check that failed because Zoom was down is not retried here: the connection stays due,
    # and the next keep-alive run checks it again.
    return keepalive.keep_connection_alive(connection_id)


# notify_needs_reconnect gives the day's slot back when sending fails, so a retry can send it.
@mail_task(retry_backoff=60, max_retries=6)
def send_zoom_reconnect_notice(connection_id: int) -> bool:
    return notifications.send_reconnect_notice(connection_id)


# Lost (broker down): the keep-alive's reminder pass sends the notice later.
publish_on(
    zoom_connection_broke,
    send_zoom_reconnect_notice,
    "connection_id",
    dispatch_uid="zoom.tell_rep_connection_broke",
)


# The company's Zoom account ------------------------------------------------------------------


@shared_task(acks_late=True)
def keep_company_zoom_account_alive() -> Health:
    """Celery beat, hourly: the company's Zoom account refreshed when idle, reps matched again."""
    return company_keepalive.keep_company_account_alive()


@shared_task(acks_late=True)
def match_company_zoom_reps(rep_id: int | None = None) -> dict:
    return company_services.match_company_reps(rep_id)


# Lost (broker down): the hourly keep-alive matches every rep again.
publish_on(
    zoom_company_needs_matching,
    match_company_zoom_reps,
    "rep_id",
    dispatch_uid="zoom.match_company_reps",
)


@mail_task(retry_backoff=60, max_retries=6)
def send_zoom_account_notice(kind: str, detail: dict) -> int:
    return company_notices.send_to_zoom_admins(kind, detail)


publish_on(
    zoom_company_account_notice,
    send_zoom_account_notice,
    "kind",
    "detail",
    dispatch_uid="zoom.tell_zoom_admins",
)
