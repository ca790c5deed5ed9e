"""The delivery fault run: the real kiosk delivery (drivers/backend, in its own process that is SIGKILLed)
against the real verifier process on loopback, through a proxy that can poison one result with 5xx and be
slower than the submit deadline, with the kiosk's outbox on a small tmpfs.

Phases: an outage of 8 days (the verifier stopped, then started again with its clock 8 days on, set with
libfaketime from outside — nothing patched), a PIN result whose live challenge is 8 days old by then (the
verifier takes it late, flagged delayed) and a revoked card (refused for good: quarantined, never destroyed),
kill -9 mid-write and mid-post,
one result answered 5xx while the others go on, a backend slower than the submit deadline, a full disk.

Afterwards: 0 lost, 0 duplicated, 0 told "failed" but stored, each card's results in their order.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drivers.backend.client import BackendClient
from drivers.backend.http import BackendConfig
from drivers.backend.outbox import Outbox, SignedResult
from drivers.backend.signing import DeviceKey
from kiosk.errors import OutboxError
from kiosk.reception import PinEvidence
from kiosk.result import build_result
from testbench.virtualcard.pki import TestPki
from tests.integration.fault_kiosk import face_facts
from tests.integration.loopback_proxy import LoopbackProxy
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Cards,
    cards_fixture,
    jpki_fixture,
    qualification,
)
from tests.integration.test_outbox_faults import CANNED, _reset

REPO = Path(__file__).resolve().parents[2]
FAKETIME_LIB = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")  # Debian package faketime
KIOSK_ID = "kiosk-fault"
OUTAGE = timedelta(days=8)  # longer than any lifetime: challenge 120 s, consent window 24 h, 7-day target


class SwitchProxy(LoopbackProxy):
    """HTTP/1.1 proxy on loopback whose behaviour the test switches: pass, 5xx for one poisoned idempotency
    key, or answer only after `slow_s` (the verifier has stored it by then)."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__()
        self.upstream_port = upstream_port
        self.poisoned: str | None = None
        self.slow_s = 0.0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length, key = 0, ""
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
                elif name.lower() == b"idempotency-key":
                    key = value.strip().decode()
            body = await reader.readexactly(length)
            if self.poisoned and key == self.poisoned:
                self.counts["poison_500"] += 1
                writer.write(CANNED % 500)
                return
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            except OSError:
                self.counts["verifier_down"] += 1
                _reset(writer)
                return
            up_writer.write(head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1) + body)
            await up_writer.drain()
            response = await up_reader.read()
            up_writer.close()
            if self.slow_s:
                self.counts["slow"] += 1
                await asyncio.sleep(self.slow_s)
            else:
                self.counts["pass"] += 1
            writer.write(response)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class VerifierProcess:
    """`python -m verifier.server` on a fixed loopback port over a pre-seeded SQLite database."""

    def __init__(self, db: Path, pki_dir: Path, port: int, log: Path) -> None:
        self.command = [sys.executable, "-m", "verifier.server", "--db", f"sqlite:///{db}", "--pki", str(pki_dir),
                        "--port", str(port)]
        self.port, self.log = port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(self.command, cwd=REPO, stdout=open(self.log, "ab"),
                                        stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("verifier process did not start: " + self.log.read_text()[-2000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)  # the verifier keeps nothing in memory that matters
            self.process.wait()
            self.process = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(name="small_disk")
def small_disk_fixture(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "kiosk-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_fault_run_loses_nothing_duplicates_nothing_and_never_lies(
    tmp_path: Path, test_pki: TestPki, cards: Cards, small_disk: Path
) -> None:
    assert FAKETIME_LIB.exists(), "Debian package faketime is needed (Makefile APT_PACKAGES)"
    rng = random.Random(20261202)
    started = time.monotonic()
    # --- the verifier's database: seeded and the kiosk enrolled, then served by its own process -----------
    from verifier.server import build_verifier, trust_from_pki_dir

    db = tmp_path / "verifier.db"
    key_path = small_disk / "device_key.pem"
    key = DeviceKey.load_or_create(key_path)
    seed = build_verifier(f"sqlite:///{db}", trust_from_pki_dir(test_pki.directory), None, "utf-8")
    seed.enroll(KIOSK_ID, key.public_pem())
    for card in (cards.ordinary, cards.old_generation, cards.grace):
        seed.store.put_qualification(card.identifier, True, qualification(card.identifier))
    seed.store.put_qualification(cards.unregistered.identifier, False, qualification(cards.unregistered.identifier))
    seed.store.engine.dispose()
    verifier = VerifierProcess(db, test_pki.directory, free_port(), tmp_path / "verifier.log")
    proxy = SwitchProxy(verifier.port)
    url = proxy.start()

    outbox_path = small_disk / "outbox.sqlite3"
    log_path = tmp_path / "kiosk.log"
    card_files = {}
    for name, group in {"good": [cards.ordinary, cards.old_generation, cards.unregistered, cards.grace],
                        "revoked": [cards.revoked]}.items():
        card_files[name] = tmp_path / f"cards-{name}.json"
        card_files[name].write_text(json.dumps([base64.b64encode(c.cert_der).decode() for c in group]))

    def kiosk(cards_file: str, count: int, *, drain: bool = False,
              staff_retry: bool = False, answer_wait: float = 0.3) -> list[str]:
        command = [sys.executable, "-m", "tests.integration.fault_kiosk", "--outbox", str(outbox_path),
                   "--key", str(key_path), "--url", url, "--kiosk-id", KIOSK_ID, "--cards", str(card_files[cards_file]),
                   "--log", str(log_path), "--count", str(count), "--answer-wait", str(answer_wait)]
        command += ["--drain"] * drain + ["--staff-retry"] * staff_retry
        return command

    def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> None:
        subprocess.run(command, cwd=REPO, env={**os.environ, **(env or {})}, check=True, timeout=timeout)

    kills = Counter[str]()

    def run_with_kills(command: list[str], env: dict[str, str] | None, what: str, rounds: int) -> None:
        """Start the kiosk, SIGKILL it after a random moment, `rounds` times; the last run is left to finish."""
        for _ in range(rounds):
            process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **(env or {})})
            try:
                process.wait(timeout=rng.uniform(1.2, 2.5))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills[what] += 1

    try:
        # --- a PIN reception with a live challenge, then the verifier goes away for 8 days ------------------
        verifier.start()
        inproc = BackendClient(BackendConfig(url, retries=0), outbox_path, key_path, KIOSK_ID)  # not started
        from kiosk.consent import load_catalogue
        from kiosk.runtime import Runtime
        from kiosk.runtime_jobs import Devices
        from kiosk.staff import StaffGate

        runtime = Runtime(Devices(None, None, None, None), load_catalogue(), lambda e: None,  # type: ignore[arg-type]
                          None, None, StaffGate(""))  # type: ignore[arg-type]
        challenge = inproc.fetch_challenge(3.0, cards.ordinary.identifier)
        from dataclasses import replace

        signature = cards.ordinary.sign(challenge.value)
        pin_facts = replace(face_facts(runtime, cards.ordinary.cert_der), face=None,
                            pin=PinEvidence(challenge.challenge_id, challenge.value, signature))
        from kiosk.reception import Method

        pin_facts = replace(pin_facts, method=Method.PIN)
        pin_result = build_result(pin_facts, KIOSK_ID, "fault-run")
        inproc.record(pin_result)
        with open(log_path, "a") as log:
            log.write(f"attempt {pin_result.transaction_id} pin\nsaved {pin_result.transaction_id} 1 0\n")
        verifier.stop()

        run_with_kills(kiosk("good", 12), None, "outage_write", rounds=3)
        run(kiosk("good", 8))
        run(kiosk("revoked", 1))  # refused for good once it is heard
        assert Outbox(outbox_path).status().delivered == 0  # nothing could go anywhere meanwhile

        # --- the verifier is back 8 days later: its clock moved on by OUTAGE (libfaketime, from outside;
        # monotonic shifts too — FAKETIME_DONT_FAKE_MONOTONIC makes CPython's sleep fail with EINVAL).
        # One result is poisoned with 5xx; the kiosk is killed mid-post. ------------------------------------
        verifier.start({"LD_PRELOAD": str(FAKETIME_LIB), "FAKETIME": f"+{OUTAGE.days}d"})
        oldest = sqlite3.connect(outbox_path).execute(
            "SELECT transaction_id FROM results WHERE order_key IS NOT NULL ORDER BY seq LIMIT 1").fetchone()[0]
        proxy.poisoned = oldest
        run_with_kills(kiosk("good", 10), None, "post", rounds=6)
        run(kiosk("good", 6, drain=False))
        # every other card went on meanwhile: plenty accepted while the poisoned one still waits
        mid = sqlite3.connect(outbox_path).execute(
            "SELECT state, COUNT(*) FROM results GROUP BY state").fetchall()
        assert dict(mid).get("delivered", 0) >= 10, mid
        assert sqlite3.connect(outbox_path).execute(
            "SELECT state FROM results WHERE transaction_id = ?", (oldest,)).fetchone()[0] == "pending"
        proxy.poisoned = None

        # --- a backend slower than the submit deadline: "saved", quickly, and stored once -------------------
        proxy.slow_s = 2.0
        run(kiosk("good", 4, answer_wait=0.5))
        proxy.slow_s = 0.0

        # --- a full disk: out of service before it is full, never a half-written result ---------------------
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        filler = small_disk / "filler"
        with open(filler, "wb") as out:
            out.write(b"\0" * max(0, free - 200 * 1024))  # leaves less than the kiosk's reserve (256 KiB)
        run(kiosk("good", 3))
        assert log_path.read_text().rstrip().endswith("out_of_service")
        # a write that still meets a full disk: refused whole
        tight = Outbox(outbox_path, reserve_bytes=0)
        failed_writes = 0
        fd = os.open(filler, os.O_WRONLY | os.O_APPEND)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass  # ENOSPC: the disk is full now
        finally:
            os.close(fd)
        for n in range(3):
            probe = SignedResult(f"00000000-0000-4000-8000-{n:012d}", KIOSK_ID, key.key_id, "sig", b"x" * 1_000_000)
            try:
                tight.enqueue(probe)
            except OutboxError:
                failed_writes += 1
                assert tight.answer_for(probe.transaction_id)[0] == "unknown"  # nothing half-written
        tight.close()
        filler.unlink()
        integrity = sqlite3.connect(outbox_path).execute("PRAGMA integrity_check").fetchone()[0]
        assert failed_writes >= 1 and integrity == "ok"
        with sqlite3.connect(outbox_path) as cleanup:  # the probes are not receptions: take them out again
            cleanup.execute("DELETE FROM results WHERE transaction_id LIKE '00000000-0000-4000-8000-%'")

        # --- everything drains; staff re-send the quarantine (still refused: still held) --------------------
        run(kiosk("good", 0, drain=True, staff_retry=True), timeout=90)
    finally:
        verifier.stop()
        proxy.stop()

    # --- the figures -------------------------------------------------------------------------------------
    lines = log_path.read_text().split("\n")
    attempted = {m[1]: m[2] for m in (re.match(r"attempt (\S+) (\S+)", x) for x in lines) if m}
    saved = {m[1]: (int(m[2]), float(m[3])) for m in (re.match(r"saved (\S+) (\d) (\S+)", x) for x in lines) if m}
    told_failed = {m[1] for m in (re.match(r"failed (\S+)", x) for x in lines) if m}
    outbox_rows = sqlite3.connect(outbox_path).execute(
        "SELECT transaction_id, state, refusal_code, enqueued_at, done_at FROM results ORDER BY seq").fetchall()
    recorded = [row[0] for row in outbox_rows]
    quarantined = {tx: code for tx, state, code, _, _ in outbox_rows if state == "quarantined"}
    # stored at the kiosk (its clock) → accepted by the verifier (its clock, in its answer)
    answers = dict(sqlite3.connect(outbox_path).execute(
        "SELECT transaction_id, answer FROM results WHERE state = 'delivered'").fetchall())
    outage = max((datetime.fromisoformat(json.loads(answers[tx])["received_at"]) - datetime.fromtimestamp(stored, UTC)
                  for tx, state, _, stored, _ in outbox_rows if state == "delivered"), default=timedelta(0))
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT transaction_id, answer FROM receptions ORDER BY id")).fetchall()
    engine.dispose()
    accepted = [tx for tx, _ in rows]
    lost = [tx for tx in saved if tx not in accepted and tx not in quarantined]
    duplicated = len(accepted) - len(set(accepted))
    failed_but_stored = told_failed & (set(recorded) | set(accepted))
    # each card's results reach the verifier in the order the kiosk stored them
    position = {tx: i for i, tx in enumerate(accepted)}
    reordered = 0
    for card_no in set(attempted.values()):
        mine = [tx for tx in recorded if attempted.get(tx) == card_no and tx in position]
        reordered += sum(1 for a, b in itertools.pairwise(mine) if position[a] > position[b])
    slow_submits = [s for tx, (q, s) in saved.items() if q]
    print(f"\ndelivery fault run: attempted {len(attempted)}, recorded {len(recorded)} (told saved {len(saved)};"
          f" the rest killed mid-write), accepted {len(set(accepted))}, "
          f"quarantined {len(quarantined)} {sorted(set(quarantined.values()))}, lost {len(lost)}, "
          f"duplicated {duplicated}, told failed but stored {len(failed_but_stored)}, reordered {reordered}; "
          f"SIGKILLs {dict(kills)}, proxy {dict(proxy.counts)}, full-disk writes refused whole {failed_writes}, "
          f"longest outage survived {outage.days} d {outage.seconds // 3600} h, longest 'saved' wait "
          f"{max(s for _, s in saved.values()):.2f} s (submit deadline 15 s), {time.monotonic() - started:.0f} s")
    assert sum(kills.values()) >= 3
    assert proxy.counts["poison_500"] >= 2 and proxy.counts["slow"] >= 1 and proxy.counts["verifier_down"] >= 1
    assert not lost and duplicated == 0 and not failed_but_stored and reordered == 0
    assert set(quarantined.values()) == {"certificate_revoked"}
    assert pin_result.transaction_id in accepted  # 8 days late, and still accepted (flagged delayed)
    assert set(recorded) == set(accepted) | set(quarantined)
    assert outage >= timedelta(days=7)
    assert slow_submits and max(slow_submits) < 15.0
