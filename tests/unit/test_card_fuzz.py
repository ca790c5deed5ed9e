"""Malformed input, fuzzed: the parsers and the driver give typed errors only, never a hang or a crash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.card import jpki, kenhojo, kenkaku, tlv
from drivers.card.certificate import certificate_info
from drivers.card.connection import CardChannel
from kiosk.errors import KioskError, MalformedResponse

FAST = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=300))
def test_tlv_parsers_raise_only_malformed(data: bytes) -> None:
    for parse in (tlv.parse_header, tlv.parse_one, tlv.parse_all):
        try:
            parse(data)
        except MalformedResponse:
            pass


@FAST
@given(st.binary(max_size=600))
def test_record_parsers_raise_only_malformed(data: bytes) -> None:
    for parse in (kenkaku.parse_card_face, kenhojo.parse_basic_info, certificate_info):
        try:
            parse(data)
        except MalformedResponse:
            pass


@FAST
@given(st.integers(0, 0xFFFFFF), st.binary(max_size=40))
def test_lying_der_lengths_in_a_card_face(claimed: int, body: bytes) -> None:
    header = bytes.fromhex("FF20") + bytes((0x83,)) + claimed.to_bytes(3, "big")
    with pytest.raises(MalformedResponse):
        kenkaku.parse_card_face(header + body)


class ScriptedConnection:
    """Answers every APDU from a script; past its end, repeats the last answer (an endless card)."""

    def __init__(self, answers: list[bytes]) -> None:
        self._answers: Iterator[bytes] = iter(answers)
        self._last = answers[-1] if answers else b""
        self.sent = 0

    def transmit(self, apdu: bytes) -> bytes:
        self.sent += 1
        self._last = next(self._answers, self._last)
        return self._last


status_words = st.sampled_from([0x9000, 0x6100, 0x6110, 0x6C10, 0x6282, 0x6700, 0x6982, 0x6A82, 0x6B00, 0x63C2,
                                0x6984, 0x6D00, 0x9001, 0x0000, 0xFFFF])
answers = st.builds(lambda data, sw: data + sw.to_bytes(2, "big"), st.binary(max_size=300), status_words)
oversize = st.builds(lambda fill: fill * 65540, st.binary(min_size=1, max_size=1))
# An oversize reply is one byte repeated: 64 KB of random entropy per example trips hypothesis' data_too_large.
responses = st.lists(st.one_of(answers, st.binary(max_size=3), oversize),
                     min_size=1, max_size=40)


@FAST
@given(responses)
def test_driver_reads_give_typed_errors_only(script: list[bytes]) -> None:
    for operation in (jpki.read_auth_certificate, jpki.auth_pin_tries_left, kenkaku.read_card_face_record,
                      lambda ch: jpki.sign_with_auth_key(ch, "1234", b"challenge")):
        connection = ScriptedConnection(script)
        try:
            operation(CardChannel(connection))
        except KioskError:
            pass
        assert connection.sent < 300  # bounded: no endless loop on an endless card


def test_endless_61xx_chain_is_cut() -> None:
    connection = ScriptedConnection([b"\x30" + b"\x00" * 10 + b"\x61\x00"])
    with pytest.raises(MalformedResponse, match="61xx"):
        jpki.read_auth_certificate(CardChannel(connection))
    assert connection.sent < 100


def test_oversize_response_is_refused() -> None:
    connection = ScriptedConnection([b"\x90\x00", b"\x00" * 70000 + b"\x90\x00"])
    with pytest.raises(MalformedResponse, match="oversize"):
        jpki.read_auth_certificate(CardChannel(connection))


def test_truncated_certificate_is_malformed() -> None:
    header = bytes.fromhex("308206FF") + b"\x01" * 100  # claims 1,795 bytes, has 100
    connection = ScriptedConnection([b"\x90\x00", header + b"\x90\x00", b"\x6b\x00"])
    with pytest.raises(MalformedResponse):
        jpki.read_auth_certificate(CardChannel(connection))
