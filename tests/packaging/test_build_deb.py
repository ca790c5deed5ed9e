"""What goes into each package (checked on the staged sources, without building the environments): the kiosk
never carries the test bench, the verifier or the shared fixtures; the verifier carries only itself and the
result schema; each gets only its own dependencies; the version comes from git and sorts per commit."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# packaging/ is a folder of scripts, not a package (`packaging` on sys.path is PyPA's library)
_spec = importlib.util.spec_from_file_location("build_deb", ROOT / "packaging" / "build_deb.py")
assert _spec is not None and _spec.loader is not None
build_deb = importlib.util.module_from_spec(_spec)
sys.modules["build_deb"] = build_deb
_spec.loader.exec_module(build_deb)
KIOSK, VERIFIER = build_deb.KIOSK, build_deb.VERIFIER
stage_sources, version, _requirement_name = build_deb.stage_sources, build_deb.version, build_deb._requirement_name


def staged(spec: object, tmp_path: Path) -> tuple[set[str], list[str]]:
    src = stage_sources(spec, tmp_path, "0.1.0+git1.gabc")  # type: ignore[arg-type]
    top = {p.name for p in src.iterdir()}
    deps = tomllib.loads((src / "pyproject.toml").read_text())["project"]["dependencies"]
    return top, [_requirement_name(d) for d in deps]


def test_kiosk_package_sources_leave_out_the_test_bench_and_the_verifier(tmp_path: Path) -> None:
    top, deps = staged(KIOSK, tmp_path)
    assert top == {"kiosk", "drivers", "ui", "assets", "pyproject.toml"}
    files = {p.relative_to(tmp_path / "src").as_posix() for p in (tmp_path / "src").rglob("*")}
    assert not [f for f in files if "testbench" in f or "fixtures" in f]
    assert "assets/consent/comprehensive.toml" in files and "assets/i18n/kiosk_ja.ts" in files
    assert {"pyside6-essentials", "pyscard", "opencv-python-headless"} <= set(deps)
    assert not {"fastapi", "uvicorn", "sqlalchemy", "psycopg"} & set(deps)


def test_verifier_package_sources_are_the_verifier_and_the_schema(tmp_path: Path) -> None:
    top, deps = staged(VERIFIER, tmp_path)
    assert top == {"verifier", "assets", "pyproject.toml"}
    assert {p.name for p in (tmp_path / "src" / "assets").iterdir()} == {"__init__.py", "schema"}
    assert {"fastapi", "sqlalchemy", "psycopg", "cryptography"} <= set(deps)
    assert not {"pyside6-essentials", "pyscard", "numpy", "requests"} & set(deps)


def test_version_is_from_git() -> None:
    count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert re.fullmatch(rf"\d+\.\d+\.\d+\+git{count}\.g[0-9a-f]{{7,}}(\.dirty)?", version())
