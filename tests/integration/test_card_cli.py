"""`myna-kiosk card …`, `virtual-card make` and `bench card`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from testbench.virtualcard.profile import Variant, read_profile
from testbench.virtualcard.serving import Pcscd, remove_and_wait

pytestmark = pytest.mark.vpcd


def cli(*args: str, module: str = "kiosk") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_card_info_json(vcard: Callable[..., object], profile_dir: Callable[..., Path]) -> None:
    vcard(Variant.B_LAST_TRY)
    result = cli("card", "info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["reader"] == "Virtual PCD 00 00"
    assert info["atr"] == "3B E0 00 FF 81 31 FE 45 14"
    assert info["auth_certificate"]["identifier"] == read_profile(profile_dir(Variant.B_LAST_TRY)).auth_identifier
    assert info["tries_left"] == {"auth_pin": 3, "verification_b": 1}
    assert info["auth_certificate"]["days_to_expiry"] > 0


def test_card_info_human_output_is_japanese_first(vcard: Callable[..., object]) -> None:
    vcard(Variant.PIN_LESS)
    result = cli("card", "info")
    assert result.returncode == 0, result.stderr
    assert "未設定 / not set" in result.stdout and "照合番号B" in result.stdout


def test_card_info_without_card_or_reader_fails_clearly(pcscd: Pcscd) -> None:
    result = cli("card", "info")
    assert result.returncode == 2
    assert "カードが置かれていません" in result.stderr and "No card" in result.stderr


def test_card_photo_writes_the_chip_photo(vcard: Callable[..., object], profile_dir: Callable[..., Path],
                                          tmp_path: Path) -> None:
    vcard(Variant.ORDINARY)
    out = tmp_path / "photo.jp2"
    digits = str(read_profile(profile_dir(Variant.ORDINARY)).secrets["verification_b"])
    issuer = read_profile(profile_dir(Variant.ORDINARY)).pki_dir / "issuer_public.pem"
    result = cli("card", "photo", "--verification-b", digits, "--out", str(out), "--issuer-key", str(issuer))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (profile_dir(Variant.ORDINARY) / "photo.jp2").read_bytes()


def test_card_photo_refuses_the_last_try(vcard: Callable[..., object], profile_dir: Callable[..., Path],
                                         tmp_path: Path) -> None:
    card = vcard(Variant.B_LAST_TRY)
    digits = str(read_profile(profile_dir(Variant.B_LAST_TRY)).secrets["verification_b"])
    issuer = read_profile(profile_dir(Variant.B_LAST_TRY)).pki_dir / "issuer_public.pem"
    result = cli("card", "photo", "--verification-b", digits, "--out", str(tmp_path / "p.jp2"), "--issuer-key",
                 str(issuer))
    assert result.returncode == 3 and "refused" in result.stderr
    assert not (tmp_path / "p.jp2").exists()
    remove_and_wait(card)  # type: ignore[arg-type]
    counters = json.loads((profile_dir(Variant.B_LAST_TRY) / "counters.json").read_text())
    assert 1 in counters.values()  # the counter was not touched


def test_virtual_card_make_all_variants(tmp_path: Path) -> None:
    result = cli("virtual-card", "make", str(tmp_path / "cards"), "--all", "--seed", "3", module="testbench")
    assert result.returncode == 0, result.stderr
    for variant in Variant:
        profile = read_profile(tmp_path / "cards" / variant.value)
        assert profile.variant is variant
        assert (tmp_path / "cards" / variant.value / "front.png").stat().st_size > 10_000
    assert len(list((tmp_path / "cards" / "pki").glob("auth_root_g*.der"))) == 3


def test_bench_card_prints_computed_figures(pcscd: Pcscd) -> None:
    result = cli("bench", "card", "--runs", "3", "--json", module="testbench")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for method in ("face", "pin"):  # issue 15: fewer APDUs than before, never more
        assert 0 < figures[f"{method}_reception_apdus_after"] < figures[f"{method}_reception_apdus_before"]
    assert figures["opensc_apdus"]["auth_certificate"] > 0 and figures["opensc_pin_reception_apdus"] > 0
    assert all(wall > 0 and cpu > 0 for wall, cpu in figures["process_ms"].values())
    assert 0.9 < figures["silent_card_s"]["1.0"] < 2.5 and 4.9 < figures["silent_card_s"]["5.0"] < 6.5


def test_card_photo_refuses_a_swapped_photo(pcscd: Pcscd, profile_dir: Callable[..., Path], tmp_path: Path) -> None:
    """The finding: a card whose 券面 photo was altered had its photo written with exit 0."""
    from testbench.virtualcard.serving import serve_profile

    card_dir = profile_dir(Variant.ORDINARY)
    record = bytearray((card_dir / "card_face.bin").read_bytes())
    photo = (card_dir / "photo.jp2").read_bytes()
    at = record.find(photo) + len(photo) // 2
    record[at] ^= 0x01  # one bit of the photo
    (card_dir / "card_face.bin").write_bytes(bytes(record))
    card = serve_profile(card_dir, port=pcscd.port)
    try:
        digits = str(read_profile(card_dir).secrets["verification_b"])
        out = tmp_path / "photo.jp2"
        result = cli("card", "photo", "--verification-b", digits, "--out", str(out), "--issuer-key",
                     str(read_profile(card_dir).pki_dir / "issuer_public.pem"))
    finally:
        remove_and_wait(card)
    assert result.returncode == 2 and "card_not_authentic" in result.stderr, result.stderr
    assert not out.exists() and "Traceback" not in result.stderr
