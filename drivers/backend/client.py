"""BackendClient: the one object the kiosk runtime holds for the verification backend.

`record()` signs a finished reception and commits it to the outbox — call it before telling the patient
"done"; delivery then happens in the background, in order, across restarts. `answer()` waits a bounded time
for the verifier's answer (the flow can show it, or say calmly that it will be sent later). The PIN path
gets its fresh challenge from `fetch_challenge()`; staff see `status()`.
"""

from __future__ import annotations

from pathlib import Path

from drivers.backend.delivery import Delivery, DeliveryStatus, DeliveryThread
from drivers.backend.http import BackendConfig, Health, RequestsBackend
from drivers.backend.outbox import Outbox
from drivers.backend.signing import DeviceKey, sign_result
from kiosk.reception import Challenge, ReceptionResult, VerifierAnswer


class BackendClient:
    def __init__(self, config: BackendConfig, outbox_path: Path, device_key_path: Path, kiosk_id: str) -> None:
        self.kiosk_id = kiosk_id
        self.key = DeviceKey.load_or_create(device_key_path)
        self.outbox = Outbox(outbox_path)
        self.http = RequestsBackend(config)
        self.delivery = Delivery(self.outbox, self.http)
        self._thread = DeliveryThread(self.delivery)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.stop()
        self.http.close()
        self.outbox.close()

    def record(self, result: ReceptionResult) -> int:
        """Durably queue a finished reception (raises OutboxError if it cannot be saved)."""
        if result.kiosk_id != self.kiosk_id:
            raise ValueError("the result names another kiosk")
        seq = self.outbox.enqueue(sign_result(result, self.key))
        self.delivery.wake()
        return seq

    def answer(self, transaction_id: str, timeout: float) -> VerifierAnswer | None:
        """The verifier's answer within `timeout` s, or None (still queued; it will be delivered later)."""
        return self.delivery.wait_for(transaction_id, timeout)

    def fetch_challenge(self, wait: float = 3.0, certificate_id: str | None = None) -> Challenge:
        return self.http.fetch_challenge(self.kiosk_id, wait, certificate_id, signer=self.key)

    def health(self) -> Health:
        return self.http.health()

    def status(self) -> DeliveryStatus:
        return self.delivery.status()
