"""The README's production environment passes Django's deployment checks, as the README says."""
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
TWINTRACK = str(Path(sys.executable).with_name("twintrack"))


def production_environment() -> dict[str, str]:
    block = re.search(r"<!-- production-environment -->\s*```sh\n(.*?)```", README.read_text("utf-8"), re.S)
    assert block, "README.md lost its production-environment block"
    return dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())


def check_deploy(tmp_path, extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWINTRACK_", "DJANGO_"))}
    env.update(extra)
    env.update(TWINTRACK_DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3", TWINTRACK_VAR_DIR=str(tmp_path))
    return subprocess.run([TWINTRACK, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120)


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    result = check_deploy(tmp_path, production_environment())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_without_it_check_deploy_names_what_is_missing(tmp_path):
    result = check_deploy(tmp_path, {})
    said = result.stdout + result.stderr
    assert "security.W004" in said and "security.W012" in said  # HSTS, secure session cookie
