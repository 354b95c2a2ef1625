"""Admin clients with different rights, and reps connected to Zoom through the real flow."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory

ROSTER_URL = "/admin/integrations/zoomrosterentry/"
ACME = "acme-account"


def staff_client(*codenames: str) -> Client:
    """A staff member holding exactly these permissions (codename or app_label.codename)."""
    staff = RepFactory(is_staff=True)
    for codename in codenames:
        app_label, _, name = codename.rpartition(".")
        found = Permission.objects.filter(codename=name)
        if app_label:
            found = found.filter(content_type__app_label=app_label)
        staff.user_permissions.add(found.get())
    client = Client()
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def connect_acme_rep(connect_zoom):
    """`connect_acme_rep(rep=None, *, zoom_email=None, user_type=2)`: a rep (new by default)
    connects a licensed Zoom user of the ACME account, `zoom.<their email>` unless named."""

    def connect(rep=None, *, zoom_email=None, user_type=2) -> ZoomConnection:
        rep = rep or RepFactory()
        return connect_zoom(
            rep, zoom_email or f"zoom.{rep.email}", account_id=ACME, user_type=user_type
        )

    return connect


def run_action(client, action: str, *reps, follow: bool = True):
    """Ticks the reps on the roster, picks the action and clicks Go."""
    return client.post(
        ROSTER_URL,
        {"action": action, "_selected_action": [rep.pk for rep in reps], "index": 0},
        follow=follow,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
