"""The kiosk's device key: Ed25519, kept in a PEM file readable only by the kiosk user.

Every result body is signed as sent, so the verifier checks exactly the bytes it receives (no JSON
canonicalisation on the other side). The key id is the SHA-256 of the raw public key, which lets the
verifier tell "a key it never enrolled" apart from "the right key, but the body was changed".
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.backend.outbox import SignedResult
from kiosk.errors import ConfigError
from kiosk.reception import ReceptionResult


class DeviceKey:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, path: Path) -> DeviceKey:
        """Load the kiosk's key, creating it (mode 0600) on first start."""
        if not path.exists():
            key = cls.generate()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(key.private_pem())
            return key
        try:
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"device key {path} is damaged: {exc}") from exc
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ConfigError(f"device key {path} is not an Ed25519 key")
        return cls(loaded)

    def private_pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_pem(self) -> bytes:
        """What staff enrol on the verifier for this kiosk."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self._key.sign(body)).decode("ascii")


def sign_result(result: ReceptionResult, key: DeviceKey) -> SignedResult:
    """Freeze the body once: the outbox stores these bytes and every attempt sends them unchanged."""
    body = result.to_bytes()
    # Same card → same key: the outbox keeps that card's results in order (wiped once delivered).
    order_key = hashlib.sha256(result.auth_certificate).hexdigest()
    return SignedResult(result.transaction_id, result.kiosk_id, key.key_id, key.sign(body), body, order_key)
