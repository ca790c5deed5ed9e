"""APDU building and status words.

Status words are an enum, and `raise_for_status` is the one place where a status word becomes a typed
error. Commands know whether their data or their answer is secret, so the traffic log can only ever see
the redacted form (`CommandApdu.loggable`, `loggable_response`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from kiosk.errors import (
    CardCommandFailed,
    MalformedResponse,
    SecretBlocked,
    SecretWrong,
    SecurityStatusNotSatisfied,
)

SHORT_LE_MAX = 256
EXTENDED_LE_MAX = 65536


class StatusWord(IntEnum):
    OK = 0x9000
    END_OF_FILE_WARNING = 0x6282
    VERIFY_FAILED_NO_COUNTER = 0x6300
    WRONG_LENGTH = 0x6700
    LOGICAL_CHANNEL_NOT_SUPPORTED = 0x6881
    SECURE_MESSAGING_NOT_SUPPORTED = 0x6882
    COMMAND_INCOMPATIBLE = 0x6981
    SECURITY_STATUS_NOT_SATISFIED = 0x6982
    AUTH_METHOD_BLOCKED = 0x6983
    REFERENCE_DATA_BLOCKED = 0x6984
    CONDITIONS_NOT_SATISFIED = 0x6985
    NO_CURRENT_EF = 0x6986
    SM_DATA_MISSING = 0x69FC
    WRONG_DATA = 0x6A80
    FILE_NOT_FOUND = 0x6A82
    INCORRECT_P1P2 = 0x6A86
    REFERENCED_DATA_NOT_FOUND = 0x6A88
    WRONG_P1P2 = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00


def tries_left_from_sw(sw: int) -> int | None:
    """`63Cx` carries x tries left; anything else carries no counter."""
    if sw & 0xFFF0 == 0x63C0:
        return sw & 0x0F
    return None


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = field(default=b"", repr=False)
    le: int | None = None  # None: no Le; 1..65536 expected length (256 short / 65536 extended = "all")
    extended: bool = False
    secret_data: bool = False  # VERIFY: data is a PIN or 照合番号 and never reaches a log
    secret_response: bool = False  # reads of personal EFs: only the length is logged

    def to_bytes(self) -> bytes:
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        body = b""
        use_extended = self.extended or len(self.data) > 255 or (self.le or 0) > SHORT_LE_MAX
        if self.data:
            if use_extended:
                body += b"\x00" + len(self.data).to_bytes(2, "big")
            else:
                body += bytes((len(self.data),))
            body += self.data
        if self.le is not None:
            if use_extended:
                le = self.le if self.le < EXTENDED_LE_MAX else 0
                body += (b"" if self.data else b"\x00") + le.to_bytes(2, "big")
            else:
                body += bytes((self.le % SHORT_LE_MAX,))
        return header + body

    def with_le(self, le: int) -> CommandApdu:
        return CommandApdu(self.cla, self.ins, self.p1, self.p2, self.data, le, self.extended,
                           self.secret_data, self.secret_response)

    def loggable(self) -> str:
        head = f"{self.cla:02X} {self.ins:02X} {self.p1:02X} {self.p2:02X}"
        if self.secret_data:
            return f"{head} [{len(self.data)} secret bytes redacted]"
        return (head + " " + self.data.hex(" ").upper()).rstrip() + (f" Le={self.le}" if self.le is not None else "")

    def loggable_response(self, data: bytes, sw: int) -> str:
        if self.secret_response and data:
            return f"[{len(data)} personal bytes redacted] {sw:04X}"
        shown = data[:32].hex(" ").upper() + (" …" if len(data) > 32 else "")
        return f"{shown} {sw:04X}".strip()


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes = field(repr=False)
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise MalformedResponse(f"response of {len(raw)} bytes has no status word")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))


def raise_for_status(sw: int, context: str) -> None:
    """Turn a status word into the typed error it means. Secret-specific words (63Cx, 6983/6984) are
    mapped by the application layer, which knows which secret was being verified."""
    if sw == StatusWord.OK:
        return
    if sw == StatusWord.SECURITY_STATUS_NOT_SATISFIED:
        raise SecurityStatusNotSatisfied(sw, f"{context}: security status not satisfied")
    raise CardCommandFailed(sw, f"{context}: card answered {sw:04X}")


def select_df(aid: bytes) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x04, 0x0C, aid)


def select_ef(fid: int) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))


def read_binary(offset: int, le: int, *, extended: bool = False, secret: bool = False) -> CommandApdu:
    if not 0 <= offset <= 0x7FFF:
        raise ValueError(f"offset {offset} outside the 15-bit range")
    return CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=le, extended=extended, secret_response=secret)


def verify(secret: bytes | None) -> CommandApdu:
    """VERIFY the current EF's secret; with no secret it is the counter query that spends no try."""
    return CommandApdu(0x00, 0x20, 0x00, 0x80, secret or b"", secret_data=secret is not None)


def compute_signature(digest_info: bytes) -> CommandApdu:
    return CommandApdu(0x80, 0x2A, 0x00, 0x80, digest_info, le=SHORT_LE_MAX)


def get_response(le: int) -> CommandApdu:
    return CommandApdu(0x00, 0xC0, 0x00, 0x00, le=le)


def raise_for_verify(sw: int, wrong: type[SecretWrong], blocked: type[SecretBlocked], context: str) -> None:
    """VERIFY answers: 9000 fine; 63Cx wrong with x tries left (x = 0: that try blocked it); 6983/6984
    blocked. Anything else is an ordinary failure."""
    tries = tries_left_from_sw(sw)
    if tries == 0 or sw in (StatusWord.AUTH_METHOD_BLOCKED, StatusWord.REFERENCE_DATA_BLOCKED):
        raise blocked(f"{context}: blocked")
    if tries is not None:
        raise wrong(tries, f"{context}: wrong, {tries} tries left")
    raise_for_status(sw, context)
