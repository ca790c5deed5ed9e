"""The verifier's logic, free of HTTP: challenges, and accepting a signed reception result exactly once.

Order of checks for a result: who sent it (enrolled kiosk; with mutual TLS its certificate's subject CN is that
kiosk; enrolled key; signature over the exact body) → strict JSON (no NaN, RFC 3339 times with ASCII digits)
→ a well-formed v1 result → have we answered this transaction before (same body: same answer; other body:
conflict) → the JPKI certificate → the method's evidence, judged by the verifier's own `Policy` → registry
lookup → one DB transaction that spends the challenge or proof counter, links a registration and stores the
reception with its answer and the kiosk's own figures. A refusal after the kiosk was authenticated is kept
(refusals table, audit log) for the staff page; before that, nothing is written. The face XML for the clinic
is written after the commit and re-written on a replay if it is missing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.exc import IntegrityError

from verifier import evidence as judge
from verifier import facexml
from verifier.audit import AuditLog
from verifier.errors import Refused
from verifier.limits import loads_strict, rfc3339
from verifier.pki import CheckedCertificate, TrustStore
from verifier.policy import PHONE_METHODS, Policy
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
    policy: Policy = field(default_factory=Policy)
    require_client_cert: bool = False  # mutual TLS on: every kiosk request needs a certificate naming the kiosk


class Verifier:
    def __init__(
        self, store: Store, trust: TrustStore, settings: VerifierSettings | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.trust = trust
        self.settings = settings or VerifierSettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        schema = load_result_schema()
        # Every result is checked by the compiled (Rust) validator, ~25x faster than jsonschema's full walk,
        # which was a quarter of a submit's CPU; only a result it refuses is walked again by jsonschema, the
        # authority, for the exact message (and if jsonschema finds nothing wrong, the result stands).
        # Formats are not asserted by either (jsonschema's default), so both judge the same keywords.
        self._validator = jsonschema.Draft202012Validator(schema)
        self._fast_validator = jsonschema_rs.validator_for(schema, validate_formats=False)
        self._keys: dict[str, tuple[str, Ed25519PublicKey]] = {}
        self._issued = 0
        self._xml_options = facexml.FaceXmlOptions.from_setting(self.settings.xml_encoding, self.settings.face_policy)
        self._xml = facexml.FaceXmlWriter(self.settings.face_dir, self._xml_options.policy) \
            if self.settings.face_dir else None
        self.audit = AuditLog(store)
        self._nonces: dict[str, float] = {}
        self._nonce_lock = threading.Lock()
        self.repair_face_xml()

    @property
    def policy(self) -> Policy:
        return self.settings.policy

    # --- who is asking ------------------------------------------------------------------------------

    def authenticate_kiosk(self, headers: Mapping[str, str | None], body: bytes) -> str:
        """The kiosk id, once the request is proven to come from it: enrolled, (mutual TLS) its certificate's
        subject CN, its enrolled device key, its signature over these exact bytes."""
        kiosk_id = headers.get("x-kiosk-id") or ""
        key_id, public_key = self._kiosk_key(kiosk_id)
        tls_name = headers.get("tls-client-name")
        if self.settings.require_client_cert and not tls_name:  # no certificate, or one without a subject CN
            raise Refused("client_certificate_required")
        if tls_name is not None and tls_name != kiosk_id:
            raise Refused("client_certificate_mismatch")
        if (headers.get("x-kiosk-key-id") or "") != key_id:
            raise Refused("device_key_not_enrolled")
        try:
            public_key.verify(base64.b64decode(headers.get("x-kiosk-signature") or "", validate=True), body)
        except (InvalidSignature, binascii.Error, ValueError) as exc:
            raise Refused("payload_tampered") from exc
        return kiosk_id

    def check_signed_request(self, kiosk_id: str, body: bytes) -> dict[str, Any]:
        """A kiosk's signed lookup request: {"requested_at", "nonce", …}, fresh and used once."""
        data = loads_strict(body) if body else None
        if not isinstance(data, dict):
            raise Refused("invalid_request", "a signed JSON object with requested_at and nonce is required")
        at = rfc3339(data.get("requested_at"), "requested_at")
        now = self.clock()
        if at.tzinfo is None or abs((now - at).total_seconds()) > self.policy.clock_skew.total_seconds():
            raise Refused("request_expired")
        nonce = data.get("nonce")
        if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
            raise Refused("invalid_request", "nonce: 16–64 characters")
        window = 2 * self.policy.clock_skew.total_seconds()
        moment = time.monotonic()
        with self._nonce_lock:
            if len(self._nonces) > 10_000:
                self._nonces = {k: v for k, v in self._nonces.items() if v > moment}
            key = f"{kiosk_id}:{nonce}"
            if self._nonces.get(key, 0.0) > moment:
                raise Refused("request_replayed")
            self._nonces[key] = moment + window
        return data

    # --- kiosks and challenges ----------------------------------------------------------------------

    def enroll(self, kiosk_id: str, public_key_pem: bytes) -> str:
        key = serialization.load_pem_public_key(public_key_pem)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a kiosk device key must be Ed25519")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key_id = hashlib.sha256(raw).hexdigest()
        self.store.enroll(kiosk_id, key_id, public_key_pem.decode("ascii"), self.clock())
        self.audit.append("operator", "enroll_kiosk", kiosk_id, f"key {key_id[:16]}", self.clock())
        self._keys.pop(kiosk_id, None)
        return key_id

    def issue_challenge(self, kiosk_id: str, certificate_id: str | None = None,
                        auth_certificate: str | None = None) -> dict[str, Any]:
        """A fresh 32-byte challenge for the PIN path (older form; the kiosk's own proof statement needs
        none); with the card's certificate identifier, also whether that card is registered for insurance use
        (so the kiosk can offer 保険証利用登録). Only for an authenticated kiosk (`authenticate_kiosk`)."""
        self._kiosk_key(kiosk_id)
        now = self.clock()
        if auth_certificate is not None:
            self._refuse_if_revoked(auth_certificate, now)
        challenge_id, value = str(uuid.uuid4()), secrets.token_bytes(32)
        expires = now + self.settings.challenge_ttl
        self.store.add_challenge(challenge_id, kiosk_id, value, now, expires)
        self._issued += 1
        if self._issued % 500 == 0:  # a late challenge is still accepted (delayed) until the policy's max age
            self.store.purge_challenges(now - self.policy.max_age - timedelta(days=1))
        registered = self.registered(certificate_id) if certificate_id else None
        return {"challenge_id": challenge_id, "challenge": base64.b64encode(value).decode(),
                "expires_at": expires.isoformat(), "registered": registered}

    def _refuse_if_revoked(self, certificate_b64: str, now: datetime) -> None:
        """At card read, only a revocation stops the patient: anything else the full check at the result
        decides (as before), so a missing CRL or a clock question never turns a card away here."""
        try:
            self.trust.check(judge.b64(certificate_b64, "certificate_malformed"), now, self.policy.grace_months)
        except Refused as exc:
            if exc.code == "certificate_revoked":
                raise

    def registered_certificate(self, certificate_b64: str) -> bool:
        """Registration of the card whose certificate (base64 DER) the kiosk just read: the certificate must
        chain to a configured root and be valid (or in grace) and unrevoked now."""
        cert = self.trust.check(judge.b64(certificate_b64, "certificate_malformed"), self.clock(),
                                self.policy.grace_months)
        return self.registered(cert.identifier)

    def registered(self, certificate_id: str) -> bool:
        with self.store.engine.connect() as conn:
            found = self.store.qualification(conn, certificate_id)
        return bool(found and found[0])

    # --- results ------------------------------------------------------------------------------------

    def submit(self, headers: Mapping[str, str | None], body: bytes) -> tuple[dict[str, Any], bool]:
        """(answer, replayed). Raises Refused with the reason's own code; refusals after authentication are
        recorded for staff."""
        if len(body) > MAX_BODY:
            raise Refused("payload_too_large")
        kiosk_id = self.authenticate_kiosk(headers, body)
        return self.submit_authenticated(kiosk_id, headers, body)

    def submit_authenticated(self, kiosk_id: str, headers: Mapping[str, str | None],
                             body: bytes) -> tuple[dict[str, Any], bool]:
        try:
            return self._submit(kiosk_id, headers, body)
        except Refused as refusal:
            self._record_refusal(kiosk_id, headers, body, refusal)
            raise

    def _record_refusal(self, kiosk_id: str, headers: Mapping[str, str | None], body: bytes,
                        refusal: Refused) -> None:
        tx = _transaction_of(body) or (headers.get("idempotency-key") or "")[:36] or \
            "sha256:" + hashlib.sha256(body).hexdigest()[:48]
        now = self.clock()
        self.store.record_refusal(kiosk_id, tx, refusal.code, refusal.message, now)
        self.audit.append(f"kiosk:{kiosk_id}", "refusal", tx, refusal.code, now)

    def _submit(self, kiosk_id: str, headers: Mapping[str, str | None], body: bytes) -> tuple[dict[str, Any], bool]:
        result = loads_strict(body)
        _strict_times(result)
        error = None if self._fast_validator.is_valid(result) else next(iter(self._validator.iter_errors(result)), None)
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
            # of the challenge or proof counter) won. Answer from its record; any other refusal stands.
            if isinstance(exc, Refused) and exc.code not in ("challenge_reused", "proof_replayed"):
                raise
            stored = self.store.reception_by_transaction(tx)
            if stored is None:
                if isinstance(exc, IntegrityError):  # another result took the same proof counter first
                    raise Refused("proof_replayed") from exc
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
        method = result["method"]
        if method not in self.policy.allowed_methods:
            raise Refused("method_not_allowed", f"the verifier's policy does not accept {method}")
        phone = method in PHONE_METHODS  # the phone's own roots, and no grace for its certificate
        cert = self.trust.check(judge.b64(result["auth_certificate"], "certificate_malformed"), now,
                                self.policy.grace_months, phone=phone)
        if result["registration_request"] and method not in ("pin", "face"):
            # As on the official readers: 保険証利用登録 with the card's PIN or a face match against its chip
            # photo — never on a staff visual check alone.
            raise Refused("registration_requires_face_or_pin")
        if method == "face":
            judge.check_face(self.policy, result["evidence"])
        with self.store.transaction() as conn:
            if method == "pin" or phone:  # the phone signed the kiosk's statement, as the card's PIN path
                timing = judge.check_pin(self.store, self.policy, conn, result, cert, now)
            else:
                timing = judge.unsigned_timing(self.policy, datetime.fromisoformat(result["completed_at"]), now)
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
                "eligibility_only": cert.status == "grace" and not self.policy.grace_medical_consents,
                "registration": registration,
                "consents": consents,
                "prescription": result["prescription"],
                "method": method,
                "delayed": timing.delayed,
                "delay_s": timing.delay_s,
                "clock_suspect": timing.clock_suspect,
            }
            reception_id = self.store.add_reception(
                conn, transaction_id=result["transaction_id"], kiosk_id=result["kiosk_id"],
                received_at=utc_text(now), method=method, cert_id=cert.identifier, validity=validity,
                certificate_status=cert.status, body_sha256=body_hash, answer=json.dumps(answer, ensure_ascii=False),
                signed_at=utc_text(timing.signed_at) if timing.signed_at else None,
                delay_s=timing.delay_s if timing.delayed else None,
                kiosk_evidence=json.dumps(_kiosk_figures(result), ensure_ascii=False),
            )
            self.store.refusal_resolved(conn, result["transaction_id"], now)
        if self._xml is not None:
            self._queue_xml(reception_id, result["transaction_id"], now, answer, qualification)
        stored_at = parse_utc(utc_text(now))  # the row's own precision, so a replay names the same file
        return self.full_answer(ReceptionRow(reception_id, result["transaction_id"], result["kiosk_id"], stored_at,
                                             method, cert.identifier, validity, cert.status, answer, body_hash,
                                             timing.delay_s if timing.delayed else None))

    def _consent_answers(
        self, result: dict[str, Any], cert: CheckedCertificate, validity: str, now: datetime
    ) -> list[dict[str, Any]]:
        """OQS flags: '1' with consent and viewing window, '0' otherwise; in the grace period nothing about
        medical information is honoured (eligibility only). 限度額 is always provided (no screen since
        2024-10-07) when the qualification is valid."""
        honoured = (cert.status == "valid" or self.policy.grace_medical_consents) and validity == "1"
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


def _kiosk_figures(result: dict[str, Any]) -> dict[str, Any]:
    """What the kiosk said about its own decision (kept for review; the verifier decided by its policy)."""
    evidence = result["evidence"]
    figures = {k: evidence[k] for k in ("distance", "thresholds", "model", "liveness", "counter", "signed_at",
                                        "challenge_id", "staff_id") if k in evidence}
    return {"method": result["method"], "completed_at": result["completed_at"], **figures}


def _strict_times(result: Any) -> None:
    """Every date-time field RFC 3339 with ASCII digits (a 400), before the schema (whose regex engine would
    take any Unicode digit for \\d) and before anything parses one."""
    if not isinstance(result, dict):
        return
    for name in ("started_at", "completed_at"):
        if isinstance(result.get(name), str):
            rfc3339(result[name], name)
    consents = result.get("consents")
    for i, consent in enumerate(consents if isinstance(consents, list) else ()):
        if isinstance(consent, dict) and isinstance(consent.get("at"), str):
            rfc3339(consent["at"], f"consents/{i}/at")
    evidence = result.get("evidence")
    if isinstance(evidence, dict) and isinstance(evidence.get("signed_at"), str):
        rfc3339(evidence["signed_at"], "evidence/signed_at")


def _transaction_of(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    tx = data.get("transaction_id") if isinstance(data, dict) else None
    return tx if isinstance(tx, str) and len(tx) == 36 and tx.isascii() else None
