"""`myna-testbench demo` and `myna-testbench bench reception`.

The demo runs on the real parts by default (testbench.demo.bench: the virtual card through pcscd + vpcd,
a recorded video, the rendered card front and the reference verifier on loopback); `--fake` plays the same
kind of patients against in-process FAKE devices (testbench.demo.fakes), and every such output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FAKE_LABEL = "devices: FAKE in-process card, card-face scanner, face verifier and backend (not the real drivers)"
REAL_LABEL = (
    "devices: virtual My Number card through pcscd + vpcd, recorded video, rendered card front, "
    "reference verifier on loopback"
)
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

    reception = bench.add_parser("reception", help="receptions on the real parts in the real Qt loop: machine "
                                 "time, GUI-thread stall per step, CPU and load")  # fmt: skip
    reception.add_argument("--patients", type=int, default=8)
    soak = bench.add_parser("soak", help="many receptions in one kiosk process (real parts, real Qt loop): RSS "
                            "drift per 1,000, open fds and threads")  # fmt: skip
    soak.add_argument("--receptions", type=int, default=200)
    soak.add_argument("--trace-python", action="store_true",
                      help="follow the Python heap with tracemalloc and name the lines that grew (slower)")
    for parser, face_every in ((reception, 2), (soak, 4)):
        parser.add_argument(
            "--face-every",
            type=int,
            default=face_every,
            help=f"every Nth reception is a face one, the rest PIN (default {face_every}; 0: PIN only)",
        )
        parser.add_argument(
            "--fake",
            action="store_true",
            help="in-process FAKE devices instead of the real parts (labelled so; no goals)",
        )
        parser.add_argument(
            "--no-warm-up",
            action="store_true",
            help="do not load the face models before the first patient (shows the cold start)",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--out", type=Path, help="also write the figures here as JSON")
    reception.set_defaults(run=cmd_bench_reception)
    soak.set_defaults(run=cmd_bench_soak)


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


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def cmd_demo(args: argparse.Namespace) -> int:
    import signal

    # SIGTERM as Ctrl-C: the `finally` blocks stop pcscd, the verifier and the virtual card the demo started;
    # the caller's handler comes back afterwards (tests run the demo in their own process)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _demo(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _demo(args: argparse.Namespace) -> int:
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
        bench.real.warm_up.start()  # as `myna-kiosk run` does once the attract screen is up
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


def cmd_bench_reception(args: argparse.Namespace) -> int:
    _offscreen()
    from testbench.benches.reception_bench import run

    return run(args, soak=False)


def cmd_bench_soak(args: argparse.Namespace) -> int:
    _offscreen()
    from testbench.benches.reception_bench import run

    return run(args, soak=True)
