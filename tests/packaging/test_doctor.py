"""`myna-kiosk doctor` against real parts: pcscd + vpcd with a virtual card, the real verifier over mutual TLS
on loopback, a recorded video as the camera, a real outbox. Each broken part is its own failing line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.backend.outbox import Outbox
from kiosk.app.doctor import Check, Status
from kiosk.app.doctor_checks import _clock
from testbench.virtualcard.profile import Variant
from tests.integration.test_verifier_staff import _tls_material
from verifier.server import ServerThread, build_verifier, trust_from_pki_dir, uvicorn_config

ROOT = Path(__file__).resolve().parents[2]
VIDEO = ROOT.parent / "shared" / "fixtures" / "video" / "short_hamilton_clip.mp4"
HARDWARE = ["config", "pcscd", "readers", "cameras", "verifier", "disk", "outbox"]


def doctor(config: Path, *only: str) -> tuple[int, list[dict[str, str]]]:
    args = [sys.executable, "-m", "kiosk", "doctor", "--json", "--config", str(config)]
    for name in only or HARDWARE:
        args += ["--only", name]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    return result.returncode, json.loads(result.stdout)["checks"]


def by_name(checks: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in checks}


@pytest.fixture
def verifier_tls(tmp_path: Path, vcard: Callable[..., object], test_pki: Path) -> Iterator[tuple[str, dict[str, Path]]]:
    vcard(Variant.ORDINARY)  # makes the profile, and with it the JPKI roots in test_pki
    tls = _tls_material(Path(tempfile.mkdtemp(dir=tmp_path)))
    verifier = build_verifier(f"sqlite:///{tmp_path / 'v.db'}", trust_from_pki_dir(test_pki), require_client_cert=True)
    server = ServerThread(uvicorn_config(verifier, "127.0.0.1", 0, tls_cert=str(tls["server"]),
                                         tls_key=str(tls["server_key"]), client_ca=str(tls["ca"])))
    url = server.start()
    yield url, tls
    server.stop()


def write_config(tmp_path: Path, url: str, tls: dict[str, Path], **devices: str) -> Path:
    settings = {"backend_url": url, "backend_ca": str(tls["ca"]), "client_cert": str(tls["kiosk"]),
                "client_key": str(tls["kiosk_key"]), "camera": str(VIDEO), "data_dir": str(tmp_path / "data"),
                "kiosk_id": "kiosk-1", **devices}
    path = tmp_path / "kiosk.toml"
    path.write_text("[devices]\n" + "".join(f'{k} = "{v}"\n' for k, v in settings.items() if v is not None))
    return path


pytestmark = pytest.mark.vpcd


def test_a_healthy_kiosk_passes_with_one_line_per_part(tmp_path: Path,
                                                         verifier_tls: tuple[str, dict[str, Path]]) -> None:
    url, tls = verifier_tls
    Outbox(tmp_path / "data" / "outbox.sqlite3").close()
    code, checks = doctor(write_config(tmp_path, url, tls))
    names = by_name(checks)
    assert code == 0, checks
    readers = [c["detail"] for c in checks if c["name"] == "reader"]
    assert readers[0] == "Virtual PCD 00 00 [used]: card ATR 3B E0 00 FF 81 31 FE 45 14"  # vpcd has two slots
    assert names["camera"]["status"] == "warn" and "640×360 at 30.0 fps" in names["camera"]["detail"]
    assert names["mtls"]["status"] == "ok" and "kiosk.pem" in names["mtls"]["detail"]
    assert names["clock"]["status"] == "ok" and "skew" in names["clock"]["detail"]
    assert names["outbox"]["detail"].startswith("0 pending")
    assert {c["name"] for c in checks} >= {"config", "pcscd", "verifier", "disk"}
    assert all(c["status"] in ("ok", "warn") for c in checks)
    human = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--config", str(tmp_path / "kiosk.toml"),
                            *[a for name in HARDWARE for a in ("--only", name)]], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    print(human.stdout)  # the installer's view (pytest -s)
    assert human.returncode == 0 and human.stdout.splitlines()[-1].startswith("all checks passed")


def test_each_broken_part_fails_on_its_own_line_with_a_fix(tmp_path: Path,
                                                            verifier_tls: tuple[str, dict[str, Path]]) -> None:
    url, tls = verifier_tls
    # no client certificate: the verifier's mutual TLS refuses the handshake
    code, checks = doctor(write_config(tmp_path, url, tls, client_cert="", client_key=""), "verifier")
    mtls = by_name(checks)["mtls"]
    assert code == 1 and mtls["status"] == "fail" and "re-enrol" in mtls["fix"]
    # the wrong CA: the verifier's certificate is not trusted
    code, checks = doctor(write_config(tmp_path, url, tls, backend_ca=str(tls["kiosk"])), "verifier")
    assert code == 1 and "not trusted" in by_name(checks)["mtls"]["detail"]
    # nobody listening
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, checks = doctor(write_config(tmp_path, f"https://127.0.0.1:{port}", tls), "verifier")
    assert code == 1 and "unreachable" in by_name(checks)["verifier"]["detail"]
    # a reader that is not there, a camera that is not there
    code, checks = doctor(write_config(tmp_path, url, tls, reader="ACS ACR1252",
                                       camera="/dev/v4l/by-id/usb-none-video-index0"), "readers", "cameras")
    failed = [c for c in checks if c["status"] == "fail"]
    assert code == 1 and len(failed) == 2 and all(c["fix"] for c in failed)
    assert "matches none" in failed[0]["detail"] and "does not exist" in failed[1]["detail"]
    # an invalid config names its line
    path = tmp_path / "broken.toml"
    path.write_text("[timeouts]\nsubmit_s = -1\n")
    code, checks = doctor(path, "config")
    assert code == 1 and f"{path}:2" in checks[0]["detail"]


def test_no_card_and_no_pcscd(tmp_path: Path, vcard: Callable[..., object], monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app.doctor import DoctorContext
    from kiosk.app.doctor_checks import check_pcscd
    from kiosk.config import KioskConfig

    path = tmp_path / "k.toml"
    path.write_text("")
    vcard(Variant.ORDINARY, insert=False)
    code, checks = doctor(path, "pcscd", "readers")
    assert code == 0 and next(c["detail"] for c in checks if c["name"] == "reader").endswith("[used]: no card")
    monkeypatch.setenv("PCSCLITE_CSOCK_NAME", str(tmp_path / "none.comm"))
    (line,) = check_pcscd(DoctorContext(path, KioskConfig()))
    assert line.status is Status.FAIL and "systemctl enable --now pcscd.socket" in line.fix


def test_clock_skew_from_the_date_header() -> None:
    assert _clock("Wed, 02 Dec 2026 10:00:00 GMT", 1796205600.4, 1796205600.6).status is Status.OK
    late = _clock("Wed, 02 Dec 2026 10:00:00 GMT", 1796205700.0, 1796205700.2)
    assert late.status is Status.FAIL and "+99.1 s" in late.detail and "timedatectl" in late.fix
    assert _clock(None, 0, 0).status is Status.WARN


def test_render_puts_the_fix_on_the_same_line() -> None:
    line = Check("pcscd", Status.FAIL, "not running", "sudo systemctl enable --now pcscd.socket").render()
    assert line == "FAIL pcscd          not running  → sudo systemctl enable --now pcscd.socket"


def test_fonts_row_names_the_face_the_window_sets_each_language_in(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app.doctor import DoctorContext
    from kiosk.app.doctor_checks import check_fonts
    from kiosk.config import KioskConfig
    from ui import theme

    context = DoctorContext(tmp_path / "k.toml", KioskConfig())
    (line,) = check_fonts(context)  # `make setup` installs fonts-noto-cjk: every first choice is there
    assert line.status is Status.OK and "zh Noto Sans CJK SC" in line.detail and "ko Noto Sans CJK KR" in line.detail
    # fontconfig would still match *some* face for zh (a Japanese one): the row must not call that fine
    monkeypatch.setitem(theme.FONT_FAMILIES, "zh", ("Noto Sans CJK SC Missing",))
    (line,) = check_fonts(context)
    assert line.status is Status.FAIL and line.detail.startswith("no face for zh") and "fonts-noto-cjk" in line.fix
