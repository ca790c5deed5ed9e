"""BackendClient as the kiosk runtime uses it, against the real verifier on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.backend.client import BackendClient
from drivers.backend.delivery import RetryPolicy
from drivers.backend.http import BackendConfig
from drivers.backend.signing import DeviceKey
from kiosk.errors import ConfigError
from kiosk.reception import Validity
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    face_result,
    jpki_fixture,
    pin_result,
    postgres_fixture,
)

pytestmark = pytest.mark.server  # a real server process or database on loopback


def test_record_then_answer_for_face_and_pin(env: Env, tmp_path: Path) -> None:
    client = BackendClient(BackendConfig(env.url), tmp_path / "kiosk" / "outbox.db", tmp_path / "kiosk" / "device.pem",
                           "kiosk-2")
    env.verifier.enroll("kiosk-2", client.key.public_pem())
    client.start()
    try:
        face = face_result("kiosk-2", env.cards.ordinary.cert_der)
        client.record(face)
        answer = client.answer(face.transaction_id, timeout=10)
        assert answer is not None and answer.validity is Validity.VALID

        challenge = client.fetch_challenge(wait=3)
        pin = pin_result("kiosk-2", env.cards.unregistered, challenge.challenge_id, challenge.value,
                         registration=True)
        client.record(pin)
        pin_answer = client.answer(pin.transaction_id, timeout=10)
        assert pin_answer is not None and pin_answer.registration == "registered_now"

        revoked = face_result("kiosk-2", env.cards.revoked.cert_der)
        client.record(revoked)
        assert client.answer(revoked.transaction_id, timeout=10) is None  # stored, refused: held, not lost
        assert client.outbox.answer_for(revoked.transaction_id) == ("quarantined", {"error": "certificate_revoked"})
        status = client.status()
        assert status.outbox.quarantined == 1 and client.health().ok
        assert "certificate_revoked" in status.staff_message and "正常" not in status.staff_message
        assert env.verifier.store.all_transaction_ids() == [face.transaction_id, pin.transaction_id]
        with pytest.raises(ValueError):
            client.record(face_result("kiosk-other", env.cards.ordinary.cert_der))
    finally:
        client.stop()


def test_device_key_is_created_once_and_a_damaged_one_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "device.pem"
    first = DeviceKey.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert DeviceKey.load_or_create(path).key_id == first.key_id
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConfigError):
        DeviceKey.load_or_create(path)


def test_a_kiosk_not_yet_enrolled_keeps_its_results_until_it_is(env: Env, tmp_path: Path) -> None:
    import time

    client = BackendClient(BackendConfig(env.url, retries=0), tmp_path / "outbox.db", tmp_path / "device.pem",
                           "kiosk-late", policy=RetryPolicy(quarantine_retry_s=3600, idle_poll_s=0.05))
    client.start()
    try:
        result = face_result("kiosk-late", env.cards.ordinary.cert_der)
        client.record(result)
        assert client.answer(result.transaction_id, timeout=1.0) is None
        status = client.status()
        assert status.outbox.quarantined == 1 and status.outbox.pending == 0
        assert "kiosk_unknown" in status.staff_message
        env.verifier.enroll("kiosk-late", client.key.public_pem())
        assert client.answer(result.transaction_id, timeout=0.5) is None  # slow cadence: not re-sent yet …
        assert client.retry_quarantined() == 1  # … until staff ask
        answer = client.answer(result.transaction_id, timeout=10)
        assert answer is not None and answer.validity is Validity.VALID
        deadline = time.monotonic() + 5
        while not client.status().backend_reachable and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.status().staff_message.startswith("確認サービス: 正常")
    finally:
        client.stop()
