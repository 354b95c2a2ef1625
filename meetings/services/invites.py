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
from ..models import Booking, InviteDelivery, LinkState

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
    """Sends the current version's invite to the guest and the rep unless already sent; returns how
    many went out. The booking row stays locked meanwhile so two runs never both send."""
    sent = 0
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("rep", "meeting_type")
            .get(pk=booking_id)
        )
        method = invite_method(booking)
        if method is None:
            return 0
        done = set(
            InviteDelivery.objects.filter(booking=booking).values_list(
                "sequence", "method", "recipient"
            )
        )
        for recipient in (Recipient.GUEST, Recipient.REP):
            if (booking.invite_sequence, method, recipient) in done:
                continue
            if method == Method.CANCEL and not any(
                m == Method.REQUEST and r == recipient for _, m, r in done
            ):
                continue  # never invited, so nothing to cancel in their calendar
            email = _message(booking, method, recipient)
            try:
                email.send()
            except (smtplib.SMTPException, ValueError) as exc:
                reason = undeliverable_reason(exc)
                if reason is None:
                    raise  # worth retrying: the task backs off, then the sweeper
                logger.warning("Invite for booking %s not deliverable: %s", booking.pk, reason)
                booking.mark_invite_undeliverable(Recipient(recipient).label.lower(), reason)
                continue
            InviteDelivery.objects.create(
                booking=booking,
                sequence=booking.invite_sequence,
                method=method,
                recipient=recipient,
                email=email.to[0],
                location=booking.location_text,
            )
            sent += 1
        booking.invites_sent_sequence = booking.invite_sequence
        booking.save(update_fields=["invites_sent_sequence", "invite_error", "updated_at"])
    return sent


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
    context = {
        "booking": booking,
        "title": title,
        "cancelled": method == Method.CANCEL,
        "updated": booking.invite_sequence > 0,
        "is_guest": is_guest,
        "when": placeholders.format_start(booking.start_at, time_zone),
        "time_zone": time_zone,
        "dial_in": placeholders.format_dial_in(booking.zoom_dial_in),
        "description": placeholders.render_description(booking),
        "manage_url": guest_access.manage_url(booking) if is_guest else "",
        "rep_url": settings.SITE_URL + booking_path(booking) if not is_guest else "",
    }
    if method == Method.CANCEL:
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
    # text/calendar with the iTIP method is what mail clients look for to offer Accept/Decline.
    part = MIMEText(ics.build_invite(booking, method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def booking_path(booking: Booking) -> str:
    return reverse("meetings:booking_detail", args=[booking.pk])
