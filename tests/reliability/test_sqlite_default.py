"""The embedded default under real use: SQLite shared by a multi-process web server and a
multi-process Celery worker (on the embedded broker), with guests booking at once while the
rep's access token has expired.

SQLite has one writer at a time and ignores select_for_update, so without IMMEDIATE transactions
writers failed with "database is locked" and two workers could both spend the same refresh token
(Zoom rotates it: the second refresh breaks the connection).
"""

import json
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from django.conf import settings

from scripts.launchers import WebProcess, free_port
from tests.fixtures.celery_worker import WorkerProcess, wait_until
from tests.meetings.factories import next_slot

ROOT = Path(__file__).resolve().parents[2]
ZOOM_EMAIL = "sqlite.rep@example.com"
GUESTS = 5
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def sqlite_env(sandbox, tmp_path):
    """The environment of every process of the stack: one SQLite file, the embedded broker."""
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"sqlite:///{tmp_path / 'broker.sqlite3'}",
        # The run's queues (tests/settings.py), the same in every process of the stack.
        "ZOOMSCHED_TEST_RUN": settings.TEST_RUN,
        "SITE_URL": settings.SITE_URL,
        # The setup drives the connect flow through Django's test client ("testserver").
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "ZOOM_OAUTH_BASE_URL": sandbox.url,
        "ZOOM_API_BASE_URL": f"{sandbox.url}/v2",
        "ZOOM_CLIENT_ID": settings.ZOOM_CLIENT_ID,
        "ZOOM_CLIENT_SECRET": settings.ZOOM_CLIENT_SECRET,
        "ZOOM_WEBHOOK_SECRET_TOKEN": settings.ZOOM_WEBHOOK_SECRET_TOKEN,
        "PYTHONUNBUFFERED": "1",
    }


def run(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def web_server(sqlite_env, tmp_path):
    """gunicorn with two processes of four threads each, on the SQLite file."""
    with (tmp_path / "web.log").open("w") as log:
        web = WebProcess(sqlite_env, free_port(), workers=2, log=log, options=["--threads", "4"])
        try:
            web.wait_ready()
        except RuntimeError:
            pytest.fail((tmp_path / "web.log").read_text())
        try:
            yield web.url
        finally:
            web.stop()


def book_at_once(url: str, rep: str, meeting_type: str) -> list[requests.Response]:
    """GUESTS prospects, each in their own session, confirm a different slot at the same moment."""
    start = threading.Barrier(GUESTS)
    answers: list[requests.Response] = [None] * GUESTS

    def guest(index: int):
        session = requests.Session()
        slot = next_slot(days=3, hour=10 + index).isoformat()
        confirm = f"{url}/book/{rep}/{meeting_type}/confirm/"
        page = session.get(confirm, params={"start": slot, "time_zone": "America/New_York"})
        token = CSRF.search(page.text).group(1)
        start.wait(timeout=30)
        answers[index] = session.post(
            confirm,
            data={
                "csrfmiddlewaretoken": token,
                "name": f"Guest {index}",
                "email": f"guest{index}@example.org",
                "start": slot,
                "time_zone": "America/New_York",
            },
            headers={"Referer": confirm},
            allow_redirects=False,
            timeout=120,
        )

    threads = [threading.Thread(target=guest, args=(i,)) for i in range(GUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return answers


def rows(database: str, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql).fetchall()


def test_bookings_at_once_on_sqlite_all_succeed_and_refresh_the_token_once(
    sandbox, sqlite_env, web_server, tmp_path
):
    database = sqlite_env["DATABASE_URL"].removeprefix("sqlite:///")
    run(sqlite_env, "manage.py", "migrate", "--noinput", "-v", "0")
    made = json.loads(
        run(sqlite_env, "-m", "tests.reliability.sqlite_setup", sandbox.url, ZOOM_EMAIL)
    )
    refreshes_before = sandbox.token_stats(ZOOM_EMAIL)["refresh_count"]
    worker = WorkerProcess(sqlite_env, concurrency=4, hostname="sqlite@%h")
    try:
        worker.wait_ready()
        # Zoom answers slowly, so every worker is inside the refresh while the first is in flight.
        sandbox.set_knobs(latency_ms=400)
        answers = book_at_once(web_server, made["rep"], made["type"])
        assert [a.status_code for a in answers] == [302] * GUESTS, [a.text[:500] for a in answers]

        def links_ready():
            states = rows(database, "SELECT link_state, zoom_join_url FROM meetings_booking")
            return len(states) == GUESTS and all(s == "ready" and u for s, u in states)

        wait_until(links_ready, timeout=120, message="every booking's Zoom link")
        sandbox.set_knobs(latency_ms=0)
        assert sandbox.token_stats(ZOOM_EMAIL)["refresh_count"] - refreshes_before == 1
        assert len(sandbox.meetings(ZOOM_EMAIL)) == GUESTS
        assert rows(database, "SELECT status FROM zoom_zoomconnection") == [("connected",)]
    finally:
        worker.stop()
    logs = worker.log() + (tmp_path / "web.log").read_text()
    assert "database is locked" not in logs
    assert "Traceback" not in logs
