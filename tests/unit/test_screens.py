"""The pure state → ScreenModel mapping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.errors import ErrorCode
from kiosk.flow import BUSY_PHASES
from kiosk.flow_events import ConsentAnswered, Pressed
from kiosk.flow_steps import Role
from kiosk.flow_types import Intent, Phase
from kiosk.screen_texts import BUTTON_LABELS, ERROR_TEXTS, PHASE_TEXTS
from kiosk.screens import screen_model
from tests.screen_samples import sample_states

SAMPLES = sample_states()


def test_every_phase_has_a_sample_and_texts() -> None:
    assert {s.phase for s in SAMPLES.values()} == set(Phase)
    assert set(PHASE_TEXTS) == set(Phase)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_screen_maps(name: str) -> None:
    model = screen_model(SAMPLES[name])
    screen = "still_there" if SAMPLES[name].still_there else SAMPLES[name].phase.value  # the warning over a screen
    assert model.screen == screen and model.title.key
    intents = {b.press for b in model.buttons}
    for b in model.buttons:
        assert b.label
        assert isinstance(b.press, Pressed | ConsentAnswered)
    if model.screen not in {"attract", "done", "take_card", "unsupported", "read_failed", "cert_expired",
                            "submit_failed", "staff_panel", "staff_self_test", "staff_pin", "visual_check",
                            "phone_cert_expired"}:
        assert model.busy or Pressed(Intent.CANCEL) in intents, "a patient can always stop"


def test_method_offers_face_pin_and_staff() -> None:
    model = screen_model(SAMPLES["method"])
    assert [b.code for b in model.buttons] == ["use_face", "use_pin", "call_staff", "cancel"]
    assert [b.press for b in model.buttons] == [Pressed(i) for i in (Intent.USE_FACE, Intent.USE_PIN,
                                                                     Intent.CALL_STAFF, Intent.CANCEL)]
    assert model.buttons[0].role is Role.PRIMARY


def test_pin_entry_shows_tries_and_keypad() -> None:
    model = screen_model(SAMPLES["pin_entry"])
    assert model.keypad and model.tries_left == 3 and model.keypad_nonce == 1
    assert any(t.params == (("n", "3"),) for t in model.body)
    assert Pressed(Intent.USE_PIN) not in {b.press for b in model.buttons}
    assert model.pin_lengths == (4, 4)


def test_locked_pin_offers_no_pin() -> None:
    model = screen_model(SAMPLES["pin_locked"])
    assert {b.code for b in model.buttons} == {"use_face", "call_staff", "cancel"}
    model = screen_model(replace(SAMPLES["pin_locked"], face_exhausted=True))
    assert {b.code for b in model.buttons} == {"call_staff", "cancel"}


def test_errors_are_explained() -> None:
    model = screen_model(SAMPLES["submit_failed"])
    assert model.body[0].key == ERROR_TEXTS[ErrorCode.BACKEND_TIMEOUT]
    assert set(ERROR_TEXTS) == set(ErrorCode), "every error code has its text"


def test_consent_screen_carries_id_version_and_choices() -> None:
    model = screen_model(SAMPLES["consent_comprehensive"])
    assert model.consent is not None and model.consent.item_id == "comprehensive" and model.consent.version
    assert [b.press for b in model.buttons] == [
        ConsentAnswered("comprehensive", "consent_all"), ConsentAnswered("comprehensive", "individual"),
        Pressed(Intent.CANCEL)]  # fmt: skip
    zh = screen_model(replace(SAMPLES["consent_item"], lang="zh"))
    assert zh.consent is not None and zh.consent.lang_shown == "zh" and zh.secondary_lang == "en"
    rx = screen_model(SAMPLES["consent_prescription"])
    assert [b.code for b in rx.buttons][:2] == ["consent:electronic", "consent:paper"]


def test_capture_shows_camera_hint_and_box() -> None:
    model = screen_model(SAMPLES["face_capture"])
    assert model.camera and model.face_box is not None and model.face_hint is not None
    assert model.step == (3, 3)


def test_alarm_banner_and_staff_flags() -> None:
    assert screen_model(SAMPLES["done_alarm"]).alarm
    assert screen_model(SAMPLES["attract_notice"]).banner is not None
    assert screen_model(SAMPLES["staff_panel"]).staff
    counts = screen_model(SAMPLES["staff_self_test"]).counts
    assert dict(counts) == {"face": 12, "pin": 4, "visual": 1}
    assert set(BUTTON_LABELS) == set(Intent)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_drawn_button_is_handled_and_nothing_else_is(name: str) -> None:
    from kiosk.flow import step

    state = SAMPLES[name]
    drawn = {b.press for b in screen_model(state).buttons}
    for press in drawn:
        after, effects = step(state, press)
        assert (after, effects) != (state, []), (name, press)
    # the patient's own controls and keys work on every screen: mute, contrast, voice-led mode (F1)
    anywhere = {Pressed(Intent.TOGGLE_MUTE), Pressed(Intent.TOGGLE_CONTRAST), Pressed(Intent.VOICE_GUIDE)}
    hidden = {Pressed(i) for i in Intent} - drawn - anywhere
    if state.phase not in BUSY_PHASES:  # Stop also works while the kiosk waits (no button to draw there)
        for press in hidden:
            assert step(state, press) == (state, []), (name, press)
