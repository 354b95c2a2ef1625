"""Where a booking's meeting place stands, in the product's own words: one reading of the booking
that every page uses (the rep's list and booking page, the guest's page, the badges), so no two
pages ever tell a different story. Zoom's own messages are not words for people: they stay on the
rep's booking page, under "Zoom's message"."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .zoom.state import LinkState


@dataclass(frozen=True)
class LinkStatus:
    key: str  # a stable name for templates and tests
    label: str  # the badge
    tone: str  # ok | warn | bad | idle (the badge's colour)
    # Whether the join link (and its details) is valid and may be shown now.
    show_link: bool
    # Whether a page polling for the link should keep asking.
    settling: bool


CANCELLED = "cancelled"
NOT_NEEDED = "not_needed"
READY = "ready"
UPDATING = "updating"
PREPARING = "preparing"
DELAYED = "delayed"
WAITING_FOR_RECONNECT = "waiting_for_reconnect"
FAILED = "failed"


def link_status(booking) -> LinkStatus:
    if booking.is_cancelled:
        return LinkStatus(CANCELLED, _("Cancelled"), "idle", show_link=False, settling=False)
    if not booking.is_zoom:
        return LinkStatus(
            NOT_NEEDED, booking.get_location_kind_display(), "ok", show_link=False, settling=False
        )
    state = booking.link_state
    if state == LinkState.READY:
        return LinkStatus(READY, _("Zoom link ready"), "ok", show_link=True, settling=False)
    if state == LinkState.PENDING and booking.zoom_join_url:
        # Rescheduled: Zoom keeps the meeting (and its link) and only its time changes.
        return LinkStatus(
            UPDATING, _("Moving to the new time"), "ok", show_link=True, settling=True
        )
    if state == LinkState.PENDING and booking.link_last_error:
        return LinkStatus(DELAYED, _("Zoom link delayed"), "warn", show_link=False, settling=True)
    if state == LinkState.PENDING:
        return LinkStatus(
            PREPARING, _("Preparing the Zoom link"), "warn", show_link=False, settling=True
        )
    if state == LinkState.WAITING_FOR_RECONNECT:
        return LinkStatus(
            WAITING_FOR_RECONNECT,
            _("Waiting for Zoom to be reconnected"),
            "bad",
            show_link=False,
            settling=False,
        )
    # FAILED (REMOVING and REMOVED only follow a cancellation, handled first).
    return LinkStatus(FAILED, _("Zoom link failed"), "bad", show_link=False, settling=False)
