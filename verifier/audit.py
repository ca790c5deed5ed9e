"""The audit log: staff actions (login, logout, reading a result, exporting) and every refusal of an
authenticated kiosk's request. Append-only twice over: database triggers refuse UPDATE/DELETE on the table,
and each row carries SHA-256(previous hash + its own fields), so a row edited or removed behind the database's
back breaks the chain (`verify`). It never holds a PIN, a card number or a name: subjects are transaction ids,
kiosk ids and staff user names.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from verifier.store import Store, audit_log, utc_text

GENESIS = "0" * 64


def _digest(prev: str, at: str, actor: str, action: str, subject: str, detail: str) -> str:
    fields = json.dumps([prev, at, actor, action, subject, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(fields.encode()).hexdigest()


class AuditLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(self, actor: str, action: str, subject: str, detail: str, now: datetime,
               conn: Connection | None = None) -> None:
        if conn is not None:
            self._append(conn, actor, action, subject, detail, now)
            return
        with self.store.transaction() as own:
            self._append(own, actor, action, subject, detail, now)

    def _append(self, conn: Connection, actor: str, action: str, subject: str, detail: str, now: datetime) -> None:
        if conn.dialect.name == "postgresql":  # one writer at a time extends the chain (SQLite has one anyway)
            conn.execute(text("SELECT pg_advisory_xact_lock(7410001)"))
        row = conn.execute(select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).first()
        prev = str(row[0]) if row else GENESIS
        at = utc_text(now)
        actor, action, subject, detail = actor[:80], action[:40], subject[:80], detail[:300]
        conn.execute(insert(audit_log).values(at=at, actor=actor, action=action, subject=subject, detail=detail,
                                              prev_hash=prev, hash=_digest(prev, at, actor, action, subject, detail)))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def verify(self) -> int:
        """Walk the whole chain; returns the number of rows, raises ValueError at the first broken link."""
        prev, count = GENESIS, 0
        with self.store.engine.connect() as conn:
            for r in conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings():
                if r["prev_hash"] != prev or r["hash"] != _digest(prev, r["at"], r["actor"], r["action"],
                                                                   r["subject"], r["detail"]):
                    raise ValueError(f"audit log broken at row {r['id']}")
                prev, count = r["hash"], count + 1
        return count
