"""The virtual card in-process: the docs/card-reference.md §11 checklist, answer by answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.card import jpki, kenkaku
from testbench.virtualcard.applications import load_card_model
from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.profile import Variant

JPKI = "00A4040C0AD392F000260100000001"


@pytest.fixture
def card(profile_dir) -> VirtualMyNumberCard:  # type: ignore[no-untyped-def]
    return VirtualMyNumberCard(load_card_model(profile_dir(Variant.ORDINARY), persist_counters=False))


def sw(card: VirtualMyNumberCard, hex_apdu: str) -> str:
    return card.execute(bytes.fromhex(hex_apdu.replace(" ", "")))[-2:].hex().upper()


def test_select_and_probe_answers(card: VirtualMyNumberCard) -> None:
    assert sw(card, "00A40000") == "6A86"  # select MF right after reset
    assert sw(card, "00A4040C07A0000000010101") == "6A82"  # another driver's AID
    assert sw(card, "00CA DF30 05") == "6A88"
    assert sw(card, "00CB3FFF035C017E08") == "6A88"
    assert sw(card, "00B0000004") == "6986"  # no EF selected
    assert sw(card, JPKI) == "9000"
    assert sw(card, "00A40000") == "9000"
    assert sw(card, "00A4020C020099") == "6A82"
    assert sw(card, "01A4040C0AD392F000260100000001") == "6881"  # logical channel
    assert sw(card, "0CA4040C0AD392F000260100000001") == "6882"  # secure messaging
    assert sw(card, "00EE0000") == "6D00"
    assert sw(card, "A0A40000") == "6E00"


def test_reads_short_sfi_and_extended(card: VirtualMyNumberCard) -> None:
    sw(card, JPKI)
    sfi_read = card.execute(bytes.fromhex("00B08A0004"))  # SFI 0A, offset 0, 4 bytes
    assert sfi_read[:2] == b"\x30\x82" and sfi_read[-2:] == b"\x90\x00"
    whole = card.execute(bytes.fromhex("00B0000000" + "0000"))  # extended Le 65536
    assert len(whole) == 2048 + 2
    assert sw(card, "00B0080000") == "6B00"  # offset past the end
    assert sw(card, "00A4020C020001") == "9000"
    assert sw(card, "00B0000004") == "6982"  # signing certificate needs the password


def test_pin_counter_query_verify_and_block(card: VirtualMyNumberCard) -> None:
    sw(card, JPKI)
    sw(card, "00A4020C020018")
    assert sw(card, "00200080") == "63C3"
    assert sw(card, "002000800431313131") == "63C2"
    assert sw(card, "002000800431313131") == "63C1"
    assert sw(card, "00200080") == "63C1"  # the query spends nothing
    assert sw(card, "002000800431313131") == "63C0"
    assert sw(card, "002000800431323334") == "6984"  # blocked: even the right PIN is refused
    assert sw(card, "00200098") == "63C0"  # SFI form


def test_signature_needs_pin_and_reselect_logs_out(card: VirtualMyNumberCard) -> None:
    digest_info = jpki.digest_info_sha256(b"m")
    sign = f"802A0080{len(digest_info):02X}{digest_info.hex()}00"
    sw(card, JPKI)
    sw(card, "00A4020C020017")
    assert sw(card, sign) == "6982"
    sw(card, "00A4020C020018")
    assert sw(card, "002000800431323334") == "9000"
    sw(card, "00A4020C020017")
    assert len(card.execute(bytes.fromhex(sign))) == 258
    sw(card, JPKI)  # re-selecting the AP drops the verified PIN (OpenSC's logout)
    sw(card, "00A4020C020017")
    assert sw(card, sign) == "6982"
    card.reset()
    assert sw(card, "00A4020C020017") == "6A82"  # power cycle: no DF selected


def test_card_face_opens_with_b_only(card: VirtualMyNumberCard, profile_dir) -> None:  # type: ignore[no-untyped-def]
    import json

    b = json.loads((profile_dir(Variant.ORDINARY) / "profile.json").read_text())["secrets"]["verification_b"]
    sw(card, "00A4040C0A" + kenkaku.AID.hex())
    sw(card, "00A4020C020002")
    assert sw(card, "00B0000010") == "6982"
    sw(card, "00A4020C020012")
    assert sw(card, "00200080" + f"{len(b):02X}" + b.encode().hex()) == "9000"
    sw(card, "00A4020C020002")
    assert sw(card, "00B0000010") == "9000"


def test_counters_persist_across_loads(profile_dir) -> None:  # type: ignore[no-untyped-def]
    directory: Path = profile_dir(Variant.ORDINARY)
    first = VirtualMyNumberCard(load_card_model(directory))
    sw(first, JPKI)
    sw(first, "00A4020C020018")
    sw(first, "002000800439393939")
    second = VirtualMyNumberCard(load_card_model(directory))
    sw(second, JPKI)
    sw(second, "00A4020C020018")
    assert sw(second, "00200080") == "63C2"


def test_free_efs_of_the_card_face_aps(card: VirtualMyNumberCard) -> None:
    """What jpki/myna's `text basic-info` (Kenhojo EF 0005) and `visual basic-info` (Kenkaku EF 0003) read,
    and both APs' CV certificates (EF 0004): no VERIFY needed (docs/card-reference.md §5.1, §6.1)."""
    from drivers.card import kenhojo, tlv

    for aid, fid, tag in ((kenhojo.AID, 0x0004, 0x7F21), (kenhojo.AID, 0x0005, 0xFF40),
                          (kenkaku.AID, 0x0003, 0xFF30), (kenkaku.AID, 0x0004, 0x7F21)):
        sw(card, "00A4040C0A" + aid.hex())
        assert sw(card, f"00A4020C02{fid:04X}") == "9000"
        answer = card.execute(bytes.fromhex("00B00000000000"))  # extended Le: the whole EF
        assert answer[-2:] == b"\x90\x00"
        assert tlv.parse_one(answer[:-2]).tag == tag
    sw(card, "00A4040C0A" + kenkaku.AID.hex())
    sw(card, "00A4020C020003")
    info = tlv.children(card.execute(bytes.fromhex("00B00000000000"))[:-2], 0xFF30)
    assert info[0xDF34].value == b"13101" and len(info[0xDF35].value) == 16 + 256  # municipality, opaque


def test_change_reference_data_refuses_malformed_values(card: VirtualMyNumberCard) -> None:
    sw(card, JPKI)
    sw(card, "00A4020C020018")
    assert sw(card, "0024018002" + b"AB".hex()) == "6982"  # not verified yet
    assert sw(card, "002000800431323334") == "9000"
    for bad in (b"AB", b"12345", b"123", b"12a4", b""):
        assert sw(card, f"00240180{len(bad):02X}" + bad.hex()) in ("6A80", "6700"), bad
    assert sw(card, "002400800435363738") == "6A86"  # P1 00 (old + new in one) is not modelled
    assert sw(card, "002401800435363738") == "9000"
    sw(card, JPKI)
    sw(card, "00A4020C020018")
    assert sw(card, "002000800435363738") == "9000"  # the new PIN works, the malformed ones never took
    sw(card, "00A4020C02001B")
    assert sw(card, "00200080085445535431323334") == "9000"  # TEST1234
    assert sw(card, "0024018005" + b"ABCDE".hex()) == "6A80"  # sign password: 6–16 of A–Z 0–9
    assert sw(card, "0024018006" + b"abcdef".hex()) == "6A80"
    assert sw(card, "0024018006" + b"ABC123".hex()) == "9000"
