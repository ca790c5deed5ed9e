"""One live face check: frames in, guidance out, then one `FaceDecision` against the chip enrolment.

Phases: ACQUIRING (wait for a frame that passes every quality gate) → PASSIVE (watch for
`passive_window_s`: natural blinks and 3-D motion) → CHALLENGE (by policy always, or only when the passive
evidence is weak): `challenge_prompts` random prompts (kiosk/face_challenge.py), each shown after a random
hold once the face is quiet and judged on the frames around its own time → DONE. If the face leaves the
track (a gap or a jump: someone else stepping in), the window starts again from nothing, so evidence and
encodings always come from one continuous track. The best grey face crop of each segment (the passive
window, then each prompt) is encoded as soon as the segment ends — during the capture, not in one batch
after it — and the crops are dropped; the decision after the challenge only encodes the last segment.
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
from drivers.face.liveness import Timed, measure, nonplanar_residual, track_continuous
from kiosk.face import (
    PROMPT_GUIDANCE,
    FaceDecision,
    FaceThresholds,
    Guidance,
    LivenessOutcome,
    LivenessReport,
    assess_quality,
    decide,
    judge_passive,
    quality_score,
    usable,
)
from kiosk.face_challenge import Answer, Prompt, PromptResult, Sample, is_quiet, judge_prompt, plan_prompts

CHECK_EVERY = 2  # frames between early checks of a prompt's response


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
    prompt: Prompt | None  # the prompt on screen now (None between prompts)
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
    encode_ms: float  # after the liveness verdict (the last segment)
    encode_during_capture_ms: float = 0.0  # the earlier segments, encoded while the capture ran

    def decide(self, chip: ChipEnrolment, t: FaceThresholds, since: float | None = None) -> FaceDecision:
        started = time.perf_counter()
        distances = [distance(enc, chip.encoding) for _, enc in self.encodings]
        timings = {
            "analysis_median": self.analysis_ms,
            "encode": self.encode_ms,
            "encode_during_capture": self.encode_during_capture_ms,
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
        self.prompt: Prompt | None = None  # on screen now
        self._window: list[Timed] = []
        self._window_start = 0.0
        self._first_t: float | None = None
        self._guidance_counts: Counter[Guidance] = Counter()
        self._analysis_ms: list[float] = []
        self._encode_ms = 0.0
        self._passive_evidence: Any = None
        self._liveness: LivenessReport | None = None
        self.frames_seen = self.frames_good = self.restarts = 0
        self._good_in_window = 0
        self.last_box: tuple[float, float, float, float, int, int] | None = None  # x, y, w, h, frame w, h
        self.ended_reason = ""
        self._reset_track()

    def _reset_track(self) -> None:
        """Everything that belongs to one continuous face track."""
        self._window, self._good_in_window = [], 0
        self._samples: list[Sample] = []
        self._segment_best: _Candidate | None = None
        self._segment = 0
        self._encodings: list[tuple[int, npt.NDArray[Any]]] = []
        self._plan: tuple[Prompt, ...] = ()
        self._results: list[PromptResult] = []
        self._hold_started = self._hold_until = 0.0
        self._shown_at: float | None = None
        self._checks_since_shown = 0
        self.prompt = None

    @property
    def done(self) -> bool:
        return self.phase is CaptureStage.DONE

    @property
    def challenge(self) -> Prompt | None:
        """The prompt being asked now (kept under the old name for the preview code)."""
        return self.prompt

    # per frame ---------------------------------------------------------------------------------------------

    def feed(self, frame: Frame) -> FrameFeedback:
        if self.done:
            return FrameFeedback(frame.index, self.phase, (), None, 0.0)
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
            if obs.points is not None:
                self._samples.append(Sample(frame.t, m.yaw_deg, m.pitch_deg, obs.ear))
            if good:
                self.frames_good += 1
                self._good_in_window += 1
                self._keep_candidate(frame, obs)
            self._advance(frame.t)
        if not self.done and frame.t - self._first_t >= self.timeout_s:
            self._give_up("timeout")
        if self.prompt is not None and not self.done:
            # the prompt stays on screen while it is judged; a gate problem is shown instead only when the
            # face is lost, so the patient is never told to hold still in the middle of a turn
            shown = (PROMPT_GUIDANCE[self.prompt],) if obs.box is not None else guidance
        else:
            shown = guidance
        return FrameFeedback(frame.index, self.phase, shown, self.prompt if not self.done else None, obs.elapsed_ms)

    def source_ended(self) -> None:
        """The frame source ran out (a recorded video): end the capture and say so in the record."""
        if not self.done:
            self._give_up("source_ended")

    def progress(self, now: float) -> float:
        """0..1 for the screen: the passive window fills 30 %, the prompts the rest in equal shares."""
        if self.phase is CaptureStage.PASSIVE:
            return 0.3 * min(1.0, (now - self._window_start) / max(1e-6, self.t.passive_window_s))
        if self.phase is CaptureStage.CHALLENGE:
            share = 0.7 / max(1, len(self._plan))
            part = 0.0
            if self._shown_at is not None:
                part = 0.5 + 0.5 * min(1.0, (now - self._shown_at) / self.t.response_window_s)
            return 0.3 + share * (len(self._results) + part)
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
        self.phase = CaptureStage.ACQUIRING
        self._reset_track()

    def _keep_candidate(self, frame: Frame, obs: Observation) -> None:
        """Keep the best grey crop of the current segment (one segment = the passive window or one prompt)."""
        score = quality_score(obs.measurements, self.t)
        current = self._segment_best
        if (current is not None and current.score >= score) or obs.box is None:
            return
        x, y, w, h = obs.box
        pad = int(0.6 * max(w, h))
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(frame.image.shape[1], x + w + pad), min(frame.image.shape[0], y + h + pad)
        crop = frame.image[y0:y1, x0:x1]
        grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        self._segment_best = _Candidate(frame.index, frame.t, score, grey.copy(), (x - x0, y - y0, w, h))

    def _end_segment(self) -> None:
        """Encode the segment's best crop now (spreads the matcher's work over the capture) and drop it."""
        cand, self._segment_best = self._segment_best, None
        self._segment += 1
        if cand is None:
            return
        started = time.perf_counter()
        aligned = self.encoder.align_near(cand.crop, cand.box)
        if aligned is not None:
            vector = self.encoder.encode_probes([aligned], self.t.mirror_probe)[0]
            self._encodings.append((cand.index, vector))
        self._encode_ms += (time.perf_counter() - started) * 1000.0

    def _passive_slices(self) -> int:
        prompts = self.t.challenge_prompts if self.t.always_challenge else 0
        return max(1, self.t.frames_to_encode - prompts)

    def _advance(self, now: float) -> None:
        if self.phase is CaptureStage.PASSIVE:
            slices = self._passive_slices()
            slice_s = self.t.passive_window_s / slices
            if self._segment < slices - 1 and now - self._window_start >= slice_s * (self._segment + 1):
                self._end_segment()
            if now - self._window_start >= self.t.passive_window_s and self._good_in_window >= self.t.min_good_frames:
                self._end_passive(now)
        elif self.phase is CaptureStage.CHALLENGE:
            self._advance_prompt(now)

    def _end_passive(self, now: float) -> None:
        evidence = measure(self._window, self.t)
        outcome = judge_passive(evidence, self.t)
        self._passive_evidence = evidence
        if outcome is LivenessOutcome.FAILED or (outcome is LivenessOutcome.PASSED and not self.t.always_challenge):
            self._finish_liveness(outcome, "" if outcome is LivenessOutcome.PASSED else "track broken")
            return
        allowed = self.t.prompts_allowed
        self._plan = plan_prompts(self.t.challenge_prompts, allowed, [self._rng.random() for _ in allowed])
        if not self._plan:  # a policy without prompts: the passive verdict is all there is
            self._finish_liveness(outcome, "" if outcome is LivenessOutcome.PASSED else "no passive evidence")
            return
        self.phase = CaptureStage.CHALLENGE
        self._end_segment()
        self._start_hold(now)

    def _start_hold(self, now: float) -> None:
        self._hold_started = now
        self._hold_until = now + self._rng.uniform(self.t.prompt_hold_min_s, self.t.prompt_hold_max_s)
        self._shown_at, self.prompt = None, None

    def _since(self, start: float) -> list[Sample]:
        return [s for s in self._samples if s.t >= start]

    def _advance_prompt(self, now: float) -> None:
        k = len(self._results)
        if self._shown_at is None:
            quiet = is_quiet(self._since(now - self.t.quiet_s), self.t.challenge_rules)
            if now >= self._hold_until and quiet:
                self._shown_at, self.prompt, self._checks_since_shown = now, self._plan[k], 0
            elif now - self._hold_started >= self.t.quiet_timeout_s:
                result = PromptResult(self._plan[k], round(now - (self._first_t or 0.0), 3), Answer.NOT_QUIET_BEFORE)
                self._results.append(result)
                self._finish_liveness(LivenessOutcome.FAILED, f"{result.prompt.value}: {result.answer.value}")
            return
        shown_at, prompt = self._shown_at, self._plan[k]
        self._checks_since_shown += 1
        over = now >= shown_at + self.t.response_window_s
        if not over and (now < shown_at + self.t.min_latency_s or self._checks_since_shown % CHECK_EVERY):
            return
        before = [s for s in self._samples if shown_at - self.t.quiet_s <= s.t <= shown_at]
        after = [s for s in self._samples if s.t > shown_at]
        depth = self._depth(shown_at - self.t.quiet_s) if prompt is not Prompt.BLINK else 0.0
        result = judge_prompt(prompt, shown_at, before, after, depth, self.t.challenge_rules)
        final = over or result.answer in (Answer.ANSWERED, Answer.WRONG_ACTION, Answer.TOO_EARLY)
        if not final:
            return
        t0 = self._first_t or 0.0
        self._results.append(replace(result, shown_at_s=round(shown_at - t0, 3)))
        if not result.passed:
            self._finish_liveness(LivenessOutcome.FAILED, f"{prompt.value}: {result.answer.value}")
        elif len(self._results) == len(self._plan):
            self._finish_liveness(LivenessOutcome.PASSED, "")
        else:
            self._end_segment()  # the last segment is encoded by capture(), after the liveness verdict
            self._start_hold(now)

    def _depth(self, start: float) -> float:
        seen = [w.observation for w in self._window if w.t >= start and w.observation.points is not None]
        return nonplanar_residual([o.points for o in seen], [o.inter_ocular for o in seen])  # type: ignore[misc]

    def _finish_liveness(self, outcome: LivenessOutcome, reason: str) -> None:
        checks = ["track", "passive"] + (["prompts", "depth"] if self._results else [])
        self._liveness = LivenessReport(
            outcome, self._passive_evidence, identity_spread=None, reason=reason,
            prompts=tuple(self._results), checks=tuple(checks),
        )
        self.phase, self.prompt = CaptureStage.DONE, None

    def _give_up(self, reason: str) -> None:
        self.ended_reason = reason
        if self.phase is CaptureStage.ACQUIRING and self.frames_good == 0:
            self._liveness = None  # failure to acquire: no usable face at all
        else:
            if self._passive_evidence is None and self._window:
                self._passive_evidence = measure(self._window, self.t)
            self._finish_liveness(LivenessOutcome.FAILED, reason)
        self.phase = CaptureStage.DONE

    # after capture -----------------------------------------------------------------------------------------

    def capture(self, *, match_even_if_not_live: bool = False) -> Capture:
        """End the capture: encode the last segment's crop (only when live, unless asked), check that every
        encoding taken across the capture is one identity, drop every frame."""
        started = time.perf_counter()
        if not self.done:
            self._give_up("timeout")
        live = self._liveness is not None and self._liveness.outcome is LivenessOutcome.PASSED
        during_ms = self._encode_ms
        if live or match_even_if_not_live:
            self._end_segment()
            encodings = list(self._encodings)
        else:
            encodings = []
        liveness = self._liveness
        if liveness is not None and len(encodings) > 1:
            spread = max(distance(a, b) for i, (_, a) in enumerate(encodings) for _, b in encodings[i + 1 :])
            liveness = replace(liveness, identity_spread=round(float(spread), 4),
                               checks=(*liveness.checks, "identity_spread"))
        result = Capture(
            encodings=tuple(encodings),
            liveness=liveness,
            frames_seen=self.frames_seen,
            frames_good=self.frames_good,
            guidance=tuple(g for g, _ in self._guidance_counts.most_common(2)),
            analysis_ms=statistics.median(self._analysis_ms) if self._analysis_ms else 0.0,
            encode_ms=(time.perf_counter() - started) * 1000.0,
            encode_during_capture_ms=during_ms,
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
        self._segment_best, self._encodings = None, []
        self._window, self._samples = [], []
        if self._owns_analyser:
            self._analyser.close()
            self._owns_analyser = False
