from django.core.management.base import BaseCommand

from accounts.models import User

DEMO_EMAIL = "rep@example.com"
DEMO_PASSWORD = "demo-password-123"
ADMIN_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Creates (or resets) the demo rep and a demo admin, and prints their logins."

    def handle(self, *args, **options):
        rep, _ = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"first_name": "Riley", "last_name": "Rep", "time_zone": "America/New_York"},
        )
        rep.set_password(DEMO_PASSWORD)
        rep.save()
        admin, _ = User.objects.get_or_create(
            email=ADMIN_EMAIL, defaults={"is_staff": True, "is_superuser": True}
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo rep:   {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
                f"Demo admin: {ADMIN_EMAIL} / {DEMO_PASSWORD}  (Django admin at /admin/)"
            )
        )
