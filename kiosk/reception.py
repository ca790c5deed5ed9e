"""The reception result the kiosk builds and the verifier's answer to it. Frozen, typed, stdlib only.

One `ReceptionResult` is made per patient at the end of the flow, written to the durable outbox before the
patient is told "done", and delivered to the verification backend with `transaction_id` as the
idempotency key. Its JSON form is published as `assets/schema/reception-result-v1.json`.

Privacy by construction: there is no field that could carry the PIN, 照合番号, My Number, the chip photo or
a camera frame. The PIN path carries only the card's signature over the kiosk's own proof statement (or, in
the older form, over the verifier's live challenge).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from kiosk.proof import PROOF_VERSION, canonical_time

SCHEMA_ID = "https://myna-kiosk.example/schema/reception-result-v1.json"
SCHEMA_VERSION = 1


class Method(Enum):
    """How the patient's identity was proven at the kiosk."""

    FACE = "face"
    PIN = "pin"
    VISUAL = "visual"
    SMARTPHONE_ANDROID = "smartphone-android"  # the phone signed the kiosk's statement after the PIN
    SMARTPHONE_IPHONE = "smartphone-iphone"  # the phone signed it after Face ID / Touch ID on the phone


class Liveness(Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"


class ConsentItem(Enum):
    """Information a patient can agree to share (OQS consent triplets; 2025 additions at the end)."""

    DIAGNOSIS = "diagnosis"  # 診療情報
    PHARMACISTS = "pharmacists"  # 薬剤情報
    OPERATION = "operation"  # 手術情報
    SPECIFIC_HEALTH_CHECKUPS = "specific_health_checkups"  # 特定健診情報
    SPECIFIC_DISEASES = "specific_diseases"  # 特定疾病療養受療証
    PUBLIC_EXPENSE = "public_expense"  # 医療費助成 (PMH)
    DIAGNOSIS_NAME = "diagnosis_name"  # 傷病名
    INFECTIOUS = "infectious"  # 感染症
    ALLERGY = "allergy"  # 薬剤アレルギー等
    OTHER_ALLERGY = "other_allergy"  # その他アレルギー等
    TEST = "test"  # 検査
    PRESCRIPTION_INFO = "prescription_info"  # 処方


class Choice(Enum):
    CONSENT = "consent"
    DECLINE = "decline"


class Prescription(Enum):
    """電子処方箋: the form the patient chose (PrescriptionIssueSelect)."""

    ELECTRONIC = "electronic"
    PAPER = "paper"


@dataclass(frozen=True)
class FaceEvidence:
    distance: float
    thresholds: Mapping[str, float]  # e.g. {"accept": 0.45}; the decision rule used, by name
    model: str  # e.g. "dlib_face_recognition_resnet_model_v1"
    liveness: Liveness

    def to_json(self) -> dict[str, Any]:
        return {
            "distance": self.distance,
            "thresholds": dict(self.thresholds),
            "model": self.model,
            "liveness": self.liveness.value,
        }


@dataclass(frozen=True)
class PinEvidence:
    """The backend's fresh challenge and the card's RSASSA-PKCS1-v1_5/SHA-256 signature over it."""

    challenge_id: str
    challenge: bytes = field(repr=False)
    signature: bytes = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "challenge_id": self.challenge_id,
            "challenge": _b64(self.challenge),
            "signature": _b64(self.signature),
        }


@dataclass(frozen=True)
class PinProofEvidence:
    """The card's signature over the kiosk's own statement (kiosk.proof.ProofStatement: kiosk id, counter,
    signing time, this result's id). Needs no live verifier challenge, so it stays valid however late it
    arrives; the verifier rebuilds the statement from the result's fields and refuses a counter seen before."""

    counter: int
    signed_at: datetime
    signature: bytes = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "proof_version": PROOF_VERSION,
            "counter": self.counter,
            "signed_at": canonical_time(self.signed_at),
            "signature": _b64(self.signature),
        }


@dataclass(frozen=True)
class VisualEvidence:
    """目視確認: the staff member who compared the face with the card photo."""

    staff_id: str

    def to_json(self) -> dict[str, Any]:
        return {"staff_id": self.staff_id}


Evidence = FaceEvidence | PinEvidence | PinProofEvidence | VisualEvidence
_EVIDENCE_FOR: dict[Method, tuple[type, ...]] = {
    Method.FACE: (FaceEvidence,), Method.PIN: (PinProofEvidence, PinEvidence), Method.VISUAL: (VisualEvidence,),
    Method.SMARTPHONE_ANDROID: (PinProofEvidence,), Method.SMARTPHONE_IPHONE: (PinProofEvidence,)}


@dataclass(frozen=True)
class ConsentRecord:
    """One answer on a consent screen, tied to the exact text shown (id, version and SHA-256 of it)."""

    item: ConsentItem
    choice: Choice
    text_id: str
    text_version: str
    text_sha256: str
    at: datetime

    def __post_init__(self) -> None:
        if len(self.text_sha256) != 64 or any(c not in "0123456789abcdef" for c in self.text_sha256):
            raise ValueError("text_sha256 must be 64 lower-case hex digits")
        _require_aware(self.at, "consent time")

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item.value,
            "choice": self.choice.value,
            "text_id": self.text_id,
            "text_version": self.text_version,
            "text_sha256": self.text_sha256,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class ReceptionResult:
    """Everything the backend needs about one reception, and nothing more."""

    kiosk_id: str
    transaction_id: str
    started_at: datetime
    completed_at: datetime
    method: Method
    evidence: Evidence
    auth_certificate: bytes = field(repr=False)  # DER of the JPKI 利用者証明用 certificate read from the card
    consents: tuple[ConsentRecord, ...] = ()
    registration_request: bool = False  # 保険証利用登録, accepted by the backend only on the PIN path
    prescription: Prescription | None = None
    language: str = "ja"
    timings_ms: Mapping[str, int] = field(default_factory=dict)
    software_version: str = "0"

    def __post_init__(self) -> None:
        if not isinstance(self.evidence, _EVIDENCE_FOR[self.method]):
            raise ValueError(f"{self.method.value} reception needs {_EVIDENCE_FOR[self.method][0].__name__}")
        uuid.UUID(self.transaction_id)  # raises ValueError when it is not one
        _require_aware(self.started_at, "start time")
        _require_aware(self.completed_at, "completion time")
        if self.completed_at < self.started_at:
            raise ValueError("a reception cannot complete before it starts")
        if not self.auth_certificate:
            raise ValueError("the auth certificate is required")

    def to_json(self) -> dict[str, Any]:
        return {
            "$schema": SCHEMA_ID,
            "schema_version": SCHEMA_VERSION,
            "kiosk_id": self.kiosk_id,
            "transaction_id": self.transaction_id,
            "started_at": self.started_at.isoformat(),
            "completed_at": self.completed_at.isoformat(),
            "method": self.method.value,
            "evidence": self.evidence.to_json(),
            "auth_certificate": _b64(self.auth_certificate),
            "consents": [c.to_json() for c in self.consents],
            "registration_request": self.registration_request,
            "prescription": self.prescription.value if self.prescription else None,
            "language": self.language,
            "timings_ms": dict(self.timings_ms),
            "software_version": self.software_version,
        }

    def to_bytes(self) -> bytes:
        """The exact body that is signed, stored in the outbox and sent on every attempt."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def new_transaction_id() -> str:
    return str(uuid.uuid4())


# --- the verifier's answer -------------------------------------------------------------------------------


class Validity(Enum):
    """OQS QualificationValidity codes."""

    VALID = "1"
    INVALID = "2"
    INVALID_NEWER_EXISTS = "3"
    NONE = "4"
    MULTIPLE = "5"
    VALID_UNREGISTERED_MEDICAL_AID = "6"


@dataclass(frozen=True)
class ConsentAnswer:
    """OQS consent flag (OQSCD016: 0 none, 1 consent, 2 expired, 3 impossible) and until when it holds."""

    item: str
    flag: str
    consent_time: datetime | None
    available_until: datetime | None


@dataclass(frozen=True)
class VerifierAnswer:
    """What the backend said about a reception. Carries no insurance details: the clinic gets those."""

    transaction_id: str
    reception_id: int
    validity: Validity
    certificate_status: str  # "valid" | "grace" (expired ≤ 3 months: eligibility only)
    registration: str  # "registered" | "registered_now" | "not_registered"
    consents: tuple[ConsentAnswer, ...]

    @property
    def eligibility_only(self) -> bool:
        return self.certificate_status == "grace"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VerifierAnswer:
        return cls(
            transaction_id=str(data["transaction_id"]),
            reception_id=int(data["reception_id"]),
            validity=Validity(str(data["validity"])),
            certificate_status=str(data["certificate_status"]),
            registration=str(data["registration"]),
            consents=tuple(
                ConsentAnswer(
                    item=str(c["item"]),
                    flag=str(c["flag"]),
                    consent_time=_dt(c.get("consent_time")),
                    available_until=_dt(c.get("available_until")),
                )
                for c in data.get("consents", ())
            ),
        )


@dataclass(frozen=True)
class Challenge:
    """A fresh PIN-path challenge from the backend; the card signs `value`."""

    challenge_id: str
    value: bytes = field(repr=False)
    expires_at: datetime
    registered: bool | None = None  # whether the card is registered for insurance use, when it was named


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _dt(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must carry a time zone")
