"""The kiosk's result payloads against the published JSON Schema, and the record types' own guards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest

from kiosk.reception import (
    Choice,
    ConsentItem,
    ConsentRecord,
    FaceEvidence,
    Liveness,
    Method,
    PinEvidence,
    PinProofEvidence,
    Prescription,
    ReceptionResult,
    VisualEvidence,
    new_transaction_id,
)
from verifier import facexml
from verifier.pki import add_months
from verifier.service import load_result_schema

NOW = datetime(2026, 11, 21, 4, 30, tzinfo=UTC)
SCHEMA = load_result_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def result(method: Method, **changes: Any) -> ReceptionResult:
    evidence = {
        Method.FACE: FaceEvidence(0.41, {"accept": 0.45, "review": 0.5}, "dlib_v1", Liveness.NOT_CHECKED),
        Method.PIN: PinEvidence("c-1", b"\x01" * 32, b"\x02" * 256),
        Method.VISUAL: VisualEvidence("staff-07"),
        Method.SMARTPHONE_ANDROID: PinProofEvidence(7, datetime(2026, 11, 21, tzinfo=UTC), b"\x02" * 256),
        Method.SMARTPHONE_IPHONE: PinProofEvidence(8, datetime(2026, 11, 21, tzinfo=UTC), b"\x02" * 256),
    }[method]
    consent = ConsentRecord(ConsentItem.DIAGNOSIS_NAME, Choice.DECLINE, "consent-dx", "2025.1", "a" * 64, NOW)
    values: dict[str, Any] = dict(
        kiosk_id="kiosk-1", transaction_id=new_transaction_id(), started_at=NOW - timedelta(seconds=30),
        completed_at=NOW, method=method, evidence=evidence, auth_certificate=b"\x30\x82\x01\x00",
        consents=(consent,), prescription=Prescription.PAPER, timings_ms={"total": 30000},
        software_version="0.1.0",
    )
    values.update(changes)
    return ReceptionResult(**values)


def errors(payload: dict[str, Any]) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(payload)]


@pytest.mark.parametrize("method", list(Method))
def test_every_method_validates_against_the_published_schema(method: Method) -> None:
    payload = json.loads(result(method).to_bytes())
    assert errors(payload) == []
    assert payload["$schema"] == SCHEMA["$id"]


def test_the_schema_refuses_what_must_never_travel() -> None:
    payload = json.loads(result(Method.PIN).to_bytes())
    for forbidden in ("pin", "my_number", "photo", "frame", "verification_b"):
        assert errors(payload | {forbidden: "x"}), forbidden
    payload["evidence"]["pin"] = "1234"
    assert errors(payload)


def test_the_schema_ties_evidence_to_the_method() -> None:
    face = json.loads(result(Method.FACE).to_bytes())
    face["method"] = "pin"
    assert errors(face)
    bad_hash = json.loads(result(Method.VISUAL).to_bytes())
    bad_hash["consents"][0]["text_sha256"] = "XYZ"
    assert errors(bad_hash)


def test_record_guards() -> None:
    with pytest.raises(ValueError):
        result(Method.FACE, evidence=VisualEvidence("staff"))
    with pytest.raises(ValueError):
        result(Method.FACE, transaction_id="not-a-uuid")
    with pytest.raises(ValueError):
        result(Method.FACE, started_at=datetime(2026, 11, 21, 4, 30))  # no time zone
    with pytest.raises(ValueError):
        ConsentRecord(ConsentItem.DIAGNOSIS, Choice.CONSENT, "t", "1", "short", NOW)
    assert "signature" not in repr(PinEvidence("c", b"secret-challenge", b"secret-signature"))


def test_body_bytes_are_stable_for_signing() -> None:
    one = result(Method.FACE, transaction_id="6a1c7f0e-8a0e-4b47-9c1e-0f5a3b2c1d00")
    assert one.to_bytes() == one.to_bytes()
    assert b" " not in one.to_bytes().replace(b"dlib_v1", b"")


def test_grace_period_month_arithmetic() -> None:
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2027, 12, 15, tzinfo=UTC), 3) == datetime(2028, 3, 15, tzinfo=UTC)


def test_face_xml_in_shift_jis_maps_known_variants_and_refuses_the_rest() -> None:
    def sjis(name: str, unmappable: facexml.Unmappable) -> bytes:
        return facexml.build(
            institution_code="1300000001", transaction_id="t", received_at=NOW, validity="1", prescription="paper",
            qualification={"name": name, "name_kana": "タカハシ ヨシコ", "birth_date": "19800101", "sex": "2",
                           "card_classification": "01", "insurer_name": "テスト健康保険組合"},
            consents=[{"item": "pharmacists", "flag": "1", "consent_time": NOW.isoformat(),
                       "available_until": (NOW + timedelta(hours=24)).isoformat()}],
            encoding="shift_jis", unmappable=unmappable,
        )

    text = sjis("髙橋\u3000𠮷子", facexml.Unmappable.MAP).decode("cp932")
    assert text.startswith('<?xml version="1.0" encoding="Shift_JIS"?>')
    assert "<CharacterCodeIdentifier>1</CharacterCodeIdentifier>" in text
    assert "<Name>髙橋\u3000吉子</Name>" in text and "〓" not in text  # 𠮷 -> 吉 by the table, 髙 is in cp932
    assert "<NameKana>ﾀｶﾊｼ ﾖｼｺ</NameKana>" in text
    assert "<PharmacistsInfoConsTime>20261121133000</PharmacistsInfoConsTime>" in text  # Japan time
    assert "<PharmacistsInfoAvailableTime>20261122133000</PharmacistsInfoAvailableTime>" in text
    assert "<PrescriptionIssueSelect>2</PrescriptionIssueSelect>" in text
    with pytest.raises(facexml.FaceXmlEncodingError, match=r"<Name> holds U\+20BB7"):
        sjis("髙橋\u3000𠮷子", facexml.Unmappable.REFUSE)
    with pytest.raises(facexml.FaceXmlEncodingError, match=r"U\+29E3D"):  # 𩸽: no mapping either
        sjis("𩸽\u3000太郎", facexml.Unmappable.MAP)
    assert facexml.file_name("1300000001", 42, NOW) == "OQSsiquc01res_face_13000000010100000042_20261121133000.xml"
