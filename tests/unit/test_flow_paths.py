"""The reception flow, path by path, with a fake clock. No threads, no Qt."""

from __future__ import annotations

import pytest

from kiosk.errors import ErrorCode
from kiosk.face import Guidance, Verdict
from kiosk.flow_effects import (
    Alarm,
    CancelJob,
    ClearSensitiveData,
    FetchChallenge,
    ReadCard,
    ReadChipPhoto,
    RecordOutcome,
    ScanCardFront,
    StartCapture,
    StopCapture,
    Submit,
    VerifyPin,
)
from kiosk.flow_events import (
    CardFrontScanned,
    CardInserted,
    CardTaken,
    ChallengeFetched,
    ChipPhotoRead,
    ConsentAnswered,
    FaceDecided,
    FaceProgressed,
    JobFailed,
    PinEntered,
    PinRejected,
    PinVerified,
    Pressed,
    Submitted,
    SummaryRead,
)
from kiosk.flow_types import CertState, Intent, Notice, Phase
from kiosk.ports import FaceBox
from kiosk.reception import Method
from tests.unit.flow_harness import NOW, FlowDriver, face_decision, summary


def read_card(d: FlowDriver, days_left: int = 1000, pin_tries: int | None = 3, registered: bool = True) -> None:
    d.send(CardInserted())
    assert d.phase is Phase.READING
    d.send(SummaryRead(d.token_of(ReadCard), summary(days_left, pin_tries), NOW))
    if d.phase is Phase.READING:
        d.send(ChallengeFetched(d.token_of(FetchChallenge), registered))


def face_to_capture(d: FlowDriver) -> None:
    d.send(CardFrontScanned(d.token_of(ScanCardFront)))
    assert d.phase is Phase.FACE_PHOTO
    d.send(ChipPhotoRead(d.token_of(ReadChipPhoto)))
    assert d.phase is Phase.FACE_CAPTURE


def answer_default_consents(d: FlowDriver) -> None:
    for item, choice in [
        ("comprehensive", "consent_all"),
        ("limit_info", "ok"),
        ("specific_diseases", "consent"),
        ("public_expense", "decline"),
        ("prescription_form", "electronic"),
    ]:
        assert d.phase is Phase.CONSENT and d.state.consent_queue[0] == item
        d.send(ConsentAnswered(item, choice))


def test_pin_path_from_card_to_idle() -> None:
    d = FlowDriver.new()
    read_card(d)
    assert d.phase is Phase.METHOD
    d.send(Pressed(Intent.USE_PIN))
    assert d.phase is Phase.PIN_ENTRY and d.state.pin_tries == 3
    effects = d.send(PinEntered("1234"))
    verify = next(e for e in effects if isinstance(e, VerifyPin))
    assert verify.pin == "1234" and "1234" not in repr(verify) and "1234" not in repr(d.state)
    d.send(PinVerified(verify.token))
    answer_default_consents(d)
    assert d.phase is Phase.SUBMITTING
    plan = d.last(Submit).plan  # type: ignore[attr-defined]
    assert plan.method is Method.PIN and not plan.eligibility_only and not plan.register_for_insurance
    assert ("comprehensive", "consent_all") in plan.consents and ("public_expense", "decline") in plan.consents
    assert "diagnosis" in plan.covered_by_comprehensive
    assert not any(item == "diagnosis" for item, _ in plan.consents)  # answered once, on the 包括同意 screen
    effects = d.send(Submitted(d.token_of(Submit), queued=False))
    assert d.phase is Phase.DONE
    assert RecordOutcome(Method.PIN) in effects and ClearSensitiveData() in effects
    assert d.state.summary is None
    fired = d.advance(4.0)
    assert Alarm(True) in fired and d.state.alarm
    effects = d.send(CardTaken())
    assert Alarm(False) in effects and d.phase is Phase.ATTRACT and d.state.notice is Notice.THANKS
    d.advance(10)
    assert d.state.notice is None


def test_face_path_with_live_guidance() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    assert d.phase is Phase.FACE_SCAN
    face_to_capture(d)
    token = d.token_of(StartCapture)
    d.send(FaceProgressed(token, Guidance.COME_CLOSER, FaceBox(0.3, 0.2, 0.3, 0.4), 0.25))
    assert d.state.face_hint is Guidance.COME_CLOSER and d.state.face_box is not None
    d.send(FaceDecided(token, face_decision(Verdict.ACCEPT)))
    assert d.phase is Phase.CONSENT and d.state.method is Method.FACE


def test_face_retry_is_bounded_and_reuses_the_chip_photo() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    face_to_capture(d)
    reads = sum(isinstance(e, ReadChipPhoto) for e in d.effects)
    d.send(FaceDecided(d.token_of(StartCapture), face_decision(Verdict.RETRY, Guidance.REMOVE_MASK)))
    assert d.phase is Phase.FACE_RETRY and d.state.face_hint is Guidance.REMOVE_MASK
    d.send(Pressed(Intent.RETRY))
    assert d.phase is Phase.FACE_CAPTURE
    d.send(FaceDecided(d.token_of(StartCapture), face_decision(Verdict.LIVENESS_FAILED)))
    d.send(Pressed(Intent.RETRY))
    d.send(FaceDecided(d.token_of(StartCapture), face_decision(Verdict.RETRY)))
    assert d.phase is Phase.FACE_FAILED and d.state.face_exhausted  # 3 attempts configured
    assert sum(isinstance(e, ReadChipPhoto) for e in d.effects) == reads  # no second 照合番号B VERIFY
    d.send(Pressed(Intent.USE_FACE))
    assert d.phase is Phase.FACE_FAILED  # face no longer offered
    d.send(Pressed(Intent.USE_PIN))
    assert d.phase is Phase.PIN_ENTRY


def test_face_reject_goes_straight_to_pin_or_staff() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    face_to_capture(d)
    d.send(FaceDecided(d.token_of(StartCapture), face_decision(Verdict.REJECT)))
    assert d.phase is Phase.FACE_FAILED and d.state.error is ErrorCode.FACE_NO_MATCH
    d.send(Pressed(Intent.CALL_STAFF))
    assert d.phase is Phase.STAFF_CALL


def test_unreadable_card_face_may_be_rescanned_but_a_wrong_verification_b_never_retries() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    d.send(JobFailed(d.token_of(ScanCardFront), ErrorCode.CARD_FACE_UNREADABLE))
    assert d.phase is Phase.FACE_FAILED and not d.state.face_exhausted
    d.send(Pressed(Intent.RETRY))
    assert d.phase is Phase.FACE_SCAN
    d.send(CardFrontScanned(d.token_of(ScanCardFront)))
    d.send(JobFailed(d.token_of(ReadChipPhoto), ErrorCode.VERIFICATION_B_WRONG, tries_left=9))
    assert d.phase is Phase.FACE_FAILED and d.state.face_exhausted
    before = len(d.effects)
    d.send(Pressed(Intent.RETRY))
    assert d.phase is Phase.FACE_FAILED and not any(isinstance(e, ReadChipPhoto) for e in d.effects[before:])


def test_wrong_pin_never_retries_and_confirms_the_last_try() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("0000"))
    d.send(PinRejected(d.token_of(VerifyPin), tries_left=2))
    assert d.phase is Phase.PIN_WRONG and d.state.pin_tries == 2
    n_verify = sum(isinstance(e, VerifyPin) for e in d.effects)
    d.advance(5)
    assert sum(isinstance(e, VerifyPin) for e in d.effects) == n_verify  # nothing automatic
    d.send(Pressed(Intent.RETRY))
    d.send(PinEntered("1111"))
    d.send(PinRejected(d.token_of(VerifyPin), tries_left=1))
    d.send(Pressed(Intent.RETRY))
    assert d.phase is Phase.PIN_LAST_WARNING  # explicit confirmation before the last try
    d.send(PinEntered("2222"))
    assert d.phase is Phase.PIN_LAST_WARNING and sum(isinstance(e, VerifyPin) for e in d.effects) == n_verify + 1
    d.send(Pressed(Intent.CONFIRM_LAST_TRY))
    assert d.phase is Phase.PIN_ENTRY
    d.send(PinEntered("3333"))
    d.send(PinRejected(d.token_of(VerifyPin), tries_left=0))
    assert d.phase is Phase.PIN_LOCKED
    d.send(Pressed(Intent.USE_PIN))
    assert d.phase is Phase.PIN_LOCKED
    d.send(Pressed(Intent.USE_FACE))
    assert d.phase is Phase.FACE_SCAN  # a locked PIN still allows face


def test_card_blocked_error_and_malformed_pin() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("12a4"))
    assert d.phase is Phase.PIN_ENTRY and d.state.error is ErrorCode.PIN_FORMAT
    d.send(PinEntered("1234"))
    d.send(JobFailed(d.token_of(VerifyPin), ErrorCode.PIN_BLOCKED))
    assert d.phase is Phase.PIN_LOCKED and d.state.pin_tries == 0


def test_one_try_left_at_start_asks_before_the_keypad() -> None:
    d = FlowDriver.new()
    read_card(d, pin_tries=1)
    d.send(Pressed(Intent.USE_PIN))
    assert d.phase is Phase.PIN_LAST_WARNING


@pytest.mark.parametrize("pin_tries", [None, 0])
def test_pin_less_or_locked_card_goes_to_face_only(pin_tries: int | None) -> None:
    d = FlowDriver.new()
    read_card(d, pin_tries=pin_tries)
    assert d.phase is Phase.FACE_SCAN


def test_unsupported_card() -> None:
    d = FlowDriver.new()
    d.send(CardInserted())
    effects = d.send(JobFailed(d.token_of(ReadCard), ErrorCode.UNSUPPORTED_CARD))
    assert d.phase is Phase.UNSUPPORTED and ClearSensitiveData() in effects


def test_not_registered_registers_with_face_or_pin() -> None:
    d = FlowDriver.new()
    read_card(d, registered=False)
    assert d.phase is Phase.NOT_REGISTERED
    d.send(Pressed(Intent.REGISTER))
    assert d.phase is Phase.METHOD  # as on the official readers: face or PIN
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    answer_default_consents(d)
    assert d.last(Submit).plan.register_for_insurance  # type: ignore[attr-defined]


def test_certificate_expired_beyond_grace_stops_before_the_backend() -> None:
    d = FlowDriver.new()
    read_card(d, days_left=-120)
    assert d.phase is Phase.CERT_EXPIRED
    assert not any(isinstance(e, FetchChallenge) for e in d.effects)


def test_certificate_expiring_shows_a_renewal_notice_after_authentication() -> None:
    d = FlowDriver.new()
    read_card(d, days_left=30)
    assert d.phase is Phase.METHOD and d.state.cert is CertState.EXPIRING  # the official flow: after the check
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    assert d.phase is Phase.RENEWAL_NOTICE
    d.send(Pressed(Intent.NEXT))
    assert d.phase is Phase.CONSENT


def test_grace_period_is_eligibility_only_without_medical_consents() -> None:
    d = FlowDriver.new()
    read_card(d, days_left=-10)
    assert d.phase is Phase.METHOD
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    assert d.phase is Phase.GRACE_NOTICE
    d.send(Pressed(Intent.NEXT))
    assert d.state.consent_queue == ("limit_info", "public_expense", "prescription_form")
    for item, choice in [("limit_info", "ok"), ("public_expense", "consent"), ("prescription_form", "paper")]:
        d.send(ConsentAnswered(item, choice))
    assert d.last(Submit).plan.eligibility_only  # type: ignore[attr-defined]


def test_individual_consents_ask_each_medical_item() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    d.send(ConsentAnswered("comprehensive", "individual"))
    assert d.state.consent_queue[:4] == ("diagnosis", "pharmacists", "operation", "specific_health_checkups")
    d.send(ConsentAnswered("pharmacists", "consent"))  # not the screen shown: ignored
    assert d.state.consent_queue[0] == "diagnosis"
    d.send(ConsentAnswered("diagnosis", "maybe"))  # not a choice of that screen: ignored
    assert d.state.consent_queue[0] == "diagnosis"
    for item in d.state.consent_queue:
        choice = d.state.settings.consents.get(item).choices[-1]
        d.send(ConsentAnswered(item, choice))
    plan = d.last(Submit).plan  # type: ignore[attr-defined]
    assert plan.consents[0] == ("comprehensive", "individual") and ("diagnosis", "decline") in plan.consents


def test_late_results_are_dropped_after_cancel() -> None:
    d = FlowDriver.new()
    d.send(CardInserted())
    token = d.token_of(ReadCard)
    effects = d.send(Pressed(Intent.CANCEL))
    assert CancelJob(token) in effects and d.phase is Phase.TAKE_CARD
    before = d.state
    assert d.send(SummaryRead(token, summary(), NOW)) == [] and d.state is before


def test_stop_capture_on_timeout_and_stale_decision_dropped() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    face_to_capture(d)
    token = d.token_of(StartCapture)
    fired = d.advance(25)
    assert StopCapture(token) in fired and d.phase is Phase.FACE_RETRY
    assert d.send(FaceDecided(token, face_decision(Verdict.ACCEPT))) == [] and d.phase is Phase.FACE_RETRY


def test_inactivity_timeout_and_activity_restart() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.advance(50)
    d.send(Pressed(Intent.TOGGLE_CONTRAST))
    from kiosk.flow_events import UserActivity

    d.send(UserActivity())
    d.advance(50)
    assert d.phase is Phase.METHOD
    d.advance(11)
    assert d.phase is Phase.METHOD and d.state.still_there  # 「まだ続けますか？」 first
    d.advance(21)
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.TIMED_OUT


def test_submit_has_a_bounded_wait() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    answer_default_consents(d)
    token = d.token_of(Submit)
    fired = d.advance(15)
    assert CancelJob(token) in fired and d.phase is Phase.SUBMIT_FAILED and d.state.error is ErrorCode.BACKEND_TIMEOUT


def test_backend_failure_during_submit() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    answer_default_consents(d)
    d.send(JobFailed(d.token_of(Submit), ErrorCode.BACKEND_REJECTED))
    assert d.phase is Phase.SUBMIT_FAILED and d.state.error is ErrorCode.BACKEND_REJECTED


def test_low_verification_b_counter_is_never_spent() -> None:
    from dataclasses import replace as dc_replace

    from kiosk.domain import TriesLeft

    d = FlowDriver.new()
    d.send(CardInserted())
    card = summary()
    card = dc_replace(card, tries=TriesLeft(auth_pin=3, verification_b=2))
    d.send(SummaryRead(d.token_of(ReadCard), card, NOW))
    d.send(ChallengeFetched(d.token_of(FetchChallenge), True))
    d.send(Pressed(Intent.USE_FACE))
    assert d.phase is Phase.FACE_FAILED and d.state.error is ErrorCode.VERIFICATION_B_LOW
    assert not any(isinstance(e, (ScanCardFront, ReadChipPhoto)) for e in d.effects)
    d.send(Pressed(Intent.USE_PIN))
    assert d.phase is Phase.PIN_ENTRY
