"""Background delivery of the outbox: oldest first, one at a time, surviving restarts.

`Delivery.run()` is the loop; `DeliveryThread` runs it inside the kiosk and `main()` runs it as a process
(`python -m drivers.backend.delivery --outbox PATH --url URL`), which is how the fault test kills it with
SIGKILL at random moments. Only one deliverer per outbox runs at a time (a file lock the kernel frees on
kill), which keeps the order.

When the backend is down, the loop backs off (exponential, with jitter, capped) and keeps the results;
`status()` is what staff see. Nothing is ever dropped except by an explicit refusal from the backend,
which is kept as 'rejected' with the backend's error code.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.outbox import Outbox, OutboxStatus, single_deliverer
from kiosk.errors import BackendRejected, BackendUnavailable
from kiosk.reception import VerifierAnswer

log = logging.getLogger(__name__)

# Refusals about the kiosk's or the verifier's set-up, not about the reception: the result is kept and
# retried (staff see the code) until someone enrols the kiosk or fixes the verifier's CRLs.
HOLD_CODES = frozenset({"kiosk_unknown", "device_key_not_enrolled", "certificate_revocation_unknown",
                        "http_401", "http_403", "http_404", "http_405", "unknown"})


@dataclass(frozen=True)
class DeliveryStatus:
    outbox: OutboxStatus
    backend_reachable: bool
    last_error: str | None

    @property
    def staff_message(self) -> str:
        """One line for the staff status bar (Japanese first)."""
        if self.backend_reachable and self.outbox.pending == 0:
            return "確認サービス: 正常 / verification service: OK"
        return (
            f"確認サービスに未送信 {self.outbox.pending} 件（自動で再送します）/ "
            f"{self.outbox.pending} result(s) waiting, retrying automatically"
            + (f" — {self.last_error}" if self.last_error else "")
        )


class Delivery:
    def __init__(
        self,
        outbox: Outbox,
        backend: RequestsBackend,
        *,
        idle_poll: float = 0.5,
        backoff_base: float = 0.2,
        backoff_max: float = 10.0,
        sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self.outbox = outbox
        self.backend = backend
        self.idle_poll = idle_poll
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._sleep = sleep or self._interruptible_sleep
        self._reachable = True
        self._last_error: str | None = None

    def wake(self) -> None:
        """Called after an enqueue so the new result goes out without waiting for the poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def status(self) -> DeliveryStatus:
        return DeliveryStatus(self.outbox.status(), self._reachable, self._last_error)

    def deliver_one(self) -> bool:
        """Deliver the oldest pending result. False when the outbox is empty; raises BackendUnavailable."""
        entry = self.outbox.next_pending()
        if entry is None:
            return False
        try:
            answer = self.backend.submit_raw(entry.result)
        except BackendRejected as exc:
            if exc.reason in HOLD_CODES:
                self.outbox.record_failure(entry.seq, exc.reason)
                raise BackendUnavailable(f"verifier set-up: {exc.reason}") from exc
            log.warning("result seq=%d refused by the verifier: %s", entry.seq, exc.reason)
            self.outbox.mark_rejected(entry.seq, exc.reason, {"error": exc.reason})
            return True
        except BackendUnavailable as exc:
            self.outbox.record_failure(entry.seq, str(exc))
            raise
        if answer.get("transaction_id") != entry.result.transaction_id or "validity" not in answer:
            self.outbox.record_failure(entry.seq, "answer does not belong to this result")
            raise BackendUnavailable("the answer does not belong to this result")  # sent again; idempotent
        self.outbox.mark_delivered(entry.seq, answer)
        return True

    def run(self, until_empty: bool = False) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                delivered = self.deliver_one()
            except Exception as exc:  # the loop must outlive anything (disk full, a damaged answer, …)
                if not isinstance(exc, BackendUnavailable):
                    log.exception("delivery failed unexpectedly; retrying")
                self._reachable, self._last_error = False, str(exc) or type(exc).__name__
                failures += 1
                delay = min(self.backoff_max, self.backoff_base * 2 ** min(failures, 16))
                self._sleep(delay * random.uniform(0.5, 1.0))
                continue
            failures = 0
            self._reachable, self._last_error = True, None
            if not delivered:
                if until_empty:
                    return
                self._sleep(self.idle_poll)

    def wait_for(self, transaction_id: str, timeout: float) -> VerifierAnswer | None:
        """The backend's answer to one result if it arrives within `timeout`, else None (it stays queued)."""
        deadline = time.monotonic() + timeout
        while True:
            state, answer = self.outbox.answer_for(transaction_id)
            if state == "delivered" and answer is not None:
                return VerifierAnswer.from_json(answer)
            if state == "rejected":
                raise BackendRejected(str((answer or {}).get("error", "rejected")))
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            time.sleep(min(0.05, left))

    def _interruptible_sleep(self, seconds: float) -> bool:
        woken = self._wake.wait(seconds)
        self._wake.clear()
        return woken


class DeliveryThread:
    """Runs `Delivery` in a daemon thread inside the kiosk process."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery
        self._thread = threading.Thread(target=self._run, name="outbox-delivery", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.delivery.stop()
        self._thread.join(timeout)

    def _run(self) -> None:
        with single_deliverer(self.delivery.outbox.path):
            self.delivery.run()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="deliver a kiosk outbox to the verifier")
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--until-empty", action="store_true", help="exit once nothing is pending")
    parser.add_argument("--connect-timeout", type=float, default=2.0)
    parser.add_argument("--read-timeout", type=float, default=5.0)
    parser.add_argument("--retries", type=int, default=3)
    parser.add_argument("--backoff", type=float, default=0.2)
    args = parser.parse_args(argv)
    config = BackendConfig(
        args.url, connect_timeout=args.connect_timeout, read_timeout=args.read_timeout, retries=args.retries,
        backoff=args.backoff, backoff_max=max(args.backoff, 1.0), jitter=args.backoff,
    )
    outbox = Outbox(args.outbox)
    backend = RequestsBackend(config)
    try:
        with single_deliverer(args.outbox):
            Delivery(outbox, backend, backoff_base=args.backoff, backoff_max=2.0).run(until_empty=args.until_empty)
    finally:
        backend.close()
        outbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
