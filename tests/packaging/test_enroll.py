"""`myna-kiosk enroll`: the device key and the mTLS request are made on the kiosk with safe permissions, kept
across runs, and what goes to the verifier is only public material that it accepts."""

from __future__ import annotations

import stat
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from kiosk.app.cli import main


def test_enroll_makes_private_keys_0600_and_a_csr_naming_the_kiosk(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[devices]\nkiosk_id = "clinic-7"\ndata_dir = "{data}"\n')
    assert main(["enroll", "--config", str(config)]) == 0
    for name in ("device_key.pem", "client_key.pem"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600
    csr = x509.load_pem_x509_csr((data / "clinic-7.client.csr.pem").read_bytes())
    assert csr.is_signature_valid
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "clinic-7"
    public = (data / "clinic-7.device.pub.pem").read_bytes()
    assert b"PRIVATE" not in public and b"PRIVATE" not in (data / "clinic-7.client.csr.pem").read_bytes()
    before = (data / "device_key.pem").read_bytes(), (data / "client_key.pem").read_bytes()
    assert main(["enroll", "--config", str(config)]) == 0  # a second run keeps the keys (the verifier knows them)
    assert ((data / "device_key.pem").read_bytes(), (data / "client_key.pem").read_bytes()) == before
    assert (data / "clinic-7.device.pub.pem").read_bytes() == public


def test_the_verifier_enrols_the_printed_public_key(tmp_path: Path) -> None:
    from verifier.cli import main as verifier

    data = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[devices]\nkiosk_id = "clinic-8"\ndata_dir = "{data}"\n')
    assert main(["enroll", "--config", str(config)]) == 0
    db = f"sqlite:///{tmp_path / 'v.db'}"
    assert verifier(["enroll", "--kiosk-id", "clinic-8", "--public-key", str(data / "clinic-8.device.pub.pem"),
                     "--db", db]) == 0


def test_enroll_with_an_unwritable_data_dir_says_why(tmp_path: Path, capsys: object) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[devices]\nkiosk_id = "k"\ndata_dir = "{blocked / "data"}"\n')
    assert main(["enroll", "--config", str(config)]) == 2
    assert "Traceback" not in capsys.readouterr().err  # type: ignore[attr-defined]
