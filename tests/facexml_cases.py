"""One face-XML case per outcome the kiosk produces, as the verifier stores it (its answer + the registry
record), at a fixed time, so the files are byte-stable for golden tests and feed the outside-parser test.

The answers follow Verifier._consent_answers: 限度額 is always provided when the qualification is valid;
in the grace period (eligibility only) no medical-information consent is honoured; an unregistered card
is "該当資格なし" with no registry record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from verifier import facexml
from verifier.seed import qualification_for

NOW = datetime(2026, 11, 21, 4, 30, tzinfo=UTC)  # 13:30 JST
ASKED = ("pharmacists", "diagnosis", "operation", "specific_health_checkups")
ASKED_2025 = ("diagnosis_name", "infectious", "allergy", "other_allergy", "test", "prescription_info")


@dataclass(frozen=True)
class Case:
    name: str
    validity: str
    qualification: dict[str, Any] | None
    consents: list[dict[str, Any]]
    prescription: str = "electronic"
    registration: str = "registered"
    encoding: str = "utf-8"
    notes: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def build(self) -> bytes:
        return facexml.build(
            institution_code="1310000017", transaction_id="6a1c7f0e-8a0e-4b47-9c1e-0f5a3b2c1d00", received_at=NOW,
            validity=self.validity, prescription=self.prescription, qualification=self.qualification,
            consents=self.consents, **facexml_kwargs(self))

    def file_name(self) -> str:
        return f"{self.name}.xml"


def facexml_kwargs(case: Case) -> dict[str, Any]:
    options = facexml.FaceXmlOptions.from_setting(case.encoding)
    return {"encoding": options.encoding, "unmappable": options.unmappable, **case.options}


def answers(consented: tuple[str, ...], *, asked: tuple[str, ...] = ASKED, limit: bool = True,
            honoured: bool = True) -> list[dict[str, Any]]:
    at = NOW - timedelta(seconds=5)
    out: list[dict[str, Any]] = []
    if limit:
        out.append({"item": "limit_application", "flag": "1", "consent_time": NOW.isoformat(), "available_until": None})
    for item in asked:
        given = item in consented and honoured
        windowed = item in facexml.CONSENT_TAGS
        out.append({"item": item, "flag": "1" if given else "0", "consent_time": at.isoformat() if given else None,
                    "available_until": (at + timedelta(hours=24)).isoformat() if given and windowed else None})
    return out


def record(birth: str, *, name: str = "佐藤\u3000花子", kana: str = "サトウ ハナコ", sex: str = "2",
           identifier: str = "case-card", **changes: Any) -> dict[str, Any]:
    holder = {"name": name, "name_kana": kana, "birth_date": birth, "sex": sex,
              "address": "東京都千代田区霞が関一丁目２番２号"}
    data = qualification_for(identifier, holder, NOW.date())
    for key in ("limit", "specific_disease", "elderly"):  # each case says which certificates it has
        data.pop(key, None)
    data.update(changes)
    return data


LIMIT_UNDER_70 = {"classification": "01", "flag": "A03", "issue_date": "20260801", "valid_from": "20260801",
                  "valid_until": "20270731"}
LIMIT_LOW_INCOME_70 = {"classification": "02", "flag": "B05", "issue_date": "20260801", "valid_from": "20260801",
                       "valid_until": "20270731"}
DISEASE = {"category": "1", "self_pay": "10000", "issue_date": "20250401", "valid_from": "20250401"}
ELDERLY = {"issue_date": "20260801", "valid_from": "20260801", "valid_until": "20270731", "ratio": "020"}


def cases() -> list[Case]:
    mixed = answers(("pharmacists", "diagnosis", "specific_health_checkups"))
    return [
        Case("valid", "1", record("1980-02-17"), mixed),
        Case("valid_family_member", "1", record("2015-06-03", name="佐藤\u3000陽菜", kana="サトウ ヒナ",
                                                 personal_family="2", insured_name="佐藤\u3000太郎", preschool=None),
             mixed, prescription="paper"),
        Case("invalid", "2", record("1980-02-17", validity="2", disqualification_date="20260930",
                                    valid_until="20260930", reason_of_loss="03"),
             answers((), limit=False, honoured=False), notes="資格喪失: the lost qualification, no consent honoured"),
        Case("invalid_newer_exists", "3", record("1980-02-17", validity="3", disqualification_date="20260331",
                                                 valid_until="20260331", reason_of_loss="03"),
             answers((), limit=False, honoured=False)),
        Case("not_registered", "4", None, answers(("pharmacists",), limit=False, honoured=False),
             registration="not_registered", notes="該当資格なし: no ResultList"),
        Case("grace_eligibility_only", "1", record("1980-02-17"),
             answers(("pharmacists", "diagnosis"), honoured=False), notes="JPKI certificate in its 3-month grace"),
        Case("limit_certificate", "1", record("1980-02-17", limit=LIMIT_UNDER_70), mixed),
        Case("specific_disease", "1", record("1980-02-17", specific_disease=DISEASE),
             answers(("pharmacists", "specific_diseases"), asked=(*ASKED, "specific_diseases"))),
        Case("elderly_recipient", "1", record("1954-05-10", name="高橋\u3000健一", kana="タカハシ ケンイチ", sex="1",
                                              elderly=ELDERLY, limit=LIMIT_LOW_INCOME_70), mixed),
        Case("late_elderly", "1", record("1944-01-05", name="田中\u3000ミサキ", kana="タナカ ミサキ", identifier="k",
                                         copay_ratio="010"), mixed),
        Case("pin_less_card", "1", record("1990-09-09", name="渡辺\u3000翔太", kana="ワタナベ ショウタ", sex="1"),
             mixed, notes="顔認証マイナンバーカード: same file; the format has no field for how identity was proven"),
        Case("visual_check", "1", record("1938-12-01", name="小林\u3000美咲", kana="コバヤシ ミサキ", identifier="v"),
             answers(("pharmacists",)), notes="目視確認 by staff: same file"),
        Case("all_consents_2025_left_out", "1", record("1980-02-17"),
             answers((*ASKED, *ASKED_2025), asked=(*ASKED, *ASKED_2025)),
             notes="the kiosk asked the 2025 items; the default file leaves them out"),
        Case("all_consents_2025_included", "1", record("1980-02-17"),
             answers((*ASKED, *ASKED_2025), asked=(*ASKED, *ASKED_2025)),
             options={"include_2025_items": True}, notes="opt-in: the ORCA names"),
        Case("shift_jis_mapped", "1", record("1980-02-17", name="髙橋\u3000𠮷子", kana="タカハシ ヨシコ"), mixed,
             encoding="shift_jis-map", notes="𠮷 mapped to 吉; 髙 is in code page 932 and stays"),
    ]
