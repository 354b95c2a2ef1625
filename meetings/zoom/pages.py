"""What the meetings pages ask of the rep's Zoom: whether it works, the host's start link, a new
Meeting Type's defaults, and what a public booking spends of the host's daily Zoom allowance.
Tokens are loaded only where a call is made."""

import logging
from dataclasses import dataclass

from config import rate_limits
from integrations.zoom.api import quota
from integrations.zoom.api.errors import ZoomCapabilityUnavailable, ZoomError, ZoomNotConnected
from integrations.zoom.connection.hosts import ZoomHost, zoom_host_for
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.selectors import zoom_connection_for

from ..models import Booking
from .gateway import making_host, meeting_gateway

logger = logging.getLogger(__name__)


class StartLinkUnavailable(Exception):
    """Zoom could not give the host a start link now; the message says why."""


def host_start_url(booking: Booking) -> str:
    """A fresh start link for the host, fetched from Zoom each time and never stored."""
    host = making_host(booking)
    try:
        if host is None:
            raise ZoomNotConnected("This booking has no Zoom meeting to start.")
        with meeting_gateway(host) as zoom:
            return zoom.start_url(booking.zoom_meeting_id)
    except ZoomCapabilityUnavailable:
        # This connection may not read meetings (the help article's classic pair, where Zoom
        # refuses the read): the join link starts the meeting for a host signed in to Zoom.
        return booking.zoom_join_url
    except ZoomError as exc:
        raise StartLinkUnavailable(str(exc)) from exc


def zoom_defaults_for(rep) -> dict:
    """Initial Zoom options for a new Meeting Type, taken from the rep's own Zoom settings.

    Empty when Zoom is not connected or does not answer: the form then starts from our defaults,
    which is better than refusing to show it.
    """
    host = zoom_host_for(rep)
    if host is None or not host.is_usable:
        return {}
    try:
        with meeting_gateway(host) as zoom:
            return zoom.meeting_type_defaults()
    except ZoomError as exc:
        logger.info("Zoom settings unavailable for rep %s: %s", rep.pk, type(exc).__name__)
        return {}


def zoom_is_usable(rep) -> bool:
    """For pages: whether the rep's Zoom works, their own or the company's (tokens not loaded)."""
    host = zoom_host_for(rep, with_tokens=False)
    return host is not None and host.is_usable


def zoom_host_for_page(rep) -> ZoomHost | None:
    """For pages: the rep's Zoom host without its tokens."""
    return zoom_host_for(rep, with_tokens=False)


@dataclass(frozen=True)
class ZoomPageState:
    """Where a rep's Zoom stands, as every page tells it (templates/integrations/zoom/_state.html,
    the site-wide banner, My Integrations): `key` is connected | company | company_down |
    needs_reconnect | removed | not_connected. `own_unused` is the status of the rep's own
    connection while the company's account serves them instead (needs_reconnect | removed), or
    empty: a broken connection that makes no meeting is no blocker, and pages say so."""

    key: str
    zoom_email: str = ""
    reason: str = ""
    own_unused: str = ""

    @property
    def works(self) -> bool:
        return self.key in ("connected", "company")

    @property
    def needs_the_rep(self) -> bool:
        """Whether the rep must act for Zoom bookings to get links (the site-wide banner)."""
        return self.key in ("needs_reconnect", "removed")


# What a rep's own connection may be while the company's account makes their meetings instead.
_BROKEN = (ZoomConnection.Status.NEEDS_RECONNECT, ZoomConnection.Status.REMOVED)


def zoom_state_for_page(rep) -> ZoomPageState:
    """The one reading of the rep's Zoom for every page (dashboard, Meeting Types, My
    Integrations, the site-wide banner), by the precedence meetings are made with
    (`zoom_host_for`): their own working connection, else the company's account serving them,
    else what is broken."""
    host = zoom_host_for_page(rep)
    if host is None:
        return ZoomPageState("not_connected")
    if host.via_company_account:
        if not host.is_usable:
            return ZoomPageState("company_down", host.zoom_email)
        own = zoom_connection_for(rep)
        unused = own.status if own is not None and own.status in _BROKEN else ""
        return ZoomPageState("company", host.zoom_email, own_unused=unused)
    connection = host.chain
    if host.is_usable:
        return ZoomPageState("connected", host.zoom_email)
    if connection.status == connection.Status.NEEDS_RECONNECT:
        reason = connection.get_needs_reconnect_reason_display() or ""
        return ZoomPageState("needs_reconnect", host.zoom_email, reason)
    if connection.status == connection.Status.REMOVED:
        return ZoomPageState("removed", host.zoom_email)
    return ZoomPageState("not_connected")


def public_zoom_writes(rep_id: int) -> tuple[rate_limits.Limit, rate_limits.Limit]:
    """What a public booking (or move) of a Zoom meeting hosted by `rep_id` spends, counted with
    its other limits (`rate_limits.consume_all`: all or none, one round trip): a ceiling that
    refuses once the rep's own work used the public's share of the host's daily Zoom meeting
    writes, then one write of that share (the rest is kept for the rep)."""
    return quota.public_share_ceiling(rep_id), quota.public_write_limit(rep_id)
