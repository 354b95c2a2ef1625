from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from meetings.meeting_types import LocationKind, MeetingType
from meetings.services.meeting_types import save_meeting_type
from meetings.services.schedules import ensure_a_schedule
from teams.demo import seed_demo_team

DEMO_EMAIL = "rep@example.com"
DEMO_PASSWORD = "demo-password-123"
ADMIN_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Creates (or resets) the demo rep and a demo admin, and prints their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # The package ships this command, and its password is printed in the README.
            raise CommandError(
                "seed_demo creates logins whose password is public (README); it runs only with "
                "DJANGO_DEBUG on."
            )
        rep, _ = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"first_name": "Riley", "last_name": "Rep", "time_zone": "America/New_York"},
        )
        rep.set_password(DEMO_PASSWORD)
        rep.save()
        if not rep.meeting_types.exists():
            intro = MeetingType(
                rep=rep,
                name="Intro call",
                slug="intro-call",
                duration_minutes=30,
                description="A first 30-minute conversation about your team's scheduling.",
                location_kind=LocationKind.ZOOM,
                zoom_waiting_room=True,
                # "Working hours": Monday to Friday, 09:00–17:00.
                schedule=ensure_a_schedule(rep),
            )
            save_meeting_type(intro)
        admin, _ = User.objects.get_or_create(
            email=ADMIN_EMAIL, defaults={"is_staff": True, "is_superuser": True}
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        team = seed_demo_team(rep, DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo rep:   {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
                f"Demo admin: {ADMIN_EMAIL} / {DEMO_PASSWORD}  (Django admin at /admin/)\n"
                f"Booking page (after connecting Zoom): /book/{rep.booking_slug}/intro-call/\n"
                f"{team}"
            )
        )
