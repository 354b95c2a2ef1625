"""Every Zoom call a booking (or a Meeting Type) makes, over one Zoom session.

The session (`integrations.zoom.connection.session`) refreshes tokens, retries once on 124 and
marks a broken connection; the client maps Zoom's answers to typed errors. This module knows which
calls a booking needs and what they mean for it.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import (
    ZoomCapabilityUnavailable,
    ZoomMeetingEnded,
    ZoomMeetingNotFound,
    ZoomValidationError,
)
from integrations.zoom.connection.hosts import ZoomHost, zoom_host_through
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.session import ZoomSession
from integrations.zoom.webhooks.deliveries import meetings_created_by

from ..models import Booking
from . import bodies, matching
from .bodies import ZoomMeeting, meeting_type_defaults, parse_meeting
from .state import ZoomChain

logger = logging.getLogger(__name__)


class MeetingGateway:
    """A booking's meetings in one host's Zoom, for the length of one Zoom session."""

    def __init__(self, zoom: ZoomSession):
        self.zoom = zoom
        # Ids of the meetings this session created (a new join link, unlike an adopted or
        # updated meeting's).
        self.made: set[str] = set()

    @property
    def host_time_zone(self) -> str:
        return self.zoom.host.zoom_timezone

    @property
    def chain(self) -> ZoomChain:
        """The token chain this gateway's meetings are made through (recorded on the booking)."""
        return ZoomChain(self.zoom.host.chain_name)

    def create(self, booking: Booking) -> ZoomMeeting:
        meeting = self._create(booking)
        self.made.add(meeting.id)
        return meeting

    def _create(self, booking: Booking) -> ZoomMeeting:
        body = bodies.create_body(booking, self.host_time_zone, self._passcode_rules())
        try:
            return parse_meeting(self.zoom.call(ZoomClient.create_meeting, body))
        except ZoomValidationError as exc:
            own = isinstance(self.zoom.connection, ZoomConnection)
            if not own or "password" not in body or not bodies.refused_passcode(exc.errors):
                raise
        # The host's passcode rules changed since we last read them (an admin tightened them):
        # read them again and try once more with a passcode that meets the new ones.
        self.zoom.connection.store_passcode_rules(self.zoom.call(ZoomClient.get_user_settings))
        body = bodies.create_body(booking, self.host_time_zone, self._passcode_rules())
        return parse_meeting(self.zoom.call(ZoomClient.create_meeting, body))

    def _passcode_rules(self) -> dict:
        """The rules read for a rep's own connection; a company account's are not kept, so Zoom
        generates those passcodes (`default_password`)."""
        chain = self.zoom.connection
        return chain.passcode_rules if isinstance(chain, ZoomConnection) else {}

    def update(
        self, booking: Booking, meeting_id: str | None = None, known: ZoomMeeting | None = None
    ) -> ZoomMeeting:
        """PATCH the booking's meeting (or `meeting_id`, one being adopted, as `known`) to the
        booking's current time and wording, then GET it again (the PATCH answers 204 with no
        body). Raises ZoomMeetingNotFound when Zoom no longer has it."""
        meeting_id = meeting_id or booking.zoom_meeting_id
        body = bodies.schedule_body(booking, self.host_time_zone)
        self.zoom.call(ZoomClient.update_meeting, meeting_id, body)
        try:
            return parse_meeting(self.zoom.call(ZoomClient.get_meeting, meeting_id))
        except ZoomCapabilityUnavailable:
            # This connection may not read meetings. A PATCH keeps the meeting's id, join link
            # and passcodes, so what we hold stays true.
            return known or bodies.meeting_of(booking)

    def delete(self, meeting_id: str) -> None:
        """Delete the meeting; one that is already gone counts as deleted. Zoom's own
        cancellation emails are turned off explicitly (`schedule_for_reminder` to the host,
        `cancel_meeting_reminder` to registrants): our cancellation email is the one people read
        (https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId})."""
        with suppress(ZoomMeetingNotFound):
            self.zoom.call(
                ZoomClient.delete_meeting,
                meeting_id,
                schedule_for_reminder=False,
                cancel_meeting_reminder=False,
            )

    def remove(self, meeting_id: str) -> None:
        """Delete a meeting nobody should join any more (cancelled, or its booking changed host);
        one that is over already counts as removed: nobody can join it, and Zoom keeps it as a
        past meeting."""
        with suppress(ZoomMeetingEnded):
            self.delete(meeting_id)

    def find(self, booking: Booking, *, exclude=frozenset()) -> list[dict]:
        """Zoom meeting objects that are this booking's, oldest first: found by the agenda's
        reference in the host's list (`matching`), or, where this connection may not list
        meetings, among those Zoom's `meeting.created` events told of. Raises
        ZoomCapabilityUnavailable when it cannot list and no event matched: the meeting may
        exist, and nobody can tell."""
        try:
            listed = self.zoom.call(ZoomClient.list_meetings)
        except ZoomCapabilityUnavailable:
            heard = self._heard_of(booking, exclude)
            if heard:
                return heard
            raise
        found = []
        for item in matching.meetings_to_read(listed, booking, exclude=exclude):
            try:
                meeting = self.zoom.call(ZoomClient.get_meeting, item["id"])
            except ZoomMeetingNotFound:
                continue  # deleted since it was listed
            except ZoomCapabilityUnavailable:
                meeting = item  # the listed agenda is all there is to go by
            if matching.carries_reference(meeting, booking):
                found.append(meeting)
        return matching.oldest_first(found)

    def _heard_of(self, booking: Booking, exclude) -> list[dict]:
        """Meetings `meeting.created` told of that look like the booking's and no booking holds."""
        candidates = [
            m
            for m in meetings_created_by(self.zoom.host.zoom_user_id)
            if m["id"] not in exclude and matching.is_made_for(m, booking)
        ]
        held = set(
            Booking.objects.filter(zoom_meeting_id__in=[m["id"] for m in candidates]).values_list(
                "zoom_meeting_id", flat=True
            )
        )
        return [m for m in candidates if m["id"] not in held]

    def start_url(self, meeting_id: str) -> str:
        """A fresh host link (it expires after about two hours and is never stored)."""
        meeting = self.zoom.call(ZoomClient.get_meeting, meeting_id)
        return str(meeting.get("start_url") or "")

    def meeting_type_defaults(self) -> dict:
        return meeting_type_defaults(self.zoom.call(ZoomClient.get_user_settings))


@contextmanager
def meeting_gateway(host: ZoomHost) -> Iterator[MeetingGateway]:
    """Opens one Zoom session for a unit of work; ZoomNotConnected if the host is unusable."""
    with ZoomSession(host) as zoom:
        yield MeetingGateway(zoom)


def making_host(booking: Booking, *, with_tokens: bool = True) -> ZoomHost | None:
    """The host whose token chain made the booking's meeting (whatever that chain's state now),
    or None when the booking has no meeting or the rep no longer has that chain. Moving or
    deleting the meeting goes through this host only."""
    if not booking.zoom_meeting_id or not booking.zoom_chain:
        return None
    return zoom_host_through(booking.rep, booking.zoom_chain, with_tokens=with_tokens)
