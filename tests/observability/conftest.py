import pytest


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Tasks enqueued after a commit run inline here unless a test starts real workers."""
