"""`myna-testbench face verify`: card front picture → OCR → 照合番号B → chip photo through pcscd + vpcd →
live analysis of a recorded video → liveness → decision, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from testbench.virtualcard.profile import Variant, read_profile
from testbench.virtualcard.serving import Pcscd

REPO = Path(__file__).resolve().parents[2]
FIX = REPO.parent / "shared" / "fixtures"
pytestmark = [pytest.mark.vpcd, pytest.mark.models]  # needs ../shared/fixtures (CI has it); missing → fail


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "testbench", *args], capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)


def card_picture(profile: Path, out: Path) -> Path:
    """The rendered card front as the kiosk's document camera sees it: flat on a dark surface."""
    card = cv2.imread(str(profile / "front.png"))
    w = 1100  # the card fills most of the document camera's view
    h = round(w * card.shape[0] / card.shape[1])
    scene = np.full((960, 1280, 3), 60, np.uint8)
    y0, x0 = (960 - h) // 2, (1280 - w) // 2
    scene[y0 : y0 + h, x0 : x0 + w] = cv2.resize(card, (w, h), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(out), scene)
    return out


def test_someone_else_in_front_of_the_camera_is_rejected(
    vcard: Callable[..., object], profile_dir: Callable[..., Path], tmp_path: Path
) -> None:
    vcard(Variant.ORDINARY)  # the card holder's photo is Obama's portrait (tests/cardbench.py)
    front = card_picture(profile_dir(Variant.ORDINARY), tmp_path / "front.png")
    issuer = read_profile(profile_dir(Variant.ORDINARY)).pki_dir / "issuer_public.pem"
    result = cli("face", "verify", "--card-front", str(front), "--video",
                 str(FIX / "video/WDA_KatieHill_000.mp4"), "--speed", "3", "--json", "--issuer-key", str(issuer))
    assert result.returncode == 1, result.stderr[-3000:]
    record = json.loads(result.stdout)
    assert record["verdict"] in ("reject", "liveness_failed")
    assert record["verdict"] != "accept"
    assert record["frames_seen"] > 0 and record["model"] == "dlib_face_recognition_resnet_model_v1"
    assert set(record["steps_ms"]) >= {"ocr", "card_read", "capture"}
    if record["verdict"] == "reject":
        assert record["median_distance"] >= record["reject_threshold"]
    secret = json.loads((profile_dir(Variant.ORDINARY) / "profile.json").read_text())["secrets"]["verification_b"]
    assert str(secret) not in result.stdout + result.stderr  # 照合番号B never printed


def test_no_card_is_a_clear_error(pcscd: Pcscd, profile_dir: Callable[..., Path], tmp_path: Path) -> None:
    front = card_picture(profile_dir(Variant.ORDINARY), tmp_path / "front.png")
    result = cli("face", "verify", "--card-front", str(front), "--video", str(FIX / "video/WDA_KatieHill_000.mp4"))
    assert result.returncode == 2
    assert "カードが置かれていません" in result.stderr and "No card" in result.stderr


def test_last_tries_are_never_spent(
    vcard: Callable[..., object], profile_dir: Callable[..., Path], tmp_path: Path
) -> None:
    vcard(Variant.B_LAST_TRY)
    front = card_picture(profile_dir(Variant.B_LAST_TRY), tmp_path / "front.png")
    result = cli("face", "verify", "--card-front", str(front), "--video", str(FIX / "video/WDA_KatieHill_000.mp4"))
    assert result.returncode == 3
    assert "not sent" in result.stderr and "fallback" in result.stderr
