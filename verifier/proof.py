"""The PIN path's delayed-result proof, verifier side: rebuild the statement the card signed from the result.

The byte format is the kiosk's (kiosk/proof.py, "myna-kiosk-proof/1"); the verifier keeps its own copy because
it imports nothing from the kiosk — tests hold the two byte-for-byte equal. Only the canonical spelling of
each field is accepted, so one statement has exactly one byte string.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from verifier.errors import Refused

PROOF_VERSION = 1
_KIOSK = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z", re.ASCII)
MAX_COUNTER = 2**63 - 1


def parse_signed_at(text: str) -> datetime:
    """The statement's time in its one canonical UTC spelling (or `proof_malformed`)."""
    if not _TIME.fullmatch(text):
        raise Refused("proof_malformed", "signed_at must be UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise Refused("proof_malformed", "signed_at is not a real time") from exc


def statement_bytes(kiosk_id: str, counter: int, signed_at: str, result_id: str) -> bytes:
    if not _KIOSK.fullmatch(kiosk_id) or not _UUID.fullmatch(result_id):
        raise Refused("proof_malformed", "kiosk id or result id not in canonical form")
    if isinstance(counter, bool) or not isinstance(counter, int) or not 0 <= counter <= MAX_COUNTER:
        raise Refused("proof_malformed", "counter must be an integer in [0, 2**63)")
    parse_signed_at(signed_at)
    return (f"myna-kiosk-proof/{PROOF_VERSION}\nkiosk={kiosk_id}\ncounter={counter}\n"
            f"signed_at={signed_at}\nresult={result_id}\n").encode("ascii")
