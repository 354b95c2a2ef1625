"""Reps connected to the Zoom sandbox through the real consent flow, and tasks run inline.

Tasks that a transition enqueues after its commit (the reconnect email) run inline here, where
`django_capture_on_commit_callbacks(execute=True)` fires them; tests with real workers publish to
Redis instead.
"""

import pytest

from config.celery import app as celery_app

WORKER_FIXTURES = {"celery_worker", "celery_workers"}


@pytest.fixture(autouse=True)
def tasks_run_inline(request):
    if WORKER_FIXTURES & set(request.fixturenames):
        yield
        return
    old = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = old
