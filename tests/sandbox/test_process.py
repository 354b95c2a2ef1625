"""The sandbox process: its CLI, its own SQLite file, state kept across restarts, concurrency."""

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from scripts.launchers import free_port, serve_command
from scripts.sandbox import ROOT, SandboxControl


def _start(db, port):
    process = subprocess.Popen(
        serve_command(port, db),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    control = SandboxControl(f"http://localhost:{port}")
    for _ in range(300):
        try:
            if requests.get(f"{control.url}/_sandbox/health", timeout=1).ok:
                return process, control
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("sandbox did not start")


def _stop(process):
    process.terminate()
    process.wait(timeout=10)


def test_state_survives_a_restart(tmp_path):
    db = tmp_path / "sandbox.sqlite3"
    process, control = _start(db, free_port())
    try:
        created = control.create_user("kept@example.com")
    finally:
        _stop(process)
    process, control = _start(db, free_port())
    try:
        assert control.user("kept@example.com")["id"] == created["id"]
    finally:
        _stop(process)


def test_the_demo_environment_registers_the_app_at_start(tmp_path):
    port = free_port()
    env = {
        "ZOOM_SANDBOX_CLIENT_ID": "demo-id",
        "ZOOM_SANDBOX_CLIENT_SECRET": "demo-secret",
        "ZOOM_SANDBOX_REDIRECT_URIS": "http://127.0.0.1:8000/integrations/zoom/callback/",
        "ZOOM_SANDBOX_WEBHOOK_URL": "http://127.0.0.1:8000/integrations/zoom/webhook/",
        "ZOOM_SANDBOX_WEBHOOK_SECRET_TOKEN": "demo-webhook",
    }
    process = subprocess.Popen(
        serve_command(port, tmp_path / "demo.sqlite3"),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                page = requests.get(f"http://localhost:{port}/marketplace/app", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        assert page.status_code == 200
        assert "App can view information" in page.text
    finally:
        _stop(process)


def test_the_server_answers_requests_concurrently(zoom):
    zoom.sandbox.set_knobs(latency_ms=1000)
    token = zoom.connect("ann@example.com")["access_token"]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: zoom.api("GET", "/users/me", token), range(4)))
    assert all(r.status_code == 200 for r in results)
    # Answered one after another, the four would take 4 s at the very least, however idle or busy
    # the machine: less proves they overlapped, with 3 s to spare for a slow machine.
    assert time.monotonic() - started < 4 * 1.0
