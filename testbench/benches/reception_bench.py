"""`myna-testbench bench reception` and `bench soak`: receptions through the real parts and the real Qt loop.

The parts are the demo's (testbench.demo.bench.DemoBench): the virtual card through pcscd + vpcd, the
recorded video as the face camera, the rendered card front as the document camera and the reference
verifier on loopback, behind the kiosk's real drivers (kiosk.app.wiring). The patient acts at once on every
screen, so a reception's machine time is the kiosk's and its parts' own (card placed → done screen).
`--fake` plays the same steps against in-process fakes instead; its output says FAKE and carries no goal.

Every figure is measured here: GUI-thread stall per step (testbench.benches.qt_driver), machine time, the
CPU seconds of this process and of the verifier and pcscd processes beside the wall time, and the machine's
load. The soak also samples RSS, open file descriptors and threads after each reception.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import os
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testbench.benches.records import NamedRecords
from testbench.demo.scenarios import Step

PIN_STEPS: list[Step] = [("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
                         ("wait", "consent"), ("consent", "first"), ("wait", "done"), ("remove",),
                         ("wait", "attract")]  # fmt: skip
FACE_STEPS: list[Step] = [("insert",), ("wait", "method"), ("tap", "use_face"), ("wait", "face_capture"),
                          ("wait", "consent"), ("consent", "first"), ("wait", "done"), ("remove",),
                          ("wait", "attract")]  # fmt: skip
REAL_LABEL = ("real parts: virtual My Number card through pcscd + vpcd, recorded video camera, rendered card "
              "front, reference verifier on loopback; the real Qt event loop (app.exec)")  # fmt: skip
FAKE_LABEL = ("FAKE devices (in-process card, scanner, face verifier, backend answering at once) in the real Qt "
              "event loop: the kiosk's own overhead only; no goal applies to these figures")  # fmt: skip


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _proc_cpu_s(pid: int | None) -> float | None:
    """utime + stime of another process (Linux /proc), in seconds."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _self_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def os_threads() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return -1


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]  # fmt: skip


@functools.cache
def _mallinfo2() -> Any:
    """glibc's mallinfo2, or None (another C library, or glibc older than 2.33)."""
    try:
        function = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return None
    function.restype = _MallInfo2
    return function


def malloc_mb() -> dict[str, float]:
    """glibc's heap as malloc sees it (all arenas): in use, and free but still held from the system — RSS
    that grows while "in use" stays flat is fragmentation, not a leak."""
    mallinfo2 = _mallinfo2()
    if mallinfo2 is None:
        return {}
    info = mallinfo2()
    return {"malloc_in_use_mb": (info.uordblks + info.hblkhd) / 2**20, "malloc_free_held_mb": info.fordblks / 2**20}


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@dataclass
class Meter:
    """CPU and load over a run: this process, the helper processes, the whole machine."""

    pids: dict[str, int | None] = field(default_factory=dict)
    _t0: float = 0.0
    _cpu0: float = 0.0
    _others0: dict[str, float | None] = field(default_factory=dict)
    _busy0: tuple[float, float] = (0.0, 0.0)

    def start(self) -> None:
        self._t0, self._cpu0, self._busy0 = time.perf_counter(), _self_cpu_s(), _machine_busy()
        self._others0 = {name: _proc_cpu_s(pid) for name, pid in self.pids.items()}

    def figures(self) -> dict[str, Any]:
        wall = time.perf_counter() - self._t0
        busy, total = _machine_busy()
        others = {}
        for name, pid in self.pids.items():
            now, before = _proc_cpu_s(pid), self._others0.get(name)
            others[name] = round(now - before, 2) if now is not None and before is not None else None
        return {"wall_s": round(wall, 2), "cpu_s_this_process": round(_self_cpu_s() - self._cpu0, 2),
                "cpu_s_other_processes": others,
                "machine_busy_pct": round(100 * (busy - self._busy0[0]) / max(1.0, total - self._busy0[1]), 1),
                "load_average_1min_end": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}  # fmt: skip


class Parts:
    """The real bench or the fakes, with the kiosk config and the helper processes to meter."""

    def __init__(self, fake: bool) -> None:
        from testbench.demo.scenarios import demo_config

        self.fake = fake
        self.bench: Any = None
        if fake:
            from testbench.demo.scenarios import SCENARIOS, FakeEnvironment

            self.env: Any = FakeEnvironment.for_scenario(SCENARIOS["pin"], 0.0)
            self.config = demo_config()
            self.pids: dict[str, int | None] = {}
        else:
            from testbench.demo.bench import DemoBench
            from testbench.demo.real import REAL_SCENARIOS, RealEnvironment

            self.bench = DemoBench(demo_config())
            self.env = RealEnvironment(self.bench)
            self.env.prepare(REAL_SCENARIOS["face"])  # ordinary card, the holder's own video, verifier up
            self.config = self.bench.config
            verifier = self.bench._verifier
            pcscd = self.bench.pcscd.process
            self.pids = {"verifier": verifier.pid if verifier else None, "pcscd": pcscd.pid if pcscd else None}

    def start_warm_up(self) -> Any:
        if self.bench is None:
            return None
        self.bench.real.warm_up.start()
        return self.bench.real.warm_up

    def close(self) -> None:
        if self.bench is not None:
            self.bench.close()


def _plan(count: int, face_every: int) -> list[tuple[str, list[Step]]]:
    """Reception i is a face reception when i % face_every == 0 (so the first one is), else PIN."""
    return [("face", FACE_STEPS) if face_every and i % face_every == 0 else ("pin", PIN_STEPS) for i in range(count)]


def play(parts: Parts, plan: list[tuple[str, list[Step]]], *, warm_up: bool, soak: bool,
         trace_python: bool = False) -> dict[str, Any]:
    """Build the kiosk, play the plan inside app.exec(), return the figures. With `trace_python` the soak
    also follows the Python heap (tracemalloc) and names the lines whose memory grew over the steady part."""
    from PySide6.QtCore import QTimer

    from testbench.benches.qt_driver import QtReceptionDriver, Reception, StallProbe
    from ui.application import make_application

    app = make_application()
    receptions = [Reception(name, steps) for name, steps in plan]
    samples = NamedRecords()  # in a file: the soak's own record must not grow the process it measures

    heap = PythonHeapTrace(steady_from=max(1, len(plan) // 10)) if soak and trace_python else None

    def sample(i: int) -> None:
        if soak:
            samples.append({"after": i, "rss_mb": rss_mb(), "fds": open_fds(), "threads": os_threads(),
                            "t_s": time.perf_counter()} | malloc_mb() | (heap.sample(i) if heap else {}))  # fmt: skip

    driver = QtReceptionDriver(parts.env, receptions, between=sample)
    driver.build(parts.config)
    probe = StallProbe()
    meter = Meter(parts.pids)
    warm = parts.start_warm_up() if warm_up else None
    models: dict[str, Any] = {}
    t_attract = time.perf_counter()

    def go() -> None:
        if warm is not None and not warm.done.is_set() and time.perf_counter() - t_attract < 60:
            QTimer.singleShot(50, go)  # the first patient comes once the row says ready (bounded)
            return
        models["ready_after_attract_s"] = round(time.perf_counter() - t_attract, 2) if warm is not None else None
        models["self_test_row"] = (
            warm.probe()[1]
            if warm is not None
            else "FAKE verifier, no models"
            if parts.fake
            else "warm-up not started (--no-warm-up)"
        )
        meter.start()
        probe.start()
        driver.start()

    QTimer.singleShot(0, go)
    app.exec()
    probe.stop()
    sample(len(receptions))
    if heap is not None:
        heap.finish()
    figures: dict[str, Any] = {"run": meter.figures(), "models": models}
    driver.close()
    app.processEvents()  # let the closed window's deferred deletes run before the process exits
    gc.collect()
    spans = driver.clock.spans
    stalls = probe.by_step(spans)
    every = probe.lags
    figures["gui_stall_ms"] = {
        name: {"p50": round(pct(v, 50), 1), "p99": round(pct(v, 99), 1), "max": round(max(v), 1),
               "ticks": len(v), "over_50ms": sum(1 for x in v if x > 50)}
        for name, v in sorted(stalls.items())} | {
        "whole run": {"p50": round(pct(every, 50), 1), "p99": round(pct(every, 99), 1),
                      "max": round(max(every, default=0.0), 1), "ticks": len(every),
                      "over_50ms": sum(1 for x in every if x > 50)}}  # fmt: skip
    by_name: dict[str, list[float]] = {}
    windows = [(s.start, s.end) for s in spans if s.name == "liveness window"]
    for r in receptions:
        if r.done_at is not None and r.error is None:
            by_name.setdefault(r.name, []).append(r.done_at - r.placed_at)
            if r.name == "face":  # the part the patient spends in front of the camera, taken out
                live = sum(end - start for start, end in windows if r.placed_at <= start <= r.done_at)
                by_name.setdefault("face without the liveness window", []).append(r.done_at - r.placed_at - live)
    figures["machine_time_s"] = {
        name: {"first": round(v[0], 3), "median_rest": round(statistics.median(v[1:]), 3) if len(v) > 1 else None,
               "p95": round(pct(v, 95), 3), "n": len(v)} for name, v in by_name.items()}  # fmt: skip
    to_choice = [r.first_choice_at - r.placed_at for r in receptions if r.first_choice_at is not None and not r.error]
    figures["first_choice_s"] = {"p50": round(pct(to_choice, 50), 3), "p95": round(pct(to_choice, 95), 3),
                                 "max": round(max(to_choice, default=float("nan")), 3), "n": len(to_choice)}
    walls: dict[str, list[float]] = {}
    for span in spans:
        walls.setdefault(span.name, []).append(span.end - span.start)
    if driver.clock.enrolment_ms:
        walls["chip enrolment (beside the capture start)"] = [ms / 1000 for ms in driver.clock.enrolment_ms]
    figures["step_wall_s"] = {
        name: {"first": round(v[0], 3), "median_rest": round(statistics.median(v[1:]), 3) if len(v) > 1 else None,
               "n": len(v)} for name, v in sorted(walls.items())}  # fmt: skip
    figures["receptions"] = len(receptions)
    figures["failed"] = [f"#{i} {r.name}: {r.error}" for i, r in enumerate(receptions) if r.error][:10]
    figures["failed_count"] = sum(1 for r in receptions if r.error)
    if soak:
        figures["soak"] = soak_figures(samples.rows())
    if heap is not None:
        figures["python_heap_growth"] = heap.growth()
    return figures


class PythonHeapTrace:
    """tracemalloc over a soak: the traced Python heap after each reception, and the top lines by growth
    between the first steady reception and the end (what a Python-level leak would name)."""

    def __init__(self, steady_from: int, frames: int = 8) -> None:
        import tracemalloc

        self._tm = tracemalloc
        self._steady_from = steady_from
        self._start: Any = None
        self._end: Any = None
        tracemalloc.start(frames)

    def sample(self, after: int) -> dict[str, float]:
        gc.collect()  # garbage in reference cycles not collected yet is not growth
        if after == self._steady_from:
            self._start = self._tm.take_snapshot()
        return {"python_heap_mb": self._tm.get_traced_memory()[0] / 2**20}

    def finish(self) -> None:
        """The end snapshot: right after the last reception, before the bench builds its figures."""
        gc.collect()
        self._end = self._tm.take_snapshot()
        self._tm.stop()

    def growth(self, top: int = 15) -> list[str]:
        if self._start is None or self._end is None:
            return []
        end = self._end
        own = (self._tm.Filter(False, self._tm.__file__),)
        stats = end.filter_traces(own).compare_to(self._start.filter_traces(own), "traceback")
        lines = []
        for stat in stats[:top]:
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(stat.traceback[-4:]))
            lines.append(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {where}")
        return lines


def soak_figures(samples: list[dict[str, float]]) -> dict[str, Any]:
    """RSS at the start, once steady (after the first 10 %), at the end; the slope per 1,000 receptions by
    least squares over the steady part; fds and threads at the start and the end."""
    if len(samples) < 3:
        return {"samples": len(samples)}
    skip = max(1, len(samples) // 10)
    steady = samples[skip:]
    xs, ys = [s["after"] for s in steady], [s["rss_mb"] for s in steady]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / max(1e-9, sum((x - mx) ** 2 for x in xs))
    every_10pct = samples[:: max(1, len(samples) // 10)]
    heaps = {f"{key}_every_10pct": [round(s[key], 1) for s in every_10pct]
             for key in ("python_heap_mb", "malloc_in_use_mb", "malloc_free_held_mb") if key in samples[0]}
    return {"rss_mb_start": round(samples[0]["rss_mb"], 1), "rss_mb_steady_from": round(steady[0]["rss_mb"], 1),
            "rss_mb_end": round(samples[-1]["rss_mb"], 1), "rss_mb_max": round(max(ys), 1),
            "drift_mb_per_1000": round(slope * 1000, 1), "steady_from_reception": int(steady[0]["after"]),
            "fds_start_end": (int(samples[0]["fds"]), int(samples[-1]["fds"])),
            "fds_after_first_reception": int(samples[1]["fds"]),
            "threads_start_end": (int(samples[0]["threads"]), int(samples[-1]["threads"])),
            "threads_after_first_reception": int(samples[1]["threads"]),
            "rss_every_10pct": [round(s["rss_mb"], 1) for s in every_10pct]} | heaps  # fmt: skip


def report(figures: dict[str, Any], label: str) -> str:
    lines = [f"# {label}"]
    run = figures["run"]
    lines.append(f"receptions {figures['receptions']}, failed {figures['failed_count']}"
                 + (f" ({'; '.join(figures['failed'])})" if figures["failed"] else ""))  # fmt: skip
    lines.append(f"wall {run['wall_s']} s; CPU this process {run['cpu_s_this_process']} s, others "
                 f"{run['cpu_s_other_processes']}; machine {run['cpus']} CPUs {run['machine_busy_pct']} % busy "
                 f"during the run, load average {run['load_average_1min_end']} at the end")  # fmt: skip
    m = figures["models"]
    lines.append(f"face models: {m.get('self_test_row')} (first patient {m.get('ready_after_attract_s')} s after "
                 f"the attract screen)")  # fmt: skip
    for name, t in figures["machine_time_s"].items():
        lines.append(f"machine time {name:32} first {t['first']:.3f} s  median of the rest {t['median_rest']} s  "
                     f"p95 {t['p95']:.3f} s  n={t['n']}  (card placed → done screen)")  # fmt: skip
    c = figures["first_choice_s"]
    lines.append(f"card placed → first choice (method screen): p50 {c['p50']:.3f} s  p95 {c['p95']:.3f} s  "
                 f"max {c['max']:.3f} s  n={c['n']}")  # fmt: skip
    lines.append("step wall time (first / median of the rest): " + "; ".join(
        f"{name} {w['first']:.3f}/{w['median_rest']} s" for name, w in figures["step_wall_s"].items()))  # fmt: skip
    lines.append("GUI-thread stall per step (10 ms precise timer; a late tick counts for every step it overlaps):")
    for name, g in figures["gui_stall_ms"].items():
        lines.append(f"  {name:16} p50 {g['p50']:6.1f} ms  p99 {g['p99']:6.1f} ms  max {g['max']:6.1f} ms  "
                     f"ticks {g['ticks']:6}  >50 ms {g['over_50ms']}")  # fmt: skip
    if "soak" in figures:
        s = figures["soak"]
        lines.append(
            f"RSS start {s['rss_mb_start']} MB, steady from #{s['steady_from_reception']} "
            f"{s['rss_mb_steady_from']} MB, end {s['rss_mb_end']} MB, max {s['rss_mb_max']} MB; drift "
            f"{s['drift_mb_per_1000']} MB per 1,000 receptions (least squares over the steady part)"
        )
        lines.append(
            f"open fds start/after #1/end {s['fds_start_end'][0]}/{s['fds_after_first_reception']}/"
            f"{s['fds_start_end'][1]}; OS threads {s['threads_start_end'][0]}/"
            f"{s['threads_after_first_reception']}/{s['threads_start_end'][1]}"
        )
        lines.append(f"RSS every 10 %: {s['rss_every_10pct']}")
        for key, label in (("malloc_in_use_mb", "malloc in use"), ("malloc_free_held_mb", "malloc free but held"),
                           ("python_heap_mb", "Python heap (tracemalloc)")):  # fmt: skip
            if f"{key}_every_10pct" in s:
                lines.append(f"{label} every 10 % (MB): {s[f'{key}_every_10pct']}")
    if figures.get("python_heap_growth"):
        lines.append("Python heap growth over the steady part, top lines (tracemalloc, by traceback):")
        lines.extend(f"  {line}" for line in figures["python_heap_growth"])
    return "\n".join(lines)


def run(args: Any, *, soak: bool) -> int:
    parts = Parts(fake=args.fake)
    try:
        count = args.receptions if soak else args.patients
        figures = play(parts, _plan(count, args.face_every), warm_up=not args.no_warm_up, soak=soak,
                       trace_python=soak and args.trace_python)
    finally:
        parts.close()
    label = FAKE_LABEL if args.fake else REAL_LABEL
    figures["note"] = label
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(report(figures, label))
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=1))
    return 1 if figures["failed_count"] else 0
