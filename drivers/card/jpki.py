"""公的個人認証AP (JPKI-AP): the user-authentication certificate, its CA, the auth PIN and signing with
the auth key. Constants from docs/card-reference.md §4."""

from __future__ import annotations

import hashlib

from drivers.card import apdu, iso7816
from drivers.card.apdu import raise_for_status
from drivers.card.connection import CardChannel
from kiosk.errors import MalformedResponse, PinBlocked, PinWrong, UnsupportedCard

AID = bytes.fromhex("D392F000260100000001")
EF_SIGN_CERT = 0x0001
EF_SIGN_CA = 0x0002
EF_TOKEN_INFO = 0x0006
EF_AUTH_CERT = 0x000A
EF_AUTH_CA = 0x000B
EF_AUTH_KEY = 0x0017
EF_AUTH_PIN = 0x0018
EF_SIGN_KEY = 0x001A
EF_SIGN_PASSWORD = 0x001B
AUTH_PIN_MAX_TRIES = 3
SIGNATURE_LENGTH = 256

# DER prefix of DigestInfo{ sha256, <32-byte hash> }; the card adds the PKCS#1 v1.5 padding itself.
SHA256_DIGEST_INFO_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def select(channel: CardChannel) -> None:
    if not iso7816.select_application(channel, AID):
        raise UnsupportedCard("no JPKI application: not a My Number card")


def read_auth_certificate(channel: CardChannel, *, extended: bool = False) -> bytes:
    return iso7816.read_binary_all(channel, EF_AUTH_CERT, extended=extended)


def read_auth_ca_certificate(channel: CardChannel, *, extended: bool = False) -> bytes:
    return iso7816.read_binary_all(channel, EF_AUTH_CA, extended=extended)


def auth_pin_tries_left(channel: CardChannel) -> int:
    return iso7816.tries_left(channel, EF_AUTH_PIN)


def digest_info_sha256(message: bytes) -> bytes:
    return SHA256_DIGEST_INFO_PREFIX + hashlib.sha256(message).digest()


def sign_with_auth_key(channel: CardChannel, pin: str, message: bytes) -> bytes:
    """VERIFY the auth PIN, then sign SHA-256(message) with the auth key (RSASSA-PKCS1-v1_5).

    Must run inside one exclusive transaction: another PC/SC client re-selecting the AP in between
    would drop the verified state. Spends one PIN try if the PIN is wrong — the patient asked for it.
    """
    if len(pin) != 4 or not pin.isdigit():
        raise ValueError("the auth PIN is 4 digits")  # never send a malformed PIN: it would cost a try
    select(channel)
    iso7816.verify_secret(channel, EF_AUTH_PIN, pin.encode("ascii"), PinWrong, PinBlocked)
    iso7816.select_file(channel, EF_AUTH_KEY)
    response = channel.send(apdu.compute_signature(digest_info_sha256(message)))
    raise_for_status(response.sw, "COMPUTE DIGITAL SIGNATURE")
    if len(response.data) != SIGNATURE_LENGTH:
        raise MalformedResponse(f"signature of {len(response.data)} bytes, expected {SIGNATURE_LENGTH}")
    return response.data
