"""The processes of one benchmark run, each with its own log file under the run's folder.

Everything is the run's own: a private `redis-server` (broker, cache and pacing state, so its CPU
is this run's alone and no engineer's Redis index is touched), a PostgreSQL database created and
dropped, private queue names, free ports.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from scripts.launchers import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]

# The benchmark's own PostgreSQL sessions say so, and the CPU meter leaves them out.
APPLICATION_NAME = "link-benchmark"


def http_ok(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


class Process:
    """A child process whose output goes to a log file."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for(self, ready, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self):
        stop_process(self.process)
        self.log.close()


def start_redis(workdir: Path) -> tuple[Process, str]:
    """A redis-server of the run's own (no persistence), and its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not on PATH: the benchmark runs a Redis of its own.")
    port = free_port()
    process = Process(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        os.environ,
        workdir / "redis.log",
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"

    def answers() -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(url).ping())
        except redis.RedisError:
            return False

    process.wait_for(answers, "redis-server")
    return process, url


def recreate_database(postgres: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def start_smtp_sink(workdir: Path) -> tuple[Process, str]:
    """The mail server the invites go to (benchmarks/smtp_sink.py), and its EMAIL_URL."""
    port = free_port()
    sink = Process(
        [sys.executable, "benchmarks/smtp_sink.py", f"--port={port}"],
        os.environ,
        workdir / "smtp.log",
    )
    sink.wait_for(lambda: "ready" in sink.log_path.read_text(), "The SMTP sink")
    return sink, f"smtp://127.0.0.1:{port}"


def production_env(
    args, workdir: Path, redis_url: str, zoom_api: str, oauth: str, email_url: str
) -> dict:
    """config.settings with DEBUG off, for gunicorn and the workers."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": redis_url,
        # Shared by every process, as production requires with DEBUG off.
        "CACHE_URL": redis_url,
        # Every guest comes from 127.0.0.1 and each rep takes hundreds of bookings: the abuse
        # limits and the per-rep reserve of Zoom's daily allowance are not what is measured.
        "RATE_LIMIT_BOOKINGS_PER_ADDRESS": "1000000/m",
        "RATE_LIMIT_BOOKINGS_PER_EMAIL": "1000000/m",
        "RATE_LIMIT_BOOKINGS_PER_REP": "1000000/m",
        "ZOOM_DAILY_MEETING_WRITES": "1000000",
        # A real SMTP conversation per message, as production has, with a server that keeps none.
        "EMAIL_URL": email_url,
        "LOG_LEVEL": "WARNING",
        "ZOOM_OAUTH_BASE_URL": oauth,
        "ZOOM_API_BASE_URL": zoom_api,
        "PYTHONUNBUFFERED": "1",
        # The Procfile names its commands (gunicorn, celery): this interpreter's installed ones.
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    }


def collect_static(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def procfile_command(kind: str) -> str:
    """The Procfile's command line for a process type (`web`, `worker`)."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(": ")
        if name == kind:
            return command
    raise KeyError(f"The Procfile has no {kind!r} process")


class ProcfileProcess(Process):
    """A Procfile process type started as a platform starts it: `sh -c` with the platform's
    variables (PORT, WEB_CONCURRENCY, WORKER_CONCURRENCY), in a session of its own so it stops
    whole. `extra` is appended to the command line; `nice` lowers its CPU priority."""

    def __init__(self, kind: str, env: dict, log: Path, *, extra: str = "", nice: int = 0):
        command = procfile_command(kind) + extra
        if nice:
            command = f"nice -n {nice} {command}"
        self.command = command
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            ["sh", "-c", command],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def start_web(args, env: dict, workdir: Path) -> tuple[ProcfileProcess, str]:
    """The Procfile's web (gunicorn: `--web-workers` → WEB_CONCURRENCY, `--web-threads` →
    WEB_THREADS; `--web-threads 1` serves on sync processes, one request at a time each)."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    if args.web_workers:
        env["WEB_CONCURRENCY"] = str(args.web_workers)
    if args.web_threads:
        env["WEB_THREADS"] = str(args.web_threads)
    sync = " --worker-class sync" if args.web_threads == 1 else ""
    web = ProcfileProcess("web", env, workdir / "web.log", extra=sync)
    base = f"http://127.0.0.1:{port}"
    web.wait_for(lambda: http_ok(f"{base}/healthz/live"), "The Procfile's web")
    return web, base


def start_workers(args, env: dict, workdir: Path) -> dict[str, ProcfileProcess]:
    """The Procfile's worker (`--concurrency` → WORKER_CONCURRENCY), taking every queue as the
    Procfile runs it; with `--split-queues`, one for the Zoom queue and one for invites
    (`--invites-concurrency` threads), as a larger deployment may. Named for the CPU report."""
    if args.split_queues:
        plan = {
            "Zoom worker": (env["CELERY_DEFAULT_QUEUE"], args.concurrency),
            "invites worker": (env["MEETINGS_INVITES_QUEUE"], args.invites_concurrency),
        }
    else:
        plan = {"worker": ("", args.concurrency)}
    workers = {}
    for name, (queue, concurrency) in plan.items():
        worker_env = dict(env)
        if concurrency:
            worker_env["WORKER_CONCURRENCY"] = str(concurrency)
        extra = f" -Q {queue} -n {queue}@%h" if queue else ""
        log = workdir / f"{name.replace(' ', '-')}.log"
        workers[name] = ProcfileProcess(
            "worker", worker_env, log, extra=extra, nice=args.worker_nice
        )
    for name, worker in workers.items():
        worker.wait_for(lambda w=worker: " ready." in w.log_path.read_text(), name, timeout=90)
    return workers


def start_lean_zoom(args, workdir: Path) -> tuple[Process, str]:
    port = free_port()
    lean = Process(
        [
            sys.executable,
            "benchmarks/lean_zoom.py",
            f"--port={port}",
            f"--tokens={workdir / 'tokens.json'}",
            f"--latency-ms={args.latency_ms}",
            f"--latency-p99-ms={args.latency_p99_ms}",
            f"--qps-limit={args.qps_limit}",
            f"--seed={args.seed}",
        ],
        os.environ,
        workdir / "lean_zoom.log",
    )
    lean.wait_for(lambda: "ready" in lean.log_path.read_text(), "The lean Zoom")
    return lean, f"http://127.0.0.1:{port}"
