"""The guest's access to their booking: a signed link, sent by email and shown after booking.

Signed with SECRET_KEY (django.core.signing) rather than stored: the token is the booking's
public id plus a signature, stable for the booking's life, and cannot be forged for another one.
A link is a bearer key, so it stops working GUEST_LINK_DAYS_AFTER_MEETING days after the meeting
ends (a forwarded or leaked invite then shows nothing), and its pages are never cached.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

_SALT = "meetings.guest-booking"


def token_for(booking) -> str:
    return signing.Signer(salt=_SALT).sign(booking.public_id.hex)


def public_id_from(token: str) -> uuid.UUID | None:
    """The booking's public id, or None for a tampered or malformed token."""
    try:
        return uuid.UUID(hex=signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def manage_path(booking) -> str:
    return reverse("meetings:guest_booking", args=[token_for(booking)])


def manage_url(booking) -> str:
    return settings.SITE_URL + manage_path(booking)


def link_expired(booking) -> bool:
    return booking.end_at + timedelta(days=settings.GUEST_LINK_DAYS_AFTER_MEETING) < timezone.now()
