"""The demo stops on Ctrl-C / SIGTERM, and so does every process it started (pcscd, the verifier)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def children(pid: int) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.vpcd
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_headless_demo_stops_with_everything_it_started(signum: signal.Signals, tmp_path: Path) -> None:
    demo = subprocess.Popen([sys.executable, "-m", "testbench", "demo", "--headless", "--scenario",
                             "wrong-pin-then-right"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        started: dict[int, str] = {}
        while time.monotonic() < deadline and demo.poll() is None:
            started = children(demo.pid)
            # the bench starts pcscd (unless one with the vpcd reader already runs, as in the suite) before the
            # verifier: once the verifier is there, everything the demo starts is
            if any("verifier" in c for c in started.values()):
                break
            time.sleep(0.2)
        assert any("verifier" in c for c in started.values()), started
        demo.send_signal(signum)
        code = demo.wait(timeout=60)
        assert code == 130, demo.stderr.read().decode()[-2000:] if demo.stderr else code
        time.sleep(0.5)
        left = {pid: cmd for pid, cmd in started.items() if alive(pid)}
        assert not left, f"still running after the demo stopped: {left}"
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()


@pytest.mark.ui
def test_gui_loop_quits_on_sigterm(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from testbench.demo.control import quit_on_signals

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        wake = quit_on_signals(app)
        QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGTERM))
        hung: list[bool] = []  # a loop that ignored the signal is ended by this failsafe, and the test fails
        failsafe = QTimer()
        failsafe.setSingleShot(True)
        failsafe.timeout.connect(lambda: (hung.append(True), app.quit()))
        failsafe.start(30_000)
        app.exec()
        failsafe.stop()
        wake.stop()
        assert not hung, "SIGTERM did not end the Qt loop"
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
