"""OpenSC as the outside check: an independent client must accept the virtual card as a JPKI card."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from drivers.card.service import MyNumberCardService
from testbench.virtualcard.profile import Variant

pytestmark = [pytest.mark.vpcd, pytest.mark.opensc]
PKCS11 = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_opensc_names_the_jpki_driver(vcard: Callable[..., object]) -> None:
    vcard(Variant.ORDINARY)
    result = run("opensc-tool", "-n")  # the full driver walk, every other driver's probes included
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "jpki"


def test_pkcs15_dump_shows_both_certificates_and_pins(vcard: Callable[..., object]) -> None:
    vcard(Variant.PIN_LAST_TRY)
    result = run("pkcs15-tool", "--dump")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for label in ("User Authentication Certificate", "Digital Signature Certificate",
                  "User Authentication Certificate CA", "Digital Signature Certificate CA"):
        assert f"X.509 Certificate [{label}]" in out
    pins = dict(re.findall(r"PIN \[(.+?)\].*?Tries left\s*:\s*(\d+)", out, re.S))
    assert pins == {"User Authentication PIN": "1", "Digital Signature PIN": "5"}


def test_read_certificate_is_the_profile_certificate_byte_for_byte(
        vcard: Callable[..., object], profile_dir: Callable[..., Path]) -> None:
    vcard(Variant.ORDINARY)
    result = run("pkcs15-tool", "--read-certificate", "01")
    assert result.returncode == 0, result.stderr
    pem = result.stdout[result.stdout.index("-----BEGIN"):]
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    assert der == (profile_dir(Variant.ORDINARY) / "auth_cert.der").read_bytes()


def test_pkcs11_sign_verifies_with_the_certificate(vcard: Callable[..., object], profile_dir: Callable[..., Path],
                                                  tmp_path: Path) -> None:
    vcard(Variant.ORDINARY)
    message, signature = tmp_path / "message", tmp_path / "signature"
    message.write_bytes(b"reception 2026-11-21")
    result = run("pkcs11-tool", "--module", PKCS11, "--slot-index", "0", "--login", "--pin", "1234", "--sign",
                 "--mechanism", "SHA256-RSA-PKCS", "--id", "01", "--input-file", str(message),
                 "--output-file", str(signature))
    assert result.returncode == 0, result.stderr
    cert = x509.load_der_x509_certificate((profile_dir(Variant.ORDINARY) / "auth_cert.der").read_bytes())
    cert.public_key().verify(signature.read_bytes(), message.read_bytes(), padding.PKCS1v15(), hashes.SHA256())


def test_wrong_pin_through_opensc_lowers_the_counter_our_driver_reads(vcard: Callable[..., object]) -> None:
    vcard(Variant.ORDINARY)
    service = MyNumberCardService()
    assert service.auth_pin_tries_left() == 3
    result = run("pkcs15-tool", "--verify-pin", "--auth-id", "01", "--pin", "9999")
    assert result.returncode != 0
    assert service.auth_pin_tries_left() == 2
    dump = run("pkcs15-tool", "--list-pins").stdout
    assert re.search(r"User Authentication PIN.*?Tries left\s*:\s*2", dump, re.S)
