from __future__ import annotations

import pytest

from drivers.card import apdu, tlv
from drivers.card.apdu import CommandApdu, raise_for_verify, tries_left_from_sw
from kiosk.errors import CardCommandFailed, PinBlocked, PinWrong, SecurityStatusNotSatisfied


def test_short_and_extended_encodings() -> None:
    assert apdu.select_df(bytes.fromhex("D392F000260100000001")).to_bytes().hex() == \
        "00a4040c0ad392f000260100000001"
    assert apdu.read_binary(0x0100, 256).to_bytes().hex() == "00b0010000"
    assert apdu.read_binary(0, 65536, extended=True).to_bytes().hex() == "00b00000000000"
    assert apdu.read_binary(4, 0x061F, extended=True).to_bytes().hex() == "00b0000400061f"
    assert apdu.verify(None).to_bytes().hex() == "00200080"
    assert apdu.verify(b"1234").to_bytes().hex() == "002000800431323334"
    sign = apdu.compute_signature(b"\x01" * 51).to_bytes()
    assert sign[:5].hex() == "802a008033" and sign[-1] == 0
    big = CommandApdu(0x80, 0xA2, 0, 0, b"\x00" * 307, le=256).to_bytes()
    assert big[4:7].hex() == "000133" and big[-2:].hex() == "0100"


def test_offsets_are_15_bit() -> None:
    with pytest.raises(ValueError):
        apdu.read_binary(0x8000, 1)


def test_status_words_become_typed_errors_in_one_place() -> None:
    assert tries_left_from_sw(0x63C2) == 2 and tries_left_from_sw(0x9000) is None
    with pytest.raises(PinWrong) as wrong:
        raise_for_verify(0x63C2, PinWrong, PinBlocked, "t")
    assert wrong.value.tries_left == 2
    for blocked in (0x63C0, 0x6983, 0x6984):
        with pytest.raises(PinBlocked):
            raise_for_verify(blocked, PinWrong, PinBlocked, "t")
    with pytest.raises(SecurityStatusNotSatisfied):
        apdu.raise_for_status(0x6982, "t")
    with pytest.raises(CardCommandFailed) as failed:
        apdu.raise_for_status(0x6A82, "t")
    assert failed.value.sw == 0x6A82


def test_redacted_by_construction() -> None:
    verify = apdu.verify(b"1234")
    assert "31 32 33 34" not in verify.loggable() and "redacted" in verify.loggable()
    read = apdu.read_binary(0, 256, secret=True)
    assert read.loggable_response(b"\xff\xd8photo", 0x9000) == "[7 personal bytes redacted] 9000"
    assert "1234" not in repr(verify) and "31323334" not in repr(verify)


def test_tlv_two_byte_tags_and_long_lengths() -> None:
    value = b"x" * 300
    encoded = tlv.encode(0xFF20, tlv.encode(0xDF21, b"\x00\x0e") + tlv.encode(0xDF22, value))
    header = tlv.parse_header(encoded)
    assert header.tag == 0xFF20 and header.total_length == len(encoded)
    kids = tlv.children(encoded + b"\xff" * 20, 0xFF20)
    assert kids[0xDF22].value == value and kids[0xDF21].offset == header.header_length
