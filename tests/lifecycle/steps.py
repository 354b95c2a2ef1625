"""Steps shared by the token-lifecycle tests: connecting a rep for real, making them idle."""

from datetime import timedelta

from django.utils import timezone

from integrations.zoom.connection.models import ZoomConnection
from tests.integrations import steps

ACCOUNT = "lifecycle-account"


def connect_preapproved(sandbox, zoom_email: str, *, rep=None) -> ZoomConnection:
    """A rep of a Zoom account whose admin must approve apps, and did (so they can withdraw it)."""
    sandbox.create_user(zoom_email, account_id=ACCOUNT, requires_preapproval=True)
    sandbox.approve(ACCOUNT)
    return steps.connect_rep(sandbox, zoom_email, rep=rep)


def make_idle(connection: ZoomConnection, *, days: float = 2) -> None:
    """As if the rep had not used Zoom for `days`: old tokens, no recent call."""
    then = timezone.now() - timedelta(days=days)
    ZoomConnection.objects.filter(pk=connection.pk).update(
        connected_at=then,
        last_success_at=then,
        last_refreshed_at=None,
        access_token_expires_at=then + timedelta(hours=1),
    )
    connection.refresh_from_db()
