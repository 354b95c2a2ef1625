"""Emails to the company's Zoom admins about the company's Zoom account."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .account_lifecycle import zoom_admin_emails


def send_to_zoom_admins(subject: str, body: str) -> int:
    recipients = zoom_admin_emails()
    if not recipients:
        return 0
    page = settings.SITE_URL + reverse("integrations:zoom:account")
    return send_mail(
        f"[Zoom] {subject}", f"{body}\n\n{page}\n", settings.DEFAULT_FROM_EMAIL, recipients
    )
