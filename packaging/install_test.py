"""Install test: the two packages in a fresh Debian 12 root, then doctor, a headless reception and the watchdog.

1. mmdebstrap a minimal bookworm root (apt variant + systemd) from Debian's mirror.
2. systemd-nspawn (runs here with --register=no --keep-unit; it shares the host network, so apt reaches the
   mirror): `apt-get install ./myna-kiosk_*.deb ./myna-verifier_*.deb`, which pulls in every dependency.
3. `systemd-analyze verify` of the installed units with the real binaries, and `myna-kiosk doctor --json`.
4. A headless reception with the installed kiosk: the test bench (never in the package) is copied into
   /srv/bench for this test only, with vsmartcard-vpcd and the two demo videos, and run with the kiosk's
   Python; the verifier it starts is the packaged one (its site-packages appended to sys.path).
5. The watchdog under a real systemd: the root is booted (`systemd-nspawn -b`), the kiosk unit runs with a
   drop-in that replaces cage (no display in a container) by Qt's offscreen platform and keeps Type=notify,
   WatchdogSec, Restart=always and the hardening; the kiosk process is frozen with SIGSTOP and the time until
   systemd has restarted it and it reports READY (attract screen) again is measured.

Prints the figures and writes them as JSON (--json FILE). Needs root, mmdebstrap, systemd-container.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE_VIDEOS = REPO.parent / "shared" / "fixtures" / "video"
MIRRORS = ["deb http://deb.debian.org/debian bookworm main",
           "deb http://deb.debian.org/debian bookworm-updates main",
           "deb http://deb.debian.org/debian-security bookworm-security main"]
NSPAWN = ["systemd-nspawn", "-q", "--register=no", "--keep-unit", "--resolv-conf=replace-host"]
SCENARIO = "wrong-pin-then-right"

WATCHDOG_DROPIN = """[Service]
# install test only: no display in the container, so the kiosk draws offscreen instead of under cage
ExecStartPre=
ExecStart=
ExecStart=/usr/bin/myna-kiosk run --windowed --config /etc/myna-kiosk/install-test.toml
Environment=QT_QPA_PLATFORM=offscreen
PAMName=
TTYPath=
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
UtmpIdentifier=
StandardInput=null
"""
TEST_CONFIG = '[devices]\nbackend_url = "http://127.0.0.1:9"\ncamera = "0"\n'
MEASURE = r'''
import json, os, signal, subprocess, time

def show():
    out = subprocess.run(["systemctl", "show", "myna-kiosk", "-p", "ActiveState,SubState,NRestarts,MainPID,StatusText"],
                         capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

result = {}
t0 = time.monotonic()
started = subprocess.run(["systemctl", "start", "myna-kiosk"], capture_output=True, text=True)
result["start_to_ready_s"] = round(time.monotonic() - t0, 2)
state = show()
result["first"] = state
result["start_rc"] = started.returncode
if started.returncode == 0 and state.get("ActiveState") == "active":
    pid, restarts = int(state["MainPID"]), int(state["NRestarts"])
    os.kill(pid, signal.SIGSTOP)
    frozen = time.monotonic()
    left_active = None
    deadline = frozen + 120
    while time.monotonic() < deadline:
        state = show()
        if left_active is None and state.get("ActiveState") != "active":
            left_active = time.monotonic()
        if int(state.get("NRestarts", 0)) > restarts and state.get("ActiveState") == "active" \
                and int(state.get("MainPID", 0)) not in (0, pid):
            break
        time.sleep(0.05)
    back = time.monotonic()
    result.update(freeze_to_attract_again_s=round(back - frozen, 2),
                  watchdog_fired_after_s=round((left_active or back) - frozen, 2),
                  kill_to_attract_again_s=round(back - (left_active or back), 2), after=state)
doctor = subprocess.run(["myna-kiosk", "doctor", "--json"], capture_output=True, text=True)
try:
    result["doctor_booted"] = [f"{c['status']} {c['name']}: {c['detail']}" for c in json.loads(doctor.stdout)["checks"]]
except ValueError:
    result["doctor_booted"] = doctor.stdout[-1500:] + doctor.stderr[-1500:]
journal = subprocess.run(["journalctl", "-u", "myna-kiosk", "-o", "cat", "--no-pager"], capture_output=True,
                         text=True).stdout
result["journal_tail"] = journal.splitlines()[-25:]
json.dump(result, open("/watchdog.json", "w"), indent=1)
subprocess.run(["systemctl", "poweroff"])
'''
RUNNER_UNIT = """[Unit]
Description=install test: measure the kiosk watchdog
After=multi-user.target pcscd.socket
[Service]
Type=oneshot
ExecStart=/usr/bin/python3.11 /root/measure_watchdog.py
[Install]
WantedBy=multi-user.target
"""


def sh(args: list[str], *, timeout: float = 1800, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n"
                         f"{result.stderr[-3000:]}")
    return result


def inside(root: Path, command: str, *, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return sh([*NSPAWN, "-D", str(root), "--pipe", "/bin/sh", "-c", command], check=check, timeout=timeout)


def timed(figures: dict[str, object], name: str, action: object) -> object:
    started = time.monotonic()
    value = action() if callable(action) else None
    figures[name] = round(time.monotonic() - started, 1)
    print(f"{name}: {figures[name]} s", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debs", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "install-test")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--skip-watchdog", action="store_true")
    args = parser.parse_args(argv)
    debs = sorted(args.debs.glob("myna-*_amd64.deb"))
    if {d.name.split("_")[0] for d in debs} != {"myna-kiosk", "myna-verifier"}:
        raise SystemExit(f"need one myna-kiosk and one myna-verifier .deb in {args.debs} (make deb)")
    root = args.work / "root"
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    figures: dict[str, object] = {"packages": {d.name: round(d.stat().st_size / 2**20, 1) for d in debs}}

    timed(figures, "fresh_root_s", lambda: sh(["mmdebstrap", "--variant=apt", "--include=systemd,systemd-sysv,dbus,"
                                               "ca-certificates", "bookworm", str(root), *MIRRORS]))
    (root / "root" / "debs").mkdir(parents=True)  # nspawn mounts a tmpfs on /tmp
    for deb in debs:
        shutil.copy2(deb, root / "root" / "debs" / deb.name)
    started = time.monotonic()
    timed(figures, "install_s", lambda: inside(root, "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                                               "apt-get install -y -qq --no-install-recommends /root/debs/*.deb"))
    figures["installed_mib"] = int(inside(root, "du -sm /opt/myna-kiosk /opt/myna-verifier | awk '{s+=$1} END "
                                          "{print s}'").stdout.strip() or 0)
    figures["user"] = inside(root, "id myna-kiosk").stdout.strip()
    verify = inside(root, "systemd-analyze verify /lib/systemd/system/myna-kiosk.service "
                          "/lib/systemd/system/myna-verifier.service 2>&1", check=False)
    figures["systemd_analyze_verify"] = verify.stdout.strip() or "clean"
    doctor = inside(root, "myna-kiosk doctor --json", check=False)
    figures["doctor_rc"] = doctor.returncode
    try:  # systemd-nspawn may add a line of its own after the JSON
        report, _ = json.JSONDecoder().raw_decode(doctor.stdout[doctor.stdout.index("{"):])
        figures["doctor"] = [f"{c['status']} {c['name']}: {c['detail']}" for c in report["checks"]]
    except (ValueError, KeyError):
        figures["doctor"] = doctor.stdout[-2000:] + doctor.stderr[-2000:]

    # the headless reception: the test bench and its fixtures are copied in for this test only
    bench = root / "srv" / "bench"
    shutil.copytree(REPO / "testbench", bench / "src" / "testbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURE_VIDEOS, bench / "shared" / "fixtures" / "video")
    # The bench starts `python -m verifier`: the packaged verifier's site-packages go *after* the kiosk's
    # (on PYTHONPATH they would come first and its own small `assets` package would hide the kiosk's).
    (bench / "src" / "sitecustomize.py").write_text(
        "import sys\nsys.path.append('/opt/myna-verifier/venv/lib/python3.11/site-packages')\n")
    inside(root, "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends vsmartcard-vpcd "
                 "fonts-ipafont-gothic")  # the bench's virtual card reader and the font of its card front
    reception = timed(figures, "headless_reception_s", lambda: inside(
        root, "cd /srv/bench && QT_QPA_PLATFORM=offscreen PYTHONPATH=/srv/bench/src "
              "/opt/myna-kiosk/venv/bin/python -m testbench "
              f"demo --headless --scenario {SCENARIO}", check=False, timeout=600))
    assert isinstance(reception, subprocess.CompletedProcess)
    figures["reception_rc"] = reception.returncode
    figures["reception_tail"] = (reception.stdout + reception.stderr).strip().splitlines()[-4:]
    figures["install_to_first_reception_s"] = round(time.monotonic() - started, 1)

    if not args.skip_watchdog:
        dropin = root / "etc" / "systemd" / "system" / "myna-kiosk.service.d"
        dropin.mkdir(parents=True)
        (dropin / "install-test.conf").write_text(WATCHDOG_DROPIN)
        (root / "etc" / "myna-kiosk" / "install-test.toml").write_text(TEST_CONFIG)
        (root / "root" / "measure_watchdog.py").write_text(MEASURE)
        (root / "etc" / "systemd" / "system" / "measure-watchdog.service").write_text(RUNNER_UNIT)
        wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
        wants.mkdir(exist_ok=True)
        (wants / "measure-watchdog.service").symlink_to("/etc/systemd/system/measure-watchdog.service")
        timed(figures, "watchdog_boot_s", lambda: sh([*NSPAWN, "-b", "-D", str(root)], check=False, timeout=600))
        result = root / "watchdog.json"
        figures["watchdog"] = json.loads(result.read_text()) if result.exists() else "no result (boot failed?)"

    text = json.dumps(figures, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text)
    ok = figures["reception_rc"] == 0 and figures["systemd_analyze_verify"] == "clean"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
