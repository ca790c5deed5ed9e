"""Fleet view: the kiosk's counters in Prometheus text format, written as a node_exporter textfile.

Counts only, never personal data: completed receptions by method, the outcome screens the flow reached
(failure codes), the outbox's depth and ages, the camera preview's frame rate. The file is
<data_dir>/metrics/myna_kiosk.prom, rewritten atomically every WRITE_EVERY_S seconds by a background thread;
node_exporter reads it with --collector.textfile.directory=/var/lib/myna-kiosk/metrics. No port is opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.flow_types import Phase
from kiosk.screens import ScreenModel

WRITE_EVERY_S = 15.0
FPS_WINDOW_S = 5.0
# Screens that end or derail a reception: counted on entry as its outcome.
OUTCOME_SCREENS = (Phase.DONE, Phase.SUBMIT_FAILED, Phase.READ_FAILED, Phase.UNSUPPORTED, Phase.CERT_EXPIRED,
                   Phase.NOT_REGISTERED, Phase.FACE_FAILED, Phase.PIN_WRONG, Phase.PIN_LOCKED, Phase.STAFF_CALL,
                   Phase.VISUAL_CHECK, Phase.GRACE_NOTICE)
_OUTCOMES = {p.value for p in OUTCOME_SCREENS}


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    quarantined: int  # refused by the verifier (kept, not retried)
    delivered: int
    oldest_pending_age_s: float | None
    last_delivery_age_s: float | None


def read_outbox_counts(path: Path, now: datetime | None = None) -> OutboxCounts | None:
    """Counts from the outbox, opened read-only (None when there is no outbox yet). sqlite3.Error on damage."""
    if not path.exists():
        return None
    now = now or datetime.now(UTC)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        counts = dict(db.execute("SELECT state, COUNT(*) FROM results GROUP BY state").fetchall())
        oldest = db.execute("SELECT MIN(enqueued_at) FROM results WHERE state = 'pending'").fetchone()[0]
        last = db.execute("SELECT MAX(done_at) FROM results WHERE state = 'delivered'").fetchone()[0]
    finally:
        db.close()

    def age(epoch_s: float | None) -> float | None:  # the outbox keeps Unix times
        return now.timestamp() - epoch_s if epoch_s is not None else None

    return OutboxCounts(int(counts.get("pending", 0)),
                        sum(int(n) for s, n in counts.items() if s not in ("pending", "delivered")),
                        int(counts.get("delivered", 0)), age(oldest), age(last))


class KioskMetrics:
    """Fed on the GUI thread (renders, preview frames); read by the writer thread."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._outcomes: Counter[str] = Counter()
        self._receptions: Counter[str] = Counter()
        self._last_daily: dict[str, int] = {}
        self._frames: deque[float] = deque()
        self._screen = ""
        self.started = time.time()

    def on_render(self, model: ScreenModel) -> None:
        with self._lock:
            if model.screen != self._screen and model.screen in _OUTCOMES:
                self._outcomes[model.screen] += 1
            self._screen = model.screen

    def on_frame(self, _frame: Any = None) -> None:
        now = self._clock()
        with self._lock:
            self._frames.append(now)
            while self._frames and self._frames[0] < now - FPS_WINDOW_S:
                self._frames.popleft()

    def add_daily(self, daily: Mapping[str, int]) -> None:
        """Fold the staff screen's per-day counts (reset at midnight) into totals that only grow."""
        with self._lock:
            for method, count in daily.items():
                before = self._last_daily.get(method, 0)
                self._receptions[method] += count - before if count >= before else count
                self._last_daily[method] = count

    def camera_fps(self) -> float:
        now = self._clock()
        with self._lock:
            recent = [t for t in self._frames if t >= now - FPS_WINDOW_S]
        return (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) > 1 and recent[-1] > recent[0] else 0.0

    def text(self, outbox: OutboxCounts | None) -> str:
        fps = self.camera_fps()
        with self._lock:
            receptions, outcomes = dict(self._receptions), dict(self._outcomes)
        lines = [
            "# HELP myna_kiosk_receptions_total Receptions completed, by verification method.",
            "# TYPE myna_kiosk_receptions_total counter",
            *(f'myna_kiosk_receptions_total{{method="{m}"}} {receptions.get(m, 0)}'
              for m in sorted({"face", "pin", "visual", *receptions})),
            "# HELP myna_kiosk_outcomes_total Outcome screens reached (done and each failure code).",
            "# TYPE myna_kiosk_outcomes_total counter",
            *(f'myna_kiosk_outcomes_total{{outcome="{o}"}} {outcomes.get(o, 0)}' for o in sorted(_OUTCOMES)),
            "# HELP myna_kiosk_camera_fps Camera preview frames per second over the last 5 s (0: camera idle).",
            "# TYPE myna_kiosk_camera_fps gauge",
            f"myna_kiosk_camera_fps {fps:.2f}",
            "# HELP myna_kiosk_start_time_seconds When this kiosk process started (Unix time).",
            "# TYPE myna_kiosk_start_time_seconds gauge",
            f"myna_kiosk_start_time_seconds {self.started:.0f}",
        ]
        if outbox is not None:
            lines += [
                "# HELP myna_kiosk_outbox_pending Results waiting for delivery to the verifier.",
                "# TYPE myna_kiosk_outbox_pending gauge",
                f"myna_kiosk_outbox_pending {outbox.pending}",
                "# HELP myna_kiosk_outbox_quarantined Results the verifier refused (kept for staff).",
                "# TYPE myna_kiosk_outbox_quarantined gauge",
                f"myna_kiosk_outbox_quarantined {outbox.quarantined}",
                "# HELP myna_kiosk_outbox_delivered Results delivered (held in the outbox).",
                "# TYPE myna_kiosk_outbox_delivered gauge",
                f"myna_kiosk_outbox_delivered {outbox.delivered}",
            ]
            for name, value, help_text in (
                ("oldest_pending_age_seconds", outbox.oldest_pending_age_s, "Age of the oldest undelivered result."),
                ("last_delivery_age_seconds", outbox.last_delivery_age_s, "Time since the last delivery."),
            ):
                if value is not None:
                    lines += [f"# HELP myna_kiosk_{name} {help_text}", f"# TYPE myna_kiosk_{name} gauge",
                              f"myna_kiosk_{name} {value:.0f}"]
        return "\n".join(lines) + "\n"


def write_textfile(path: Path, text: str) -> None:
    """Atomically: node_exporter must never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o750)  # mkdir's mode is cut by the service's UMask=0077
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o640)  # the service's UMask is 0077; node_exporter reads it as a member of the kiosk's group
    os.replace(partial, path)


class MetricsWriter:
    """Background thread: every `every_s`, fold in the daily counts, read the outbox, rewrite the textfile."""

    def __init__(self, metrics: KioskMetrics, data_dir: Path, daily: Callable[[], Mapping[str, int]],
                 every_s: float = WRITE_EVERY_S) -> None:
        self.metrics, self.daily, self.every_s = metrics, daily, every_s
        self.outbox = data_dir / "outbox.sqlite3"
        self.path = data_dir / "metrics" / "myna_kiosk.prom"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="metrics", daemon=True)

    def start(self) -> MetricsWriter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def write_once(self) -> None:
        self.metrics.add_daily(self.daily())
        try:
            outbox = read_outbox_counts(self.outbox)
        except sqlite3.Error:
            outbox = None
        write_textfile(self.path, self.metrics.text(outbox))

    def _run(self) -> None:
        while True:
            try:
                self.write_once()
            except OSError:
                pass  # a full or read-only disk: the doctor says so; the kiosk keeps running
            if self._stop.wait(self.every_s):
                return
