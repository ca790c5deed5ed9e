"""The smartphone reader: virtual Android and iPhone profiles read by drivers.card.phone, in this process
(fast tier) and through pcscd + vpcd's second reader slot (`vpcd` tier)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from drivers.card.phone import SmartphoneService
from drivers.card.service import MyNumberCardService
from kiosk.domain import CredentialCarrier
from kiosk.errors import CardRemoved, PinWrong, UnsupportedCard
from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.inprocess import in_process_connector
from testbench.virtualcard.model import CardModel
from testbench.virtualcard.phone import PhoneVariant, load_phone_model, make_phone_profile, phone_authority
from testbench.virtualcard.profile import Variant
from testbench.virtualcard.serving import Pcscd, reader_slot_name, remove_and_wait, serve_profile
from testbench.virtualcard.vpcd import VpcdCard

PHONE_SLOT = 1
STATEMENT = b"kiosk statement the phone signs"


@pytest.fixture(scope="session")
def _phone_templates(tmp_path_factory: pytest.TempPathFactory, test_pki: Path) -> Callable[[PhoneVariant], Path]:
    made: dict[PhoneVariant, Path] = {}

    def template(variant: PhoneVariant) -> Path:
        if variant not in made:
            made[variant] = make_phone_profile(tmp_path_factory.mktemp(f"phone-{variant.value}"), test_pki, variant,
                                               seed=list(PhoneVariant).index(variant))
        return made[variant]

    return template


@pytest.fixture
def phone_dir(tmp_path: Path, _phone_templates: Callable[[PhoneVariant], Path]) -> Callable[[PhoneVariant], Path]:
    import shutil

    def copy(variant: PhoneVariant) -> Path:
        target = tmp_path / f"phone-{variant.value}"
        if not target.exists():
            shutil.copytree(_phone_templates(variant), target)
        return target

    return copy


class PhoneSlot:
    def __init__(self, transport: str, phone_dir: Callable[[PhoneVariant], Path],
                 request: pytest.FixtureRequest) -> None:
        self.transport, self._phone_dir, self._request = transport, phone_dir, request
        self.served: VpcdCard | None = None
        self._card: VirtualMyNumberCard | None = None

    def hold(self, variant: PhoneVariant) -> None:
        if self.transport == "vpcd":
            pcscd: Pcscd = self._request.getfixturevalue("pcscd")
            self.served = serve_profile(self._phone_dir(variant), port=pcscd.port, slot=PHONE_SLOT)
        else:
            self._card = VirtualMyNumberCard(load_phone_model(self._phone_dir(variant)))

    def service(self) -> SmartphoneService:
        if self.transport == "vpcd":
            return SmartphoneService(reader_slot_name(PHONE_SLOT))
        assert self._card is not None
        return SmartphoneService("in-process phone", connect=in_process_connector(self._card))  # type: ignore[arg-type]

    def take_away(self) -> None:
        if self.served is not None:
            remove_and_wait(self.served, reader_slot_name(PHONE_SLOT))
            self.served = None


@pytest.fixture(params=["in-process", pytest.param("vpcd", marks=pytest.mark.vpcd)])
def phone_slot(request: pytest.FixtureRequest, phone_dir: Callable[[PhoneVariant], Path]) -> Iterator[PhoneSlot]:
    slot = PhoneSlot(request.param, phone_dir, request)
    yield slot
    slot.take_away()


def test_android_is_identified_with_its_counter_and_no_try_spent(phone_slot: PhoneSlot) -> None:
    phone_slot.hold(PhoneVariant.ANDROID)
    service = phone_slot.service()
    first = service.identify()
    assert first.carrier is CredentialCarrier.ANDROID and first.auth_pin_tries == 3
    assert service.identify().auth_pin_tries == 3  # reading the counter spends nothing
    assert service.apdus == 5  # SELECT AP, SELECT 0006, READ label, SELECT 0018, VERIFY without data


def test_iphone_needs_no_pin(phone_slot: PhoneSlot, test_pki: Path) -> None:
    phone_slot.hold(PhoneVariant.IPHONE)
    service = phone_slot.service()
    found = service.identify()
    assert found.carrier is CredentialCarrier.IPHONE and found.auth_pin_tries is None
    proof = service.prove(CredentialCarrier.IPHONE, STATEMENT)
    _verify(proof.auth_certificate.der, proof.signature, test_pki)


def test_android_right_pin_signs_with_a_phone_certificate(phone_slot: PhoneSlot, test_pki: Path) -> None:
    phone_slot.hold(PhoneVariant.ANDROID)
    proof = phone_slot.service().prove(CredentialCarrier.ANDROID, STATEMENT, pin="1234")
    assert proof.carrier is CredentialCarrier.ANDROID
    _verify(proof.auth_certificate.der, proof.signature, test_pki)


def test_android_wrong_then_right_pin(phone_slot: PhoneSlot) -> None:
    phone_slot.hold(PhoneVariant.ANDROID)
    service = phone_slot.service()
    with pytest.raises(PinWrong) as wrong:
        service.prove(CredentialCarrier.ANDROID, STATEMENT, pin="9999")
    assert wrong.value.tries_left == 2
    assert service.identify().auth_pin_tries == 2
    service.prove(CredentialCarrier.ANDROID, STATEMENT, pin="1234")
    assert service.identify().auth_pin_tries == 3


def test_android_last_try_is_reported_before_any_pin(phone_slot: PhoneSlot) -> None:
    phone_slot.hold(PhoneVariant.ANDROID_PIN_LAST_TRY)
    assert phone_slot.service().identify().auth_pin_tries == 1


def test_android_certificate_is_closed_until_the_pin(phone_dir: Callable[[PhoneVariant], Path]) -> None:
    card = VirtualMyNumberCard(load_phone_model(phone_dir(PhoneVariant.ANDROID)))
    card.execute(bytes.fromhex("00A4040C0AD392F000260100000001"))
    card.execute(bytes.fromhex("00A4020C02000A"))
    assert card.execute(bytes.fromhex("00B0000004"))[-2:] == b"\x69\x82"


def test_an_expired_phone_still_answers_and_says_when(phone_slot: PhoneSlot) -> None:
    """The no-grace rule is the flow's and the verifier's; the driver reports the dates faithfully."""
    from datetime import UTC, datetime

    phone_slot.hold(PhoneVariant.ANDROID_EXPIRED)
    proof = phone_slot.service().prove(CredentialCarrier.ANDROID, STATEMENT, pin="1234")
    assert proof.auth_certificate.days_to_expiry(datetime.now(UTC)) < 0


def test_a_juki_card_is_unsupported() -> None:
    from drivers.card import jpki
    from testbench.virtualcard.model import Application, CounterStore, Ef

    app = Application("JPKI", jpki.AID, efs={jpki.EF_TOKEN_INFO: Ef(b"JPKIAPICCTOKEN".ljust(32, b" ") + bytes(128))})
    card = VirtualMyNumberCard(CardModel(b"\x3b\x00", [app], CounterStore(None, {})))
    with pytest.raises(UnsupportedCard):
        SmartphoneService("x", connect=in_process_connector(card)).identify()  # type: ignore[arg-type]


@pytest.mark.vpcd
def test_a_card_on_the_phone_reader_is_recognised(pcscd: Pcscd, profile_dir: Callable[..., Path]) -> None:
    served = serve_profile(profile_dir(Variant.ORDINARY), port=pcscd.port, slot=PHONE_SLOT)
    try:
        assert SmartphoneService(reader_slot_name(PHONE_SLOT)).identify().carrier is CredentialCarrier.CARD
    finally:
        remove_and_wait(served, reader_slot_name(PHONE_SLOT))


@pytest.mark.vpcd
def test_card_and_phone_both_present(vcard: Callable[..., object], phone_dir: Callable[[PhoneVariant], Path],
                                     pcscd: Pcscd) -> None:
    vcard(Variant.ORDINARY)
    phone = serve_profile(phone_dir(PhoneVariant.ANDROID), port=pcscd.port, slot=PHONE_SLOT)
    try:
        summary = MyNumberCardService(reader_slot_name(0)).read_summary()
        found = SmartphoneService(reader_slot_name(PHONE_SLOT)).identify()
        assert summary.reader == reader_slot_name(0) and found.carrier is CredentialCarrier.ANDROID
    finally:
        remove_and_wait(phone, reader_slot_name(PHONE_SLOT))


@pytest.mark.vpcd
def test_phone_taken_away_mid_read(pcscd: Pcscd, phone_dir: Callable[[PhoneVariant], Path]) -> None:
    served = serve_profile(phone_dir(PhoneVariant.ANDROID), port=pcscd.port, slot=PHONE_SLOT)
    service = SmartphoneService(reader_slot_name(PHONE_SLOT))
    original = served.card.execute
    sent = [0]

    def pull_at_the_certificate(apdu: bytes) -> bytes:
        sent[0] += 1
        if sent[0] == 6:  # after VERIFY: reading the certificate
            threading.Thread(target=served.remove).start()
            threading.Event().wait(0.3)
        return original(apdu)

    served.card.execute = pull_at_the_certificate  # type: ignore[method-assign]
    with pytest.raises(CardRemoved):
        service.prove(CredentialCarrier.ANDROID, STATEMENT, pin="1234")
    pcscd_tries = VirtualMyNumberCard(load_phone_model(phone_dir(PhoneVariant.ANDROID))).model.counters
    from drivers.card import jpki

    assert pcscd_tries.get(jpki.AID, jpki.EF_AUTH_PIN) == 3  # the right PIN spent nothing


def _verify(der: bytes, signature: bytes, pki_dir: Path) -> None:
    cert = x509.load_der_x509_certificate(der)
    cert.public_key().verify(signature, STATEMENT, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr]
    assert cert.issuer == phone_authority(pki_dir).certificate.subject
