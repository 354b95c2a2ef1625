import pytest

from config.celery import app as celery_app
from integrations.zoom.models import ZoomConnection
from tests.integrations import steps
from tests.meetings.factories import ZOOM_EMAIL

WORKER_FIXTURES = {"celery_worker", "celery_workers"}


@pytest.fixture(autouse=True)
def tasks_run_inline(request):
    """Tests without a real worker run tasks inline, where on_commit fires them; tests with one
    must publish to Redis for it."""
    if WORKER_FIXTURES & set(request.fixturenames):
        yield
        return
    old = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = old


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
