"""Writes on a rep's own profile."""

from django.db import transaction

from .models import PreviousBookingSlug, User


def update_profile(rep: User, *, name: str, time_zone: str, booking_slug: str) -> User:
    """Saves the rep's name, time zone and booking handle. A changed handle is remembered, so
    booking links shared with the old one redirect to the new one."""
    with transaction.atomic():
        old_slug = (
            User.objects.select_for_update().values_list("booking_slug", flat=True).get(pk=rep.pk)
        )
        if booking_slug != old_slug:
            PreviousBookingSlug.objects.filter(rep=rep, slug=booking_slug).delete()
            PreviousBookingSlug.objects.get_or_create(rep=rep, slug=old_slug)
        rep.first_name, rep.last_name = name, ""
        rep.time_zone = time_zone
        rep.booking_slug = booking_slug
        rep.save(update_fields=["first_name", "last_name", "time_zone", "booking_slug"])
    return rep


def current_booking_slug(old_slug: str) -> str | None:
    """The handle that replaced `old_slug`, or None if no rep ever used it."""
    previous = PreviousBookingSlug.objects.select_related("rep").filter(slug=old_slug).first()
    return previous.rep.booking_slug if previous is not None else None
