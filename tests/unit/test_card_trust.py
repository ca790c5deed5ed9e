"""The card's data is authentic and every read bounded: issuer signature, deadlines, no secret resent."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from drivers.card import kenkaku
from drivers.card.apdu import verify
from drivers.card.connection import CardChannel
from drivers.card.deadline import BoundedCaller
from drivers.card.issuer import load_issuer_keys
from kiosk.errors import CardNotAuthentic, CardTimeout, ConfigError, MalformedResponse
from testbench.virtualcard.pki import load_pki
from testbench.virtualcard.profile import Variant


def record_of(profile: Path) -> kenkaku.CardFaceRecord:
    return kenkaku.parse_card_face((profile / "card_face.bin").read_bytes())


def test_card_face_only_with_a_verified_issuer_signature(profile_dir, test_pki: Path) -> None:  # type: ignore[no-untyped-def]
    profile = profile_dir(Variant.ORDINARY)
    issuer = load_pki(test_pki).issuer_key.public_key()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    record = record_of(profile)
    assert kenkaku.to_card_face(record, [other, issuer]).signature_valid is True  # any configured key
    with pytest.raises(CardNotAuthentic):
        kenkaku.to_card_face(record, [])  # no key configured: nothing accepted
    with pytest.raises(CardNotAuthentic):
        kenkaku.to_card_face(record, [other])
    for tag in (kenkaku.TAG_PHOTO, kenkaku.TAG_BIRTH, kenkaku.TAG_SEX, kenkaku.TAG_NAME_IMAGE):
        fields = dict(record.fields)
        value = bytearray(fields[tag])
        value[len(value) // 2] ^= 0x01  # one bit of the photo (or another signed field) swapped
        fields[tag] = bytes(value)
        with pytest.raises(CardNotAuthentic):
            kenkaku.to_card_face(kenkaku.CardFaceRecord(fields), [issuer])


def test_issuer_keys_from_file_or_directory(tmp_path: Path, test_pki: Path) -> None:
    pem = (test_pki / "issuer_public.pem").read_bytes()
    extra = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "both.pem").write_bytes(pem + extra)
    assert len(load_issuer_keys(tmp_path / "both.pem")) == 2
    assert len(load_issuer_keys(tmp_path)) == 2
    for bad in (tmp_path / "missing.pem", tmp_path / "empty.pem"):
        if bad.name == "empty.pem":
            bad.write_text("nothing")
        with pytest.raises(ConfigError):
            load_issuer_keys(bad)


def test_bounded_caller_gives_up_at_the_deadline_and_stays_broken() -> None:
    caller = BoundedCaller()
    assert caller.call(lambda: 42, 1.0, "fast") == 42
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(CardTimeout):
        caller.call(lambda: release.wait(10), 0.2, "silent")
    assert time.monotonic() - started < 0.5
    with pytest.raises(CardTimeout):  # nothing more is sent after a missed deadline
        caller.call(lambda: 1, 1.0, "after")
    release.set()
    with pytest.raises(ZeroDivisionError):  # errors come back on the caller's thread
        BoundedCaller().call(lambda: 1 / 0, 1.0, "error")


class Scripted:
    def __init__(self, *answers: bytes) -> None:
        self.answers, self.sent = list(answers), []  # type: list[bytes], list[bytes]

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.answers.pop(0)


def test_a_secret_is_never_sent_twice_and_stray_data_is_refused() -> None:
    card = Scripted(bytes.fromhex("6C04"))
    response = CardChannel(card).send(verify(b"1234"))
    assert len(card.sent) == 1 and response.sw == 0x6C04  # 6Cxx to VERIFY: not resent
    with pytest.raises(MalformedResponse):
        CardChannel(Scripted(b"\x01\x02\x90\x00")).send(verify(None))  # data to a command that wants none


def test_a_corrupted_certificate_subject_is_a_typed_error(profile_dir) -> None:  # type: ignore[no-untyped-def]
    from drivers.card.certificate import certificate_info

    der = bytearray((profile_dir(Variant.ORDINARY) / "auth_cert.der").read_bytes())
    at = der.find(bytes.fromhex("0603550403"))  # the CN attribute: its value's string tag becomes INTEGER
    der[at + 5] = 0x02
    with pytest.raises(MalformedResponse):
        certificate_info(bytes(der))
