"""Schemathesis against the verifier's own OpenAPI description, served by uvicorn on loopback: no input it
generates (valid or not) may produce a server error, an undocumented status or an answer off its schema.

(Driven through Hypothesis directly: Schemathesis' pytest plugin does not load under this pytest.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from drivers.backend.signing import DeviceKey
from tests.integration.test_backend_env import cards_fixture, jpki_fixture  # noqa: F401  (fixtures)
from verifier.policy import Policy
from verifier.ratelimit import Rate
from verifier.server import ServerThread, build_verifier, trust_from_pki_dir, uvicorn_config

pytestmark = pytest.mark.server  # a real server process or database on loopback

EXAMPLES = int(os.environ.get("MYNA_FUZZ_EXAMPLES", "40"))  # per operation and mode; raise it for a long run
# Fuzzing fails authentication thousands of times from one address: a budget that large lets every request
# reach its handler (the limiter itself is tested in test_verifier_security.py).
GENEROUS = Policy(address_failures=Rate(10_000.0, 100_000.0), kiosk_lookups=Rate(1000.0, 1000.0))


def exercise(operation: schemathesis.APIOperation, mode: GenerationMode) -> int:
    """Run generated cases for one operation; returns how many were sent."""
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        nonlocal sent
        # Schema-valid results are refused (401) without a genuine device signature: by design. Invalid
        # input must get a client error; Schemathesis' own list of those lacks 413, which the verifier
        # rightly answers to an oversized body, so that check is made here instead.
        response = case.call()
        case.validate_response(response, excluded_checks=[positive_data_acceptance, negative_data_rejection])
        if mode is GenerationMode.NEGATIVE and operation.method.upper() == "POST":
            assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
        sent += 1

    try:
        run()
    except Unsatisfiable:  # no invalid input exists for an operation without inputs (or with free strings)
        assert mode is GenerationMode.NEGATIVE and operation.path != "/v1/results"
    return sent


def test_no_generated_input_makes_the_verifier_fail(tmp_path: Path, test_pki) -> None:  # type: ignore[no-untyped-def]
    verifier = build_verifier(f"sqlite:///{tmp_path / 'v.db'}", trust_from_pki_dir(test_pki.directory),
                              tmp_path / "face", policy=GENEROUS)
    verifier.enroll("kiosk-1", DeviceKey.generate().public_pem())
    server = ServerThread(uvicorn_config(verifier, "127.0.0.1", 0))
    url = server.start()
    calls: dict[str, int] = {}
    try:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {"/v1/results", "/v1/challenges", "/v1/health", "/staff"}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                calls[f"{operation.label} {mode.value}"] = exercise(operation, mode)
    finally:
        server.stop()
    print(f"\nschemathesis calls per operation: {calls}")
    assert sum(calls.values()) >= 100
    assert calls["POST /v1/results negative"] > 10 and calls["POST /v1/results positive"] > 10


def touring(spec: dict[str, Any], url: str) -> dict[str, Any]:
    """The published description plus test-only links, so the state machine starts from every operation
    family and chains them (the verifier publishes only the real one: an accepted result → its read)."""
    ids = {(path, m): op["operationId"] for path, ops in spec["paths"].items() for m, op in ops.items()}
    chains = {("/v1/health", "get", "200"): [("/v1/registrations/lookup", "post"), ("/v1/challenges", "post"),
                                             ("/staff", "get"), ("/staff/login", "post")],
              ("/staff", "get", "200"): [("/staff/refusals.csv", "get"), ("/staff/logout", "post")],
              ("/v1/challenges", "post", "201"): [("/v1/results", "post")]}
    for (path, method, status), targets in chains.items():
        response = spec["paths"][path][method]["responses"].setdefault(status, {"description": "ok"})
        response.setdefault("links", {}).update(
            {f"Tour{i}": {"operationId": ids[target]} for i, target in enumerate(targets)})
    spec["servers"] = [{"url": url}]
    return spec


def test_stateful_run_with_signed_kiosk_calls_and_a_staff_session_has_no_server_error(  # type: ignore[no-untyped-def]
    tmp_path: Path, test_pki
) -> None:
    """Schemathesis' state machine over the same description; kiosk calls are signed with an enrolled key (so
    they reach the strict-input, schema and evidence checks) and staff calls carry a real session."""
    import json
    import secrets
    from datetime import UTC, datetime

    import requests

    from tests.integration.verifier_auth import staff_session

    verifier = build_verifier(f"sqlite:///{tmp_path / 'v.db'}", trust_from_pki_dir(test_pki.directory),
                              tmp_path / "face", policy=GENEROUS)
    key = DeviceKey.generate()
    verifier.enroll("kiosk-1", key.public_pem())
    server = ServerThread(uvicorn_config(verifier, "127.0.0.1", 0))
    url = server.start()
    session = staff_session(verifier, url).cookies.get("myna_staff")
    seen: dict[int, int] = {}
    labels: dict[str, int] = {}
    try:
        schema = schemathesis.openapi.from_dict(touring(requests.get(f"{url}/openapi.json", timeout=10).json(), url))
        schema.config.update(base_url=url)
        machine = schema.as_state_machine()

        class Signed(machine):  # type: ignore[misc, valid-type]
            def before_call(self, case: schemathesis.Case) -> None:
                path = case.operation.path
                if path.startswith("/v1/") and case.method.upper() == "POST" and isinstance(case.body, dict):
                    body = dict(case.body)
                    if path == "/v1/results":
                        body["kiosk_id"] = "kiosk-1"
                    else:
                        body |= {"nonce": secrets.token_urlsafe(18), "requested_at": datetime.now(UTC).isoformat()}
                    raw = json.dumps(body).encode()
                    case.body = raw
                    case.headers.update({"X-Kiosk-Id": "kiosk-1", "X-Kiosk-Key-Id": key.key_id,
                                         "X-Kiosk-Signature": key.sign(raw), "Content-Type": "application/json"})
                elif session and not path.startswith("/staff/log"):
                    case.cookies.update({"myna_staff": session})

            def after_call(self, response, case: schemathesis.Case) -> None:  # type: ignore[no-untyped-def]
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                labels[f"{case.operation.label} {response.status_code}"] = \
                    labels.get(f"{case.operation.label} {response.status_code}", 0) + 1
                assert response.status_code < 500, (case.operation.label, response.status_code, response.text[:200])

            def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
                pass  # the status check above is this run's contract; the stateless test checks the schema

        Signed.run(settings=settings(max_examples=EXAMPLES, stateful_step_count=8, deadline=None,
                                     suppress_health_check=list(HealthCheck), database=None))
    finally:
        server.stop()
    print(f"\nschemathesis stateful: {sum(seen.values())} calls, status counts {dict(sorted(seen.items()))}; "
          f"per operation {dict(sorted(labels.items()))}")
    assert sum(seen.values()) >= 50 and not [s for s in seen if s >= 500]
    assert seen.get(422, 0) + seen.get(400, 0) > 0  # signed kiosk calls got past authentication
