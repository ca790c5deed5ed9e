"""Staff sign-in: password hashes (stdlib scrypt), server-side sessions, CSRF tokens.

The seam for an external identity provider is `IdentityProvider`: anything that turns a sign-in into a
`StaffPrincipal` (today `PasswordDirectory`, the verifier's own users table; an OIDC or SAML provider would
finish its own redirect dance and call `Sessions.open(principal)`). Everything after that — the session
cookie, CSRF, the audit log — does not care where the principal came from.

Sessions live in the verifier process only (a restart signs staff out; nothing about them is written).
The cookie holds a random token; the server keeps only its SHA-256. Every state-changing staff request
carries the session's CSRF token in a form field; the sign-in form itself is protected by a pre-session
cookie whose HMAC is the form's token (so a sign-in cannot be forged from another site either).

`python -m verifier.staffauth add --db URL --user NAME` adds or replaces a user (password from stdin).
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import secrets
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import insert, select

from verifier.audit import AuditLog
from verifier.store import Store, open_engine, staff_users, utc_text

_N, _R, _P = 2**14, 8, 1  # scrypt cost: ≈ 16 MiB and ≈ 50 ms per check on the kiosk-class machine
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


_DUMMY = hash_password(secrets.token_urlsafe(16))  # checked for unknown users, so timing does not tell them apart


@dataclass(frozen=True)
class StaffPrincipal:
    username: str
    source: str  # "password" or the identity provider's name


class IdentityProvider(Protocol):
    name: str

    def authenticate(self, username: str, password: str) -> StaffPrincipal | None: ...


class PasswordDirectory:
    """Staff users in the verifier's own database."""

    name = "password"

    def __init__(self, store: Store) -> None:
        self.store = store

    def add_user(self, username: str, password: str, now: datetime | None = None) -> None:
        if not 1 <= len(username) <= 64 or not username.isascii() or not username.isprintable():
            raise ValueError("user name: 1–64 printable ASCII characters")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: at least {MIN_PASSWORD} characters")
        hashed = hash_password(password)
        moment = now or datetime.now(UTC)
        with self.store.transaction() as conn:
            conn.execute(staff_users.delete().where(staff_users.c.username == username))
            conn.execute(insert(staff_users).values(username=username, password_hash=hashed,
                                                    created_at=utc_text(moment)))
            AuditLog(self.store).append("operator", "set_staff_password", username, "", moment, conn)

    def authenticate(self, username: str, password: str) -> StaffPrincipal | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(staff_users.c.password_hash).where(staff_users.c.username == username)).first()
        ok = verify_password(password, str(row[0]) if row else _DUMMY)
        return StaffPrincipal(username, self.name) if ok and row else None


@dataclass
class Session:
    principal: StaffPrincipal
    csrf: str
    created: float
    seen: float = field(default=0.0)
    viewed: bool = False  # the staff page was opened in this session (audited once per session)


class Sessions:
    def __init__(self, idle_s: float = 1800.0, absolute_s: float = 12 * 3600.0) -> None:
        self.idle_s, self.absolute_s = idle_s, absolute_s
        self._by_hash: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._secret = secrets.token_bytes(32)

    def open(self, principal: StaffPrincipal) -> str:
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            self._by_hash[_h(token)] = Session(principal, secrets.token_urlsafe(32), now, now)
        return token

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._by_hash.get(_h(token))
            if session is None or now - session.seen > self.idle_s or now - session.created > self.absolute_s:
                self._by_hash.pop(_h(token), None)
                return None
            session.seen = now
            return session

    def close(self, token: str) -> None:
        with self._lock:
            self._by_hash.pop(_h(token), None)

    def login_token(self, pre: str) -> str:
        """The sign-in form's CSRF token for the pre-session cookie `pre`."""
        return hmac.new(self._secret, pre.encode(), hashlib.sha256).hexdigest()

    def _expire(self, now: float) -> None:
        stale = [k for k, s in self._by_hash.items()
                 if now - s.seen > self.idle_s or now - s.created > self.absolute_s]
        for key in stale:
            del self._by_hash[key]


def _h(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="verifier staff users")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace a staff user; the password is read from stdin")
    add.add_argument("--db", default="sqlite:///verifier.db")
    add.add_argument("--user", required=True)
    args = parser.parse_args(argv)
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        PasswordDirectory(Store(open_engine(args.db))).add_user(args.user, password)
    except ValueError as exc:
        print(f"staff add: {exc}", file=sys.stderr)
        return 2
    print(f"staff user {args.user} saved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
