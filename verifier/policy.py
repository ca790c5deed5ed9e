"""The verifier's own acceptance policy. The kiosk's figures (its distance, thresholds, liveness, clock) are
recorded with each reception, but whether a reception is accepted is decided here, from this file.

`Policy.load(path)` reads TOML (all keys optional; defaults below):

    allowed_methods = ["face", "pin", "visual"]
    face_require_liveness = false          # true: only liveness "passed"; "failed" is always refused
    [face_max_distance]                    # per model: the largest distance accepted
    dlib_face_recognition_resnet_model_v1 = 0.50
    [grace]
    months = 3                             # an expired certificate is accepted this long (eligibility only)
    medical_consents = false               # in the certificate grace period: eligibility only
    [delay]
    max_age_days = 14                      # oldest delayed result accepted (an outage of ≥ 7 days survives)
    delayed_after_s = 120                  # older than this at arrival: flagged delayed
    clock_skew_s = 300                     # signed_at may be this far in the verifier's future
    [rate]                                 # tokens per second / burst
    kiosk_results = [50.0, 500.0]
    kiosk_lookups = [0.5, 20.0]            # challenges and "is this card registered"
    address = [400.0, 800.0]               # every request from one address
    address_failures = [0.2, 20.0]         # failed authentication (kiosk or staff) per address
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from verifier.ratelimit import Rate

PHONE_METHODS = frozenset({"smartphone-android", "smartphone-iphone"})
METHODS = frozenset({"face", "pin", "visual"}) | PHONE_METHODS


@dataclass(frozen=True)
class Policy:
    allowed_methods: frozenset[str] = METHODS
    face_max_distance: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"dlib_face_recognition_resnet_model_v1": 0.50}))
    face_require_liveness: bool = False
    grace_months: int = 3
    grace_medical_consents: bool = False
    max_age: timedelta = timedelta(days=14)
    delayed_after: timedelta = timedelta(seconds=120)
    clock_skew: timedelta = timedelta(seconds=300)
    kiosk_results: Rate = Rate(50.0, 500.0)  # noqa: RUF009  (frozen)
    kiosk_lookups: Rate = Rate(0.5, 20.0)  # noqa: RUF009  (frozen)
    address: Rate = Rate(400.0, 800.0)  # noqa: RUF009  (frozen)
    address_failures: Rate = Rate(0.2, 20.0)  # noqa: RUF009  (frozen)

    def __post_init__(self) -> None:
        if not self.allowed_methods <= METHODS:
            raise ValueError(f"unknown methods {sorted(self.allowed_methods - METHODS)}")
        if any(not 0 < d <= 2 for d in self.face_max_distance.values()):
            raise ValueError("face_max_distance values must be in (0, 2]")
        if not 0 <= self.grace_months <= 12:
            raise ValueError("grace months must be in [0, 12]")

    @classmethod
    def load(cls, path: Path) -> Policy:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        known = {"allowed_methods", "face_max_distance", "face_require_liveness", "grace", "delay", "rate"}
        if unknown := set(data) - known:
            raise ValueError(f"unknown policy keys {sorted(unknown)}")
        base = cls()
        delay, rate, grace = data.get("delay", {}), data.get("rate", {}), data.get("grace", {})

        def rate_of(name: str) -> Rate:
            value = rate.get(name)
            current: Rate = getattr(base, name)
            return current if value is None else Rate(float(value[0]), float(value[1]))

        return cls(
            allowed_methods=frozenset(data.get("allowed_methods", base.allowed_methods)),
            face_max_distance=MappingProxyType({str(k): float(v) for k, v in
                                                data.get("face_max_distance", base.face_max_distance).items()}),
            face_require_liveness=bool(data.get("face_require_liveness", base.face_require_liveness)),
            grace_months=int(grace.get("months", base.grace_months)),
            grace_medical_consents=bool(grace.get("medical_consents", base.grace_medical_consents)),
            max_age=timedelta(days=float(delay.get("max_age_days", base.max_age.days))),
            delayed_after=timedelta(seconds=float(delay.get("delayed_after_s", base.delayed_after.total_seconds()))),
            clock_skew=timedelta(seconds=float(delay.get("clock_skew_s", base.clock_skew.total_seconds()))),
            kiosk_results=rate_of("kiosk_results"), kiosk_lookups=rate_of("kiosk_lookups"),
            address=rate_of("address"), address_failures=rate_of("address_failures"),
        )
