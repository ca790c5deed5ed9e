"""LiveFaceVerifier (kiosk.ports.FaceVerifier) with the real models, a recorded video as the camera."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import VideoFileSource
from drivers.face.encoder import DlibEncoder
from drivers.face.verifier import LiveFaceVerifier
from kiosk.errors import CameraLost, NoFaceInChipPhoto
from kiosk.face import Guidance, Verdict
from kiosk.ports import FaceProgress, PreviewFrame
from testbench.face.attacks import chip_like

REPO = Path(__file__).resolve().parents[2]
FIX = REPO.parent / "shared" / "fixtures"
VIDEO = FIX / "video/WDA_KatieHill_000.mp4"
pytestmark = pytest.mark.models  # needs ../shared/fixtures: CI has it beside the clone; a missing one fails


@pytest.fixture(scope="module")
def encoder() -> DlibEncoder:
    enc = DlibEncoder()
    enc.load()
    return enc


@pytest.fixture(scope="module")
def obama_chip(encoder: DlibEncoder) -> bytes:
    image = cv2.imread(str(FIX / "faces/face_recognition/obama.jpg"))
    return chip_like(image, encoder.detect(image, 1)[0], 120, 2400)


def test_an_attempt_reports_guidance_preview_and_a_verdict(encoder: DlibEncoder, obama_chip: bytes) -> None:
    verifier = LiveFaceVerifier(lambda: VideoFileSource(VIDEO), encoder=encoder, speed=3.0, rng=random.Random(1))
    progress: list[FaceProgress] = []
    previews: list[PreviewFrame] = []
    decision = verifier.verify(obama_chip, progress.append, previews.append)
    assert decision.verdict in (Verdict.REJECT, Verdict.LIVENESS_FAILED)  # Katie Hill is not the card holder
    assert decision.accept_threshold == verifier.thresholds.accept
    assert progress and len(previews) == len(progress)
    assert {p.hint for p in progress} <= set(Guidance)
    assert progress[0].progress < 0.2
    assert decision.liveness is not None
    # a recording cannot answer the prompts: it fails one, or it runs out and says so
    assert progress[-1].progress == 1.0 or decision.liveness.reason == "source_ended"
    box = next(p.box for p in progress if p.box is not None)
    assert 0.0 <= box.x < 1.0 and 0.0 < box.w <= 1.0
    assert previews[0].width == 512 and len(previews[0].rgb) == 512 * 512 * 3
    assert decision.frames_seen == len(progress)  # the full record reaches the flow, nothing kept aside
    assert decision.model == verifier.thresholds.model


def test_cancel_returns_retry_promptly(encoder: DlibEncoder, obama_chip: bytes) -> None:
    cancel = threading.Event()
    seen: list[FaceProgress] = []

    def on_progress(p: FaceProgress) -> None:
        seen.append(p)
        if len(seen) == 10:
            cancel.set()

    verifier = LiveFaceVerifier(lambda: VideoFileSource(VIDEO), encoder=encoder, speed=3.0)
    decision = verifier.verify(obama_chip, on_progress, lambda _f: None, cancel)
    assert decision.verdict is Verdict.NO_USABLE_FACE and decision.median_distance is None
    assert len(seen) == 10


def test_broken_camera_and_faceless_chip_are_typed_errors(
    encoder: DlibEncoder, obama_chip: bytes, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 4096)
    verifier = LiveFaceVerifier(lambda: VideoFileSource(broken), encoder=encoder)
    with pytest.raises(CameraLost):
        verifier.verify(obama_chip, lambda _p: None, lambda _f: None)
    ok, blank = cv2.imencode(".jp2", np.full((120, 100), 128, np.uint8))
    assert ok
    with pytest.raises(NoFaceInChipPhoto):
        verifier.verify(blank.tobytes(), lambda _p: None, lambda _f: None)
    # the verifier is usable again after both failures
    decision = LiveFaceVerifier(lambda: VideoFileSource(VIDEO), encoder=encoder, speed=3.0).verify(
        obama_chip, lambda _p: None, lambda _f: None
    )
    assert decision.verdict != "accept"


def test_warm_up_loads_everything_and_the_matcher_process_encodes_the_same(
    encoder: DlibEncoder, obama_chip: bytes
) -> None:
    verifier = LiveFaceVerifier(lambda: VideoFileSource(VIDEO), speed=3.0)  # the kiosk's default encoder
    assert verifier.encoder.matcher_process and not verifier.models_ready
    assert verifier.warm_up() > 0.0 and verifier.models_ready
    try:
        in_worker = verifier.encoder.enrol_chip(obama_chip).encoding
        assert np.allclose(in_worker, encoder.enrol_chip(obama_chip).encoding, atol=1e-6)
        assert verifier.warm_up() < 0.5  # already warm
    finally:
        verifier.encoder.close()


class _SlowEnrolment(DlibEncoder):
    """The real encoder, with the chip enrolment held back until the test lets it go."""

    def __init__(self, inner: DlibEncoder, release: threading.Event) -> None:
        super().__init__()
        self.__dict__.update(inner.__dict__)  # the loaded models; the lock stays this object's own
        self._lock = threading.Lock()
        self.release, self.enrolled_at = release, 0.0

    def enrol_chip(self, photo: bytes):  # type: ignore[no-untyped-def]
        assert self.release.wait(10.0)
        chip = super().enrol_chip(photo)
        self.enrolled_at = time.perf_counter()
        return chip


def test_the_camera_opens_while_the_chip_photo_is_enrolled(encoder: DlibEncoder, obama_chip: bytes) -> None:
    """The patient sees the preview at once; the enrolment is needed only for the decision."""
    release = threading.Event()
    slow = _SlowEnrolment(encoder, release)
    first_frame: list[float] = []

    def on_frame(_f: PreviewFrame) -> None:
        if not first_frame:
            first_frame.append(time.perf_counter())
            release.set()  # the enrolment can finish only once a preview has reached the screen

    decision = LiveFaceVerifier(lambda: VideoFileSource(VIDEO), encoder=slow, speed=3.0).verify(
        obama_chip, lambda _p: None, on_frame)
    assert first_frame and first_frame[0] < slow.enrolled_at
    assert dict(decision.timings_ms)["chip_enrolment"] > 0 and decision.frames_seen > 0


def test_a_faceless_chip_photo_stops_a_running_capture(encoder: DlibEncoder) -> None:
    ok, blank = cv2.imencode(".jp2", np.full((120, 100), 128, np.uint8))
    assert ok
    frames: list[PreviewFrame] = []
    with pytest.raises(NoFaceInChipPhoto):
        LiveFaceVerifier(lambda: VideoFileSource(VIDEO), encoder=encoder, speed=1.0).verify(
            blank.tobytes(), lambda _p: None, frames.append)
    assert len(frames) < 30  # about a second of a 30 fps video at most: not the whole 20 s capture
