"""The verifier's logic, free of HTTP: challenges, and accepting a signed reception result exactly once.

Order of checks for a result: who signed it (enrolled kiosk, enrolled key, signature over the exact body)
→ is it a well-formed v1 result → have we answered this transaction before (same body: same answer; other
body: conflict) → the JPKI certificate → the method's evidence → registry lookup → one DB transaction that
spends the challenge, links a registration and stores the reception with its answer. The face XML for the
clinic is written after the commit and re-written on a replay if it is missing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.exc import IntegrityError

from verifier import facexml
from verifier.errors import Refused
from verifier.pki import CheckedCertificate, TrustStore
from verifier.store import ReceptionRow, Store, parse_utc, utc_text
from verifier.watched_folder import FolderPolicy

log = logging.getLogger(__name__)

SCHEMA_FILE = "reception-result-v1.json"
MAX_BODY = 64 * 1024  # a result with a 2 KB certificate and every consent is under 8 KB
# Items that carry a 24-hour viewing window (…AvailableTime); the others are a flag and a time only.
WINDOWED = set(facexml.CONSENT_TAGS)


def load_result_schema() -> dict[str, Any]:
    text = resources.files("assets.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class VerifierSettings:
    institution_code: str = "1300000001"
    face_dir: Path | None = None
    xml_encoding: str = "utf-8"  # or "shift_jis" (refuses what it cannot carry) or "shift_jis-map"
    face_policy: FolderPolicy | None = None  # file naming and retention (watched_folder)
    challenge_ttl: timedelta = timedelta(seconds=120)
    consent_validity: timedelta = timedelta(hours=24)


class Verifier:
    def __init__(
        self, store: Store, trust: TrustStore, settings: VerifierSettings | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.trust = trust
        self.settings = settings or VerifierSettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        self._validator = jsonschema.Draft202012Validator(load_result_schema())
        self._keys: dict[str, tuple[str, Ed25519PublicKey]] = {}
        self._issued = 0
        self._xml_options = facexml.FaceXmlOptions.from_setting(self.settings.xml_encoding, self.settings.face_policy)
        self._xml = facexml.FaceXmlWriter(self.settings.face_dir, self._xml_options.policy) \
            if self.settings.face_dir else None
        self.repair_face_xml()

    # --- kiosks and challenges ----------------------------------------------------------------------

    def enroll(self, kiosk_id: str, public_key_pem: bytes) -> str:
        key = serialization.load_pem_public_key(public_key_pem)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a kiosk device key must be Ed25519")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key_id = hashlib.sha256(raw).hexdigest()
        self.store.enroll(kiosk_id, key_id, public_key_pem.decode("ascii"), self.clock())
        self._keys.pop(kiosk_id, None)
        return key_id

    def issue_challenge(self, kiosk_id: str, certificate_id: str | None = None) -> dict[str, Any]:
        """A fresh 32-byte challenge for the PIN path; with the card's certificate identifier, also whether
        that card is registered for insurance use (so the kiosk can offer 保険証利用登録)."""
        self._kiosk_key(kiosk_id)
        now = self.clock()
        challenge_id, value = str(uuid.uuid4()), secrets.token_bytes(32)
        expires = now + self.settings.challenge_ttl
        self.store.add_challenge(challenge_id, kiosk_id, value, now, expires)
        self._issued += 1
        if self._issued % 500 == 0:  # an expired challenge can only be refused; a day later it is not needed
            self.store.purge_challenges(now - timedelta(days=1))
        registered = None
        if certificate_id:
            with self.store.engine.connect() as conn:
                found = self.store.qualification(conn, certificate_id)
            registered = bool(found and found[0])
        return {"challenge_id": challenge_id, "challenge": base64.b64encode(value).decode(),
                "expires_at": expires.isoformat(), "registered": registered}

    # --- results ------------------------------------------------------------------------------------

    def submit(self, headers: Mapping[str, str | None], body: bytes) -> tuple[dict[str, Any], bool]:
        """(answer, replayed). Raises Refused with the reason's own code."""
        if len(body) > MAX_BODY:
            raise Refused("payload_too_large")
        kiosk_id = headers.get("x-kiosk-id") or ""
        key_id, public_key = self._kiosk_key(kiosk_id)
        tls_name = headers.get("tls-client-name")
        if tls_name is not None and tls_name != kiosk_id:  # mutual TLS: the certificate names the kiosk
            raise Refused("client_certificate_mismatch")
        if (headers.get("x-kiosk-key-id") or "") != key_id:
            raise Refused("device_key_not_enrolled")
        try:
            public_key.verify(base64.b64decode(headers.get("x-kiosk-signature") or "", validate=True), body)
        except (InvalidSignature, binascii.Error, ValueError) as exc:
            raise Refused("payload_tampered") from exc
        try:
            result = json.loads(body)
        except ValueError as exc:
            raise Refused("invalid_json") from exc
        error = next(iter(self._validator.iter_errors(result)), None)
        if error is not None:
            raise Refused("schema_invalid", f"{'/'.join(map(str, error.absolute_path))}: {error.message}"[:300])
        if result["kiosk_id"] != kiosk_id:
            raise Refused("kiosk_mismatch")
        tx = result["transaction_id"]
        if (headers.get("idempotency-key") or tx) != tx:
            raise Refused("idempotency_key_mismatch")
        body_hash = hashlib.sha256(body).hexdigest()
        stored = self.store.reception_by_transaction(tx)
        if stored is not None:
            return self._replay(stored, body_hash), True
        try:
            return self._accept(result, body_hash), False
        except (IntegrityError, Refused) as exc:
            # The same transaction raced in on another connection: its insert (or, on the PIN path, its use
            # of the challenge) won. Answer from its record; any other refusal stands.
            if isinstance(exc, Refused) and exc.code != "challenge_reused":
                raise
            stored = self.store.reception_by_transaction(tx)
            if stored is None:
                raise
            return self._replay(stored, body_hash), True

    def _replay(self, stored: ReceptionRow, body_hash: str) -> dict[str, Any]:
        if stored.body_sha256 != body_hash:
            raise Refused("idempotency_conflict")
        return self.full_answer(stored)

    def full_answer(self, stored: ReceptionRow) -> dict[str, Any]:
        """The stored answer plus what follows from the row itself (its id and face XML file name)."""
        answer = dict(stored.answer, reception_id=stored.id)
        if self.settings.face_dir:
            answer["face_xml"] = facexml.file_name(self.settings.institution_code, stored.id, stored.received_at,
                                                   self._xml_options.policy)
        return answer

    def answer_for(self, transaction_id: str) -> dict[str, Any] | None:
        stored = self.store.reception_by_transaction(transaction_id)
        return self.full_answer(stored) if stored else None

    def repair_face_xml(self, days: int = 3) -> int:
        """Write the face XML of recent receptions whose file is missing (the process died before it)."""
        if self._xml is None:
            return 0
        repaired = 0
        for stored in self.store.receptions_since(self.clock() - timedelta(days=days), limit=100_000):
            name = facexml.file_name(self.settings.institution_code, stored.id, stored.received_at,
                                     self._xml_options.policy)
            if not self._xml.was_written(name):  # a file the reader already took stays taken
                with self.store.engine.connect() as conn:
                    found = self.store.qualification(conn, stored.cert_id)
                self._queue_xml(stored.id, stored.transaction_id, stored.received_at, stored.answer,
                                found[1] if found else None)
                repaired += 1
        self.flush_xml()
        return repaired

    def flush_xml(self) -> None:
        if self._xml is not None:
            self._xml.flush()

    def _accept(self, result: dict[str, Any], body_hash: str) -> dict[str, Any]:
        now = self.clock()
        cert = self.trust.check(_b64(result["auth_certificate"], "certificate_malformed"), now)
        method = result["method"]
        if result["registration_request"] and method != "pin":
            raise Refused("registration_requires_pin")
        if method == "face":
            _check_face(result["evidence"])
        with self.store.transaction() as conn:
            if method == "pin":
                self._check_pin(conn, result, cert, now)
            found = self.store.qualification(conn, cert.identifier)
            registration, validity, qualification = "not_registered", "4", None
            if found is not None:
                linked, qualification = found
                if not linked and result["registration_request"]:
                    self.store.link(conn, cert.identifier)
                    linked, registration = True, "registered_now"
                elif linked:
                    registration = "registered"
                validity = str(qualification.get("validity", "1")) if linked else "4"
            consents = self._consent_answers(result, cert, validity, now)
            answer: dict[str, Any] = {
                "transaction_id": result["transaction_id"],
                "received_at": now.isoformat(),
                "validity": validity,
                "certificate_status": cert.status,
                "eligibility_only": cert.status == "grace",
                "registration": registration,
                "consents": consents,
                "prescription": result["prescription"],
                "method": method,
            }
            reception_id = self.store.add_reception(
                conn, transaction_id=result["transaction_id"], kiosk_id=result["kiosk_id"],
                received_at=utc_text(now), method=method, cert_id=cert.identifier, validity=validity,
                certificate_status=cert.status, body_sha256=body_hash, answer=json.dumps(answer, ensure_ascii=False),
            )
        if self._xml is not None:
            self._queue_xml(reception_id, result["transaction_id"], now, answer, qualification)
        stored_at = parse_utc(utc_text(now))  # the row's own precision, so a replay names the same file
        return self.full_answer(ReceptionRow(reception_id, result["transaction_id"], result["kiosk_id"], stored_at,
                                             method, cert.identifier, validity, cert.status, answer, body_hash))

    def _check_pin(self, conn: Any, result: dict[str, Any], cert: CheckedCertificate, now: datetime) -> None:
        evidence = result["evidence"]
        issued = self.store.challenge(conn, evidence["challenge_id"])
        if issued is None or issued["kiosk_id"] != result["kiosk_id"]:
            raise Refused("challenge_unknown")
        challenge = _b64(evidence["challenge"], "challenge_mismatch")
        if challenge != bytes(issued["value"]):
            raise Refused("challenge_mismatch")
        if issued["used_by"] is not None:
            raise Refused("challenge_reused")
        if now > parse_utc(issued["expires_at"]):
            raise Refused("challenge_expired")
        if not cert.verify_card_signature(_b64(evidence["signature"], "card_signature_invalid"), challenge):
            raise Refused("card_signature_invalid")
        if not self.store.use_challenge(conn, evidence["challenge_id"], result["transaction_id"]):
            raise Refused("challenge_reused")

    def _consent_answers(
        self, result: dict[str, Any], cert: CheckedCertificate, validity: str, now: datetime
    ) -> list[dict[str, Any]]:
        """OQS flags: '1' with consent and viewing window, '0' otherwise; in the grace period nothing about
        medical information is honoured (eligibility only). 限度額 is always provided (no screen since
        2024-10-07) when the qualification is valid."""
        honoured = cert.status == "valid" and validity == "1"
        answers: list[dict[str, Any]] = []
        if validity == "1":
            answers.append({"item": "limit_application", "flag": "1", "consent_time": now.isoformat(),
                            "available_until": None})
        for consent in result["consents"]:
            given = consent["choice"] == "consent" and honoured
            at = min(datetime.fromisoformat(consent["at"]), now)
            windowed = consent["item"] in WINDOWED
            answers.append({
                "item": consent["item"],
                "flag": "1" if given else "0",
                "consent_time": at.isoformat() if given else None,
                "available_until": (at + self.settings.consent_validity).isoformat() if given and windowed
                else None,
            })
        return answers

    def _queue_xml(self, reception_id: int, tx: str, received_at: datetime, answer: dict[str, Any],
                   qualification: Mapping[str, Any] | None) -> None:
        assert self._xml is not None
        name = facexml.file_name(self.settings.institution_code, reception_id, received_at, self._xml_options.policy)
        content = facexml.render_reception(self._xml_options, self.settings.institution_code, tx, received_at,
                                           answer, qualification)
        if content is not None:
            self._xml.put(name, content)

    def _kiosk_key(self, kiosk_id: str) -> tuple[str, Ed25519PublicKey]:
        cached = self._keys.get(kiosk_id)
        if cached is not None:
            return cached
        enrolled = self.store.kiosk(kiosk_id) if kiosk_id else None
        if enrolled is None:
            raise Refused("kiosk_unknown")
        key = serialization.load_pem_public_key(enrolled[1].encode("ascii"))
        assert isinstance(key, Ed25519PublicKey)
        self._keys[kiosk_id] = (enrolled[0], key)
        return self._keys[kiosk_id]


def _check_face(evidence: dict[str, Any]) -> None:
    accept = evidence["thresholds"].get("accept", min(evidence["thresholds"].values()))
    if evidence["liveness"] == "failed" or evidence["distance"] > accept:
        raise Refused("face_evidence_insufficient")


def _b64(text: str, code: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused(code) from exc
