"""Emailing the calendar invite (or cancellation) of a booking's current version to everyone: the
guest and the other guests they invited (in the guest's language) and the rep."""

import logging
import smtplib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from config.compiled_reads import ByPrimaryKey
from config.mail import EmailMessage

from .. import guest_access, ics, languages, placeholders
from ..invite_deliveries import InviteDelivery
from ..models import Booking
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
    """Sends the current version's invite (or cancellation) to the guest, the other guests and the
    rep unless already sent, and a new Zoom booking's guest a confirmation at once while its link
    is prepared; returns how many went out.

    Each message is recorded (committed) before it is sent, and the record is dropped only if
    sending fails: a run that fails or is retried after a message left never sends it again.
    What the messages share (title and description, the calendar file, each role's body) is
    rendered once per run, and they leave over one connection to the mail server.
    """
    booking, claims = _claim(booking_id)
    if claims:
        messages = InviteMessages(booking)
        undeliverable = _deliver(booking, claims, messages)
    else:
        undeliverable = 0
    if invite_method(booking) is not None:
        _mark_sent(booking)
    return len(claims) - undeliverable


def _deliver(booking: Booking, claims: list[InviteDelivery], messages: "InviteMessages") -> int:
    """Sends each claimed message over one connection; returns how many were refused for good."""
    connection = get_connection()
    try:
        connection.open()
    except OSError:
        _forget(claims)
        raise  # the mail server is down: the task backs off, then the sweeper
    undeliverable = 0
    try:
        for index, delivery in enumerate(claims):
            email = messages.for_delivery(delivery)
            email.connection = connection
            try:
                email.send()
            except (smtplib.SMTPException, ValueError) as exc:
                reason = undeliverable_reason(exc)
                if reason is None:
                    _forget(claims[index:])
                    raise  # worth retrying: the task backs off, then the sweeper
                _refused_for_good(booking, delivery, reason)
                undeliverable += 1
            except Exception:
                # Not sent (nor the ones after it), so the next run may try them again.
                _forget(claims[index:])
                raise
    finally:
        connection.close()
    return undeliverable


def _refused_for_good(booking: Booking, delivery: InviteDelivery, reason: str) -> None:
    """Recorded for the rep, and the version counts as done (never retried by the sweeper)."""
    logger.warning("Invite for booking %s not deliverable: %s", booking.pk, reason)
    booking.mark_invite_undeliverable(Recipient(delivery.recipient).label.lower(), reason)
    Booking.objects.filter(pk=booking.pk).update(invite_error=booking.invite_error)
    delivery.delete()


def _forget(claims: list[InviteDelivery]) -> None:
    InviteDelivery.objects.filter(pk__in=[d.pk for d in claims]).delete()


# Every run locks and reads its booking this way: compiled once per worker thread.
_BOOKING_TO_CLAIM = ByPrimaryKey(
    lambda: Booking.objects.select_for_update(of=("self",)).select_related("rep", "meeting_type")
)


def _claim(booking_id: int) -> tuple[Booking, list[InviteDelivery]]:
    """Records (and commits) the messages the booking's current version still owes each person.
    The row lock makes two runs agree on who sends what, and both people get the same version."""
    with transaction.atomic():
        booking = _BOOKING_TO_CLAIM.get(booking_id)
        sent = list(
            InviteDelivery.objects.filter(booking=booking).values_list(
                "sequence", "method", "recipient", "email"
            )
        )
        done = set(sent)
        claims = []
        for recipient, email in recipients_of(booking):
            method = invite_method(booking)
            if method is None:
                if not _confirmation_due(booking, recipient):
                    continue
                method = Method.CONFIRMATION
            if (booking.invite_sequence, method, recipient, email) in done:
                continue
            if method == Method.CANCEL and not any(
                m in (Method.REQUEST, Method.CONFIRMATION) and (r, e) == (recipient, email)
                for _, m, r, e in done
            ):
                continue  # never told of it, so nothing to cancel for them
            claims.append(
                InviteDelivery(
                    booking=booking,
                    sequence=booking.invite_sequence,
                    method=method,
                    recipient=recipient,
                    email=email,
                    location=booking.location_text,
                    zoom_chain=booking.zoom_chain if booking.zoom_join_url else "",
                )
            )
        claims += _owed_to_former_hosts(booking, sent)
        InviteDelivery.objects.bulk_create(claims)
    return booking, claims


def _owed_to_former_hosts(booking: Booking, sent) -> list[InviteDelivery]:
    """Each host the booking was handed away from gets one cancellation of the invite they had:
    owed while the latest message to them is an invitation (handed back and away again, they are
    owed another)."""
    if not booking.invite_sequence:
        return []  # never changed, so never changed hands
    former = set(booking.host_changes.values_list("from_rep__email", flat=True))
    former.discard(booking.rep.email)
    if not former:
        return []
    latest = {}
    for _, method, recipient, email in sorted(sent):
        if recipient == Recipient.REP:
            latest[email] = method
    return [
        InviteDelivery(
            booking=booking,
            sequence=booking.invite_sequence,
            method=Method.CANCEL,
            recipient=Recipient.REP,
            email=email,
        )
        for email in sorted(former)
        if latest.get(email) == Method.REQUEST
    ]


def recipients_of(booking: Booking) -> list[tuple[str, str]]:
    """Who the booking's messages go to: the guest, the rep, then each other guest."""
    return [
        (Recipient.GUEST, booking.guest_email),
        (Recipient.REP, booking.rep.email),
        *((Recipient.OTHER_GUEST, email) for email in booking.additional_guests or ()),
    ]


def language_of(booking: Booking, recipient: str) -> str:
    """The guest and their other guests read the guest's language; the rep, the site's."""
    if recipient == Recipient.REP:
        return languages.DEFAULT
    return booking.language


def _confirmation_due(booking: Booking, recipient: str) -> bool:
    """A new Zoom booking's guest hears at once that the time is theirs (with their booking page);
    the invite with the Zoom details follows when the link exists."""
    return (
        recipient == Recipient.GUEST
        and booking.is_zoom
        and booking.invite_sequence == 0
        and not booking.is_cancelled
    )


def _mark_sent(booking: Booking) -> None:
    """The version this run claimed has had its messages: the sweeper may stop looking, unless a
    newer version came meanwhile (its own run marks it). One conditional UPDATE: no lock."""
    sequence = booking.invite_sequence
    Booking.objects.filter(pk=booking.pk, invite_sequence=sequence).exclude(
        invites_sent_sequence__gte=sequence
    ).update(invites_sent_sequence=sequence, updated_at=timezone.now())


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


class InviteMessages:
    """The messages of one run: each part rendered once per language, whoever it goes to. The
    title and description once per language, the calendar file once per (method, language), the
    body once per (method, role, language)."""

    def __init__(self, booking: Booking):
        self.booking = booking
        self._texts: dict[str, placeholders.InviteTexts] = {}
        self._calendars: dict[tuple[str, str], bytes] = {}
        self._bodies: dict[tuple[str, str, str, str], str] = {}
        self._new_host: bool | None = None
        self._former_zones: dict[str, str] | None = None

    def for_delivery(self, delivery: InviteDelivery) -> EmailMessage:
        method, recipient = delivery.method, delivery.recipient
        language = language_of(self.booking, recipient)
        # A host the booking was handed away from (their cancellation), told in their own zone.
        former = recipient == Recipient.REP and delivery.email != self.booking.rep.email
        former_zone = self.former_zone(delivery.email) if former else ""
        message = EmailMessage(
            subject=self.subject(method, language),
            body=self.body(method, recipient, language, former_zone=former_zone),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.email],
            headers={"Content-Language": language},
        )
        if method == Method.CONFIRMATION:
            return message  # the calendar invite comes with the Zoom details
        # text/calendar with the iTIP method is what mail clients look for to offer Accept/Decline.
        part = MIMEText(self.calendar(method, language).decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
        return message

    def texts(self, language: str) -> placeholders.InviteTexts:
        if language not in self._texts:
            with translation.override(language):
                self._texts[language] = placeholders.invite_texts(self.booking)
        return self._texts[language]

    def subject(self, method: str, language: str = languages.DEFAULT) -> str:
        title = self.texts(language).title
        with translation.override(language):
            if method == Method.CONFIRMATION:
                return gettext("Booked: %(title)s") % {"title": title}
            if method == Method.CANCEL:
                return gettext("Cancelled: %(title)s") % {"title": title}
            if self.booking.invite_sequence:
                return gettext("Updated invitation: %(title)s") % {"title": title}
            return gettext("Invitation: %(title)s") % {"title": title}

    def calendar(self, method: str, language: str = languages.DEFAULT) -> bytes:
        key = (method, language)
        if key not in self._calendars:
            self._calendars[key] = ics.build_invite(
                self.booking, method, texts=self.texts(language), language=language
            )
        return self._calendars[key]

    def body(
        self,
        method: str,
        recipient: str,
        language: str = languages.DEFAULT,
        *,
        former_zone: str = "",
    ) -> str:
        """`former_zone`: the body is for a former host of the booking, in that zone."""
        key = (method, recipient, language, former_zone)
        if key not in self._bodies:
            context = self._context(method, recipient, language, former_zone)
            with translation.override(language):
                self._bodies[key] = render_to_string("meetings/email/invite.txt", context)
        return self._bodies[key]

    def new_host(self) -> bool:
        """Whether this version is the one that handed the booking to its host."""
        if self._new_host is None:
            booking = self.booking
            self._new_host = bool(booking.invite_sequence) and (
                booking.host_changes.filter(sequence=booking.invite_sequence).exists()
            )
        return self._new_host

    def former_zone(self, email: str) -> str:
        """The time zone of the former host with this email (the booking's own host's zone is
        not theirs: a team's members live in different zones)."""
        if self._former_zones is None:
            self._former_zones = dict(
                self.booking.host_changes.values_list("from_rep__email", "from_rep__time_zone")
            )
        return self._former_zones.get(email) or self.booking.rep.time_zone

    def _context(self, method: str, recipient: str, language: str, former_zone: str = "") -> dict:
        booking = self.booking
        texts = self.texts(language)
        description = texts.description
        is_rep = recipient == Recipient.REP
        former = bool(former_zone)
        own_zone = booking.rep.time_zone if is_rep else booking.guest_time_zone
        time_zone = former_zone or own_zone
        with translation.override(language):
            when = placeholders.format_start(booking.start_at, time_zone)
            previous_when = (
                placeholders.format_start(booking.previous_start_at, time_zone)
                if booking.previous_start_at and booking.invite_sequence
                else ""
            )
        return {
            "booking": booking,
            "title": texts.title,
            "cancelled": method == Method.CANCEL,
            "confirmation": method == Method.CONFIRMATION,
            "updated": booking.invite_sequence > 0,
            "handed_over": former,
            "new_host": method == Method.REQUEST and self.new_host(),
            "is_guest": recipient == Recipient.GUEST,
            "is_other_guest": recipient == Recipient.OTHER_GUEST,
            "is_rep": is_rep,
            "product_name": settings.PRODUCT_NAME,
            "cancelled_by_other": booking.cancelled_by
            != (Booking.Actor.REP if is_rep else Booking.Actor.GUEST),
            "when": when,
            "previous_when": previous_when,
            "time_zone": time_zone,
            "dial_in": placeholders.format_dial_in(booking.zoom_dial_in),
            "description": description,
            # The rep's description usually carries the Zoom details already: show them once.
            "zoom_in_description": bool(booking.zoom_join_url)
            and booking.zoom_join_url in description,
            # The guest's own link is a key to reschedule or cancel: theirs alone.
            "manage_url": guest_access.manage_url(booking) if recipient == Recipient.GUEST else "",
            # The former host no longer sees the booking.
            "rep_url": settings.SITE_URL + booking_path(booking) if is_rep and not former else "",
        }


def booking_path(booking: Booking) -> str:
    return reverse("meetings:booking_detail", args=[booking.pk])
