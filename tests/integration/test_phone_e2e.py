"""スマホのマイナ保険証 end to end: scripted patients with virtual phones on vpcd's second reader slot (the flat
smartphone reader) and the card on the first, through pcscd, the kiosk window (offscreen) and the reference
verifier on loopback, which checks the phone's chain against the separate phone root and the no-grace rule."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from testbench.cli import main
from testbench.demo.real import REAL_SCENARIOS

pytestmark = [pytest.mark.vpcd, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]

EXPECTED = {
    "phone-android": ["phone_pin", "phone_hold", "phone_reading", "consent:comprehensive", "done"],
    "phone-android-wrong-then-right": ["phone_pin", "phone_pin_wrong", "phone_pin", "consent:comprehensive", "done"],
    "phone-android-last-try": ["phone_pin", "phone_last_warning", "phone_reading", "consent:comprehensive", "done"],
    "phone-iphone": ["phone_reading", "consent:comprehensive", "done"],
    "phone-expired": ["phone_reading", "phone_cert_expired"],
    "phone-pulled": ["phone_reading", "phone_hold", "phone_reading", "consent:comprehensive", "done"],
    "card-and-phone": ["reading", "method", "pin_entry", "consent:comprehensive", "done"],
}
PHONE_METHODS = {"phone-android": "smartphone-android", "phone-android-wrong-then-right": "smartphone-android",
                 "phone-android-last-try": "smartphone-android", "phone-iphone": "smartphone-iphone",
                 "phone-pulled": "smartphone-iphone"}


def test_phone_patients_on_the_real_parts(capsys: pytest.CaptureFixture[str], qapp: object, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # the verifier child process must run this checkout's code (the phone roots, the no-grace rule)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    code = main(["demo", "--headless", "--scenario", ",".join(EXPECTED), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert "pcscd + vpcd" in out["note"]
    to_consent = []
    for result in out["scenarios"]:
        name = result["scenario"]
        screens = [line["screen"] for line in result["lines"]]
        assert result["error"] is None, (name, result["error"], screens)
        position = 0
        for expected in EXPECTED[name]:  # in this order, with anything in between
            assert expected in screens[position:], (name, expected, screens)
            position = screens.index(expected, position) + 1
        assert screens[-1] == "attract", (name, screens)
        if name == "phone-expired":
            assert not any(s.startswith("consent") for s in screens)
        holds = [m["t_ms"] for m in result["marks"] if m["action"] == "hold_phone"]
        consent = next((line["t_ms"] for line in result["lines"] if line["screen"].startswith("consent")), None)
        if holds and consent is not None and name != "card-and-phone":
            placed = max(t for t in holds if t < consent)
            to_consent.append((name, consent - placed))
    assert code == 0
    for name, ms in to_consent:
        print(f"phone placed → first consent screen (pcscd + vpcd, verifier on loopback): {ms:7.1f} ms  {name}")
    db = sqlite3.connect(tmp_path / "var" / "demo" / "verifier.db")
    methods = sorted(m for (m,) in db.execute("select method from receptions"))
    assert methods == sorted([*PHONE_METHODS.values(), "pin"]), methods  # the expired phone was never sent
    assert set(EXPECTED) <= set(REAL_SCENARIOS)
