"""Demo registry: one qualification per virtual card profile (a directory per card with profile.json).

The insurance fields are made up but stable (derived from the card's identifier), so the same profiles
always seed the same registry. Cards whose profile says `insurance_registered: false` are stored unlinked:
they answer "not registered" until a 保険証利用登録 request proven by the PIN path links them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from verifier.store import Store


def qualification_for(identifier: str, holder: dict[str, Any], today: date) -> dict[str, Any]:
    digits = str(int.from_bytes(hashlib.sha256(identifier.encode()).digest()[:8], "big")).zfill(20)
    birth = date.fromisoformat(str(holder["birth_date"]))
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    copay = "010" if age >= 75 else "020" if age >= 70 or age < 6 else "030"
    data: dict[str, Any] = {
        "validity": "1",
        "card_classification": "01",
        "insurer_number": "06" + digits[:6],
        "insurer_name": "テスト健康保険組合",
        "symbol": digits[6:10],
        "number": digits[10:16],
        "branch": digits[16:18],
        "personal_family": "1",
        "name": str(holder["name"]),
        "name_kana": str(holder.get("name_kana", "")),
        "birth_date": birth.strftime("%Y%m%d"),
        "sex": str(holder["sex"]),
        "copay_ratio": copay,
        "limit_category": "A0" + digits[18],
        "reference_number": "P" + digits[12:18],
    }
    if 70 <= age < 75:
        data["elderly"] = {"issue_date": f"{today.year}0801", "valid_from": f"{today.year}0801",
                           "valid_until": f"{today.year + 1}0731", "ratio": copay}
    if int(digits[19]) == 0:
        data["specific_disease"] = {"category": "01", "self_pay": "10000"}
    return data


def seed_profiles(store: Store, profiles: Path, today: date | None = None) -> list[str]:
    """Add every profile under `profiles` (or `profiles` itself if it is one); returns the identifiers."""
    today = today or date.today()
    files = [profiles / "profile.json"] if (profiles / "profile.json").exists() else \
        sorted(profiles.glob("*/profile.json"))
    # Virtual phones (testbench.virtualcard.phone) write phone.json; their holder is seeded like a card's.
    files += [profiles / "phone.json"] if (profiles / "phone.json").exists() else \
        sorted([*profiles.glob("*/phone.json"), *profiles.glob("*/*/phone.json")])
    seeded = []
    for path in files:
        profile = json.loads(path.read_text(encoding="utf-8"))
        identifier = str(profile["auth_identifier"])
        store.put_qualification(identifier, bool(profile.get("insurance_registered", True)),
                                qualification_for(identifier, profile["holder"], today))
        seeded.append(identifier)
    return seeded
