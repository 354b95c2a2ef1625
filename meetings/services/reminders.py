"""Sending the reminders before a meeting: to the guest and their other guests (in the guest's
language, with their times) and to the rep, each once per start time, with the booking as it is
when the reminder leaves (a link made or moved since is the one it carries)."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .. import guest_access, placeholders
from ..invite_deliveries import InviteDelivery
from ..models import Booking
from ..reminders import ReminderDelivery, due_offset, in_words, next_due
from .invites import booking_path, language_of, recipients_of, undeliverable_reason

Recipient = InviteDelivery.Recipient

logger = logging.getLogger(__name__)

# A mail server that failed is asked again this much later (the sweeper runs every minute).
RETRY_AFTER = timedelta(minutes=2)


def bookings_with_reminders_due(now=None):
    now = now or timezone.now()
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED, next_reminder_at__lte=now
    ).order_by("next_reminder_at")


def send_reminder(booking_id: int) -> int:
    """Sends the booking's reminder that is due now to everyone not sent it yet; returns how many
    went out. Each is recorded (committed) before it leaves and the record dropped if sending
    fails, so a retried or repeated run never sends one twice; a cancelled booking, one whose
    meeting has begun, or a time moved away from gets none."""
    booking, offset, claims = _claim(booking_id)
    if not claims:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except OSError:
        _give_back(booking, claims)
        raise
    sent = 0
    try:
        for index, claim in enumerate(claims):
            message = _message(booking, offset, claim)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, ValueError) as exc:
                if undeliverable_reason(exc) is None:
                    _give_back(booking, claims[index:])
                    raise
                # A refused address stays refused: recorded as done, never retried.
                logger.warning("Reminder for booking %s not deliverable: %s", booking.pk, exc)
            except Exception:
                _give_back(booking, claims[index:])
                raise
            else:
                sent += 1
    finally:
        connection.close()
    return sent


def _claim(booking_id: int) -> tuple[Booking, int | None, list[ReminderDelivery]]:
    now = timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("rep", "meeting_type")
            .get(pk=booking_id)
        )
        offsets = booking.meeting_type.reminder_minutes or []
        after = booking.reminders_from or booking.created_at
        offset = None if booking.is_cancelled else due_offset(booking.start_at, offsets, after, now)
        claims = []
        if offset is not None:
            sent = set(
                ReminderDelivery.objects.filter(
                    booking=booking, minutes_before=offset, start_at=booking.start_at
                ).values_list("recipient", "email")
            )
            claims = [
                ReminderDelivery(
                    booking=booking,
                    recipient=recipient,
                    email=email,
                    minutes_before=offset,
                    start_at=booking.start_at,
                    location=booking.location_text,
                )
                for recipient, email in recipients_of(booking)
                if (recipient, email) not in sent
            ]
            ReminderDelivery.objects.bulk_create(claims)
            booking.reminders_from = now
        booking.next_reminder_at = (
            None if booking.is_cancelled else next_due(booking.start_at, offsets, now)
        )
        booking.save(update_fields=["reminders_from", "next_reminder_at", "updated_at"])
    return booking, offset, claims


def _give_back(booking: Booking, claims: list[ReminderDelivery]) -> None:
    """Not sent: forget them and make the reminder due again soon, unless the booking changed
    meanwhile (a move or a cancellation plans its reminders itself)."""
    with transaction.atomic():
        ReminderDelivery.objects.filter(pk__in=[c.pk for c in claims if c.pk]).delete()
        Booking.objects.filter(
            pk=booking.pk,
            status=Booking.Status.CONFIRMED,
            start_at=booking.start_at,
            reminders_from=booking.reminders_from,
        ).update(
            # Just before this reminder's time, so it (and only it) is due again.
            reminders_from=booking.start_at
            - timedelta(minutes=claims[0].minutes_before, seconds=1),
            next_reminder_at=timezone.now() + RETRY_AFTER,
        )


def _message(booking: Booking, offset: int, claim: ReminderDelivery) -> EmailMessage:
    language = language_of(booking, claim.recipient)
    is_rep = claim.recipient == Recipient.REP
    time_zone = booking.rep.time_zone if is_rep else booking.guest_time_zone
    with translation.override(language):
        texts = placeholders.invite_texts(booking)
        soon = in_words(booking.start_at - timezone.now())
        context = {
            "booking": booking,
            "title": texts.title,
            "soon": soon,
            "when": placeholders.format_start(booking.start_at, time_zone),
            "time_zone": time_zone,
            "is_rep": is_rep,
            "dial_in": placeholders.format_dial_in(booking.zoom_dial_in),
            # The guest's own link is a key to reschedule or cancel: theirs alone.
            "manage_url": guest_access.manage_url(booking)
            if claim.recipient == Recipient.GUEST
            else "",
            "rep_url": settings.SITE_URL + booking_path(booking) if is_rep else "",
            "product_name": settings.PRODUCT_NAME,
        }
        subject = gettext("Reminder: %(title)s, %(soon)s") % {"title": texts.title, "soon": soon}
        body = render_to_string("meetings/email/reminder.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[claim.email],
        headers={"Content-Language": language},
    )
