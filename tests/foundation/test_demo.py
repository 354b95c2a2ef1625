"""`make demo` (scripts/demo.py) as a new user runs it: its own ports, the logins once everything
answers, and a process that dies named with its reason."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import requests

from scripts.launchers import free_port

ROOT = Path(__file__).resolve().parents[2]
LOGINS = "rep@example.com / demo-password-123"


def demo(tmp_path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "scripts/demo.py"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_VAR_DIR": str(tmp_path / "var"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def children_of(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def test_demo_refuses_a_port_in_use_and_says_which(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = demo(tmp_path, PORT=str(port), SANDBOX_PORT=str(free_port()))
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert f"port in use: PORT={port}" in output


def test_demo_prints_the_logins_once_everything_answers_and_names_a_process_that_dies(tmp_path):
    port, sandbox_port = free_port(), free_port()
    process = demo(tmp_path, PORT=str(port), SANDBOX_PORT=str(sandbox_port))
    lines: list[str] = []
    summary = threading.Event()

    def read():
        for line in process.stdout:
            lines.append(line.rstrip())
            if "Ctrl-C stops everything" in line:
                summary.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert summary.wait(timeout=240), "\n".join(lines)
        ready = next(
            i for i, line in enumerate(lines) if line.startswith("worker") and " ready." in line
        )
        logins = next(i for i, line in enumerate(lines) if LOGINS in line)
        assert ready < logins
        assert any("first run" in line for line in lines[:logins])  # progress, not silence
        assert requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=10).ok
        assert requests.get(f"http://localhost:{sandbox_port}/", timeout=10).status_code < 500
        # Both Zoom apps are registered: the reps' own and the company-wide, admin-managed one.
        listing = f"http://localhost:{sandbox_port}/marketplace/app/sandbox-account-client-id"
        company_app = requests.get(listing, timeout=10)
        assert company_app.status_code == 200
        assert "meeting:write:meeting:admin" in company_app.text

        children = children_of(process.pid)
        [worker] = [pid for pid, cmdline in children if "celery" in cmdline]
        # The whole worker (its pool children too: the demo starts each in its own group).
        os.killpg(worker, signal.SIGKILL)
        assert process.wait(timeout=60) == 1
        reader.join(timeout=10)
        output = "\n".join(lines)
        assert "the worker process was killed by SIGKILL" in output
        # The others were stopped, not left behind.
        assert not [pid for pid, _ in children if Path(f"/proc/{pid}").exists()]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
