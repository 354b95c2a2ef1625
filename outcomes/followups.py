"""What happens next, each sent once: the guest's "sorry we missed you" with a link to book again,
and the rep's alert that a guest is waiting in the Zoom meeting without them.

The guest's email waits until the outcome is settled (MeetingOutcome.is_settled: the check after
the meeting ran, or the rep marked it): a no-show from the events alone may be one lost or late
join away from a held meeting, and a guest who came must never be told they missed it.

Each is claimed on the outcome's row before it is sent (a conditional update: two workers never
both send it) and the claim is given back if the mail server refuses, so the task's retry can
send it; a worker dying between the mail server's "accepted" and the claim's commit is the only
way to send twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from meetings.models import Booking

from .models import MeetingOutcome, Source
from .rules import Outcome
from .services import CHECK_WINDOW

logger = logging.getLogger(__name__)


def rebook_url(booking: Booking) -> str:
    """The booking page of the same Meeting Type with the same rep: the rep's own page for a
    rep's type, the team's page showing that rep's times for a team type. Empty when the type
    takes no bookings any more."""
    meeting_type = booking.meeting_type
    if not meeting_type.is_active or meeting_type.is_archived:
        return ""
    try:
        if meeting_type.rep_id:
            path = reverse(
                "meetings:book",
                kwargs={"rep": meeting_type.rep.booking_slug, "meeting_type": meeting_type.slug},
            )
        else:
            # The team type's page with the same rep's times alone (the whole team's page
            # should the rep have left it).
            path = reverse(
                "teams:team_book_with",
                kwargs={
                    "team": meeting_type.team.slug,
                    "meeting_type": meeting_type.slug,
                    "rep": booking.rep.booking_slug,
                },
            )
    except NoReverseMatch:
        return ""
    return settings.SITE_URL + path


def no_show_email_would_go(booking: Booking, now=None) -> bool:
    """Whether a guest no-show of this booking would be emailed (the rep's page says so before
    they mark it): the Meeting Type sends it and the meeting is recent enough for it to help (an
    outcome marked weeks later tells nobody)."""
    now = now or timezone.now()
    return booking.meeting_type.no_show_email and booking.end_at >= now - CHECK_WINDOW


def no_show_email_due(record: MeetingOutcome) -> bool:
    """Whether the guest's no-show email may go (the Meeting Type's setting aside)."""
    return (
        record.outcome == Outcome.GUEST_NO_SHOW
        and record.is_settled
        and record.no_show_email_sent_at is None
    )


def send_no_show_email(booking_id: int) -> bool:
    """Emails the guest who missed the meeting, if the Meeting Type asks for it and the outcome
    is settled; once."""
    booking = (
        Booking.objects.select_related("meeting_type", "rep", "outcome")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or not no_show_email_would_go(booking):
        return False
    url = rebook_url(booking)
    if not url:
        return False
    if not _claim(booking_id, "no_show_email_sent_at", Q(outcome=Outcome.GUEST_NO_SHOW) & _SETTLED):
        return False
    context = {"booking": booking, "rebook_url": url, "host": booking.rep}
    email = EmailMessage(
        subject=f"Sorry we missed you: {booking.meeting_type.name}",
        body=render_to_string("outcomes/email/no_show.txt", context),
        to=[booking.guest_email],
        reply_to=[booking.rep.email],
    )
    return _send_claimed(email, booking_id, "no_show_email_sent_at", "no-show email")


def alert_host_absent(booking_id: int) -> bool:
    """Emails the rep that a guest has waited in the Zoom meeting for the Meeting Type's minutes
    without them; once per booking. False when it is not (or no longer) due."""
    booking = Booking.objects.select_related("meeting_type", "rep").filter(pk=booking_id).first()
    # A late event about a meeting whose time is over alerts nobody: it is too late to join.
    if booking is None or booking.is_cancelled or booking.end_at <= timezone.now():
        return False
    wait = timedelta(minutes=booking.meeting_type.host_absent_alert_minutes)
    record = MeetingOutcome.objects.filter(booking_id=booking_id).first()
    waited = record.host_absent_for(timezone.now()) if record else None
    if waited is None or waited < wait:
        return False
    if not _claim(booking_id, "host_absent_alert_sent_at"):
        return False
    context = {
        "booking": booking,
        "waiting_since": record.guest_waiting_since,
        "minutes": int(waited.total_seconds() // 60),
        "booking_url": settings.SITE_URL
        + reverse("meetings:booking_detail", kwargs={"pk": booking.pk}),
    }
    email = EmailMessage(
        subject=f"{booking.guest_name} is waiting for you in Zoom",
        body=render_to_string("outcomes/email/host_absent.txt", context),
        to=[booking.rep.email],
    )
    return _send_claimed(email, booking_id, "host_absent_alert_sent_at", "host-absent alert")


def alerts_due(now=None, limit: int = 500) -> list[int]:
    """Bookings whose guest waits without the host and whose alert is not sent (the sweeper
    checks each: its own Meeting Type says how long is too long)."""
    now = now or timezone.now()
    return list(
        MeetingOutcome.objects.filter(
            guest_waiting_since__isnull=False,
            guest_waiting_since__lte=now - timedelta(minutes=1),
            guest_waiting_since__gte=now - timedelta(hours=6),
            host_absent_alert_sent_at__isnull=True,
            meeting_ended_at__isnull=True,
            booking__status=Booking.Status.CONFIRMED,
        ).values_list("booking_id", flat=True)[:limit]
    )


def no_show_emails_due(now=None, limit: int = 500) -> list[int]:
    """Bookings whose guest's no-show email should have gone and has not (the message asking
    for it was lost): settled guest no-shows of Meeting Types that send it, a while ago."""
    now = now or timezone.now()
    return list(
        MeetingOutcome.objects.filter(
            _SETTLED,
            outcome=Outcome.GUEST_NO_SHOW,
            no_show_email_sent_at__isnull=True,
            updated_at__lte=now - timedelta(minutes=2),
            booking__end_at__gte=now - CHECK_WINDOW,
            booking__status=Booking.Status.CONFIRMED,
            booking__meeting_type__no_show_email=True,
            # A type that takes no bookings has no link to send (send_no_show_email skips it).
            booking__meeting_type__is_active=True,
            booking__meeting_type__is_archived=False,
        ).values_list("booking_id", flat=True)[:limit]
    )


# MeetingOutcome.is_settled, as a query.
_SETTLED = Q(source=Source.REP) | Q(checked_at__isnull=False)


def _claim(booking_id: int, field: str, condition: Q | None = None) -> bool:
    with transaction.atomic():
        found = MeetingOutcome.objects.filter(booking_id=booking_id, **{f"{field}__isnull": True})
        if condition is not None:
            found = found.filter(condition)
        return found.update(**{field: timezone.now()}) == 1


def _send_claimed(email: EmailMessage, booking_id: int, field: str, what: str) -> bool:
    """Sends what `field` claimed; the claim is given back if the mail server refuses, so the
    task's retry can send it."""
    try:
        email.send()
    except Exception:
        MeetingOutcome.objects.filter(booking_id=booking_id).update(**{field: None})
        raise
    logger.info("Sent the %s of booking %s", what, booking_id)
    return True
