"""VerifierReceptionBackend (kiosk.ports.ReceptionBackend) against the real verifier on loopback."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from drivers.backend.client import BackendClient
from drivers.backend.http import BackendConfig
from drivers.backend.reception_backend import VerifierReceptionBackend
from kiosk.domain import CertificateInfo
from kiosk.errors import CardRevoked
from kiosk.face import Verdict
from kiosk.flow_effects import SubmitPlan
from kiosk.reception import Method
from kiosk.result import ResultFacts, new_result_id
from testbench.demo.fakes import FakeCard, fake_face_decision
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Card,
    Env,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    jpki_fixture,
    postgres_fixture,
)

pytestmark = pytest.mark.server  # a real server process or database on loopback


def info(card: Card) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(card.cert_der)
    return CertificateInfo(card.cert_der, card.identifier, cert.serial_number, cert.issuer.rfc4514_string(),
                           cert.not_valid_before_utc, cert.not_valid_after_utc)


def runtime_facts(card: Card, method: Method, plan_consents: tuple[tuple[str, str], ...] | None = None,
                  **vault: object) -> ResultFacts:
    """The facts exactly as the runtime sends them: its own build_facts over a session vault and the flow's
    SubmitPlan (each screen answered once; 包括同意 names the items it covers)."""
    from datetime import timedelta

    from kiosk.config import COMPREHENSIVE_CONSENT_ITEMS
    from kiosk.consent import load_catalogue
    from kiosk.runtime import Runtime
    from kiosk.runtime_jobs import Devices
    from kiosk.staff import StaffGate

    runtime = Runtime(Devices(None, None, None, None), load_catalogue(), lambda e: None,  # type: ignore[arg-type]
                      None, None, StaffGate(""))  # type: ignore[arg-type]
    now = datetime.now(UTC)
    v = runtime.vault
    v.summary = FakeCard().read_summary()
    v.summary = replace(v.summary, auth_certificate=info(card))
    v.result_id, v.started_at = new_result_id(), now - timedelta(seconds=40)
    v.last_step_end = now - timedelta(seconds=9)
    v.timings_ms = {"card_read": 1800, "challenge": 120}
    register = bool(vault.pop("register", False))
    face = vault.pop("face", None)
    for name, value in vault.items():
        setattr(v, name, value)
    consents = plan_consents if plan_consents is not None else (
        ("comprehensive", "consent_all"), ("limit_info", "ok"), ("public_expense", "decline"),
        ("prescription_form", "electronic"))
    covered = COMPREHENSIVE_CONSENT_ITEMS if ("comprehensive", "consent_all") in consents else ()
    plan = SubmitPlan(method, face, consents, covered, "ja", register, False)  # type: ignore[arg-type]
    return runtime.build_facts(plan)


def make_backend(env: Env, url: str, tmp_path: Path) -> VerifierReceptionBackend:
    client = BackendClient(BackendConfig(url, connect_timeout=0.5, read_timeout=5, retries=1, backoff=0.05),
                           tmp_path / "outbox.db", tmp_path / "device.pem", "kiosk-port")
    env.verifier.enroll("kiosk-port", client.key.public_pem())
    client.start()
    return VerifierReceptionBackend(client, answer_wait_s=5)


def test_face_and_pin_through_the_port(env: Env, tmp_path: Path) -> None:
    backend = make_backend(env, env.url, tmp_path)
    try:
        decision = fake_face_decision(Verdict.ACCEPT)
        face = runtime_facts(env.cards.ordinary, Method.FACE, face=decision)
        receipt = backend.submit(face)
        assert backend.submit(face) == receipt  # a retry with the same facts never stores twice
        assert not receipt.queued
        answer = env.verifier.answer_for(receipt.receipt_id)
        assert answer is not None and answer["validity"] == "1" and answer["prescription"] == "electronic"
        flags = {c["item"]: c["flag"] for c in answer["consents"]}
        assert flags == {"limit_application": "1", "diagnosis": "1", "pharmacists": "1", "operation": "1",
                         "specific_health_checkups": "1", "public_expense": "0"}

        card = env.cards.unregistered
        challenge = backend.fetch_challenge(info(card))
        assert challenge.registered is False
        pin = runtime_facts(card, Method.PIN, nonce=challenge.nonce, signature=card.sign(challenge.nonce),
                            challenge_id=challenge.challenge_id, register=True)
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
        receipt = backend.submit(runtime_facts(env.cards.ordinary, Method.VISUAL))
        assert receipt.queued and backend.outbox_depth() == 1
        assert (datetime.now(UTC) - started).total_seconds() < 2
    finally:
        backend.client.stop()


def test_proof_statements_count_on_across_restarts(tmp_path: Path) -> None:
    def adapter() -> VerifierReceptionBackend:
        client = BackendClient(BackendConfig("http://127.0.0.1:9"), tmp_path / "outbox.db", tmp_path / "device.pem",
                               "kiosk-proof")
        return VerifierReceptionBackend(client, pin_proofs=True, submit_deadline_s=15)

    now = datetime.now(UTC)
    first = adapter()
    counters = [first.proof_statement(new_result_id(), now).counter for _ in range(2)]  # type: ignore[union-attr]
    first.client.outbox.close()
    again = adapter().proof_statement(new_result_id(), now)
    assert again is not None and [*counters, again.counter] == [1, 2, 3] and again.kiosk_id == "kiosk-proof"
    live = VerifierReceptionBackend(adapter().client, pin_proofs=False)  # configured for the live challenge
    assert live.proof_statement(new_result_id(), now) is None


def test_the_submit_deadline_must_exceed_the_kiosks_own_waits(tmp_path: Path) -> None:
    import pytest

    from kiosk.errors import ConfigError

    client = BackendClient(BackendConfig("http://127.0.0.1:9"), tmp_path / "outbox.db", tmp_path / "device.pem", "k")
    with pytest.raises(ConfigError, match="submit_s"):
        VerifierReceptionBackend(client, answer_wait_s=3.0, submit_deadline_s=5.0)
    assert VerifierReceptionBackend(client, submit_deadline_s=15.0).local_wait_bound_s < 15.0


def test_a_revoked_card_is_refused_at_card_read(env: Env, tmp_path: Path) -> None:
    backend = make_backend(env, env.url, tmp_path)
    try:
        with pytest.raises(CardRevoked):  # before face, PIN or consents: the verifier checks its CRL now
            backend.fetch_challenge(info(env.cards.revoked))
        assert backend.fetch_challenge(info(env.cards.grace)).challenge_id  # grace and ordinary go on
        assert backend.fetch_challenge(info(env.cards.ordinary)).registered is True
    finally:
        backend.client.stop()
