"""The phone paths of the pure flow: Android PIN first (last try confirmed), iPhone without PIN, no-grace expiry,
a phone pulled away mid-read, a card on the phone reader, and card and phone both present."""

from __future__ import annotations

from datetime import timedelta

from kiosk.domain import CredentialCarrier
from kiosk.errors import ErrorCode
from kiosk.flow_effects import HoldPhonePin, IdentifyPhone, ProvePhone, ReadCard, Submit
from kiosk.flow_events import (
    CardInserted,
    CardTaken,
    ConsentAnswered,
    JobFailed,
    PhoneIdentified,
    PhonePlaced,
    PhoneProved,
    PhoneTaken,
    PinEntered,
    PinRejected,
    Pressed,
    Submitted,
)
from kiosk.flow_types import Intent, Phase
from kiosk.reception import Method
from kiosk.screens import screen_model
from tests.screen_samples import PHONE_CONFIG
from tests.unit.flow_harness import NOW, FlowDriver

ANDROID, IPHONE = CredentialCarrier.ANDROID, CredentialCarrier.IPHONE


def phone_driver() -> FlowDriver:
    return FlowDriver.new(PHONE_CONFIG)


def _answer_all(d: FlowDriver) -> None:
    while d.phase is Phase.CONSENT:
        item = d.state.consent_queue[0]
        d.send(ConsentAnswered(item, d.state.settings.consents.get(item).choices[0]))


def _identified(d: FlowDriver, carrier: CredentialCarrier, tries: int | None) -> None:
    d.send(PhoneIdentified(d.token_of(IdentifyPhone), carrier, tries))


def _proved(d: FlowDriver, days_left: int = 400) -> None:
    d.send(PhoneProved(d.token_of(ProvePhone), NOW + timedelta(days=days_left), NOW))


def test_attract_offers_the_phone_only_with_a_phone_reader() -> None:
    assert [b.code for b in screen_model(FlowDriver.new().state).buttons] == []
    assert [b.code for b in screen_model(phone_driver().state).buttons] == ["use_phone"]


def test_android_right_pin_reaches_the_consents_and_records_its_method() -> None:
    d = phone_driver()
    d.send(Pressed(Intent.USE_PHONE))
    assert d.phase is Phase.PHONE_CHOOSE
    d.send(Pressed(Intent.PHONE_ANDROID))
    assert d.phase is Phase.PHONE_PIN and screen_model(d.state).keypad
    effects = d.send(PinEntered("1234"))
    assert HoldPhonePin("1234") in effects and d.phase is Phase.PHONE_HOLD
    assert screen_model(d.state).phone_picture
    d.send(PhonePlaced())
    assert d.phase is Phase.PHONE_READING
    _identified(d, ANDROID, 3)
    assert d.last(ProvePhone) == ProvePhone(d.token_of(ProvePhone), ANDROID)
    _proved(d)
    assert d.phase is Phase.CONSENT and d.state.method is Method.SMARTPHONE_ANDROID
    d.send(PhoneTaken())  # taken back after the read, as it should be: the consents go on
    assert d.phase is Phase.CONSENT
    _answer_all(d)
    submit = d.last(Submit)
    assert isinstance(submit, Submit) and submit.plan.method is Method.SMARTPHONE_ANDROID and submit.plan.face is None
    d.send(Submitted(submit.token, queued=False))
    assert d.phase is Phase.DONE and not d.state.alarm
    d.advance(d.state.settings.config.timeouts.notice_s + 0.1)  # nothing on a reader: back to idle by itself
    assert d.phase is Phase.ATTRACT


def test_android_wrong_then_right() -> None:
    d = phone_driver()
    d.send(Pressed(Intent.USE_PHONE))
    d.send(Pressed(Intent.PHONE_ANDROID))
    d.send(PhonePlaced())  # already on the reader while the PIN is typed
    d.send(PinEntered("1111"))
    _identified(d, ANDROID, 3)
    d.send(PinRejected(d.token_of(ProvePhone), 2))
    assert d.phase is Phase.PHONE_PIN_WRONG and d.state.pin_tries == 2 and not d.state.phone_pin_held
    d.send(Pressed(Intent.RETRY))
    assert d.phase is Phase.PHONE_PIN
    d.send(PinEntered("1234"))
    assert d.phase is Phase.PHONE_READING  # the phone is still there: read it again straight away
    _identified(d, ANDROID, 2)
    _proved(d)
    assert d.phase is Phase.CONSENT


def test_android_last_try_is_never_spent_without_confirmation() -> None:
    d = phone_driver()
    d.send(Pressed(Intent.USE_PHONE))
    d.send(Pressed(Intent.PHONE_ANDROID))
    d.send(PinEntered("1234"))
    d.send(PhonePlaced())
    _identified(d, ANDROID, 1)
    assert d.phase is Phase.PHONE_LAST_WARNING
    assert not any(isinstance(e, ProvePhone) for e in d.effects), "no VERIFY before the patient confirms"
    assert screen_model(d.state).tries_left == 1
    d.send(Pressed(Intent.CONFIRM_LAST_TRY))
    assert isinstance(d.last(ProvePhone), ProvePhone) and d.phase is Phase.PHONE_READING


def test_android_last_try_confirmed_after_the_phone_was_taken_waits_for_it() -> None:
    d = phone_driver()
    d.send(PhonePlaced())  # placed at the idle screen: the reception starts from the phone
    _identified(d, ANDROID, 1)
    assert d.phase is Phase.PHONE_PIN  # PIN first
    d.send(PinEntered("1234"))
    _identified(d, ANDROID, 1)
    assert d.phase is Phase.PHONE_LAST_WARNING
    d.send(PhoneTaken())
    d.send(Pressed(Intent.CONFIRM_LAST_TRY))
    assert d.phase is Phase.PHONE_HOLD
    d.send(PhonePlaced())
    _identified(d, ANDROID, 1)
    assert isinstance(d.last(ProvePhone), ProvePhone), "confirmed once: the re-held phone is read"


def test_android_blocked_counter_ends_without_a_try() -> None:
    d = phone_driver()
    d.send(PhonePlaced())
    _identified(d, ANDROID, 0)
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.PIN_BLOCKED
    assert not any(isinstance(e, ProvePhone) for e in d.effects)


def test_iphone_needs_no_pin() -> None:
    d = phone_driver()
    d.send(Pressed(Intent.USE_PHONE))
    d.send(Pressed(Intent.PHONE_IPHONE))
    assert d.phase is Phase.PHONE_HOLD
    d.send(PhonePlaced())
    _identified(d, IPHONE, None)
    assert d.last(ProvePhone) == ProvePhone(d.token_of(ProvePhone), IPHONE)
    assert not any(isinstance(e, HoldPhonePin) for e in d.effects)
    _proved(d)
    assert d.phase is Phase.CONSENT and d.state.method is Method.SMARTPHONE_IPHONE


def test_expired_phone_certificate_has_no_grace() -> None:
    d = phone_driver()
    d.send(PhonePlaced())
    _identified(d, IPHONE, None)
    _proved(d, days_left=-1)  # a card a day past expiry would still get eligibility; a phone does not
    assert d.phase is Phase.PHONE_CERT_EXPIRED and d.state.error is ErrorCode.PHONE_CERTIFICATE_EXPIRED
    body = [t.key for t in screen_model(d.state).body]
    assert "Please use your My Number card on the card reader." in body
    d.send(PhoneTaken())
    assert d.phase is Phase.ATTRACT


def test_phone_pulled_away_mid_read_asks_to_hold_it_again() -> None:
    d = phone_driver()
    d.send(Pressed(Intent.USE_PHONE))
    d.send(Pressed(Intent.PHONE_IPHONE))
    d.send(PhonePlaced())
    _identified(d, IPHONE, None)
    token = d.token_of(ProvePhone)
    d.send(PhoneTaken())
    assert d.phase is Phase.PHONE_HOLD and d.state.error is ErrorCode.PHONE_REMOVED
    d.send(PhoneProved(token, NOW + timedelta(days=400), NOW))  # the cancelled read's late answer is dropped
    assert d.phase is Phase.PHONE_HOLD
    d.send(PhonePlaced())
    _identified(d, IPHONE, None)
    d.send(JobFailed(d.token_of(ProvePhone), ErrorCode.CARD_REMOVED))  # the driver saw it first
    assert d.phase is Phase.PHONE_HOLD


def test_card_on_the_phone_reader_is_sent_to_the_card_reader() -> None:
    d = phone_driver()
    d.send(PhonePlaced())
    _identified(d, CredentialCarrier.CARD, None)
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.CARD_ON_PHONE_READER


def test_card_and_phone_both_present_one_reception_at_a_time() -> None:
    d = phone_driver()
    d.send(CardInserted())
    assert d.phase is Phase.READING
    d.send(PhonePlaced())  # a phone during a card's reception is only remembered
    assert d.phase is Phase.READING and d.state.phone_present and not d.state.phone_session
    assert not any(isinstance(e, IdentifyPhone) for e in d.effects)
    d = phone_driver()
    d.send(PhonePlaced())
    d.send(CardInserted())  # and a card during a phone's
    assert d.phase is Phase.PHONE_READING and not any(isinstance(e, ReadCard) for e in d.effects)
    d.send(CardTaken())
    assert d.phase is Phase.PHONE_READING


def test_phone_on_card_reader_tells_where_to_hold_it() -> None:
    d = phone_driver()
    d.send(CardInserted())
    d.send(JobFailed(d.token_of(ReadCard), ErrorCode.PHONE_ON_CARD_READER))
    assert d.state.error is ErrorCode.PHONE_ON_CARD_READER
    body = [t.key for t in screen_model(d.state).body]
    assert "Please hold your smartphone over the smartphone reader." in body


def test_phone_end_screens_never_ask_for_the_card() -> None:
    d = phone_driver()
    d.send(PhonePlaced())
    _identified(d, IPHONE, None)
    d.send(JobFailed(d.token_of(ProvePhone), ErrorCode.MALFORMED_RESPONSE))
    model = screen_model(d.state)
    assert d.phase is Phase.READ_FAILED and model.title.key == "The smartphone could not be read"
    assert model.body[-1].key == "Please use your My Number card, or ask a member of staff."
    assert "take your card" not in " ".join(t.key for t in (model.title, *model.body))
    assert model.alarm_text.key == "Your smartphone is still on the reader!"
