"""The real app end to end: scripted patients through the kiosk window (offscreen) against the virtual card
through pcscd + vpcd, the recorded video, the rendered card front and the reference verifier on loopback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from testbench.cli import main
from testbench.demo.real import REAL_SCENARIOS

pytestmark = [pytest.mark.vpcd, pytest.mark.slow]

EXPECTED_SCREENS = {
    # first: its reception waits in the outbox and is delivered by the later runs (verifier up again)
    "backend-down": ["face_capture", "consent:comprehensive", "done"],
    "face": ["face_scan", "face_photo", "face_capture", "consent:comprehensive", "done"],
    "pin-less": ["face_capture", "done"],
    "wrong-pin-then-right": ["pin_wrong", "pin_entry", "consent:comprehensive", "done"],
    "pin-lockout-after-confirmation": ["pin_last_warning", "pin_entry", "pin_locked"],
    "staff-visual": ["staff_panel", "visual_check", "staff_pin", "done"],  # the PIN again, to confirm
    "register-for-insurance": ["not_registered", "pin_entry", "done"],
    "grace": ["pin_entry", "grace_notice", "done"],  # the notices come after the identity check
    "expiring": ["pin_entry", "renewal_notice", "done"],
    "expired": ["cert_expired"],
    "card-pulled": ["pin_entry", "attract"],
    "face-fails-then-pin": ["face_capture", "face_failed", "pin_entry", "done"],
}


def test_scripted_patients_on_the_real_parts(capsys: pytest.CaptureFixture[str], qapp: object,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the demo bench keeps its cards, outbox and verifier database under ./var
    names = list(EXPECTED_SCREENS)
    results = {}
    for name in names:
        code = main(["demo", "--headless", "--scenario", name, "--json"])
        out = json.loads(capsys.readouterr().out)
        assert "pcscd + vpcd" in out["note"]
        results[name] = (code, out["scenarios"][0])
    for name, (code, result) in results.items():
        screens = [line["screen"] for line in result["lines"]]
        assert result["error"] is None and code == 0, (name, result["error"], screens)
        position = 0
        for expected in EXPECTED_SCREENS[name]:  # in this order, with anything in between
            assert expected in screens[position:], (name, expected, screens)
            position = screens.index(expected, position) + 1
        assert screens[-1] == "attract", (name, screens)
    receptions = sqlite3.connect(tmp_path / "var" / "demo" / "verifier.db").execute(
        "select count(*) from receptions").fetchone()[0]
    completed = sum(1 for n in names if "done" in EXPECTED_SCREENS[n])
    assert receptions == completed, "every completed reception reached the verifier exactly once"
    assert set(EXPECTED_SCREENS) <= set(REAL_SCENARIOS)
