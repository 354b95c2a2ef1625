import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "127.0.0.1:1"


def healthz_in_a_fresh_process(**env) -> tuple[int, dict]:
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1'); "
        "print(json.dumps([r.status_code, json.loads(r.content)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    return status, body


def test_healthz_is_ok_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down():
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL=f"postgres://postgres@{CLOSED_PORT}/nothing",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/11",
    )
    assert status == 503
    assert body == {"database": "down", "broker": "ok"}


def test_healthz_is_503_when_the_configured_broker_is_down():
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        CELERY_BROKER_URL=f"redis://{CLOSED_PORT}/0",
    )
    assert status == 503
    assert body == {"database": "ok", "broker": "down"}


def test_healthz_needs_no_broker_with_the_embedded_default(tmp_path):
    status, body = healthz_in_a_fresh_process(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert status == 200
    assert body == {"database": "ok", "broker": "ok"}
