"""Puts the site's templates/ and static/ into the wheel, under config/, so an installed package
is complete without the checkout (config/settings.py looks there first). Metadata is in
pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_DIRS = ("templates", "static")


class BuildPyWithSiteFiles(build_py):
    def run(self):
        super().run()
        # An editable install reads them from the checkout itself.
        if getattr(self, "editable_mode", False):
            return
        for name in SITE_DIRS:
            target = Path(self.build_lib) / "config" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target)


setup(cmdclass={"build_py": BuildPyWithSiteFiles})
