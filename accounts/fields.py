"""Fields that point at a person."""

from django.conf import settings
from django.db import models


def done_by(related_name: str = "+", **options) -> models.ForeignKey:
    """The user who did something to a record (booked it, sent it, corrected it, moved it): the
    record outlives them, and the field is left empty when their account is deleted."""
    return _optional_user(models.SET_NULL, related_name, **options)


def own_rep(related_name: str) -> models.ForeignKey:
    """The rep whose own record this is, empty when it is not one rep's (a team's Meeting Type or
    schedule, the company app's erasure): it goes when the rep's account is deleted."""
    return _optional_user(models.CASCADE, related_name)


def _optional_user(on_delete, related_name: str, **options) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )
