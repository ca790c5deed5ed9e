"""The prompted challenge's pure rules (kiosk/face_challenge.py) and its policy in FaceThresholds."""

from __future__ import annotations

import json
import random

import pytest

from kiosk.errors import ConfigError
from kiosk.face import FaceThresholds, LivenessOutcome, LivenessReport, Verdict, decide
from kiosk.face_challenge import Answer, ChallengeRules, Prompt, PromptResult, Sample, judge_prompt, plan_prompts

R = ChallengeRules()
FPS = 25.0


def still(t0: float, t1: float, yaw: float = 0.0, pitch: float = 0.0) -> list[Sample]:
    return [Sample(t0 + i / FPS, yaw, pitch, 0.3) for i in range(round((t1 - t0) * FPS))]


def turn(t0: float, degrees: float, frames: int = 12) -> list[Sample]:
    return [Sample(t0 + i / FPS, degrees * min(1.0, i / 8), 0.0, 0.3) for i in range(frames)]


def test_a_prompted_turn_after_a_quiet_second_is_answered() -> None:
    before, after = still(0.0, 1.0), still(1.0, 1.4) + turn(1.4, 15.0)
    result = judge_prompt(Prompt.TURN_RIGHT, 1.0, before, after, depth=0.05, r=R)
    assert result.answer is Answer.ANSWERED and result.passed
    assert result.onset_s is not None and 0.3 < result.onset_s < 0.6 and result.peak_deg >= 10


@pytest.mark.parametrize(
    ("prompt", "degrees", "depth", "answer"),
    [
        (Prompt.TURN_LEFT, 15.0, 0.05, Answer.WRONG_ACTION),  # yaw grows: the patient's right
        (Prompt.TURN_RIGHT, 6.0, 0.05, Answer.NO_RESPONSE),  # too small a turn
        (Prompt.TURN_RIGHT, 15.0, 0.005, Answer.FLAT),  # moved like a sheet of paper
        (Prompt.BLINK, 15.0, 0.05, Answer.WRONG_ACTION),  # a turn when asked to blink
        (Prompt.NOD, 15.0, 0.05, Answer.WRONG_ACTION),
    ],
)
def test_anything_but_the_prompted_action_fails(prompt: Prompt, degrees: float, depth: float, answer: Answer) -> None:
    result = judge_prompt(prompt, 1.0, still(0.0, 1.0), still(1.0, 1.4) + turn(1.4, degrees), depth, R)
    assert result.answer is answer


def test_moving_before_the_prompt_or_reacting_too_fast_fails() -> None:
    moving = turn(0.0, 15.0, frames=25)
    assert judge_prompt(Prompt.TURN_RIGHT, 1.0, moving, turn(1.0, 15.0), 0.05, R).answer is Answer.NOT_QUIET_BEFORE
    blinking = [Sample(i / FPS, 0.0, 0.0, 0.1 if i in (10, 11) else 0.3) for i in range(25)]
    assert judge_prompt(Prompt.BLINK, 1.0, blinking, still(1.0, 2.0), 0.0, R).answer is Answer.NOT_QUIET_BEFORE
    instant = [Sample(1.0 + i / FPS, 15.0 if i else 4.0, 0.0, 0.3) for i in range(1, 20)]
    assert judge_prompt(Prompt.TURN_RIGHT, 1.0, still(0.0, 1.0), instant, 0.05, R).answer is Answer.TOO_EARLY


def test_a_prompted_blink_is_answered() -> None:
    after = [Sample(1.0 + i / FPS, 0.0, 0.0, 0.1 if i in (10, 11, 12) else 0.3) for i in range(1, 40)]
    assert judge_prompt(Prompt.BLINK, 1.0, still(0.0, 1.0), after, 0.0, R).passed


def test_prompts_are_distinct_and_random() -> None:
    rng = random.Random(4)
    plans = {plan_prompts(2, list(Prompt), [rng.random() for _ in range(4)]) for _ in range(200)}
    assert all(len(set(p)) == 2 for p in plans) and len(plans) == 12  # every ordered pair of the four


def test_policy_lives_in_configuration() -> None:
    t = FaceThresholds.from_mapping({"challenge_prompts": 1, "challenge_actions": "blink,nod"})
    assert t.prompts_allowed == (Prompt.BLINK, Prompt.NOD) and t.challenge_rules.turn_deg == t.turn_deg
    with pytest.raises(ConfigError):
        FaceThresholds.from_mapping({"challenge_actions": "blink,wave"})
    with pytest.raises(ConfigError):
        FaceThresholds.from_mapping({"challenge_prompts": 3, "challenge_actions": "blink,nod"})


def test_the_record_says_which_checks_ran_and_how_each_prompt_went() -> None:
    prompts = (PromptResult(Prompt.TURN_LEFT, 3.2, Answer.ANSWERED, 0.52, 13.1, 0.04),)
    live = LivenessReport(LivenessOutcome.PASSED, None, prompts=prompts, checks=("track", "prompts", "depth"))
    record = decide([0.4, 0.41, 0.42], live, FaceThresholds(), frames_seen=90, frames_good=80, frames_used=[1, 2, 3])
    assert record.verdict is Verdict.ACCEPT
    data = json.loads(json.dumps(record.to_json()))
    assert data["liveness"]["checks"] == ["track", "prompts", "depth"]
    first = data["liveness"]["prompts"][0]
    assert first["prompt"] == "turn_left" and first["answer"] == "answered"
