"""The kiosk client against the real verifier on loopback, on SQLite and on PostgreSQL. No mocked HTTP."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.outbox import SignedResult
from drivers.backend.signing import DeviceKey, sign_result
from kiosk.errors import BackendRejected, BackendUnavailable
from kiosk.reception import Method, Validity, VisualEvidence, new_transaction_id
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    PostgresCluster,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    face_result,
    jpki_fixture,
    pin_result,
    postgres_fixture,
    start_env,
)
from verifier.service import Verifier
from verifier.watched_folder import LEDGER

pytestmark = pytest.mark.server  # a real server process or database on loopback


def client(env: Env) -> RequestsBackend:
    return RequestsBackend(BackendConfig(env.url, connect_timeout=2, read_timeout=10, retries=1, backoff=0.05))


def refused(env: Env, signed: SignedResult) -> str:
    backend = client(env)
    with pytest.raises(BackendRejected) as caught:
        backend.submit(signed)
    backend.close()
    return caught.value.reason


def answer_json_name(env: Env, transaction_id: str) -> str:
    answer = env.verifier.answer_for(transaction_id)
    assert answer is not None
    return str(answer["face_xml"])


def test_face_reception_is_accepted_with_consents_and_face_xml(env: Env) -> None:
    result = face_result(env.kiosk_id, env.cards.ordinary.cert_der)
    answer = client(env).submit(sign_result(result, env.key))

    assert answer.transaction_id == result.transaction_id
    assert answer.validity is Validity.VALID
    assert answer.registration == "registered" and not answer.eligibility_only
    flags = {c.item: c for c in answer.consents}
    assert flags["pharmacists"].flag == "1" and flags["operation"].flag == "0"
    assert flags["limit_application"].flag == "1"
    window = flags["pharmacists"].available_until - flags["pharmacists"].consent_time  # type: ignore[operator]
    assert window == timedelta(hours=24)

    env.verifier.flush_xml()
    files = list(env.face_dir.glob("OQSsiquc01res_face_*.xml"))
    assert len(files) == 1 and files[0].name == answer_json_name(env, result.transaction_id)
    root = ET.fromstring(files[0].read_bytes())  # noqa: S314  (our own output)
    body = root.find("MessageBody")
    assert body is not None and body.findtext("QualificationValidity") == "1"
    assert body.findtext("PrescriptionIssueSelect") == "1"
    person = body.find("ResultList/ResultOfQualificationConfirmation")
    assert person is not None
    assert person.findtext("Name") == "佐藤\u3000花子" and person.findtext("NameKana") == "ｻﾄｳ ﾊﾅｺ"
    assert person.findtext("PharmacistsInfoConsFlg") == "1" and person.findtext("OperationInfoConsFlg") == "0"
    assert len(person.findtext("PharmacistsInfoAvailableTime") or "") == 14
    assert person.findtext("ReferenceNumber", "").startswith("P")
    assert root.findtext("MessageHeader/CharacterCodeIdentifier") == "0"


def test_same_transaction_twice_gives_the_same_answer_and_one_record(env: Env) -> None:
    signed = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    backend = client(env)
    first, second = backend.submit_raw(signed), backend.submit_raw(signed)
    assert first == second
    assert env.verifier.store.all_transaction_ids() == [signed.transaction_id]
    env.verifier.flush_xml()
    assert len(list(env.face_dir.glob("*.xml"))) == 1


def test_same_transaction_with_another_body_is_a_conflict(env: Env) -> None:
    result = face_result(env.kiosk_id, env.cards.ordinary.cert_der)
    client(env).submit(sign_result(result, env.key))
    changed = dataclasses.replace(result, language="en")
    assert refused(env, sign_result(changed, env.key)) == "idempotency_conflict"


def test_pin_path_registers_an_unregistered_card_and_rejects_a_reused_challenge(env: Env) -> None:
    card = env.cards.unregistered
    backend = client(env)
    face_before = backend.submit(sign_result(face_result(env.kiosk_id, card.cert_der), env.key))
    assert face_before.registration == "not_registered" and face_before.validity is Validity.NONE

    challenge = backend.fetch_challenge(env.kiosk_id, wait=3, signer=env.key)
    signed = sign_result(pin_result(env.kiosk_id, card, challenge.challenge_id, challenge.value,
                                    registration=True), env.key)
    answer = backend.submit(signed)
    assert answer.registration == "registered_now" and answer.validity is Validity.VALID
    assert backend.submit(signed) == answer  # a retry of the same transaction is not a reuse

    again = sign_result(pin_result(env.kiosk_id, card, challenge.challenge_id, challenge.value), env.key)
    assert refused(env, again) == "challenge_reused"
    later = backend.submit(sign_result(face_result(env.kiosk_id, card.cert_der), env.key))
    assert later.registration == "registered"


def test_registration_with_face_or_pin_but_never_on_a_visual_check(env: Env) -> None:
    face = face_result(env.kiosk_id, env.cards.unregistered.cert_der, registration=True)
    visual = dataclasses.replace(face, transaction_id=new_transaction_id(), method=Method.VISUAL,
                                 evidence=VisualEvidence("staff-1"))
    assert refused(env, sign_result(visual, env.key)) == "registration_requires_face_or_pin"
    answer = client(env).submit(sign_result(face, env.key))
    assert answer.registration == "registered_now"  # as the official readers: face or PIN


def test_pin_path_bad_signature_unknown_and_mismatched_challenge(env: Env) -> None:
    backend = client(env)
    card = env.cards.ordinary
    challenge = backend.fetch_challenge(env.kiosk_id, signer=env.key)
    other = env.cards.unregistered.sign(challenge.value)  # signed by another card's key
    bad = pin_result(env.kiosk_id, card, challenge.challenge_id, challenge.value, signature=other)
    assert refused(env, sign_result(bad, env.key)) == "card_signature_invalid"
    unknown = pin_result(env.kiosk_id, card, "no-such-challenge", challenge.value)
    assert refused(env, sign_result(unknown, env.key)) == "challenge_unknown"
    mismatch = pin_result(env.kiosk_id, card, challenge.challenge_id, b"x" * 32)
    assert refused(env, sign_result(mismatch, env.key)) == "challenge_mismatch"
    # the challenge was not spent by the refusals: the genuine answer still goes through
    good = pin_result(env.kiosk_id, card, challenge.challenge_id, challenge.value)
    assert backend.submit(sign_result(good, env.key)).validity is Validity.VALID


def test_a_late_challenge_is_accepted_flagged_delayed_and_too_old_one_refused(env: Env) -> None:
    backend = client(env)
    challenge = backend.fetch_challenge(env.kiosk_id, signer=env.key)
    older = backend.fetch_challenge(env.kiosk_id, signer=env.key)
    env.verifier.clock = lambda: datetime.now(UTC) + timedelta(days=3)  # a 3-day outage after the PIN step
    late = backend.submit_raw(sign_result(pin_result(env.kiosk_id, env.cards.ordinary, challenge.challenge_id,
                                                     challenge.value), env.key))
    assert late["delayed"] is True and late["delay_s"] >= 3 * 86400 - 5
    env.verifier.clock = lambda: datetime.now(UTC) + timedelta(days=15)  # beyond the policy's 14 days
    result = pin_result(env.kiosk_id, env.cards.ordinary, older.challenge_id, older.value)
    assert refused(env, sign_result(result, env.key)) == "proof_too_old"


def test_each_bad_input_is_refused_with_its_own_code(env: Env) -> None:
    cards = env.cards
    good = sign_result(face_result(env.kiosk_id, cards.ordinary.cert_der), env.key)
    tampered_body = dataclasses.replace(good, body=good.body.replace(b'"language":"ja"', b'"language":"en"'))
    assert tampered_body.body != good.body
    assert refused(env, tampered_body) == "payload_tampered"

    stranger = DeviceKey.generate()
    assert refused(env, sign_result(face_result(env.kiosk_id, cards.ordinary.cert_der), stranger)) == \
        "device_key_not_enrolled"
    assert refused(env, sign_result(face_result("kiosk-unknown", cards.ordinary.cert_der), env.key)) == \
        "kiosk_unknown"

    expect = {
        cards.tampered(): "certificate_signature_invalid",
        cards.expired.cert_der: "certificate_expired",
        cards.revoked.cert_der: "certificate_revoked",
        cards.foreign_root.cert_der: "certificate_unknown_root",
        cards.not_yet_valid.cert_der: "certificate_not_yet_valid",
        b"\x30\x03\x02\x01\x00": "certificate_malformed",
    }
    got = {der: refused(env, sign_result(face_result(env.kiosk_id, der), env.key)) for der in expect}
    assert got == expect

    weak = face_result(env.kiosk_id, cards.ordinary.cert_der, distance=0.61)
    assert refused(env, sign_result(weak, env.key)) == "face_evidence_insufficient"
    assert env.verifier.store.all_transaction_ids() == []  # nothing refused was stored


def test_older_root_generation_and_grace_period(env: Env) -> None:
    backend = client(env)
    old = backend.submit(sign_result(face_result(env.kiosk_id, env.cards.old_generation.cert_der), env.key))
    assert old.validity is Validity.VALID and old.certificate_status == "valid"

    grace = backend.submit(sign_result(face_result(env.kiosk_id, env.cards.grace.cert_der), env.key))
    assert grace.certificate_status == "grace" and grace.eligibility_only
    assert grace.validity is Validity.VALID
    medical = [c for c in grace.consents if c.item != "limit_application"]
    assert medical and all(c.flag == "0" and c.available_until is None for c in medical)


def test_health_and_stored_result_lookup(env: Env) -> None:
    backend = client(env)
    assert backend.health().ok
    signed = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    answer = backend.submit_raw(signed)
    import requests

    from tests.integration.verifier_auth import staff_session

    anonymous = requests.get(f"{env.url}/v1/results/{signed.transaction_id}", timeout=5)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "staff_login_required"
    staff = staff_session(env.verifier, env.url)
    stored = staff.get(f"{env.url}/v1/results/{signed.transaction_id}", timeout=5)
    assert stored.status_code == 200 and stored.json() == answer
    missing = staff.get(f"{env.url}/v1/results/00000000-0000-4000-8000-000000000000", timeout=5)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    reads = [r for r in env.verifier.audit.recent() if r["action"] == "read_result"]
    assert [r["subject"] for r in reads] == ["00000000-0000-4000-8000-000000000000", signed.transaction_id]


def test_a_face_xml_lost_with_the_process_is_written_again_at_start(env: Env) -> None:
    signed = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    client(env).submit(signed)
    env.verifier.flush_xml()
    written = env.face_dir / answer_json_name(env, signed.transaction_id)
    content = written.read_bytes()
    # as if the process died between the commit and the file: no file, and the folder's ledger never heard of it
    written.unlink()
    (env.face_dir / LEDGER).write_text("")
    restarted = Verifier(env.verifier.store, env.verifier.trust, env.verifier.settings)  # its start repairs
    assert written.read_bytes() == content
    assert restarted.repair_face_xml() == 0


def test_a_face_xml_the_reader_already_took_is_not_written_again(env: Env) -> None:
    signed = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    client(env).submit(signed)
    env.verifier.flush_xml()
    written = env.face_dir / answer_json_name(env, signed.transaction_id)
    written.unlink()  # imported and deleted by the clinic's watcher (as the public Node watcher does)
    restarted = Verifier(env.verifier.store, env.verifier.trust, env.verifier.settings)
    assert not written.exists() and restarted.repair_face_xml() == 0


def test_concurrent_repeats_of_one_transaction_make_one_record(env: Env) -> None:
    from concurrent.futures import ThreadPoolExecutor

    backend = client(env)
    challenge = backend.fetch_challenge(env.kiosk_id, signer=env.key)
    pin = sign_result(pin_result(env.kiosk_id, env.cards.ordinary, challenge.challenge_id, challenge.value), env.key)
    face = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)

    def send(signed: SignedResult) -> int:
        own = client(env)
        try:
            return int(own.submit_raw(signed)["reception_id"])
        finally:
            own.close()

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(send, [pin, face] * 6))
    assert len(set(ids[0::2])) == 1 and len(set(ids[1::2])) == 1
    assert sorted(env.verifier.store.all_transaction_ids()) == sorted([pin.transaction_id, face.transaction_id])


def test_day_old_challenges_are_purged(env: Env) -> None:
    backend = client(env)
    old = backend.fetch_challenge(env.kiosk_id, signer=env.key)
    assert env.verifier.store.purge_challenges(datetime.now(UTC)) == 0  # still valid for two minutes
    assert env.verifier.store.purge_challenges(datetime.now(UTC) + timedelta(minutes=3)) == 1
    late = pin_result(env.kiosk_id, env.cards.ordinary, old.challenge_id, old.value)
    assert refused(env, sign_result(late, env.key)) == "challenge_unknown"


def test_oversized_body_is_refused(env: Env) -> None:
    signed = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    huge = dataclasses.replace(signed, body=signed.body + b" " * 70_000)
    assert refused(env, huge) == "payload_too_large"


def test_database_gone_answers_503_and_the_kiosk_keeps_trying(
    postgres: PostgresCluster, test_pki, cards, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    import psycopg

    env = start_env(postgres.new_database(), test_pki, cards, tmp_path / "face")
    try:
        url = env.verifier.store.engine.url
        env.verifier.store.engine.dispose()
        with psycopg.connect(host=str(postgres.base), port=postgres.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{url.database}" WITH (FORCE)')
        backend = RequestsBackend(BackendConfig(env.url, retries=1, backoff=0.01))
        assert not backend.health().ok
        with pytest.raises(BackendUnavailable):
            backend.submit(sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key))
    finally:
        env.server.stop()


def test_a_revocation_published_after_start_is_picked_up(env: Env, test_pki) -> None:  # type: ignore[no-untyped-def]
    from cryptography import x509

    from tests.integration.test_backend_env import issue_card

    card = issue_card(test_pki, -10, 700)
    backend = client(env)
    assert backend.submit(sign_result(face_result(env.kiosk_id, card.cert_der), env.key)).transaction_id
    test_pki.revoke(x509.load_der_x509_certificate(card.cert_der), datetime.now(UTC))
    env.verifier.trust.crl_refresh_s = 0.0
    env.verifier.trust._next_refresh = 0.0
    assert refused(env, sign_result(face_result(env.kiosk_id, card.cert_der), env.key)) == "certificate_revoked"
