"""The durable outbox on its own: order, idempotent enqueue, wiping delivered bodies, survival across reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from drivers.backend.outbox import Outbox, SignedResult
from kiosk.errors import ConfigError


def signed(n: int) -> SignedResult:
    return SignedResult(f"00000000-0000-4000-8000-{n:012d}", "kiosk-1", "k" * 64, "sig", b'{"n":%d}' % n)


def test_entries_come_out_in_order_and_only_once(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    seqs = [outbox.enqueue(signed(n)) for n in range(5)]
    assert seqs == sorted(seqs)
    assert outbox.enqueue(signed(2)) == seqs[2]  # the same transaction again is a no-op
    delivered = []
    while (entry := outbox.next_due()) is not None:
        delivered.append(entry.result.transaction_id)
        outbox.mark_delivered(entry.seq, {"reception_id": entry.seq})
    assert delivered == [signed(n).transaction_id for n in range(5)]
    status = outbox.status()
    assert (status.pending, status.delivered, status.quarantined) == (0, 5, 0)


def test_failures_are_counted_and_the_head_stays_first(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    for n in range(3):
        outbox.enqueue(signed(n))
    head = outbox.next_due()
    assert head is not None
    outbox.record_failure(head.seq, "HTTP 503", 0.0)
    again = outbox.next_due()
    assert again is not None and again.seq == head.seq and again.attempts == 1
    assert outbox.status().last_error == "HTTP 503"


def test_delivered_bodies_are_wiped_and_quarantined_ones_kept_whole(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    first, second = outbox.enqueue(signed(1)), outbox.enqueue(signed(2))
    outbox.mark_delivered(first, {"validity": "1"})
    outbox.quarantine(second, "challenge_expired", retry_in_s=3600)
    bodies = sqlite3.connect(path).execute("SELECT body FROM results ORDER BY seq").fetchall()
    assert bodies == [(None,), (signed(2).body,)]  # a refusal never destroys a result
    assert outbox.answer_for(signed(1).transaction_id) == ("delivered", {"validity": "1"})
    assert outbox.answer_for(signed(2).transaction_id) == ("quarantined", {"error": "challenge_expired"})
    status = outbox.status()
    assert (status.quarantined, status.refusal_codes) == (1, ("challenge_expired",))
    assert outbox.next_due() is None  # not before its slow cadence …
    assert outbox.release_quarantine() == 1  # … or a staff request
    entry = outbox.next_due()
    assert entry is not None and entry.quarantined and entry.result == signed(2)
    exported = tmp_path / "quarantine.jsonl"
    assert outbox.export_quarantine(exported) == 1
    assert '"refusal_code": "challenge_expired"' in exported.read_text()
    assert exported.stat().st_mode & 0o777 == 0o600
    assert outbox.answer_for("nope") == ("unknown", None)


def test_pending_entries_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    outbox.enqueue(signed(7))
    outbox.close()
    reopened = Outbox(path)
    entry = reopened.next_due()
    assert entry is not None and entry.result == signed(7)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_damaged_outbox_file_is_a_clear_config_error(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError):
        Outbox(path)


class ScriptedBackend:
    """An in-process stand-in for RequestsBackend.submit_raw: answers (or raises) from a script."""

    def __init__(self, script: list[object]) -> None:
        self.script = script
        self.sent: list[str] = []

    def submit_raw(self, result: SignedResult) -> dict[str, object]:
        self.sent.append(result.transaction_id)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        assert isinstance(step, dict)
        return {"transaction_id": result.transaction_id, "validity": "1", **step}


def test_one_poisoned_result_never_delays_the_others_and_refusals_are_quarantined(tmp_path: Path) -> None:
    from drivers.backend.delivery import Delivery, RetryPolicy
    from kiosk.errors import BackendRejected, BackendUnavailable

    clock = [1_000_000.0]
    outbox = Outbox(tmp_path / "outbox.db", clock=lambda: clock[0])
    for n in range(4):
        outbox.enqueue(signed(n))
    ids = [signed(n).transaction_id for n in range(4)]
    poison = BackendUnavailable("HTTP 500")
    backend = ScriptedBackend([
        poison,  # 0: no verdict, waits for its own retry time
        {"transaction_id": "someone-else"},  # 1: an answer for another result is not a delivery
        BackendRejected("kiosk_unknown"),  # 2: refused: quarantined, never dropped
        {},  # 3 delivered, not held behind 0
    ])
    policy = RetryPolicy(backoff_base_s=10, backoff_max_s=60, quarantine_retry_s=3600, idle_poll_s=0.001)
    delivery = Delivery(outbox, backend, policy)  # type: ignore[arg-type]
    while delivery.deliver_one():
        pass
    assert backend.sent == ids
    assert [outbox.answer_for(t)[0] for t in ids] == ["pending", "pending", "quarantined", "delivered"]
    assert "正常" not in delivery.status().staff_message and "kiosk_unknown" in delivery.status().staff_message

    clock[0] += 61  # past every backoff, before the quarantine cadence
    backend.script = [poison, {}]
    while delivery.deliver_one():
        pass
    assert backend.sent[4:] == [ids[0], ids[1]]
    clock[0] += 3600
    backend.script = [{}, {}]  # the cause is fixed: the quarantined one arrives by itself
    while delivery.deliver_one():
        pass
    assert [outbox.answer_for(t)[0] for t in ids] == ["delivered"] * 4
    status = delivery.status()
    assert status.outbox.quarantined == 0 and status.staff_message.startswith("確認サービス: 正常")


def test_results_of_one_card_keep_their_order(tmp_path: Path) -> None:
    from dataclasses import replace

    outbox = Outbox(tmp_path / "outbox.db")
    a1, b1, a2 = (replace(signed(1), order_key="card-a"), replace(signed(2), order_key="card-b"),
                  replace(signed(3), order_key="card-a"))
    for r in (a1, b1, a2):
        outbox.enqueue(r)
    head = outbox.next_due()
    assert head is not None and head.result == a1
    outbox.record_failure(head.seq, "HTTP 503", retry_in_s=60)
    nxt = outbox.next_due()
    assert nxt is not None and nxt.result == b1  # another card goes on
    outbox.mark_delivered(nxt.seq, {"validity": "1"})
    assert outbox.next_due() is None  # card-a's second waits behind its first


def test_proof_counter_is_monotonic_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    assert [outbox.next_proof_counter() for _ in range(3)] == [1, 2, 3]
    outbox.close()
    assert Outbox(path).next_proof_counter() == 4


def test_no_room_is_said_before_the_disk_is_full(tmp_path: Path) -> None:
    roomy = Outbox(tmp_path / "a.db", reserve_bytes=1)
    assert roomy.can_accept() and roomy.status().accepting
    full = Outbox(tmp_path / "b.db", reserve_bytes=2**62)
    assert not full.can_accept() and not full.status().accepting
    from drivers.backend.delivery import DeliveryStatus

    assert "受付停止中" in DeliveryStatus(full.status(), True, None).staff_message


def test_a_v1_outbox_keeps_its_pending_results(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    db = sqlite3.connect(path)
    db.executescript("""CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT NOT NULL UNIQUE,
        kiosk_id TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, body BLOB, enqueued_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, answer TEXT,
        done_at TEXT);""")
    db.execute("INSERT INTO outbox (transaction_id, kiosk_id, key_id, signature, body, enqueued_at)"
               " VALUES (?, 'kiosk-1', ?, 'sig', ?, 'x')", (signed(5).transaction_id, "k" * 64, signed(5).body))
    db.commit()
    db.close()
    entry = Outbox(path).next_due()
    assert entry is not None and entry.result == signed(5)


def test_a_busy_outbox_answers_within_its_bound_and_a_retry_never_stores_twice(tmp_path: Path) -> None:
    import time

    from kiosk.errors import OutboxError

    path = tmp_path / "outbox.db"
    outbox = Outbox(path, busy_timeout_s=0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database (the delivery process, say)
    began = time.monotonic()
    with pytest.raises(OutboxError):
        outbox.enqueue(signed(1))  # not stored: the kiosk may honestly say so, well inside its deadline
    assert time.monotonic() - began < 1.0
    other.execute("COMMIT")
    assert outbox.answer_for(signed(1).transaction_id)[0] == "unknown"
    outbox.enqueue(signed(1))
    outbox.enqueue(signed(1))  # the retry carries the same result id
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM results").fetchone() == (1,)


def test_an_outage_backs_the_whole_loop_off_but_one_poisoned_result_does_not(tmp_path: Path) -> None:
    from drivers.backend.delivery import Delivery, RetryPolicy
    from kiosk.errors import BackendUnavailable

    outbox = Outbox(tmp_path / "outbox.db")
    for n in range(4):
        outbox.enqueue(signed(n))
    slept: list[float] = []
    down = BackendUnavailable("ConnectionError on /v1/results")
    backend = ScriptedBackend([down, down, down, down])
    policy = RetryPolicy(backoff_base_s=1, backoff_max_s=8, idle_poll_s=0.001)
    delivery = Delivery(outbox, backend, policy, sleep=lambda s: bool(slept.append(s)))  # type: ignore[arg-type]
    while delivery.deliver_one():
        pass
    assert len(slept) == 3 and slept[-1] > slept[0]  # every result failing: the service is away
    status = delivery.status()
    assert not status.backend_reachable and "staff must confirm eligibility" in status.staff_message


def test_only_old_delivered_results_are_ever_forgotten(tmp_path: Path) -> None:
    clock = [1_000_000.0]
    outbox = Outbox(tmp_path / "outbox.db", clock=lambda: clock[0])
    delivered, held, _waiting = (outbox.enqueue(signed(n)) for n in range(3))
    outbox.mark_delivered(delivered, {"validity": "1"})
    outbox.quarantine(held, "kiosk_unknown", retry_in_s=10**9)
    clock[0] += 40 * 86400
    assert outbox.purge_delivered(30 * 86400) == 1
    assert [outbox.answer_for(signed(n).transaction_id)[0] for n in range(3)] == ["unknown", "quarantined", "pending"]


def test_the_answer_wakes_the_waiting_submit_at_once_not_on_a_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from drivers.backend import delivery as module

    # No fallback look within the test's wait: only the notification can deliver the answer in time.
    monkeypatch.setattr(module, "OTHER_DELIVERER_S", 600.0)
    outbox = Outbox(tmp_path / "outbox.db")
    outbox.enqueue(signed(1))
    verdict = {"reception_id": 7, "certificate_status": "valid", "registration": "registered", "consents": []}
    delivery = module.Delivery(outbox, ScriptedBackend([verdict]))  # type: ignore[arg-type]
    timer = threading.Timer(0.2, delivery.deliver_one)
    timer.start()
    try:
        answer = delivery.wait_for(signed(1).transaction_id, timeout=30)
    finally:
        timer.join()
    assert answer is not None and answer.transaction_id == signed(1).transaction_id
    assert delivery.wait_for(signed(2).transaction_id, timeout=0.05) is None  # unknown: bounded, no hang
