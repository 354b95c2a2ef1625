"""The demo's team (`manage.py seed_demo`): a round robin Meeting Type whose first member in line
has a Zoom connection needing a reconnect, so every booking shows a member passed over."""

from datetime import time

from django.utils import timezone

from accounts.models import User
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from meetings.availability import Window
from meetings.meeting_types import Distribution, LocationKind, MeetingType
from meetings.schedules import AvailabilitySchedule
from meetings.services.meeting_types import save_meeting_type
from meetings.services.schedules import save_schedule

from .models import MeetingTypeMember, Priority, Team, TeamMember

TEAM_SLUG = "sales"
TYPE_SLUG = "product-demo"
BROKEN_EMAIL = "bo.broken@example.com"
SDR_EMAIL = "sam.sdr@example.com"


def seed_demo_team(host: User, password: str) -> str:
    """Team "Sales": `host` (who connects Zoom in the demo), Bo (Zoom approval withdrawn, first
    in line) and Sam (an SDR who books prospects in, hosting nothing). Returns what to print."""
    bo = _rep(BROKEN_EMAIL, "Bo", "Broken", password)
    sam = _rep(SDR_EMAIL, "Sam", "Sdr", password)
    ZoomConnection.objects.update_or_create(
        user=bo,
        defaults={
            "status": ZoomConnection.Status.NEEDS_RECONNECT,
            "zoom_user_id": "demo-bo-zoom-user",
            "zoom_email": BROKEN_EMAIL,
            "zoom_user_type": ZoomConnection.UserType.LICENSED,
            "access_token": "",
            "refresh_token": "",
            "needs_reconnect_reason": ReconnectReason.APPROVAL_WITHDRAWN,
            "needs_reconnect_since": timezone.now(),
            "connected_at": timezone.now(),
        },
    )
    team, _ = Team.objects.get_or_create(
        slug=TEAM_SLUG, defaults={"name": "Sales", "time_zone": "America/New_York"}
    )
    members = {
        rep: TeamMember.objects.get_or_create(team=team, rep=rep)[0] for rep in (host, bo, sam)
    }
    demo = MeetingType.objects.filter(team=team, slug=TYPE_SLUG).first()
    if demo is None:
        demo = save_meeting_type(
            MeetingType(
                team=team,
                distribution=Distribution.ROUND_ROBIN,
                name="Product demo",
                slug=TYPE_SLUG,
                duration_minutes=30,
                description="A 30-minute demo with whoever of our sales team is free.",
                location_kind=LocationKind.ZOOM,
                # The team's hours, read in each member's own zone.
                schedule=save_schedule(
                    AvailabilitySchedule(team=team, name="Sales hours"),
                    [Window(weekday=day, start=time(9), end=time(17)) for day in range(5)],
                ),
            )
        )
    # Bo is first in line on every booking, and passed over while Bo's Zoom needs a reconnect.
    for rep, priority in ((bo, Priority.HIGHEST), (host, Priority.MEDIUM)):
        MeetingTypeMember.objects.get_or_create(
            meeting_type=demo, member=members[rep], defaults={"priority": priority}
        )
    return (
        f"Team booking page: /team/{TEAM_SLUG}/{TYPE_SLUG}/ (Bo's Zoom needs a reconnect, so "
        f"{host.first_name} hosts once connected; the admin's team report shows Bo passed over)\n"
        f"Demo SDR:   {SDR_EMAIL} / {password}  (Teams: books prospects into the team's type)"
    )


def _rep(email: str, first: str, last: str, password: str) -> User:
    rep, _ = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "time_zone": "America/New_York"},
    )
    rep.set_password(password)
    rep.save()
    return rep
