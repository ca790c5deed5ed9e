"""Storage: SQLAlchemy Core, one code path for SQLite (default) and PostgreSQL (given a URL).

Times are stored as fixed-width UTC ISO strings so they sort and compare the same way in both databases.
The `receptions.transaction_id` unique constraint is what makes the result endpoint exactly-once: a
concurrent or repeated insert fails and the caller answers from the stored record instead.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.pool import StaticPool

metadata = MetaData()

kiosks = Table(
    "kiosks", metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("key_id", String(64), nullable=False),
    Column("public_key_pem", Text, nullable=False),
    Column("enrolled_at", String(32), nullable=False),
)

challenges = Table(
    "challenges", metadata,
    Column("challenge_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("used_by", String(36)),
)

qualifications = Table(
    "qualifications", metadata,
    Column("cert_id", String(64), primary_key=True),  # the auth certificate's subject CN
    Column("linked", Boolean, nullable=False),  # 保険証利用登録 done
    Column("data", Text, nullable=False),  # JSON: insurer, symbol, number, branch, names, … (see seed.py)
)

receptions = Table(
    "receptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("transaction_id", String(36), nullable=False, unique=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("received_at", String(32), nullable=False, index=True),
    Column("method", String(8), nullable=False),
    Column("cert_id", String(64), nullable=False),
    Column("validity", String(1), nullable=False),
    Column("certificate_status", String(8), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("answer", Text, nullable=False),  # the exact JSON answered, replayed for a repeat
    Column("signed_at", String(32)),  # when the card signed (PIN path), by the kiosk's clock
    Column("delay_s", Integer),  # received_at - signed_at, for a result flagged delayed
    Column("kiosk_evidence", Text),  # the kiosk's own figures (distance, thresholds, liveness): recorded only
)

# (kiosk, counter) of every accepted PIN-path proof statement: a statement is good for one result only.
proofs = Table(
    "proofs", metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("counter", BigInteger, primary_key=True, autoincrement=False),
    Column("transaction_id", String(36), nullable=False),
    Column("signed_at", String(32), nullable=False),
)

# Results an authenticated kiosk sent and the verifier refused, one row per transaction, updated on each re-send.
refusals = Table(
    "refusals", metadata,
    Column("transaction_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("code", String(64), nullable=False),
    Column("message", String(300), nullable=False),
    Column("first_at", String(32), nullable=False),
    Column("last_at", String(32), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("accepted_at", String(32)),  # a later re-send was accepted (the cause was fixed)
)

# Append-only (database triggers refuse UPDATE and DELETE) and hash-chained: each row's hash covers the previous.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(80), nullable=False),  # "staff:<user>", "kiosk:<id>", "cli"
    Column("action", String(40), nullable=False),
    Column("subject", String(80), nullable=False),
    Column("detail", String(300), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

staff_users = Table(
    "staff_users", metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
)

_APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    ],
}


# The statements of a result's path, built once. SQLAlchemy memoizes a statement object's cache key, so a
# prebuilt statement executed with bound parameters skips the per-call construction, coercion and cache-key
# walk that a freshly built `select(...).where(...)` pays (≈ 0.2–0.7 ms each on the bench machine); the SQL
# and the compiled-statement cache are the same. Bound names differ from column names (`b_*`): SQLAlchemy
# reserves a column's own name for the VALUES/SET parameter of an insert or update.
_KIOSK = select(kiosks.c.key_id, kiosks.c.public_key_pem).where(kiosks.c.kiosk_id == bindparam("b_kiosk"))
_QUALIFICATION = select(qualifications.c.linked, qualifications.c.data) \
    .where(qualifications.c.cert_id == bindparam("b_cert"))
_LINK = update(qualifications).where(qualifications.c.cert_id == bindparam("b_cert")).values(linked=True)
_RECEPTION_BY_TX = select(receptions).where(receptions.c.transaction_id == bindparam("b_tx"))
_ADD_RECEPTION = insert(receptions).returning(receptions.c.id)
_RESOLVE_REFUSAL = update(refusals).where(refusals.c.transaction_id == bindparam("b_tx")) \
    .values(accepted_at=bindparam("b_at"))
_CHALLENGE = select(challenges).where(challenges.c.challenge_id == bindparam("b_id"))
_USE_CHALLENGE = update(challenges) \
    .where(challenges.c.challenge_id == bindparam("b_id"), challenges.c.used_by.is_(None)) \
    .values(used_by=bindparam("b_tx"))
_PROOF_OWNER = select(proofs.c.transaction_id) \
    .where(proofs.c.kiosk_id == bindparam("b_kiosk"), proofs.c.counter == bindparam("b_counter"))
_LATEST_SIGNED_BEFORE = select(proofs.c.signed_at) \
    .where(proofs.c.kiosk_id == bindparam("b_kiosk"), proofs.c.counter < bindparam("b_counter")) \
    .order_by(proofs.c.signed_at.desc()).limit(1)
_ADD_PROOF = insert(proofs)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def open_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and a busy timeout, an in-memory SQLite one shared connection."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if memory else None,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: the WAL is fsync'd at every commit. With NORMAL a committed transaction survives a process
            # crash but may roll back after a power loss or OS crash (SQLite's documentation of the pragma), and
            # the kiosk deletes its copy once answered "stored": such a result would be lost. (The cost is one
            # fsync per commit, under the write lock; PostgreSQL's synchronous_commit=on is the same promise.)
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    else:
        engine = create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    metadata.create_all(engine)
    _migrate(engine)
    return engine


def _migrate(engine: Engine) -> None:
    """Columns added since a database was created (create_all makes missing tables, not columns), and the
    audit log's append-only triggers."""
    present = {c["name"] for c in inspect(engine).get_columns("receptions")}
    with engine.begin() as conn:
        for column in receptions.columns:
            if column.name not in present:
                conn.execute(text(f"ALTER TABLE receptions ADD COLUMN {column.name} "
                                  f"{column.type.compile(engine.dialect)}"))
        for statement in _APPEND_ONLY.get(engine.dialect.name, ()):
            conn.execute(text(statement))


@dataclass(frozen=True)
class ReceptionRow:
    id: int
    transaction_id: str
    kiosk_id: str
    received_at: datetime
    method: str
    cert_id: str
    validity: str
    certificate_status: str
    answer: dict[str, Any]
    body_sha256: str
    delay_s: int | None = None


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time and its busy handler sleeps in steps of up to 100 ms; queueing the
        # writers of this process on a lock instead keeps the latency tail short. PostgreSQL needs none.
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if self._write_lock is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    # --- kiosks -------------------------------------------------------------------------------------

    def enroll(self, kiosk_id: str, key_id: str, public_key_pem: str, now: datetime) -> None:
        with self.transaction() as conn:
            conn.execute(kiosks.delete().where(kiosks.c.kiosk_id == kiosk_id))
            conn.execute(insert(kiosks).values(
                kiosk_id=kiosk_id, key_id=key_id, public_key_pem=public_key_pem, enrolled_at=utc_text(now)))

    def kiosk(self, kiosk_id: str) -> tuple[str, str] | None:
        """(key_id, public key PEM) of an enrolled kiosk."""
        with self.engine.connect() as conn:
            row = conn.execute(_KIOSK, {"b_kiosk": kiosk_id}).first()
        return (row[0], row[1]) if row else None

    # --- challenges ---------------------------------------------------------------------------------

    def add_challenge(self, challenge_id: str, kiosk_id: str, value: bytes, issued: datetime,
                      expires: datetime) -> None:
        with self.transaction() as conn:
            conn.execute(insert(challenges).values(
                challenge_id=challenge_id, kiosk_id=kiosk_id, value=value,
                issued_at=utc_text(issued), expires_at=utc_text(expires)))

    def purge_challenges(self, expired_before: datetime) -> int:
        with self.transaction() as conn:
            result = conn.execute(challenges.delete().where(challenges.c.expires_at < utc_text(expired_before)))
        return int(result.rowcount)

    def challenge(self, conn: Connection, challenge_id: str) -> dict[str, Any] | None:
        row = conn.execute(_CHALLENGE, {"b_id": challenge_id}).mappings().first()
        return dict(row) if row else None

    def use_challenge(self, conn: Connection, challenge_id: str, transaction_id: str) -> bool:
        """Atomically mark a challenge used; False when someone used it first."""
        result = conn.execute(_USE_CHALLENGE, {"b_id": challenge_id, "b_tx": transaction_id})
        return result.rowcount == 1

    # --- registry -----------------------------------------------------------------------------------

    def put_qualification(self, cert_id: str, linked: bool, data: dict[str, Any]) -> None:
        """Upsert: the data is replaced, but a 保険証利用登録 made since (linked) is never undone, so a restart
        or a re-seed of the registry keeps every registration."""
        encoded = json.dumps(data, ensure_ascii=False)
        with self.transaction() as conn:
            changed = conn.execute(update(qualifications).where(qualifications.c.cert_id == cert_id).values(
                data=encoded, linked=or_(qualifications.c.linked, literal(linked)))).rowcount
            if changed == 0:
                conn.execute(insert(qualifications).values(cert_id=cert_id, linked=linked, data=encoded))

    def qualification(self, conn: Connection, cert_id: str) -> tuple[bool, dict[str, Any]] | None:
        row = conn.execute(_QUALIFICATION, {"b_cert": cert_id}).first()
        return (bool(row[0]), json.loads(row[1])) if row else None

    def link(self, conn: Connection, cert_id: str) -> None:
        conn.execute(_LINK, {"b_cert": cert_id})

    # --- receptions ---------------------------------------------------------------------------------

    def add_reception(self, conn: Connection, **values: Any) -> int:
        result = conn.execute(_ADD_RECEPTION, values)
        return int(result.scalar_one())

    # --- PIN-path proofs ------------------------------------------------------------------------------

    def proof_owner(self, conn: Connection, kiosk_id: str, counter: int) -> str | None:
        """The transaction that already used this (kiosk, counter), if any."""
        row = conn.execute(_PROOF_OWNER, {"b_kiosk": kiosk_id, "b_counter": counter}).first()
        return str(row[0]) if row else None

    def latest_signed_before(self, conn: Connection, kiosk_id: str, counter: int) -> str | None:
        """The latest signed_at among this kiosk's statements with a lower counter (a clock set back shows)."""
        row = conn.execute(_LATEST_SIGNED_BEFORE, {"b_kiosk": kiosk_id, "b_counter": counter}).first()
        return str(row[0]) if row else None

    def add_proof(self, conn: Connection, kiosk_id: str, counter: int, transaction_id: str, signed_at: str) -> None:
        conn.execute(_ADD_PROOF, {"kiosk_id": kiosk_id, "counter": counter, "transaction_id": transaction_id,
                                  "signed_at": signed_at})

    # --- refusals (an authenticated kiosk's results that were turned down) -----------------------------

    def record_refusal(self, kiosk_id: str, transaction_id: str, code: str, message: str, now: datetime) -> None:
        at = utc_text(now)
        with self.transaction() as conn:
            changed = conn.execute(update(refusals).where(refusals.c.transaction_id == transaction_id).values(
                code=code, message=message[:300], last_at=at, attempts=refusals.c.attempts + 1,
                kiosk_id=kiosk_id)).rowcount
            if changed == 0:
                conn.execute(insert(refusals).values(
                    transaction_id=transaction_id, kiosk_id=kiosk_id, code=code, message=message[:300],
                    first_at=at, last_at=at, attempts=1))

    def refusal_resolved(self, conn: Connection, transaction_id: str, now: datetime) -> None:
        conn.execute(_RESOLVE_REFUSAL, {"b_tx": transaction_id, "b_at": utc_text(now)})

    def refusals_since(self, since: datetime, limit: int = 500) -> list[dict[str, Any]]:
        """Refusals seen since `since` plus every one still unresolved, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(refusals).where(or_(refusals.c.last_at >= utc_text(since),
                                                           refusals.c.accepted_at.is_(None)))
                                .order_by(refusals.c.last_at.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def reception_by_transaction(self, transaction_id: str) -> ReceptionRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(_RECEPTION_BY_TX, {"b_tx": transaction_id}).first()
        return _row(row) if row else None

    def receptions_since(self, since: datetime, limit: int = 500) -> list[ReceptionRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(receptions).where(receptions.c.received_at >= utc_text(since))
                                .order_by(receptions.c.id.desc()).limit(limit)).all()
        return [_row(r) for r in rows]

    def all_transaction_ids(self) -> list[str]:
        """In storage order (the order the verifier first accepted them)."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(receptions.c.transaction_id).order_by(receptions.c.id))]


def _row(row: Any) -> ReceptionRow:
    m = row._mapping
    return ReceptionRow(
        id=int(m["id"]), transaction_id=m["transaction_id"], kiosk_id=m["kiosk_id"],
        received_at=parse_utc(m["received_at"]), method=m["method"], cert_id=m["cert_id"], validity=m["validity"],
        certificate_status=m["certificate_status"], answer=json.loads(m["answer"]),
        body_sha256=m["body_sha256"], delay_s=m["delay_s"],
    )
