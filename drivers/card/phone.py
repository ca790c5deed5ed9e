"""A phone carrying the JPKI 利用者証明用電子証明書 (スマホのマイナ保険証), read with the same ISO and JPKI layers as
the card.

The JPKI application on a phone answers the card's AID and EFs; EF 0006 (CK_TOKEN_INFO) names the carrier in its
32-byte label (docs/smartphone.md): `JPKIAPICCTOKEN2` the card, `JPKIAPGPSETOKEN` an Android phone's GP-SE
(スマホ用電子証明書), `JPKIAPIOSTOKEN` an iPhone. Android keeps the auth certificate behind the auth PIN (EF 0018, 4
digits, its own counter): jpki/myna reads it only after VERIFY. An iPhone authenticates its holder with Face ID /
Touch ID on the phone and asks the kiosk for no PIN; how its JPKI application then answers is not publicly
documented, so that one assumption lives in `_iphone_proof` alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from drivers.card import apdu, iso7816, jpki
from drivers.card.apdu import raise_for_status
from drivers.card.certificate import certificate_info
from drivers.card.connection import CardChannel
from drivers.card.pcsc import PcscConnection, choose_reader
from kiosk.domain import CertificateInfo, CredentialCarrier, PhoneCredential, PhoneProof
from kiosk.errors import MalformedResponse, PinBlocked, PinWrong, UnsupportedCard
from kiosk.ports import CancelToken

TOKEN_LABEL_LENGTH = 32
CARRIER_BY_LABEL = {
    "JPKIAPICCTOKEN2": CredentialCarrier.CARD,
    "JPKIAPGPSETOKEN": CredentialCarrier.ANDROID,
    "JPKIAPIOSTOKEN": CredentialCarrier.IPHONE,
}  # "JPKIAPICCTOKEN" is the old 住基カード: not a My Number card, refused as unsupported


class PhoneConnection(Protocol):
    reader: str

    def transmit(self, apdu: bytes) -> bytes: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def close(self, *, reset: bool = False) -> None: ...


def read_token_label(channel: CardChannel) -> str:
    """SELECT JPKI, SELECT EF 0006 and READ BINARY its 32-byte label (no secret needed on any carrier)."""
    jpki.select(channel)
    iso7816.select_file(channel, jpki.EF_TOKEN_INFO)
    response = channel.send(apdu.read_binary(0, TOKEN_LABEL_LENGTH))
    raise_for_status(response.sw, "READ BINARY EF 0006")
    if len(response.data) != TOKEN_LABEL_LENGTH:
        raise MalformedResponse(f"token label of {len(response.data)} bytes, expected {TOKEN_LABEL_LENGTH}")
    try:
        return response.data.decode("ascii").rstrip(" \x00")
    except UnicodeDecodeError as exc:
        raise MalformedResponse("token label is not ASCII") from exc


def carrier_of(label: str) -> CredentialCarrier:
    try:
        return CARRIER_BY_LABEL[label]
    except KeyError:
        raise UnsupportedCard(f"JPKI token {label!r}: not a My Number card or a phone carrying one") from None


def _android_proof(channel: CardChannel, pin: str, message: bytes) -> tuple[bytes, bytes]:
    """VERIFY the phone's auth PIN, then read its certificate (closed until then) and sign with its key."""
    if len(pin) != 4 or not pin.isdigit():
        raise ValueError("the phone's auth PIN is 4 digits")  # never send a malformed PIN: it would cost a try
    iso7816.verify_secret(channel, jpki.EF_AUTH_PIN, pin.encode("ascii"), PinWrong, PinBlocked)
    certificate = jpki.read_auth_certificate(channel)
    return certificate, _sign(channel, message)


def _iphone_proof(channel: CardChannel, message: bytes) -> tuple[bytes, bytes]:
    """ASSUMPTION (no public source found): after Face ID / Touch ID on the phone, the iPhone's JPKI application
    lets the reader read the auth certificate and use the auth key without a VERIFY from the kiosk."""
    certificate = jpki.read_auth_certificate(channel)
    return certificate, _sign(channel, message)


def _sign(channel: CardChannel, message: bytes) -> bytes:
    iso7816.select_file(channel, jpki.EF_AUTH_KEY)
    response = channel.send(apdu.compute_signature(jpki.digest_info_sha256(message)))
    raise_for_status(response.sw, "COMPUTE DIGITAL SIGNATURE")
    if len(response.data) != jpki.SIGNATURE_LENGTH:
        raise MalformedResponse(f"signature of {len(response.data)} bytes, expected {jpki.SIGNATURE_LENGTH}")
    return response.data


class SmartphoneService:
    """The smartphone reader: what is on it, and the phone's proof once its holder authenticated."""

    def __init__(self, reader: str | None = None, *,
                 connect: Callable[[str, bool], PhoneConnection] | None = None) -> None:
        self._reader_name = reader
        self._connect: Callable[[str, bool], PhoneConnection] = connect or (
            lambda name, exclusive: PcscConnection(name, exclusive=exclusive))
        self._pcsc = connect is None
        self.apdus = 0  # APDUs sent by the last operation (benchmarks and tests)

    @property
    def reader(self) -> str:
        return choose_reader(self._reader_name) if self._pcsc else (self._reader_name or "")

    @contextmanager
    def _channel(self, cancel: CancelToken | None, *,
                 exclusive: bool = False) -> Iterator[tuple[CardChannel, PhoneConnection]]:
        connection = self._connect(self.reader, exclusive)
        channel = CardChannel(connection, cancel)
        try:
            yield channel, connection
        finally:
            self.apdus = channel.apdu_count
            connection.close(reset=exclusive)  # a reset after signing drops the verified PIN

    def identify(self, cancel: CancelToken | None = None) -> PhoneCredential:
        """Which carrier is on the reader, and Android's PIN counter — no try spent, nothing personal read."""
        with self._channel(cancel) as (channel, connection):
            carrier = carrier_of(read_token_label(channel))
            tries = jpki.auth_pin_tries_left(channel) if carrier is CredentialCarrier.ANDROID else None
            return PhoneCredential(reader=connection.reader, carrier=carrier, auth_pin_tries=tries)

    def prove(self, carrier: CredentialCarrier, message: bytes, pin: str | None = None,
              cancel: CancelToken | None = None) -> PhoneProof:
        """The phone's certificate and its signature over `message`, in one exclusive transaction."""
        with self._channel(cancel, exclusive=True) as (channel, connection), connection.transaction():
            found = carrier_of(read_token_label(channel))
            if found is not carrier:
                raise UnsupportedCard(f"expected {carrier.value}, found {found.value} on the reader")
            if carrier is CredentialCarrier.ANDROID:
                if pin is None:
                    raise ValueError("an Android phone needs its PIN")
                der, signature = _android_proof(channel, pin, message)
            elif carrier is CredentialCarrier.IPHONE:
                der, signature = _iphone_proof(channel, message)
            else:
                raise UnsupportedCard("a card on the smartphone reader: read it with the card service")
            certificate: CertificateInfo = certificate_info(der)
            return PhoneProof(carrier=carrier, auth_certificate=certificate, signature=signature)
