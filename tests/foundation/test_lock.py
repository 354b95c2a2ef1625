"""The packages: every one the app imports is declared in pyproject.toml, both lock files pin every
package with the hashes of its files, and `make` installs from them in pip's hash-checking mode."""

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APP_PACKAGES = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
LOCKS = {"runtime": ROOT / "requirements.lock", "dev": ROOT / "requirements-dev.lock"}
PIN = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})*)", re.M
)


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    return {
        canonicalize_name(name): (version, hashes.count("--hash="))
        for name, version, hashes in PIN.findall(lock.read_text())
    }


def declared(extra: str | None = None) -> list[Requirement]:
    requirements = PYPROJECT["project"]["dependencies"]
    if extra:
        requirements = requirements + PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(line) for line in requirements]


def imported_top_level_modules() -> set[str]:
    modules = set()
    for package in {name.rstrip("*") for name in APP_PACKAGES}:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules


def test_every_package_the_app_imports_is_declared_directly():
    own = {name.rstrip("*") for name in APP_PACKAGES}
    distributions = metadata.packages_distributions()
    direct = {canonicalize_name(requirement.name) for requirement in declared()}
    undeclared = {
        module: distributions[module]
        for module in imported_top_level_modules() - own - set(sys.stdlib_module_names)
        if not {canonicalize_name(d) for d in distributions.get(module, [])} & direct
    }
    assert undeclared == {}, "imported by the app, but only installed through another package"


@pytest.mark.parametrize("kind", LOCKS)
def test_every_pin_carries_hashes_and_fits_pyproject(kind):
    pinned = pins(LOCKS[kind])
    assert pinned
    assert {name for name, (_, hashes) in pinned.items() if hashes == 0} == set()
    for requirement in declared("dev" if kind == "dev" else None):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is declared but not locked"
        assert requirement.specifier.contains(pinned[name][0]), (name, pinned[name][0])


def test_the_two_locks_agree():
    runtime, dev = pins(LOCKS["runtime"]), pins(LOCKS["dev"])
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: dev[name][0] for name in runtime
    }


def test_this_environment_is_what_the_dev_lock_pins():
    """What `make install-dev` installed here is exactly the lock's versions."""
    wrong = {}
    for name, (version, _) in pins(LOCKS["dev"]).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}


@pytest.mark.parametrize(("target", "lock"), [("install", "runtime"), ("install-dev", "dev")])
def test_make_installs_in_hash_checking_mode(tmp_path, target, lock):
    # `make -n` prints what it would run; a fresh VENV makes it print the whole install.
    plan = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert f"pip install --require-hashes -r {LOCKS[lock].name}" in plan
    # The app itself adds nothing: no dependency of its own, built with the locked setuptools.
    assert "pip install --no-deps --no-build-isolation --quiet -e ." in plan
    assert re.search(r"pip install (?!--require-hashes|--no-deps)", plan) is None, plan
