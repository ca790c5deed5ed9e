"""The virtual card's contents: applications, EFs, secrets with retry counters, and private keys.

Built by testbench.virtualcard.profile from a profile directory; executed by testbench.virtualcard.card.
Counters persist across card sessions (and, through `CounterStore`, across processes), as on a real card.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Secret:
    """A PIN / password / 照合番号 key reference. `value` None means no secret set (face-only card)."""

    value: bytes | None = field(repr=False)
    max_tries: int


@dataclass(frozen=True)
class Ef:
    """A transparent EF: `data` is the physical content, FF-padded to the EF's size.

    `read_requires`: None = readable freely; otherwise VERIFY of any one of these secret FIDs opens it.
    """

    data: bytes = field(repr=False)
    read_requires: frozenset[int] | None = None


@dataclass(frozen=True)
class Key:
    private_key: rsa.RSAPrivateKey = field(repr=False)
    requires: int | None  # the secret FID that must be verified; None: no credential (券面 AP keys)


@dataclass
class Application:
    name: str
    aid: bytes
    efs: dict[int, Ef] = field(default_factory=dict)
    secrets: dict[int, Secret] = field(default_factory=dict)
    keys: dict[int, Key] = field(default_factory=dict)


class CounterStore:
    """Remaining tries per (application, secret FID), saved atomically to a JSON file if given one."""

    def __init__(self, path: Path | None, defaults: dict[str, int]) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._tries = dict(defaults)
        if path is not None and path.exists():
            saved = json.loads(path.read_text())
            self._tries.update({k: int(v) for k, v in saved.items() if k in defaults})

    @staticmethod
    def key(aid: bytes, fid: int) -> str:
        return f"{aid.hex().upper()}/{fid:04X}"

    def get(self, aid: bytes, fid: int) -> int:
        return self._tries[self.key(aid, fid)]

    def set(self, aid: bytes, fid: int, tries: int) -> None:
        with self._lock:
            self._tries[self.key(aid, fid)] = tries
            if self._path is not None:
                fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".counters.")
                with os.fdopen(fd, "w") as f:
                    json.dump(self._tries, f, indent=1, sort_keys=True)
                os.replace(tmp, self._path)


@dataclass
class CardModel:
    atr: bytes
    applications: list[Application]
    counters: CounterStore
    # Some cards answer the VERIFY query with 9000 once verified; OpenSC needs 63Cx (docs/card-reference.md §11 item 5).
    query_answers_9000_when_verified: bool = False

    def application(self, aid: bytes) -> Application | None:
        for app in self.applications:
            if app.aid == aid:
                return app
        return None


def pad(data: bytes, size: int) -> bytes:
    """Physical EF content: the record followed by FF filler up to the EF's size."""
    if len(data) > size:
        raise ValueError(f"record of {len(data)} bytes does not fit an EF of {size}")
    return data + b"\xff" * (size - len(data))


def counter_defaults(applications: list[Application]) -> dict[str, int]:
    return {CounterStore.key(app.aid, fid): s.max_tries for app in applications for fid, s in app.secrets.items()}
