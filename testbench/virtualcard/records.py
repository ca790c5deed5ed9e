"""Binary records of the 券面 APs and the JPKI token info, laid out as docs/card-reference.md §4–§6 describe."""

from __future__ import annotations

import hashlib
import io

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from PIL import Image, ImageDraw

from drivers.card import kenkaku, tlv
from kiosk.cardface import CardFront

TOKEN_LABEL = b"JPKIAPICCTOKEN2"


def public_key_record(key: rsa.RSAPrivateKey) -> bytes:
    """`90 03 010001 91 82 0100 <modulus>`, the encoding inside the 券面 records."""
    numbers = key.public_key().public_numbers()
    return tlv.encode(0x90, numbers.e.to_bytes(3, "big")) + tlv.encode(0x91, numbers.n.to_bytes(256, "big"))


def text_image(text: str, size: tuple[int, int] = (360, 40)) -> bytes:
    """A 1-bit PNG of a printed field (the card stores name, address and security code as images)."""
    from testbench.virtualcard.front import card_font as _font

    image = Image.new("1", size, 1)
    ImageDraw.Draw(image).text((4, 4), text, font=_font(size[1] - 12), fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _record_with_offsets(outer_tag: int, fields: list[tuple[int, bytes]], offsets_tag: int) -> bytes:
    """A record whose first child is a table of absolute offsets of the following TLVs' tags."""
    encoded = [tlv.encode(tag, value) for tag, value in fields]
    table_length = len(tlv.encode(offsets_tag, b"\x00" * 2 * len(fields)))
    inner_length = table_length + sum(len(e) for e in encoded)
    header_length = len(tlv.encode(outer_tag, b"\x00" * inner_length)) - inner_length
    position = header_length + table_length
    offsets = b""
    for item in encoded:
        offsets += position.to_bytes(2, "big")
        position += len(item)
    return tlv.encode(outer_tag, tlv.encode(offsets_tag, offsets) + b"".join(encoded))


def card_face_record(front: CardFront, photo_jp2: bytes, card_key: rsa.RSAPrivateKey,
                     issuer_key: rsa.RSAPrivateKey) -> bytes:
    """券面事項確認AP EF 0002, signed by the test issuer key over the three digest groups."""
    fields = {
        kenkaku.TAG_BIRTH: front.birth_date.strftime("%Y%m%d").encode("ascii"),
        kenkaku.TAG_SEX: front.sex.value.encode("ascii"),
        kenkaku.TAG_PUBLIC_KEY: public_key_record(card_key),
        kenkaku.TAG_NAME_IMAGE: text_image(front.name),
        kenkaku.TAG_ADDRESS_IMAGE: text_image(front.address, (720, 40)),
        kenkaku.TAG_PHOTO: photo_jp2,
    }
    unsigned = kenkaku.CardFaceRecord(fields)
    fields[kenkaku.TAG_SIGNATURE] = issuer_key.sign(unsigned.signed_message(), padding.PKCS1v15(), hashes.SHA256())
    fields[kenkaku.TAG_EXPIRY] = front.expiry.strftime("%Y%m%d").encode("ascii")
    fields[kenkaku.TAG_SECURITY_CODE_IMAGE] = text_image(front.security_code, (120, 40))
    order = sorted(fields)  # DF22 … DF2A, the order clients that parse by position expect
    return _record_with_offsets(kenkaku.TAG_RECORD, [(t, fields[t]) for t in order], kenkaku.TAG_OFFSETS)


def basic_info_record(front: CardFront) -> bytes:
    """券面事項入力補助AP EF 0002: 基本4情報 (name, address, birth date, sex)."""
    return _record_with_offsets(0xFF20, [
        (0xDF22, front.name.encode("utf-8")),
        (0xDF23, front.address.encode("utf-8")),
        (0xDF24, front.birth_date.strftime("%Y%m%d").encode("ascii")),
        (0xDF25, front.sex.value.encode("ascii")),
    ], 0xDF21)


def my_number_record(my_number: str) -> bytes:
    """EF 0001 of the 入力補助AP, 17 physical bytes: `FF 10 0C` + 12 digits + `FF FF`."""
    return tlv.encode(0xFF10, my_number.encode("ascii")) + b"\xff\xff"


def integrity_record(my_number_ef: bytes, basic_info: bytes, issuer_key: rsa.RSAPrivateKey) -> bytes:
    header = tlv.parse_header(basic_info)
    table = tlv.parse_header(basic_info, header.header_length)
    signed_part = basic_info[header.header_length + table.total_length : header.total_length]
    d1, d2 = hashlib.sha256(my_number_ef).digest(), hashlib.sha256(signed_part).digest()
    signature = issuer_key.sign(d1 + d2, padding.PKCS1v15(), hashes.SHA256())
    return tlv.encode(0xFF30, tlv.encode(0xDF31, d1) + tlv.encode(0xDF32, d2) + tlv.encode(0xDF33, signature))


def token_info() -> bytes:
    """JPKI EF 0006: a 160-byte CK_TOKEN_INFO whose space-padded 32-byte label names the card type."""
    label = TOKEN_LABEL.ljust(32, b" ")
    return (label + b"JPKI".ljust(32, b" ") + b"PKCS#15 emulated".ljust(16, b" ") + b"0".rjust(16, b"0")).ljust(
        160, b"\x00")


# --- freely readable EFs of the 券面 APs (docs/card-reference.md §5.4, §6.4; read by jpki/myna `text basic-info`
# and `visual basic-info`). Test values: the real ones chain to J-LIS 券面 CAs the project cannot have.


def key_id(key: rsa.RSAPublicKey) -> bytes:
    """A 16-byte key identifier (the test PKI's choice: the first half of SHA-256 of the modulus)."""
    return hashlib.sha256(key.public_numbers().n.to_bytes(256, "big")).digest()[:16]


def cv_certificate(subject: rsa.RSAPrivateKey, issuer: rsa.RSAPrivateKey) -> bytes:
    """EF 0004 of either 券面 AP: `7F21 { 5F4E <issuer key id, subject key id, public key>, 5F37 <sig> }`."""
    body = tlv.encode(0x5F4E, key_id(issuer.public_key()) + key_id(subject.public_key()) + public_key_record(subject))
    signature = issuer.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return tlv.encode(0x7F21, body + tlv.encode(0x5F37, signature))


def kenhojo_ap_info(ap_key: rsa.RSAPrivateKey) -> bytes:
    """Kenhojo EF 0005: `FF40 { DF41 <layout 01 03 0E 01>, DF42 <key id>, DF43 <32 bytes + 96 × FF> }`."""
    filler = hashlib.sha256(b"kenhojo-ap-info" + key_id(ap_key.public_key())).digest() + b"\xff" * 96
    return tlv.encode(0xFF40, tlv.encode(0xDF41, bytes.fromhex("01030E01")) + tlv.encode(0xDF42, key_id(
        ap_key.public_key())) + tlv.encode(0xDF43, filler))


def kenkaku_ap_info(ap_key: rsa.RSAPrivateKey, municipality: str = "13101") -> bytes:
    """Kenkaku EF 0003: `FF30 { DF31 layout, DF32 key id, DF33 version, DF34 municipality, DF35 … }`.

    DF35 holds, on a real card, the 照合番号 encrypted under a key held off the card; here it is a key id and
    256 bytes derived from the AP key only — never from any secret of the profile.
    """
    opaque = b"".join(hashlib.sha256(b"kenkaku-df35" + bytes([i])).digest() for i in range(8))
    return tlv.encode(0xFF30, tlv.encode(0xDF31, bytes.fromhex("06030E01"))
                      + tlv.encode(0xDF32, key_id(ap_key.public_key())) + tlv.encode(0xDF33, b"\x01")
                      + tlv.encode(0xDF34, municipality.encode("ascii"))
                      + tlv.encode(0xDF35, key_id(ap_key.public_key()) + opaque))
