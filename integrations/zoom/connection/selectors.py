"""Reads about a rep's Zoom connection, for pages, banners and the meetings app."""

from django.apps import apps
from django.utils import timezone

from .models import BASIC_MEETING_LIMIT_MINUTES, ZoomConnection


def zoom_connection_for(user) -> ZoomConnection | None:
    """The rep's connection row (any status) without its tokens, or None if they never started."""
    return ZoomConnection.objects.without_tokens().filter(user=user).first()


def zoom_meeting_types_over_basic_limit(user) -> list:
    """The rep's Zoom Meeting Types longer than Zoom lets a Basic (free) user meet.

    The meetings app owns MeetingType (`rep`, `location_kind == "zoom"`, `duration_minutes`); it
    is looked up by name so this app does not depend on the meetings app.
    """
    meeting_type = apps.get_model("meetings", "MeetingType")
    return list(
        meeting_type.objects.filter(
            rep=user, location_kind="zoom", duration_minutes__gt=BASIC_MEETING_LIMIT_MINUTES
        ).order_by("duration_minutes")
    )


def upcoming_zoom_bookings(user) -> dict:
    """How many of the rep's upcoming, confirmed Zoom bookings have a Zoom meeting and how many
    still wait for one: what disconnecting affects. (Booking is looked up by name, like above.)"""
    booking = apps.get_model("meetings", "Booking")
    upcoming = booking.objects.filter(
        rep=user, location_kind="zoom", status="confirmed", end_at__gte=timezone.now()
    )
    with_link = upcoming.exclude(zoom_meeting_id="").count()
    return {"with_link": with_link, "without_link": upcoming.count() - with_link}
