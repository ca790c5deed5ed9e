"""One OQS-style face result XML per reception (`OQSsiquc01res_face_*.xml`) into a watched folder.

Elements, their order, code lists and formats follow the public readers and writers of this file listed in
docs/facexml.md (codes in facexml_codes). Rules that make a file one a レセコン can import:
- a coded element is written only with a code from its list, a date only as a real YYYYMMDD, and an
  element that does not apply is left out (no empty elements);
- NameKana is half-width kana; InsuredPartialContributionRatio only for 後期高齢者 (法別番号 39);
  ElderlyRecipientCertificateInfo only for 高齢受給者 (not 後期高齢者);
- 限度額 carries the certificate type (01–03) in …Classification and the income class (A01–A06,
  B01–B10) in …ClassificationFlag; 特定疾病 its category as one digit 1–3;
- "該当資格なし" (validity 4, card not registered or nobody found) has no ResultList: there is nobody
  to describe, and consent flags belong to a person;
- the 2025 consent items are left out unless asked for (their names come from ORCA's API, not from a
  face file; see the docs).
Times are Japan time, yyyyMMddHHmmss. UTF-8 by default; Shift_JIS (Windows code page 932, as the
Windows readers write it) either refuses a character it cannot carry or maps it by a fixed table, never
to a silent '〓'. The name is derived from the stored reception, so writing it again gives the same file.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from verifier import facexml_codes as codes
from verifier.watched_folder import FolderPolicy, WatchedFolder

JST = ZoneInfo("Asia/Tokyo")
log = logging.getLogger(__name__)

# consent item -> XML tag prefix (…ConsFlg, …ConsTime, …AvailableTime)
CONSENT_TAGS: dict[str, str] = {
    "specific_health_checkups": "SpecificHealthCheckupsInfo",
    "pharmacists": "PharmacistsInfo",
    "diagnosis": "DiagnosisInfo",
    "operation": "OperationInfo",
    # 2025 additions for 電子カルテ情報共有, named as ORCA's patientget API returns them (2025-01-28)
    "diagnosis_name": "DiagnosisName",
    "infectious": "InfectiousInfo",
    "allergy": "ContraindicationInfo",  # 薬剤アレルギー等
    "other_allergy": "AllergyInfo",  # その他アレルギー等
    "test": "TestInfo",
    "prescription_info": "PrescriptionInfo",
}
ITEMS_2025 = frozenset({"diagnosis_name", "infectious", "allergy", "other_allergy", "test", "prescription_info"})
ENCODINGS = {"utf-8": "0", "shift_jis": "1"}
PURGE_EVERY_S = 3600.0  # retention is in days; looking once an hour is plenty
WRITE_BATCH = 64  # files that share one folder fsync at most; the next batch is what arrived meanwhile

# Shift_JIS "map" mode: characters code page 932 lacks, to the form clinics' systems register instead.
# Anything not here (after NFKC) is refused, never replaced silently.
SJIS_MAP = {
    "\u2014": "\u2015",  # EM DASH -> HORIZONTAL BAR (the JIS dash)
    "\u00a0": " ",  # NO-BREAK SPACE
    "\U00020bb7": "吉",  # 𠮷 (tsuchi-yoshi)
    "\U0002123d": "土",  # 𡈽
    "\U0002550e": "碕",  # 𥔎
    "\U0002363a": "橋",  # 𣘺
    "\u9dd7": "鴎",  # 鷗
    "\u525d": "剥",  # 剝
    "\u5c5b": "屏",  # 屛
}


class Unmappable(Enum):
    REFUSE = "refuse"
    MAP = "map"


class FaceXmlEncodingError(ValueError):
    """A text the chosen encoding cannot carry. The message names the element and the code point only."""

    def __init__(self, element: str, char: str) -> None:
        super().__init__(f"face XML: <{element}> holds U+{ord(char):04X}, which Shift_JIS (code page 932) cannot "
                         "carry; write UTF-8 (--xml-encoding utf-8) or map known variants (shift_jis-map)")
        self.element = element
        self.codepoint = ord(char)


@dataclass(frozen=True)
class FaceXmlOptions:
    encoding: str = "utf-8"  # or "shift_jis"
    unmappable: Unmappable = Unmappable.REFUSE
    include_2025_items: bool = False
    policy: FolderPolicy = field(default_factory=FolderPolicy)

    @classmethod
    def from_setting(cls, setting: str, policy: FolderPolicy | None = None) -> FaceXmlOptions:
        """'utf-8', 'shift_jis' (refuses) or 'shift_jis-map' (maps SJIS_MAP, refuses the rest)."""
        mapped = setting == "shift_jis-map"
        encoding = "shift_jis" if mapped else setting
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown face XML encoding {setting!r}")
        return cls(encoding=encoding, unmappable=Unmappable.MAP if mapped else Unmappable.REFUSE,
                   policy=policy or FolderPolicy())


def jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y%m%d%H%M%S")


def file_name(institution_code: str, reception_id: int, received_at: datetime,
              policy: FolderPolicy | None = None) -> str:
    return (policy or FolderPolicy()).name(institution_code, reception_id, jst(received_at))


def build(
    *,
    institution_code: str,
    transaction_id: str,
    received_at: datetime,
    validity: str,
    prescription: str | None,
    qualification: Mapping[str, Any] | None,
    consents: Sequence[Mapping[str, Any]],
    encoding: str = "utf-8",
    unmappable: Unmappable = Unmappable.REFUSE,
    include_2025_items: bool = False,
) -> bytes:
    """The file's bytes. Raises FaceXmlEncodingError (Shift_JIS only) for a character it cannot carry."""
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
    _code(body, "QualificationValidity", validity, codes.QUALIFICATION_VALIDITY)
    if prescription:
        _add(body, "PrescriptionIssueSelect", "1" if prescription == "electronic" else "2")
    if validity != "4" and qualification:
        result = ET.SubElement(ET.SubElement(body, "ResultList"), "ResultOfQualificationConfirmation")
        by_item = {c["item"]: c for c in consents}
        _person(result, qualification)
        _certificates(result, qualification, by_item)
        for item, prefix in CONSENT_TAGS.items():
            if item in by_item and (include_2025_items or item not in ITEMS_2025):
                _flag(result, prefix, by_item[item], with_available=True)
        _text(result, "ReferenceNumber", qualification.get("reference_number"))
    ET.indent(root)
    if encoding == "shift_jis":
        _fit_sjis(root, unmappable)
        declaration = '<?xml version="1.0" encoding="Shift_JIS"?>\n'
        return (declaration + ET.tostring(root, encoding="unicode") + "\n").encode("cp932")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()


def render_reception(options: FaceXmlOptions, institution_code: str, transaction_id: str, received_at: datetime,
                     answer: Mapping[str, Any], qualification: Mapping[str, Any] | None) -> bytes | None:
    """The file for one stored reception, or None (logged, with the reason for staff) when refused."""
    try:
        return build(
            institution_code=institution_code, transaction_id=transaction_id, received_at=received_at,
            validity=str(answer["validity"]), prescription=answer.get("prescription"),
            qualification=qualification if answer.get("registration") != "not_registered" else None,
            consents=answer["consents"], encoding=options.encoding, unmappable=options.unmappable,
            include_2025_items=options.include_2025_items,
        )
    except FaceXmlEncodingError as exc:
        log.error("face XML for reception %s not written: %s", transaction_id, exc)
        return None


def _person(result: ET.Element, q: Mapping[str, Any]) -> None:
    late_elderly = codes.is_late_elderly(str(q.get("insurer_number", "")))
    _code(result, "InsuredCardClassification", q.get("card_classification"), codes.INSURED_CARD_CLASSIFICATION)
    _text(result, "InsurerNumber", q.get("insurer_number"))
    _text(result, "InsuredCardSymbol", q.get("symbol"))
    _text(result, "InsuredIdentificationNumber", q.get("number"))
    _text(result, "InsuredBranchNumber", q.get("branch"))
    _code(result, "PersonalFamilyClassification", q.get("personal_family"), codes.PERSONAL_FAMILY)
    _text(result, "InsuredName", q.get("insured_name"))
    _text(result, "Name", q.get("name"))
    kana = codes.halfwidth_kana(str(q.get("name_kana") or ""))
    _text(result, "NameKana", kana)
    _code(result, "Sex1", q.get("sex"), codes.SEX)
    _date(result, "Birthdate", q.get("birth_date"))
    _text(result, "Address", q.get("address"))
    _text(result, "PostNumber", q.get("post_number"))
    _date(result, "QualificationDate", q.get("qualification_date"))
    _date(result, "DisqualificationDate", q.get("disqualification_date"))
    _date(result, "InsuredCertificateIssuanceDate", q.get("issuance_date"))
    _date(result, "InsuredCardValidDate", q.get("valid_from"))
    _date(result, "InsuredCardExpirationDate", q.get("valid_until"))
    if late_elderly:
        _ratio(result, "InsuredPartialContributionRatio", q.get("copay_ratio"))
    _code(result, "PreschoolClassification", q.get("preschool"), codes.PRESCHOOL)
    _code(result, "ReasonOfLoss", q.get("reason_of_loss"), codes.REASON_OF_LOSS)
    _text(result, "InsurerName", q.get("insurer_name"))
    elderly = q.get("elderly")
    if elderly and not late_elderly:
        info = ET.SubElement(result, "ElderlyRecipientCertificateInfo")
        _date(info, "ElderlyRecipientCertificateDate", elderly.get("issue_date"))
        _date(info, "ElderlyRecipientValidStartDate", elderly.get("valid_from"))
        _date(info, "ElderlyRecipientValidEndDate", elderly.get("valid_until"))
        _ratio(info, "ElderlyRecipientContributionRatio", elderly.get("ratio"))


def _certificates(result: ET.Element, q: Mapping[str, Any], by_item: Mapping[str, Mapping[str, Any]]) -> None:
    limit_answer = by_item.get("limit_application")
    if limit_answer:
        _flag(result, "LimitApplicationCertificateRelated", limit_answer, with_available=False)
        limit = _limit_record(q)
        if limit and limit_answer["flag"] == "1":
            info = ET.SubElement(result, "LimitApplicationCertificateRelatedInfo")
            _code(info, "LimitApplicationCertificateClassification", limit.get("classification"),
                  codes.LIMIT_CERTIFICATE_CLASSIFICATION)
            _code(info, "LimitApplicationCertificateClassificationFlag", limit.get("flag"),
                  codes.LIMIT_CERTIFICATE_FLAG)
            _date(info, "LimitApplicationCertificateDate", limit.get("issue_date"))
            _date(info, "LimitApplicationCertificateValidStartDate", limit.get("valid_from"))
            _date(info, "LimitApplicationCertificateValidEndDate", limit.get("valid_until"))
            _date(info, "LimitApplicationCertificateLongTermDate", limit.get("long_term_date"))
            if len(info) == 0:
                result.remove(info)
    disease_answer = by_item.get("specific_diseases")
    if disease_answer:
        _flag(result, "SpecificDiseasesCertificateRelated", disease_answer, with_available=False)
        disease = q.get("specific_disease")
        category = _disease_category(disease.get("category")) if disease else None
        if disease and category and disease_answer["flag"] == "1":
            info = ET.SubElement(ET.SubElement(result, "SpecificDiseasesCertificateList"),
                                 "SpecificDiseasesCertificateInfo")
            _add(info, "SpecificDiseasesDiseaseCategory", category)
            _date(info, "SpecificDiseasesCertificateDate", disease.get("issue_date"))
            _date(info, "SpecificDiseasesValidStartDate", disease.get("valid_from"))
            _date(info, "SpecificDiseasesValidEndDate", disease.get("valid_until"))
            if str(disease.get("self_pay", "")).isdigit():
                _add(info, "SpecificDiseasesSelfPay", str(disease["self_pay"]))


def _limit_record(q: Mapping[str, Any]) -> Mapping[str, Any] | None:
    limit = q.get("limit")
    if isinstance(limit, Mapping):
        return limit
    legacy = q.get("limit_category")  # rows seeded before the split: the income class alone
    return {"flag": legacy} if legacy in codes.LIMIT_CERTIFICATE_FLAG else None


def _disease_category(value: Any) -> str | None:
    text = str(value or "").strip()
    text = str(int(text)) if text.isdigit() else text  # rows seeded as "01" before
    return text if text in codes.SPECIFIC_DISEASE_CATEGORY else None


def _fit_sjis(root: ET.Element, unmappable: Unmappable) -> None:
    for element in root.iter():
        if element.text and element.text.strip():
            element.text = "".join(_sjis_char(element.tag, ch, unmappable) for ch in element.text)


def _sjis_char(tag: str, ch: str, unmappable: Unmappable) -> str:
    if _cp932(ch):
        return ch
    if unmappable is Unmappable.MAP:
        for candidate in (SJIS_MAP.get(ch), unicodedata.normalize("NFKC", ch)):
            if candidate and candidate != ch and all(_cp932(c) for c in candidate):
                return candidate
    raise FaceXmlEncodingError(tag, ch)


def _cp932(ch: str) -> bool:
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


def _code(parent: ET.Element, tag: str, value: Any, table: Mapping[str, str]) -> None:
    if value is None or value == "":
        return
    if str(value) not in table:
        log.warning("face XML: %s value %r is not in its code list; the element is left out", tag, value)
        return
    _add(parent, tag, str(value))


def _date(parent: ET.Element, tag: str, value: Any) -> None:
    text = str(value or "").replace("-", "")
    if len(text) != 8 or not text.isdigit():
        return
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        log.warning("face XML: %s %r is not a date; the element is left out", tag, value)
        return
    _add(parent, tag, text)


def _ratio(parent: ET.Element, tag: str, value: Any) -> None:
    text = str(value or "")
    if len(text) == 3 and text.isdigit():  # percent in three digits: 010 = 1割
        _add(parent, tag, text)


def _text(parent: ET.Element, tag: str, value: Any) -> None:
    if value is not None and str(value).strip():
        _add(parent, tag, str(value))


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


class FaceXmlWriter:
    """Writes face XML files on one background thread, so a request never waits for the disk.

    A file that is lost with the process (queued but not yet written) is written again at the next start
    by `Verifier.repair_face_xml`, because the stored reception names its file; one the reader has already
    taken is not (the folder's ledger remembers it).
    """

    def __init__(self, folder: Path, policy: FolderPolicy | None = None) -> None:
        self.target = WatchedFolder(folder, policy)
        self.folder = folder
        self._queue: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="face-xml", daemon=True)
        self._thread.start()

    def put(self, name: str, content: bytes) -> None:
        self._queue.put((name, content))

    def flush(self) -> None:
        self._queue.join()

    def was_written(self, name: str) -> bool:
        return self.target.was_written(name)

    def _run(self) -> None:
        purged_at = 0.0
        while True:
            # Everything queued by now goes in one batch (one folder fsync and ledger append for all; each file
            # still fsync'd before its rename): under load the disk's per-file cost no longer grows the queue.
            batch = [self._queue.get()]
            while len(batch) < WRITE_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                for name, exc in self.target.write_many(batch):
                    log.error("face XML %s could not be written (%s); it is retried at the next start", name, exc)
                if time.monotonic() - purged_at > PURGE_EVERY_S:
                    purged_at = time.monotonic()
                    self.target.purge()
            except OSError:
                log.exception("face XML %s could not be written; they are retried at the next start",
                              ", ".join(name for name, _ in batch))
            finally:
                for _ in batch:
                    self._queue.task_done()


def write(folder: Path, name: str, content: bytes) -> Path:
    """One file, atomically (see watched_folder)."""
    return WatchedFolder(folder).write(name, content)
