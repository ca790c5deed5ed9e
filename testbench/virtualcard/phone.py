"""Virtual phones for the smartphone reader: an Android phone (スマホ用電子証明書 on its GP-SE) and an iPhone
(のマイナンバーカード in Apple Wallet), each answering the JPKI application as docs/smartphone.md describes.

A phone profile is a directory with phone.json, the phone's auth certificate and key. Its certificates come
from a separate test CA for phone certificates (phone_auth_root.der in the test PKI's directory). A phone holds
no 券面 applications and no chip photo, so there is no face matching for a phone.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from drivers.card import jpki
from testbench.virtualcard.model import Application, CardModel, CounterStore, Ef, Key, Secret, counter_defaults, pad
from testbench.virtualcard.pki import (
    JST_END_OF_DAY,
    Authority,
    new_key,
    opaque_identifier,
    read_key,
    write_key,
)
from testbench.virtualcard.profile import FAMILY, FAMILY_KANA, GIVEN

PHONE_ATR = bytes.fromhex("3B8880010000000000000000")  # an ISO 14443-4 phone as a contactless reader reports it
CERT_EF_SIZE = 2048
LABEL = {"android": b"JPKIAPGPSETOKEN", "iphone": b"JPKIAPIOSTOKEN"}


class PhoneVariant(Enum):
    ANDROID = "android"
    ANDROID_PIN_LAST_TRY = "android-pin-last-try"
    ANDROID_EXPIRED = "android-expired"  # expired 30 days ago: a card would still be in its grace, a phone is not
    IPHONE = "iphone"
    IPHONE_EXPIRED = "iphone-expired"

    @property
    def os(self) -> str:
        return "iphone" if self.value.startswith("iphone") else "android"


@dataclass(frozen=True)
class PhoneProfile:
    variant: PhoneVariant
    auth_identifier: str
    holder: dict[str, object]
    auth_pin: str | None
    auth_pin_tries: int


def phone_authority(pki_dir: Path) -> Authority:
    """The test CA for phone certificates, made in the test PKI's directory on first use."""
    cert_path, key_path = pki_dir / "phone_auth_root.der", pki_dir / "phone_auth_root.key.pem"
    if cert_path.exists():
        authority = Authority("phone_auth", 1, x509.load_der_x509_certificate(cert_path.read_bytes()),
                              read_key(key_path))
        _write_empty_crl(pki_dir, authority)
        return authority
    pki_dir.mkdir(parents=True, exist_ok=True)
    key = new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "JPKI for smartphone user authentication")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(datetime(2023, 5, 1, tzinfo=UTC))
            .not_valid_after(datetime(2043, 4, 30, 14, 59, 59, tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    write_key(key_path, key)
    authority = Authority("phone_auth", 1, cert, key)
    _write_empty_crl(pki_dir, authority)
    return authority


def _write_empty_crl(pki_dir: Path, authority: Authority) -> None:
    """phone_auth_crl.der: the phone root's (empty) CRL, so a verifier that requires a CRL can check phones."""
    path = pki_dir / "phone_auth_crl.der"
    if path.exists():
        return
    now = datetime.now(UTC)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(authority.certificate.subject)
           .last_update(now - timedelta(minutes=5)).next_update(now + timedelta(days=365))
           .sign(authority.key, hashes.SHA256()))
    path.write_bytes(crl.public_bytes(serialization.Encoding.DER))


def make_phone_profile(directory: Path, pki_dir: Path, variant: PhoneVariant = PhoneVariant.ANDROID, *,
                       seed: int | None = None, today: date | None = None, auth_pin: str = "1234") -> Path:
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    directory.mkdir(parents=True, exist_ok=True)
    i = rng.randrange(len(FAMILY))
    given, given_kana, sex = rng.choice(GIVEN)
    birth = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    expired = variant in (PhoneVariant.ANDROID_EXPIRED, PhoneVariant.IPHONE_EXPIRED)
    not_after = today - timedelta(days=30) if expired else today + timedelta(days=rng.randint(200, 1500))
    not_before = not_after - timedelta(days=5 * 365)
    identifier = opaque_identifier()
    key = new_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                         x509.NameAttribute(NameOID.COMMON_NAME, identifier)])
    builder = (x509.CertificateBuilder().subject_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(datetime.combine(not_before, time(1, 0), UTC))
               .not_valid_after(datetime.combine(not_after, JST_END_OF_DAY, UTC))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                              critical=True))
    cert = phone_authority(pki_dir).issue(builder)
    (directory / "auth_cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    write_key(directory / "auth_key.pem", key)
    android = variant.os == "android"
    raw = {
        "variant": variant.value, "auth_identifier": identifier, "insurance_registered": True,
        "holder": {"name": f"{FAMILY[i]}\u3000{given}", "name_kana": f"{FAMILY_KANA[i]} {given_kana}",
                   "birth_date": birth.isoformat(), "sex": sex.value},
        "auth_pin": auth_pin if android else None,
        "auth_pin_tries": 1 if variant is PhoneVariant.ANDROID_PIN_LAST_TRY else 3,
        "pki": str(pki_dir.resolve()),
    }
    (directory / "phone.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1))
    return directory


def read_phone_profile(directory: Path) -> PhoneProfile:
    raw = json.loads((directory / "phone.json").read_text())
    return PhoneProfile(PhoneVariant(raw["variant"]), raw["auth_identifier"], raw["holder"], raw["auth_pin"],
                        int(raw["auth_pin_tries"]))


def is_phone_profile(directory: Path) -> bool:
    return (directory / "phone.json").exists()


def load_phone_model(directory: Path, *, persist_counters: bool = True) -> CardModel:
    """The phone's JPKI application as the virtual card engine runs it.

    Android: the auth certificate and key open only after VERIFY of EF 0018 (jpki/myna's GP-SE handling).
    iPhone: both open without a VERIFY — the ASSUMPTION of drivers/card/phone.py `_iphone_proof`.
    """
    profile = read_phone_profile(directory)
    android = profile.variant.os == "android"
    app = Application("JPKI", jpki.AID)
    label = LABEL[profile.variant.os].ljust(32, b" ")
    gate = frozenset({jpki.EF_AUTH_PIN}) if android else None
    app.efs = {
        jpki.EF_TOKEN_INFO: Ef(label.ljust(160, b"\x00")),
        jpki.EF_AUTH_CERT: Ef(pad((directory / "auth_cert.der").read_bytes(), CERT_EF_SIZE), gate),
    }
    if android:
        app.secrets = {jpki.EF_AUTH_PIN: Secret((profile.auth_pin or "").encode("ascii"), 3)}
    app.keys = {jpki.EF_AUTH_KEY: Key(read_key(directory / "auth_key.pem"), jpki.EF_AUTH_PIN if android else None)}
    counters = CounterStore(directory / "counters.json" if persist_counters else None, counter_defaults([app]))
    if android and not (directory / "counters.json").exists():
        counters.set(jpki.AID, jpki.EF_AUTH_PIN, profile.auth_pin_tries)
    return CardModel(PHONE_ATR, [app], counters)
