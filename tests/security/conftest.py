import pytest

from tests.admin.conftest import superuser_client  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Tasks enqueued after a commit run inline here (see tests/fixtures/celery_worker.py)."""
