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
from kiosk.face import PROMPT_GUIDANCE, FaceMeasurements, FaceThresholds, Guidance, LivenessOutcome, Verdict
from kiosk.face_challenge import Answer, Prompt

FPS = 15.0
T = FaceThresholds()
RNG = np.random.default_rng(7)
HEAD = np.stack([RNG.uniform(-60, 60, 478), RNG.uniform(-80, 80, 478), RNG.uniform(-40, 40, 478)], axis=1)


def _points(yaw_deg: float, pitch_deg: float = 0.0) -> np.ndarray:
    y, p = math.radians(yaw_deg), math.radians(pitch_deg)
    rot = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rot = rot @ np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    moved = HEAD @ rot.T + np.array([0, 0, 600.0])
    return np.stack([600 * moved[:, 0] / moved[:, 2] + 320, 600 * moved[:, 1] / moved[:, 2] + 240, moved[:, 2]], 1)


def face(yaw: float = 0.0, ear: float = 0.3, pitch: float = 0.0) -> Observation:
    box = (220, 110, 200, 250)
    m = FaceMeasurements(640, 480, 1, tuple(float(v) for v in box), yaw_deg=yaw, pitch_deg=pitch,  # type: ignore[arg-type]
                         sharpness=300.0, mean_grey=130.0, eye_open=ear)
    return Observation(m, _points(yaw, pitch), box, ear, 90.0)


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
        frames: int = 400, seed: int = 1, t: FaceThresholds = T) -> tuple[LiveFaceSession, list[Any]]:
    session = LiveFaceSession(FakeEncoder(), t, analyser=ScriptedAnalyser(script),  # type: ignore[arg-type]
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
    """A talking head: turns gently all the time and blinks every 2 s."""
    return face(yaw=12 * math.sin(i / 8), ear=0.1 if i % 30 in (5, 6) else 0.3)


ACTION = {  # (yaw, pitch, ear) at frame k of a response, k = 0.. (about 0.7 s at 15 frames/s)
    Prompt.TURN_RIGHT: lambda k: (min(18.0, 3.0 * k), 0.0, 0.3),
    Prompt.TURN_LEFT: lambda k: (-min(18.0, 3.0 * k), 0.0, 0.3),
    Prompt.NOD: lambda k: (0.0, min(12.0, 2.5 * k), 0.3),
    Prompt.BLINK: lambda k: (0.0, 0.0, 0.1 if k in (1, 2) else 0.3),
}


class Patient:
    """A cooperative patient in a scripted analyser: still until a prompt appears, then (after a human
    reaction time) does what it asks and comes back. `mistake` swaps the action for another one."""

    def __init__(self, session_ref: list[LiveFaceSession], latency_frames: int = 5,
                 mistake: dict[Prompt, Prompt] | None = None) -> None:
        self.ref, self.latency, self.mistake = session_ref, latency_frames, mistake or {}
        self.n = 0
        self.started: int | None = None
        self.current: Prompt | None = None

    def analyse(self, image: Any) -> Observation:
        prompt = self.ref[0].prompt if self.ref else None
        if prompt is not None and self.current is None:
            self.current, self.started = self.mistake.get(prompt, prompt), self.n
        k = self.n - (self.started or 0) - self.latency
        self.n += 1
        if self.current is None or k < 0:
            return face()
        if k > 14:  # back to rest after the action
            self.current = None if prompt is None else self.current
            return face()
        yaw, pitch, ear = ACTION[self.current](k if k < 8 else 14 - k)
        return face(yaw=yaw, ear=ear, pitch=pitch)

    def close(self) -> None:
        pass


def run_patient(frames: int = 600, seed: int = 1, t: FaceThresholds = T, **kw: Any) -> LiveFaceSession:
    ref: list[LiveFaceSession] = []
    session = LiveFaceSession(FakeEncoder(), t, analyser=Patient(ref, **kw), rng=random.Random(seed))  # type: ignore[arg-type]
    ref.append(session)
    for i in range(frames):
        session.feed(Frame(i, i / FPS, np.full((480, 640, 3), 100, np.uint8)))
        if session.done:
            break
    return session


def test_a_cooperative_patient_answers_two_random_prompts_and_is_accepted() -> None:
    seen: set[Prompt] = set()
    for seed in range(6):
        session = run_patient(seed=seed)
        decision = session.finish(chip_like_paint(100))
        assert decision.verdict is Verdict.ACCEPT, decision.liveness
        live = decision.liveness
        assert live is not None and live.outcome is LivenessOutcome.PASSED
        assert len(live.prompts) == 2 and all(p.passed for p in live.prompts)
        assert live.prompts[0].prompt is not live.prompts[1].prompt
        assert all(p.onset_s is not None and p.onset_s >= T.min_latency_s for p in live.prompts)
        assert set(live.checks) >= {"track", "passive", "prompts", "depth", "identity_spread"}
        assert len(decision.frames_used) == T.frames_to_encode
        seen.update(p.prompt for p in live.prompts)
    assert len(seen) >= 3  # the prompts are drawn at random


def test_the_wrong_direction_fails() -> None:
    mistake = {Prompt.TURN_LEFT: Prompt.TURN_RIGHT, Prompt.TURN_RIGHT: Prompt.TURN_LEFT,
               Prompt.NOD: Prompt.TURN_LEFT, Prompt.BLINK: Prompt.NOD}
    session = run_patient(mistake=mistake)
    decision = session.finish(chip_like_paint(100), match_even_if_not_live=True)
    assert decision.verdict is Verdict.LIVENESS_FAILED
    assert decision.liveness is not None and decision.liveness.prompts[-1].answer is Answer.WRONG_ACTION


def test_a_reaction_faster_than_a_person_fails() -> None:
    session = run_patient(latency_frames=0)
    live = session.finish(chip_like_paint(100)).liveness
    assert live is not None and live.outcome is LivenessOutcome.FAILED
    assert live.prompts[-1].answer in (Answer.TOO_EARLY, Answer.WRONG_ACTION)


def test_a_still_photo_gets_a_prompt_and_fails() -> None:
    session, feedback = run(lambda i: face())
    prompted = [f for f in feedback if f.prompt is not None]
    assert prompted and {f.guidance for f in prompted} == {(PROMPT_GUIDANCE[prompted[0].prompt],)}
    decision = session.finish(chip_like_paint(100), match_even_if_not_live=True)
    assert decision.verdict is Verdict.LIVENESS_FAILED and decision.median_distance == 0.0
    assert decision.liveness is not None and decision.liveness.prompts[0].answer is Answer.NO_RESPONSE


def test_a_recording_that_moves_all_the_time_is_never_quiet_enough_for_a_prompt() -> None:
    def restless(i: int) -> Observation:
        return face(yaw=15 * math.sin(i / 2.5), ear=0.1 if i % 12 in (5, 6) else 0.3)

    session, _ = run(restless)
    live = session.finish(chip_like_paint(100)).liveness
    assert live is not None and live.outcome is LivenessOutcome.FAILED
    assert live.prompts and live.prompts[0].answer is Answer.NOT_QUIET_BEFORE


def test_a_talking_head_rarely_answers_both_prompts() -> None:
    passed = 0
    for seed in range(40):
        session, _ = run(lively, seed=seed)
        live = session.finish(chip_like_paint(100)).liveness
        passed += live is not None and live.outcome is LivenessOutcome.PASSED
    assert passed <= 2  # a turn prompt that happens to match the clip's next swing, twice; quiet 1 s rarely


def test_passive_policy_lets_a_lively_person_pass_without_prompts() -> None:
    session, _ = run(lively, t=FaceThresholds(always_challenge=False))
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.ACCEPT
    assert decision.liveness is not None and decision.liveness.prompts == ()
    assert "prompts" not in decision.liveness.checks


def test_leaving_the_frame_restarts_the_window() -> None:
    ref: list[LiveFaceSession] = []
    patient = Patient(ref)

    class Leaves:
        n = 0

        def analyse(self, image: Any) -> Observation:
            self.n += 1
            obs = patient.analyse(image)
            return no_face() if 20 <= self.n < 40 else obs

        def close(self) -> None:
            pass

    session = LiveFaceSession(FakeEncoder(), T, analyser=Leaves(), rng=random.Random(3))  # type: ignore[arg-type]
    ref.append(session)
    for i in range(600):
        session.feed(Frame(i, i / FPS, np.full((480, 640, 3), 100, np.uint8)))
        if session.done:
            break
    assert session.restarts == 1
    assert session.finish(chip_like_paint(100)).verdict is Verdict.ACCEPT


def test_a_face_swap_inside_the_window_is_caught() -> None:
    ref: list[LiveFaceSession] = []
    session = LiveFaceSession(FakeEncoder(), T, analyser=Patient(ref), rng=random.Random(1))  # type: ignore[arg-type]
    ref.append(session)
    for i in range(600):
        session.feed(Frame(i, i / FPS, np.full((480, 640, 3), 100 if i < 50 else 220, np.uint8)))
        if session.done:
            break
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.LIVENESS_FAILED
    assert decision.liveness is not None and (decision.liveness.identity_spread or 0) > T.max_identity_spread


def test_nobody_in_front_of_the_camera_times_out_as_no_usable_face() -> None:
    session, feedback = run(lambda i: no_face(), frames=int(T.passive_window_s * FPS) + 400)
    assert session.done and feedback[-1].guidance == (Guidance.NO_FACE,)
    decision = session.finish(chip_like_paint(100))
    assert decision.verdict is Verdict.NO_USABLE_FACE and decision.liveness is None
    assert decision.guidance == (Guidance.NO_FACE,)


def test_a_source_that_ends_is_reported_as_such() -> None:
    session, _ = run(lambda i: face(), frames=30)
    session.source_ended()
    live = session.finish(chip_like_paint(100)).liveness
    assert live is not None and live.reason == "source_ended" and session.ended_reason == "source_ended"


def test_finish_drops_every_crop() -> None:
    session = run_patient()
    assert session._encodings  # segments were encoded during the capture
    session.finish(chip_like_paint(100))
    assert session._encodings == [] and session._segment_best is None and session._window == []


def test_the_passive_window_waits_for_enough_good_frames() -> None:
    def script(i: int) -> Observation:
        obs = face()
        if i % 20:  # only every 20th frame is sharp enough to use
            m = obs.measurements
            blurred = FaceMeasurements(m.frame_width, m.frame_height, 1, m.box, sharpness=0.0,
                                       mean_grey=130.0, eye_open=obs.ear)
            return Observation(blurred, obs.points, obs.box, obs.ear, obs.inter_ocular)
        return obs

    session, feedback = run(script)
    passive = [f for f in feedback if f.phase is CaptureStage.PASSIVE]
    assert len(passive) / FPS > T.passive_window_s + 1.0  # extended until min_good_frames were seen
    assert session.frames_good >= T.min_good_frames
    assert Guidance.HOLD_STILL in {g for f in feedback for g in f.guidance}
