"""VerifierReceptionBackend (kiosk.ports.ReceptionBackend) against the real verifier on loopback."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from drivers.backend.client import BackendClient
from drivers.backend.http import BackendConfig
from drivers.backend.reception_backend import VerifierReceptionBackend
from kiosk.domain import CertificateInfo
from kiosk.face import Verdict
from kiosk.ports import ConsentGiven, ReceptionRequest
from kiosk.reception import Method
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Card,
    Env,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    jpki_fixture,
    postgres_fixture,
)
from tests.unit.flow_harness import face_decision

pytestmark = pytest.mark.server  # a real server process or database on loopback

SHA = "c" * 64


def info(card: Card) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(card.cert_der)
    return CertificateInfo(card.cert_der, card.identifier, cert.serial_number, cert.issuer.rfc4514_string(),
                           cert.not_valid_before_utc, cert.not_valid_after_utc)


def request(card: Card, method: Method, **kw: object) -> ReceptionRequest:
    consents = (ConsentGiven("comprehensive", "2025.1", SHA, "ja", "consent_all"),
                ConsentGiven("public_expense", "2025.1", SHA, "ja", "decline"),
                ConsentGiven("limit_info", "2025.1", SHA, "ja", "ok"),
                ConsentGiven("prescription_form", "2025.1", SHA, "ja", "electronic"))
    values: dict[str, object] = dict(method=method, auth_certificate_der=card.cert_der, challenge_nonce=None,
                                     signature=None, face=None, consents=consents, register_for_insurance=False,
                                     eligibility_only=False)
    values.update(kw)
    return ReceptionRequest(**values)  # type: ignore[arg-type]


def make_backend(env: Env, url: str, tmp_path: Path) -> VerifierReceptionBackend:
    client = BackendClient(BackendConfig(url, connect_timeout=0.5, read_timeout=5, retries=1, backoff=0.05),
                           tmp_path / "outbox.db", tmp_path / "device.pem", "kiosk-port")
    env.verifier.enroll("kiosk-port", client.key.public_pem())
    client.start()
    return VerifierReceptionBackend(client, answer_wait_s=5)


def test_face_and_pin_through_the_port(env: Env, tmp_path: Path) -> None:
    backend = make_backend(env, env.url, tmp_path)
    try:
        face = request(env.cards.ordinary, Method.FACE, face=face_decision(Verdict.ACCEPT, distance=0.41))
        receipt = backend.submit(face)
        assert not receipt.queued
        answer = env.verifier.answer_for(receipt.receipt_id)
        assert answer is not None and answer["validity"] == "1" and answer["prescription"] == "electronic"
        flags = {c["item"]: c["flag"] for c in answer["consents"]}
        assert flags == {"limit_application": "1", "diagnosis": "1", "pharmacists": "1", "operation": "1",
                         "specific_health_checkups": "1", "public_expense": "0"}

        card = env.cards.unregistered
        challenge = backend.fetch_challenge(info(card))
        assert challenge.registered is False
        pin = request(card, Method.PIN, challenge_nonce=challenge.nonce, signature=card.sign(challenge.nonce),
                      register_for_insurance=True)
        receipt = backend.submit(pin)
        assert not receipt.queued
        answer = env.verifier.answer_for(receipt.receipt_id)
        assert answer is not None and answer["registration"] == "registered_now"
        assert backend.fetch_challenge(info(card)).registered is True
        assert backend.outbox_depth() == 0
    finally:
        backend.client.stop()


def test_backend_down_queues_the_reception(env: Env, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    backend = make_backend(env, dead, tmp_path)
    backend.answer_wait_s = 0.5
    try:
        started = datetime.now(UTC)
        receipt = backend.submit(request(env.cards.ordinary, Method.VISUAL))
        assert receipt.queued and backend.outbox_depth() == 1
        assert (datetime.now(UTC) - started).total_seconds() < 2
    finally:
        backend.client.stop()
