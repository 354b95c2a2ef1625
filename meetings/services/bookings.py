"""Booking, rescheduling and cancelling: the writes a guest or a rep makes on a meeting."""

from contextlib import suppress
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.compiled_reads import ByPrimaryKey

from .. import selectors, signals
from ..availability import Slot
from ..meeting_types import MAX_ADDITIONAL_GUESTS, MeetingType
from ..models import Booking
from ..zoom.state import LinkState

# A booking's Zoom work is enqueued at once; if that message is lost the sweeper picks the booking
# up after this grace period.
SWEEP_GRACE = timedelta(minutes=2)

# SQLSTATEs of the two constraints that refuse double booking on PostgreSQL (unique start,
# overlap exclusion); SQLite reports the unique one by message.
_CONFLICT_SQLSTATES = {"23505", "23P01"}


class BookingError(Exception):
    """A booking request that cannot be honoured; `str()` is safe to show to the person, in the
    language active when it is shown."""


class SlotUnavailable(BookingError):
    pass


# A slot gone, in the words the person booking reads (in their language when shown): no longer
# offered, or taken by someone else at the same moment.
NO_LONGER_AVAILABLE = _("That time is no longer available. Please pick another one.")
JUST_TAKEN = _("Someone booked that time a moment ago. Please pick another one.")


class BookingClosed(BookingError):
    pass


def _is_slot_conflict(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _CONFLICT_SQLSTATES:
        return True
    return "UNIQUE constraint failed: meetings_booking" in str(exc)


# A rep's own booking locks one rep: the same statement every time, compiled once per thread.
_ONE_REP = ByPrimaryKey(lambda: get_user_model().objects.select_for_update().only("pk"))


def lock_reps(rep_ids) -> None:
    """Serializes every booking change of these reps (one, or a team's members): the free-slot
    check and the insert then see the same calendars. Rows are locked in one order, so bookings
    locking overlapping sets never wait on each other in a circle. The database constraints stay
    the last word if this is ever bypassed."""
    rep_ids = set(rep_ids)
    if len(rep_ids) == 1:
        with suppress(ObjectDoesNotExist):  # a rep deleted meanwhile: nothing to lock
            _ONE_REP.get(*rep_ids)
        return
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=rep_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _offered_slot(
    meeting_type: MeetingType, start_at: datetime, *, host=None, exclude=None
) -> Slot:
    for slot in selectors.available_slots(
        meeting_type, start_at, start_at + timedelta(seconds=1), host=host, exclude=exclude
    ):
        if slot.start == start_at:
            return slot
    raise SlotUnavailable(NO_LONGER_AVAILABLE)


def _save_slot(booking: Booking, *, savepoint: bool = True) -> None:
    try:
        with transaction.atomic(savepoint=savepoint):
            booking.save()
    except IntegrityError as exc:
        if _is_slot_conflict(exc):
            raise SlotUnavailable(JUST_TAKEN) from exc
        raise


def book_meeting(
    meeting_type: MeetingType,
    *,
    start_at: datetime,
    guest_name: str,
    guest_email: str,
    guest_time_zone: str,
    booked_by=None,
    admission=None,
    **details,
) -> Booking:
    """Books an offered slot of a rep's Meeting Type; Zoom bookings get their meeting in the
    background, others their invites at once. `booked_by`: the signed-in rep who booked it for the
    guest; `admission`: a public booking's limits (booking_limits.PublicAdmission), spent only
    once the slot is known to be free, or refusing with TooManyRequests; `details`: the guest's
    `language`, `answers` and `additional_guests` (place_booking). Raises SlotUnavailable when the
    slot is not (or no longer) free."""
    with transaction.atomic():
        lock_reps([meeting_type.rep_id])
        slot = _offered_slot(meeting_type, start_at)
        if admission is not None:
            admission.admit(meeting_type, meeting_type.rep_id)
        try:
            return place_booking(
                meeting_type,
                meeting_type.rep,
                slot,
                guest_name=guest_name,
                guest_email=guest_email,
                guest_time_zone=guest_time_zone,
                booked_by=booked_by,
                # A refused insert ends this transaction (SlotUnavailable leaves it), so it needs
                # no savepoint of its own: two round trips less on every public booking.
                savepoint=False,
                **details,
            )
        except BaseException:
            if admission is not None:
                admission.give_back()
            raise


def place_booking(
    meeting_type: MeetingType,
    host,
    slot: Slot,
    *,
    guest_name: str,
    guest_email: str,
    guest_time_zone: str,
    booked_by=None,
    language: str = "en",
    answers: list[dict] | None = None,
    additional_guests: list[str] | None = None,
    savepoint: bool = True,
) -> Booking:
    """Inserts the booking of `slot` with `host` and announces its work. Call it inside the
    caller's transaction, with `host` locked and `slot` checked free for them; the database
    constraints still refuse a double booking (SlotUnavailable). `language`: the guest's, for
    every later email; `answers`: the type's questions as asked ([{"question", "answer"}]);
    `additional_guests`: other people's emails, invited too. `savepoint=False` when the caller's
    transaction ends on SlotUnavailable (the caller that tries another host goes on, so keeps
    it)."""
    guests = list(additional_guests or [])
    if len(guests) > MAX_ADDITIONAL_GUESTS:
        raise BookingError(f"At most {MAX_ADDITIONAL_GUESTS} other guests can be invited.")
    booking = Booking(
        rep=host,
        meeting_type=meeting_type,
        booked_by=booked_by,
        guest_name=guest_name.strip(),
        guest_email=guest_email.strip(),
        guest_time_zone=guest_time_zone,
        language=language,
        answers=list(answers or []),
        additional_guests=guests,
        start_at=slot.start,
        end_at=slot.end,
        location_kind=meeting_type.location_kind,
        location_detail=meeting_type.location_detail,
    )
    booking.start_link(sweep_after=timezone.now() + SWEEP_GRACE)
    booking.plan_reminders(timezone.now())
    _save_slot(booking, savepoint=savepoint)
    _after_change(booking)
    signals.booking_changed.send(sender=Booking, booking=booking, change="created")
    return booking


def reschedule_booking(booking: Booking, *, start_at: datetime, admit=None) -> Booking:
    """Moves a booking to another offered slot of its Meeting Type (its own time counts as free);
    the Zoom meeting follows in the background and everyone gets an updated invite. `admit`: a
    guest's move limits (booking_limits.guest_reschedule_admission), spent only once the new slot
    is known to be free, or refusing with TooManyRequests."""
    with transaction.atomic():
        lock_reps([booking.rep_id])
        locked = _lock_open_booking(booking)
        # A team booking stays with its host: the new time must be free for them.
        slot = _offered_slot(locked.meeting_type, start_at, host=locked.rep, exclude=locked)
        if slot.start == locked.start_at:
            return locked
        if admit is not None:
            admit(locked)
        locked.move_to(slot.start, slot.end)
        locked.plan_reminders(timezone.now())
        _save_slot(locked)
        _after_change(locked)
        signals.booking_changed.send(sender=Booking, booking=locked, change="moved")
    return locked


def change_host(booking: Booking, to_rep, *, by=None, may_host=None) -> Booking:
    """Hands an upcoming booking to `to_rep` at the same time: a Zoom booking gets a new meeting
    in their Zoom in the background (the former host's is deleted apart, through the chain that
    made it), the guest and the new host get an updated invite once it exists, the former host
    a cancellation, and the company's webhooks a booking.reassigned. `by`: who changed it;
    `may_host(booking)`: raises BookingError when `to_rep` may not take the booking, asked under
    the locks. Raises SlotUnavailable when `to_rep` has another meeting then. (Its words are for
    reps and admins, in the site's language.)"""
    with transaction.atomic():
        lock_reps([booking.rep_id, to_rep.pk])
        locked = _lock_open_booking(booking)
        if locked.rep_id != booking.rep_id:
            # Another change won the race: the former host we locked is not the host now.
            raise BookingError("This booking changed hands a moment ago. Reload the page.")
        if locked.rep_id == to_rep.pk:
            raise BookingError(f"{to_rep.display_name} already hosts this meeting.")
        now = timezone.now()
        if locked.link_lease_until and locked.link_lease_until > now:
            # Zoom is answering for the current host right now; its answer is recorded in seconds.
            raise BookingError(
                "Zoom is working on this meeting right now. Try again in a few seconds."
            )
        if may_host is not None:
            may_host(locked)
        if _busy(to_rep, locked):
            raise SlotUnavailable(f"{to_rep.display_name} has another meeting then.")
        change = locked.hand_over(to_rep, now)
        change.changed_by = by
        _save_slot(locked)
        change.save()
        _after_change(locked)
        if locked.is_zoom:
            # The former host's cancellation needs no link: it goes at once, the invites with
            # the new link once it exists.
            signals.invites_after_commit(locked.pk)
        if change.removal_is_open and change.next_attempt_at <= now:
            signals.former_meeting_after_commit(change.pk)
        signals.booking_changed.send(
            sender=Booking, booking=locked, change="reassigned", host_change=change
        )
    return locked


def _busy(rep, booking: Booking) -> bool:
    """Whether `rep` has another confirmed meeting overlapping the booking (the database's
    constraints refuse it too; this says so in words first, on every database)."""
    return (
        Booking.objects.filter(
            rep=rep,
            status=Booking.Status.CONFIRMED,
            start_at__lt=booking.end_at,
            end_at__gt=booking.start_at,
        )
        .exclude(pk=booking.pk)
        .exists()
    )


def cancel_booking(booking: Booking, *, by: Booking.Actor, reason: str = "") -> Booking:
    """Cancels the booking (again is a no-op), removes its Zoom meeting in the background and
    sends everyone a cancellation, with the canceller's reason if they gave one."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.is_cancelled:
            return locked
        _refuse_if_over(locked)
        locked.cancel(by, reason)
        locked.save()
        if locked.link_state == LinkState.REMOVING:
            signals.zoom_work_after_commit(locked.pk)
        signals.invites_after_commit(locked.pk)
        signals.booking_changed.send(sender=Booking, booking=locked, change="cancelled")
    return locked


def _lock_open_booking(booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("meeting_type", "rep")
        .get(pk=booking.pk)
    )
    if locked.is_cancelled:
        raise BookingClosed(_("This meeting was cancelled."))
    _refuse_if_over(locked)
    return locked


def _refuse_if_over(booking: Booking) -> None:
    if booking.end_at <= timezone.now():
        raise BookingClosed(_("This meeting is already over."))


def _after_change(booking: Booking) -> None:
    if booking.is_zoom:
        # Invites wait for the link; the Zoom work sends them once it is ready. A new booking's
        # guest is told at once that the time is theirs (a confirmation without the link).
        signals.zoom_work_after_commit(booking.pk)
        if booking.invite_sequence == 0:
            signals.invites_after_commit(booking.pk)
    else:
        signals.invites_after_commit(booking.pk)
