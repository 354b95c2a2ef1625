"""With debug off nothing is assumed: a service left unset, or one the deployment cannot share,
fails `check --deploy`, `migrate` and the start of the web, the worker and beat, naming the
variable. Each embedded default stays a real choice, made by name."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.foundation.test_settings import PRODUCTION_ENV, read_settings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL")


def run(args: list[str], env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=ROOT,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage_check(env: dict, *options: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", "check", "--deploy", *options], env)


def without(name: str, **extra) -> dict:
    return {**{k: v for k, v in PRODUCTION_ENV.items() if k != name}, **extra}


@pytest.mark.parametrize("name", SERVICES)
def test_check_deploy_fails_naming_a_service_left_unset(name):
    result = manage_check(without(name))
    assert result.returncode != 0
    assert f"{name} is not set" in result.stderr
    # The one-small-machine choice is offered by name (email has none: it is a URL).
    if name != "EMAIL_URL":
        assert f"{name}=embedded" in result.stderr and "one small machine" in result.stderr


def test_every_embedded_default_chosen_by_name_passes_check_deploy(tmp_path):
    result = manage_check(
        {**PRODUCTION_ENV, "DJANGO_VAR_DIR": str(tmp_path)}, "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stderr


def test_debug_on_needs_no_choice(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check"],
        {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
        | {"DJANGO_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr


def test_an_unset_database_is_not_quietly_created_before_it_is_refused(tmp_path):
    result = manage_check(without("DATABASE_URL", DJANGO_VAR_DIR=str(tmp_path)))
    assert result.returncode != 0
    assert not (tmp_path / "db.sqlite3").exists()
    assert not (tmp_path / "broker").exists()


def test_migrate_the_release_step_refuses_too():
    result = run([sys.executable, "manage.py", "migrate", "--noinput"], without("DATABASE_URL"))
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_the_web_process_refuses_to_start_naming_the_variable():
    # gunicorn imports config.wsgi in each web process before it serves anything.
    result = run([sys.executable, "-c", "import config.wsgi"], without("CACHE_URL"))
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr and "CACHE_URL is not set" in result.stderr


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_the_worker_and_beat_refuse_to_start_naming_the_variable(command, tmp_path):
    result = run(
        [sys.executable, "-m", "celery", "-A", "config", command, "--loglevel", "INFO"]
        + (["--schedule", str(tmp_path / "schedule")] if command == "beat" else []),
        without("EMAIL_URL"),
        timeout=90,
    )
    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stdout + result.stderr
    assert " ready." not in result.stdout + result.stderr  # never took a task


def test_rabbitmq_needs_the_pacing_named_on_redis():
    amqp = {**PRODUCTION_ENV, "CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672/prod"}
    result = manage_check(amqp)
    assert result.returncode != 0
    assert "ZOOM_PACING_URL is not set" in result.stderr

    result = manage_check({**amqp, "ZOOM_PACING_URL": "amqp://127.0.0.1:5672/prod"})
    assert result.returncode != 0
    assert "ZOOM_PACING_URL must be redis://" in result.stderr

    result = manage_check({**amqp, "ZOOM_PACING_URL": "redis://127.0.0.1:6379/2"})
    assert result.returncode == 0, result.stderr


def test_email_to_the_console_is_refused_naming_it():
    result = manage_check({**PRODUCTION_ENV, "EMAIL_URL": "consolemail://"})
    assert result.returncode != 0
    assert "EMAIL_URL=consolemail:// writes every email to the log" in result.stderr
    assert "smtp+tls://" in result.stderr


def test_a_web_process_with_email_to_the_console_refuses_to_start():
    result = run(
        [sys.executable, "-c", "import config.wsgi"],
        {**PRODUCTION_ENV, "EMAIL_URL": "consolemail://"},
    )
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr and "consolemail://" in result.stderr


def test_kombus_file_system_broker_is_refused():
    result = manage_check({**PRODUCTION_ENV, "CELERY_BROKER_URL": "filesystem://"})
    assert result.returncode != 0
    assert "killed mid-write" in result.stderr and "CELERY_BROKER_URL=embedded" in result.stderr


def test_the_broker_and_the_cache_on_one_redis_server_is_a_deploy_warning():
    shared = {
        **PRODUCTION_ENV,
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        "CACHE_URL": "redis://redis.internal:6379/1",
    }
    result = manage_check(shared, "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "CELERY_BROKER_URL and CACHE_URL are the same Redis server" in result.stderr
    apart = {**shared, "CACHE_URL": "redis://cache.internal:6379/0"}
    assert manage_check(apart, "--fail-level", "WARNING").returncode == 0


def test_metrics_are_never_served_without_a_long_token():
    result = manage_check({**PRODUCTION_ENV, "METRICS_PORT": "9808"})
    assert result.returncode != 0 and "METRICS_TOKEN is not" in result.stderr
    result = manage_check({**PRODUCTION_ENV, "METRICS_TOKEN": "short"})
    assert result.returncode != 0 and "shorter than 32" in result.stderr


def test_behind_pgbouncer_no_server_side_cursor_is_opened():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@pgbouncer.internal:6432/sched"}
    database = read_settings({**env, "DATABASE_PGBOUNCER": "true"}, "DATABASES")["DATABASES"]
    assert database["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    database = read_settings(env, "DATABASES")["DATABASES"]
    assert database["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
