"""Run as `python -m tests.reliability.sqlite_setup <sandbox url> <zoom email>` with DATABASE_URL
pointing at a migrated SQLite file: connects a new rep to the sandbox through the real flow, gives
them a Zoom Meeting Type, lets the access token expire, and prints the rep's and type's slugs."""

import json
import sys

import django

django.setup()

from django.utils import timezone  # noqa: E402

from integrations.zoom.connection.models import ZoomConnection  # noqa: E402
from scripts.sandbox import SandboxControl  # noqa: E402
from tests.integrations.steps import connect_rep  # noqa: E402
from tests.meetings.factories import MeetingTypeFactory  # noqa: E402


def main(sandbox_url: str, zoom_email: str) -> None:
    connection = connect_rep(SandboxControl(sandbox_url), zoom_email)
    meeting_type = MeetingTypeFactory(rep=connection.user)
    # Every worker that books a meeting must refresh first.
    ZoomConnection.objects.filter(pk=connection.pk).update(access_token_expires_at=timezone.now())
    print(json.dumps({"rep": connection.user.booking_slug, "type": meeting_type.slug}))


if __name__ == "__main__":
    main(*sys.argv[1:])
