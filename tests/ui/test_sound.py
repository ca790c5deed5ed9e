"""Voice guidance files and the speaker that plays them (with a stand-in player command)."""

from __future__ import annotations

import importlib.util
import math
import sys
import wave
from array import array
from pathlib import Path

from kiosk.consent import load_catalogue
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
    method = bv.spoken_text(Phase.METHOD, ja, "ja")  # type: ignore[attr-defined]
    assert method.startswith("本人確認の方法を選んでください。")
    assert "「顔認証」" in method and "「職員を呼ぶ」" in method
    consent = bv.consent_texts("ko", bv.translations("ko"))["consent_diagnosis"]  # type: ignore[attr-defined]
    # title, question, choice
    assert consent.startswith("진료 정보.") and "동의하십니까?" in consent and "동의함" in consent


def test_the_tail_check_sees_a_cut_clip(tmp_path: Path) -> None:
    """A clip that stops in the middle of a sound must fail the build's check."""
    bv = _build_voices_module()
    clip = tmp_path / "cut.wav"
    with wave.open(str(clip), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(array("h", [0] * 8000 + [int(8000 * math.sin(i / 5)) for i in range(8000)]).tobytes())
    assert "ends in speech" in bv.clip_problem(clip)  # type: ignore[attr-defined]
    with wave.open(str(clip), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(array("h", [9000] * 8000 + [0] * 2000).tobytes())  # 125 ms of silence: too short
    assert "silence at the end" in bv.clip_problem(clip)  # type: ignore[attr-defined]


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
    missing += [
        f"{lang}/consent_{item}"
        for lang in ("ja", "en", "zh", "ko")
        for item in load_catalogue().items
        if not (folder / lang / f"consent_{item}.wav").is_file()
    ]
    assert not missing, f"run `make voices`: {missing[:5]}"
    cut = {str(p.relative_to(folder)): bv.clip_problem(p) for p in folder.glob("*/*.wav")}  # type: ignore[attr-defined]
    print(f"voice clips checked for a cut tail: {len(cut)}, cut: {sum(map(bool, cut.values()))}")
    assert not any(cut.values()), {k: v for k, v in cut.items() if v}
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
