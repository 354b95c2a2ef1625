import pytest

from integrations.zoom.models import ZoomConnection
from tests.integrations import steps
from tests.meetings.factories import ZOOM_EMAIL


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Tasks enqueued after a commit run inline here (see tests/fixtures/celery_worker.py)."""


@pytest.fixture
def connect_zoom(sandbox):
    """`connect_zoom(rep, zoom_email=ZOOM_EMAIL, **zoom_user)`: the rep connects a sandbox Zoom
    user through the real consent flow; returns the rep's ZoomConnection. `zoom_user` is what
    `sandbox.create_user` takes (timezone, user_type, hosting_disabled, settings…)."""

    def connect(rep, zoom_email: str = ZOOM_EMAIL, **zoom_user) -> ZoomConnection:
        return steps.connect_rep(sandbox, zoom_email, rep=rep, **zoom_user)

    return connect


@pytest.fixture
def zoom_rep(rep, connect_zoom):
    """The rep, connected to the Zoom sandbox as ZOOM_EMAIL."""
    connect_zoom(rep)
    return rep
