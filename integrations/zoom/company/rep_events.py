"""A rep's email decides which of the company's Zoom users is theirs: when a rep signs up, confirms
their address or changes it, they are looked up in the company's Zoom account at once (by a task,
after the commit), rather than waiting for an admin or the hourly keep-alive while their bookings
wait."""

from allauth.account.signals import email_changed, email_confirmed, user_signed_up
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from . import services


def _match_soon(user) -> None:
    company = services.company_account()
    if company is not None and company.is_usable and user is not None and user.is_active:
        services.schedule_matching(user.pk)


@receiver(user_signed_up, dispatch_uid="zoom.company.match_new_rep")
def match_new_rep(sender, *, user, **kwargs) -> None:
    _match_soon(user)


@receiver(email_confirmed, dispatch_uid="zoom.company.match_confirmed_rep")
def match_confirmed_rep(sender, *, email_address, **kwargs) -> None:
    _match_soon(email_address.user)


@receiver(email_changed, dispatch_uid="zoom.company.match_rep_with_new_email")
def match_rep_with_new_email(sender, *, user, **kwargs) -> None:
    _match_soon(user)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="zoom.company.match_rep_on_email_edit")
def match_rep_whose_email_is_edited(sender, *, instance, update_fields=None, **kwargs) -> None:
    """An admin edits a rep's email (the Django admin saves every field): look them up again.
    Saves naming other fields only (a sign-in's `last_login`) cost nothing."""
    if instance.pk is None or (update_fields is not None and "email" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("email", flat=True).first()
    if before is not None and before.lower() != (instance.email or "").lower():
        _match_soon(instance)
