"""VerifierReceptionBackend: kiosk.ports.ReceptionBackend on top of BackendClient (outbox + HTTP).

It turns the runtime's `ReceptionRequest` into a `ReceptionResult` (schema v1), records it durably, and waits
a bounded time for the verifier's answer: `queued=True` tells the flow to say calmly that the reception is
saved and will be sent. The PIN path's challenge id is remembered here by its nonce, because the flow only
carries the nonce.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from drivers.backend.client import BackendClient
from kiosk.config import COMPREHENSIVE_CONSENT_ITEMS
from kiosk.domain import CertificateInfo
from kiosk.errors import BackendRejected, BackendUnavailable
from kiosk.face import LivenessOutcome
from kiosk.ports import BackendChallenge, BackendReceipt, CancelToken, ConsentGiven, ReceptionRequest
from kiosk.reception import (
    Choice,
    ConsentItem,
    ConsentRecord,
    Evidence,
    FaceEvidence,
    Liveness,
    Method,
    PinEvidence,
    Prescription,
    ReceptionResult,
    VisualEvidence,
    new_transaction_id,
)

COMPREHENSIVE_ITEMS = tuple(ConsentItem(i) for i in COMPREHENSIVE_CONSENT_ITEMS)  # the one list, in kiosk.config
VISUAL_STAFF_ID = "staff-pin"  # the flow proves a staff member by the staff PIN, not by name


class VerifierReceptionBackend:
    def __init__(self, client: BackendClient, *, answer_wait_s: float = 3.0, challenge_wait_s: float = 3.0,
                 software_version: str = "0") -> None:
        self.client = client
        self.answer_wait_s = answer_wait_s
        self.challenge_wait_s = challenge_wait_s
        self.software_version = software_version
        self._challenge_ids: dict[bytes, str] = {}
        self._lock = threading.Lock()

    def fetch_challenge(self, auth_certificate: CertificateInfo, cancel: CancelToken | None = None) -> BackendChallenge:
        challenge = self.client.fetch_challenge(self.challenge_wait_s, auth_certificate.subject_id)
        with self._lock:
            self._challenge_ids = {challenge.value: challenge.challenge_id}  # one reception at a time
        return BackendChallenge(nonce=challenge.value, registered=bool(challenge.registered))

    def submit(self, request: ReceptionRequest, cancel: CancelToken | None = None) -> BackendReceipt:
        result = self.to_result(request)
        self.client.record(result)  # durable before the patient is told "done"
        deadline = datetime.now(UTC) + timedelta(seconds=self.answer_wait_s)
        answer = None
        while answer is None and datetime.now(UTC) < deadline and not (cancel and cancel.is_set()):
            answer = self.client.answer(result.transaction_id, timeout=0.1)
        return BackendReceipt(result.transaction_id, queued=answer is None)

    def outbox_depth(self) -> int:
        return self.client.status().outbox.pending

    def to_result(self, request: ReceptionRequest, now: datetime | None = None) -> ReceptionResult:
        now = now or datetime.now(UTC)
        consents, prescription = _consents(request.consents, now)
        language = request.consents[0].lang if request.consents else "ja"
        evidence: Evidence
        if request.method is Method.FACE:
            face = request.face
            if face is None or face.median_distance is None:
                raise BackendRejected("face_evidence_insufficient", "no face decision to report")
            liveness = Liveness.NOT_CHECKED
            if face.liveness is not None:
                passed = face.liveness.outcome is LivenessOutcome.PASSED
                liveness = Liveness.PASSED if passed else Liveness.FAILED
            evidence = FaceEvidence(face.median_distance, {"accept": face.accept_threshold}, face.model, liveness)
        elif request.method is Method.PIN:
            nonce, signature = request.challenge_nonce, request.signature
            if nonce is None or signature is None:
                raise BackendUnavailable("no PIN-path challenge in this session")
            with self._lock:
                challenge_id = self._challenge_ids.pop(nonce, None)
            if challenge_id is None:
                raise BackendRejected("challenge_unknown", "the challenge was not fetched by this kiosk")
            evidence = PinEvidence(challenge_id, nonce, signature)
        else:
            evidence = VisualEvidence(VISUAL_STAFF_ID)
        # The request carries no start time or step timings, so the result reports none.
        return ReceptionResult(
            kiosk_id=self.client.kiosk_id, transaction_id=new_transaction_id(), started_at=now,
            completed_at=now, method=request.method, evidence=evidence,
            auth_certificate=request.auth_certificate_der, consents=consents,
            registration_request=request.register_for_insurance, prescription=prescription, language=language,
            timings_ms={}, software_version=self.software_version,
        )


def _consents(given: tuple[ConsentGiven, ...], now: datetime) -> tuple[tuple[ConsentRecord, ...],
                                                                        Prescription | None]:
    records: list[ConsentRecord] = []
    prescription = None
    for answer in given:
        common: dict[str, Any] = dict(text_id=answer.item_id, text_version=answer.version,
                                      text_sha256=answer.sha256, at=now)
        if answer.item_id == "comprehensive":
            if answer.choice == "consent_all":
                records += [ConsentRecord(item, Choice.CONSENT, **common) for item in COMPREHENSIVE_ITEMS]
        elif answer.item_id == "prescription_form":
            prescription = Prescription(answer.choice)
        elif answer.item_id in {item.value for item in ConsentItem} and answer.choice in ("consent", "decline"):
            records.append(ConsentRecord(ConsentItem(answer.item_id), Choice(answer.choice), **common))
        # "limit_info" is an information screen: 限度額 is always provided and needs no answer
    return tuple(records), prescription
