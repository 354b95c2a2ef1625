"""The demo's background work: a worker on the file-system broker and SQLite, no server at all."""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CREATE_EXPIRED_SESSION = """
from datetime import timedelta
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
s = SessionStore(); s.create()
Session.objects.filter(pk=s.session_key).update(expire_date=timezone.now() - timedelta(days=1))
"""


def test_tasks_run_in_the_background_without_a_broker_server(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        # The operator's words for the one-small-machine broker (Celery reads this variable
        # itself, before the settings).
        "CELERY_BROKER_URL": "embedded",
        "DJANGO_VAR_DIR": str(tmp_path),
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def sessions_left() -> int:
        code = "from django.contrib.sessions.models import Session; print(Session.objects.count())"
        return int(manage("shell", "-v", "0", "-c", code).strip().splitlines()[-1])

    manage("migrate", "--noinput", "-v", "0")
    manage("shell", "-c", CREATE_EXPIRED_SESSION)
    assert sessions_left() == 1

    manage(
        "shell",
        "-c",
        "from accounts.tasks import clear_expired_sessions; clear_expired_sessions.delay()",
    )
    assert sessions_left() == 1, "the task must not run inline"

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while sessions_left() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert sessions_left() == 0
        assert (tmp_path / "broker.sqlite3").exists()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
