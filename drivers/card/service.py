"""MyNumberCardService: kiosk.ports.CardService over PC/SC.

Call it from the one thread that owns the reader (the kiosk runtime's card worker). Each operation opens
its own connection and closes it, so a pulled card never leaves a half-open session behind; PIN + sign
run inside one exclusive transaction and the card is reset afterwards, dropping the verified PIN.

Fewer APDUs (issue 15): extended READ BINARY where the card and reader take it (`extended=None` probes
once per ATR and falls back to 256-byte reads for good when the card refuses), and the JPKI CA
certificate — the same for every card its CA issued — is read once and then reused for any card whose
auth certificate names it (issuer + authority key identifier), instead of on every insertion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from drivers.card import iso7816, jpki, kenhojo, kenkaku
from drivers.card.apdu import StatusWord
from drivers.card.certificate import certificate_info
from drivers.card.connection import CardChannel
from drivers.card.issuer import load_issuer_keys as load_issuer_keys  # for the composition root
from drivers.card.pcsc import DEFAULT_APDU_DEADLINE_S, PcscConnection, choose_reader
from kiosk.domain import BasicInfo, CardSummary, CertificateInfo, ChipFrontRecord, TriesLeft
from kiosk.errors import CardCommandFailed, CardError, CardRemoved, CardTimeout, MalformedResponse, NoReader
from kiosk.ports import CancelToken

APPLICATIONS = (("JPKI", jpki.AID), ("券面事項確認AP", kenkaku.AID), ("券面事項入力補助AP", kenhojo.AID))
# Answers that mean "no extended APDUs here" (ISO 7816-4 wrong length / P1-P2 / instruction, or a reader
# that cannot carry them); anything else is a real failure and is raised.
_NO_EXTENDED_SW = {StatusWord.WRONG_LENGTH, StatusWord.WRONG_P1P2, StatusWord.INCORRECT_P1P2,
                   StatusWord.INS_NOT_SUPPORTED, StatusWord.WRONG_DATA}


@dataclass(frozen=True)
class ReadStats:
    """APDUs sent by the last operation (for the benchmark and the fault tests)."""

    apdus: int = 0


def _ca_key(cert: x509.Certificate) -> tuple[str, bytes] | None:
    """(issuer name, authority key identifier) of an auth certificate: which CA certificate it needs."""
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except (x509.ExtensionNotFound, ValueError):
        return None
    return (cert.issuer.rfc4514_string(), aki) if aki else None


def _subject_key(cert: x509.Certificate) -> tuple[str, bytes] | None:
    try:
        ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        return None
    return cert.subject.rfc4514_string(), ski


def _public_key(auth: CertificateInfo) -> rsa.RSAPublicKey:
    try:
        key = x509.load_der_x509_certificate(auth.der).public_key()
    except ValueError as exc:
        raise MalformedResponse("the auth certificate's key cannot be parsed") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise MalformedResponse("the auth certificate does not hold an RSA key")
    return key


class MyNumberCardService:
    def __init__(self, reader: str | None = None, *, issuer_keys: Sequence[rsa.RSAPublicKey] = (),
                 issuer_key: rsa.RSAPublicKey | None = None, extended: bool | None = False,
                 apdu_deadline_s: float = DEFAULT_APDU_DEADLINE_S,
                 connect: Callable[[str, bool], PcscConnection] | None = None) -> None:
        self._reader_name = reader
        self._issuer_keys = tuple(issuer_keys) + ((issuer_key,) if issuer_key is not None else ())
        self._extended = extended  # True: always; False: never; None: where the card takes them
        self._extended_by_atr: dict[bytes, bool] = {}
        self._ca_cache: dict[tuple[str, bytes], CertificateInfo] = {}
        self._auth_key: rsa.RSAPublicKey | None = None  # of the card read_summary last read
        self._connect = connect or (lambda name, exclusive: PcscConnection(
            name, exclusive=exclusive, apdu_deadline_s=apdu_deadline_s))
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

    def _read(self, channel: CardChannel, atr: bytes, fid: int, *, secret: bool = False) -> bytes:
        """One EF's TLV: extended where allowed and known (or probed) to work, else 256-byte reads."""
        mode = self._extended if self._extended is not None else self._extended_by_atr.get(atr)
        if mode is False:
            return iso7816.read_binary_all(channel, fid, secret=secret)
        if mode is True:
            return iso7816.read_binary_all(channel, fid, extended=True, secret=secret)
        try:  # first read on this kind of card: try extended, fall back for good when it is refused
            data = iso7816.read_binary_all(channel, fid, extended=True, secret=secret)
        except (CardRemoved, CardTimeout, NoReader):
            raise
        except CardCommandFailed as exc:
            if exc.sw not in _NO_EXTENDED_SW:
                raise
            self._extended_by_atr[atr] = False
        except MalformedResponse:
            pass  # this answer was damaged: read short this time, probe again next time
        except CardError:  # the reader could not carry it
            self._extended_by_atr[atr] = False
        else:
            self._extended_by_atr[atr] = True
            return data
        return iso7816.read_binary_all(channel, fid, secret=secret)

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        with self._channel(cancel) as (channel, connection):
            atr = connection.atr
            jpki.select(channel)  # UnsupportedCard when this is not a My Number card
            auth = certificate_info(self._read(channel, atr, jpki.EF_AUTH_CERT))
            self._auth_key = _public_key(auth)
            auth_ca = self._auth_ca(channel, atr, auth)
            try:
                pin_tries: int | None = jpki.auth_pin_tries_left(channel)
            except iso7816.SecretNotPresent:
                pin_tries = None  # 顔認証マイナンバーカード: no PIN set
            b_tries = kenkaku.verification_b_tries_left(channel)
            found = ["JPKI", "券面事項確認AP"]
            if iso7816.select_application(channel, kenhojo.AID):
                found.append("券面事項入力補助AP")
            return CardSummary(reader=connection.reader, atr=atr, applications=tuple(found),
                               auth_certificate=auth, auth_ca_certificate=auth_ca,
                               tries=TriesLeft(auth_pin=pin_tries, verification_b=b_tries))

    def _auth_ca(self, channel: CardChannel, atr: bytes, auth: CertificateInfo) -> CertificateInfo:
        """The CA certificate from the cache when this card's auth certificate names a cached one."""
        wanted = _ca_key(x509.load_der_x509_certificate(auth.der))
        if wanted is not None and wanted in self._ca_cache:
            return self._ca_cache[wanted]
        info = certificate_info(self._read(channel, atr, jpki.EF_AUTH_CA))
        key = _subject_key(x509.load_der_x509_certificate(info.der))
        if key is not None and key == wanted:  # only a CA that really is this card's issuer is kept
            self._ca_cache[key] = info
        return info

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
        """VERIFY 照合番号B and read the 券面 record; CardNotAuthentic unless its issuer signature verifies."""
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            atr = connection.atr
            kenkaku.verify_verification_b(channel, verification_b)
            record = kenkaku.parse_card_face(self._read(channel, atr, kenkaku.EF_CARD_FACE, secret=True))
            return kenkaku.to_card_face(record, self._issuer_keys)

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        """VERIFY the PIN and sign; the signature is checked against the card's auth certificate (the one
        read_summary saw, else read here) so that a damaged answer is an error, never a result."""
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            key = self._auth_key
            if key is None:
                jpki.select(channel)
                key = _public_key(certificate_info(self._read(channel, connection.atr, jpki.EF_AUTH_CERT)))
            signature = jpki.sign_with_auth_key(channel, pin, challenge)
        try:
            key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise MalformedResponse("the card's signature does not verify with its auth certificate") from exc
        return signature

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        with self._channel(cancel, exclusive=True, reset_after=True) as (channel, connection), \
                connection.transaction():
            return kenhojo.read_basic_info(channel, pin)
