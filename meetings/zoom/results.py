"""What a link run records on its booking: the meeting it made or kept, or what its error's rule
says (retry when, park why, fail). Most runs find the booking as they claimed it and store by one
UPDATE; one that finds it changed decides under the row lock.
"""

import copy
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from config.compiled_updates import update_if_as_read
from integrations.zoom.api.errors import Outcome, Park, ZoomError, rule_for
from integrations.zoom.company.lifecycle import rep_unserved
from integrations.zoom.company.models import ZoomCompanyMember
from integrations.zoom.connection.hosts import ZoomHost

from .. import observability, signals
from ..models import Booking
from .bodies import ZoomMeeting
from .gateway import MeetingGateway
from .retries import next_try, out_of_attempts
from .state import LinkState, ZoomChain

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkRun:
    """What a run left behind: the link state, and when to run again if it should."""

    state: str
    retry_at: datetime | None = None


NOTHING_TO_DO = LinkRun(state="")


def row_as_read(row: models.Model, *fields: str) -> dict:
    """These fields' values on `row`: the condition of a compare-and-swap UPDATE
    (`update_if_as_read`: a booking's link run, a host change's removal)."""
    return {name: getattr(row, name) for name in fields}


def record_meeting(
    booking: Booking, meeting: ZoomMeeting, zoom: MeetingGateway, *, note: str = ""
) -> LinkRun:
    """Store the meeting; if the booking changed while Zoom answered, go round again."""
    new_link = meeting.id in zoom.made
    stored = _store_if_as_claimed(booking, meeting, zoom.chain, note, new_link=new_link)
    if stored is not None:
        return LinkRun(stored.link_state)
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        stored = current.zoom_meeting_id
        # Zoom was slower than the lease: another run claimed the booking and stored its own
        # meeting while this one was creating. Theirs is the guest's link; ours goes. Or the
        # booking changed hands meanwhile: ours is in the former host's Zoom, and goes too.
        duplicate = (
            bool(stored) and stored not in (booking.zoom_meeting_id, meeting.id)
        ) or current.rep_id != booking.rep_id
        if not duplicate:
            _store(current, booking, meeting, zoom.chain, new_link=new_link)
            if note:
                current.record_zoom_change(note)
                current.save(update_fields=Booking.ZOOM_LINK_FIELDS)
    if duplicate:
        logger.warning(
            "Booking %s already has Zoom meeting %s (or another host); deleting duplicate %s",
            booking.pk,
            stored,
            meeting.id,
        )
        try:
            zoom.delete(meeting.id)
        except ZoomError as exc:
            # Still traceable by the booking reference in its agenda.
            logger.error("Could not delete duplicate Zoom meeting %s: %s", meeting.id, exc)
    return LinkRun(current.link_state)


def _store_if_as_claimed(
    booking: Booking, meeting: ZoomMeeting, chain: ZoomChain, note: str, *, new_link: bool
) -> Booking | None:
    """Most runs find the booking as they claimed it: then one UPDATE, landing only if nothing
    this run decided on changed (our lease, the state, the time, the meeting, the status, the
    invite's version), stores the meeting. None when something did: the caller decides under the
    row lock. `new_link`: the meeting was created by this run."""
    ready = copy.copy(booking)
    ready.mark_link_ready(meeting, chain)
    fields = _fields_to_store(ready, new_link)
    if note:
        ready.record_zoom_change(note)
    ready.updated_at = timezone.now()
    as_claimed = row_as_read(
        booking,
        "link_state", "link_lease_until", "zoom_meeting_id", "status", "start_at", "end_at",
        "rep_id", "invite_sequence", "invites_sent_sequence",
    )  # fmt: skip
    values = {name: getattr(ready, name) for name in fields}
    if not update_if_as_read(Booking, booking.pk, as_claimed, values):
        return None
    _announce(ready, meeting, first_link=not booking.zoom_meeting_id)
    return ready


def _store(
    current: Booking, booking: Booking, meeting: ZoomMeeting, chain: ZoomChain, *, new_link: bool
) -> None:
    """Under the row lock: `current` is the booking now, `booking` as this run claimed it."""
    current.mark_link_ready(
        meeting,
        chain,
        moved=(current.start_at, current.end_at) != (booking.start_at, booking.end_at),
    )
    current.save(update_fields=_fields_to_store(current, new_link))
    _announce(current, meeting, first_link=not booking.zoom_meeting_id)


def _fields_to_store(ready: Booking, new_link: bool) -> tuple[str, ...]:
    """What storing the meeting writes. A meeting this run created has a new join link: guests
    who were sent this version's invite hold the old meeting's (deleted in Zoom, or lost with an
    app removed in Zoom), so a new version of the invite carries the new one. An adopted or
    updated meeting keeps its link, and the guests are told nothing."""
    if new_link and ready.renew_invite_for_new_link():
        return Booking.ZOOM_LINK_FIELDS + Booking.NEW_LINK_INVITE_FIELDS
    return Booking.ZOOM_LINK_FIELDS


def _announce(stored: Booking, meeting: ZoomMeeting, *, first_link: bool) -> None:
    """A ready link's invites go out (a booking's first link is counted and logged); a booking
    that moved or was cancelled meanwhile goes round again."""
    if stored.link_state == LinkState.READY:
        if first_link:
            observability.link_ready(stored)
            logger.info("Booking %s has its Zoom link (meeting %s)", stored.pk, meeting.id)
        signals.invites_after_commit(stored.pk)
    else:
        signals.zoom_work_after_commit(stored.pk)


def record_failure(
    booking: Booking, exc: ZoomError, in_doubt: bool, host: ZoomHost | None = None
) -> LinkRun:
    """Records what the error's rule says (`integrations.zoom.api.errors.RULES`)."""
    rule = rule_for(exc, via_company=host is not None and host.via_company_account)
    says = rule.says.format(exc=exc)
    retry_at = None
    if rule.outcome == Outcome.PARK:
        unserved = {
            Park.LEFT_COMPANY_ACCOUNT: ZoomCompanyMember.State.LEFT_ACCOUNT,
            Park.CANNOT_HOST: ZoomCompanyMember.State.CANNOT_HOST,
        }.get(rule.park)
        if unserved:
            # The rep's Zoom user cannot host for them: the account stops serving this rep (not
            # only this booking), everyone else's meetings go on.
            with transaction.atomic():
                rep_unserved(host.member, unserved)

        def transition(b: Booking) -> None:
            b.mark_link_waiting_for_reconnect(says)

    elif rule.outcome == Outcome.RETRY and not out_of_attempts(rule, booking.link_attempts):
        retry_at = next_try(rule, exc, booking.link_attempts)

        def transition(b: Booking) -> None:
            b.mark_link_retry(says, retry_at)

    else:
        if rule.outcome == Outcome.RETRY:
            says = f"Zoom kept failing after {booking.link_attempts} attempts: {exc}"

        def transition(b: Booking) -> None:
            b.mark_link_failed(says)

    if rule.answer_lost:
        return record(booking, transition, retry_at)  # Zoom may have acted: the doubt stays

    # Zoom refused (a 429 too: it means nothing was created), or nothing was sent: this run made
    # no meeting, so the next one looks first only if it had to.
    def refused(current: Booking) -> None:
        transition(current)
        current.record_zoom_refusal(in_doubt)

    return record(booking, refused, retry_at)


def record(booking: Booking, transition, retry_at: datetime | None = None) -> LinkRun:
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.rep_id != booking.rep_id:
            # Handed to another host while this run worked in the former host's Zoom: what it
            # learnt is about that Zoom, not the booking's (whose own run is under way).
            return NOTHING_TO_DO
        transition(current)
        current.save(update_fields=Booking.ZOOM_LINK_FIELDS)
    return LinkRun(current.link_state, retry_at)
