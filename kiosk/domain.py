"""Value types shared by the core, the drivers and the ui. Frozen, typed, stdlib only.

Personal data (photo bytes, birth date, the 4 basic attributes) is kept out of `repr` so that an
accidental log line or traceback cannot carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Sex(Enum):
    MALE = "1"
    FEMALE = "2"
    NOT_APPLICABLE = "9"


@dataclass(frozen=True)
class CertificateInfo:
    """A JPKI X.509 certificate as the kiosk needs it; `der` is the exact bytes read from the card."""

    der: bytes = field(repr=False)
    subject_id: str  # the auth certificate's opaque identifier (CN); not personal data by itself
    serial: int
    issuer: str
    not_before: datetime
    not_after: datetime

    def days_to_expiry(self, now: datetime) -> int:
        return (self.not_after - now).days


@dataclass(frozen=True)
class TriesLeft:
    """Retry counters read with VERIFY without data, so reading them never spends a try.

    `auth_pin` is None on a 顔認証マイナンバーカード, which has no PIN set.
    """

    auth_pin: int | None
    verification_b: int


@dataclass(frozen=True)
class CardSummary:
    """What the kiosk can read from a card without any secret."""

    reader: str
    atr: bytes
    applications: tuple[str, ...]  # names of the applications that answered SELECT
    auth_certificate: CertificateInfo
    auth_ca_certificate: CertificateInfo
    tries: TriesLeft

    @property
    def pin_less(self) -> bool:
        return self.tries.auth_pin is None


@dataclass(frozen=True)
class ChipFrontRecord:
    """券面事項確認AP EF 0002, opened with 照合番号B: the chip's copy of the printed card front."""

    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)
    expiry: date
    photo_jp2: bytes = field(repr=False)  # grey JPEG 2000, never written to disk or log
    signature_valid: bool | None  # None when no issuer key is configured


@dataclass(frozen=True)
class BasicInfo:
    """券面事項入力補助AP EF 0002: the 4 basic attributes (基本4情報), opened with the PIN."""

    name: str = field(repr=False)
    address: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)


class CredentialCarrier(Enum):
    """What the patient held on the reader: the card itself, or a phone carrying the card's JPKI
    利用者証明用電子証明書. The value is the method name the reception result records."""

    CARD = "card"
    ANDROID = "smartphone-android"  # スマホ用電子証明書 (GP-SE): the 4-digit PIN is entered at the kiosk
    IPHONE = "smartphone-iphone"  # iPhone のマイナンバーカード: the holder authenticates on the phone

    @property
    def is_phone(self) -> bool:
        return self is not CredentialCarrier.CARD


@dataclass(frozen=True)
class PhoneCredential:
    """A phone on the smartphone reader, identified without any secret. Android's certificate can only be
    read after the PIN, so nothing of the holder is known yet."""

    reader: str
    carrier: CredentialCarrier
    auth_pin_tries: int | None  # Android's own counter (read without spending a try); None for an iPhone


@dataclass(frozen=True)
class PhoneProof:
    """What the phone gave after authentication: its auth certificate and its signature over the kiosk's
    statement (RSASSA-PKCS1-v1_5 / SHA-256), exactly as the card gives them."""

    carrier: CredentialCarrier
    auth_certificate: CertificateInfo
    signature: bytes = field(repr=False)
