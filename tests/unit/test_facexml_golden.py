"""Golden files: the face XML of every outcome, byte for byte (tests/unit/golden/facexml/<outcome>.xml), plus
the rules each outcome shows. Regenerate after a deliberate format change with FACEXML_GOLDEN=update."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.facexml_cases import NOW, Case, cases, record
from verifier import facexml

GOLDEN = Path(__file__).parent / "golden" / "facexml"
CASES = {case.name: case for case in cases()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_outcome_matches_its_golden_file(name: str) -> None:
    content = CASES[name].build()
    golden = GOLDEN / CASES[name].file_name()
    if os.environ.get("FACEXML_GOLDEN") == "update":
        golden.write_bytes(content)
    assert golden.exists(), f"no golden file for {name}: run with FACEXML_GOLDEN=update and review the diff"
    assert content == golden.read_bytes(), f"{name}: the face XML changed; review, then FACEXML_GOLDEN=update"


def person(case: Case) -> ET.Element | None:
    root = ET.fromstring(case.build())  # noqa: S314  (our own output)
    return root.find("MessageBody/ResultList/ResultOfQualificationConfirmation")


def test_every_outcome_of_the_kiosk_has_a_case() -> None:
    wanted = {"valid", "invalid", "not_registered", "grace_eligibility_only", "limit_certificate", "specific_disease",
              "elderly_recipient", "late_elderly", "pin_less_card", "visual_check"}
    assert wanted <= set(CASES)


def test_fields_apply_only_where_they_belong() -> None:
    valid, late, elderly = person(CASES["valid"]), person(CASES["late_elderly"]), person(CASES["elderly_recipient"])
    assert valid is not None and late is not None and elderly is not None
    assert valid.findtext("NameKana") == "ｻﾄｳ ﾊﾅｺ"  # half-width, half-width space between the names
    assert valid.findtext("InsuredCardValidDate") and valid.findtext("QualificationDate")
    assert valid.find("InsuredPartialContributionRatio") is None
    assert elderly.find("InsuredPartialContributionRatio") is None
    assert late.findtext("InsuredPartialContributionRatio") == "010" and late.find("InsuredCardSymbol") is None
    assert late.find("ElderlyRecipientCertificateInfo") is None
    assert elderly.findtext("ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio") == "020"
    assert valid.find("LimitApplicationCertificateRelatedInfo") is None  # no certificate on record
    assert all(e.text for e in valid.iter())  # nothing empty


def test_limit_certificate_type_and_income_class_are_separate() -> None:
    info = person(CASES["limit_certificate"])
    assert info is not None
    limit = "LimitApplicationCertificateRelatedInfo/LimitApplicationCertificate"
    assert info.findtext(limit + "Classification") == "01" and info.findtext(limit + "ClassificationFlag") == "A03"
    old = record("1980-02-17", limit_category="A00")  # a row seeded before: A00 is no code -> left out
    case = Case("old", "1", old, CASES["valid"].consents)
    left = person(case)
    assert left is not None and left.find("LimitApplicationCertificateRelatedInfo") is None


def test_specific_disease_category_is_one_digit() -> None:
    disease = person(CASES["specific_disease"])
    assert disease is not None
    path = "SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo/SpecificDiseasesDiseaseCategory"
    assert disease.findtext(path) == "1"
    legacy = Case("legacy", "1", record("1980-02-17", specific_disease={"category": "01", "self_pay": "10000"}),
                  CASES["specific_disease"].consents)
    found = person(legacy)
    assert found is not None and found.findtext(path) == "1"


def test_not_registered_is_well_formed_without_a_person() -> None:
    root = ET.fromstring(CASES["not_registered"].build())  # noqa: S314
    assert root.findtext("MessageBody/QualificationValidity") == "4"
    assert root.findtext("MessageHeader/SegmentOfResult") == "1"
    assert root.find("MessageBody/ResultList") is None


def test_grace_gives_eligibility_only() -> None:
    grace = person(CASES["grace_eligibility_only"])
    assert grace is not None
    flags = {e.tag: e.text for e in grace if e.tag.endswith("InfoConsFlg")}
    assert flags and set(flags.values()) == {"0"}
    assert grace.find("PharmacistsInfoAvailableTime") is None


def test_2025_items_only_when_asked_for() -> None:
    left_out, included = person(CASES["all_consents_2025_left_out"]), person(CASES["all_consents_2025_included"])
    assert left_out is not None and included is not None
    tags_2025 = {facexml.CONSENT_TAGS[i] + "ConsFlg" for i in facexml.ITEMS_2025}
    assert not tags_2025 & {e.tag for e in left_out}
    assert tags_2025 <= {e.tag for e in included}


def test_shift_jis_refuses_by_default_and_never_writes_geta() -> None:
    mapped = CASES["shift_jis_mapped"].build()
    assert "〓".encode("cp932") not in mapped and "吉子".encode("cp932") in mapped
    refusing = Case("refusing", "1", CASES["shift_jis_mapped"].qualification, CASES["valid"].consents,
                    encoding="shift_jis")
    with pytest.raises(facexml.FaceXmlEncodingError):
        refusing.build()
    options = facexml.FaceXmlOptions.from_setting("shift_jis")
    answer = {"validity": "1", "registration": "registered", "consents": [], "prescription": "paper"}
    assert facexml.render_reception(options, "1310000017", "t", NOW, answer, refusing.qualification) is None
    with pytest.raises(ValueError):
        facexml.FaceXmlOptions.from_setting("euc-jp")
