"""Reps connected to the Zoom sandbox through the real consent flow, and tasks run inline.

Tasks that a transition enqueues after its commit (the reconnect email) run inline here, where
`django_capture_on_commit_callbacks(execute=True)` fires them; tests with real workers publish to
Redis instead.
"""

import pytest


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Tasks enqueued after a commit run inline here (see tests/fixtures/celery_worker.py)."""
