"""The 券面 issuer keys the kiosk trusts: the public keys whose signature makes a card-face record usable.

Configured as one path: a PEM file holding one or more public keys, or a directory of `*.pem` files (a key
rotation adds a file). The virtual profiles' test PKI writes `issuer_public.pem`.
"""

from __future__ import annotations

import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.errors import ConfigError

_PEM_BLOCK = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


def load_issuer_keys(path: str | Path) -> tuple[rsa.RSAPublicKey, ...]:
    """Every RSA public key in `path`; ConfigError when the path holds none or cannot be read."""
    where = Path(path)
    files = sorted(where.glob("*.pem")) if where.is_dir() else [where]
    keys: list[rsa.RSAPublicKey] = []
    for file in files:
        try:
            blocks = _PEM_BLOCK.findall(file.read_bytes())
        except OSError as exc:
            raise ConfigError(f"issuer key file {file}: {exc.strerror}") from exc
        for block in blocks:
            try:
                key = serialization.load_pem_public_key(block)
            except ValueError as exc:
                raise ConfigError(f"issuer key file {file}: not a public key") from exc
            if not isinstance(key, rsa.RSAPublicKey):
                raise ConfigError(f"issuer key file {file}: not an RSA key")
            keys.append(key)
    if not keys:
        raise ConfigError(f"no issuer public key in {where}")
    return tuple(keys)
