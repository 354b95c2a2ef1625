"""/healthz/live, /healthz/ready and /healthz: what probes and monitoring read."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from health.models import Heartbeat
from scripts.launchers import beat_command
from tests.fixtures.celery_worker import database_url, wait_until, worker_env
from tests.foundation.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "127.0.0.1:1"
POD_IP = "10.42.0.7:8000"


def get_in_a_fresh_process(*paths: str, host: str = "127.0.0.1", **env) -> list[tuple[int, str]]:
    """GETs `paths` over plain HTTP in a new interpreter with `env`; (status, body) of each."""
    code = (
        "import django, json, sys; django.setup(); from django.test import Client; "
        f"c = Client(raise_request_exception=False, HTTP_HOST={host!r}); "
        "rs = [c.get(p) for p in sys.argv[1:]]; "
        "print(json.dumps([[r.status_code, r.content.decode()] for r in rs]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *paths],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [tuple(pair) for pair in json.loads(result.stdout.strip().splitlines()[-1])]


def probe(path: str, **env) -> tuple[int, dict]:
    [(status, body)] = get_in_a_fresh_process(path, **{"DJANGO_DEBUG": "1", **env})
    return status, json.loads(body)


@pytest.mark.django_db
def test_probes_answer_plain_http_with_the_pod_ip_as_host_in_production():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    live, ready, page = get_in_a_fresh_process(
        "/healthz/live", "/healthz/ready", "/accounts/login/", host=POD_IP, **env
    )
    assert live == (200, json.dumps({"status": "ok"}))
    assert ready[0] == 200 and json.loads(ready[1]) == {"database": "ok"}
    # Everything else still refuses an unknown host and redirects plain HTTP.
    assert page[0] == 400
    [(status, _)] = get_in_a_fresh_process("/accounts/login/", host="sched.example.com", **env)
    assert status == 301


def test_liveness_does_not_depend_on_the_database():
    status, body = probe("/healthz/live", DATABASE_URL=f"postgres://u:p@{CLOSED_PORT}/nothing")
    assert (status, body) == (200, {"status": "ok"})


def test_readiness_is_503_when_the_database_is_down():
    status, body = probe(
        "/healthz/ready",
        DATABASE_URL=f"postgres://u:p@{CLOSED_PORT}/nothing",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    assert status == 503
    assert body == {"database": "down"}


def test_readiness_needs_no_broker_with_the_embedded_default(tmp_path):
    status, body = probe(
        "/healthz/ready",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL=f"sqlite:///{tmp_path / 'broker.sqlite3'}",
    )
    assert (status, body) == (200, {"database": "ok"})


def test_health_is_503_naming_the_worker_and_beat_when_neither_runs(client, transactional_db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "worker": "down",
        "beat": "down",
        "beats": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_beat_counts_as_down_once_its_heartbeat_is_late(client, transactional_db):
    Heartbeat.record(Heartbeat.BEAT)
    Heartbeat.objects.update(
        at=timezone.now() - timedelta(seconds=settings.HEALTHZ_BEAT_MAX_AGE_SECONDS + 5)
    )
    assert client.get("/healthz").json()["beat"] == "down"
    Heartbeat.record(Heartbeat.BEAT)
    assert client.get("/healthz").json()["beat"] == "ok"


@pytest.mark.celery_worker
def test_health_is_ok_once_a_worker_answers_and_beat_has_run(client, celery_worker, tmp_path):
    beat = subprocess.Popen(
        beat_command(tmp_path / "schedule" / "celerybeat-schedule"),
        cwd=ROOT,
        env=worker_env(HEALTHZ_BEAT_INTERVAL_SECONDS=1),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(
            lambda: Heartbeat.last(Heartbeat.BEAT), timeout=30, message="beat's first heartbeat"
        )
    finally:
        beat.terminate()
        beat.wait(timeout=15)
    response = client.get("/healthz")
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "beat": "ok",
        "beats": 0,  # the beat stopped cleanly: it said so
    }
    assert response.status_code == 200


def test_probes_answer_get_only(client):
    assert client.post("/healthz/live").status_code == 405
