"""Emailing the calendar invite (or cancellation) of a booking's current version to both people."""

import logging
import smtplib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .. import guest_access, ics, placeholders
from ..models import Booking, InviteDelivery
from ..zoom.state import LinkState

logger = logging.getLogger(__name__)

Method = InviteDelivery.Method
Recipient = InviteDelivery.Recipient


def invite_method(booking: Booking) -> str | None:
    """REQUEST once there is something to invite to, CANCEL once cancelled; None while a Zoom
    link is still being prepared (the invite must carry it)."""
    if booking.is_cancelled:
        return Method.CANCEL
    if booking.is_zoom and booking.link_state != LinkState.READY:
        return None
    return Method.REQUEST


def send_invites(booking_id: int) -> int:
    """Sends the current version's invite (or cancellation) to the guest and the rep unless already
    sent, and a new Zoom booking's guest a confirmation at once while its link is prepared;
    returns how many went out.

    Each message is recorded (committed) before it is sent, and the record is dropped only if
    sending fails: a run that fails or is retried after a message left never sends it again.
    """
    booking, claims = _claim(booking_id)
    undeliverable = 0
    for index, delivery in enumerate(claims):
        email = _message(booking, delivery.method, delivery.recipient)
        try:
            email.send()
        except (smtplib.SMTPException, ValueError) as exc:
            reason = undeliverable_reason(exc)
            if reason is None:
                InviteDelivery.objects.filter(pk__in=[d.pk for d in claims[index:]]).delete()
                raise  # worth retrying: the task backs off, then the sweeper
            # Refused for good: recorded for the rep, and the version counts as done (never
            # retried by the sweeper).
            logger.warning("Invite for booking %s not deliverable: %s", booking.pk, reason)
            booking.mark_invite_undeliverable(Recipient(delivery.recipient).label.lower(), reason)
            Booking.objects.filter(pk=booking.pk).update(invite_error=booking.invite_error)
            delivery.delete()
            undeliverable += 1
        except Exception:
            # Not sent (nor the ones after it), so the next run may try them again.
            InviteDelivery.objects.filter(pk__in=[d.pk for d in claims[index:]]).delete()
            raise
    _mark_sent(booking_id)
    return len(claims) - undeliverable


def _claim(booking_id: int) -> tuple[Booking, list[InviteDelivery]]:
    """Records (and commits) the messages the booking's current version still owes each person.
    The row lock makes two runs agree on who sends what, and both people get the same version."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("rep", "meeting_type")
            .get(pk=booking_id)
        )
        done = set(
            InviteDelivery.objects.filter(booking=booking).values_list(
                "sequence", "method", "recipient"
            )
        )
        claims = []
        for recipient in (Recipient.GUEST, Recipient.REP):
            method = invite_method(booking)
            if method is None:
                if not _confirmation_due(booking, recipient):
                    continue
                method = Method.CONFIRMATION
            if (booking.invite_sequence, method, recipient) in done:
                continue
            if method == Method.CANCEL and not any(
                m in (Method.REQUEST, Method.CONFIRMATION) and r == recipient for _, m, r in done
            ):
                continue  # never told of it, so nothing to cancel for them
            claims.append(
                InviteDelivery.objects.create(
                    booking=booking,
                    sequence=booking.invite_sequence,
                    method=method,
                    recipient=recipient,
                    email=booking.guest_email
                    if recipient == Recipient.GUEST
                    else booking.rep.email,
                    location=booking.location_text,
                    zoom_chain=booking.zoom_chain if booking.zoom_join_url else "",
                )
            )
    return booking, claims


def _confirmation_due(booking: Booking, recipient: str) -> bool:
    """A new Zoom booking's guest hears at once that the time is theirs (with their booking page);
    the invite with the Zoom details follows when the link exists."""
    return (
        recipient == Recipient.GUEST
        and booking.is_zoom
        and booking.invite_sequence == 0
        and not booking.is_cancelled
    )


def _mark_sent(booking_id: int) -> None:
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking_id)
        if invite_method(booking) is None:
            return
        booking.invites_sent_sequence = booking.invite_sequence
        booking.save(update_fields=["invites_sent_sequence", "updated_at"])


def undeliverable_reason(exc: Exception) -> str | None:
    """Why an invite can never be delivered, or None for a failure that may pass (a server down,
    a 4xx "try later"). Retrying a refused address would retry every minute forever."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = list(exc.recipients.values())
        if refusals and all(code >= 500 for code, _ in refusals):
            code, text = refusals[0]
            detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
            return f"the mail server refused the address ({code} {detail})."
        return None
    if isinstance(exc, ValueError):
        return "the address cannot be written into an email."
    return None


def _message(booking: Booking, method: str, recipient: str) -> EmailMessage:
    is_guest = recipient == Recipient.GUEST
    time_zone = booking.guest_time_zone if is_guest else booking.rep.time_zone
    title = placeholders.render_title(booking)
    description = placeholders.render_description(booking)
    context = {
        "booking": booking,
        "title": title,
        "cancelled": method == Method.CANCEL,
        "confirmation": method == Method.CONFIRMATION,
        "updated": booking.invite_sequence > 0,
        "is_guest": is_guest,
        "product_name": settings.PRODUCT_NAME,
        "cancelled_by_other": booking.cancelled_by
        != (Booking.Actor.GUEST if is_guest else Booking.Actor.REP),
        "when": placeholders.format_start(booking.start_at, time_zone),
        "previous_when": placeholders.format_start(booking.previous_start_at, time_zone)
        if booking.previous_start_at and booking.invite_sequence
        else "",
        "time_zone": time_zone,
        "dial_in": placeholders.format_dial_in(booking.zoom_dial_in),
        "description": description,
        # The rep's description usually carries the Zoom details already: show them once.
        "zoom_in_description": bool(booking.zoom_join_url) and booking.zoom_join_url in description,
        "manage_url": guest_access.manage_url(booking) if is_guest else "",
        "rep_url": settings.SITE_URL + booking_path(booking) if not is_guest else "",
    }
    if method == Method.CONFIRMATION:
        subject = f"Booked: {title}"
    elif method == Method.CANCEL:
        subject = f"Cancelled: {title}"
    elif booking.invite_sequence:
        subject = f"Updated invitation: {title}"
    else:
        subject = f"Invitation: {title}"
    message = EmailMessage(
        subject=subject,
        body=render_to_string("meetings/email/invite.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.guest_email if is_guest else booking.rep.email],
    )
    if method == Method.CONFIRMATION:
        return message  # the calendar invite comes with the Zoom details
    # text/calendar with the iTIP method is what mail clients look for to offer Accept/Decline.
    part = MIMEText(ics.build_invite(booking, method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def booking_path(booking: Booking) -> str:
    return reverse("meetings:booking_detail", args=[booking.pk])
