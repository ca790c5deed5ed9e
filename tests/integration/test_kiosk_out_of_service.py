"""`myna-kiosk run` on broken hardware, as an installer meets it: out of service with the reason for staff,
never a traceback, never silently idle. Real pcscd + vpcd, the real Qt window (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from testbench.virtualcard.profile import Variant, read_profile
from testbench.virtualcard.serving import Pcscd

pytestmark = [pytest.mark.vpcd, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
STILL = ROOT.parent / "shared/fixtures/faces/face_recognition/obama.jpg"


def run_kiosk(config: Path, env: dict[str, str] | None = None, wait_for: str = "out of service",
              within: float = 40.0) -> str:
    log = config.with_suffix(".log")
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(config), "--windowed"],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
                                        **(env or {})})
        try:
            deadline = time.monotonic() + within
            while time.monotonic() < deadline and process.poll() is None:
                if wait_for in log.read_text(errors="replace"):
                    break
                time.sleep(0.2)
            alive = process.poll() is None
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = log.read_text(errors="replace")
    assert alive, f"the kiosk exited instead of staying out of service:\n{text[-2000:]}"
    return text


def write_config(tmp_path: Path, **devices: str) -> Path:
    settings = {"data_dir": str(tmp_path / "data"), "camera": str(STILL), "card_face_camera": str(STILL),
                "backend_url": "http://127.0.0.1:9", **devices}
    body = "[devices]\n" + "".join(f'{key} = "{value}"\n' for key, value in settings.items())
    path = tmp_path / "kiosk.toml"
    path.write_text(body)
    return path


@pytest.mark.parametrize("case", ["unwritable_data_dir", "wrong_reader", "no_pcscd", "missing_camera"])
def test_out_of_service_says_why(case: str, pcscd: Pcscd, vcard: Callable[..., object],
                                 profile_dir: Callable[..., Path], tmp_path: Path) -> None:
    vcard(Variant.ORDINARY)
    issuer = str(read_profile(profile_dir(Variant.ORDINARY)).pki_dir / "issuer_public.pem")
    env: dict[str, str] = {}
    if case == "unwritable_data_dir":
        config, expected = write_config(tmp_path, data_dir="/proc/myna/data", issuer_public_key=issuer), \
            "not writable"
    elif case == "wrong_reader":
        config, expected = write_config(tmp_path, reader="No Such Reader", issuer_public_key=issuer), \
            "no reader named 'No Such Reader'"
    elif case == "no_pcscd":  # pcsc-lite's client finds pcscd through this socket
        config, expected = write_config(tmp_path, issuer_public_key=issuer), "pcscd) not running"
        env["PCSCLITE_CSOCK_NAME"] = str(tmp_path / "no-pcscd.comm")
    else:
        config, expected = write_config(tmp_path, camera=str(tmp_path / "no-camera.mp4"),
                                        issuer_public_key=issuer), "face_camera:"
    text = run_kiosk(config, env)
    assert "休止中 / out of service" in text and expected in text, text[-2000:]
    assert "Traceback" not in text


def test_healthy_kiosk_is_in_service(pcscd: Pcscd, vcard: Callable[..., object], profile_dir: Callable[..., Path],
                                     tmp_path: Path) -> None:
    vcard(Variant.ORDINARY)
    issuer = str(read_profile(profile_dir(Variant.ORDINARY)).pki_dir / "issuer_public.pem")
    config = write_config(tmp_path, issuer_public_key=issuer)
    text = run_kiosk(config, wait_for="never printed", within=15.0)
    assert "out of service" not in text and "Traceback" not in text, text[-2000:]
