import pytest

from config.celery import app as celery_app

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
