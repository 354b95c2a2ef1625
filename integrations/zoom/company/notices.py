"""Emails to the company's Zoom admins (staff allowed to manage the company's Zoom account)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

MANAGE_CODENAME = "manage_zoom_account"


def _removed(detail: dict) -> tuple[str, str]:
    return (
        "The company's Zoom account was disconnected in Zoom",
        "A Zoom admin removed the app from the company's Zoom account, so its Zoom data was "
        f"deleted here. {detail.get('reps', 0)} reps it served now wait for Zoom: reconnect the "
        "company's Zoom account, or have them connect Zoom themselves.",
    )


def _broke(detail: dict) -> tuple[str, str]:
    return (
        "The company's Zoom account needs reconnecting",
        f"Zoom stopped accepting the company's connection ({detail.get('reason', '')}). Bookings "
        "of the reps it serves wait until a Zoom admin reconnects it.",
    )


def _rep_left(detail: dict) -> tuple[str, str]:
    rep = get_user_model().objects.filter(pk=detail.get("rep_id")).first()
    email = rep.email if rep else "A rep"
    reason = detail.get("reason") or "No longer a user of the company's Zoom account"
    return (
        f"{email} is no longer served by the company's Zoom account",
        f"{reason}: the company's Zoom account no longer makes {email}'s meetings, so their "
        "bookings wait for a Zoom connection (or use their own, if they connected one). Map them "
        "to a Zoom user again, or have them connect Zoom.",
    )


KINDS = {"removed": _removed, "broke": _broke, "rep_left": _rep_left}


def zoom_admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    allowed = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename=MANAGE_CODENAME)
        | Q(groups__permissions__codename=MANAGE_CODENAME)
    )
    return sorted(set(allowed.values_list("email", flat=True)))


def send_to_zoom_admins(kind: str, detail: dict) -> int:
    recipients = zoom_admin_emails()
    if not recipients or kind not in KINDS:
        return 0
    subject, body = KINDS[kind](detail)
    page = settings.SITE_URL + reverse("integrations:zoom:account")
    return send_mail(
        f"[Zoom] {subject}", f"{body}\n\n{page}\n", settings.DEFAULT_FROM_EMAIL, recipients
    )
