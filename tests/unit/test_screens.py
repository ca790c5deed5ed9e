"""The pure state → ScreenModel mapping."""

from __future__ import annotations

from dataclasses import replace

import pytest

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
    assert model.screen == SAMPLES[name].phase.value and model.title.key
    intents = {b.intent for b in model.buttons}
    for b in model.buttons:
        assert b.label
        assert b.intent.startswith("consent:") or Intent(b.intent)
    if model.screen not in {"attract", "done", "take_card", "unsupported", "read_failed", "cert_expired",
                            "submit_failed", "staff_panel", "staff_self_test", "staff_pin", "visual_check"}:
        assert model.busy or Intent.CANCEL.value in intents, "a patient can always stop"


def test_method_offers_face_pin_and_staff() -> None:
    model = screen_model(SAMPLES["method"])
    assert [b.intent for b in model.buttons] == ["use_face", "use_pin", "call_staff", "cancel"]
    assert model.buttons[0].role == "primary"


def test_pin_entry_shows_tries_and_keypad() -> None:
    model = screen_model(SAMPLES["pin_entry"])
    assert model.keypad and model.tries_left == 3 and model.keypad_nonce == 1
    assert any(t.params == (("n", "3"),) for t in model.body)
    assert "use_pin" not in {b.intent for b in model.buttons}


def test_locked_pin_offers_no_pin() -> None:
    model = screen_model(SAMPLES["pin_locked"])
    assert {b.intent for b in model.buttons} == {"use_face", "call_staff", "cancel"}
    model = screen_model(replace(SAMPLES["pin_locked"], face_exhausted=True))
    assert {b.intent for b in model.buttons} == {"call_staff", "cancel"}


def test_errors_are_explained() -> None:
    model = screen_model(SAMPLES["submit_failed"])
    assert model.body[0].key == ERROR_TEXTS["backend_timeout"]
    unknown = screen_model(replace(SAMPLES["submit_failed"], error="weird_code"))
    assert unknown.body[0].key == ERROR_TEXTS["kiosk_error"]


def test_consent_screen_carries_id_version_and_choices() -> None:
    model = screen_model(SAMPLES["consent_comprehensive"])
    assert model.consent is not None and model.consent.item_id == "comprehensive" and model.consent.version
    assert [b.intent for b in model.buttons] == ["consent:consent_all", "consent:individual", "cancel"]
    zh = screen_model(replace(SAMPLES["consent_item"], lang="zh"))
    assert zh.consent is not None and zh.consent.lang_shown == "zh" and zh.secondary_lang == "en"
    rx = screen_model(SAMPLES["consent_prescription"])
    assert [b.intent for b in rx.buttons][:2] == ["consent:electronic", "consent:paper"]


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
