"""Receptions played through the real Qt event loop (`app.exec`), for the reception and soak benches.

Unlike the demo's ScenarioPlayer (which pumps `processEvents` and so never runs `deleteLater` or the loop's
own housekeeping), every step here is scheduled with a QTimer and every wait is resolved when the awaited
screen is rendered: the event loop is the one a kiosk runs. The card is placed and taken on a helper thread
(the virtual card's insert waits for pcscd), as a patient's hand is not the GUI thread.

While it plays, a 10 ms precise timer measures how late the GUI thread is (`StallProbe`), and the flow's
effects and events mark when each step runs (`StepClock`): card read, OCR, chip photo, the capture start
(the chip enrolment runs beside it), the liveness window, the face decision, PIN and submit. A late tick is
matched to every step it overlaps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer

from kiosk.flow_effects import (
    Effect,
    FetchChallenge,
    ReadCard,
    ReadChipPhoto,
    ScanCardFront,
    StartCapture,
    Submit,
    VerifyPin,
)
from kiosk.flow_events import ConsentAnswered, Event, FaceDecided, FaceProgressed, Pressed
from kiosk.flow_types import FlowState, Intent
from kiosk.screens import ScreenModel
from testbench.benches.records import RecordFile
from testbench.demo.scenarios import DemoEnvironment, Step

TICK_MS = 10


@dataclass(frozen=True)
class StepSpan:
    name: str
    start: float
    end: float


class StepClock:
    """Spans of the reception's steps from the controller's `on_step` hook (GUI thread). Closed spans go to a
    RecordFile, so a soak's own record does not grow the process it measures."""

    OPENED_BY: ClassVar[dict[type, str]] = {
        ReadCard: "card read", ScanCardFront: "OCR", ReadChipPhoto: "chip photo", VerifyPin: "PIN",
        Submit: "submit", FetchChallenge: "challenge"}  # fmt: skip
    NAMES: ClassVar[tuple[str, ...]] = (*OPENED_BY.values(), "capture start", "liveness window", "face decision")

    def __init__(self) -> None:
        self._closed = RecordFile(3)  # name index, start, end
        self._open: dict[int, tuple[str, float]] = {}
        self._capture: dict[int, tuple[float, float | None, float | None]] = {}  # start, first, last progress
        self.enrolment_ms: list[float] = []  # the driver's own figure: it overlaps the capture start

    @property
    def spans(self) -> list[StepSpan]:
        """The closed spans, in the order they closed."""
        return [StepSpan(self.NAMES[int(i)], start, end) for i, start, end in self._closed.rows()]

    def _close(self, name: str, start: float, end: float) -> None:
        self._closed.append(self.NAMES.index(name), start, end)

    def on_step(self, event: Event, state: FlowState, effects: list[Effect]) -> None:
        now = time.perf_counter()
        token = getattr(event, "token", None)
        if isinstance(event, FaceProgressed) and token in self._capture:
            start, first, _ = self._capture[token]
            self._capture[token] = (start, first or now, now)
        elif token is not None:
            opened = self._open.pop(token, None)
            if opened is not None:
                self._close(opened[0], opened[1], now)
            if token in self._capture:
                start, first, last = self._capture.pop(token)
                first, last = first or now, last or now
                # the chip enrolment runs beside this first stretch (the camera opening, the first frame)
                self._close("capture start", start, first)
                self._close("liveness window", first, last)
                if isinstance(event, FaceDecided):
                    self._close("face decision", last, now)
                    self.enrolment_ms.append(dict(event.decision.timings_ms).get("chip_enrolment", float("nan")))
        for effect in effects:
            name = self.OPENED_BY.get(type(effect))
            if name is not None:
                self._open[getattr(effect, "token")] = (name, now)  # noqa: B009 (every opening effect has one)
            elif isinstance(effect, StartCapture):
                self._capture[effect.token] = (now, None, None)


class StallProbe:
    """How late a 10 ms timer fires on the GUI thread: each tick's (time, lateness in ms)."""

    def __init__(self) -> None:
        # in a file, not a list: a soak's own record must not look like the kiosk's leak
        self._ticks = RecordFile(2)
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self._ticks.append(now, max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    @property
    def ticks(self) -> list[tuple[float, float]]:
        return [(now, lag) for now, lag in self._ticks.rows()]

    @property
    def lags(self) -> list[float]:
        return [lag for _, lag in self._ticks.rows()]

    def by_step(self, spans: list[StepSpan]) -> dict[str, list[float]]:
        """Lateness of the ticks that overlap each named step (a tick's stall began `lag + tick` before it)."""
        ticks = np.array(self.ticks, dtype=np.float64).reshape(-1, 2)
        times, lags = ticks[:, 0], ticks[:, 1]
        began = times - (lags + TICK_MS) / 1000
        latest = float(np.max(lags, initial=0.0) + TICK_MS) / 1000  # no stall began earlier than this before its tick
        out: dict[str, list[float]] = {}
        for s in sorted(spans, key=lambda s: s.start):
            lo, hi = np.searchsorted(times, s.start), np.searchsorted(times, s.end + latest, side="right")
            overlapping = lags[lo:hi][began[lo:hi] <= s.end]
            if overlapping.size:
                out.setdefault(s.name, []).extend(overlapping.tolist())
        return out


@dataclass
class Reception:
    name: str
    steps: list[Step]
    placed_at: float = 0.0
    first_choice_at: float | None = None  # the method screen: the patient's first choice
    done_at: float | None = None
    error: str | None = None


@dataclass
class QtReceptionDriver:
    """Plays `receptions` one after the other on a kiosk built around `env`, inside `app.exec()`."""

    env: DemoEnvironment
    receptions: list[Reception]
    step_timeout_s: float = 60.0
    between: Callable[[int], None] | None = None  # called (GUI thread) before reception i starts
    clock: StepClock = field(default_factory=StepClock)
    kiosk: Any = None
    _index: int = 0
    _step: int = 0
    _waiting: str | None = None
    _consent: str | None = None
    _deadline: QTimer | None = None

    def build(self, config: Any) -> None:
        from kiosk.consent import load_catalogue
        from ui.application import build_kiosk
        from ui.sound import WavSpeaker

        self.speaker = WavSpeaker()
        self.kiosk = build_kiosk(config, load_catalogue(), self.env.devices, self.speaker, probes=self.env.probes,
                                 on_step=self.clock.on_step, on_render=self._rendered)  # fmt: skip
        self.kiosk.runtime.watch_presence(self.env)
        self._deadline = QTimer()
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._timed_out)

    def close(self) -> None:
        self.speaker.close()
        self.kiosk.close()

    def start(self) -> None:
        QTimer.singleShot(0, self._begin_reception)

    # --- steps -----------------------------------------------------------------------------------------

    @property
    def current(self) -> Reception:
        return self.receptions[self._index]

    def _begin_reception(self) -> None:
        if self._index >= len(self.receptions):
            QCoreApplication.quit()
            return
        if self.between is not None:
            self.between(self._index)
        self._step = 0
        self._next()

    def _finish_reception(self, error: str | None = None) -> None:
        self.current.error = error
        self._waiting = self._consent = None
        if error is not None:  # leave the kiosk at the attract screen for the next one
            threading.Thread(target=self.env.remove, daemon=True).start()
        self._index += 1
        QTimer.singleShot(0 if error is None else 2000, self._begin_reception)

    def _timed_out(self) -> None:
        screen = self.kiosk.window.model.screen if self.kiosk.window.model else "-"
        self._finish_reception(f"timed out waiting for {self._waiting or self._consent} (at {screen})")

    def _next(self) -> None:
        steps = self.current.steps
        if self._step >= len(steps):
            self._finish_reception()
            return
        kind, *args = steps[self._step]
        self._step += 1
        window = self.kiosk.window
        assert self._deadline is not None
        if kind == "wait":
            if window.model is not None and window.model.screen == args[0]:
                self._reached(args[0])
                QTimer.singleShot(0, self._next)
            else:
                self._waiting = args[0]
                self._deadline.start(int(self.step_timeout_s * 1000))
            return
        if kind in ("insert", "remove"):
            if kind == "insert":
                self.current.placed_at = time.perf_counter()
            threading.Thread(target=getattr(self.env, kind), daemon=True).start()
        elif kind == "tap":
            window.current_page.button_for(Pressed(Intent(args[0]))).click()
        elif kind in ("pin", "staff_pin"):
            if not window.current_page.isEnabled():
                self._step -= 1
                QTimer.singleShot(5, self._next)
                return
            pad = window.current_page.keypad
            by_digit = {b.text(): b for b in pad.digit_buttons}
            for digit in args[0]:
                by_digit[digit].click()
            pad.ok_button.click()
        elif kind == "consent":
            self._consent = args[0]
            self._deadline.start(int(self.step_timeout_s * 1000))
            QTimer.singleShot(0, self._answer)
            return
        else:
            raise ValueError(f"unknown step {kind}")
        QTimer.singleShot(0, self._next)

    def _answer(self) -> None:
        if self._consent is None:  # a late duplicate after the consents were done
            return
        window = self.kiosk.window
        model = window.model
        if model is None or model.screen != "consent":
            self._consent = None
            assert self._deadline is not None
            self._deadline.stop()
            self._next()
            return
        choices = [b.press for b in model.buttons if isinstance(b.press, ConsentAnswered)]
        pick = choices[0] if self._consent == "first" else choices[-1]
        window.current_page.button_for(pick).click()

    def _reached(self, screen: str) -> None:
        if screen == "method" and self.current.first_choice_at is None:
            self.current.first_choice_at = time.perf_counter()
        if screen == "done" and self.current.done_at is None:
            self.current.done_at = time.perf_counter()

    def _rendered(self, model: ScreenModel) -> None:
        if self._consent is not None:
            QTimer.singleShot(0, self._answer)
        elif self._waiting is not None and model.screen == self._waiting:
            self._waiting = None
            assert self._deadline is not None
            self._deadline.stop()
            self._reached(model.screen)
            QTimer.singleShot(0, self._next)
