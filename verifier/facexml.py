"""One OQS-style face result XML per reception (`OQSsiquc01res_face_*.xml`) into a watched folder.

Field names follow the open-source readers/writers of this file summarised in reception-flow.md §(c)
(e.g. `PharmacistsInfoConsFlg` / `…ConsTime` / `…AvailableTime`). Times are Japan time, yyyyMMddHHmmss.
The file is written under a dot-name and renamed into place, so a folder watcher never sees half a file;
the name is derived from the stored reception, so writing it again (a replayed request after a crash)
gives the same file.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
log = logging.getLogger(__name__)

# consent item -> XML tag prefix; items with an AvailableTime (24 h viewing window) first
CONSENT_TAGS: dict[str, str] = {
    "specific_health_checkups": "SpecificHealthCheckupsInfo",
    "pharmacists": "PharmacistsInfo",
    "diagnosis": "DiagnosisInfo",
    "operation": "OperationInfo",
    # 2025 additions for 電子カルテ情報共有 as ORCA stores them
    "diagnosis_name": "DiagnosisName",
    "infectious": "InfectiousInfo",
    "allergy": "ContraindicationInfo",  # 薬剤アレルギー等 (drug contraindications)
    "other_allergy": "AllergyInfo",
    "test": "TestInfo",
    "prescription_info": "PrescriptionInfo",
}
ENCODINGS = {"utf-8": "0", "shift_jis": "1"}


def jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y%m%d%H%M%S")


def file_name(institution_code: str, reception_id: int, received_at: datetime) -> str:
    return f"OQSsiquc01res_face_{institution_code}01{reception_id:08d}_{jst(received_at)}.xml"


def build(
    *,
    institution_code: str,
    transaction_id: str,
    received_at: datetime,
    validity: str,
    prescription: str | None,
    qualification: Mapping[str, Any] | None,
    consents: Sequence[Mapping[str, Any]],
    encoding: str,
) -> bytes:
    root = ET.Element("XmlMsg")
    header = ET.SubElement(root, "MessageHeader")
    _add(header, "ProcessExecutionTime", jst(received_at))
    _add(header, "QualificationConfirmationDate", jst(received_at)[:8])
    _add(header, "MedicalInstitutionCode", institution_code)
    _add(header, "ArbitraryFileIdentifier", transaction_id)
    _add(header, "ReferenceClassification", "1")  # My Number card
    _add(header, "SegmentOfResult", "1")
    _add(header, "CharacterCodeIdentifier", ENCODINGS[encoding])
    body = ET.SubElement(root, "MessageBody")
    _add(body, "ProcessingResultStatus", "1")
    _add(body, "QualificationValidity", validity)
    if prescription:
        _add(body, "PrescriptionIssueSelect", "1" if prescription == "electronic" else "2")
    result = ET.SubElement(ET.SubElement(body, "ResultList"), "ResultOfQualificationConfirmation")
    q = qualification or {}
    for tag, key in (
        ("InsuredCardClassification", "card_classification"),
        ("InsurerNumber", "insurer_number"),
        ("InsuredCardSymbol", "symbol"),
        ("InsuredIdentificationNumber", "number"),
        ("InsuredBranchNumber", "branch"),
        ("PersonalFamilyClassification", "personal_family"),
        ("InsurerName", "insurer_name"),
        ("Name", "name"),
        ("NameKana", "name_kana"),
        ("Sex1", "sex"),
        ("Birthdate", "birth_date"),
        ("InsuredPartialContributionRatio", "copay_ratio"),
        ("ReferenceNumber", "reference_number"),
    ):
        if q.get(key):
            _add(result, tag, str(q[key]))
    elderly = q.get("elderly")
    if elderly:
        info = ET.SubElement(result, "ElderlyRecipientCertificateInfo")
        _add(info, "ElderlyRecipientCertificateDate", str(elderly.get("issue_date", "")))
        _add(info, "ElderlyRecipientValidStartDate", str(elderly.get("valid_from", "")))
        _add(info, "ElderlyRecipientValidEndDate", str(elderly.get("valid_until", "")))
        _add(info, "ElderlyRecipientContributionRatio", str(elderly.get("ratio", "")))
    by_item = {c["item"]: c for c in consents}
    limit = by_item.get("limit_application")
    if limit:
        _flag(result, "LimitApplicationCertificateRelated", limit, with_available=False)
        if q.get("limit_category"):
            info = ET.SubElement(result, "LimitApplicationCertificateRelatedInfo")
            _add(info, "LimitApplicationCertificateClassification", str(q["limit_category"]))
    if "specific_diseases" in by_item:
        _flag(result, "SpecificDiseasesCertificateRelated", by_item["specific_diseases"], with_available=False)
        disease = q.get("specific_disease")
        if disease and by_item["specific_diseases"]["flag"] == "1":
            info = ET.SubElement(ET.SubElement(result, "SpecificDiseasesCertificateList"),
                                 "SpecificDiseasesCertificateInfo")
            _add(info, "SpecificDiseasesDiseaseCategory", str(disease.get("category", "")))
            _add(info, "SpecificDiseasesSelfPay", str(disease.get("self_pay", "")))
    for item, prefix in CONSENT_TAGS.items():
        if item in by_item:
            _flag(result, prefix, by_item[item], with_available=True)
    ET.indent(root)
    declaration = f'<?xml version="1.0" encoding="{"UTF-8" if encoding == "utf-8" else "Shift_JIS"}"?>\n'
    text = declaration + ET.tostring(root, encoding="unicode") + "\n"
    if encoding == "shift_jis":
        return _to_sjis(text)
    return text.encode("utf-8")


def write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    temporary = folder / f".{name}.part"
    with open(temporary, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, final)
    return final


def _to_sjis(text: str) -> bytes:
    """Characters Shift_JIS lacks become '〓' (geta), as clinic systems expect, rather than failing the file."""
    return "".join(ch if _sjis_ok(ch) else "〓" for ch in text).encode("cp932")


def _sjis_ok(ch: str) -> bool:
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _flag(parent: ET.Element, prefix: str, answer: Mapping[str, Any], *, with_available: bool) -> None:
    _add(parent, f"{prefix}ConsFlg", str(answer["flag"]))
    if answer.get("consent_time"):
        _add(parent, f"{prefix}ConsTime", jst(datetime.fromisoformat(answer["consent_time"])))
    if with_available and answer.get("available_until"):
        _add(parent, f"{prefix}AvailableTime", jst(datetime.fromisoformat(answer["available_until"])))


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


class FaceXmlWriter:
    """Writes face XML files on one background thread, so a request never waits for the disk.

    A file that is lost with the process (queued but not yet written) is written again at the next start
    by `Verifier.repair_face_xml`, because the stored reception names its file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._queue: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="face-xml", daemon=True)
        self._thread.start()

    def put(self, name: str, content: bytes) -> None:
        self._queue.put((name, content))

    def flush(self) -> None:
        self._queue.join()

    def _run(self) -> None:
        while True:
            name, content = self._queue.get()
            try:
                write(self.folder, name, content)
            except OSError:
                log.exception("face XML %s could not be written; it is retried at the next start", name)
            finally:
                self._queue.task_done()
