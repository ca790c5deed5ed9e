"""The verifier's phone rules: a phone certificate chains only to the separate phone root, has no grace, and the
staff page counts phone receptions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from testbench.virtualcard.phone import PhoneVariant, make_phone_profile
from verifier.errors import Refused
from verifier.pki import TrustStore
from verifier.staff import render
from verifier.store import ReceptionRow


def _store(pki: Path) -> TrustStore:
    return TrustStore.from_files([], [pki / "phone_auth_crl.der"], phone_roots=[pki / "phone_auth_root.der"])


def test_phone_certificate_chains_to_the_phone_root_only(tmp_path: Path) -> None:
    phone = make_phone_profile(tmp_path / "android", tmp_path / "pki", PhoneVariant.ANDROID, seed=1)
    trust = _store(tmp_path / "pki")
    der = (phone / "auth_cert.der").read_bytes()
    checked = trust.check(der, phone=True)
    assert checked.phone and checked.status == "valid"
    with pytest.raises(Refused) as refused:
        trust.check(der)  # a card method with a phone certificate
    assert refused.value.code == "certificate_wrong_carrier"


def test_an_expired_phone_certificate_has_no_grace(tmp_path: Path) -> None:
    phone = make_phone_profile(tmp_path / "old", tmp_path / "pki", PhoneVariant.IPHONE_EXPIRED, seed=2)
    der = (phone / "auth_cert.der").read_bytes()
    with pytest.raises(Refused) as refused:
        _store(tmp_path / "pki").check(der, phone=True)  # 30 days past: a card would be in its 3-month grace
    assert refused.value.code == "phone_certificate_expired"


def test_staff_page_counts_phone_receptions() -> None:
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)

    def row(i: int, method: str) -> ReceptionRow:
        return ReceptionRow(i, f"t{i}", "k", now - timedelta(minutes=i), method, "c", "1", "valid", {}, "h")

    page = render([row(1, "smartphone-android"), row(2, "smartphone-iphone"), row(3, "pin")], now)
    assert 'id="phone-count">スマホ / smartphone: 2 件' in page
    assert "スマホ(Android) / smartphone (Android): 1" in page
