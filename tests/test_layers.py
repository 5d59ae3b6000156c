"""The layers of docs/architecture.md hold, and the check bites: a copy of the source with one
upward import (org units reaching into the web pages) fails `lint-imports`, naming it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path, cwd: Path) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: install the dev extras (make dev)")
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(CONFIG), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def copy_of_the_source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "twintrack", src / "twintrack",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale", "*.csv", "*.json"))
    return src


def test_the_source_keeps_its_layers(tmp_path):
    result = lint_imports(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_layers(tmp_path):
    src = copy_of_the_source(tmp_path)
    (src / "twintrack" / "orgs" / "upward.py").write_text("from twintrack.web import views  # noqa: F401\n")
    result = lint_imports(src, tmp_path)
    assert result.returncode != 0
    assert "Apps import only from the layers below them BROKEN" in result.stdout
    assert "twintrack.orgs is not allowed to import twintrack.web" in result.stdout
    assert "twintrack.orgs.upward -> twintrack.web.views" in result.stdout


def test_a_domain_import_in_the_engine_breaks_its_contract(tmp_path):
    src = copy_of_the_source(tmp_path)
    (src / "twintrack" / "imports" / "domain.py").write_text(
        "def kinds():\n    from twintrack.programme import importing  # noqa: F401\n")
    result = lint_imports(src, tmp_path)
    assert result.returncode != 0
    assert "The import engine knows no domain BROKEN" in result.stdout
    assert "twintrack.imports.domain -> twintrack.programme.importing" in result.stdout
