"""Honest probes: readiness answers quickly and without the broker, beat gets a grace period after
it takes over, and a probe's 503 never mails ADMINS."""

import json
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from health.middleware import READY_DEADLINE
from health.models import BeatLock, Heartbeat
from tests.fixtures.celery_worker import database_url

ROOT = Path(__file__).resolve().parents[2]

# Prints the status, the body and how long the request took, in a fresh process.
TIMED_GET = (
    "import django, json, sys, time; django.setup(); from django.test import Client; "
    "c = Client(raise_request_exception=False); started = time.monotonic(); "
    "r = c.get(sys.argv[1]); "
    "print(json.dumps([r.status_code, r.json(), time.monotonic() - started]))"
)


def timed_get(path: str, **env) -> tuple[int, dict, float]:
    result = subprocess.run(
        [sys.executable, "-c", TIMED_GET, path],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"}
        | {"DJANGO_DEBUG": "1"}
        | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture
def silent_server():
    """A TCP address that accepts connections (the kernel completes them) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.django_db
@pytest.mark.parametrize("broker", ["refuses", "never answers"])
def test_readiness_does_not_depend_on_the_broker(broker, silent_server):
    address = "127.0.0.1:1" if broker == "refuses" else silent_server
    status, body, _took = timed_get(
        "/healthz/ready", DATABASE_URL=database_url(), CELERY_BROKER_URL=f"redis://{address}/0"
    )
    assert (status, body) == (200, {"database": "ok"})


def test_readiness_answers_at_its_deadline_when_the_database_never_answers(silent_server):
    status, body, took = timed_get(
        "/healthz/ready", DATABASE_URL=f"postgres://u:p@{silent_server}/nothing"
    )
    assert (status, body) == (503, {"database": "down"})
    # It answered at its deadline, not when the connection attempt gave up (5 s): how close to
    # 0.4 s is benchmarks/probes.py's figure.
    assert READY_DEADLINE <= took < 3, took


@pytest.mark.django_db
def test_the_whole_system_probe_answers_even_when_the_broker_never_answers(silent_server):
    status, body, took = timed_get(
        "/healthz", DATABASE_URL=database_url(), CELERY_BROKER_URL=f"redis://{silent_server}/0"
    )
    assert status == 503
    assert body["database"] == "ok" and body["broker"] == "down" and body["worker"] == "down"
    assert took < 10


def test_a_probe_never_mails_admins(client, transactional_db, settings):
    settings.ADMINS = [("Ops", "ops@example.com")]
    assert not settings.DEBUG  # errors are mailed, as in production
    for _ in range(3):
        assert client.get("/healthz").status_code == 503  # no worker, no beat
    assert mail.outbox == []


def test_a_real_error_is_still_mailed(client, transactional_db, settings):
    """The same set-up mails an error that is one (so the test above could fail)."""
    import logging

    settings.ADMINS = [("Ops", "ops@example.com")]
    logging.getLogger("django.request").error("Internal Server Error: /somewhere")
    assert len(mail.outbox) == 1


def take_lock(acquired_ago: timedelta):
    now = timezone.now()
    BeatLock.objects.update_or_create(
        name="beat",
        defaults={
            "holder": "elsewhere:1",
            "acquired_at": now - acquired_ago,
            "expires_at": now + timedelta(seconds=settings.CELERY_BEAT_LOCK_SECONDS),
        },
    )


def test_beat_is_ok_in_its_grace_period_before_its_first_heartbeat(client, transactional_db):
    # Beat was down for long (its last heartbeat is stale), and has just started again.
    Heartbeat.record(Heartbeat.BEAT)
    Heartbeat.objects.update(at=timezone.now() - timedelta(hours=1))
    take_lock(acquired_ago=timedelta(seconds=5))
    assert client.get("/healthz").json()["beat"] == "ok"

    grace = timedelta(seconds=settings.HEALTHZ_BEAT_GRACE_SECONDS)
    take_lock(acquired_ago=grace + timedelta(seconds=5))
    assert client.get("/healthz").json()["beat"] == "down"


def test_a_lapsed_lock_gives_no_grace(client, transactional_db):
    take_lock(acquired_ago=timedelta(seconds=5))
    BeatLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/healthz").json()["beat"] == "down"
