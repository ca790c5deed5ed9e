"""A kiosk process for the delivery fault run: the real drivers/backend stack (BackendClient with its delivery
thread, VerifierReceptionBackend) fed with facts built by the real runtime (`Runtime.build_facts`), so that
the test can SIGKILL it mid-write and mid-post and restart it. It logs, fsync'd, what a patient would have
been told: `attempt <id> <card>` before the write, then `saved <id> <queued> <seconds>` or `failed <id>`.

    python -m tests.integration.fault_kiosk --outbox P --key P --url U --kiosk-id K --cards F --log F [--count N]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509

from drivers.backend.client import BackendClient
from drivers.backend.delivery import RetryPolicy
from drivers.backend.http import BackendConfig
from drivers.backend.reception_backend import VerifierReceptionBackend
from kiosk.config import COMPREHENSIVE_CONSENT_ITEMS
from kiosk.consent import load_catalogue
from kiosk.domain import CertificateInfo
from kiosk.errors import OutboxError
from kiosk.face import Verdict
from kiosk.flow_effects import SubmitPlan
from kiosk.reception import Method
from kiosk.result import ResultFacts, new_result_id
from kiosk.runtime import Runtime
from kiosk.runtime_jobs import Devices
from kiosk.staff import StaffGate
from testbench.demo.fakes import FakeCard, fake_face_decision

CONSENTS = (("comprehensive", "consent_all"), ("limit_info", "ok"), ("public_expense", "decline"),
            ("prescription_form", "electronic"))


def certificate_info(der: bytes) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(der)
    return CertificateInfo(der, cert.subject.rfc4514_string(), cert.serial_number, cert.issuer.rfc4514_string(),
                           cert.not_valid_before_utc, cert.not_valid_after_utc)


def face_facts(runtime: Runtime, cert_der: bytes) -> ResultFacts:
    """A face reception exactly as the runtime hands it over (vault filled as its jobs would fill it)."""
    from dataclasses import replace

    now = datetime.now(UTC)
    v = runtime.vault
    v.clear()
    v.summary = replace(FakeCard(delay_s=0).read_summary(), auth_certificate=certificate_info(cert_der))
    v.result_id, v.started_at = new_result_id(), now - timedelta(seconds=35)
    v.timings_ms = {"card_read": 1700, "card_face_scan": 2100, "chip_photo": 900, "face": 2600}
    v.last_step_end = now - timedelta(seconds=8)
    decision = fake_face_decision(Verdict.ACCEPT)
    plan = SubmitPlan(Method.FACE, decision, CONSENTS, COMPREHENSIVE_CONSENT_ITEMS, "ja", False, False)
    return runtime.build_facts(plan)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--outbox", type=Path, required=True)
    p.add_argument("--key", type=Path, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--cards", type=Path, required=True)
    p.add_argument("--log", type=Path, required=True)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--answer-wait", type=float, default=0.3)
    p.add_argument("--reserve-bytes", type=int, default=256 * 1024)
    p.add_argument("--drain", action="store_true", help="after writing, deliver until nothing is pending")
    p.add_argument("--staff-retry", action="store_true", help="staff ask to re-send the quarantine first")
    args = p.parse_args(argv)

    cards = [base64.b64decode(c) for c in json.loads(args.cards.read_text())]
    policy = RetryPolicy(backoff_base_s=0.05, backoff_max_s=0.5, quarantine_retry_s=3600, idle_poll_s=0.05)
    client = BackendClient(BackendConfig(args.url, connect_timeout=0.3, read_timeout=1.0, retries=0),
                           args.outbox, args.key, args.kiosk_id, policy=policy, reserve_bytes=args.reserve_bytes)
    backend = VerifierReceptionBackend(client, answer_wait_s=args.answer_wait, submit_deadline_s=15.0)
    runtime = Runtime(Devices(None, None, None, backend), load_catalogue(), lambda e: None,  # type: ignore[arg-type]
                      None, None, StaffGate(""))  # type: ignore[arg-type]
    client.start()
    log = open(args.log, "a", encoding="utf-8")

    def say(line: str) -> None:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())

    if args.staff_retry:
        client.retry_quarantined()
    for i in range(args.count):
        if not client.outbox.can_accept():
            say("out_of_service")  # the kiosk stops taking receptions before the disk is full
            break
        card = i % len(cards)
        facts = face_facts(runtime, cards[card])
        say(f"attempt {facts.result_id} {card}")
        started = time.monotonic()
        try:
            receipt = backend.submit(facts)
        except OutboxError:
            say(f"failed {facts.result_id}")
            continue
        say(f"saved {facts.result_id} {int(receipt.queued)} {time.monotonic() - started:.3f}")
    if args.drain:
        while client.status().outbox.pending:
            time.sleep(0.05)
        say("drained")
    client.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
