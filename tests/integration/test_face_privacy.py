"""Privacy by construction: frames, the chip photo and encodings stay in memory, never reach a file or a
log, and are dropped once the decision is made."""

from __future__ import annotations

import gc
import logging
import random
import re
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import Frame, VideoFileSource
from drivers.face.encoder import DlibEncoder
from drivers.face.session import LiveFaceSession
from kiosk.face import FaceThresholds
from testbench.face.attacks import chip_like

REPO = Path(__file__).resolve().parents[2]
FIX = REPO.parent / "shared" / "fixtures"
VIDEO = FIX / "video/WDA_KatieHill_000.mp4"
PORTRAIT = FIX / "faces/face_recognition/obama.jpg"
pytestmark = pytest.mark.models  # needs ../shared/fixtures: CI has it beside the clone; a missing one fails


def _chip_bytes(encoder: DlibEncoder) -> bytes:
    image = cv2.imread(str(PORTRAIT))
    return chip_like(image, encoder.detect(image, 1)[0], 120, 2400)


def test_frames_chip_and_encodings_are_dropped_after_the_decision() -> None:
    encoder = DlibEncoder()
    chip = encoder.enrol_chip(_chip_bytes(encoder))
    chip_ref = weakref.ref(chip.encoding)
    session = LiveFaceSession(encoder, FaceThresholds(), rng=random.Random(3))
    frame_refs = []
    for frame in VideoFileSource(VIDEO).frames():
        copy = Frame(frame.index, frame.t, frame.image.copy())  # an array only the session could keep
        frame_refs.append(weakref.ref(copy.image))
        session.feed(copy)
        del copy, frame
        if session.done:
            break
    decision = session.finish(chip, match_even_if_not_live=True)
    assert decision.frames_used  # encodings were made and compared
    del chip
    gc.collect()
    assert chip_ref() is None
    assert all(ref() is None for ref in frame_refs)
    # nothing array-like is left inside the session or the decision
    leftovers = [k for k, v in vars(session).items() if isinstance(v, np.ndarray) or ((isinstance(v, dict | list) and v)
                 and k not in ("_guidance_counts", "_analysis_ms"))]
    assert leftovers == []
    text = repr(decision) + repr(decision.to_json())
    assert "array" not in text and len(text) < 4000


def test_nothing_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    encoder = DlibEncoder()
    photo = _chip_bytes(encoder)
    chip = encoder.enrol_chip(photo)
    session = LiveFaceSession(encoder, FaceThresholds(), rng=random.Random(4))
    for frame in VideoFileSource(VIDEO).frames():
        session.feed(frame)
        if session.done:
            break
    decision = session.finish(chip, match_even_if_not_live=True)
    logging.getLogger("test").info("decision %s", decision)  # even logging the whole record is safe
    numbers = {f"{v:.6f}"[:8] for v in chip.encoding[:8]}
    for record in caplog.records:
        assert not any(isinstance(a, bytes | bytearray | np.ndarray) for a in (record.args or ()))
        message = record.getMessage()
        assert not any(n in message for n in numbers)
        assert photo[:16].hex() not in message and not re.search(r"\[\s*-?\d+\.\d+(,?\s+-?\d+\.\d+){20,}", message)


def test_nothing_is_written_to_disk(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import random, sys, cv2
        sys.path.insert(0, {str(REPO)!r})
        from drivers.camera import Camera, VideoFileSource
        from testbench.face.attacks import chip_like
        from drivers.face.encoder import DlibEncoder
        from drivers.face.session import LiveFaceSession
        from kiosk.face import FaceThresholds
        enc = DlibEncoder()
        img = cv2.imread({str(PORTRAIT)!r})
        chip = enc.enrol_chip(chip_like(img, enc.detect(img, 1)[0], 120, 2400))
        s = LiveFaceSession(enc, FaceThresholds(), rng=random.Random(1))
        with Camera(VideoFileSource({str(VIDEO)!r}), speed=4.0) as cam:
            last = -1
            while not s.done and (f := cam.wait_next(last, timeout=5.0)) is not None:
                s.feed(f)
                last = f.index
        print(s.finish(chip, match_even_if_not_live=True).verdict.value)
        """
    )
    trace = tmp_path / "trace.txt"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    # `import mediapipe` imports matplotlib, which builds a font list cache under $HOME once per machine (no
    # personal data). Warm it first, as on an installed kiosk, so the traced run must write nothing at all.
    subprocess.run([sys.executable, "-c", "import mediapipe"], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    result = subprocess.run(
        ["strace", "-f", "-e", "trace=open,openat,creat,rename,renameat,renameat2,link,mkdir", "-o", str(trace),
         sys.executable, "-B", "-c", script],
        capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path, env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() in ("reject", "liveness_failed", "retry", "accept")
    writes = []
    for line in trace.read_text().splitlines():
        if re.search(r"O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link\(|mkdir\(", line):
            path = re.search(r'"([^"]*)"', line)
            target = path.group(1) if path else line
            failed = "= -1 " in line  # a failed call wrote nothing
            if not target.startswith(("/dev/", "/proc/", "/sys/")) and not failed:
                writes.append(line)
    assert writes == []
    assert "openat" in trace.read_text()  # the trace did see the process's file activity
