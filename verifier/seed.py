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
    """A registry record as an insurer holds it (codes and formats as docs/facexml.md lists them).

    By age: 75 and over 後期高齢者 (insurer 39xxxxxx, no symbol, 1–3割 in InsuredPartialContributionRatio),
    70–74 高齢受給者 (ElderlyRecipientCertificateInfo 2 or 3割), under 70 an employee plan. About one card in
    three has a 限度額 certificate, one in ten a 特定疾病 certificate.
    """
    digits = str(int.from_bytes(hashlib.sha256(identifier.encode()).digest()[:8], "big")).zfill(20)
    birth = date.fromisoformat(str(holder["birth_date"]))
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    pick = int(digits[19])
    since = date(max(birth.year + 18, today.year - 1 - int(digits[17])), 4, 1)  # stable, before today
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
        "qualification_date": since.strftime("%Y%m%d"),
        "issuance_date": since.strftime("%Y%m%d"),
        "valid_from": since.strftime("%Y%m%d"),
        "reference_number": "P" + digits[12:18],
    }
    if holder.get("address"):
        data["address"] = str(holder["address"])
    if age >= 75:
        data.update(insurer_number="39" + digits[:6], insurer_name="テスト県後期高齢者医療広域連合",
                    number=digits[10:18], copay_ratio=("010", "020", "030")[pick % 3])
        del data["symbol"], data["branch"]
    elif age >= 70:
        data["elderly"] = {"issue_date": f"{today.year}0801", "valid_from": f"{today.year}0801",
                           "valid_until": f"{today.year + 1}0731", "ratio": "030" if pick % 4 == 0 else "020"}
    if pick % 3 == 0:
        data["limit"] = _limit(age, int(digits[18]), today)
    if pick == 0:
        data["specific_disease"] = {"category": str(1 + int(digits[18]) % 3), "self_pay": "10000",
                                    "issue_date": since.strftime("%Y%m%d"), "valid_from": since.strftime("%Y%m%d")}
    return data


def _limit(age: int, pick: int, today: date) -> dict[str, str]:
    """限度額: income class A01–A05 under 70, B02/B03 (現役並み) or B05/B06 (低所得) from 70; the low-income
    classes come on a 限度額適用・標準負担額減額認定証 (02), the others on a 限度額適用認定証 (01)."""
    flag = ("A01", "A02", "A03", "A04", "A05")[pick % 5] if age < 70 else ("B02", "B03", "B05", "B06")[pick % 4]
    low_income = flag in ("A05", "B05", "B06")
    start = date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    return {"classification": "02" if low_income else "01", "flag": flag, "issue_date": start.strftime("%Y%m%d"),
            "valid_from": start.strftime("%Y%m%d"), "valid_until": f"{start.year + 1}0731"}


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
