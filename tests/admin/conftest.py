"""Admin clients with different rights, and reps connected to Zoom through the real flow."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from integrations.zoom.models import ZoomConnection
from tests.factories import RepFactory
from tests.integrations import steps

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
def superuser_client(db):
    client = Client()
    client.staff = RepFactory(is_staff=True, is_superuser=True)
    client.force_login(client.staff)
    return client


@pytest.fixture
def connect_rep(sandbox):
    """Connects a new (or the given) rep through Connect Zoom and the sandbox's consent screen."""

    def connect(rep=None, *, zoom_email=None, account_id=ACME, user_type=2) -> ZoomConnection:
        rep = rep or RepFactory()
        zoom_email = zoom_email or f"zoom.{rep.email}"
        return steps.connect_rep(
            sandbox, zoom_email, rep=rep, account_id=account_id, user_type=user_type
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
