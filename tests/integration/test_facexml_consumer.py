"""Face XML files of every outcome, read by an outside consumer: the face-XML reception of the clinic system
hangilc/myclinic-ts (parseFaceXml -> OnshiResult getters -> onshiToPatient -> createHokenFromOnshiResult),
re-stated in tests/outside/myclinic_face.mjs on the real fast-xml-parser from npm, run with node.

Files come from two places: the golden cases (tests/facexml_cases.py) and the real verifier (signed results
submitted to Verifier.submit, SQLite, its face folder). A file passes when the consumer takes it and our
date checks hold. Two file shapes the consumer refuses by its own list handling (KNOWN_DEFECTS in the .mjs:
no ResultList for 該当資格なし, a single 特定疾病 certificate) must be refused for exactly that reason and be
read in full once that list is normalised; any other refusal fails the test. The figures are printed.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drivers.backend.signing import DeviceKey, sign_result
from kiosk.reception import Choice, ConsentItem, ConsentRecord, Method, ReceptionResult, VisualEvidence
from testbench.virtualcard.pki import TestPki
from tests.facexml_cases import cases
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    TEXT_SHA,
    Cards,
    cards_fixture,
    face_result,
    jpki_fixture,
    pin_result,
)
from verifier.server import build_verifier, trust_from_pki_dir
from verifier.service import Verifier

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ROOT / "tests" / "outside"
CACHE = ROOT / ".cache" / "outside"
CONSUMER = "myclinic_face.mjs"
KNOWN_DEFECTS = {"not_registered": "no-result-list", "specific_disease": "single-disease-list"}


@pytest.fixture(scope="module", name="consumer")
def consumer_fixture() -> Path:
    """The consumer with its npm packages in .cache/outside (make setup installs them; tried here too)."""
    node = shutil.which("node")
    assert node, "node is not installed (make setup installs the Debian nodejs package)"
    CACHE.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", CONSUMER):
        shutil.copyfile(OUTSIDE / name, CACHE / name)
    if not (CACHE / "node_modules" / "fast-xml-parser" / "package.json").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=CACHE, check=False, timeout=300)
    assert (CACHE / "node_modules" / "fast-xml-parser").exists(), \
        "fast-xml-parser is missing in .cache/outside and npm could not fetch it here: run `make setup` first"
    return CACHE / CONSUMER


def read(consumer: Path, files: list[Path], *, as_fixed: bool = False) -> dict[str, dict[str, Any]]:
    out = consumer.parent / ("fixed.json" if as_fixed else "read.json")
    command = ["node", str(consumer), *(["--as-fixed"] if as_fixed else []), str(out), *map(str, files)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    return {Path(r["file"]).stem: r for r in json.loads(out.read_text(encoding="utf-8"))}


# --- files from the real verifier -------------------------------------------------------------------------


def _submit(verifier: Verifier, key: DeviceKey, result: ReceptionResult) -> dict[str, Any]:
    signed = sign_result(result, key)
    answer, _ = verifier.submit({"idempotency-key": signed.transaction_id, "x-kiosk-id": signed.kiosk_id,
                                 "x-kiosk-key-id": signed.key_id, "x-kiosk-signature": signed.signature},
                                signed.body)
    verifier.flush_xml()
    return answer


def _with_consents(result: ReceptionResult, *extra: ConsentItem) -> ReceptionResult:
    at = result.completed_at - timedelta(seconds=3)
    more = tuple(ConsentRecord(item, Choice.CONSENT, f"consent-{item.value}", "2024.10", TEXT_SHA, at)
                 for item in extra)
    return dataclasses.replace(result, consents=result.consents + more)


ITEMS_2025 = (ConsentItem.DIAGNOSIS_NAME, ConsentItem.INFECTIOUS, ConsentItem.ALLERGY, ConsentItem.OTHER_ALLERGY,
              ConsentItem.TEST, ConsentItem.PRESCRIPTION_INFO)


def _receptions(verifier: Verifier, cards: Cards) -> Iterator[tuple[str, ReceptionResult]]:
    """(outcome, result) with the registry set up for it just before."""
    from tests.facexml_cases import DISEASE, ELDERLY, LIMIT_UNDER_70, record

    year = datetime.now(UTC).year

    def registry(card: str, birth: str = "1980-02-17", linked: bool = True, **changes: Any) -> None:
        verifier.store.put_qualification(card, linked, record(birth, identifier=card, **changes))

    ordinary = cards.ordinary
    face = lambda: face_result("kiosk-1", ordinary.cert_der)  # noqa: E731
    registry(ordinary.identifier)
    yield "valid_face", face()
    challenge = verifier.issue_challenge("kiosk-1")
    yield "valid_pin", pin_result("kiosk-1", ordinary, challenge["challenge_id"],
                                  base64.b64decode(challenge["challenge"]))
    yield "visual_check", dataclasses.replace(face(), method=Method.VISUAL, evidence=VisualEvidence("staff-1"))
    registry(cards.grace.identifier)
    yield "grace_eligibility_only", face_result("kiosk-1", cards.grace.cert_der)
    registry(cards.unregistered.identifier, linked=False)
    yield "not_registered", face_result("kiosk-1", cards.unregistered.cert_der)
    registry(ordinary.identifier, validity="2", disqualification_date=f"{year}0101", reason_of_loss="03")
    yield "invalid", face()
    registry(ordinary.identifier, limit=LIMIT_UNDER_70)
    yield "limit_certificate", face()
    registry(ordinary.identifier, specific_disease=DISEASE)
    yield "specific_disease", _with_consents(face(), ConsentItem.SPECIFIC_DISEASES)
    registry(ordinary.identifier, f"{year - 72}-05-10", elderly=ELDERLY)
    yield "elderly_recipient", face()
    registry(ordinary.identifier, f"{year - 80}-01-05")
    yield "late_elderly", face()
    registry(ordinary.identifier, name="髙橋\u3000𠮷子")
    yield "all_consents_2025", _with_consents(face(), *ITEMS_2025)


@pytest.fixture(scope="module", name="verifier_files")
def verifier_files_fixture(test_pki: TestPki, cards: Cards, tmp_path_factory: pytest.TempPathFactory) -> dict[
        str, Path]:
    base = tmp_path_factory.mktemp("verifier-face")
    files: dict[str, Path] = {}
    for encoding in ("utf-8", "shift_jis-map"):
        face_dir = base / encoding
        verifier = build_verifier(f"sqlite:///{base / (encoding + '.db')}", trust_from_pki_dir(test_pki.directory),
                                  face_dir, encoding)
        key = DeviceKey.generate()
        verifier.enroll("kiosk-1", key.public_pem())
        for name, result in _receptions(verifier, cards):
            written = face_dir / _submit(verifier, key, result)["face_xml"]
            if written.exists():  # one refused by the encoding is missing: the count below catches it
                named = base / "named" / f"verifier_{encoding}_{name}.xml"  # the consumer reports by file
                named.parent.mkdir(exist_ok=True)
                shutil.copyfile(written, named)
                files[named.stem] = named
        verifier.store.engine.dispose()
    return files


def test_every_outcome_is_read_by_the_outside_consumer(consumer: Path, verifier_files: dict[str, Path],
                                                       tmp_path: Path) -> None:
    golden: dict[str, Path] = {}
    for case in cases():
        path = tmp_path / f"case_{case.name}.xml"
        path.write_bytes(case.build())
        golden[path.stem] = path
    files = {**golden, **verifier_files}
    assert len(verifier_files) == 22, sorted(verifier_files)  # 11 outcomes x 2 encodings, none refused

    plain = read(consumer, list(files.values()))
    fixed = read(consumer, list(files.values()), as_fixed=True)
    problems, defect_files = [], []
    for stem, verdict in plain.items():
        outcome = next((o for o in KNOWN_DEFECTS if stem.endswith(o)), None)
        if verdict["ok"]:
            continue
        if outcome and verdict.get("defect") == KNOWN_DEFECTS[outcome] and fixed[stem]["ok"]:
            defect_files.append(stem)
            continue
        problems.append(f"{stem}: {verdict.get('error') or verdict.get('hoken') or verdict.get('formats')}")
    assert not problems, "refused by the outside consumer:\n" + "\n".join(problems)

    fields = set().union(*(set(v.get("fieldsChecked", [])) for v in fixed.values()))
    names = {f.split("/")[-1] for f in fields}
    outcomes = {stem.split("_", 1)[1].removeprefix("utf-8_").removeprefix("shift_jis-map_") for stem in files}
    accepted = sum(v["ok"] for v in plain.values())
    print(f"\nface XML outcomes covered: {len(outcomes)} ({', '.join(sorted(outcomes))})")
    print(f"files read by myclinic-ts's face-XML reception, unchanged: {accepted}/{len(files)}; "
          f"refused only by its own list handling and read in full once that is normalised: {len(defect_files)} "
          f"({', '.join(sorted(defect_files))})")
    print(f"fields checked: {len(names)} distinct elements, plus onshiToPatient and createHokenFromOnshiResult "
          "on every file with one result")
    assert accepted + len(defect_files) == len(files)

    for stem, verdict in fixed.items():  # what the consumer made of each file is what we meant
        if verdict["results"] == 1 and "patient" in verdict:
            assert verdict["patient"]["lastNameYomi"] and verdict["patient"]["firstNameYomi"], stem
    late = fixed["verifier_utf-8_late_elderly"]["hoken"]
    assert late["kind"] == "Koukikourei" and late["futanWari"] in (1, 2, 3)
    assert fixed["verifier_utf-8_elderly_recipient"]["hoken"]["koureiStore"] == 2
    assert fixed["verifier_utf-8_invalid"]["isValid"] is False
    assert fixed["verifier_utf-8_not_registered"]["results"] == 0


def test_the_consumer_catches_what_the_old_files_got_wrong(consumer: Path, tmp_path: Path) -> None:
    """The test can fail: the faults of the files before this format fix are each refused."""
    case = next(c for c in cases() if c.name == "limit_certificate")
    good = case.build().decode()
    faults = {
        "limit_income_class_as_type": good.replace(
            "<LimitApplicationCertificateClassification>01<", "<LimitApplicationCertificateClassification>A03<"),
        "no_card_valid_date": good.replace("<InsuredCardValidDate>", "<X>").replace("</InsuredCardValidDate>", "</X>"),
        "two_digit_disease_category": next(c for c in cases() if c.name == "specific_disease").build().decode()
        .replace("<SpecificDiseasesDiseaseCategory>1<", "<SpecificDiseasesDiseaseCategory>01<"),
        "person_without_name": good.replace("<Name>", "<X>").replace("</Name>", "</X>"),
    }
    paths = []
    for name, text in faults.items():
        path = tmp_path / f"{name}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    verdicts = read(consumer, paths, as_fixed=True)
    assert not any(v["ok"] for v in verdicts.values()), verdicts
    assert "Invalid LimitApplicationCertificateClassification: A03" in verdicts["limit_income_class_as_type"]["error"]
    assert verdicts["no_card_valid_date"]["hoken"]["refusal"] == "保険証の有効期限開始日がありません。"
    assert "Invalid SpecificDiseasesDiseaseCategory: 01" in verdicts["two_digit_disease_category"]["error"]
