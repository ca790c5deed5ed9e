"""BackendClient: the one object the kiosk runtime holds for the verification backend.

`record()` signs a finished reception and commits it to the outbox (fsync'd) — call it before telling the
patient "saved"; delivery then happens in the background, each result on its own retry clock, across
restarts. `answer()` waits a bounded time for the verifier's answer (the flow can show it, or say calmly
that staff will confirm eligibility). The PIN path gets its fresh challenge from `fetch_challenge()`; staff
see `status()`, re-send the quarantine with `retry_quarantined()` and export it with `export_quarantine()`.
"""

from __future__ import annotations

from pathlib import Path

from drivers.backend.delivery import Delivery, DeliveryStatus, DeliveryThread, RetryPolicy
from drivers.backend.http import BackendConfig, Health, RequestsBackend
from drivers.backend.outbox import Outbox
from drivers.backend.signing import DeviceKey, sign_result
from kiosk.reception import Challenge, ReceptionResult, VerifierAnswer


class BackendClient:
    def __init__(self, config: BackendConfig, outbox_path: Path, device_key_path: Path, kiosk_id: str, *,
                 policy: RetryPolicy | None = None, busy_timeout_s: float = 2.0,
                 reserve_bytes: int = 64 * 1024 * 1024, retry_max_s: float | None = None,
                 quarantine_retry_s: float | None = None) -> None:
        if policy is None and (retry_max_s is not None or quarantine_retry_s is not None):
            policy = RetryPolicy(backoff_max_s=retry_max_s or 300.0, quarantine_retry_s=quarantine_retry_s or 3600.0)
        self.kiosk_id = kiosk_id
        self.key = DeviceKey.load_or_create(device_key_path)
        self.outbox = Outbox(outbox_path, busy_timeout_s=busy_timeout_s, reserve_bytes=reserve_bytes)
        self.http = RequestsBackend(config)
        self.delivery = Delivery(self.outbox, self.http, policy)
        self._thread = DeliveryThread(self.delivery)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.stop()
        self.http.close()
        self.outbox.close()

    def record(self, result: ReceptionResult) -> int:
        """Durably queue a finished reception (raises OutboxError if it cannot be saved; then nothing is)."""
        if result.kiosk_id != self.kiosk_id:
            raise ValueError("the result names another kiosk")
        seq = self.outbox.enqueue(sign_result(result, self.key))
        self.delivery.wake()
        return seq

    def answer(self, transaction_id: str, timeout: float) -> VerifierAnswer | None:
        """The verifier's answer within `timeout` s, or None (still queued; it will be delivered later)."""
        return self.delivery.wait_for(transaction_id, timeout)

    def fetch_challenge(self, wait: float = 3.0, certificate_id: str | None = None,
                        auth_certificate: bytes | None = None) -> Challenge:
        return self.http.fetch_challenge(self.kiosk_id, wait, certificate_id, signer=self.key,
                                         auth_certificate=auth_certificate)

    def call_staff(self, reason: str) -> None:
        self.http.call_staff(self.kiosk_id, reason, self.key)

    def next_proof_counter(self) -> int:
        return self.outbox.next_proof_counter()

    def health(self) -> Health:
        return self.http.health()

    def status(self) -> DeliveryStatus:
        return self.delivery.status()

    def retry_quarantined(self, transaction_id: str | None = None) -> int:
        return self.delivery.retry_quarantined(transaction_id)

    def export_quarantine(self, destination: Path) -> int:
        return self.outbox.export_quarantine(destination)
