"""`myna-testbench bench verifier --profile N`: where the verifier's CPU goes per accepted result.

In-process and without HTTP (the server stack's share is what the bare-endpoint comparison shows): a fresh
SQLite verifier with a test PKI, N signed face results from one enrolled kiosk, each through
`Verifier.submit` (authentication, strict JSON, schema, certificate, policy, the DB transaction, the face
XML), under cProfile. Prints wall and CPU per result without the profiler, then the profiled top entries.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from drivers.backend.outbox import SignedResult
from drivers.backend.signing import DeviceKey, sign_result
from testbench.benches.verifier_bench import _result
from testbench.virtualcard.pki import make_pki, new_key, opaque_identifier
from verifier.server import build_verifier, trust_from_pki_dir


def _headers(signed: SignedResult) -> dict[str, str | None]:
    return {"x-kiosk-id": signed.kiosk_id, "x-kiosk-key-id": signed.key_id, "x-kiosk-signature": signed.signature,
            "idempotency-key": signed.transaction_id}  # fmt: skip


def profile(count: int, top: int = 25) -> str:
    with tempfile.TemporaryDirectory(prefix="myna-profile-", ignore_cleanup_errors=True) as name:
        tmp = Path(name)
        pki = make_pki(tmp / "pki")
        now = datetime.now(UTC)
        cert = pki.issue_auth_certificate(new_key(), opaque_identifier(), now - timedelta(days=100),
                                          now + timedelta(days=900))  # fmt: skip
        der = cert.public_bytes(serialization.Encoding.DER)
        verifier = build_verifier(f"sqlite:///{tmp / 'v.db'}", trust_from_pki_dir(tmp / "pki"), face_dir=tmp / "face")
        key = DeviceKey.generate()
        verifier.enroll("bench-0", key.public_pem())
        signed = [sign_result(_result("bench-0", der), key) for _ in range(2 * count + 1)]
        verifier.submit(_headers(signed[0]), signed[0].body)  # first-use costs (chain cache, statements)
        wall, cpu = time.perf_counter(), time.process_time()
        for s in signed[1 : count + 1]:
            verifier.submit(_headers(s), s.body)
        verifier.flush_xml()  # the face XML files are written on a thread: their cost belongs to the run
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        profiler = cProfile.Profile()
        profiler.enable()
        for s in signed[count + 1 :]:
            verifier.submit(_headers(s), s.body)
        verifier.flush_xml()
        profiler.disable()
        verifier.flush_xml()
        verifier.store.engine.dispose()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return (f"Verifier.submit in-process (SQLite on {tmp.parent}, no HTTP): {count} results, "
            f"{wall / count * 1000:.2f} ms wall and {cpu / count * 1000:.2f} ms CPU per result without the "
            f"profiler; then {count} more under cProfile:\n{out.getvalue()}")  # fmt: skip
