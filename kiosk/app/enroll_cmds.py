"""`myna-kiosk enroll --config FILE`: the kiosk's identity for its verifier, made on the kiosk itself.

It makes (or keeps) the Ed25519 device key that signs every result (data dir, mode 0600), and an RSA key and a
certificate signing request for the mutual-TLS client certificate whose subject CN is the kiosk id (the verifier
refuses a certificate without that subject). Private keys never leave the kiosk; what the clinic's IT takes to
the verifier is printed: the device public key and the CSR, with the commands to run there.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    enroll = commands.add_parser("enroll", help="make the kiosk's device key and mTLS certificate request")
    enroll.add_argument("--config", required=True, type=Path, help="kiosk TOML file (kiosk_id, data_dir)")
    enroll.add_argument("--out", type=Path, help="where to write the public key and CSR (default: the data dir)")
    enroll.set_defaults(run=cmd_enroll)


def cmd_enroll(args: argparse.Namespace) -> int:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from drivers.backend.signing import DeviceKey
    from kiosk.app.health import ensure_data_dir
    from kiosk.config import load_config
    from kiosk.errors import KioskError

    try:
        config = load_config(args.config)
        data_dir = Path(config.devices.data_dir)
        ensure_data_dir(data_dir)
        device = DeviceKey.load_or_create(data_dir / "device_key.pem")  # created 0600, never overwritten
    except KioskError as exc:
        print(f"{exc.message()}\n{exc.detail}", file=sys.stderr)
        return 2
    kiosk_id = config.devices.kiosk_id
    out = args.out or data_dir
    out.mkdir(parents=True, exist_ok=True)
    tls_key_path = data_dir / "client_key.pem"
    if tls_key_path.exists():
        loaded = serialization.load_pem_private_key(tls_key_path.read_bytes(), password=None)
        assert isinstance(loaded, rsa.RSAPrivateKey)
        tls_key = loaded
    else:
        tls_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fd = os.open(tls_key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(tls_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, kiosk_id)]))
           .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
           .sign(tls_key, hashes.SHA256()))
    public_path, csr_path = out / f"{kiosk_id}.device.pub.pem", out / f"{kiosk_id}.client.csr.pem"
    public_path.write_bytes(device.public_pem())
    csr_path.write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    print(f"端末ID / kiosk id: {kiosk_id}\n"
          f"  device key  {data_dir / 'device_key.pem'} (0600, stays here); public key → {public_path}\n"
          f"  TLS key     {tls_key_path} (0600, stays here); certificate request (CN={kiosk_id}) → {csr_path}\n"
          f"On the verifier:  myna-verifier enroll --kiosk-id {kiosk_id} --public-key {public_path.name}\n"
          f"Sign {csr_path.name} with the clinic's kiosk CA (the verifier's --client-ca) and set\n"
          f"[devices] client_cert = \"<the signed certificate>\" and client_key = \"{tls_key_path}\".")
    return 0
