"""The 照合番号B gate with in-process fakes: what it sends, what it refuses, and when it falls back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime

import pytest

from kiosk.cardface import CardFrontReading
from kiosk.domain import CardSummary, CertificateInfo, ChipFrontRecord, Sex, TriesLeft
from kiosk.errors import CardFaceUnreadable, VerificationBBlocked, VerificationBWrong
from kiosk.verification_b_gate import VerificationBGate

GOOD, BAD = "55021720300123", "55021720300124"


def summary(card_id: str) -> CardSummary:
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
    cert = CertificateInfo(b"", card_id, 1, "CN=test", start, end)
    return CardSummary("reader", b"", ("JPKI",), cert, cert, TriesLeft(3, 3))


class FakeCard:
    def __init__(self, tries: int = 3, secret: str = GOOD) -> None:
        self.tries, self.secret, self.sent = tries, secret, []  # type: list[str]
        self.card_id = "CARD1"

    def read_summary(self, cancel: object = None) -> CardSummary:
        return summary(self.card_id)

    def verification_b_tries_left(self, cancel: object = None) -> int:
        return self.tries

    def read_chip_front(self, verification_b: str, cancel: object = None) -> ChipFrontRecord:
        self.sent.append(verification_b)
        if verification_b != self.secret:
            self.tries -= 1
            raise VerificationBWrong(self.tries)
        return ChipFrontRecord(datetime(1980, 2, 17).date(), Sex.MALE, datetime(2030, 2, 17).date(), b"jp2", None)

    def sign_challenge(self, pin: str, challenge: bytes, cancel: object = None) -> bytes:
        return b""

    def read_basic_info(self, pin: str, cancel: object = None) -> object:
        return None


class FakeReader:
    def __init__(self, values: list[str | None]) -> None:
        self._values: Iterator[str | None] = iter(values)
        self.looks = 0

    def looking(self) -> nullcontext[Callable[[object], CardFrontReading | None]]:
        return nullcontext(self.read_front)

    def read_front(self, summary: object) -> CardFrontReading | None:
        self.looks += 1
        value = next(self._values, None)
        return CardFrontReading(value, 0.99 if value else 0.2, "ok" if value else "low confidence")


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


def gate(card: FakeCard, values: list[str | None]) -> tuple[VerificationBGate, FakeReader]:
    reader = FakeReader(values)
    g = VerificationBGate(card, reader, scan_timeout_s=5, clock=Clock())  # type: ignore[arg-type]
    g.read_summary()
    return g, reader


def test_sends_a_confident_value_after_reading_the_counter() -> None:
    card = FakeCard()
    g, _ = gate(card, [None, GOOD])
    assert g.scan() == GOOD
    g.read_chip_front(GOOD)
    assert card.sent == [GOOD]


def test_a_value_that_failed_is_never_sent_again() -> None:
    card = FakeCard(tries=5)
    g, _ = gate(card, [BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD])
    value = g.scan()
    with pytest.raises(VerificationBWrong):
        g.read_chip_front(value)
    with pytest.raises(CardFaceUnreadable):  # the same misreading again: re-scan, never resend
        g.scan()
    assert card.sent == [BAD] and card.tries == 4


def test_falls_back_while_two_tries_remain_without_looking() -> None:
    card = FakeCard(tries=2)
    g, reader = gate(card, [GOOD])
    with pytest.raises(VerificationBBlocked):
        g.scan()
    assert reader.looks == 0 and card.sent == []


def test_a_new_card_starts_with_a_clean_memory() -> None:
    card = FakeCard(tries=5)
    g, _ = gate(card, [BAD, BAD])
    with pytest.raises(VerificationBWrong):
        g.read_chip_front(g.scan())
    card.card_id, card.secret = "CARD2", BAD
    g.read_summary()
    g._reader = FakeReader([BAD])  # type: ignore[assignment]
    assert g.scan() == BAD  # the other card's failure does not count against this one
