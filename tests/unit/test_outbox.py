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
    while (entry := outbox.next_pending()) is not None:
        delivered.append(entry.result.transaction_id)
        outbox.mark_delivered(entry.seq, {"reception_id": entry.seq})
    assert delivered == [signed(n).transaction_id for n in range(5)]
    status = outbox.status()
    assert (status.pending, status.delivered, status.rejected) == (0, 5, 0)


def test_failures_are_counted_and_the_head_stays_first(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    for n in range(3):
        outbox.enqueue(signed(n))
    head = outbox.next_pending()
    assert head is not None
    outbox.record_failure(head.seq, "HTTP 503")
    again = outbox.next_pending()
    assert again is not None and again.seq == head.seq and again.attempts == 1
    assert outbox.status().last_error == "HTTP 503"


def test_delivered_and_rejected_bodies_are_wiped(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    first, second = outbox.enqueue(signed(1)), outbox.enqueue(signed(2))
    outbox.mark_delivered(first, {"validity": "1"})
    outbox.mark_rejected(second, "certificate_revoked", {"error": "certificate_revoked"})
    bodies = sqlite3.connect(path).execute("SELECT body FROM outbox").fetchall()
    assert bodies == [(None,), (None,)]
    assert outbox.answer_for(signed(1).transaction_id) == ("delivered", {"validity": "1"})
    assert outbox.answer_for(signed(2).transaction_id)[0] == "rejected"
    assert outbox.answer_for("nope") == ("unknown", None)


def test_pending_entries_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    outbox.enqueue(signed(7))
    outbox.close()
    reopened = Outbox(path)
    entry = reopened.next_pending()
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


def test_delivery_keeps_order_and_tells_hold_from_refusal(tmp_path: Path) -> None:
    from drivers.backend.delivery import Delivery
    from kiosk.errors import BackendRejected, BackendUnavailable

    outbox = Outbox(tmp_path / "outbox.db")
    for n in range(4):
        outbox.enqueue(signed(n))
    backend = ScriptedBackend([
        BackendUnavailable("HTTP 503"),  # first try of 0: kept, retried
        {"transaction_id": "someone-else"},  # an answer for another result is not a delivery
        {},  # 0 delivered
        BackendRejected("kiosk_unknown"),  # set-up problem: 1 stays pending
        {},  # 1 delivered
        BackendRejected("certificate_revoked"),  # 2 refused for good
        {},  # 3 delivered
    ])
    delivery = Delivery(outbox, backend, backoff_base=0.001, backoff_max=0.002)  # type: ignore[arg-type]
    delivery.run(until_empty=True)
    ids = [signed(n).transaction_id for n in range(4)]
    assert backend.sent == [ids[0], ids[0], ids[0], ids[1], ids[1], ids[2], ids[3]]
    assert [outbox.answer_for(t)[0] for t in ids] == ["delivered", "delivered", "rejected", "delivered"]
    assert delivery.status().staff_message.startswith("確認サービス: 正常")
