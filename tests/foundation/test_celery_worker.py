from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.fixtures.celery_worker import wait_until


def test_a_task_runs_on_a_real_worker_over_redis(celery_worker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    clear_expired_sessions.delay()

    wait_until(
        lambda: not Session.objects.filter(session_key=expired.session_key).exists(),
        message="the worker to delete the expired session",
    )
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert "accounts.tasks.clear_expired_sessions" in celery_worker.log()
