"""Kiosk settings: frozen dataclasses loaded from a TOML file, with a clear ConfigError on a damaged one.

Every section and key has a default, so an empty file is a valid configuration for the demo. Unknown keys
and wrong types are errors (a typo in a timeout must not silently fall back to the default).
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError

# Consent screens the kiosk knows, in the order they are asked. Ids match kiosk.reception.ConsentItem values
# where one exists; "comprehensive", "limit_info" and "prescription_form" are screens, not OQS items.
# The 包括同意 screen's "consent_all" stands for these four (docs/reception-flow.md §2).
COMPREHENSIVE_CONSENT_ITEMS = ("diagnosis", "pharmacists", "operation", "specific_health_checkups")
ITEMS_2025 = ("diagnosis_name", "infectious", "allergy", "other_allergy", "test", "prescription_info")
KNOWN_CONSENT_SCREENS = (
    "comprehensive",
    *COMPREHENSIVE_CONSENT_ITEMS,
    "limit_info",
    "specific_diseases",
    "public_expense",
    "prescription_form",
    *ITEMS_2025,
)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Every waiting state has one; job states use theirs as the bounded wait."""

    notice_s: float = 6.0  # how long a message stays on the idle screen
    reading_s: float = 20.0
    choice_s: float = 60.0  # any screen waiting for the patient to touch something
    card_face_scan_s: float = 20.0
    chip_photo_s: float = 20.0
    face_capture_s: float = 25.0
    pin_entry_s: float = 60.0
    pin_verify_s: float = 20.0
    consent_s: float = 90.0
    submit_s: float = 15.0
    card_left_alarm_s: float = 4.0  # grace before the "take your card" alarm sounds
    staff_s: float = 120.0
    still_there_s: float = 20.0  # 「まだ続けますか？」: the warning's own countdown before a patient screen times out
    visual_check_arm_s: float = 300.0  # staff visual-check mode disarms itself after this


@dataclass(frozen=True)
class FacePolicy:
    max_attempts: int = 3  # capture attempts before only PIN / staff are offered
    # The 照合番号B counter (10 tries, shared by every reader the card ever met) is never run down by the
    # kiosk: below this many tries left the face path is not offered and no VERIFY is sent.
    min_verification_b_tries: int = 3
    # The face thresholds and liveness policy (kiosk/face.py FaceThresholds as JSON); empty: the packaged one.
    thresholds_file: str = ""


@dataclass(frozen=True)
class CertificatePolicy:
    renewal_notice_days: int = 90  # 3 months before expiry: renewal notice
    grace_days: int = 90  # 3 months after expiry: eligibility only


@dataclass(frozen=True)
class ConsentPolicy:
    """Facility consent configuration (施設ごとの同意設定)."""

    comprehensive: bool = True  # 包括同意 first, with "choose individually"
    items: tuple[str, ...] = (
        *COMPREHENSIVE_CONSENT_ITEMS,
        "limit_info",
        "specific_diseases",
        "public_expense",
        "prescription_form",
    )


@dataclass(frozen=True)
class StaffPolicy:
    pin_hash: str = ""  # kiosk.staff.hash_pin(); empty = staff mode disabled
    max_failures: int = 5
    lockout_s: float = 300.0


@dataclass(frozen=True)
class DeviceSettings:
    reader: str = ""  # the card reader: PC/SC reader name substring; empty = first reader
    # The flat 汎用 NFC reader for スマホのマイナ保険証 (name substring); empty = no smartphone reader (no スマホ
    # choice on the idle screen). With one set, `reader` must name the card reader so the two never coincide.
    phone_reader: str = ""
    camera: str = "0"  # OpenCV index or a video file
    card_face_camera: str = ""  # OpenCV index, a video file or a still image of the card front
    backend_url: str = "http://127.0.0.1:8080"
    kiosk_id: str = "kiosk-01"
    data_dir: str = "/var/lib/myna-kiosk"  # the outbox and the kiosk's device key
    backend_ca: str = ""  # the verifier's CA bundle (PEM); empty = the system store
    client_cert: str = ""  # PEM certificate and key for mutual TLS; empty = none
    client_key: str = ""
    issuer_public_key: str = ""  # 券面 issuer key(s): PEM file or directory; empty = the chip photo is never used


@dataclass(frozen=True)
class DeliveryPolicy:
    """How results reach the verifier. Every local wait is bounded below `timeouts.submit_s` (checked)."""

    outbox_busy_s: float = 2.0  # longest wait for the outbox's write lock
    answer_wait_s: float = 3.0  # how long the patient waits for the verifier's answer before "recorded"
    disk_reserve_mb: int = 64  # below this much free disk the kiosk is out of service (never half-written)
    retry_max_s: float = 300.0  # per-result backoff cap (exponential, jittered) while a result gets no verdict
    quarantine_retry_s: float = 3600.0  # a refused result is offered again this often (or when staff ask)
    pin_proofs: bool = True  # the card signs the kiosk's own proof (kiosk.proof) instead of a live challenge


@dataclass(frozen=True)
class KioskConfig:
    facility_code: str = "0000000000"
    default_lang: str = "ja"
    timeouts: Timeouts = field(default_factory=Timeouts)
    face: FacePolicy = field(default_factory=FacePolicy)
    certificate: CertificatePolicy = field(default_factory=CertificatePolicy)
    consent: ConsentPolicy = field(default_factory=ConsentPolicy)
    staff: StaffPolicy = field(default_factory=StaffPolicy)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)


LANGUAGES = ("ja", "en", "zh", "ko")


def load_config(path: str | Path) -> KioskConfig:
    """Read and validate a TOML file; every problem is a ConfigError naming the file and the key."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return config_from_mapping(raw, where=str(path))


def config_from_mapping(raw: dict[str, Any], where: str = "config") -> KioskConfig:
    config = _build(KioskConfig, raw, where)
    _check(config, where)
    return config


def _build(cls: type[Any], raw: object, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, value in raw.items():
        values[name] = _coerce(hints[name], value, f"{where}.{name}")
    return cls(**values)


def _coerce(hint: Any, value: object, where: str) -> Any:
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, value, where)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: expected a number, got {type(value).__name__}")
        return float(value)
    if hint is int or hint is bool or hint is str:
        if type(value) is not hint:
            raise ConfigError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
        return value
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings")
        return tuple(value)
    raise ConfigError(f"{where}: unsupported setting type")  # pragma: no cover - a programming error


def _check(config: KioskConfig, where: str) -> None:
    for f in dataclasses.fields(config.timeouts):
        if getattr(config.timeouts, f.name) <= 0:
            raise ConfigError(f"{where}: timeouts.{f.name} must be positive")
    d = config.delivery
    if config.timeouts.submit_s <= d.outbox_busy_s + d.answer_wait_s + 1.0:  # one honest deadline
        raise ConfigError(f"{where}: timeouts.submit_s must exceed delivery.outbox_busy_s + delivery.answer_wait_s"
                          " + 1 s, so a stored reception is never reported as failed")
    if d.disk_reserve_mb < 1 or min(d.outbox_busy_s, d.answer_wait_s, d.retry_max_s, d.quarantine_retry_s) <= 0:
        raise ConfigError(f"{where}: delivery settings must be positive")
    if config.default_lang not in LANGUAGES:
        raise ConfigError(f"{where}: default_lang must be one of {', '.join(LANGUAGES)}")
    unknown = [i for i in config.consent.items if i not in KNOWN_CONSENT_SCREENS or i == "comprehensive"]
    if unknown:
        raise ConfigError(f"{where}: consent.items has unknown item(s) {', '.join(unknown)}")
    if config.face.max_attempts < 1 or config.staff.max_failures < 1:
        raise ConfigError(f"{where}: face.max_attempts and staff.max_failures must be at least 1")
    dev = config.devices
    if dev.phone_reader and (not dev.reader or dev.reader in dev.phone_reader or dev.phone_reader in dev.reader):
        raise ConfigError(f"{where}: devices.phone_reader is set, so devices.reader must name the card reader, and"
                          " neither name may contain the other")
    if config.staff.pin_hash and not config.staff.pin_hash.startswith("scrypt$"):
        raise ConfigError(f"{where}: staff.pin_hash must be made by `myna-kiosk staff-pin-hash`")
