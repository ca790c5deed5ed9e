"""VerifierReceptionBackend: kiosk.ports.ReceptionBackend as an adapter over BackendClient.

All it does: `kiosk.result.build_result` turns the runtime's typed facts into the result (the rules live in
the core), the client signs it and commits it to the outbox (fsync'd, a bounded local wait), and the
adapter waits a short, bounded time for the verifier's answer. `queued=True` means stored but not yet
answered: the flow then says calmly that the reception is recorded and staff will confirm eligibility.
"""

from __future__ import annotations

import time
from datetime import datetime

from drivers.backend.client import BackendClient
from kiosk.domain import CertificateInfo
from kiosk.errors import BackendRejected, CardRevoked, ConfigError
from kiosk.ports import BackendChallenge, BackendReceipt, CancelToken, DeliveryHealth
from kiosk.proof import ProofStatement
from kiosk.result import ResultFacts, build_result


class VerifierReceptionBackend:
    def __init__(self, client: BackendClient, *, answer_wait_s: float = 3.0, challenge_wait_s: float = 3.0,
                 software_version: str = "0", submit_deadline_s: float | None = None,
                 pin_proofs: bool = True) -> None:
        self.client = client
        # On once the verifier accepts kiosk-made PIN proofs (kiosk.proof); until then the live challenge.
        self.pin_proofs = pin_proofs
        self.answer_wait_s = answer_wait_s
        self.challenge_wait_s = challenge_wait_s
        self.software_version = software_version
        # One honest deadline: every local wait ends well before the flow's submit timer, so a stored
        # result is always answered "saved" and never runs into "failed".
        if submit_deadline_s is not None and self.local_wait_bound_s >= submit_deadline_s:
            raise ConfigError(f"timeouts.submit_s ({submit_deadline_s:g} s) must exceed the kiosk's own waits "
                              f"(outbox {client.outbox.busy_timeout_s:g} s + answer {answer_wait_s:g} s + 1 s)")

    @property
    def local_wait_bound_s(self) -> float:
        """The longest `submit` can take: the outbox's busy wait, then the answer wait (plus signing)."""
        return self.client.outbox.busy_timeout_s + self.answer_wait_s + 1.0

    def fetch_challenge(self, auth_certificate: CertificateInfo, cancel: CancelToken | None = None) -> BackendChallenge:
        try:
            challenge = self.client.fetch_challenge(self.challenge_wait_s, auth_certificate.subject_id,
                                                    auth_certificate.der)
        except BackendRejected as exc:
            if exc.reason == "certificate_revoked":
                raise CardRevoked("the verifier lists the card's certificate as revoked") from exc
            raise
        return BackendChallenge(nonce=challenge.value, registered=bool(challenge.registered),
                                challenge_id=challenge.challenge_id)

    def submit(self, facts: ResultFacts, cancel: CancelToken | None = None) -> BackendReceipt:
        result = build_result(facts, self.client.kiosk_id, self.software_version)
        self.client.record(result)  # durable before the patient is told "saved"; the same id twice is a no-op
        deadline = time.monotonic() + self.answer_wait_s
        answer = None
        while answer is None and time.monotonic() < deadline and not (cancel and cancel.is_set()):
            answer = self.client.answer(result.transaction_id, timeout=min(0.1, self.answer_wait_s))
        return BackendReceipt(result.transaction_id, queued=answer is None)

    def call_staff(self, reason: str, cancel: CancelToken | None = None) -> None:
        self.client.call_staff(reason)

    def proof_statement(self, result_id: str, signed_at: datetime) -> ProofStatement | None:
        if not self.pin_proofs:
            return None
        return ProofStatement(self.client.kiosk_id, self.client.next_proof_counter(), signed_at, result_id)

    def outbox_depth(self) -> int:
        return self.client.status().outbox.pending

    def delivery_health(self) -> DeliveryHealth:
        status = self.client.status()
        o = status.outbox
        return DeliveryHealth(status.healthy, o.pending, o.quarantined, o.accepting, status.staff_message)
