"""The face path with the real models on CI-sized subsets of the shared fixtures."""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import Camera, Frame, StillImageSource, VideoFileSource
from drivers.face.encoder import ChipEnrolment, DlibEncoder, distance, grey3
from drivers.face.landmarks import FaceAnalyser
from drivers.face.session import LiveFaceSession
from kiosk.errors import NoFaceInChipPhoto
from kiosk.face import FaceThresholds, Guidance, LivenessOutcome, Verdict, assess_quality
from testbench.face.attacks import chip_like, fit_frame, waved_print
from testbench.face.pad_bench import run_camera
from testbench.face.responsive import CooperativePatient, Footage

REPO = Path(__file__).resolve().parents[2]
FIX = REPO.parent / "shared" / "fixtures"
pytestmark = pytest.mark.models  # needs ../shared/fixtures: CI has it beside the clone; a missing one fails
T = FaceThresholds()


@pytest.fixture(scope="module")
def encoder() -> DlibEncoder:
    enc = DlibEncoder()
    enc.load()
    return enc


def _still(rel: str) -> np.ndarray:
    image = cv2.imread(str(FIX / rel))
    assert image is not None, rel
    return image


def _chip(encoder: DlibEncoder, rel: str, px: int = 120, size: int = 2400) -> ChipEnrolment:
    image = _still(rel)
    box = encoder.detect(image, 1)[0]
    return encoder.enrol_chip(chip_like(image, box, px, size))


@pytest.fixture(scope="module")
def lin_chip(encoder: DlibEncoder) -> ChipEnrolment:
    return _chip(encoder, "faces/face_recognition/lin_manuel_miranda.png")


def _run(encoder: DlibEncoder, frames: Iterator[Frame], seed: int = 1) -> LiveFaceSession:
    session = LiveFaceSession(encoder, T, rng=random.Random(seed))
    for frame in frames:
        session.feed(frame)
        if session.done:
            break
    return session


def test_chip_like_enrolment_matches_the_person_not_others(encoder: DlibEncoder) -> None:
    chip = _chip(encoder, "faces/face_recognition/obama.jpg", 80, 1600)
    assert chip.encoding.shape == (128,)
    same = grey3(_still("faces/face_recognition/obama2.jpg"))
    other = grey3(_still("faces/face_recognition/biden.jpg"))
    d_same = distance(chip.encoding, encoder.encode(same, encoder.detect(same, 1)[0]))
    d_other = distance(chip.encoding, encoder.encode(other, encoder.detect(other, 1)[0]))
    assert d_same < T.reject < d_other


def test_chip_photo_without_a_face_is_a_typed_error(encoder: DlibEncoder) -> None:
    ok, blank = cv2.imencode(".jp2", np.full((120, 100), 128, np.uint8))
    assert ok
    with pytest.raises(NoFaceInChipPhoto):
        encoder.enrol_chip(blank.tobytes())
    with pytest.raises(NoFaceInChipPhoto):
        encoder.enrol_chip(b"\x00\x00\x00\x0cjP  garbage")


def test_gates_on_fixture_stills() -> None:
    with FaceAnalyser(static=True) as analyser:
        two = analyser.analyse(fit_frame(_still("faces/face_recognition/two_people.jpg")))
        assert Guidance.ONE_PERSON_ONLY in assess_quality(two.measurements, T)
        partial = analyser.analyse(_still("faces/face_recognition/obama_partial_face.jpg"))
        assert assess_quality(partial.measurements, T)[0] in (Guidance.NO_FACE, Guidance.CENTRE_FACE)
        portrait = _still("faces/face_recognition/obama-480p.jpg")
        small_portrait = cv2.resize(portrait, (427, 240), interpolation=cv2.INTER_AREA)  # far from the camera
        far = cv2.copyMakeBorder(small_portrait, 120, 120, 106, 107, cv2.BORDER_CONSTANT, value=(90, 90, 90))
        small = analyser.analyse(far)
        assert Guidance.COME_CLOSER in assess_quality(small.measurements, T)
        dark = analyser.analyse((fit_frame(_still("faces/face_recognition/obama.jpg")) * 0.2).astype(np.uint8))
        assert Guidance.MORE_LIGHT in assess_quality(dark.measurements, T)


def test_a_recorded_talking_head_cannot_answer_the_prompts(encoder: DlibEncoder, lin_chip: ChipEnrolment) -> None:
    frames = VideoFileSource(FIX / "video/WDA_AlexandriaOcasioCortez_000.mp4").frames()
    session = _run(encoder, frames)
    session.source_ended()
    decision = session.finish(lin_chip, match_even_if_not_live=True)
    assert decision.verdict is Verdict.LIVENESS_FAILED
    assert decision.liveness is not None and decision.liveness.passive is not None
    assert decision.liveness.passive.blinks >= 1  # it blinks and moves, on its own clock
    assert decision.liveness.reason  # the prompt it missed, or that the recording ended


def test_a_cooperative_patient_passes_and_is_not_someone_else(encoder: DlibEncoder, lin_chip: ChipEnrolment) -> None:
    turns = dataclasses.replace(T, challenge_actions="turn_left,turn_right")  # what this footage holds
    footage = Footage.index(FIX / "video/WDA_KatieHill_000.mp4")
    with FaceAnalyser() as analyser:
        patient = CooperativePatient(footage, random.Random(3), prompts=turns.prompts_allowed)
        attempt = run_camera(patient, encoder, turns, 3, "katie_hill", analyser)
    live = attempt.capture.liveness
    assert live is not None and live.outcome is LivenessOutcome.PASSED, live
    assert [p.passed for p in live.prompts] == [True, True] and "prompts" in live.checks
    decision = attempt.capture.decide(lin_chip, turns)
    assert decision.verdict is Verdict.REJECT  # Katie Hill against Lin-Manuel Miranda's chip
    assert len(decision.distances) == T.frames_to_encode and min(decision.distances) > T.accept


@pytest.mark.parametrize("rel", ["faces/spoof/silent-face/image_F1.jpg", "faces/spoof/silent-face/image_F2.jpg"])
def test_print_and_screen_attacks_fail_liveness(encoder: DlibEncoder, rel: str) -> None:
    image = _still(rel)  # cv2.imread applies the files' EXIF orientation: already upright
    live = _still("faces/spoof/silent-face/image_T1.jpg")
    chip = encoder.enrol_chip(chip_like(live, encoder.detect(live, 1)[0], 120, 2400))
    session = _run(encoder, StillImageSource(image=fit_frame(image), fps=10.0, duration_s=10.0).frames())
    decision = session.finish(chip, match_even_if_not_live=True)
    # the tilted print never passes the pose gate (no usable face); the screen fails the challenge
    assert decision.verdict in (Verdict.LIVENESS_FAILED, Verdict.NO_USABLE_FACE)
    assert decision.liveness is None or decision.liveness.outcome is LivenessOutcome.FAILED


def test_still_and_waved_photo_of_the_card_holder_fail(encoder: DlibEncoder, lin_chip: ChipEnrolment) -> None:
    framed = fit_frame(_still("faces/face_recognition/lin_manuel_miranda.png"))
    still = StillImageSource(image=framed, fps=10.0, duration_s=10.0).frames()
    for frames in (still, waved_print(framed, seed=4, fps=10.0, duration_s=10.0)):
        decision = _run(encoder, frames, seed=2).finish(lin_chip, match_even_if_not_live=True)
        assert decision.verdict is Verdict.LIVENESS_FAILED
        assert decision.median_distance is not None and decision.median_distance < T.accept  # matcher alone: fooled


def test_threaded_camera_feeds_the_session(encoder: DlibEncoder, lin_chip: ChipEnrolment) -> None:
    session = LiveFaceSession(encoder, T, rng=random.Random(5))
    fed = 0
    with Camera(VideoFileSource(FIX / "video/WDA_KatieHill_000.mp4"), speed=2.0) as cam:
        last = -1
        while not session.done and (frame := cam.wait_next(last, timeout=5.0)) is not None:
            session.feed(frame)
            fed, last = fed + 1, frame.index
    decision = session.finish(lin_chip)
    assert fed > 20 and decision.frames_seen == fed
    assert decision.verdict in (Verdict.REJECT, Verdict.LIVENESS_FAILED)
    assert decision.verdict is not Verdict.ACCEPT


def test_the_68_point_model_is_never_opened(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import random, sys, cv2
        sys.path.insert(0, {str(REPO)!r})
        from drivers.camera import VideoFileSource
        from testbench.face.attacks import chip_like
        from drivers.face.encoder import DlibEncoder
        from drivers.face.session import LiveFaceSession
        from kiosk.face import FaceThresholds
        enc = DlibEncoder()
        img = cv2.imread({str(FIX / "faces/face_recognition/obama.jpg")!r})
        chip = enc.enrol_chip(chip_like(img, enc.detect(img, 1)[0], 120, 2400))
        s = LiveFaceSession(enc, FaceThresholds(), rng=random.Random(1))
        for i, f in enumerate(VideoFileSource({str(FIX / "video/WDA_KatieHill_000.mp4")!r}).frames()):
            s.feed(f)
            if i > 60:
                break
        s.finish(chip, match_even_if_not_live=True)
        assert "face_recognition" not in sys.modules
        print("OK")
        """
    )
    trace = tmp_path / "trace.txt"
    result = subprocess.run(
        ["strace", "-f", "-e", "trace=open,openat", "-o", str(trace), sys.executable, "-c", script],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "OK" in result.stdout
    opened = trace.read_text()
    assert "shape_predictor_5_face_landmarks.dat" in opened  # the trace does see model files
    assert "shape_predictor_68_face_landmarks.dat" not in opened
