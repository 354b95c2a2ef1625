from datetime import timedelta

import redis
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.fixtures.celery_worker import purge_broker, wait_until, worker_env


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


def _backends(application_name: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [application_name],
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_worker_keeps_its_database_connection_from_task_to_task(celery_workers):
    probe = "worker-reuse-probe"
    celery_workers(DATABASE_URL=worker_env()["DATABASE_URL"] + f"?application_name={probe}")
    seen = []
    for _ in range(4):
        expired = SessionStore()
        expired.create()
        Session.objects.filter(session_key=expired.session_key).update(
            expire_date=timezone.now() - timedelta(days=1)
        )
        clear_expired_sessions.delay()
        wait_until(
            lambda key=expired.session_key: not Session.objects.filter(session_key=key).exists(),
            message="the worker to delete the expired session",
        )
        seen.append(_backends(probe))

    # One PostgreSQL session served every task (CONN_MAX_AGE), instead of one per task.
    assert all(len(backends) == 1 for backends in seen), seen
    assert len(set().union(*seen)) == 1, seen


def test_a_worker_of_another_run_never_takes_this_runs_tasks(celery_workers, settings):
    # A worker left running by another checkout's run: the same Redis index, its run's queues.
    (stray,) = celery_workers(
        ZOOMSCHED_TEST_RUN="other",
        CELERY_DEFAULT_QUEUE="celery-other",
        MEETINGS_INVITES_QUEUE="invites-other",
    )
    (ours,) = celery_workers()
    assert f"celery-{settings.TEST_RUN}" == settings.CELERY_TASK_DEFAULT_QUEUE

    for _ in range(4):
        clear_expired_sessions.delay()

    wait_until(
        lambda: ours.log().count("clear_expired_sessions[") >= 8,  # received, then succeeded
        message="this run's worker to run the four tasks",
    )
    assert "clear_expired_sessions[" not in stray.log()


def test_purging_the_broker_leaves_other_runs_queues_alone(settings):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.rpush("celery-other", "another run's task")
    broker.rpush(settings.CELERY_TASK_DEFAULT_QUEUE, "this run's task")
    try:
        purge_broker()
        assert broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 0
        assert broker.lrange("celery-other", 0, -1) == [b"another run's task"]
    finally:
        broker.delete("celery-other")
