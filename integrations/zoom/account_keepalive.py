"""Keeping the company's Zoom account connection alive, like each rep's own (see keepalive.py):
Zoom documents no refresh-token lifetime and rotates it on every refresh, so an idle chain is
refreshed before it can lapse; an API call shows an admin's changes (4738, a removed user). The
same run looks every rep up again, so reps added to (or removed from) the Zoom account are served
(or parked) without anyone pressing a button."""

import logging

from django.utils import timezone

from . import account
from .errors import ZoomError, ZoomNeedsReconnect, ZoomNotConnected
from .keepalive import Health, keepalive_idle
from .tokens import refresh_connection, with_zoom

logger = logging.getLogger(__name__)


def keep_company_account_alive() -> str:
    company = account.company_zoom_account()
    if company is None or not company.is_usable:
        return Health.NOT_CONNECTED
    try:
        issued_at = company.last_refreshed_at or company.connected_at
        if issued_at is None or timezone.now() - issued_at >= keepalive_idle():
            refresh_connection(company)
        with_zoom(company, lambda client, token: client.get_me(token))
        account.match_reps(company)
    except ZoomNeedsReconnect:
        return Health.BROKEN
    except ZoomNotConnected:
        return Health.NOT_CONNECTED
    except ZoomError as exc:
        company.record_error(f"Keep-alive check failed: {type(exc).__name__}")
        logger.info("Company Zoom account keep-alive: %s", type(exc).__name__)
        return Health.UNAVAILABLE
    return Health.HEALTHY
