"""One live face check: frames in, guidance out, then one `FaceDecision` against the chip enrolment.

Phases: ACQUIRING (wait for a frame that passes every quality gate) → PASSIVE (watch for
`passive_window_s`: natural blinks and 3-D motion) → CHALLENGE only when the passive evidence is weak
(prompt a blink or a head turn, chosen from what was missing or at random) → DONE. If the face leaves the
track (a gap or a jump: someone else stepping in), the window starts again from nothing, so evidence and
encodings always come from one continuous track. The best grey face crops, one per time slot, are kept
in memory only; after capture a few of them, spread over the window, are encoded and compared with the
chip; then every crop is dropped.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import cv2
import numpy.typing as npt

from drivers.camera.sources import Frame
from drivers.face.encoder import ChipEnrolment, DlibEncoder, distance
from drivers.face.landmarks import FaceAnalyser, Observation
from drivers.face.liveness import Timed, measure, track_continuous
from kiosk.face import (
    FaceDecision,
    FaceThresholds,
    Guidance,
    LivenessChallenge,
    LivenessOutcome,
    LivenessReport,
    assess_quality,
    decide,
    judge_challenge,
    judge_passive,
    pick_challenge,
    quality_score,
    usable,
)

SLOT_S = 0.25  # keep at most one candidate crop per quarter second
CHALLENGE_CHECK_EVERY = 5  # frames between early checks of the challenge


class CaptureStage(Enum):
    ACQUIRING = "acquiring"
    PASSIVE = "passive"
    CHALLENGE = "challenge"
    DONE = "done"


@dataclass(frozen=True)
class FrameFeedback:
    """What the screen shows after one frame: the phase, the prompt, and the gates' verdict."""

    index: int
    phase: CaptureStage
    guidance: tuple[Guidance, ...]
    challenge: LivenessChallenge | None
    analysis_ms: float


@dataclass
class _Candidate:
    index: int
    t: float
    score: float
    crop: npt.NDArray[Any] = field(repr=False)  # grey face crop, memory only
    box: tuple[int, int, int, int]  # face box inside the crop


@dataclass(frozen=True)
class Capture:
    """The outcome of one capture: liveness plus the picked frames' encodings (memory only, no frames).
    One capture can be decided against several chips (the evaluation does this)."""

    encodings: tuple[tuple[int, npt.NDArray[Any]], ...] = field(repr=False)
    liveness: LivenessReport | None
    frames_seen: int
    frames_good: int
    guidance: tuple[Guidance, ...]
    analysis_ms: float
    encode_ms: float

    def decide(self, chip: ChipEnrolment, t: FaceThresholds, since: float | None = None) -> FaceDecision:
        started = time.perf_counter()
        distances = [distance(enc, chip.encoding) for _, enc in self.encodings]
        timings = {
            "analysis_median": self.analysis_ms,
            "encode": self.encode_ms,
            "decision": (time.perf_counter() - (since if since is not None else started)) * 1000.0
            + (0.0 if since is not None else self.encode_ms),
            "chip_enrolment": chip.elapsed_ms,
        }
        return decide(
            distances, self.liveness, t, frames_seen=self.frames_seen, frames_good=self.frames_good,
            frames_used=[i for i, _ in self.encodings], guidance=self.guidance, timings_ms=timings,
        )


class LiveFaceSession:
    """Feed frames with `feed()` until `done`, then call `finish(chip)` once. Not thread-safe: one worker
    thread owns a session."""

    def __init__(
        self,
        encoder: DlibEncoder,
        thresholds: FaceThresholds,
        *,
        analyser: FaceAnalyser | None = None,
        rng: random.Random | None = None,
        timeout_s: float = 20.0,
    ) -> None:
        self.encoder, self.t = encoder, thresholds
        self._analyser = analyser or FaceAnalyser()
        self._owns_analyser = analyser is None
        self._rng = rng or random.SystemRandom()
        self.timeout_s = timeout_s
        self.phase = CaptureStage.ACQUIRING
        self.challenge: LivenessChallenge | None = None
        self._window: list[Timed] = []
        self._challenge_window: list[Timed] = []
        self._window_start = self._challenge_start = 0.0
        self._first_t: float | None = None
        self._candidates: dict[int, _Candidate] = {}
        self._guidance_counts: Counter[Guidance] = Counter()
        self._analysis_ms: list[float] = []
        self._passive_report: LivenessReport | None = None
        self._passive_evidence: Any = None
        self._liveness: LivenessReport | None = None
        self.frames_seen = self.frames_good = self.restarts = 0
        self._good_in_window = 0
        self.last_box: tuple[float, float, float, float, int, int] | None = None  # x, y, w, h, frame w, h

    @property
    def done(self) -> bool:
        return self.phase is CaptureStage.DONE

    # per frame ---------------------------------------------------------------------------------------------

    def feed(self, frame: Frame) -> FrameFeedback:
        if self.done:
            return FrameFeedback(frame.index, self.phase, (), self.challenge, 0.0)
        obs = self._analyser.analyse(frame.image)
        self.frames_seen += 1
        self._analysis_ms.append(obs.elapsed_ms)
        self._first_t = frame.t if self._first_t is None else self._first_t
        m = obs.measurements
        self.last_box = (*m.box, m.frame_width, m.frame_height) if m.box is not None else None
        guidance = assess_quality(m, self.t)
        good = usable(guidance)
        if guidance != (Guidance.OK,):  # advisory hints on usable frames count too
            self._guidance_counts.update(guidance[:1])
        if self.phase is not CaptureStage.ACQUIRING and self._breaks_track(frame.t, obs):
            self._restart()
        if self.phase is CaptureStage.ACQUIRING and good:
            self.phase, self._window_start = CaptureStage.PASSIVE, frame.t
        if self.phase in (CaptureStage.PASSIVE, CaptureStage.CHALLENGE):
            self._window.append(Timed(frame.t, obs))
            if self.phase is CaptureStage.CHALLENGE:
                self._challenge_window.append(Timed(frame.t, obs))
            if good:
                self.frames_good += 1
                self._good_in_window += 1
                self._keep_candidate(frame, obs)
            self._advance(frame.t)
        if not self.done and frame.t - self._first_t >= self.timeout_s:
            self._give_up()
        shown = (self.challenge.guidance,) if self.challenge is not None and not self.done and good else guidance
        return FrameFeedback(frame.index, self.phase, shown, self.challenge, obs.elapsed_ms)

    def progress(self, now: float) -> float:
        """0..1 for the screen: the passive window fills 60 %, the challenge the rest."""
        if self.phase is CaptureStage.PASSIVE:
            return 0.6 * min(1.0, (now - self._window_start) / self.t.passive_window_s)
        if self.phase is CaptureStage.CHALLENGE:
            return 0.6 + 0.4 * min(1.0, (now - self._challenge_start) / self.t.challenge_window_s)
        return 1.0 if self.phase is CaptureStage.DONE else 0.0

    def _breaks_track(self, t: float, obs: Observation) -> bool:
        recent = [*self._window[-12:], Timed(t, obs)]
        return not track_continuous(recent, self.t.max_track_gap_s) and (
            obs.box is not None or t - self._last_face_t() > self.t.max_track_gap_s
        )

    def _last_face_t(self) -> float:
        return next((w.t for w in reversed(self._window) if w.observation.box is not None), self._window_start)

    def _restart(self) -> None:
        self.restarts += 1
        self.phase, self.challenge = CaptureStage.ACQUIRING, None
        self._window, self._challenge_window, self._candidates = [], [], {}
        self._passive_report, self._good_in_window = None, 0

    def _keep_candidate(self, frame: Frame, obs: Observation) -> None:
        score = quality_score(obs.measurements, self.t)
        slot = int(frame.t / SLOT_S)
        current = self._candidates.get(slot)
        if (current is not None and current.score >= score) or obs.box is None:
            return
        x, y, w, h = obs.box
        pad = int(0.6 * max(w, h))
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(frame.image.shape[1], x + w + pad), min(frame.image.shape[0], y + h + pad)
        crop = frame.image[y0:y1, x0:x1]
        grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        self._candidates[slot] = _Candidate(frame.index, frame.t, score, grey.copy(), (x - x0, y - y0, w, h))

    def _advance(self, now: float) -> None:
        passive_over = now - self._window_start >= self.t.passive_window_s
        if self.phase is CaptureStage.PASSIVE and passive_over and self._good_in_window >= self.t.min_good_frames:
            evidence = measure(self._window, self.t)
            outcome = judge_passive(evidence, self.t)
            self._passive_evidence = evidence
            if outcome is LivenessOutcome.PASSED and self.t.always_challenge:
                outcome = LivenessOutcome.NEEDS_CHALLENGE  # a recording cannot follow a random prompt
                evidence_for_pick = replace(evidence, blinks=0, nonplanar=0.0)  # any challenge, at random
            else:
                evidence_for_pick = evidence
            if outcome is LivenessOutcome.NEEDS_CHALLENGE:
                self.challenge = pick_challenge(evidence_for_pick, self.t, self._rng.random())
                self.phase, self._challenge_start, self._challenge_window = CaptureStage.CHALLENGE, now, []
                self._passive_report = LivenessReport(outcome, evidence, self.challenge)
            else:
                self._finish_liveness(LivenessReport(outcome, evidence))
        elif self.phase is CaptureStage.CHALLENGE and self.challenge is not None:
            elapsed = now - self._challenge_start
            early = len(self._challenge_window) % CHALLENGE_CHECK_EVERY == 0 and len(self._challenge_window) >= 6
            if early or elapsed >= self.t.challenge_window_s:
                evidence = measure(self._challenge_window, self.t)
                outcome = judge_challenge(self.challenge, evidence, self.t)
                if outcome is LivenessOutcome.PASSED or elapsed >= self.t.challenge_window_s:
                    reason = "" if outcome is LivenessOutcome.PASSED else f"no {self.challenge.value} seen"
                    self._finish_liveness(
                        LivenessReport(outcome, self._passive_evidence, self.challenge, evidence, reason=reason)
                    )

    def _finish_liveness(self, report: LivenessReport) -> None:
        self._liveness, self.phase = report, CaptureStage.DONE

    def _give_up(self) -> None:
        if self.phase is CaptureStage.ACQUIRING and self.frames_good == 0:
            self._liveness = None  # failure to acquire: no usable face at all
        else:
            evidence = measure(self._window, self.t) if self._window else None
            self._liveness = LivenessReport(LivenessOutcome.FAILED, evidence, self.challenge, reason="timeout")
        self._candidates = {} if self._liveness is None else self._candidates
        self.phase = CaptureStage.DONE

    # after capture -----------------------------------------------------------------------------------------

    def _pick_frames(self) -> list[_Candidate]:
        """`frames_to_encode` crops spread over the window: the best of each equal time segment."""
        ordered = sorted(self._candidates.values(), key=lambda c: c.t)
        k = self.t.frames_to_encode
        if len(ordered) <= k:
            return ordered
        segments = [ordered[i * len(ordered) // k : (i + 1) * len(ordered) // k] for i in range(k)]
        return [max(seg, key=lambda c: c.score) for seg in segments if seg]

    def capture(self, *, match_even_if_not_live: bool = False) -> Capture:
        """End the capture: encode the picked frames (only when live, unless asked), drop every frame."""
        started = time.perf_counter()
        if not self.done:
            self._give_up()
        live = self._liveness is not None and self._liveness.outcome is LivenessOutcome.PASSED
        picked = self._pick_frames() if (live or match_even_if_not_live) else []
        aligned = [(cand.index, self.encoder.align_near(cand.crop, cand.box)) for cand in picked]
        usable = [(i, a) for i, a in aligned if a is not None]
        vectors = self.encoder.encode_probes([a for _, a in usable], self.t.mirror_probe)
        encodings = [(i, v) for (i, _), v in zip(usable, vectors, strict=True)]
        liveness = self._liveness
        if liveness is not None and len(encodings) > 1:
            spread = max(distance(a, b) for i, (_, a) in enumerate(encodings) for _, b in encodings[i + 1 :])
            liveness = LivenessReport(
                liveness.outcome, liveness.passive, liveness.challenge, liveness.challenge_evidence,
                round(float(spread), 4), liveness.reason,
            )
        result = Capture(
            encodings=tuple(encodings),
            liveness=liveness,
            frames_seen=self.frames_seen,
            frames_good=self.frames_good,
            guidance=tuple(g for g, _ in self._guidance_counts.most_common(2)),
            analysis_ms=statistics.median(self._analysis_ms) if self._analysis_ms else 0.0,
            encode_ms=(time.perf_counter() - started) * 1000.0,
        )
        self.close()
        return result

    def finish(self, chip: ChipEnrolment, *, match_even_if_not_live: bool = False) -> FaceDecision:
        """Capture, compare with the chip, decide; every frame is dropped before this returns."""
        started = time.perf_counter()
        result = self.capture(match_even_if_not_live=match_even_if_not_live)
        return result.decide(chip, self.t, since=started)

    def close(self) -> None:
        """Drop every kept frame crop and window; release the analyser if this session made it."""
        self._candidates = {}
        self._window, self._challenge_window = [], []
        if self._owns_analyser:
            self._analyser.close()
            self._owns_analyser = False
