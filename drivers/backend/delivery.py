"""Background delivery of the outbox: each result on its own retry clock, surviving restarts.

`Delivery.run()` is the loop; `DeliveryThread` runs it inside the kiosk and `main()` runs it as a process
(`python -m drivers.backend.delivery --outbox PATH --url URL`), which is how the fault test kills it with
SIGKILL at random moments. Only one deliverer per outbox runs at a time (a file lock the kernel frees on
kill).

- No verdict (network down, timeout, 5xx, an answer for another result): the result is tried again after
  its own backoff (exponential, jittered, capped); the others go on meanwhile.
- A refusal (the verifier's own error code, any 4xx): the result is quarantined — kept whole, shown to staff
  with the code, re-sent every `quarantine_retry_s` (or at once via `retry_quarantined()`), so it arrives
  once the cause is fixed (a root installed, the kiosk re-enrolled, a late proof accepted).
Nothing is ever dropped.
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
from typing import Any, Protocol

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.outbox import Outbox, OutboxStatus, SignedResult, single_deliverer
from kiosk.errors import BackendRejected, BackendUnavailable
from kiosk.reception import VerifierAnswer

log = logging.getLogger(__name__)
OTHER_DELIVERER_S = 0.5  # how soon wait_for sees a verdict stored by another process (no notification)


class RawSubmitter(Protocol):
    def submit_raw(self, result: SignedResult) -> dict[str, Any]: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Seconds. A result without a verdict waits base·2^attempts (capped, ×U(0.5,1) jitter)."""

    backoff_base_s: float = 1.0
    backoff_max_s: float = 300.0
    quarantine_retry_s: float = 3600.0  # a refused result is offered again this often
    idle_poll_s: float = 0.5  # longest sleep between looks at the outbox
    keep_delivered_s: float = 30 * 86400.0  # a delivered result's id and answer stay this long (staff look-ups)

    def backoff(self, attempts: int) -> float:
        return min(self.backoff_max_s, self.backoff_base_s * 2 ** min(attempts, 20)) * random.uniform(0.5, 1.0)


@dataclass(frozen=True)
class DeliveryStatus:
    outbox: OutboxStatus
    backend_reachable: bool
    last_error: str | None

    @property
    def healthy(self) -> bool:
        o = self.outbox
        return self.backend_reachable and o.pending == 0 and o.quarantined == 0 and o.accepting

    @property
    def staff_message(self) -> str:
        """One line for the staff status bar (Japanese first). Never 正常 while anything is held back."""
        o = self.outbox
        if self.healthy:
            return "確認サービス: 正常 / verification service: OK"
        parts = []
        if not o.accepting:
            parts.append("ディスク残量不足のため受付停止中 / out of service: disk almost full")
        if o.quarantined:
            codes = ", ".join(o.refusal_codes)
            parts.append(f"確認サービスが拒否した結果 {o.quarantined} 件を保留中（{codes}）— 職員の確認が必要です / "
                         f"{o.quarantined} result(s) refused and held ({codes}) — staff action needed")
        if o.pending:
            parts.append(f"確認サービスに未送信 {o.pending} 件（自動で再送します）/ "
                         f"{o.pending} result(s) waiting, retrying automatically")
        if not self.backend_reachable:
            parts.append("確認サービスに接続できません。資格確認は職員が行ってください / "
                         "verification service unreachable: staff must confirm eligibility"
                         + (f" — {self.last_error}" if self.last_error else ""))
        return " / ".join(parts)


class Delivery:
    def __init__(
        self,
        outbox: Outbox,
        backend: RawSubmitter,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self.outbox = outbox
        self.backend = backend
        self.policy = policy or RetryPolicy()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Notified whenever a result gets its verdict (delivered or quarantined), so `wait_for` returns the
        # moment the answer is stored instead of on its next poll; `_settled_count` makes a notification
        # that lands between the look at the outbox and the wait impossible to miss.
        self._settled = threading.Condition()
        self._settled_count = 0
        self._sleep = sleep or self._interruptible_sleep
        self._reachable = True
        self._last_error: str | None = None
        # Failures of *different* results in a row mean the service (or the network) is away, not one
        # result: the whole loop then backs off too, instead of sweeping every due result at full speed.
        self._outage_failures = 0
        self._last_failed_seq: int | None = None

    def wake(self) -> None:
        """Called after an enqueue so the new result goes out without waiting for the poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def retry_quarantined(self, transaction_id: str | None = None) -> int:
        """Staff request: re-send the quarantined result(s) now."""
        released = self.outbox.release_quarantine(transaction_id)
        self.wake()
        return released

    def status(self) -> DeliveryStatus:
        return DeliveryStatus(self.outbox.status(), self._reachable, self._last_error)

    def deliver_one(self) -> bool:
        """Try the next due result. False when nothing is due."""
        entry = self.outbox.next_due()
        if entry is None:
            return False
        try:
            answer = self.backend.submit_raw(entry.result)
        except BackendRejected as exc:
            self._reachable, self._last_error = True, None  # it answered: the service is there
            self._outage_failures, self._last_failed_seq = 0, None
            log.warning("result seq=%d refused by the verifier (%s): quarantined", entry.seq, exc.reason)
            self.outbox.quarantine(entry.seq, exc.reason, self.policy.quarantine_retry_s)
            self._notify_settled()
            return True
        except BackendUnavailable as exc:
            self._note_unavailable(str(exc))
            retry = self.policy.quarantine_retry_s if entry.quarantined else self.policy.backoff(entry.attempts)
            self.outbox.record_failure(entry.seq, str(exc), retry)
            if self._last_failed_seq is not None and self._last_failed_seq != entry.seq:
                self._outage_failures += 1
                self._sleep(self.policy.backoff(self._outage_failures))
            self._last_failed_seq = entry.seq
            return True
        if answer.get("transaction_id") != entry.result.transaction_id or "validity" not in answer:
            self.outbox.record_failure(entry.seq, "answer does not belong to this result",
                                       self.policy.backoff(entry.attempts))  # sent again; idempotent
            return True
        self._reachable, self._last_error = True, None
        self._outage_failures, self._last_failed_seq = 0, None
        self.outbox.mark_delivered(entry.seq, answer)
        self._notify_settled()
        return True

    def _notify_settled(self) -> None:
        with self._settled:
            self._settled_count += 1
            self._settled.notify_all()

    def _note_unavailable(self, error: str) -> None:
        self._reachable, self._last_error = False, error or "unavailable"

    def run(self, until_empty: bool = False) -> None:
        """Deliver until stopped (or, with `until_empty`, until nothing is pending; quarantine may remain)."""
        failures = 0
        next_purge = 0.0
        while not self._stop.is_set():
            try:
                progressed = self.deliver_one()
                failures = 0
            except Exception as exc:  # the loop must outlive anything (disk full, a damaged row, …)
                log.exception("delivery failed unexpectedly; retrying")
                self._note_unavailable(type(exc).__name__)
                failures += 1
                self._sleep(min(self.policy.backoff_max_s, 0.1 * 2 ** min(failures, 10)))
                continue
            if progressed:
                continue
            if until_empty and self.outbox.status().pending == 0:
                return
            if time.monotonic() >= next_purge:  # idle: a good moment to keep the file small
                self.outbox.purge_delivered(self.policy.keep_delivered_s)
                next_purge = time.monotonic() + 3600
            wait = self.outbox.next_attempt_in()
            self._sleep(self.policy.idle_poll_s if wait is None else min(wait, self.policy.idle_poll_s))

    def wait_for(self, transaction_id: str, timeout: float) -> VerifierAnswer | None:
        """The verifier's answer to one result if it arrives within `timeout`, else None (it stays queued).

        Woken by this process's delivery as soon as a verdict is stored; another process delivering the
        same outbox (`python -m drivers.backend.delivery`) is seen within OTHER_DELIVERER_S.
        A quarantined result gives None too (unless re-sent and accepted meanwhile): it is stored and held."""
        deadline = time.monotonic() + timeout
        while True:
            with self._settled:
                seen = self._settled_count
            state, answer = self.outbox.answer_for(transaction_id)
            if state == "delivered" and answer is not None:
                return VerifierAnswer.from_json(answer)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            with self._settled:
                if self._settled_count == seen:
                    self._settled.wait(min(OTHER_DELIVERER_S, left))

    def _interruptible_sleep(self, seconds: float) -> bool:
        woken = self._wake.wait(max(0.0, seconds))
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
    parser.add_argument("--backoff", type=float, default=0.2, help="first per-result backoff, seconds")
    parser.add_argument("--backoff-max", type=float, default=300.0)
    parser.add_argument("--quarantine-retry", type=float, default=3600.0,
                        help="seconds between re-sends of a refused result")
    parser.add_argument("--idle-poll", type=float, default=0.5)
    staff = parser.add_argument_group("staff actions (run once, then exit)")
    staff.add_argument("--status", action="store_true", help="print the staff line and the quarantine")
    staff.add_argument("--retry-quarantine", action="store_true", help="re-send every quarantined result now")
    staff.add_argument("--export-quarantine", type=Path, metavar="FILE",
                       help="write the quarantined results (signed bodies) as JSON lines for the verifier's operator")
    args = parser.parse_args(argv)
    if args.status or args.export_quarantine:
        return _staff_report(args.outbox, args.export_quarantine)
    config = BackendConfig(
        args.url, connect_timeout=args.connect_timeout, read_timeout=args.read_timeout, retries=args.retries,
        backoff=args.backoff, backoff_max=max(args.backoff, 1.0), jitter=args.backoff,
    )
    outbox = Outbox(args.outbox)
    if args.retry_quarantine:
        outbox.release_quarantine()  # the deliverer below (or the kiosk's own) sends them at once
    backend = RequestsBackend(config)
    policy = RetryPolicy(args.backoff, args.backoff_max, args.quarantine_retry, args.idle_poll)
    try:
        with single_deliverer(args.outbox):
            Delivery(outbox, backend, policy).run(until_empty=args.until_empty)
    finally:
        backend.close()
        outbox.close()
    return 0


def _staff_report(outbox_path: Path, export: Path | None) -> int:
    outbox = Outbox(outbox_path)
    try:
        status = DeliveryStatus(outbox.status(), True, None)
        print(status.staff_message)
        for held in outbox.quarantined():
            print(f"  {held.transaction_id}  {held.refusal_code}  since {held.quarantined_at:%Y-%m-%d %H:%M} UTC"
                  f"  ({held.attempts} tries)")
        if export is not None:
            print(f"exported {outbox.export_quarantine(export)} result(s) to {export}")
    finally:
        outbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
