"""Voice guidance files and the speaker that plays them (with a stand-in player command)."""

from __future__ import annotations

import importlib.util
import sys
import wave
from pathlib import Path

from kiosk.flow_types import Phase
from ui.sound import WavSpeaker, voice_folder

REPO = Path(__file__).resolve().parents[2]


def _build_voices_module() -> object:
    spec = importlib.util.spec_from_file_location("build_voices", REPO / "packaging/voices/build_voices.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_voices"] = module
    spec.loader.exec_module(module)
    return module


def test_spoken_text_is_what_the_screen_says() -> None:
    bv = _build_voices_module()
    ja = bv.translations("ja")  # type: ignore[attr-defined]
    text = bv.spoken_text(Phase.DONE, ja)  # type: ignore[attr-defined]
    assert "カードをお取りください" in text
    assert bv.spoken_text(Phase.ATTRACT, {}).startswith("Please place your My Number card")  # type: ignore[attr-defined]


def test_every_patient_screen_has_a_voice_in_every_language() -> None:
    """`make setup` runs `make voices`; a missing clip means the build step did not run."""
    bv = _build_voices_module()
    folder = voice_folder()
    missing = [
        f"{lang}/{p.value}"
        for lang in ("ja", "en", "zh", "ko")
        for p in Phase
        if p not in bv.SILENT_SCREENS and not (folder / lang / f"{p.value}.wav").is_file()  # type: ignore[attr-defined]
    ]
    assert not missing, f"run `make voices`: {missing[:5]}"
    with wave.open(str(folder / "ja" / "done.wav")) as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getnframes() > 16000
    assert (folder / "alarm.wav").is_file()


def test_speaker_plays_falls_back_and_stops(tmp_path: Path) -> None:
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja" / "done.wav").write_bytes(b"RIFF")
    (tmp_path / "alarm.wav").write_bytes(b"RIFF")
    speaker = WavSpeaker(tmp_path, player=[sys.executable, "-c", "import time; time.sleep(5)"])  # waits
    speaker.play("done", "ko")  # no Korean clip: Japanese is used
    assert speaker.last_clip == tmp_path / "ja" / "done.wav"
    voice = speaker._voice
    assert voice is not None and voice.poll() is None
    speaker.play("attract", "ja")  # no clip at all: the old one is stopped, nothing new plays
    assert speaker.last_clip is None and voice.wait(timeout=5) != 0
    speaker.alarm(True)
    alarm = speaker._alarm
    assert alarm is not None and alarm.poll() is None
    speaker.alarm(False)
    assert alarm.wait(timeout=5) != 0
    speaker.close()


def test_speaker_without_a_player_is_silent(tmp_path: Path) -> None:
    speaker = WavSpeaker(tmp_path, player=[])
    speaker._player = None
    speaker.play("done", "ja")
    speaker.alarm(True)
    assert speaker._voice is None and speaker._alarm is None
