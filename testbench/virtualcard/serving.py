"""The card test bench: pcscd in the foreground with vsmartcard's vpcd, and virtual cards served to it.

Used by the demo and by the integration tests. pcscd is started with its own reader.conf.d (one vpcd
entry), watched until it is really ready — its socket exists, vpcd's port is listening (read from
/proc/net/tcp: a connect() would itself insert a card) and PC/SC lists the reader — and stopped by PID.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from drivers.card import pcsc
from testbench.virtualcard.applications import load_card_model
from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.vpcd import DEFAULT_PORT, VpcdCard

log = logging.getLogger(__name__)
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Virtual PCD"


class BenchError(RuntimeError):
    pass


def _listening(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    return True
    return False


def reader_slot_name(slot: int = 0) -> str:
    return f"{READER_NAME} 00 {slot:02d}"


@dataclass
class Pcscd:
    """A pcscd we started (`process` set) or one that was already running with the vpcd reader."""

    process: subprocess.Popen[bytes] | None
    log_path: Path | None
    port: int = DEFAULT_PORT
    _config_dir: Path | None = field(default=None, repr=False)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._config_dir is not None:
            shutil.rmtree(self._config_dir, ignore_errors=True)


def start_pcscd(*, port: int = DEFAULT_PORT, timeout: float = 15.0, log_path: Path | None = None,
                apdu_log: bool = False) -> Pcscd:
    """Start pcscd with a vpcd reader on `port`, or reuse a running one that already has it."""
    if PCSCD_SOCKET.exists() and _listening(port) and any(r.startswith(READER_NAME) for r in pcsc.list_readers()):
        return Pcscd(None, None, port)
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    if not Path(binary).exists() or not VPCD_DRIVER.exists():
        raise BenchError("pcscd or vsmartcard-vpcd is not installed (make setup installs them)")
    config_dir = Path(tempfile.mkdtemp(prefix="myna-pcscd-"))
    # pcscd parses every file in its config directory, so the log must live elsewhere.
    (config_dir / "reader.conf.d").mkdir()
    (config_dir / "reader.conf.d" / "vpcd").write_text(
        f'FRIENDLYNAME "{READER_NAME}"\nDEVICENAME /dev/null:{port}\nLIBPATH {VPCD_DRIVER}\nCHANNELID {port}\n')
    log_path = log_path or config_dir / "pcscd.log"
    args = [binary, "--foreground", "--info", "-c", str(config_dir / "reader.conf.d")]
    if apdu_log:
        args += ["--apdu", "--debug"]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    daemon = Pcscd(process, log_path, port, config_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            daemon.stop()
            raise BenchError(f"pcscd exited with {process.returncode}: {log_path.read_text(errors='replace')[-500:]}")
        if PCSCD_SOCKET.exists() and _listening(port) and reader_slot_name() in pcsc.list_readers():
            return daemon
        time.sleep(0.05)
    daemon.stop()
    raise BenchError("pcscd did not come up")


def serve_profile(profile: Path, *, port: int = DEFAULT_PORT, insert: bool = True, slot: int = 0) -> VpcdCard:
    """Serve a card or phone profile on vpcd slot `slot` (vpcd listens on `port` + slot for each)."""
    from testbench.virtualcard.phone import is_phone_profile, load_phone_model

    model = load_phone_model(profile) if is_phone_profile(profile) else load_card_model(profile)
    card = VpcdCard(VirtualMyNumberCard(model), port=port + slot)
    if insert:
        insert_and_wait(card, reader_slot_name(slot))
    return card


def insert_and_wait(card: VpcdCard, reader: str | None = None, timeout: float = 5.0) -> None:
    card.insert()
    pcsc.wait_for_card(reader or reader_slot_name(), present=True, timeout=timeout)


def remove_and_wait(card: VpcdCard, reader: str | None = None, timeout: float = 5.0) -> None:
    card.remove()
    pcsc.wait_for_card(reader or reader_slot_name(), present=False, timeout=timeout)
