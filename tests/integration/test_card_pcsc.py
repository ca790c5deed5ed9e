"""The card driver against the virtual card: each transport-independent test runs twice, on the card in this
process (fast tier) and through pcscd + vpcd (`vpcd` tier); the PC/SC-only tests run through pcscd + vpcd."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from drivers.card import pcsc
from drivers.card.service import MyNumberCardService
from kiosk.errors import NoCard, PinBlocked, PinWrong, VerificationBBlocked, VerificationBWrong
from testbench.virtualcard.pki import load_pki
from testbench.virtualcard.profile import Variant
from testbench.virtualcard.serving import Pcscd, reader_slot_name, remove_and_wait
from tests.cardbench import CardSlot


def secrets_of(card_dir: Path) -> dict[str, str]:
    return json.loads((card_dir / "profile.json").read_text())["secrets"]


def test_summary_reads_certificates_and_counters(card_slot: CardSlot, profile_dir: Callable[..., Path]) -> None:
    card_slot.insert(Variant.ORDINARY)
    summary = card_slot.service().read_summary()
    card_dir = profile_dir(Variant.ORDINARY)
    if card_slot.transport == "vpcd":
        assert summary.reader == reader_slot_name()
    assert summary.atr == bytes.fromhex("3BE000FF8131FE4514")
    assert summary.auth_certificate.der == (card_dir / "auth_cert.der").read_bytes()
    assert summary.auth_ca_certificate.der == (card_dir / "auth_ca.der").read_bytes()
    assert summary.auth_certificate.subject_id == json.loads((card_dir / "profile.json").read_text())["auth_identifier"]
    assert summary.tries.auth_pin == 3 and summary.tries.verification_b == 3
    assert summary.applications == ("JPKI", "券面事項確認AP", "券面事項入力補助AP")


def test_card_face_with_verification_b_and_signature(card_slot: CardSlot, profile_dir: Callable[..., Path],
                                                     test_pki: Path) -> None:
    card_slot.insert(Variant.ORDINARY)
    card_dir = profile_dir(Variant.ORDINARY)
    service = card_slot.service(issuer_key=load_pki(test_pki).issuer_key.public_key())
    face = service.read_chip_front(secrets_of(card_dir)["verification_b"])
    assert face.signature_valid is True
    assert face.photo_jp2 == (card_dir / "photo.jp2").read_bytes()
    assert face.birth_date.isoformat() == json.loads((card_dir / "profile.json").read_text())["holder"]["birth_date"]


def test_sign_challenge_verifies_with_the_auth_certificate(card_slot: CardSlot,
                                                          profile_dir: Callable[..., Path]) -> None:
    card_slot.insert(Variant.ORDINARY)
    service = card_slot.service()
    signature = service.sign_challenge("1234", b"challenge from the backend")
    cert = x509.load_der_x509_certificate((profile_dir(Variant.ORDINARY) / "auth_cert.der").read_bytes())
    cert.public_key().verify(signature, b"challenge from the backend", padding.PKCS1v15(), hashes.SHA256())


def test_wrong_pin_lowers_the_counter_and_persists(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.ORDINARY)
    service = card_slot.service()
    with pytest.raises(PinWrong) as wrong:
        service.sign_challenge("9999", b"x")
    assert wrong.value.tries_left == 2
    assert service.auth_pin_tries_left() == 2
    service.sign_challenge("1234", b"x")  # a right PIN resets the counter
    assert service.auth_pin_tries_left() == 3


def test_blocked_pin_and_last_try_variants(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.PIN_BLOCKED)
    service = card_slot.service()
    assert service.read_summary().tries.auth_pin == 0
    with pytest.raises(PinBlocked):
        service.sign_challenge("1234", b"x")
    card_slot.insert(Variant.PIN_LAST_TRY)
    service = card_slot.service()
    assert service.read_summary().tries.auth_pin == 1
    with pytest.raises(PinBlocked):
        service.sign_challenge("0000", b"x")


def test_verification_b_wrong_then_blocked(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.B_LAST_TRY)
    service = card_slot.service()
    assert service.verification_b_tries_left() == 1
    with pytest.raises(VerificationBBlocked):
        service.read_chip_front("00000000000000")
    assert service.verification_b_tries_left() == 0


def test_wrong_verification_b_reports_tries(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.ORDINARY)
    with pytest.raises(VerificationBWrong) as wrong:
        card_slot.service().read_chip_front("00000000000000")
    assert wrong.value.tries_left == 2


def test_pin_less_card_has_no_pin(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.PIN_LESS)
    assert card_slot.service().read_summary().pin_less


def test_no_card_is_a_typed_error(pcscd: Pcscd) -> None:
    with pytest.raises(NoCard):
        MyNumberCardService().read_summary()


def test_presence_monitor_reports_insert_and_remove(vcard: Callable[..., object]) -> None:
    import threading

    events: list[bool] = []
    changed = threading.Event()

    def listener(reader: str, present: bool) -> None:
        events.append(present)
        changed.set()

    monitor = pcsc.PresenceMonitor(None, listener)
    monitor.start()
    try:
        assert changed.wait(3) and events == [False]
        changed.clear()
        card = vcard(Variant.ORDINARY)
        assert changed.wait(3) and events[-1] is True
        changed.clear()
        remove_and_wait(card)  # type: ignore[arg-type]
        assert changed.wait(3) and events[-1] is False
    finally:
        monitor.stop()


def test_extended_apdus_read_the_same_card(card_slot: CardSlot) -> None:
    card_slot.insert(Variant.ORDINARY)
    short, extended = card_slot.service(), card_slot.service(extended=True)
    assert extended.read_summary().auth_certificate.der == short.read_summary().auth_certificate.der
    assert extended.last.apdus < short.last.apdus


def test_unknown_reader_is_no_reader(pcscd: Pcscd) -> None:
    from kiosk.errors import NoReader

    with pytest.raises(NoReader):
        MyNumberCardService("No Such Reader").read_summary()


def test_a_card_without_jpki_is_unsupported(pcscd: Pcscd) -> None:
    from kiosk.errors import UnsupportedCard
    from testbench.virtualcard.card import VirtualMyNumberCard
    from testbench.virtualcard.model import Application, CardModel, CounterStore
    from testbench.virtualcard.serving import insert_and_wait
    from testbench.virtualcard.vpcd import VpcdCard

    other = CardModel(bytes.fromhex("3B8F8001804F0CA000000306030001000000006A"),
                      [Application("transit", bytes.fromhex("A0000000031010"))], CounterStore(None, {}))
    card = VpcdCard(VirtualMyNumberCard(other), port=pcscd.port)
    insert_and_wait(card)
    try:
        with pytest.raises(UnsupportedCard):
            MyNumberCardService().read_summary()
    finally:
        remove_and_wait(card)


def test_cancel_stops_a_read_between_apdus(vcard: Callable[..., object]) -> None:
    import threading

    from drivers.card import jpki
    from drivers.card.connection import CardChannel
    from drivers.card.pcsc import PcscConnection, wait_for_card
    from kiosk.errors import Cancelled

    vcard(Variant.ORDINARY)
    cancel = threading.Event()

    class CancelAfterThree(PcscConnection):
        sent = 0

        def transmit(self, apdu: bytes) -> bytes:
            self.sent += 1
            if self.sent == 3:
                cancel.set()
            return super().transmit(apdu)

    with CancelAfterThree(reader_slot_name()) as connection:
        channel = CardChannel(connection, cancel)
        jpki.select(channel)
        with pytest.raises(Cancelled):
            jpki.read_auth_certificate(channel)
        assert connection.sent == 3
    with pytest.raises(Cancelled):  # waiting for a card is cancellable too
        wait_for_card(reader_slot_name(), cancel, present=False, timeout=5)
