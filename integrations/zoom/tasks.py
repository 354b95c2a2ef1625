"""Zoom background work. Tasks stay thin: load ids, call one service, decide retry."""

from celery import shared_task

from . import account, account_keepalive, account_notices, keepalive, lifecycle
from .webhook_events import process_webhook_event, sweep_pending_webhook_events


@shared_task(acks_late=True)
def process_zoom_webhook(event_id: int) -> None:
    process_webhook_event(event_id)


@shared_task
def sweep_zoom_webhooks() -> int:
    return sweep_pending_webhook_events()


# Token lifecycle (issue 5) --------------------------------------------------------------------


@shared_task
def keep_zoom_connections_alive() -> int:
    """Celery beat, hourly: checks idle connections, reminds reps of broken ones."""
    return keepalive.schedule_keepalive()


@shared_task(acks_late=True)
def check_zoom_connection(connection_id: int) -> str:
    # A check that failed because Zoom was down is not retried here: the connection stays due,
    # and the next keep-alive run checks it again.
    return keepalive.keep_connection_alive(connection_id)


# OSError covers SMTP failures (smtplib.SMTPException is one); notify_needs_reconnect gives the
# day's slot back when sending fails, so a retry can send it.
@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=6)
def send_zoom_reconnect_notice(connection_id: int) -> bool:
    return lifecycle.send_reconnect_notice(connection_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=6)
def send_zoom_account_notice(subject: str, body: str) -> int:
    return account_notices.send_to_zoom_admins(subject, body)


@shared_task(acks_late=True)
def keep_company_zoom_account_alive() -> str:
    """Celery beat, hourly: the company's Zoom account refreshed when idle, reps matched again."""
    return account_keepalive.keep_company_account_alive()


@shared_task(acks_late=True)
def match_company_zoom_reps() -> dict:
    return account.match_company_reps()
