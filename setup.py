"""Puts the site's templates/, static/ and locale/ (compiled translations) into the wheel, under
config/, so an installed package is complete without the checkout (config/settings.py looks there
first). Metadata is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_DIRS = ("templates", "static", "locale")


class BuildPyWithSiteFiles(build_py):
    def run(self):
        # An editable install reads everything from the checkout itself.
        if getattr(self, "editable_mode", False):
            super().run()
            return
        # setuptools builds in ./build and never removes a module deleted since the last build.
        shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()
        for name in SITE_DIRS:
            target = Path(self.build_lib) / "config" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target)


setup(cmdclass={"build_py": BuildPyWithSiteFiles})
