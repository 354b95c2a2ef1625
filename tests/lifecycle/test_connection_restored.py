"""`zoom_connection_restored`: sent once a connect or reconnect has committed, so other apps resume
the work they parked while the rep's Zoom did not work."""

import pytest
from django.test import Client

from integrations.zoom.api.errors import ZoomNeedsReconnect
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.signals import zoom_connection_restored
from tests.factories import RepFactory
from tests.integrations import steps as connect_steps
from tests.lifecycle import steps

pytestmark = pytest.mark.django_db
ZOOM_EMAIL = "restored.rep@example.com"


@pytest.fixture
def received():
    """What receivers were sent, with the connection's status as stored when they ran."""
    calls = []

    def receiver(sender, connection, previous_status, **kwargs):
        stored = ZoomConnection.objects.get(pk=connection.pk).status
        calls.append((sender, connection.user_id, previous_status, stored))

    zoom_connection_restored.connect(receiver)
    yield calls
    zoom_connection_restored.disconnect(receiver)


def test_a_first_connect_sends_it(sandbox, received, django_capture_on_commit_callbacks):
    rep = RepFactory()
    with django_capture_on_commit_callbacks(execute=True):
        connect_steps.connect_rep(sandbox, ZOOM_EMAIL, rep=rep)

    assert received == [(ZoomConnection, rep.pk, "disconnected", "connected")]


def test_reconnecting_a_broken_connection_sends_it_with_the_old_status(
    sandbox, received, django_capture_on_commit_callbacks
):
    zoom = steps.connect_preapproved(sandbox, ZOOM_EMAIL)
    sandbox.withdraw_approval(steps.ACCOUNT)
    with pytest.raises(ZoomNeedsReconnect):
        connect_steps.get_me(zoom)
    sandbox.approve(steps.ACCOUNT)

    with django_capture_on_commit_callbacks(execute=True):
        connect_steps.connect_rep(sandbox, ZOOM_EMAIL, rep=zoom.user)

    assert received == [(ZoomConnection, zoom.user_id, "needs_reconnect", "connected")]


def test_it_waits_for_the_commit(sandbox, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
        assert received == []
    for callback in pending:
        callback()
    assert len(received) == 1


def test_a_connect_that_fails_sends_nothing(sandbox, received, django_capture_on_commit_callbacks):
    browser = Client()
    browser.force_login(RepFactory())
    with django_capture_on_commit_callbacks(execute=True):
        connect_steps.connect(browser, sandbox, ZOOM_EMAIL, allow=False)
    assert received == []


def test_a_failing_receiver_does_not_undo_the_reconnect(
    sandbox, received, django_capture_on_commit_callbacks, caplog
):
    def broken_receiver(sender, **kwargs):
        raise RuntimeError("a bug in another app")

    zoom_connection_restored.connect(broken_receiver)
    try:
        rep = RepFactory()
        with django_capture_on_commit_callbacks(execute=True):
            zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL, rep=rep)
    finally:
        zoom_connection_restored.disconnect(broken_receiver)

    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert len(received) == 1
    assert "zoom_connection_restored receiver" in caplog.text
