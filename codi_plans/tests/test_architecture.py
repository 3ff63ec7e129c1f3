"""Imports keep their direction: the apps form layers, and the project package imports no app outside urls.py.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks every import, those inside
functions too, and the chains through other modules.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["type"]: c for c in config["contracts"]}


def test_import_contracts_are_kept():
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_app_of_the_project_is_in_a_layer_and_out_of_the_project_package():
    local_apps = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists() and app != "codi_plans"]
    layers = contracts()["layers"]["layers"]
    assert sorted(layers) == sorted(local_apps)
    assert sorted(contracts()["forbidden"]["forbidden_modules"]) == sorted(local_apps)
    # The layers, top first, follow INSTALLED_APPS, which lists the apps bottom first.
    assert layers == sorted(layers, key=local_apps.index, reverse=True)


def test_every_app_s_tests_are_collected():
    """pytest collects only `testpaths`: an app missing there has tests that never run (mywork's once did not)."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini", encoding="utf-8")
    collected = config["pytest"]["testpaths"].split()
    apps_with_tests = [app for app in settings.INSTALLED_APPS if (ROOT / app / "tests").is_dir()]
    assert sorted(set(apps_with_tests) - set(collected)) == []
