"""Starting and stopping the processes that run beside the app outside production: the Zoom sandbox,
Celery workers and beat, and the web as gunicorn. The test fixtures, the demo and the benchmarks
launch them the same way, from here."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port free on this machine now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(port: int, db) -> list[str]:
    """The command that runs a sandbox on localhost (never 127.0.0.1: that is the app's host)."""
    return [
        sys.executable, "-m", "zoom_sandbox", "serve",
        "--host", "localhost", "--port", str(port), "--db", str(db),
    ]  # fmt: skip


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL if the process has not ended after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


class WorkerProcess:
    def __init__(
        self,
        env: dict,
        concurrency: int,
        hostname: str,
        *,
        pool: str = "prefork",
        loglevel: str = "INFO",
        queues: str = "",
        nice: int = 0,
    ):
        self.output: deque[str] = deque(maxlen=2000)
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                loglevel,
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "--hostname",
                hostname,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *(["--queues", queues] if queues else []),
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # Lower CPU priority, for every thread the worker starts.
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

    def wait_ready(self, timeout=60):
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "\n".join(self.output))

    def log(self) -> str:
        return "\n".join(self.output)

    def kill(self):
        """SIGKILL the whole worker (main process and its pool children)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def beat_command(schedule) -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
        "--schedule", str(schedule),
    ]  # fmt: skip


class WebProcess:
    """gunicorn serving the app on 127.0.0.1:`port`, as the Procfile's web runs it (it reads
    gunicorn.conf.py); `wait_ready()` returns once /healthz/live answers."""

    def __init__(
        self, env: dict, port: int, *, workers: int = 2, log=subprocess.DEVNULL, options=()
    ):
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--timeout", "120", "--access-logfile", "-"]
        self.process = subprocess.Popen(
            [*command, *options],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(f"{self.url}/healthz/live", timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start (exit code {self.process.returncode})")

    def stop(self) -> None:
        stop_process(self.process, timeout=30)
