"""Virtual card profiles: a directory per card holding its data, keys, certificates and counters.

`make_profile` writes one (holder data, auth/sign certificates from the test PKI, the signed card-face
record with a grey JPEG 2000 photo, a rendered PNG of the printed front); `load_card_model` turns it
into the CardModel the virtual card executes. These are test cards: the secrets sit in profile.json.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PIL import Image

from kiosk.cardface import CardFront, verification_b
from kiosk.domain import Sex
from testbench.virtualcard import records
from testbench.virtualcard.pki import (
    JST_END_OF_DAY,
    make_pki,
    new_key,
    opaque_identifier,
    write_key,
)

CONTACT_ATR = bytes.fromhex("3BE000FF8131FE4514")
CHIP_PHOTO_SIZE = (180, 220)
CHIP_PHOTO_BYTES = 2400  # the card's JPEG 2000 photo is small and heavily compressed


class Variant(Enum):
    ORDINARY = "ordinary"
    PIN_LESS = "pin-less"  # 顔認証マイナンバーカード: no PIN, no signing certificate
    EXPIRING = "expiring"  # auth certificate expires within 3 months
    GRACE = "grace"  # expired, still inside the 3-month grace
    EXPIRED = "expired"  # expired beyond the grace
    REVOKED = "revoked"
    PIN_BLOCKED = "pin-blocked"
    PIN_LAST_TRY = "pin-last-try"
    B_LAST_TRY = "b-last-try"  # 照合番号B at 1 try
    FOREIGN = "foreign"  # foreign resident: birth date printed in 西暦
    UNREGISTERED = "unregistered"  # an ordinary card not yet registered for health-insurance use


FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
FAMILY_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ",
               "カトウ"]
GIVEN = [("花子", "ハナコ", Sex.FEMALE), ("太郎", "タロウ", Sex.MALE), ("陽菜", "ヒナ", Sex.FEMALE),
         ("健一", "ケンイチ", Sex.MALE), ("美咲", "ミサキ", Sex.FEMALE), ("翔太", "ショウタ", Sex.MALE)]
FOREIGN_NAMES = [("SMITH JOHN", "スミス ジョン", Sex.MALE), ("NGUYEN THI LAN", "グエン ティ ラン", Sex.FEMALE)]
ADDRESSES = [("東京都千代田区霞が関一丁目２番２号", "Tokyo"), ("大阪府大阪市北区中之島一丁目３番２０号", "Osaka"),
             ("北海道札幌市中央区北一条西二丁目１番地", "Sapporo"), ("福岡県福岡市中央区天神一丁目８番１号", "Fukuoka")]


@dataclass(frozen=True)
class ProfileData:
    """profile.json, parsed."""

    variant: Variant
    holder: dict[str, object]
    front: CardFront
    secrets: dict[str, str | None]
    tries: dict[str, int]
    auth_identifier: str
    insurance_registered: bool
    pki_dir: Path


def nth_birthday_after(birth: date, after: date, n: int) -> date:
    """The holder's n-th birthday after `after` (29 Feb counts as 28 Feb in common years)."""
    def birthday(year: int) -> date:
        try:
            return birth.replace(year=year)
        except ValueError:
            return date(year, 2, 28)
    first = birthday(after.year) if birthday(after.year) > after else birthday(after.year + 1)
    return birthday(first.year + n - 1)


def make_profile(directory: Path, pki_dir: Path, variant: Variant = Variant.ORDINARY, *,
                 photo: Image.Image | None = None, seed: int | None = None, today: date | None = None,
                 auth_pin: str = "1234") -> Path:
    """Write a card profile into `directory` (created), with certificates from the PKI in `pki_dir`."""
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    pki = make_pki(pki_dir)
    directory.mkdir(parents=True, exist_ok=True)

    foreign = variant is Variant.FOREIGN
    if foreign:
        name, kana, sex = rng.choice(FOREIGN_NAMES)
    else:
        i = rng.randrange(len(FAMILY))
        given, given_kana, sex = rng.choice(GIVEN)
        name, kana = f"{FAMILY[i]}\u3000{given}", f"{FAMILY_KANA[i]} {given_kana}"
    address, locality = rng.choice(ADDRESSES)

    cert_end = {Variant.EXPIRING: today + timedelta(days=45), Variant.GRACE: today - timedelta(days=30),
                Variant.EXPIRED: today - timedelta(days=120)}.get(variant)
    if cert_end is None:
        birth = date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
        issued = today - timedelta(days=rng.randint(60, 1200))
        cert_end = nth_birthday_after(birth, issued, 5)
    else:
        birth = date(rng.randint(1940, 2000), cert_end.month, min(cert_end.day, 28))
        cert_end = birth.replace(year=cert_end.year)
        issued = cert_end.replace(year=cert_end.year - 5) + timedelta(days=10)
    card_expiry = nth_birthday_after(birth, issued, 10)
    security_code = f"{rng.randint(0, 9999):04d}"
    front = CardFront(name=name, address=address, birth_date=birth, sex=sex, expiry=card_expiry,
                      security_code=security_code, foreign_resident=foreign)

    pin_less = variant is Variant.PIN_LESS
    secrets = {"auth_pin": None if pin_less else auth_pin, "sign_password": None if pin_less else "TEST1234",
               "kenhojo_pin": None if pin_less else auth_pin, "verification_b": verification_b(front),
               "verification_a": "".join(str(rng.randint(0, 9)) for _ in range(12)),
               "birth_key": verification_b(front)[:6]}
    tries = {"auth_pin": {Variant.PIN_BLOCKED: 0, Variant.PIN_LAST_TRY: 1}.get(variant, 3),
             "sign_password": 5, "kenhojo_pin": 3, "verification_a": 10, "birth_key": 10,
             "verification_b": 1 if variant is Variant.B_LAST_TRY else 3}

    not_before = datetime.combine(issued, time(1, 0), UTC)
    not_after = datetime.combine(cert_end, JST_END_OF_DAY, UTC)
    identifier = opaque_identifier()
    auth_key = new_key()
    auth_cert = pki.issue_auth_certificate(auth_key, identifier, not_before, not_after)
    _write_der(directory / "auth_cert.der", auth_cert)
    _write_der(directory / "auth_ca.der", pki.authority("auth").certificate)
    _write_der(directory / "sign_ca.der", pki.authority("sign").certificate)
    write_key(directory / "auth_key.pem", auth_key)
    if not pin_less:
        sign_key = new_key()
        attributes = {"name": name, "address": address, "birth_date": birth.strftime("%Y%m%d"), "sex": sex.value}
        _write_der(directory / "sign_cert.der",
                   pki.issue_sign_certificate(sign_key, attributes, locality, not_before, not_after))
        write_key(directory / "sign_key.pem", sign_key)
    if variant is Variant.REVOKED:
        pki.revoke(auth_cert, datetime.combine(today, time(0, 0), UTC) - timedelta(days=3))

    from testbench.virtualcard.front import placeholder_photo, render_card_front

    portrait = (photo or placeholder_photo()).convert("RGB")
    chip_photo = chip_photo_jp2(portrait)
    (directory / "photo.jp2").write_bytes(chip_photo)
    card_key = new_key()
    write_key(directory / "card_key.pem", card_key)
    (directory / "card_face.bin").write_bytes(records.card_face_record(front, chip_photo, card_key, pki.issuer_key))
    (directory / "basic_info.bin").write_bytes(records.basic_info_record(front))
    render_card_front(front, portrait).save(directory / "front.png")

    profile = {
        "variant": variant.value, "auth_identifier": identifier,
        "insurance_registered": variant is not Variant.UNREGISTERED,
        "holder": {"name": name, "name_kana": kana, "address": address, "birth_date": birth.isoformat(),
                   "sex": sex.value, "foreign_resident": foreign},
        "card": {"issued": issued.isoformat(), "expiry": card_expiry.isoformat(), "security_code": security_code},
        "secrets": secrets, "tries": tries, "pki": str(pki_dir.resolve()),
    }
    (directory / "profile.json").write_text(json.dumps(profile, ensure_ascii=False, indent=1))
    return directory


def chip_photo_jp2(portrait: Image.Image) -> bytes:
    """Grey, small, heavily compressed JPEG 2000, like the photo in the 券面事項確認AP."""
    width, height = portrait.size
    target_ratio = CHIP_PHOTO_SIZE[0] / CHIP_PHOTO_SIZE[1]
    if width / height > target_ratio:  # crop to the chip's 9:11 portrait shape, centred
        new_w = int(height * target_ratio)
        portrait = portrait.crop(((width - new_w) // 2, 0, (width + new_w) // 2, height))
    else:
        new_h = int(width / target_ratio)
        portrait = portrait.crop((0, 0, width, new_h))
    grey = portrait.convert("L").resize(CHIP_PHOTO_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rate = CHIP_PHOTO_SIZE[0] * CHIP_PHOTO_SIZE[1] / CHIP_PHOTO_BYTES
    grey.save(out, "JPEG2000", quality_mode="rates", quality_layers=[rate], no_jp2=False)
    return out.getvalue()


def read_profile(directory: Path) -> ProfileData:
    raw = json.loads((directory / "profile.json").read_text())
    holder, card = raw["holder"], raw["card"]
    front = CardFront(name=holder["name"], address=holder["address"],
                      birth_date=date.fromisoformat(holder["birth_date"]), sex=Sex(holder["sex"]),
                      expiry=date.fromisoformat(card["expiry"]),
                      security_code=card["security_code"], foreign_resident=bool(holder["foreign_resident"]))
    return ProfileData(Variant(raw["variant"]), holder, front, raw["secrets"], raw["tries"],
                       raw["auth_identifier"], bool(raw["insurance_registered"]), Path(raw["pki"]))


def _write_der(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
