"""The production package (`pip install .`): complete, without the sandbox, and running outside
the checkout on a read-only file system."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.fixtures.celery_worker import database_url
from tests.foundation.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout, unpacked as pip would install it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    [wheel] = out.glob("zoomsched-*.whl")
    site = out / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    return site


def snapshot(*folders: Path) -> set[str]:
    return {str(p) for folder in folders for p in folder.rglob("*")}


def run_installed(site: Path, cwd: Path, code: str, env: dict, *, read_only: bool):
    """Runs `code` with only the installed package importable (not the checkout), from `cwd`;
    with `read_only`, the package and `cwd` are mounted read-only first (needs root)."""
    command = [sys.executable, "-c", code]
    if read_only:
        mounts = " && ".join(
            f"mount --bind {p} {p} && mount -o remount,bind,ro {p}" for p in (site, cwd)
        )
        command = ["unshare", "--mount", "sh", "-c", f'{mounts} && exec "$0" "$@"', *command]
    return subprocess.run(
        command,
        cwd=cwd,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(site),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_holds_templates_static_files_and_migrations_but_not_the_sandbox(installed):
    files = {str(p.relative_to(installed)) for p in installed.rglob("*") if p.is_file()}
    assert "config/templates/base.html" in files
    assert "config/static/css/site.css" in files
    assert "meetings/static/meetings/meetings.css" in files
    # The guest's languages, compiled: an install needs no gettext tools.
    assert "config/locale/de/LC_MESSAGES/django.mo" in files
    assert "meetings/migrations/0001_initial.py" in files
    assert "health/migrations/0001_initial.py" in files
    assert not [f for f in files if f.startswith(("zoom_sandbox/", "tests/", "benchmarks/"))]


def can_mount_read_only() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


@pytest.mark.django_db
def test_the_installed_package_serves_pages_outside_the_checkout_on_a_read_only_file_system(
    installed, tmp_path
):
    run = tmp_path / "run"
    static = tmp_path / "static"
    run.mkdir()
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_STATIC_ROOT": str(static),
    }
    # Build time (writable): collectstatic, as a Dockerfile or buildpack does.
    collect = run_installed(
        installed,
        run,
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)",
        env,
        read_only=False,
    )
    assert collect.returncode == 0, collect.stderr
    before = snapshot(installed, run, static)

    # Run time: the web app and the Celery app load, and a page renders with its static files.
    serve = run_installed(
        installed,
        run,
        "import config.wsgi, config.celery, importlib.util; from django.conf import settings; "
        "from django.test import Client; "
        "print(settings.SITE_FILES_DIR); print(importlib.util.find_spec('zoom_sandbox')); "
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='sched.example.com'); "
        "print(r.status_code); print(r.content.decode())",
        env,
        read_only=can_mount_read_only(),
    )
    assert serve.returncode == 0, serve.stderr
    site_files, sandbox_spec, status, page = serve.stdout.split("\n", 3)
    assert site_files == str(installed / "config")
    assert sandbox_spec == "None"
    assert status == "200"
    assert "/static/css/site." in page and ".css" in page
    assert snapshot(installed, run, static) == before
