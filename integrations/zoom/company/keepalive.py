"""Keeping the company's Zoom account connection alive, like each rep's own (see
connection/keepalive.py): Zoom documents no refresh-token lifetime and rotates it on every refresh,
so an idle chain is refreshed before it can lapse; an API call shows an admin's changes (4738, a
removed user). The same run looks every rep up again, so reps added to (or removed from) the Zoom
account are served (or parked) without anyone pressing a button."""

import logging

from django.utils import timezone

from ..api.errors import ZoomError
from ..connection.health import Health, check_connection
from ..connection.keepalive import keepalive_idle
from . import services

logger = logging.getLogger(__name__)


def keep_company_account_alive() -> Health:
    company = services.company_account()
    if company is None or not company.is_usable:
        return Health.NOT_CONNECTED
    issued_at = company.last_refreshed_at or company.connected_at
    renew = issued_at is None or timezone.now() - issued_at >= keepalive_idle()
    health = check_connection(company, renew_tokens=renew, by="Keep-alive check").health
    if health != Health.HEALTHY:
        return health
    try:
        services.match_reps(company)
    except ZoomError as exc:
        logger.info("Matching reps during the keep-alive: %s", type(exc).__name__)
        return Health.UNAVAILABLE
    return Health.HEALTHY
