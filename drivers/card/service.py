"""MyNumberCardService: kiosk.ports.CardService over PC/SC.

Call it from the one thread that owns the reader (the kiosk runtime's card worker). Each operation opens
its own connection and closes it, so a pulled card never leaves a half-open session behind; PIN + sign
run inside one exclusive transaction and the card is reset afterwards, dropping the verified PIN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from drivers.card import iso7816, jpki, kenhojo, kenkaku
from drivers.card.certificate import certificate_info
from drivers.card.connection import CardChannel
from drivers.card.pcsc import PcscConnection, choose_reader
from kiosk.domain import BasicInfo, CardSummary, ChipFrontRecord, TriesLeft
from kiosk.ports import CancelToken

APPLICATIONS = (("JPKI", jpki.AID), ("券面事項確認AP", kenkaku.AID), ("券面事項入力補助AP", kenhojo.AID))


@dataclass(frozen=True)
class ReadStats:
    """APDUs sent by the last operation (for the benchmark and the fault tests)."""

    apdus: int = 0


class MyNumberCardService:
    def __init__(self, reader: str | None = None, *, issuer_key: rsa.RSAPublicKey | None = None,
                 extended: bool = False, connect: Callable[[str, bool], PcscConnection] | None = None) -> None:
        self._reader_name = reader
        self._issuer_key = issuer_key
        self._extended = extended
        self._connect = connect or (lambda name, exclusive: PcscConnection(name, exclusive=exclusive))
        self._pcsc = connect is None  # an injected connection (the test bench's in-process card) names its reader
        self.last = ReadStats()

    @property
    def reader(self) -> str:
        return choose_reader(self._reader_name) if self._pcsc else (self._reader_name or "")

    @contextmanager
    def _channel(self, cancel: CancelToken | None, *, exclusive: bool = False,
                 reset_after: bool = False) -> Iterator[tuple[CardChannel, PcscConnection]]:
        connection = self._connect(self.reader, exclusive)
        channel = CardChannel(connection, cancel)
        try:
            yield channel, connection
        finally:
            self.last = ReadStats(channel.apdu_count)
            connection.close(reset=reset_after)

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        with self._channel(cancel) as (channel, connection):
            atr = connection.atr
            jpki.select(channel)  # UnsupportedCard when this is not a My Number card
            auth_cert = jpki.read_auth_certificate(channel, extended=self._extended)
            auth_ca = jpki.read_auth_ca_certificate(channel, extended=self._extended)
            try:
                pin_tries: int | None = jpki.auth_pin_tries_left(channel)
            except iso7816.SecretNotPresent:
                pin_tries = None  # 顔認証マイナンバーカード: no PIN set
            b_tries = kenkaku.verification_b_tries_left(channel)
            found = ["JPKI", "券面事項確認AP"]
            if iso7816.select_application(channel, kenhojo.AID):
                found.append("券面事項入力補助AP")
            return CardSummary(reader=connection.reader, atr=atr, applications=tuple(found),
                               auth_certificate=certificate_info(auth_cert),
                               auth_ca_certificate=certificate_info(auth_ca),
                               tries=TriesLeft(auth_pin=pin_tries, verification_b=b_tries))

    def verification_b_tries_left(self, cancel: CancelToken | None = None) -> int:
        with self._channel(cancel) as (channel, _):
            return kenkaku.verification_b_tries_left(channel)

    def auth_pin_tries_left(self, cancel: CancelToken | None = None) -> int | None:
        with self._channel(cancel) as (channel, _):
            jpki.select(channel)
            try:
                return jpki.auth_pin_tries_left(channel)
            except iso7816.SecretNotPresent:
                return None

    def read_chip_front(self, verification_b: str, cancel: CancelToken | None = None) -> ChipFrontRecord:
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            kenkaku.verify_verification_b(channel, verification_b)
            record = kenkaku.read_card_face_record(channel, extended=self._extended)
            return kenkaku.to_card_face(record, self._issuer_key)

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            return jpki.sign_with_auth_key(channel, pin, challenge)

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            return kenhojo.read_basic_info(channel, pin)
