"""Rules that hold in every state: card removal wipes and returns to idle, language and mute at any time,
stale events never change anything, and no secret ends up in the state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.errors import ErrorCode
from kiosk.face import Verdict
from kiosk.flow import step
from kiosk.flow_effects import ClearSensitiveData, PlayVoice, Show, StopVoice
from kiosk.flow_events import (
    CardInserted,
    CardTaken,
    ChallengeFetched,
    ConsentAnswered,
    Event,
    FaceDecided,
    JobFailed,
    LanguageChosen,
    PinEntered,
    PinRejected,
    Pressed,
    StaffCornerTapped,
    SummaryRead,
    TimerExpired,
    UserActivity,
)
from kiosk.flow_types import Intent, Notice, Phase
from tests.unit.flow_harness import NOW, FlowDriver, face_decision, staff_gesture, summary
from tests.unit.test_flow_paths import face_to_capture, read_card


def _reading(d: FlowDriver) -> None:
    d.send(CardInserted())


def _method(d: FlowDriver) -> None:
    read_card(d)


def _capture(d: FlowDriver) -> None:
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    face_to_capture(d)


def _pin(d: FlowDriver) -> None:
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))


def _consent(d: FlowDriver) -> None:
    from kiosk.flow_effects import VerifyPin
    from kiosk.flow_events import PinVerified

    _pin(d)
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))


SETUPS: dict[str, Callable[[FlowDriver], None]] = {
    "reading": _reading,
    "method": _method,
    "capture": _capture,
    "pin": _pin,
    "consent": _consent,
}


@pytest.mark.parametrize("name", SETUPS)
def test_card_removal_wipes_the_session_and_returns_to_idle(name: str) -> None:
    d = FlowDriver.new()
    SETUPS[name](d)
    assert d.phase is not Phase.ATTRACT
    d.send(Pressed(Intent.TOGGLE_CONTRAST))
    d.send(LanguageChosen("en"))
    effects = d.send(CardTaken())
    assert d.phase is Phase.ATTRACT and d.state.notice is Notice.CARD_REMOVED
    assert ClearSensitiveData() in effects
    assert d.state.summary is None and d.state.method is None and d.state.pin_tries is None
    assert d.state.lang == "ja" and not d.state.high_contrast  # the next patient starts fresh
    assert d.state.job is None
    assert [name for name, _ in d.state.timers] == ["phase"]  # only the notice timer runs


def test_language_and_mute_at_any_time() -> None:
    d = FlowDriver.new()
    effects = d.send(LanguageChosen("en"))
    assert PlayVoice("attract", "en") in effects and Show("attract") in effects
    read_card(d)
    assert PlayVoice("method", "en") in d.effects
    effects = d.send(Pressed(Intent.TOGGLE_MUTE))
    assert StopVoice() in effects and d.state.muted
    effects = d.send(Pressed(Intent.USE_PIN))
    assert not any(isinstance(e, PlayVoice) for e in effects)
    assert d.send(LanguageChosen("xx")) == []
    d.send(LanguageChosen("ko"))
    assert d.state.lang == "ko"


def test_card_inserted_during_staff_panel_waits_for_staff_to_close() -> None:
    from kiosk.flow_events import StaffPinChecked, StaffPinEntered

    d = FlowDriver.new()
    staff_gesture(d)
    d.send(StaffPinEntered("2468"))
    d.send(StaffPinChecked(d.state.job or 0, True, 0, 5))
    assert d.phase is Phase.STAFF_PANEL
    d.send(CardInserted())
    assert d.phase is Phase.STAFF_PANEL
    d.send(Pressed(Intent.STAFF_EXIT))
    assert d.phase is Phase.READING


_events = st.one_of(
    st.builds(Pressed, st.sampled_from(list(Intent))),
    st.builds(LanguageChosen, st.sampled_from(["ja", "en", "zh", "ko", "xx"])),
    st.just(UserActivity()),
    st.just(CardInserted()),
    st.just(CardTaken()),
    st.builds(PinEntered, st.sampled_from(["1234", "12", "abcd"])),
    st.builds(
        ConsentAnswered,
        st.sampled_from(["comprehensive", "diagnosis", "limit_info"]),
        st.sampled_from(["consent", "ok", "consent_all"]),
    ),
    st.builds(
        JobFailed,
        st.integers(0, 40),
        st.sampled_from([ErrorCode.CARD_ERROR, ErrorCode.PIN_BLOCKED, ErrorCode.UNSUPPORTED_CARD]),
    ),
    st.builds(PinRejected, st.integers(0, 40), st.integers(0, 3)),
    st.builds(
        FaceDecided,
        st.integers(0, 40),
        st.sampled_from([face_decision(v) for v in (Verdict.ACCEPT, Verdict.RETRY, Verdict.REJECT)]),
    ),
    st.builds(StaffCornerTapped, st.floats(0, 30)),
    st.builds(ChallengeFetched, st.integers(0, 40), st.booleans()),
    st.builds(
        lambda t, days: SummaryRead(t, summary(days), NOW), st.integers(0, 40), st.sampled_from([-200, -5, 30, 900])
    ),
    st.builds(TimerExpired, st.sampled_from(["phase", "card_left", "visual"]), st.integers(0, 40)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_events, max_size=40))
def test_random_event_sequences_keep_the_invariants(events: list[Event]) -> None:
    d = FlowDriver.new()
    for event in events:
        before = d.state
        state, effects = step(before, event)
        d.state = state
        assert "1234" not in repr(state) and "1234" not in repr(effects)
        if state.phase is Phase.ATTRACT:
            assert state.summary is None and state.method is None and state.consent_answers == ()
        if state.job is not None:
            assert state.job < state.next_token
        assert state.phase in Phase
        if state == before:
            assert not any(isinstance(e, Show) for e in effects)
