"""Durable outbox: each signed result is committed to SQLite (WAL, synchronous=FULL, so the commit is
fsync'd) before the patient is told "saved", and leaves only when the verifier has accepted it.

- Nothing is ever destroyed by a refusal: a refused result moves to `quarantined` with the verifier's code,
  keeps its body, is shown to staff, can be exported, and is re-sent by itself at a slow cadence (or at
  once when staff ask) so it arrives once the cause is fixed.
- Each result has its own retry clock (`next_attempt_at`, exponential backoff with jitter), so one result
  the server keeps failing never delays the others. Order is kept where it matters: a result waits behind
  an earlier *pending* result of the same card (`order_key`, a hash of the card's certificate), so e.g. a
  保険証利用登録 is never overtaken by that card's next reception; results of different cards go in `seq`
  order among those that are due.
- Exactly-once on the verifier comes from the transaction id, fixed before the first write and used as the
  idempotency key: enqueuing it again is a no-op; a result whose answer was lost is simply sent again.
- Before the disk is full the outbox says so (`can_accept()` false below `reserve_bytes` free), so the kiosk
  goes out of service instead of starting a reception it could not save; a write that still hits a full
  disk rolls back whole (SQLite transaction) and raises OutboxError — never a half-written result.
- Local waits are bounded (`busy_timeout_s`) well below the flow's submit deadline.
- The PIN proof's per-kiosk counter lives here too (`next_proof_counter()`), durable and monotonic.

Delivered bodies and order keys are wiped (only the transaction id and the verifier's answer stay), so
consents and the certificate do not linger on the kiosk's disk once the verifier has them.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError, OutboxError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT NOT NULL UNIQUE,
    kiosk_id        TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    body            BLOB,
    order_key       TEXT,
    enqueued_at     REAL NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'quarantined')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error      TEXT,
    refusal_code    TEXT,
    quarantined_at  REAL,
    answer          TEXT,
    done_at         REAL
);
CREATE INDEX IF NOT EXISTS results_due ON results (state, next_attempt_at, seq);
CREATE TABLE IF NOT EXISTS proof_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
"""

PENDING, DELIVERED, QUARANTINED = "pending", "delivered", "quarantined"


@dataclass(frozen=True)
class SignedResult:
    """A result body exactly as it will be sent on every attempt, with the device signature over it."""

    transaction_id: str
    kiosk_id: str
    key_id: str
    signature: str
    body: bytes = field(repr=False)
    order_key: str | None = None  # results with the same key are delivered in order (same card)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    result: SignedResult
    attempts: int
    quarantined: bool = False


@dataclass(frozen=True)
class QuarantinedResult:
    """A refused result as staff see and export it (no personal data beyond the signed body itself)."""

    transaction_id: str
    refusal_code: str
    quarantined_at: datetime
    attempts: int


@dataclass(frozen=True)
class OutboxStatus:
    """What staff see on the kiosk's status line."""

    pending: int
    delivered: int
    quarantined: int
    oldest_pending_at: datetime | None
    last_error: str | None
    refusal_codes: tuple[str, ...] = ()  # distinct codes of the quarantined results
    free_bytes: int | None = None
    accepting: bool = True  # False: too little disk left to take another reception


class Outbox:
    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = 2.0,
        reserve_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.reserve_bytes = reserve_bytes
        self._clock = clock
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_s)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # SQLite's default page cache (2 MB) fills over the first hundreds of receptions and reads as
            # a slow leak in a soak; the outbox reads a few indexed rows, 256 KB holds them
            self._db.execute("PRAGMA cache_size=-256")
            self._db.executescript(_SCHEMA)
            self._migrate_v1()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"outbox {path} cannot be opened: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def now(self) -> float:
        return self._clock()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise OutboxError(str(exc)) from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise OutboxError(str(exc)) from exc
                raise

    def _migrate_v1(self) -> None:
        """Outboxes from before quarantine kept pending results in `outbox`; carry those over once."""
        old = self._db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='outbox'").fetchone()
        if old is None:
            return
        now = self._clock()
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT OR IGNORE INTO results (transaction_id, kiosk_id, key_id, signature, body, enqueued_at,"
            " next_attempt_at) SELECT transaction_id, kiosk_id, key_id, signature, body, ?, ? FROM outbox"
            " WHERE state = 'pending' AND body IS NOT NULL ORDER BY seq",
            (now, now),
        )
        self._db.execute("ALTER TABLE outbox RENAME TO outbox_v1_archive")
        self._db.execute("COMMIT")

    # --- writing ---------------------------------------------------------------------------------------

    def free_bytes(self) -> int:
        st = os.statvfs(self.path.parent)
        return st.f_bavail * st.f_frsize

    def can_accept(self) -> bool:
        """Whether a new reception may start: enough disk left that its result will surely fit."""
        return self.free_bytes() >= self.reserve_bytes

    def enqueue(self, result: SignedResult) -> int:
        """Commit durably (fsync'd); returns the sequence number. The same transaction twice is a no-op.

        Raises OutboxError when it could not be stored (then nothing of it is stored)."""
        now = self._clock()
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO results (transaction_id, kiosk_id, key_id, signature, body, order_key,"
                " enqueued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (result.transaction_id, result.kiosk_id, result.key_id, result.signature, result.body,
                 result.order_key, now, now),
            )
            row = db.execute("SELECT seq FROM results WHERE transaction_id = ?", (result.transaction_id,))
            return int(row.fetchone()[0])

    def next_proof_counter(self) -> int:
        """The next value of this kiosk's monotonic proof counter (durable before it is returned)."""
        with self._write() as db:
            db.execute("INSERT INTO proof_counter (id, value) VALUES (1, 1)"
                       " ON CONFLICT (id) DO UPDATE SET value = value + 1")
            return int(db.execute("SELECT value FROM proof_counter WHERE id = 1").fetchone()[0])

    # --- delivering ------------------------------------------------------------------------------------

    def next_due(self) -> OutboxEntry | None:
        """The oldest result whose retry time has come and that no earlier pending result of its card holds."""
        with self._lock:
            row = self._db.execute(
                "SELECT seq, transaction_id, kiosk_id, key_id, signature, body, order_key, attempts, state"
                " FROM results r WHERE state IN ('pending', 'quarantined') AND next_attempt_at <= ?"
                " AND NOT EXISTS (SELECT 1 FROM results e WHERE e.state = 'pending' AND e.seq < r.seq"
                "                 AND e.order_key = r.order_key)"
                " ORDER BY seq LIMIT 1",
                (self._clock(),),
            ).fetchone()
        if row is None:
            return None
        seq, tx, kiosk, key_id, sig, body, order_key, attempts, state = row
        return OutboxEntry(seq, SignedResult(tx, kiosk, key_id, sig, bytes(body), order_key), attempts,
                           state == QUARANTINED)

    def next_attempt_in(self) -> float | None:
        """Seconds until the soonest retry of anything not delivered (0 when one is due), None when empty."""
        with self._lock:
            row = self._db.execute(
                "SELECT MIN(next_attempt_at) FROM results WHERE state IN ('pending', 'quarantined')"
            ).fetchone()
        return None if row[0] is None else max(0.0, float(row[0]) - self._clock())

    def record_failure(self, seq: int, error: str, retry_in_s: float) -> None:
        """A try that got no verdict (network, 5xx): the result stays as it is and is tried again later."""
        with self._write() as db:
            db.execute("UPDATE results SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                       " WHERE seq = ? AND state != 'delivered'", (error[:300], self._clock() + retry_in_s, seq))

    def quarantine(self, seq: int, code: str, retry_in_s: float) -> None:
        """The verifier refused it: kept whole with the refusal code, re-sent after `retry_in_s`."""
        now = self._clock()
        with self._write() as db:
            db.execute(
                "UPDATE results SET state = 'quarantined', refusal_code = ?, last_error = ?, attempts = attempts + 1,"
                " quarantined_at = COALESCE(quarantined_at, ?), next_attempt_at = ?"
                " WHERE seq = ? AND state != 'delivered'",
                (code[:100], code[:300], now, now + retry_in_s, seq),
            )

    def mark_delivered(self, seq: int, answer: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE results SET state = 'delivered', answer = ?, done_at = ?, body = NULL, order_key = NULL,"
                " last_error = NULL, attempts = attempts + 1 WHERE seq = ? AND state != 'delivered'",
                (json.dumps(answer, ensure_ascii=False), self._clock(), seq),
            )

    def purge_delivered(self, older_than_s: float) -> int:
        """Forget delivered results (only their id and answer were left) after `older_than_s`; never others."""
        with self._write() as db:
            cur = db.execute("DELETE FROM results WHERE state = 'delivered' AND done_at < ?",
                             (self._clock() - older_than_s,))
            return cur.rowcount

    def release_quarantine(self, transaction_id: str | None = None) -> int:
        """Staff asked to re-send now (one result, or all quarantined ones); returns how many."""
        with self._write() as db:
            if transaction_id is None:
                cur = db.execute("UPDATE results SET next_attempt_at = ? WHERE state = 'quarantined'", (self._clock(),))
            else:
                cur = db.execute("UPDATE results SET next_attempt_at = ? WHERE state = 'quarantined'"
                                 " AND transaction_id = ?", (self._clock(), transaction_id))
            return cur.rowcount

    # --- reading ---------------------------------------------------------------------------------------

    def answer_for(self, transaction_id: str) -> tuple[str, dict[str, Any] | None]:
        """(state, answer) of one transaction: 'pending', 'delivered', 'quarantined' or 'unknown'."""
        with self._lock:
            row = self._db.execute(
                "SELECT state, answer, refusal_code FROM results WHERE transaction_id = ?", (transaction_id,)
            ).fetchone()
        if row is None:
            return "unknown", None
        if row[0] == QUARANTINED:
            return QUARANTINED, {"error": row[2]}
        return str(row[0]), json.loads(row[1]) if row[1] else None

    def quarantined(self) -> list[QuarantinedResult]:
        with self._lock:
            rows = self._db.execute(
                "SELECT transaction_id, refusal_code, quarantined_at, attempts FROM results"
                " WHERE state = 'quarantined' ORDER BY seq"
            ).fetchall()
        return [QuarantinedResult(tx, code, datetime.fromtimestamp(at, UTC), n) for tx, code, at, n in rows]

    def export_quarantine(self, destination: Path) -> int:
        """Write the quarantined results, signed bodies included, as JSON lines (mode 0600) for the verifier's
        operator; the results stay in the outbox. Returns how many were written."""
        with self._lock:
            rows = self._db.execute(
                "SELECT transaction_id, kiosk_id, key_id, signature, body, refusal_code, quarantined_at, attempts"
                " FROM results WHERE state = 'quarantined' ORDER BY seq"
            ).fetchall()
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for tx, kiosk, key_id, sig, body, code, at, attempts in rows:
                out.write(json.dumps({
                    "transaction_id": tx, "kiosk_id": kiosk, "key_id": key_id, "signature": sig,
                    "body": base64.b64encode(bytes(body)).decode("ascii"), "refusal_code": code,
                    "quarantined_at": datetime.fromtimestamp(at, UTC).isoformat(), "attempts": attempts,
                }) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return len(rows)

    def status(self) -> OutboxStatus:
        with self._lock:
            counts = dict(self._db.execute("SELECT state, COUNT(*) FROM results GROUP BY state").fetchall())
            oldest = self._db.execute(
                "SELECT enqueued_at, last_error FROM results WHERE state = 'pending' ORDER BY seq LIMIT 1"
            ).fetchone()
            codes = self._db.execute(
                "SELECT DISTINCT refusal_code FROM results WHERE state = 'quarantined' ORDER BY refusal_code"
            ).fetchall()
        try:
            free: int | None = self.free_bytes()
        except OSError:
            free = None
        return OutboxStatus(
            pending=counts.get(PENDING, 0),
            delivered=counts.get(DELIVERED, 0),
            quarantined=counts.get(QUARANTINED, 0),
            oldest_pending_at=datetime.fromtimestamp(oldest[0], UTC) if oldest else None,
            last_error=oldest[1] if oldest else None,
            refusal_codes=tuple(str(c[0]) for c in codes),
            free_bytes=free,
            accepting=free is not None and free >= self.reserve_bytes,
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
