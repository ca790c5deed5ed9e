"""A privacy check after 100 receptions on the real parts (virtual card through pcscd + vpcd, recorded video,
rendered card front, reference verifier on loopback): no PIN, 照合番号B, My Number, face image or name in any
file the kiosk wrote (its data dir) or in anything it logged, at DEBUG, the APDU traffic log included."""

from __future__ import annotations

import base64
import json
import logging
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testbench.demo.scenarios import DEMO_STAFF_PIN
from testbench.demo_cmds import _demo_headless
from testbench.virtualcard.profile import read_profile

pytestmark = [pytest.mark.vpcd, pytest.mark.slow]

# 100 receptions that reach 受付完了, by several paths (a wrong PIN first, staff visual check, face, …); only
# paths that can repeat on one card (a 保険証利用登録 happens once per card, so it is not in the mix)
MIX = {"wrong-pin-then-right": 75, "staff-visual": 15, "face": 5, "face-fails-then-pin": 5}
IMAGE_MAGIC = {"JPEG 2000": bytes.fromhex("0000000C6A5020200D0A870A"), "JPEG": b"\xff\xd8\xff", "PNG": b"\x89PNG"}


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def sqlite_texts(path: Path) -> Iterator[str]:
    """Every text and blob cell of every table, JSON bodies expanded to their strings."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
            for row in db.execute(f'select * from "{table}"'):  # noqa: S608 (table names from sqlite_master)
                for cell in row:
                    if isinstance(cell, bytes):
                        cell = cell.decode("utf-8", "replace")
                    if isinstance(cell, str):
                        yield cell
                        try:
                            yield from strings(json.loads(cell))
                        except ValueError:
                            pass
    finally:
        db.close()


@pytest.mark.timeout(1500)  # 100 real receptions: ~5 s each on the shared 2-core machine
def test_no_personal_data_after_100_receptions(capsys: pytest.CaptureFixture[str], qapp: object,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the demo keeps its cards, outbox and verifier database under ./var
    log_file = tmp_path / "kiosk-debug.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    names = [name for name, count in MIX.items() for _ in range(count)]
    try:
        code = _demo_headless(names, True, None, fake=False)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    out = json.loads(capsys.readouterr().out)
    screens = [[line["screen"] for line in s["lines"]] for s in out["scenarios"]]
    done = sum(1 for s in screens if "done" in s)
    assert code == 0 and done == 100, Counter(s["error"] for s in out["scenarios"])

    # what must never be written: every demo card's secrets, My Number, name and chip photo
    cards = tmp_path / "var" / "demo" / "cards"
    forbidden: dict[str, bytes] = {}
    for profile_dir in sorted(p for p in cards.iterdir() if (p / "profile.json").exists()):
        profile = read_profile(profile_dir)
        label = profile_dir.name
        forbidden[f"{label} 照合番号B"] = str(profile.secrets["verification_b"]).encode()
        forbidden[f"{label} My Number"] = str(profile.secrets["verification_a"]).encode()
        name = str(profile.holder["name"])
        forbidden[f"{label} name"] = name.encode("utf-8")
        forbidden[f"{label} name (family)"] = name.split("\u3000")[0].encode("utf-8")
        photo = (profile_dir / "photo.jp2").read_bytes()
        forbidden[f"{label} chip photo"] = photo[200:232]
        forbidden[f"{label} chip photo (base64)"] = base64.b64encode(photo[201:249])
    pins = {str(read_profile(p).secrets["auth_pin"]) for p in cards.iterdir()
            if (p / "profile.json").exists() and read_profile(p).secrets["auth_pin"]}
    pins |= {"0000", DEMO_STAFF_PIN}  # the wrong PIN the scenarios type, and the staff PIN

    kiosk_dir = tmp_path / "var" / "demo" / "kiosk"
    files = [p for p in kiosk_dir.rglob("*") if p.is_file()] + [log_file]
    assert any(p.name.startswith("outbox") for p in files) and log_file.stat().st_size > 0
    found: list[str] = []
    for path in files:
        raw = path.read_bytes()
        for what, needle in forbidden.items():
            if needle in raw:
                found.append(f"{what} in {path.name}")
        for kind, magic in IMAGE_MAGIC.items():
            if magic in raw:
                found.append(f"{kind} image in {path.name}")
        texts = list(sqlite_texts(path)) if raw.startswith(b"SQLite format 3") else [raw.decode("utf-8", "replace")]
        for text in texts:
            for what, needle in forbidden.items():
                if needle.decode("utf-8", "replace") in text:
                    found.append(f"{what} in {path.name} (decoded)")
            for kind, b64 in {"JPEG 2000": "AAAADGpQ", "JPEG": "/9j/", "PNG": "iVBORw0K"}.items():
                if b64 in text:
                    found.append(f"{kind} image (base64) in {path.name}")
            for pin in pins:  # a PIN as a whole token (not inside a longer number or a key id)
                if re.search(rf"(?<![0-9A-Za-z+/=]){pin}(?![0-9A-Za-z+/=])", text):
                    found.append(f"a PIN in {path.name}: …{text[max(0, text.find(pin) - 40):text.find(pin) + 40]!r}…")
    print(f"\nprivacy after {done} receptions: {len(files)} kiosk files/logs scanned "
          f"({', '.join(sorted({p.name for p in files}))}), {len(forbidden) + len(pins)} secrets looked for, "
          f"{len(found)} found")
    assert found == []
