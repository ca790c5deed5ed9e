"""What the card signs on the PIN path: a statement the kiosk makes itself, so a delayed result needs no live
verifier challenge.

The statement binds the kiosk id, a per-kiosk monotonic counter (never reused, also across restarts), the
kiosk's clock at signing and the result id (`transaction_id`). The card signs `to_bytes()` with its JPKI
user-authentication key (RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256(bytes))); the verifier rebuilds the same
bytes from the result's own fields and checks that signature, refuses a (kiosk, counter) seen before, and
flags the result as delayed by `received_at - signed_at`. Pure and stdlib-only: the verifier keeps its own
copy of this byte format (verifier/proof.py; tests hold the two equal). See docs/threat-model.md.

Format, version 1 (ASCII, LF-terminated lines, no trailing spaces):

    myna-kiosk-proof/1
    kiosk=<kiosk id, [A-Za-z0-9._-]{1,64}>
    counter=<decimal, no leading zeros, 0 ≤ n < 2**63>
    signed_at=<UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ>
    result=<transaction id, lower-case UUID>
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

PROOF_VERSION = 1
HEADER = f"myna-kiosk-proof/{PROOF_VERSION}"
MAX_COUNTER = 2**63 - 1
_KIOSK = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z", re.ASCII)


def canonical_time(moment: datetime) -> str:
    """The one spelling of `moment` in a statement (and in the result's `evidence.signed_at`)."""
    if moment.tzinfo is None:
        raise ValueError("signed_at must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ProofStatement:
    kiosk_id: str
    counter: int
    signed_at: datetime
    result_id: str

    def __post_init__(self) -> None:
        if not _KIOSK.fullmatch(self.kiosk_id):
            raise ValueError("kiosk id must be 1–64 of [A-Za-z0-9._-]")
        if isinstance(self.counter, bool) or not isinstance(self.counter, int) or \
                not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError("counter must be an integer in [0, 2**63)")
        canonical_time(self.signed_at)
        if not _UUID.fullmatch(self.result_id):
            raise ValueError("result id must be a lower-case UUID")

    def to_bytes(self) -> bytes:
        return (f"{HEADER}\nkiosk={self.kiosk_id}\ncounter={self.counter}\n"
                f"signed_at={canonical_time(self.signed_at)}\nresult={self.result_id}\n").encode("ascii")

    def evidence_fields(self) -> dict[str, object]:
        """The statement's own fields as the result's PIN evidence carries them (plus the card's signature)."""
        return {"proof_version": PROOF_VERSION, "counter": self.counter,
                "signed_at": canonical_time(self.signed_at)}

    @classmethod
    def parse(cls, data: bytes) -> ProofStatement:
        """The inverse of `to_bytes`; anything not in exactly that form is a ValueError."""
        text = data.decode("ascii")
        lines = text.split("\n")
        if len(lines) != 6 or lines[0] != HEADER or lines[5] != "":
            raise ValueError("not a version-1 proof statement")
        fields = {}
        for line, name in zip(lines[1:5], ("kiosk", "counter", "signed_at", "result"), strict=True):
            key, sep, value = line.partition("=")
            if key != name or not sep:
                raise ValueError(f"expected {name}=")
            fields[name] = value
        if not re.fullmatch(r"0|[1-9][0-9]{0,18}", fields["counter"], re.ASCII) or \
                not _TIME.fullmatch(fields["signed_at"]):
            raise ValueError("counter or signed_at not in canonical form")
        statement = cls(fields["kiosk"], int(fields["counter"]),
                        datetime.strptime(fields["signed_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
                        fields["result"])
        if statement.to_bytes() != data:
            raise ValueError("not canonical")
        return statement
