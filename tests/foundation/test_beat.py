"""Exactly one beat sends the periodic tasks: a second one stands by, shows in /healthz, and takes
over when the first dies; a beat that takes over sends its heartbeat at once."""

import subprocess
import sys
from pathlib import Path

import pytest

from health.models import BeatLock, Heartbeat
from scripts.launchers import stop_process
from tests.fixtures.celery_worker import purge_broker, wait_until, worker_env

pytestmark = pytest.mark.celery_worker

ROOT = Path(__file__).resolve().parents[2]
SENT = "Scheduler: Sending due task"


class Beat:
    def __init__(self, tmp_path: Path, name: str, **env):
        self.log_path = tmp_path / f"{name}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(tmp_path / name / "schedule"),
            ],  # fmt: skip
            cwd=ROOT,
            env=worker_env(**env),
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )

    @property
    def identity_suffix(self) -> str:
        return f":{self.process.pid}"

    def holds_the_lock(self) -> bool:
        return BeatLock.objects.filter(holder__endswith=self.identity_suffix).exists()

    def sent(self) -> int:
        return self.log_path.read_text().count(SENT)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def beats(transactional_db, tmp_path):
    """`beats(name, **env)` starts a beat that sends its heartbeat every second and renews its
    lock every second for 3 seconds."""
    started: list[Beat] = []
    purge_broker()

    def start(name: str, **env) -> Beat:
        env = {
            "HEALTHZ_BEAT_INTERVAL_SECONDS": 1,
            "CELERY_BEAT_LOCK_SECONDS": 3,
            "CELERY_BEAT_MAX_LOOP_INTERVAL": 1,
            **env,
        }
        started.append(Beat(tmp_path, name, **env))
        return started[-1]

    yield start
    for beat in started:
        stop_process(beat.process)
    purge_broker()


def test_a_second_beat_stands_by_shows_in_healthz_and_takes_over(beats, client):
    first = beats("first")
    wait_until(first.holds_the_lock, timeout=30, message="the first beat to take the lock")
    second = beats("second")
    wait_until(
        lambda: client.get("/healthz").json()["beats"] == 2,
        timeout=30,
        message="/healthz to show two beats",
    )
    # Both run for a while: only the holder sends.
    sent_before = first.sent()
    wait_until(lambda: first.sent() >= sent_before + 3, timeout=30, message="the holder to send")
    assert second.sent() == 0
    assert not second.holds_the_lock()

    first.kill()
    wait_until(second.holds_the_lock, timeout=30, message="the second beat to take over")
    wait_until(lambda: second.sent() >= 2, timeout=30, message="the second beat to send")
    assert "holding the beat lock" in second.log_path.read_text()


def test_a_beat_that_takes_the_lock_sends_its_heartbeat_at_once(beats, celery_worker, client):
    # The heartbeat's own schedule is a minute, as in production.
    beat = beats("only", HEALTHZ_BEAT_INTERVAL_SECONDS=60)
    wait_until(beat.holds_the_lock, timeout=30, message="the beat to take the lock")
    took_it = BeatLock.objects.get().acquired_at
    wait_until(
        lambda: (Heartbeat.last(Heartbeat.BEAT) or took_it) > took_it,
        timeout=20,
        message="the heartbeat sent as the beat took the lock",
    )
    body = client.get("/healthz").json()
    assert body["beat"] == "ok" and body["beats"] == 1


def test_a_beat_stopping_cleanly_hands_the_lock_over(beats):
    beat = beats("clean")
    wait_until(beat.holds_the_lock, timeout=30, message="the beat to take the lock")
    stop_process(beat.process)
    assert BeatLock.objects.get().holder == ""
