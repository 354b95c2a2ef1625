"""config/settings.py read in a fresh interpreter with a given environment."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 30 + "-production-secret-key-value-0123456789",
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "DJANGO_ALLOWED_HOSTS": "sched.example.com",
    "SITE_URL": "https://sched.example.com",
    # With debug off each service is chosen by name: here the one-small-machine choices.
    "DATABASE_URL": "embedded",
    "CELERY_BROKER_URL": "embedded",
    "CACHE_URL": "embedded",
    "EMAIL_URL": "smtp+tls://mailer:mail-password@mail.example.com:587",
}


def run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(env: dict, *names: str) -> dict:
    code = (
        "from django.conf import settings; import json; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_settings(env, code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_settings(env, "")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_an_encryption_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEY"}
    result = run_settings(env, "")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_production_refuses_the_development_encryption_key():
    dev = read_settings({"DJANGO_DEBUG": "1"}, "FIELD_ENCRYPTION_KEY")["FIELD_ENCRYPTION_KEY"]
    result = run_settings({**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEY": dev[0]}, "")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_defaults_make_the_demo_work_without_any_service():
    values = read_settings(
        {"DJANGO_DEBUG": "1"}, "DATABASES", "CELERY_BROKER_URL", "ZOOM_OAUTH_BASE_URL"
    )
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CELERY_BROKER_URL"].startswith("sqlite:///")
    assert values["CELERY_BROKER_URL"].endswith("/broker.sqlite3")
    assert values["ZOOM_OAUTH_BASE_URL"] == "https://zoom.us"


def test_encryption_key_list_is_read_in_order_for_rotation():
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    values = read_settings(
        {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEY": f"{new},{old}"}, "FIELD_ENCRYPTION_KEY"
    )
    assert values["FIELD_ENCRYPTION_KEY"] == [new, old]


@pytest.mark.parametrize(
    ("env", "name", "expected"),
    [
        ({"DATABASE_URL": "postgres://u:p@db.internal:5432/sched"}, "DATABASES", "db.internal"),
        ({"CELERY_BROKER_URL": "redis://cache:6379/3"}, "CELERY_BROKER_URL", "redis://cache"),
        ({"CACHE_URL": "redis://cache:6379/1"}, "CACHES", "config.redis_cache.RedisCache"),
        ({"ZOOM_API_BASE_URL": "http://localhost:9100/v2/"}, "ZOOM_API_BASE_URL", "9100/v2"),
        ({"EMAIL_URL": "smtp+tls://u:p@mail.example.com:587"}, "EMAIL_HOST", "mail.example"),
    ],
)
def test_services_are_configured_from_the_environment(env, name, expected):
    values = read_settings({**PRODUCTION_ENV, **env}, name)
    assert expected in json.dumps(values[name])


def test_api_base_url_loses_its_trailing_slash():
    values = read_settings(
        {**PRODUCTION_ENV, "ZOOM_API_BASE_URL": "http://localhost:9100/v2/"}, "ZOOM_API_BASE_URL"
    )
    assert values["ZOOM_API_BASE_URL"] == "http://localhost:9100/v2"
