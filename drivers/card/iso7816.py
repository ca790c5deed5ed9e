"""Generic ISO 7816-4 operations over a CardChannel: SELECT, READ BINARY with BER length discovery,
VERIFY and the tries-left query. The application modules (jpki, kenkaku, kenhojo) build on these."""

from __future__ import annotations

from drivers.card import apdu, tlv
from drivers.card.apdu import StatusWord, raise_for_status, raise_for_verify, tries_left_from_sw
from drivers.card.connection import CardChannel
from kiosk.errors import CardCommandFailed, MalformedResponse, SecretBlocked, SecretWrong

MAX_EF_SIZE = 0x8000  # 15-bit READ BINARY offsets


class SecretNotPresent(CardCommandFailed):
    """The secret's key reference does not exist or holds no value (e.g. no PIN on a face-only card)."""


def select_application(channel: CardChannel, aid: bytes) -> bool:
    """SELECT by DF name. True when the card has the application, False on 6A82."""
    response = channel.send(apdu.select_df(aid))
    if response.sw == StatusWord.FILE_NOT_FOUND:
        return False
    raise_for_status(response.sw, f"SELECT {aid.hex().upper()}")
    return True


def select_file(channel: CardChannel, fid: int) -> None:
    response = channel.send(apdu.select_ef(fid))
    raise_for_status(response.sw, f"SELECT EF {fid:04X}")


def read_binary_all(channel: CardChannel, fid: int, *, extended: bool = False, secret: bool = False) -> bytes:
    """Read the one TLV object stored in an EF: its length comes from its own BER header.

    EFs are larger than the TLV inside and padded with FF, so reading stops at the end of the TLV; never
    relies on reading until an error. Short APDUs in 256-byte chunks by default; one extended READ
    BINARY when `extended` (the reader must pass extended APDUs).
    """
    select_file(channel, fid)
    first = _read_chunk(channel, 0, apdu.EXTENDED_LE_MAX if extended else apdu.SHORT_LE_MAX, extended, secret)
    header = tlv.parse_header(first)
    total = header.total_length
    if total > MAX_EF_SIZE:
        raise MalformedResponse(f"EF {fid:04X} claims {total} bytes, more than an EF can hold")
    data = bytearray(first[:total])
    while len(data) < total:
        chunk = _read_chunk(channel, len(data), min(apdu.SHORT_LE_MAX, total - len(data)), False, secret)
        if not chunk:
            raise MalformedResponse(f"EF {fid:04X} ended at {len(data)} of {total} bytes")
        data += chunk[: total - len(data)]
    return bytes(data)


def _read_chunk(channel: CardChannel, offset: int, le: int, extended: bool, secret: bool) -> bytes:
    response = channel.send(apdu.read_binary(offset, le, extended=extended, secret=secret))
    if response.sw == StatusWord.WRONG_P1P2:
        raise MalformedResponse(f"READ BINARY at {offset}: past the end of the EF")
    if response.sw == StatusWord.END_OF_FILE_WARNING and response.data:
        return response.data
    raise_for_status(response.sw, f"READ BINARY at {offset}")
    return response.data


def tries_left(channel: CardChannel, fid: int) -> int:
    """SELECT the secret's EF and send VERIFY without data: reports the counter without spending a try.

    A card that already verified the secret in this session may answer 9000; the counter is then full,
    which callers see as "not lower than before" — the kiosk never reads tries after verifying anyway.
    """
    select_file(channel, fid)
    sw = channel.send(apdu.verify(None)).sw
    tries = tries_left_from_sw(sw)
    if tries is not None:
        return tries
    if sw in (StatusWord.AUTH_METHOD_BLOCKED, StatusWord.REFERENCE_DATA_BLOCKED):
        return 0
    if sw in (StatusWord.REFERENCED_DATA_NOT_FOUND, StatusWord.FILE_NOT_FOUND):
        raise SecretNotPresent(sw, f"EF {fid:04X}: no secret set")
    if sw == StatusWord.OK:
        raise CardCommandFailed(sw, f"EF {fid:04X}: counter query answered 9000 (already verified)")
    raise_for_status(sw, f"VERIFY query EF {fid:04X}")
    raise MalformedResponse(f"VERIFY query EF {fid:04X}: no counter in {sw:04X}")


def verify_secret(
    channel: CardChannel, fid: int, secret: bytes, wrong: type[SecretWrong], blocked: type[SecretBlocked]
) -> None:
    """SELECT the secret's EF and VERIFY it: spends one try if wrong. The caller asked for this try."""
    select_file(channel, fid)
    sw = channel.send(apdu.verify(secret)).sw
    raise_for_verify(sw, wrong, blocked, f"VERIFY EF {fid:04X}")
