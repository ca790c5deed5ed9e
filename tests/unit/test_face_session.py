"""LiveFaceSession phases with scripted observations and a fake encoder (no models)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from drivers.camera import Frame
from drivers.face.encoder import ChipEnrolment
from drivers.face.landmarks import Observation
from drivers.face.session import CaptureStage, LiveFaceSession
from kiosk.face import FaceMeasurements, FaceThresholds, Guidance, LivenessChallenge, LivenessOutcome, Verdict

FPS = 15.0
T = FaceThresholds()
RNG = np.random.default_rng(7)
HEAD = np.stack([RNG.uniform(-60, 60, 478), RNG.uniform(-80, 80, 478), RNG.uniform(-40, 40, 478)], axis=1)


def _points(yaw_deg: float) -> np.ndarray:
    y = math.radians(yaw_deg)
    rot = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    moved = HEAD @ rot.T + np.array([0, 0, 600.0])
    return np.stack([600 * moved[:, 0] / moved[:, 2] + 320, 600 * moved[:, 1] / moved[:, 2] + 240, moved[:, 2]], 1)


def face(yaw: float = 0.0, ear: float = 0.3) -> Observation:
    box = (220, 110, 200, 250)
    m = FaceMeasurements(640, 480, 1, tuple(float(v) for v in box), yaw_deg=yaw, sharpness=300.0,  # type: ignore[arg-type]
                         mean_grey=130.0, eye_open=ear)
    return Observation(m, _points(yaw), box, ear, 90.0)


def no_face() -> Observation:
    return Observation(FaceMeasurements(640, 480, 0))


class ScriptedAnalyser:
    def __init__(self, script: Callable[[int], Observation]) -> None:
        self.script, self.n = script, 0

    def analyse(self, image: Any) -> Observation:
        obs = self.script(self.n)
        self.n += 1
        return obs

    def close(self) -> None:
        pass


class FakeEncoder:
    """Encodes a crop by its mean grey level: frames painted with different values are different people."""

    def align_near(self, crop: Any, box: Any) -> Any:
        return crop

    def encode_probes(self, chips: list[Any], mirror: bool) -> list[np.ndarray]:
        return [self.encode_near(c, None) for c in chips]

    def encode_near(self, crop: Any, box: Any) -> np.ndarray:
        value = float(np.mean(crop)) / 255.0
        return np.full(128, value / math.sqrt(128) * 4.0)


def run(script: Callable[[int], Observation], paint: Callable[[int], int] = lambda i: 100,
        frames: int = 400, seed: int = 1) -> tuple[LiveFaceSession, list[Any]]:
    session = LiveFaceSession(FakeEncoder(), T, analyser=ScriptedAnalyser(script),  # type: ignore[arg-type]
                              rng=random.Random(seed))
    feedback = []
    for i in range(frames):
        feedback.append(session.feed(Frame(i, i / FPS, np.full((480, 640, 3), paint(i), np.uint8))))
        if session.done:
            break
    return session, feedback


def chip_like_paint(value: int) -> ChipEnrolment:
    return ChipEnrolment(FakeEncoder().encode_near(np.full((4, 4), value), None), 100, 1.0)


def lively(i: int) -> Observation:
    """A live person: turns gently and blinks every ~2 s."""
    return face(yaw=12 * math.sin(i / 8), ear=0.1 if i % 30 in (5, 6) else 0.3)


def test_a_live_person_passes_passively_and_is_accepted() -> None:
    session, feedback = run(lively)
    assert session.done and session.challenge is None
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.ACCEPT and decision.median_distance == 0.0
    assert decision.liveness is not None and decision.liveness.outcome is LivenessOutcome.PASSED
    assert len(decision.frames_used) == T.frames_to_encode
    assert feedback[0].phase is CaptureStage.PASSIVE and feedback[-1].phase is CaptureStage.DONE
    assert session.progress(99.0) == 1.0


def test_a_different_person_is_rejected() -> None:
    session, _ = run(lively)
    assert session.finish(chip_like_paint(200)).verdict is Verdict.REJECT


def test_a_still_photo_gets_a_challenge_and_fails() -> None:
    session, feedback = run(lambda i: face())
    assert session.challenge in (LivenessChallenge.BLINK, LivenessChallenge.TURN_HEAD)
    prompts = {f.guidance for f in feedback if f.phase is CaptureStage.CHALLENGE}
    assert prompts == {(session.challenge.guidance,)}  # type: ignore[union-attr]
    decision = session.finish(chip_like_paint(100), match_even_if_not_live=True)
    assert decision.verdict is Verdict.LIVENESS_FAILED and decision.median_distance == 0.0
    assert decision.liveness is not None and decision.liveness.reason


def test_the_blink_challenge_passes_as_soon_as_the_blink_is_seen() -> None:
    # turns but never blinks until asked: passive lacks blinks, so the challenge is a blink
    def script(i: int) -> Observation:
        blink = i > 60 and i % 20 in (3, 4)
        return face(yaw=12 * math.sin(i / 8), ear=0.1 if blink else 0.3)

    session, feedback = run(script)
    assert session.challenge is LivenessChallenge.BLINK
    assert session.finish(chip_like_paint(100)).verdict is Verdict.ACCEPT
    challenge_frames = sum(1 for f in feedback if f.phase is CaptureStage.CHALLENGE)
    assert challenge_frames < T.challenge_window_s * FPS  # passed early


def test_leaving_the_frame_restarts_the_window() -> None:
    session, _ = run(lambda i: no_face() if 20 <= i < 40 else lively(i))
    assert session.restarts == 1
    assert session.finish(chip_like_paint(100)).verdict is Verdict.ACCEPT


def test_a_face_swap_inside_the_window_is_caught() -> None:
    session, _ = run(lively, paint=lambda i: 100 if i < 22 else 220)
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.LIVENESS_FAILED
    assert decision.liveness is not None and (decision.liveness.identity_spread or 0) > T.max_identity_spread


def test_nobody_in_front_of_the_camera_times_out_as_no_usable_face() -> None:
    session, feedback = run(lambda i: no_face(), frames=int(T.passive_window_s * FPS) + 400)
    assert session.done and feedback[-1].guidance == (Guidance.NO_FACE,)
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.NO_USABLE_FACE and decision.liveness is None
    assert decision.guidance == (Guidance.NO_FACE,)


def test_finish_drops_every_crop() -> None:
    session, _ = run(lively)
    assert session._candidates  # crops were kept during capture
    session.finish(chip_like_paint(100))
    assert session._candidates == {} and session._window == []


def test_the_passive_window_waits_for_enough_good_frames() -> None:
    def script(i: int) -> Observation:
        obs = lively(i)
        if i % 20:  # only every 20th frame is sharp enough to use
            m = obs.measurements
            blurred = FaceMeasurements(m.frame_width, m.frame_height, 1, m.box, yaw_deg=m.yaw_deg, sharpness=0.0,
                                       mean_grey=130.0, eye_open=obs.ear)
            return Observation(blurred, obs.points, obs.box, obs.ear, obs.inter_ocular)
        return obs

    session, feedback = run(script)
    passive = [f for f in feedback if f.phase is CaptureStage.PASSIVE]
    assert len(passive) / FPS > T.passive_window_s + 1.0  # extended until min_good_frames were seen
    assert session.frames_good >= T.min_good_frames
    assert Guidance.HOLD_STILL in {g for f in feedback for g in f.guidance}


def test_always_challenge_asks_even_a_lively_person() -> None:
    strict = FaceThresholds(always_challenge=True)
    session = LiveFaceSession(FakeEncoder(), strict, analyser=ScriptedAnalyser(lively),  # type: ignore[arg-type]
                              rng=random.Random(2))
    for i in range(400):
        session.feed(Frame(i, i / FPS, np.full((480, 640, 3), 100, np.uint8)))
        if session.done:
            break
    assert session.challenge is not None
    decision = session.finish(chip_like_paint(100))
    # the scripted person blinks and turns all along, so either challenge is met
    assert decision.verdict is Verdict.ACCEPT and decision.liveness is not None
    assert decision.liveness.challenge is not None and decision.liveness.challenge_evidence is not None
