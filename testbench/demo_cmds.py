"""`myna-testbench demo` and `myna-testbench bench reception`.

The demo runs on the real parts by default (testbench.demo.bench: the virtual card through pcscd + vpcd,
a recorded video, the rendered card front and the reference verifier on loopback); `--fake` plays the same
kind of patients against in-process FAKE devices (testbench.demo.fakes), and every such output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FAKE_LABEL = "devices: FAKE in-process card, card-face scanner, face verifier and backend (not the real drivers)"
REAL_LABEL = ("devices: virtual My Number card through pcscd + vpcd, recorded video, rendered card front, "
              "reference verifier on loopback")
REPO_OUT = Path.cwd() / "out"


def register(commands: Any, bench: Any) -> None:
    demo = commands.add_parser("demo", help="the whole kiosk with a virtual card, video and local verifier")
    demo.add_argument("--headless", action="store_true", help="play scripted patients offscreen")
    demo.add_argument("--fake", action="store_true", help="in-process fake devices instead of the real parts")
    demo.add_argument("--scenario", default="all", help="scenario name, or 'all' (see --list)")
    demo.add_argument("--list", action="store_true", help="list the scenarios and exit")
    demo.add_argument("--json", action="store_true", help="print the transcript as JSON")
    demo.add_argument("--screenshots", type=Path, default=None, help="write a PNG of each screen here")
    demo.set_defaults(run=cmd_demo)

    reception = bench.add_parser("reception", help="scripted receptions: machine time, GUI stalls, start-up")
    reception.add_argument("--patients", type=int, default=20)
    reception.add_argument("--json", action="store_true")
    reception.set_defaults(run=cmd_bench_reception)


def _offscreen() -> None:
    """Qt offscreen at the kiosk's portrait size; must run before Qt is imported."""
    config = Path(tempfile.gettempdir()) / "myna-kiosk-offscreen.json"
    screen = {"name": "kiosk", "x": 0, "y": 0, "width": 800, "height": 1280, "logicalDpiX": 96, "logicalDpiY": 96,
              "dpr": 1}  # fmt: skip
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# --- demo ---------------------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from testbench.demo.scenarios import SCENARIOS

    if args.fake:
        catalogue = {name: s.about for name, s in SCENARIOS.items()}
    else:
        from testbench.demo.real import REAL_SCENARIOS

        catalogue = {name: r.scenario.about for name, r in REAL_SCENARIOS.items()}
    if args.list:
        for name, about in catalogue.items():
            print(f"{name:30} {about}")
        return 0
    names = list(catalogue) if args.scenario == "all" else args.scenario.split(",")  # one bench for several
    unknown = [n for n in names if n not in catalogue]
    if unknown:
        print(f"unknown scenario {unknown[0]!r}; try --list", file=sys.stderr)
        return 2
    if not args.headless and not _has_display():
        shots = args.screenshots or REPO_OUT / "demo"
        print(f"No display (DISPLAY/WAYLAND_DISPLAY unset): running the headless demo instead; "
              f"a screenshot of each screen goes to {shots}/", file=sys.stderr)  # fmt: skip
        args.screenshots = shots
        args.headless = True
    if args.headless:
        return _demo_headless(names, args.json, args.screenshots, fake=args.fake)
    return _demo_gui(fake=args.fake)


def _demo_headless(names: list[str], as_json: bool, screenshots: Path | None, *, fake: bool) -> int:
    _offscreen()
    from testbench.demo.scenarios import SCENARIOS, ScenarioPlayer

    bench = env = None
    if not fake:
        from testbench.demo.bench import DemoBench
        from testbench.demo.real import REAL_SCENARIOS, RealEnvironment
        from testbench.demo.scenarios import demo_config

        bench = DemoBench(demo_config())
        env = RealEnvironment(bench)
    label = FAKE_LABEL if fake else REAL_LABEL
    results: list[dict[str, Any]] = []
    failed = 0
    try:
        for name in names:
            if env is not None:
                real = REAL_SCENARIOS[name]
                env.prepare(real)
                scenario = real.scenario
            else:
                scenario = SCENARIOS[name]
            player = ScenarioPlayer(scenario, screenshots=screenshots, env=env)
            error = None
            try:
                player.run(timeout_s=20.0 if fake else 60.0)
            except TimeoutError as exc:
                error = str(exc)
                failed += 1
            finally:
                player.close()
            results.append({"scenario": name, "about": scenario.about, "devices": "fake" if fake else "real",
                            "error": error, "lines": [vars(line) for line in player.transcript],
                            "marks": [{"t_ms": t, "action": what} for t, what in player.marks]})  # fmt: skip
    finally:
        if bench is not None:
            bench.close()
    if as_json:
        print(json.dumps({"note": label, "scenarios": results}, ensure_ascii=False, indent=1))
    else:
        print(f"# {label}")
        for r in results:
            print(f"\n## {r['scenario']}: {r['about']}")
            for line in r["lines"]:
                print(f"{line['t_ms']:9.1f} ms  {line['screen']:17} {line['title']}  /  {line['title_en']}")
            if r["error"]:
                print(f"FAILED: {r['error']}")
        print(f"\n{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _demo_gui(*, fake: bool) -> int:
    if fake:
        from testbench.demo.control import run_gui_demo

        return run_gui_demo(FAKE_LABEL)
    from testbench.demo.control import run_real_gui_demo

    return run_real_gui_demo(REAL_LABEL)


# --- bench --------------------------------------------------------------------------------------------------


def _process_age_s() -> float | None:
    """Seconds since this process started (Linux /proc), so start-up includes interpreter and imports."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start
    except (OSError, ValueError, IndexError):
        return None


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def cmd_bench_reception(args: argparse.Namespace) -> int:
    t_cmd = time.perf_counter()
    age_at_cmd = _process_age_s()
    _offscreen()
    from PySide6.QtCore import Qt, QTimer

    from testbench.demo.scenarios import SCENARIOS, ScenarioPlayer

    player = ScenarioPlayer(SCENARIOS["pin"], delay_s=0.0)
    player.wait_until(lambda: player.kiosk.window.model is not None, 5, "attract")
    player.app.processEvents()
    start_to_attract = time.perf_counter() - t_cmd + (age_at_cmd or 0.0)

    lags: list[float] = []
    last = [time.perf_counter()]
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(10)

    def tick() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, (now - last[0]) * 1000 - 10.0))
        last[0] = now

    probe.timeout.connect(tick)
    probe.start()
    times: dict[str, list[float]] = {"pin": [], "face": []}
    for i in range(args.patients):
        name = "pin" if i % 2 == 0 else "face"
        player.scenario = SCENARIOS[name]
        t0 = time.perf_counter()
        for step in SCENARIOS[name].steps:
            player._do(step, 20.0)
            if step == ("wait", "done"):
                times[name].append(time.perf_counter() - t0)
    probe.stop()
    player.close()
    every = times["pin"] + times["face"]
    figures: dict[str, Any] = {
        "note": FAKE_LABEL + "; machine time = card placed → done screen with no human delays and the fakes"
        " answering at once, i.e. the kiosk's own overhead (flow, runtime, rendering); real card, camera and"
        " backend latency comes on top",
        "patients": len(every),
        "reception_s": {"median": statistics.median(every), "p95": _pct(every, 95), "max": max(every)},
        "reception_pin_s_median": statistics.median(times["pin"]),
        "reception_face_s_median": statistics.median(times["face"]),
        "gui_stall_ms": {"p50": _pct(lags, 50), "p99": _pct(lags, 99), "max": max(lags), "ticks": len(lags)},
        "start_to_attract_s": start_to_attract,
        "start_counted_from": "process start" if age_at_cmd is not None else "command start",
        "load_average_1min": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "targets": {"reception_p95_s": 2.0, "gui_stall_p99_ms": 50.0, "start_to_attract_s": 2.0},
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        r, g = figures["reception_s"], figures["gui_stall_ms"]
        print(f"# {figures['note']}")
        print(f"receptions        {len(every)} (pin {len(times['pin'])}, face {len(times['face'])})")
        print(f"reception time    median {r['median']:.3f} s  p95 {r['p95']:.3f} s  max {r['max']:.3f} s  "
              f"(target p95 <= 2 s)")  # fmt: skip
        print(f"GUI-thread stall  p50 {g['p50']:.1f} ms  p99 {g['p99']:.1f} ms  max {g['max']:.1f} ms over "
              f"{g['ticks']} ticks of a 10 ms timer (target p99 <= 50 ms)")  # fmt: skip
        print(f"start to attract  {start_to_attract:.2f} s from {figures['start_counted_from']} (target <= 2 s)")
        load = figures["load_average_1min"]
        print(f"machine           {figures['cpus']} CPUs, load average {load:.1f} during the run")
    return 0
