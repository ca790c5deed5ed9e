"""券面事項確認AP (Kenkaku): 照合番号B and the card face EF (docs/card-reference.md §6).

The card face EF 0002 holds the chip's copy of the printed front: birth date, sex, the card's public key,
name and address images, the grey JPEG 2000 face photo, the issuer's signature, the expiry date and the
security-code image. Its signature covers three SHA-256 digests — of (DF22 DF23 DF24), (DF25 DF26) and
(DF27), each over the TLV encodings as stored — whose 96-byte concatenation is signed RSASSA-PKCS1-v1_5
with SHA-256 by the issuer key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from drivers.card import iso7816, tlv
from drivers.card.connection import CardChannel
from kiosk.domain import ChipFrontRecord, Sex
from kiosk.errors import CardNotAuthentic, MalformedResponse, UnsupportedCard, VerificationBBlocked, VerificationBWrong

AID = bytes.fromhex("D3921000310001010402")
EF_CARD_FACE = 0x0002
EF_VERIFICATION_B = 0x0012
VERIFICATION_B_LENGTH = 14

TAG_RECORD = 0xFF20
TAG_OFFSETS, TAG_BIRTH, TAG_SEX, TAG_PUBLIC_KEY = 0xDF21, 0xDF22, 0xDF23, 0xDF24
TAG_NAME_IMAGE, TAG_ADDRESS_IMAGE, TAG_PHOTO, TAG_SIGNATURE = 0xDF25, 0xDF26, 0xDF27, 0xDF28
TAG_EXPIRY, TAG_SECURITY_CODE_IMAGE = 0xDF29, 0xDF2A
SIGNED_GROUPS = ((TAG_BIRTH, TAG_SEX, TAG_PUBLIC_KEY), (TAG_NAME_IMAGE, TAG_ADDRESS_IMAGE), (TAG_PHOTO,))
JP2_SIGNATURE = bytes.fromhex("0000000C6A5020200D0A870A")


@dataclass(frozen=True)
class CardFaceRecord:
    """Every field of EF 0002, parsed (images kept as bytes; nothing here is ever logged)."""

    fields: dict[int, bytes]

    def signed_message(self) -> bytes:
        digests = b""
        for group in SIGNED_GROUPS:
            digests += hashlib.sha256(b"".join(tlv.encode(t, self.fields[t]) for t in group)).digest()
        return digests


def select(channel: CardChannel) -> None:
    if not iso7816.select_application(channel, AID):
        raise UnsupportedCard("no 券面事項確認AP")


def verification_b_tries_left(channel: CardChannel) -> int:
    select(channel)
    return iso7816.tries_left(channel, EF_VERIFICATION_B)


def verify_verification_b(channel: CardChannel, digits: str) -> None:
    if len(digits) != VERIFICATION_B_LENGTH or not digits.isdigit():
        raise ValueError("照合番号B is 14 digits")  # a malformed value would waste a try
    select(channel)
    iso7816.verify_secret(channel, EF_VERIFICATION_B, digits.encode("ascii"), VerificationBWrong,
                          VerificationBBlocked)


def read_card_face_record(channel: CardChannel, *, extended: bool = False) -> CardFaceRecord:
    raw = iso7816.read_binary_all(channel, EF_CARD_FACE, extended=extended, secret=True)
    return parse_card_face(raw)


def parse_card_face(raw: bytes) -> CardFaceRecord:
    fields = {tag: item.value for tag, item in tlv.children(raw, TAG_RECORD).items()}
    missing = [f"{t:X}" for t in (TAG_BIRTH, TAG_SEX, TAG_PHOTO, TAG_EXPIRY) if t not in fields]
    if missing:
        raise MalformedResponse(f"card face record lacks {', '.join(missing)}")
    return CardFaceRecord(fields)


def _parse_date(value: bytes, what: str) -> date:
    try:
        text = value.decode("ascii")
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedResponse(f"card face {what} is not YYYYMMDD") from exc


def to_card_face(record: CardFaceRecord, issuer_keys: Sequence[rsa.RSAPublicKey]) -> ChipFrontRecord:
    """The record as a ChipFrontRecord, only when its issuer signature verifies against one of `issuer_keys`.

    The signature is checked first: nothing of an unsigned or altered record (photo, birth date, sex) is
    used, and with no issuer key configured nothing is accepted at all (CardNotAuthentic).
    """
    if not issuer_keys:
        raise CardNotAuthentic("no 券面 issuer key is configured: the card-face record cannot be checked")
    if not any(signature_valid(record, key) for key in issuer_keys):
        raise CardNotAuthentic("the card-face record's issuer signature does not verify")
    fields = record.fields
    try:
        sex = Sex(fields[TAG_SEX].decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedResponse("card face sex is not 1/2/9") from exc
    photo = fields[TAG_PHOTO]
    if not photo.startswith(JP2_SIGNATURE) and not photo.startswith(b"\xff\x4f\xff\x51"):
        raise MalformedResponse("card face photo is not JPEG 2000")
    return ChipFrontRecord(
        birth_date=_parse_date(fields[TAG_BIRTH], "birth date"),
        sex=sex,
        expiry=_parse_date(fields[TAG_EXPIRY], "expiry"),
        photo_jp2=photo,
        signature_valid=True,
    )


def signature_valid(record: CardFaceRecord, issuer_key: rsa.RSAPublicKey) -> bool:
    signature = record.fields.get(TAG_SIGNATURE)
    if signature is None or not all(t in record.fields for group in SIGNED_GROUPS for t in group):
        return False
    try:
        issuer_key.verify(signature, record.signed_message(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
