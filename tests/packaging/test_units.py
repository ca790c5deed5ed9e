"""`systemd-analyze verify` on the packaged units, in a root that has the host's units plus the package's
files (the commands the units run must exist: the package's own are stand-ins here; the install test runs
the real ones), and the hardening the kiosk unit must keep."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
UNITS = ("myna-kiosk.service", "myna-verifier.service")


def verify_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree("/lib/systemd/system", root / "lib" / "systemd" / "system", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    for tool in ("env", "cage"):
        found = shutil.which(tool)
        assert found, f"{tool} is not installed (make setup installs cage)"
        shutil.copy2(found, root / "usr" / "bin" / tool)
    for command in ("myna-kiosk", "myna-verifier"):  # the package's /usr/bin links, as executables
        stand_in = root / "usr" / "bin" / command
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
    for unit in UNITS:
        shutil.copy2(PACKAGING / "systemd" / unit, root / "lib" / "systemd" / "system" / unit)
    return root


def analyze(root: Path, unit: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemd-analyze", "verify", f"--root={root}", f"/lib/systemd/system/{unit}"],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("unit", UNITS)
def test_units_verify_clean(tmp_path: Path, unit: str) -> None:
    result = analyze(verify_root(tmp_path), unit)
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stderr


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    root = verify_root(tmp_path)
    unit = root / "lib" / "systemd" / "system" / "myna-kiosk.service"
    unit.write_text(unit.read_text().replace("[Service]\n", "[Service]\nWatchdogSecs=5\n"))
    result = analyze(root, "myna-kiosk.service")
    assert "Unknown key" in result.stderr


def service(unit: str) -> dict[str, str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "systemd" / unit)
    return dict(parser["Service"])


def test_kiosk_unit_is_locked_down_and_watched() -> None:
    kiosk = service("myna-kiosk.service")
    assert kiosk["Type"] == "notify" and kiosk["NotifyAccess"] == "all" and int(kiosk["WatchdogSec"]) > 0
    assert kiosk["Restart"] == "always" and kiosk["User"] == "myna-kiosk"
    assert kiosk["ProtectSystem"] == "strict" and kiosk["PrivateTmp"] == "yes" and kiosk["NoNewPrivileges"] == "yes"
    assert kiosk["ReadWritePaths"] == "/var/lib/myna-kiosk" and kiosk["StandardOutput"] == "journal"
    assert "/usr/bin/cage" in kiosk["ExecStart"] and " -s " not in kiosk["ExecStart"]  # no VT switching
    verifier = service("myna-verifier.service")
    assert verifier["ProtectSystem"] == "strict" and verifier["ReadWritePaths"] == "/var/lib/myna-verifier"
    assert "${MYNA_VERIFIER_DB}" in verifier["ExecStart"]
