"""The real devices behind the kiosk's ports: the PC/SC card, the document camera with the 照合番号B gate,
the face camera with the live verifier, and the verification backend with its durable outbox.

Used by `myna-kiosk run --config FILE` and, with the embedded bench, by `myna-testbench demo`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.app.health import camera_probe, disk_probe, ensure_data_dir, guarded
from kiosk.app.warmup import ModelWarmUp
from kiosk.cardface import GuardPolicy
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from kiosk.runtime import Probe
from kiosk.runtime_jobs import Devices
from kiosk.verification_b_gate import VerificationBGate

if TYPE_CHECKING:
    from drivers.backend.client import BackendClient
    from drivers.camera.sources import FrameSource
    from drivers.card.pcsc import PcscPresenceSource

log = logging.getLogger(__name__)
STILL_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp"}


def source_factory(spec: str) -> Callable[[], FrameSource]:
    """A camera from its setting: an OpenCV device index or /dev path, a recorded video, or a still image (looped)."""
    from drivers.camera.sources import DeviceSource, StillImageSource, VideoFileSource

    if spec.strip().isdigit():
        index = int(spec)
        return lambda: DeviceSource(index)
    if spec.startswith("/dev/"):  # a V4L2 device by its stable /dev/v4l/by-id/… path
        return lambda: DeviceSource(spec)
    path = Path(spec)
    if path.suffix.lower() in STILL_IMAGE_SUFFIXES:
        return lambda: StillImageSource(path, duration_s=3600.0)
    return lambda: VideoFileSource(path, loop=True)


class RealDevices:
    """Everything `build_devices` made, with what must be stopped when the kiosk closes."""

    def __init__(self, devices: Devices, presence: PcscPresenceSource, probes: dict[str, Probe],
                 client: BackendClient, warm_up: ModelWarmUp, phone_presence: PcscPresenceSource | None = None) -> None:
        self.devices, self.presence, self.probes, self.client = devices, presence, probes, client
        self.warm_up = warm_up  # start() it once the attract screen is up
        self.phone_presence = phone_presence  # the smartphone reader's events, where one is configured

    def close(self) -> None:
        self.client.stop()


def build_real_devices(config: KioskConfig, *, camera: Callable[[], FrameSource] | None = None,
                       card_face_camera: Callable[[], FrameSource] | None = None) -> RealDevices:
    """The devices named in `config`; the demo passes its own camera sources (video, rendered card front)."""
    from drivers.backend.client import BackendClient
    from drivers.backend.http import BackendConfig
    from drivers.backend.reception_backend import VerifierReceptionBackend
    from drivers.camera.chip_photo import chip_photo_preview
    from drivers.card.pcsc import PcscPresenceSource, reader_status
    from drivers.card.phone import SmartphoneService
    from drivers.card.service import MyNumberCardService, load_issuer_keys
    from drivers.cardface.scanner import DocumentCameraFrontReader
    from drivers.face.verifier import LiveFaceVerifier
    from kiosk.face import load_thresholds

    settings = config.devices
    data_dir = Path(settings.data_dir)
    ensure_data_dir(data_dir)  # ConfigError with the reason, before anything writes there
    # No issuer key configured: the chip photo is never accepted (face matching falls back to PIN/staff).
    issuer_keys = load_issuer_keys(settings.issuer_public_key) if settings.issuer_public_key else ()
    card = MyNumberCardService(settings.reader or None, issuer_keys=issuer_keys, extended=None)
    card_face_source = card_face_camera or source_factory(settings.card_face_camera or settings.camera)
    face_source = camera or source_factory(settings.camera)
    front = DocumentCameraFrontReader(card_face_source)
    gate = VerificationBGate(card, front, policy=GuardPolicy(stop_at=config.face.min_verification_b_tries - 1),
                             scan_timeout_s=max(1.0, config.timeouts.card_face_scan_s - 2.0))
    thresholds = load_thresholds(Path(config.face.thresholds_file)) if config.face.thresholds_file else None
    face = LiveFaceVerifier(face_source, thresholds)
    warm_up = ModelWarmUp(lambda: face.warm_up() + front.warm_up())  # dlib + MediaPipe, then Tesseract
    client_cert = (settings.client_cert, settings.client_key) if settings.client_cert else None
    d = config.delivery
    client = BackendClient(BackendConfig(settings.backend_url, ca_bundle=settings.backend_ca or None,
                                         client_cert=client_cert),
                           data_dir / "outbox.sqlite3", data_dir / "device_key.pem", settings.kiosk_id,
                           retry_max_s=d.retry_max_s, quarantine_retry_s=d.quarantine_retry_s,
                           busy_timeout_s=d.outbox_busy_s, reserve_bytes=d.disk_reserve_mb * 1024 * 1024)
    client.start()
    backend = VerifierReceptionBackend(client, answer_wait_s=d.answer_wait_s, software_version=__version__,
                                       submit_deadline_s=config.timeouts.submit_s, pin_proofs=d.pin_proofs)

    def backend_health() -> tuple[bool, str]:
        health = client.health()
        return health.ok, f"{health.latency_ms:.0f} ms" if health.ok else health.detail

    def quarantine() -> str:
        outbox = client.status().outbox
        if outbox.quarantined:
            codes = ", ".join(outbox.refusal_codes)
            raise KioskError(f"{outbox.quarantined} result(s) refused by the verifier ({codes})")
        return "0"

    # The self-test's rows (the runtime adds the outbox depth); the ESSENTIAL ones decide out-of-service.
    probes: dict[str, Probe] = {
        "reader": guarded(lambda: reader_status(settings.reader or None)),
        "card_face_camera": camera_probe(card_face_source),
        "face_camera": camera_probe(face_source),
        "face_models": warm_up.probe,
        "backend": backend_health,
        "quarantine": guarded(quarantine),
        "disk": disk_probe(data_dir),
    }
    phone = SmartphoneService(settings.phone_reader) if settings.phone_reader else None
    if settings.phone_reader:
        probes["phone_reader"] = guarded(lambda: reader_status(settings.phone_reader))
    devices = Devices(card=gate, scanner=gate, face=face, backend=backend, photo_preview=chip_photo_preview,
                      phone=phone,
                      # a phone held on the card reader is recognised there and the patient told where to go
                      phone_on_card_reader=SmartphoneService(settings.reader or None))
    phone_presence = PcscPresenceSource(settings.phone_reader) if settings.phone_reader else None
    return RealDevices(devices, PcscPresenceSource(settings.reader or None), probes, client, warm_up,
                       phone_presence)


def build_devices(config: KioskConfig) -> tuple[Devices, PcscPresenceSource, dict[str, Probe], ModelWarmUp]:
    """What `myna-kiosk run` asks for (the backend client keeps running until the process ends)."""
    real = build_real_devices(config)
    return real.devices, real.presence, real.probes, real.warm_up


def phone_presence_source(config: KioskConfig) -> PcscPresenceSource | None:
    """The smartphone reader's presence events (a second PC/SC reader), or None without one."""
    from drivers.card.pcsc import PcscPresenceSource

    reader = config.devices.phone_reader
    return PcscPresenceSource(reader) if reader else None
