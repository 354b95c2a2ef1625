"""What the meetings pages ask of the rep's Zoom: whether it works, the host's start link, a new
Meeting Type's defaults, and the public's share of the host's daily Zoom allowance. Tokens are
loaded only where a call is made."""

import logging

from integrations.zoom.api.errors import ZoomError, ZoomNotConnected
from integrations.zoom.api.quota import reserve_public_write
from integrations.zoom.connection.hosts import ZoomHost, zoom_host_for

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


def reserve_public_zoom_write(meeting_type_or_booking, rep_id: int) -> float | None:
    """A public booking or reschedule of a Zoom meeting costs the host one of Zoom's daily
    meeting writes: reserves it from the public's share of them, or returns the seconds until one
    is free. Other places cost none."""
    if not meeting_type_or_booking.is_zoom:
        return None
    return reserve_public_write(rep_id)
