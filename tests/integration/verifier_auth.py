"""Helpers for the verifier's access tests (imported by them; holds no tests): a signed-in staff session over
real HTTP, raw signed bodies, and PIN results carrying the kiosk's own proof statement (kiosk/proof.py)."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from typing import Any

import requests

from drivers.backend.outbox import SignedResult
from drivers.backend.signing import DeviceKey
from kiosk.proof import ProofStatement, canonical_time
from kiosk.reception import ReceptionResult
from tests.integration.test_backend_env import Card, face_result
from verifier.service import Verifier
from verifier.staffauth import PasswordDirectory

STAFF_USER, STAFF_PASSWORD = "uketsuke", "correct horse battery"


def staff_session(verifier: Verifier, url: str, user: str = STAFF_USER,
                  password: str = STAFF_PASSWORD) -> requests.Session:
    """Add the user (idempotent) and sign in through the real form, CSRF token and all."""
    PasswordDirectory(verifier.store).add_user(user, password)
    session = requests.Session()
    form = session.get(f"{url}/staff/login", timeout=5)
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert form.status_code == 200 and match
    signed_in = session.post(f"{url}/staff/login", data={"csrf": match.group(1), "username": user,
                                                         "password": password}, allow_redirects=False, timeout=10)
    assert signed_in.status_code == 303, signed_in.text[:300]
    return session


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match
    return match.group(1)


def signed_raw(kiosk_id: str, key: DeviceKey, body: bytes, transaction_id: str = "") -> SignedResult:
    return SignedResult(transaction_id, kiosk_id, key.key_id, key.sign(body), body)


def resign(signed: SignedResult, key: DeviceKey, body: bytes) -> SignedResult:
    return SignedResult(signed.transaction_id, signed.kiosk_id, key.key_id, key.sign(body), body)


def with_evidence(result: ReceptionResult, evidence: dict[str, Any], **fields: Any) -> bytes:
    data = result.to_json()
    data["method"] = "pin"
    data["evidence"] = evidence
    data.update(fields)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def proof_result(kiosk_id: str, key: DeviceKey, card: Card, counter: int, *, signed_at: datetime | None = None,
                 registration: bool = False, sign_for: str | None = None,
                 transaction_id: str | None = None) -> SignedResult:
    """A PIN result whose card signature covers the kiosk's own statement; `sign_for` lets the card sign the
    statement of another result id (a statement that does not match this result)."""
    base = face_result(kiosk_id, card.cert_der, registration=registration, transaction_id=transaction_id)
    moment = signed_at or datetime.now(UTC)
    statement = ProofStatement(kiosk_id, counter, moment, sign_for or base.transaction_id)
    evidence = {"proof_version": 1, "counter": counter, "signed_at": canonical_time(moment),
                "signature": base64.b64encode(card.sign(statement.to_bytes())).decode()}
    return signed_raw(kiosk_id, key, with_evidence(base, evidence), base.transaction_id)


def signed_lookup(kiosk_id: str, key: DeviceKey, body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {"X-Kiosk-Id": kiosk_id, "X-Kiosk-Key-Id": key.key_id, "X-Kiosk-Signature": key.sign(raw),
                 "Content-Type": "application/json"}
