"""Every screen renders under pytest-qt (offscreen), emits its intents, and lands in the screenshot gallery."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk import screen_texts
from kiosk.flow_events import ConsentAnswered, LanguageChosen, Pressed
from kiosk.flow_types import Intent
from kiosk.ports import PreviewFrame
from kiosk.screen_texts import (
    BUTTON_LABELS,
    CHOICE_LABELS,
    ERROR_TEXTS,
    FACE_HINTS,
    NOTICE_TEXTS,
    PHASE_TEXTS,
    STAFF_LABELS,
    VERDICT_TEXTS,
)
from kiosk.screens import screen_model
from tests.screen_samples import sample_states
from ui.i18n import Catalogue
from ui.main_window import MainWindow
from ui.textfmt import plain
from ui.theme import KIOSK_SIZE, font_family

pytestmark = pytest.mark.ui
SAMPLES = sample_states()


@pytest.fixture
def window(qtbot: object, catalogue: Catalogue) -> MainWindow:
    win = MainWindow(catalogue)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    return win


def _has_cjk(text: str) -> bool:
    return any(ord(c) > 0x3000 for c in text)


def _has_kana_or_kanji(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text) and not any("\u3040" <= c <= "\u30ff" for c in text)


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in text)


@pytest.mark.parametrize("look", ["normal", "high_contrast"])
@pytest.mark.parametrize("lang", ["ja", "en", "zh", "ko"])
def test_screen_renders_in_every_language(window: MainWindow, gallery_dir: Path, lang: str, look: str) -> None:
    """The gallery: every screen in every language, normal and large-text / high-contrast, in out/gallery/.

    One window for all screens of a language (a window per screen costs a second each on the test machine)."""
    high_contrast = look == "high_contrast"
    suffix = "_high_contrast" if high_contrast else ""
    # A flat grey stand-in for the chip photo (the gallery holds no one's face)
    window.photo_source = lambda: PreviewFrame(180, 240, bytes([150]) * (180 * 240 * 3))
    for name in SAMPLES:
        model = screen_model(replace(SAMPLES[name], lang=lang, high_contrast=high_contrast))
        window.show_model(model)
        QApplication.processEvents()  # new labels and buttons are shown by a queued call, as in the kiosk's loop
        page = window.current_page
        title = plain(page.title.text() if model.consent is None else page.item_title.text())  # type: ignore[attr-defined]
        assert title, name
        script = {"ja": _has_kana_or_kanji, "zh": _has_han, "ko": _has_hangul}
        if lang in script:
            assert script[lang](title), (name, title)
        elif model.consent is None:
            assert not _has_cjk(title), (name, title)
            assert _has_cjk(page.title2.text()), name  # Japanese beside English
        assert (f'font-family: "{font_family(lang)}"' in window.styleSheet()) and (
            ("#000000" in window.styleSheet()) == high_contrast)  # fmt: skip
        assert len(page.button_widgets) == len(model.buttons), name
        for widget in page.button_widgets:
            assert widget.height() >= 88 or not widget.isVisible(), f"{name}: touch targets stay large"
        # The stack's hint is the largest of all its pages: count the page shown instead.
        hint, stack, shown = window.minimumSizeHint(), window.stack.minimumSizeHint(), page.minimumSizeHint()
        height = hint.height() - stack.height() + shown.height()
        assert height <= KIOSK_SIZE[1] and shown.width() <= KIOSK_SIZE[0], f"{name}: must fit the kiosk panel"
        assert window.grab().save(str(gallery_dir / f"{name}_{lang}{suffix}.png"))


def test_high_contrast_switches_back(window: MainWindow) -> None:
    window.show_model(screen_model(replace(SAMPLES["method"], high_contrast=True)))
    assert "#000000" in window.styleSheet()
    window.show_model(screen_model(SAMPLES["method"]))
    assert "#000000" not in window.styleSheet()


def test_buttons_emit_their_intents(window: MainWindow, qtbot: object) -> None:
    for name in ("method", "face_retry", "pin_wrong", "staff_panel", "visual_check", "not_registered"):
        model = screen_model(SAMPLES[name])
        window.show_model(model)
        seen: list[object] = []
        window.sent.connect(seen.append)
        for widget in window.current_page.button_widgets:
            qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        window.sent.disconnect(seen.append)
        assert seen == [b.press for b in model.buttons], name


def test_patient_controls_in_the_lower_half(window: MainWindow) -> None:
    window.show_model(screen_model(SAMPLES["method"]))
    window.resize(800, 1280)
    half = window.height() / 2
    for widget in [*window.current_page.button_widgets, *window.language_buttons.values(), window.sound_button]:
        top = widget.mapTo(window, widget.rect().topLeft()).y()
        assert top >= half, f"{widget.text()!r} at y={top} is out of reach from a wheelchair"


def test_language_bar_and_toggles(window: MainWindow, qtbot: object) -> None:
    window.show_model(screen_model(SAMPLES["attract"]))
    sent: list[object] = []
    window.sent.connect(sent.append)
    qtbot.mouseClick(window.language_buttons["ko"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.mouseClick(window.sound_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.mouseClick(window.contrast_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert sent == [LanguageChosen("ko"), Pressed(Intent.TOGGLE_MUTE), Pressed(Intent.TOGGLE_CONTRAST)]
    window.show_model(screen_model(replace(SAMPLES["attract"], lang="ko")))
    assert window.language_buttons["ko"].isChecked() and not window.language_buttons["ja"].isChecked()
    assert "마이넘버" in plain(window.current_page.title.text())
    window.show_model(screen_model(SAMPLES["staff_panel"]))
    assert not window.chrome.isVisible()


def test_consent_screen_emits_item_and_choice(window: MainWindow, qtbot: object) -> None:
    window.show_model(screen_model(SAMPLES["consent_item"]))
    answers: list[object] = []
    window.sent.connect(answers.append)
    page = window.current_page
    meta = plain(page.meta.text())  # type: ignore[attr-defined]
    assert "1問目" in meta and "Question 1 of 1" in meta  # where the patient is, in words
    assert "diagnosis" not in meta and "v2025" not in meta  # no internal ids on a patient screen
    decline = ConsentAnswered("diagnosis", "decline")
    qtbot.mouseClick(page.button_for(decline), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert answers == [decline]


def test_alarm_banner(window: MainWindow) -> None:
    window.show_model(screen_model(SAMPLES["done_alarm"]))
    assert window.alarm.isVisible() and "カード" in plain(window.alarm.text())
    window.show_model(screen_model(SAMPLES["done"]))
    assert not window.alarm.isVisible()


def test_every_text_has_japanese_chinese_and_korean(catalogue: Catalogue) -> None:
    keys = [t for texts in PHASE_TEXTS.values() for t in texts]
    keys += [*ERROR_TEXTS.values(), *NOTICE_TEXTS.values(), *FACE_HINTS.values(), *BUTTON_LABELS.values()]
    keys += [*VERDICT_TEXTS.values(), *STAFF_LABELS.values()]
    keys += [v for name, v in vars(screen_texts).items() if name.isupper() and isinstance(v, str)]
    keys += list(CHOICE_LABELS.values())
    for lang in ("ja", "zh", "ko"):
        untranslated = [k for k in keys if catalogue.tr(lang, k) == k and k not in {"OK", "Android", "iPhone"}]
        assert not untranslated, (lang, untranslated[:5])


def test_any_touch_counts_as_activity(window: MainWindow, qtbot: object) -> None:
    window.show_model(screen_model(SAMPLES["method"]))
    seen: list[bool] = []
    window.activity.connect(lambda: seen.append(True))
    qtbot.mouseClick(window.current_page.title, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert seen == [True], "a touch anywhere restarts the inactivity timer, once"


def test_pin_screens_keypad_cancel_and_lengths(window: MainWindow, qtbot: object) -> None:
    """取消 on the patient keypad is the screen's cancel; the staff keypad takes 4 to 8 digits."""
    window.show_model(screen_model(replace(SAMPLES["pin_entry"], lang="zh")))
    pad = window.current_page.keypad  # type: ignore[attr-defined]
    assert (pad.min_length, pad.max_length) == (4, 4) and pad.cancel_button.text() == "取消\n取消"
    seen: list[object] = []
    window.sent.connect(seen.append)
    qtbot.mouseClick(pad.cancel_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert seen == [Pressed(Intent.CANCEL)]
    window.show_model(screen_model(SAMPLES["staff_pin"]))
    staff_pad = window.current_page.keypad  # type: ignore[attr-defined]
    assert (staff_pad.min_length, staff_pad.max_length) == (4, 8)
