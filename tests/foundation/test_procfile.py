"""The Procfile's process types, each started as a platform would: release migrates, web answers,
the worker is ready for tasks, and beat schedules."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings

from scripts.launchers import free_port
from tests.fixtures.celery_worker import database_url, wait_until
from tests.foundation.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY_PART = "9f1e2d3c4b5a6978"
RESET_KEY_PATH = f"/accounts/password/reset/key/4-c1x2y3-{SECRET_KEY_PART}/"
CONFIRM_KEY_PATH = f"/accounts/confirm-email/MTI:1tXqAb:{SECRET_KEY_PART}/"
PROCFILE = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())


@pytest.fixture
def platform_env(transactional_db, tmp_path):
    """What a platform gives every process: the app's own variables, PORT, and PATH with the
    installed commands (gunicorn, celery, python)."""
    return {
        **PRODUCTION_ENV,
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # This run's queues (tests/settings.py): no other suite's worker takes its tasks.
        "CELERY_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "MEETINGS_INVITES_QUEUE": settings.MEETINGS_INVITES_QUEUE,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat" / "schedule"),
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
    }


def start(kind: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ["sh", "-c", PROCFILE[kind]],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_procfile_has_web_worker_one_beat_and_a_release_step():
    assert sorted(PROCFILE) == ["beat", "release", "web", "worker"]
    assert "--beat" not in PROCFILE["worker"]  # beat runs once, in its own process


@pytest.mark.celery_worker
def test_every_procfile_process_starts_and_does_its_job(platform_env, tmp_path):
    release = subprocess.run(
        ["sh", "-c", PROCFILE["release"]],
        cwd=ROOT,
        env=platform_env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert release.returncode == 0, release.stdout + release.stderr

    logs = {kind: tmp_path / f"{kind}.log" for kind in ("web", "worker", "beat")}
    processes = [start(kind, platform_env, log) for kind, log in logs.items()]
    try:
        ready = f"http://127.0.0.1:{platform_env['PORT']}/healthz/ready"

        def web_ready():
            try:
                return requests.get(ready, timeout=5).status_code == 200
            except requests.RequestException:
                return False

        wait_until(web_ready, timeout=60, message="web to answer /healthz/ready")
        # gunicorn's access log goes through the log filter: allauth's keys never reach it.
        base = f"http://127.0.0.1:{platform_env['PORT']}"
        for path in (RESET_KEY_PATH, CONFIRM_KEY_PATH):
            requests.get(base + path, timeout=5, allow_redirects=False)
        wait_until(
            lambda: "/accounts/confirm-email/[redacted]/" in logs["web"].read_text(),
            timeout=30,
            message="the access log line",
        )
        access_log = logs["web"].read_text()
        assert "/accounts/password/reset/key/[redacted]/" in access_log
        assert SECRET_KEY_PART not in access_log
        wait_until(lambda: " ready." in logs["worker"].read_text(), timeout=60, message="worker")
        wait_until(lambda: "beat: Starting" in logs["beat"].read_text(), timeout=60, message="beat")
        assert (tmp_path / "beat").is_dir()
        assert all(process.poll() is None for process in processes)
    finally:
        for process in processes:
            stop(process)
