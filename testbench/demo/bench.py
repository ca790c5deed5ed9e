"""The embedded demo: every real part on one machine.

- the virtual card through pcscd + vpcd (one profile per variant, made once under var/demo/cards),
- a recorded video as the face camera and the inserted card's rendered front as the document camera,
- the reference verifier on loopback (seeded from the profiles, this kiosk's device key enrolled),
- the kiosk's real devices (kiosk.app.wiring) with their outbox under var/demo/kiosk.

`DemoBench` also plays the demo's control panel: insert/remove the card, pick the profile and the video.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import KioskConfig
from kiosk.ports import CardPresenceListener

if TYPE_CHECKING:
    from PIL import Image

    from drivers.camera.sources import FrameSource
    from testbench.virtualcard.vpcd import VpcdCard

log = logging.getLogger(__name__)
DEMO_ROOT = Path("var/demo")
FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
# The demo card holder's video and someone else's. The fixtures hold no separate still of either person, so
# the card's portrait is taken from the end of the holder's own video (the camera starts at its beginning);
# the Hamilton clip, which has a still of its own, cuts between shots too often for passive liveness.
VIDEOS = {"same-person": FIXTURES / "video/WDA_KatieHill_000.mp4",
          "other-person": FIXTURES / "video/WDA_AlexandriaOcasioCortez_000.mp4"}
PORTRAIT_AT_S = 7.6
KIOSK_ID = "demo-kiosk"
PHONE_READER = "Virtual PCD 00 01"  # vpcd's second slot: the flat smartphone reader


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _portrait_from(video: Path) -> Image.Image | None:
    """A frame of the card holder's video, cropped to a passport-like portrait around the middle."""
    from PIL import Image

    from drivers.camera.sources import VideoFileSource

    for frame in VideoFileSource(video).frames():
        if frame.t >= PORTRAIT_AT_S:
            rgb = Image.fromarray(frame.image[:, :, ::-1].copy())
            w, h = rgb.size
            return rgb.crop((w // 8, 0, w - w // 8, h))
    return None


def _passive_face_policy(root: Path) -> Path:
    """The demo's face policy: the packaged thresholds with the prompted challenge only when passive evidence
    is weak, over a passive window of 8 s (the demo video's first natural blink comes after 3 s). The demo's face
    camera is a recorded video that cannot answer a prompt (the responsive bench camera,
    testbench/face/responsive.py, measures the challenge); a clinic's kiosk keeps `always_challenge`."""
    import dataclasses
    import json

    from kiosk.face import load_thresholds

    policy = dataclasses.replace(load_thresholds(), always_challenge=False, passive_window_s=8.0)
    path = root / "face-policy-demo.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataclasses.asdict(policy), indent=1))
    return path


class DemoBench:
    def __init__(self, config: KioskConfig, root: Path = DEMO_ROOT, variant: str = "ordinary",
                 video: str = "same-person") -> None:
        from testbench.virtualcard.profile import Variant, make_profile
        from testbench.virtualcard.serving import start_pcscd

        self.root = root
        cards = root / "cards"
        portrait = _portrait_from(VIDEOS["same-person"]) if VIDEOS["same-person"].exists() else None
        for seed, v in enumerate(Variant):
            if not (cards / v.value / "profile.json").exists():
                make_profile(cards / v.value, cards / "pki", v, photo=portrait, seed=seed)
        from testbench.virtualcard.phone import PhoneVariant, make_phone_profile

        for seed, pv in enumerate(PhoneVariant):  # the virtual phones, under the same test PKI directory
            if not (cards / "phones" / pv.value / "phone.json").exists():
                make_phone_profile(cards / "phones" / pv.value, cards / "pki", pv, seed=100 + seed)
        self.variant, self.video = variant, video
        self.phone_variant = PhoneVariant.ANDROID.value
        self._card: VpcdCard | None = None
        self._phone: VpcdCard | None = None
        self.pcscd = start_pcscd()
        self._port = _free_port()
        self.backend_url = f"http://127.0.0.1:{self._port}"
        self._verifier: subprocess.Popen[bytes] | None = None
        try:  # interrupted half-way (Ctrl-C, SIGTERM, a failed start): stop what already runs
            self._verifier = self._start_verifier()
            self.config = replace(config, devices=replace(
                config.devices, reader="Virtual PCD 00 00", phone_reader=PHONE_READER, backend_url=self.backend_url,
                kiosk_id=KIOSK_ID,
                data_dir=str(root / "kiosk"), issuer_public_key=str(cards / "pki" / "issuer_public.pem")),
                face=replace(config.face, thresholds_file=str(_passive_face_policy(root))))
            from kiosk.app.wiring import build_real_devices

            self.real = build_real_devices(self.config, camera=self._face_source,
                                           card_face_camera=self._front_source)
        except BaseException:
            self._stop_verifier()
            self.pcscd.stop()
            raise

    # --- the verifier -----------------------------------------------------------------------------------------

    def _start_verifier(self) -> subprocess.Popen[bytes]:
        from drivers.backend.signing import DeviceKey

        kiosk_dir = self.root / "kiosk"
        kiosk_dir.mkdir(parents=True, exist_ok=True)
        key = DeviceKey.load_or_create(kiosk_dir / "device_key.pem")
        (kiosk_dir / "device_key.pub.pem").write_bytes(key.public_pem())
        port = self._port
        with open(self.root / "verifier.log", "ab") as log_file:  # the child keeps its own copy
            process = subprocess.Popen(
                [sys.executable, "-m", "verifier", "serve", "--port", str(port),
                 "--db", f"sqlite:///{(self.root / 'verifier.db').resolve()}",
                 "--pki", str(self.root / "cards" / "pki"), "--profiles", str(self.root / "cards"),
                 "--face-dir", str(self.root / "face-results"),
                 "--enroll", KIOSK_ID, str(kiosk_dir / "device_key.pub.pem")],
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        try:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"the verifier exited: see {self.root / 'verifier.log'}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        return process
                except OSError:
                    time.sleep(0.1)
            raise RuntimeError("the verifier did not start in 30 s")
        except BaseException:  # also Ctrl-C / SIGTERM while waiting: the child must not outlive the demo
            process.kill()
            process.wait()
            raise

    # --- cameras that follow the control panel ----------------------------------------------------------------

    def _face_source(self) -> FrameSource:
        from drivers.camera.sources import VideoFileSource

        return VideoFileSource(VIDEOS[self.video], loop=True)

    def _front_source(self) -> FrameSource:
        """The document camera's view: the inserted card's printed front lying on the reader's dark top."""
        import numpy as np
        from PIL import Image

        from drivers.camera.sources import StillImageSource

        card = Image.open(self.root / "cards" / self.variant / "front.png").convert("RGB")
        view = Image.new("RGB", (card.width + 240, card.height + 180), (60, 55, 50))
        view.paste(card, (120, 90))
        return StillImageSource(image=np.asarray(view)[:, :, ::-1].copy(), duration_s=3600.0)

    # --- control panel ----------------------------------------------------------------------------------------

    def insert(self, variant: str | None = None) -> None:
        from testbench.virtualcard.serving import insert_and_wait, serve_profile

        self.remove()
        self.variant = variant or self.variant
        self._card = serve_profile(self.root / "cards" / self.variant, port=self.pcscd.port, insert=False)
        insert_and_wait(self._card)

    def remove(self) -> None:
        from testbench.virtualcard.serving import remove_and_wait

        if self._card is not None and self._card.inserted:
            remove_and_wait(self._card)
        self._card = None

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.real.presence.subscribe(listener)

    def hold_phone(self, variant: str | None = None, *, pull_at: int = 0) -> None:
        """A virtual phone on the smartphone reader (vpcd's second slot); `pull_at` > 0: the phone leaves the
        reader at that APDU, in the middle of a read (the fault-injecting card's PULL)."""
        from testbench.virtualcard.faults import Fault, FaultyCard
        from testbench.virtualcard.phone import load_phone_model
        from testbench.virtualcard.serving import insert_and_wait
        from testbench.virtualcard.vpcd import VpcdCard

        self.take_phone()
        self.phone_variant = variant or self.phone_variant
        card = FaultyCard(load_phone_model(self.root / "cards" / "phones" / self.phone_variant))
        card.arm(Fault.PULL if pull_at else None, pull_at)
        self._phone = VpcdCard(card, port=self.pcscd.port + 1)
        card.vpcd = self._phone
        insert_and_wait(self._phone, PHONE_READER)

    def take_phone(self) -> None:
        from testbench.virtualcard.serving import remove_and_wait

        if self._phone is not None and self._phone.inserted:
            remove_and_wait(self._phone, PHONE_READER)
        self._phone = None

    def subscribe_phone(self, listener: CardPresenceListener) -> Callable[[], None]:
        assert self.real.phone_presence is not None
        return self.real.phone_presence.subscribe(listener)

    def reset_cards(self) -> None:
        """Every card back to its profile's starting counters (a demo run must not inherit a blocked PIN)."""
        cards = self.root / "cards"
        for counters in [*cards.glob("*/counters.json"), *cards.glob("phones/*/counters.json")]:
            counters.unlink()

    def set_verifier_running(self, running: bool) -> None:
        """Take the verification service down (or bring it back) to show the kiosk's outage handling."""
        if running and self._verifier is None:
            self._verifier = self._start_verifier()
        elif not running and self._verifier is not None:
            self._stop_verifier()

    def _stop_verifier(self) -> None:
        if self._verifier is None:
            return
        self._verifier.terminate()
        try:
            self._verifier.wait(10)
        except subprocess.TimeoutExpired:
            self._verifier.kill()
            self._verifier.wait()
        self._verifier = None

    def close(self) -> None:
        self.take_phone()
        self.remove()
        self.real.close()
        self._stop_verifier()
        self.pcscd.stop()
