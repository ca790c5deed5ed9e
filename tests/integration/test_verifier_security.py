"""The verifier's security set, against a real uvicorn server on loopback and real SQLite/PostgreSQL: who may
ask what, strict input, policy over the kiosk's figures, delayed PIN proofs, refusals and the audit log.

`test_every_endpoint_refuses_without_credentials` prints the figures the issue asks for
(requests tried / refused as expected / 5xx).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, text

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.signing import DeviceKey, sign_result
from kiosk.errors import BackendRejected
from kiosk.proof import ProofStatement
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    face_result,
    jpki_fixture,
    postgres_fixture,
)
from tests.integration.verifier_auth import csrf_of, proof_result, resign, signed_lookup, signed_raw, staff_session
from verifier import proof as verifier_proof
from verifier.policy import Policy
from verifier.ratelimit import Rate
from verifier.server import ServerThread, uvicorn_config
from verifier.store import metadata


def client(env: Env) -> RequestsBackend:
    return RequestsBackend(BackendConfig(env.url, connect_timeout=2, read_timeout=10, retries=0))


def refused(env: Env, signed) -> str:  # type: ignore[no-untyped-def]
    backend = client(env)
    with pytest.raises(BackendRejected) as caught:
        backend.submit(signed)
    backend.close()
    return caught.value.reason


def row_counts(env: Env) -> dict[str, int]:
    with env.verifier.store.engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in metadata.sorted_tables}


def restart_with(env: Env, policy: Policy) -> None:
    """Serve the same verifier under another policy (rate buckets are made when the app is)."""
    env.server.stop()
    env.verifier.settings = dataclasses.replace(env.verifier.settings, policy=policy)
    env.server = ServerThread(uvicorn_config(env.verifier, "127.0.0.1", 0))
    env.url = env.server.start()


def test_every_endpoint_refuses_without_credentials(env: Env) -> None:
    restart_with(env, Policy(address_failures=Rate(100.0, 1000.0)))  # 48 failures in a row: all answered 401/403
    good = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    stranger = DeviceKey.generate()
    lookup, lookup_headers = signed_lookup(env.kiosk_id, env.key, {
        "certificate_id": env.cards.ordinary.identifier, "nonce": "n" * 20,
        "requested_at": datetime.now(UTC).isoformat()})
    forged = dict(lookup_headers, **{"X-Kiosk-Signature": stranger.sign(lookup)})
    card_lookup, card_headers = signed_lookup(env.kiosk_id, env.key, {
        "auth_certificate": base64.b64encode(env.cards.ordinary.cert_der).decode(), "nonce": "m" * 20,
        "requested_at": datetime.now(UTC).isoformat()})
    result_headers = {"Content-Type": "application/json", "Idempotency-Key": good.transaction_id,
                      "X-Kiosk-Id": env.kiosk_id}
    cases: list[tuple[str, str, dict[str, str], bytes, set[int]]] = [
        ("GET", "/staff", {}, b"", {401}),
        ("GET", "/staff/refusals.csv", {}, b"", {401}),
        ("GET", f"/v1/results/{good.transaction_id}", {}, b"", {401}),
        ("GET", "/v1/results/00000000-0000-4000-8000-000000000000", {}, b"", {401}),
        ("GET", f"/v1/results/{good.transaction_id}", {"Cookie": "myna_staff=guessed-token"}, b"", {401}),
        ("POST", "/staff/logout", {"Content-Type": "application/x-www-form-urlencoded"}, b"csrf=x", {401}),
        ("POST", "/staff/login", {"Content-Type": "application/x-www-form-urlencoded"},
         b"username=uketsuke&password=x&csrf=x", {403}),  # no pre-session cookie: CSRF refused
        ("POST", "/v1/challenges", {"X-Kiosk-Id": env.kiosk_id}, b"", {401}),
        ("POST", "/v1/challenges", {"X-Kiosk-Id": env.kiosk_id, "Content-Type": "application/json"},
         json.dumps({"certificate_id": env.cards.ordinary.identifier}).encode(), {401}),
        ("POST", "/v1/challenges", forged, lookup, {401}),
        ("POST", "/v1/challenges", dict(lookup_headers, **{"X-Kiosk-Id": "kiosk-9"}), lookup, {401}),
        ("POST", "/v1/registrations/lookup", {"X-Kiosk-Id": env.kiosk_id, "Content-Type": "application/json"},
         card_lookup, {401}),
        ("POST", "/v1/registrations/lookup", dict(card_headers, **{"X-Kiosk-Signature": stranger.sign(card_lookup)}),
         card_lookup, {401}),
        ("POST", "/v1/staff-calls", {"X-Kiosk-Id": env.kiosk_id, "Content-Type": "application/json"},
         json.dumps({"reason": "consent"}).encode(), {401}),
        ("POST", "/v1/staff-calls", dict(lookup_headers, **{"X-Kiosk-Signature": stranger.sign(lookup)}), lookup,
         {401}),
        ("POST", "/v1/results", result_headers, good.body, {401}),
        ("POST", "/v1/results", dict(result_headers, **{"X-Kiosk-Key-Id": env.key.key_id,
                                                        "X-Kiosk-Signature": stranger.sign(good.body)}),
         good.body, {401}),
        ("POST", "/v1/results", dict(result_headers, **{"X-Kiosk-Key-Id": stranger.key_id,
                                                        "X-Kiosk-Signature": stranger.sign(good.body)}),
         good.body, {401}),
    ]
    # every operation the verifier publishes is in the sweep, except the few that are public by design
    spec = requests.get(f"{env.url}/openapi.json", timeout=5).json()
    published = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    public = {("GET", "/v1/health"), ("GET", "/staff/login")}
    swept = {(m, "/v1/results/{transaction_id}" if p.startswith("/v1/results/") else p) for m, p, *_ in cases}
    assert published - public == swept, published - public ^ swept
    before = row_counts(env)
    tried = as_expected = server_errors = 0
    wrong: list[tuple[object, ...]] = []
    for method, path, headers, body, expected in cases * 3:
        answer = requests.request(method, f"{env.url}{path}", headers=headers, data=body, timeout=10,
                                  allow_redirects=False)
        tried += 1
        as_expected += answer.status_code in expected
        server_errors += answer.status_code >= 500
        if answer.status_code not in expected:
            wrong.append((method, path, answer.status_code, answer.text[:120]))
    # the genuine kiosk still gets in, and the same signed lookup cannot be played twice
    ok = requests.post(f"{env.url}/v1/registrations/lookup", headers=card_headers, data=card_lookup, timeout=5)
    again = requests.post(f"{env.url}/v1/registrations/lookup", headers=card_headers, data=card_lookup, timeout=5)
    # a bare identifier is not enough for this answer (the legacy challenge call still takes one, signed)
    bare, bare_headers = signed_lookup(env.kiosk_id, env.key, {
        "certificate_id": env.cards.ordinary.identifier, "nonce": "b" * 20,
        "requested_at": datetime.now(UTC).isoformat()})
    assert requests.post(f"{env.url}/v1/registrations/lookup", headers=bare_headers, data=bare,
                         timeout=5).json()["error"] == "invalid_request"
    revoked, revoked_headers = signed_lookup(env.kiosk_id, env.key, {
        "auth_certificate": base64.b64encode(env.cards.revoked.cert_der).decode(), "nonce": "r" * 20,
        "requested_at": datetime.now(UTC).isoformat()})
    assert requests.post(f"{env.url}/v1/registrations/lookup", headers=revoked_headers, data=revoked,
                         timeout=5).json()["error"] == "certificate_revoked"
    assert not wrong and server_errors == 0
    assert ok.status_code == 200 and ok.json() == {"registered": True}
    assert again.status_code == 401 and again.json()["error"] == "request_replayed"
    assert row_counts(env) == before  # no unauthenticated request wrote a row
    no_credentials = (tried, as_expected, server_errors)

    # hostile input from the genuine, signed kiosk: each refused with its own code, none a 5xx
    base = face_result(env.kiosk_id, env.cards.ordinary.cert_der)
    body = base.to_bytes()
    hostile: dict[str, tuple[bytes, int, str]] = {
        "deep object": (b'{"a":' * 5000 + b"1" + b"}" * 5000, 400, "json_too_deep"),
        "deep array": (b"[" * 60_000, 400, "json_too_deep"),
        "full-width digits": (body.replace(b'"completed_at":"20', '"completed_at":"２０'.encode()), 400,
                              "invalid_time"),
        "Arabic-Indic digits": (body.replace(b'"started_at":"20', '"started_at":"٢٠'.encode()), 400,
                                "invalid_time"),
        "no offset": (body.replace(b'+00:00","consents"', b'","consents"'), 400, "invalid_time"),
        "NaN distance": (body.replace(b'"distance":0.38', b'"distance":NaN'), 400, "invalid_json"),
        "trailing garbage": (body + b"}", 400, "invalid_json"),
        "over 64 KiB": (body[:-1] + b',"x":"' + b"y" * 70_000 + b'"}', 413, "payload_too_large"),
        "kiosk thresholds 5.0": (face_result(env.kiosk_id, env.cards.ordinary.cert_der, distance=0.9).to_bytes()
                                 .replace(b'"accept":0.45', b'"accept":5.0'), 422, "face_evidence_insufficient"),
        "another kiosk named": (body.replace(b'"kiosk_id":"kiosk-1"', b'"kiosk_id":"kiosk-2"'), 400,
                                "kiosk_mismatch"),
        "schema: extra field": (body[:-1] + b',"admin":true}', 422, "schema_invalid"),
    }
    hostile_tried = hostile_ok = hostile_5xx = 0
    for name, (raw, status, code) in hostile.items():
        assert raw != body, name
        answer = requests.post(f"{env.url}/v1/results", data=raw, timeout=10, headers={
            "Content-Type": "application/json", "X-Kiosk-Id": env.kiosk_id, "X-Kiosk-Key-Id": env.key.key_id,
            "X-Kiosk-Signature": env.key.sign(raw)})
        hostile_tried += 1
        hostile_5xx += answer.status_code >= 500
        got = (answer.status_code, answer.json().get("error"))
        hostile_ok += got == (status, code)
        if got != (status, code):
            wrong.append((name, got))
    total = (no_credentials[0] + hostile_tried, no_credentials[1] + hostile_ok, no_credentials[2] + hostile_5xx)
    print(f"\nsecurity set: no credentials {no_credentials[0]} tried / {no_credentials[1]} refused as expected / "
          f"{no_credentials[2]} 5xx; hostile signed input {hostile_tried} / {hostile_ok} / {hostile_5xx}; "
          f"total {total[0]} / {total[1]} / {total[2]}")
    assert not wrong and hostile_5xx == 0


def test_streamed_oversize_body_gets_413_with_bounded_memory(env: Env) -> None:
    rss_before = _rss_kib()
    declared = requests.post(f"{env.url}/v1/results", data=b"x" * 70_000, timeout=10,
                             headers={"Content-Type": "application/json", "X-Kiosk-Id": env.kiosk_id})
    assert declared.status_code == 413 and declared.json()["error"] == "payload_too_large"
    # 200 MiB streamed without a Content-Length (chunked): cut off at the limit, not read whole. The server
    # runs in this process; its peak RSS is sampled while the body streams.
    import threading

    peak, done = [rss_before], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_kib())
            done.wait(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    host, port = env.url.removeprefix("http://").split(":")
    try:
        status, sent_bytes = _chunked_post(host, int(port), "/v1/results", 200 * 1024 * 1024)
    finally:
        done.set()
        sampler.join()
    grown = peak[0] - rss_before
    print(f"\nstreamed {sent_bytes / 2**20:.1f} MiB before the verifier answered {status}; "
          f"peak RSS growth {grown / 1024:.1f} MiB")
    assert status == 413
    assert sent_bytes < 64 * 1024 * 1024  # the server stopped reading long before 200 MiB
    assert grown < 20 * 1024


def test_deep_json_and_non_ascii_digits_are_400(env: Env) -> None:
    base = sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key)
    deep = b'{"a":' * 5000 + b"1" + b"}" * 5000
    answers = {}
    for name, body in {
        "deep": deep,
        "deep-array": b"[" * 60_000,
        "fullwidth-date": base.body.replace(b'"completed_at":"20', '"completed_at":"２０'.encode()),
        "arabic-indic-date": base.body.replace(b'"started_at":"20', '"started_at":"٢٠'.encode()),
        "nan-distance": base.body.replace(b'"distance":0.38', b'"distance":NaN'),
    }.items():
        assert body != base.body, name
        try:
            client(env).submit(resign(base, env.key, body))
            answers[name] = "accepted"
        except BackendRejected as exc:
            answers[name] = exc.reason
    assert answers == {"deep": "json_too_deep", "deep-array": "json_too_deep", "fullwidth-date": "invalid_time",
                       "arabic-indic-date": "invalid_time", "nan-distance": "invalid_json"}
    raw = requests.post(f"{env.url}/v1/results", data=deep, timeout=5, headers={"X-Kiosk-Id": env.kiosk_id})
    assert raw.status_code == 400  # refused at the door, before any authentication


def test_the_kiosks_thresholds_are_recorded_never_trusted(env: Env) -> None:
    lenient = face_result(env.kiosk_id, env.cards.ordinary.cert_der, distance=0.9)
    body = lenient.to_bytes().replace(b'"accept":0.45', b'"accept":5.0')
    assert b'"accept":5.0' in body
    signed = signed_raw(env.kiosk_id, env.key, body, lenient.transaction_id)
    assert refused(env, signed) == "face_evidence_insufficient"  # the policy's 0.50 decides, not the body's 5.0
    strict_body = face_result(env.kiosk_id, env.cards.ordinary.cert_der, distance=0.48).to_bytes() \
        .replace(b'"accept":0.45', b'"accept":0.1')
    tx = json.loads(strict_body)["transaction_id"]
    assert client(env).submit(signed_raw(env.kiosk_id, env.key, strict_body, tx)).transaction_id == tx
    unknown_model = lenient.to_bytes().replace(b"dlib_face_recognition_resnet_model_v1", b"my_own_model") \
        .replace(b'"distance":0.9', b'"distance":0.1')
    assert refused(env, signed_raw(env.kiosk_id, env.key, unknown_model)) == "face_model_not_allowed"
    with env.verifier.store.engine.connect() as conn:
        recorded = conn.execute(text("SELECT kiosk_evidence FROM receptions")).scalar_one()
    assert json.loads(recorded)["thresholds"] == {"accept": 0.1}


def test_a_delayed_pin_proof_is_accepted_flagged_and_replays_refused(env: Env) -> None:
    card = env.cards.unregistered
    backend = client(env)
    week_ago = datetime.now(UTC) - timedelta(days=7, hours=1)
    late = proof_result(env.kiosk_id, env.key, card, 41, signed_at=week_ago, registration=True)
    answer = backend.submit_raw(late)
    assert answer["delayed"] is True and answer["delay_s"] >= 7 * 86400 and answer["registration"] == "registered_now"
    assert backend.submit_raw(late) == answer  # the same result again: same answer, not a replay
    fresh = backend.submit_raw(proof_result(env.kiosk_id, env.key, env.cards.ordinary, 42))
    assert fresh["delayed"] is False and fresh["clock_suspect"] is False

    codes = {
        "same counter, other result": proof_result(env.kiosk_id, env.key, env.cards.ordinary, 42),
        "statement for another result": proof_result(env.kiosk_id, env.key, env.cards.ordinary, 43,
                                                     sign_for="00000000-0000-4000-8000-000000000000"),
        "signed in the future": proof_result(env.kiosk_id, env.key, env.cards.ordinary, 44,
                                             signed_at=datetime.now(UTC) + timedelta(minutes=30)),
        "older than the policy": proof_result(env.kiosk_id, env.key, env.cards.ordinary, 45,
                                              signed_at=datetime.now(UTC) - timedelta(days=15)),
        "another card's signature": proof_result(env.kiosk_id, env.key, env.cards.grace, 46),
    }
    # the last: a valid signature by the grace card, over this result, but the result names the ordinary card
    body = json.loads(codes["another card's signature"].body)
    body["auth_certificate"] = base64.b64encode(env.cards.ordinary.cert_der).decode()
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    codes["another card's signature"] = signed_raw(env.kiosk_id, env.key, raw, body["transaction_id"])
    got = {name: refused(env, signed) for name, signed in codes.items()}
    assert got == {"same counter, other result": "proof_replayed",
                   "statement for another result": "card_signature_invalid",
                   "signed in the future": "proof_from_future", "older than the policy": "proof_too_old",
                   "another card's signature": "card_signature_invalid"}

    # a kiosk clock set back: a higher counter signed clearly before a lower one is accepted but flagged
    set_back = backend.submit_raw(proof_result(env.kiosk_id, env.key, env.cards.ordinary, 50,
                                               signed_at=datetime.now(UTC) - timedelta(days=2)))
    assert set_back["clock_suspect"] is True and set_back["delayed"] is True


def test_kiosk_and_verifier_build_the_same_statement_bytes() -> None:
    moment = datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC)
    statement = ProofStatement("kiosk-1", 7, moment, "0b7c1f7e-3d5e-4c1a-9f0e-2a9b8c7d6e5f")
    fields = statement.evidence_fields()
    assert verifier_proof.statement_bytes("kiosk-1", 7, str(fields["signed_at"]), statement.result_id) == \
        statement.to_bytes()
    assert statement.to_bytes() == (b"myna-kiosk-proof/1\nkiosk=kiosk-1\ncounter=7\n"
                                    b"signed_at=2026-12-02T09:30:15.123456Z\n"
                                    b"result=0b7c1f7e-3d5e-4c1a-9f0e-2a9b8c7d6e5f\n")
    assert ProofStatement.parse(statement.to_bytes()) == statement
    for bad in (dict(counter=-1), dict(counter=True), dict(kiosk_id="kiosk 1"), dict(result_id="X" * 36),
                dict(signed_at=moment.replace(tzinfo=None))):
        with pytest.raises(ValueError):
            ProofStatement(**({"kiosk_id": "kiosk-1", "counter": 7, "signed_at": moment,
                               "result_id": statement.result_id} | bad))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ProofStatement.parse(statement.to_bytes().replace(b"counter=7", b"counter=07"))


def test_refusals_are_kept_shown_and_cleared_once_accepted(env: Env) -> None:
    card = env.cards.ordinary
    result = face_result(env.kiosk_id, card.cert_der)
    tampered = sign_result(face_result(env.kiosk_id, env.cards.revoked.cert_der), env.key)
    assert refused(env, tampered) == "certificate_revoked"
    assert refused(env, tampered) == "certificate_revoked"  # the kiosk re-sends it: one row, two attempts
    # a policy that refuses face, then the cause fixed: the re-sent result is accepted and the refusal resolved
    settings = env.verifier.settings
    env.verifier.settings = dataclasses.replace(settings, policy=Policy(allowed_methods=frozenset({"pin"})))
    signed = sign_result(result, env.key)
    assert refused(env, signed) == "method_not_allowed"
    env.verifier.settings = settings
    assert client(env).submit(signed).transaction_id == result.transaction_id
    rows = {r["transaction_id"]: r for r in env.verifier.store.refusals_since(datetime.now(UTC) - timedelta(hours=1))}
    assert rows[tampered.transaction_id]["attempts"] == 2 and rows[tampered.transaction_id]["accepted_at"] is None
    assert rows[result.transaction_id]["accepted_at"] is not None

    staff = staff_session(env.verifier, env.url)
    answer = staff.get(f"{env.url}/staff", timeout=5)
    assert answer.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in \
        answer.headers["Content-Security-Policy"]
    page = answer.text
    assert "certificate_revoked" in page and "method_not_allowed" in page and "1 未解決" in page
    exported = staff.get(f"{env.url}/staff/refusals.csv", timeout=5)
    assert exported.status_code == 200 and exported.text.count("\n") == 3
    assert staff.post(f"{env.url}/staff/logout", data={"csrf": "wrong"}, timeout=5,
                      allow_redirects=False).status_code == 403
    out = staff.post(f"{env.url}/staff/logout", data={"csrf": csrf_of(page)}, timeout=5, allow_redirects=False)
    assert out.status_code == 303 and staff.get(f"{env.url}/staff", timeout=5).status_code == 401

    actions = [(r["actor"], r["action"]) for r in reversed(env.verifier.audit.recent())]
    assert actions == [("operator", "enroll_kiosk")] + [("kiosk:kiosk-1", "refusal")] * 3 + [
        ("operator", "set_staff_password"), ("staff:uketsuke", "login"), ("staff:uketsuke", "view_staff_page"),
        ("staff:uketsuke", "export_refusals"), ("staff:uketsuke", "logout")]
    assert env.verifier.audit.verify() == 9
    with env.verifier.store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("UPDATE audit_log SET detail = 'x'"))
    with env.verifier.store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("DELETE FROM audit_log"))
    assert env.verifier.audit.verify() == 9


def test_wrong_password_and_rate_limits(env: Env) -> None:
    staff_session(env.verifier, env.url)  # the user exists
    session = requests.Session()
    form = session.get(f"{env.url}/staff/login", timeout=5)
    signed_in = requests.Session()
    login_form = signed_in.get(f"{env.url}/staff/login", timeout=5)
    cookie = signed_in.post(f"{env.url}/staff/login", timeout=10, allow_redirects=False, data={
        "csrf": csrf_of(login_form.text), "username": "uketsuke", "password": "correct horse battery"},
    ).headers["set-cookie"].lower()
    assert cookie.startswith("myna_staff=") and "httponly" in cookie and "samesite=strict" in cookie
    forged = session.post(f"{env.url}/staff/login", timeout=10, allow_redirects=False,  # right password, no token
                          data={"csrf": "0" * 64, "username": "uketsuke", "password": "correct horse battery"})
    assert forged.status_code == 403 and forged.json()["error"] == "csrf_invalid"
    answers = [session.post(f"{env.url}/staff/login", timeout=10, allow_redirects=False,
                            data={"csrf": csrf_of(form.text), "username": "uketsuke", "password": f"guess-{i}"}
                            ).status_code for i in range(25)]
    assert answers[:19] == [401] * 19 and set(answers[20:]) == {429}  # the address's failure budget is spent
    assert requests.get(f"{env.url}/v1/health", timeout=5).status_code == 429  # for everything from it
    assert [r["action"] for r in env.verifier.audit.recent()] == ["login", "login", "set_staff_password",
                                                                  "enroll_kiosk"]


def test_kiosk_lookups_are_rate_limited_per_kiosk(env: Env) -> None:
    statuses = []
    for i in range(25):
        body, headers = signed_lookup(env.kiosk_id, env.key, {
            "auth_certificate": base64.b64encode(env.cards.ordinary.cert_der).decode(),
            "nonce": f"nonce-{i:02d}-abcdefghij", "requested_at": datetime.now(UTC).isoformat()})
        statuses.append(requests.post(f"{env.url}/v1/registrations/lookup", data=body, headers=headers,
                                      timeout=5).status_code)
    assert statuses[:20] == [200] * 20 and 429 in statuses[20:]


def test_grace_rules_come_from_the_policy(env: Env) -> None:
    grace = sign_result(face_result(env.kiosk_id, env.cards.grace.cert_der), env.key)  # expired 30 days ago
    settings = env.verifier.settings
    env.verifier.settings = dataclasses.replace(settings, policy=Policy(grace_months=0))
    assert refused(env, grace) == "certificate_expired"
    env.verifier.settings = dataclasses.replace(settings, policy=Policy(grace_medical_consents=True))
    answer = client(env).submit_raw(grace)  # (the kiosk's VerifierAnswer derives eligibility_only from the status)
    assert answer["certificate_status"] == "grace" and answer["eligibility_only"] is False
    assert {c["item"]: c["flag"] for c in answer["consents"]}["pharmacists"] == "1"


def test_reseeding_never_undoes_a_registration(env: Env) -> None:
    from verifier.seed import qualification_for

    card = env.cards.unregistered
    backend = client(env)
    assert backend.submit_raw(proof_result(env.kiosk_id, env.key, card, 1, registration=True))["registration"] \
        == "registered_now"
    holder = {"name": "佐藤\u3000花子", "name_kana": "サトウ ハナコ", "birth_date": "1980-02-17", "sex": "2"}
    env.verifier.store.put_qualification(card.identifier, False, qualification_for(card.identifier, holder,
                                                                                   datetime.now(UTC).date()))
    later = backend.submit(sign_result(face_result(env.kiosk_id, card.cert_der), env.key))
    assert later.registration == "registered"


def test_a_database_from_before_gets_the_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    import sqlite3

    from verifier.store import Store, open_engine

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE receptions (id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id VARCHAR(36) "
                    "NOT NULL UNIQUE, kiosk_id VARCHAR(64) NOT NULL, received_at VARCHAR(32) NOT NULL, method "
                    "VARCHAR(8) NOT NULL, cert_id VARCHAR(64) NOT NULL, validity VARCHAR(1) NOT NULL, "
                    "certificate_status VARCHAR(8) NOT NULL, body_sha256 VARCHAR(64) NOT NULL, answer TEXT NOT NULL)")
        old.execute("INSERT INTO receptions (transaction_id, kiosk_id, received_at, method, cert_id, validity, "
                    "certificate_status, body_sha256, answer) VALUES ('t-1', 'k', '2026-12-01T00:00:00.000000Z', "
                    "'face', 'c', '1', 'valid', 'h', '{}')")
    store = Store(open_engine(f"sqlite:///{path}"))
    row = store.reception_by_transaction("t-1")
    assert row is not None and row.delay_s is None
    with store.engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(receptions)"))}
    assert {"signed_at", "delay_s", "kiosk_evidence"} <= columns
    Store(open_engine(f"sqlite:///{path}"))  # a second start changes nothing and does not fail


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _chunked_post(host: str, port: int, path: str, total: int) -> tuple[int, int]:
    """Stream `total` bytes chunked; returns (status, bytes sent before the server answered or closed)."""
    sent = 0
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"X-Kiosk-Id: kiosk-1\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        block = b'"' + b"x" * 65534 + b'"'
        sock.settimeout(0.0)
        answer = b""
        while sent < total:
            try:
                answer += sock.recv(4096)
            except BlockingIOError:
                pass
            except OSError:
                break
            if answer:
                break
            try:
                sock.settimeout(5)
                sock.sendall(b"%x\r\n" % len(block) + block + b"\r\n")
                sock.settimeout(0.0)
                sent += len(block)
            except OSError:
                break
        sock.settimeout(5)
        deadline = time.monotonic() + 5
        while b"\r\n" not in answer and time.monotonic() < deadline:
            try:
                got = sock.recv(4096)
            except OSError:
                break
            if not got:
                break
            answer += got
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0, sent

