"""Durable outbox: each signed result is committed to SQLite (WAL, synchronous=FULL) before the patient
is told "done", and leaves only when the backend has answered it.

Order is kept by delivering strictly by `seq`, oldest first, one at a time (head-of-line: a result that
cannot be sent holds back the ones after it). Exactly-once on the backend side comes from the idempotency
key: a result that was stored by the backend but whose answer never arrived (timeout, reset, the delivery
process killed) is simply sent again and answered from the backend's record.

Delivered bodies are wiped (only the transaction id and the backend's answer stay), so consents and the
certificate do not linger on the kiosk's disk once the backend has them.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError, OutboxError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL UNIQUE,
    kiosk_id       TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    signature      TEXT NOT NULL,
    body           BLOB,
    enqueued_at    TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    answer         TEXT,
    done_at        TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, seq);
"""


@dataclass(frozen=True)
class SignedResult:
    """A result body exactly as it will be sent on every attempt, with the device signature over it."""

    transaction_id: str
    kiosk_id: str
    key_id: str
    signature: str
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    result: SignedResult
    attempts: int


@dataclass(frozen=True)
class OutboxStatus:
    """What staff see on the kiosk's status line."""

    pending: int
    delivered: int
    rejected: int
    oldest_pending_at: datetime | None
    last_error: str | None


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"outbox {path} cannot be opened: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def enqueue(self, result: SignedResult) -> int:
        """Commit durably; returns the sequence number. Enqueuing the same transaction twice is a no-op."""
        try:
            with self._write() as db:
                db.execute(
                    "INSERT OR IGNORE INTO outbox (transaction_id, kiosk_id, key_id, signature, body, enqueued_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (result.transaction_id, result.kiosk_id, result.key_id, result.signature, result.body, _now()),
                )
                row = db.execute("SELECT seq FROM outbox WHERE transaction_id = ?", (result.transaction_id,))
                return int(row.fetchone()[0])
        except sqlite3.Error as exc:
            raise OutboxError(str(exc)) from exc

    def next_pending(self) -> OutboxEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT seq, transaction_id, kiosk_id, key_id, signature, body, attempts FROM outbox"
                " WHERE state = 'pending' ORDER BY seq LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        seq, tx, kiosk, key_id, sig, body, attempts = row
        return OutboxEntry(seq, SignedResult(tx, kiosk, key_id, sig, bytes(body)), attempts)

    def record_failure(self, seq: int, error: str) -> None:
        with self._write() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", (error, seq))

    def mark_delivered(self, seq: int, answer: dict[str, Any]) -> None:
        self._finish(seq, "delivered", answer, None)

    def mark_rejected(self, seq: int, code: str, answer: dict[str, Any]) -> None:
        """The backend refused it for good (its own error code); kept for staff, never retried."""
        self._finish(seq, "rejected", answer, code)

    def _finish(self, seq: int, state: str, answer: dict[str, Any], error: str | None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET state = ?, answer = ?, last_error = ?, done_at = ?, body = NULL,"
                " attempts = attempts + 1 WHERE seq = ? AND state = 'pending'",
                (state, json.dumps(answer, ensure_ascii=False), error, _now(), seq),
            )

    def answer_for(self, transaction_id: str) -> tuple[str, dict[str, Any] | None]:
        """(state, answer) of one transaction: 'pending', 'delivered', 'rejected' or 'unknown'."""
        with self._lock:
            row = self._db.execute(
                "SELECT state, answer FROM outbox WHERE transaction_id = ?", (transaction_id,)
            ).fetchone()
        if row is None:
            return "unknown", None
        return str(row[0]), json.loads(row[1]) if row[1] else None

    def status(self) -> OutboxStatus:
        with self._lock:
            counts = dict(self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
            oldest = self._db.execute(
                "SELECT enqueued_at, last_error FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1"
            ).fetchone()
        return OutboxStatus(
            pending=counts.get("pending", 0),
            delivered=counts.get("delivered", 0),
            rejected=counts.get("rejected", 0),
            oldest_pending_at=datetime.fromisoformat(oldest[0]) if oldest else None,
            last_error=oldest[1] if oldest else None,
        )


@contextmanager
def single_deliverer(outbox_path: Path) -> Iterator[None]:
    """Hold an exclusive lock so only one process delivers from an outbox (freed by the kernel on kill)."""
    lock_path = outbox_path.with_name(outbox_path.name + ".deliver.lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(UTC).isoformat()
