"""The prompted liveness challenge: which prompts, when, and whether a response answers one (pure numbers).

A recording plays on its own clock; a person answers what the screen asks. So each prompt is judged only
against the prompt's own time: the face must have been *quiet* (no turn, nod or blink) for `quiet_s`
before the prompt appeared, and the prompted action — and no other — must start at least
`min_latency_s` after it (nobody reacts faster) and complete within `response_window_s`. Prompts are
drawn at random (two distinct actions, random order) and each is shown after a random hold, so a clip
that blinks and turns all the time fails the quiet test, and a clip that happens to be quiet has to
guess both the action and the moment.

Directions are the patient's own: yaw grows when the patient turns to their right (camera image not
mirrored; measured on the fixture footage, nose moving to the image's left).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Prompt(Enum):
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    NOD = "nod"
    BLINK = "blink"


PROMPTS: tuple[Prompt, ...] = tuple(Prompt)


@dataclass(frozen=True)
class Sample:
    """One frame's pose and eye openness on the face track (degrees; EAR)."""

    t: float
    yaw: float
    pitch: float
    ear: float


class Answer(Enum):
    ANSWERED = "answered"
    NOT_QUIET_BEFORE = "not_quiet_before"  # the face was already moving when the prompt appeared
    TOO_EARLY = "too_early"  # movement started faster than a person can react
    WRONG_ACTION = "wrong_action"  # another action (other direction, nod for turn, ...) in the window
    NO_RESPONSE = "no_response"
    FLAT = "flat"  # the turn or nod moved like a plane (a print), not a head


@dataclass(frozen=True)
class PromptResult:
    """How one prompt went: numbers only, for the audit record."""

    prompt: Prompt
    shown_at_s: float  # seconds since the capture started
    answer: Answer
    onset_s: float | None = None  # reaction time after the prompt
    peak_deg: float = 0.0  # largest excursion in the prompted direction (turn/nod), degrees
    depth: float = 0.0  # non-planar residual of the response frames (inter-ocular distances)

    @property
    def passed(self) -> bool:
        return self.answer is Answer.ANSWERED


@dataclass(frozen=True)
class ChallengeRules:
    """The numbers a prompt is judged with (a view of `kiosk.face.FaceThresholds`)."""

    quiet_s: float = 1.0
    quiet_max_deg: float = 5.0  # yaw and pitch range allowed in the quiet window
    min_latency_s: float = 0.15
    response_window_s: float = 2.0
    turn_deg: float = 10.0
    nod_deg: float = 7.0
    blink_ratio: float = 0.75
    max_blink_s: float = 0.6
    min_depth: float = 0.02


def is_quiet(before: Sequence[Sample], r: ChallengeRules) -> bool:
    """Enough frames over `quiet_s`, pose steady, no blink."""
    if len(before) < 3 or before[-1].t - before[0].t < 0.6 * r.quiet_s:
        return False
    yaws, pitches = [s.yaw for s in before], [s.pitch for s in before]
    if max(yaws) - min(yaws) > r.quiet_max_deg or max(pitches) - min(pitches) > r.quiet_max_deg:
        return False
    return not blink_times(before, r, reference_ear=statistics.median(s.ear for s in before))


def blink_times(samples: Sequence[Sample], r: ChallengeRules, reference_ear: float) -> list[float]:
    """Start times of EAR dips below blink_ratio × reference that recover within max_blink_s."""
    threshold, out, start = r.blink_ratio * reference_ear, [], None
    for s in samples:
        if s.ear < threshold:
            start = s.t if start is None else start
        elif start is not None:
            if s.t - start <= r.max_blink_s:
                out.append(start)
            start = None
    return out


def judge_prompt(
    prompt: Prompt, shown_at: float, before: Sequence[Sample], after: Sequence[Sample], depth: float,
    r: ChallengeRules,
) -> PromptResult:
    """Judge the frames `after` the prompt (within the response window) against the quiet frames `before`."""
    if not is_quiet(before, r):
        return PromptResult(prompt, shown_at, Answer.NOT_QUIET_BEFORE)
    base_yaw = statistics.median(s.yaw for s in before)
    base_pitch = statistics.median(s.pitch for s in before)
    base_ear = statistics.median(s.ear for s in before)
    window = [s for s in after if shown_at < s.t <= shown_at + r.response_window_s]
    if not window:
        return PromptResult(prompt, shown_at, Answer.NO_RESPONSE)
    d_yaw = [s.yaw - base_yaw for s in window]
    d_pitch = [s.pitch - base_pitch for s in window]
    blinks = blink_times(window, r, base_ear)
    right, left = max(d_yaw), -min(d_yaw)
    nod = max(abs(p) for p in d_pitch)
    # what the face did: each action whose excursion crossed its threshold
    did = {
        Prompt.TURN_RIGHT: right >= r.turn_deg,
        Prompt.TURN_LEFT: left >= r.turn_deg,
        Prompt.NOD: nod >= r.nod_deg and nod > 0.8 * max(right, left),  # a turn tilts the pitch a little too
        Prompt.BLINK: bool(blinks),
    }
    if prompt in (Prompt.TURN_LEFT, Prompt.TURN_RIGHT):
        did[Prompt.NOD] = False  # the pitch wobbles during a turn; only the other direction counts against it
        did[Prompt.BLINK] = False  # people blink when they turn
    elif prompt is Prompt.NOD:
        did[Prompt.BLINK] = False
    peak = {Prompt.TURN_RIGHT: right, Prompt.TURN_LEFT: left, Prompt.NOD: nod, Prompt.BLINK: 0.0}[prompt]
    onset = _onset(prompt, shown_at, window, d_yaw, d_pitch, blinks, r)
    if any(v for p, v in did.items() if p is not prompt):
        return PromptResult(prompt, shown_at, Answer.WRONG_ACTION, onset, round(peak, 2), round(depth, 4))
    if not did[prompt]:
        return PromptResult(prompt, shown_at, Answer.NO_RESPONSE, onset, round(peak, 2), round(depth, 4))
    if onset is not None and onset < r.min_latency_s:
        return PromptResult(prompt, shown_at, Answer.TOO_EARLY, onset, round(peak, 2), round(depth, 4))
    if prompt is not Prompt.BLINK and depth < r.min_depth:
        return PromptResult(prompt, shown_at, Answer.FLAT, onset, round(peak, 2), round(depth, 4))
    return PromptResult(prompt, shown_at, Answer.ANSWERED, onset, round(peak, 2), round(depth, 4))


def _onset(
    prompt: Prompt, shown_at: float, window: Sequence[Sample], d_yaw: Sequence[float], d_pitch: Sequence[float],
    blinks: Sequence[float], r: ChallengeRules,
) -> float | None:
    """Seconds from the prompt to the first frame a third of the way to the threshold (a blink: its start)."""
    if prompt is Prompt.BLINK:
        return round(blinks[0] - shown_at, 3) if blinks else None
    for s, dy, dp in zip(window, d_yaw, d_pitch, strict=True):
        moved = {
            Prompt.TURN_RIGHT: dy >= r.turn_deg / 3,
            Prompt.TURN_LEFT: -dy >= r.turn_deg / 3,
            Prompt.NOD: abs(dp) >= r.nod_deg / 3,
        }[prompt]
        if moved:
            return round(s.t - shown_at, 3)
    return None


def plan_prompts(count: int, allowed: Sequence[Prompt], coins: Sequence[float]) -> tuple[Prompt, ...]:
    """`count` distinct prompts in random order from `allowed`; `coins` are uniform [0, 1) draws."""
    pool, chosen = list(allowed), []
    for coin in coins[:count]:
        if not pool:
            break
        chosen.append(pool.pop(min(len(pool) - 1, int(coin * len(pool)))))
    return tuple(chosen)
