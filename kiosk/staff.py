"""Staff mode: the staff PIN (stored as a scrypt hash), its lockout, and today's counts by method.

The staff PIN opens the staff panel and confirms a visual check. It is checked on a worker thread because
scrypt is deliberately slow (tens of milliseconds), and the lockout is kept here rather than in the flow
so that leaving and re-entering the staff screen cannot reset it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

# scrypt cost: n=2**14, r=8 takes ~40 ms and 16 MiB on the 2-core kiosk, enough against offline guessing
# of a short PIN for the minutes the lockout allows nothing else anyway.
_N, _R, _P = 2**14, 8, 1
STAFF_PIN_LENGTHS = (4, 8)  # shortest and longest staff PIN that staff-pin-hash accepts


def hash_pin(pin: str, salt: bytes | None = None, n: int = _N, r: int = _R, p: int = _P) -> str:
    """Encode as `scrypt$n$r$p$salt$hash` (base64), the format kept in the config file."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, encoded: str) -> bool:
    """Constant-time check; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt_b64, digest_b64 = encoded.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
        digest = hashlib.scrypt(
            pin.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected), maxmem=2**26
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True)
class StaffCheck:
    ok: bool
    locked_for_s: int  # > 0: locked, try again after this many seconds
    tries_left: int


class StaffGate:
    """Counts wrong staff PINs; after `max_failures` in a row it refuses every PIN for `lockout_s`.

    With `state_path` (in the kiosk's data dir) the count and the lockout survive a restart: pulling the
    plug is no way round the lockout. The file holds two numbers, never a PIN. The lockout's end is kept
    as wall-clock time and capped at `lockout_s` when read back, so a clock set back cannot lock staff out
    for longer than one lockout. A file that cannot be written is logged and the gate keeps counting in
    memory (the self-test's disk row shows the unwritable data dir).
    """

    def __init__(
        self, pin_hash: str, max_failures: int = 5, lockout_s: float = 300.0, clock: Callable[[], float] | None = None,
        *, state_path: Path | None = None, wall: Callable[[], float] | None = None,
    ) -> None:
        self._hash = pin_hash
        self._max = max_failures
        self._lockout_s = lockout_s
        self._clock = clock or time.monotonic
        self._wall = wall or time.time
        self._path = state_path
        self._failures = 0
        self._locked_until = 0.0
        self._lock = threading.Lock()
        self._load()

    def check(self, pin: str) -> StaffCheck:
        with self._lock:
            now = self._clock()
            if now < self._locked_until:
                return StaffCheck(False, _ceil(self._locked_until - now), 0)
        ok = bool(self._hash) and verify_pin(pin, self._hash)
        with self._lock:
            if ok:
                self._failures = 0
                self._save(now)
                return StaffCheck(True, 0, self._max)
            self._failures += 1
            if self._failures >= self._max:
                self._failures = 0
                self._locked_until = now + self._lockout_s
                self._save(now)
                return StaffCheck(False, _ceil(self._lockout_s), 0)
            self._save(now)
            return StaffCheck(False, 0, self._max - self._failures)

    def _load(self) -> None:
        if self._path is None:
            return
        try:
            raw = json.loads(self._path.read_text())
            failures, until_wall = int(raw["failures"]), float(raw["locked_until"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # unreadable state: start locked (fail safe), the staff can wait one lockout
            log.warning("staff lockout state unreadable (%s): locked for one lockout", type(exc).__name__)
            failures, until_wall = 0, self._wall() + self._lockout_s
        self._failures = max(0, min(failures, self._max - 1))
        remaining = min(self._lockout_s, until_wall - self._wall())
        if remaining > 0:
            self._locked_until = self._clock() + remaining

    def _save(self, now: float) -> None:
        if self._path is None:
            return
        remaining = max(0.0, self._locked_until - now)
        state = {"failures": self._failures, "locked_until": self._wall() + remaining if remaining else 0.0}
        tmp = self._path.with_name(self._path.name + ".tmp")
        try:
            with open(tmp, "w") as f:
                json.dump(state, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self._path)
        except OSError as exc:
            log.warning("staff lockout state not saved: %s", type(exc).__name__)


def staff_state_path(data_dir: str) -> Path:
    """Where the kiosk keeps the staff lockout: beside its outbox."""
    return Path(data_dir) / "staff_lockout.json"


def _ceil(seconds: float) -> int:
    return max(1, int(-(-seconds // 1)))


class DailyCounts:
    """Receptions completed today, by method. Counts only: no time stamps, no personal data."""

    METHODS = ("face", "pin", "visual")

    def __init__(self, today: Callable[[], date] | None = None) -> None:
        self._today = today or date.today
        self._day = self._today()
        self._counts = dict.fromkeys(self.METHODS, 0)
        self._lock = threading.Lock()

    def add(self, method: str) -> None:
        with self._lock:
            self._roll()
            self._counts[method] = self._counts.get(method, 0) + 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            self._roll()
            return dict(self._counts)

    def _roll(self) -> None:
        day = self._today()
        if day != self._day:
            self._day = day
            self._counts = dict.fromkeys(self.METHODS, 0)
