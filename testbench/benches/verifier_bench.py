"""`myna-testbench bench verifier`: results/s and latency against a real verifier process on loopback, and the
time to drain a 1,000-result outbox. Everything printed is measured here, on this machine.

The verifier runs as its own process (`python -m verifier.server`, SQLite by default) so that it does not
share the interpreter lock with the kiosks; each kiosk is a thread with its own HTTP session and device key.
With `mtls` (the default) every kiosk also has its own client certificate (subject CN = kiosk id) and the
verifier requires it (HTTPS, mutual TLS): auth on as in production. The verifier's per-kiosk and per-address
rate limits are raised for the run (a policy file): the bench measures throughput, not the limiter.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.backend.delivery import Delivery
from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.outbox import Outbox, SignedResult
from drivers.backend.signing import DeviceKey, sign_result
from kiosk.reception import (
    Choice,
    ConsentItem,
    ConsentRecord,
    FaceEvidence,
    Liveness,
    Method,
    ReceptionResult,
    new_transaction_id,
)
from testbench.virtualcard.pki import make_pki, new_key, opaque_identifier


@dataclass(frozen=True)
class BenchFigures:
    kiosks: int
    accepted: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    enqueue_p95_ms: float
    drained: int
    drain_seconds: float
    server_cpu_ms: float  # verifier process CPU time per accepted result (user + system)
    load_average: float  # 1-minute load when the run ended: other work on the machine skews the latencies
    database: str = "SQLite"
    auth: str = "mutual TLS + device signatures"

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _result(kiosk_id: str, cert_der: bytes) -> ReceptionResult:
    now = datetime.now(UTC)
    consent = ConsentRecord(ConsentItem.PHARMACISTS, Choice.CONSENT, "consent-pharmacists", "2024.10", "0" * 64,
                            now - timedelta(seconds=3))
    return ReceptionResult(
        kiosk_id=kiosk_id, transaction_id=new_transaction_id(), started_at=now - timedelta(seconds=30),
        completed_at=now, method=Method.FACE,
        evidence=FaceEvidence(0.37, {"accept": 0.45}, "dlib_face_recognition_resnet_model_v1", Liveness.PASSED),
        auth_certificate=cert_der, consents=(consent,), timings_ms={"total": 30000}, software_version="bench",
    )


BENCH_POLICY = """[rate]
kiosk_results = [5000.0, 10000.0]
address = [10000.0, 20000.0]
"""


def _tls(directory: Path, kiosk_ids: list[str]) -> dict[str, tuple[str, str]]:
    """A private CA (its PEM under key "ca"), a server certificate for 127.0.0.1 and one client certificate
    per kiosk; values are (certificate PEM path, key PEM path)."""
    import ipaddress

    now = datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)

    def issue(name: str, ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
              san: bool = False) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca[0].subject if ca else subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=ca is None, path_length=None), critical=True))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return builder.sign(ca[1] if ca else key, hashes.SHA256()), key

    ca = issue("myna bench CA", None)
    out: dict[str, tuple[str, str]] = {}
    for name, (cert, key) in {"ca": ca, "server": issue("verifier", ca, san=True),
                              **{k: issue(k, ca) for k in kiosk_ids}}.items():
        cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        out[name] = (str(cert_path), str(key_path))
    return out


def run(kiosks: int = 4, per_kiosk: int = 500, drain: int = 1000, db_url: str | None = None,
        out: Path | None = None, mtls: bool = True, bare: bool = False) -> BenchFigures:
    """With `bare`, the same kiosks against testbench.benches.bare_server (the verifier's server stack and a
    fixed answer) instead of the verifier."""
    with tempfile.TemporaryDirectory(prefix="myna-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pki = make_pki(tmp / "pki")
        now = datetime.now(UTC)
        identifier, card_key = opaque_identifier(), new_key()
        cert = pki.issue_auth_certificate(card_key, identifier, now - timedelta(days=100), now + timedelta(days=900))
        cert_der = cert.public_bytes(serialization.Encoding.DER)
        profile = tmp / "profiles" / "bench"
        profile.mkdir(parents=True)
        (profile / "profile.json").write_text(json.dumps({
            "auth_identifier": identifier, "insurance_registered": True,
            "holder": {"name": "ベンチ\u3000太郎", "name_kana": "ベンチ タロウ", "birth_date": "1970-04-01",
                       "sex": "1"}}))
        keys = {f"bench-{i}": DeviceKey.generate() for i in range(kiosks + 1)}
        enroll: list[str] = []
        for kiosk_id, key in keys.items():
            pem = tmp / f"{kiosk_id}.pem"
            pem.write_bytes(key.public_pem())
            enroll += ["--enroll", kiosk_id, str(pem)]
        port = _free_port()
        (tmp / "policy.toml").write_text(BENCH_POLICY)
        tls = _tls(tmp / "tls", list(keys)) if mtls else {}
        tls_args = ["--tls-cert", tls["server"][0], "--tls-key", tls["server"][1], "--client-ca", tls["ca"][0]] \
            if mtls else []
        url = f"{'https' if mtls else 'http'}://127.0.0.1:{port}"
        command = [sys.executable, "-m", "verifier.server", "--pki", str(tmp / "pki"), "--port", str(port),
                   "--db", db_url or f"sqlite:///{tmp / 'verifier.db'}", "--face-dir", str(tmp / "face"),
                   "--profiles", str(tmp / "profiles"), "--policy", str(tmp / "policy.toml"), *tls_args, *enroll]
        if bare:
            command = [sys.executable, "-m", "testbench.benches.bare_server", "--port", str(port), *tls_args]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)

        def config(kiosk_id: str, **timeouts: float) -> BackendConfig:
            if not mtls:
                return BackendConfig(url, **timeouts)  # type: ignore[arg-type]
            return BackendConfig(url, ca_bundle=tls["ca"][0], client_cert=tls[kiosk_id], **timeouts)  # type: ignore[arg-type]

        try:
            _wait_healthy(config(list(keys)[-1], connect_timeout=0.5, retries=0))
            figures = _measure(config, keys, cert_der, kiosks, per_kiosk, drain, tmp, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(5)
            except subprocess.TimeoutExpired:  # uvicorn waits for TLS connections it still counts as open
                server.kill()
                server.wait(5)
    if db_url and not db_url.startswith("sqlite"):
        figures = dataclasses.replace(figures, database=db_url.split(":", 1)[0].split("+", 1)[0])
    if not mtls:
        figures = dataclasses.replace(figures, auth="device signatures only (plain HTTP)")
    if bare:
        figures = dataclasses.replace(figures, database="none: bare endpoint", auth=figures.auth + " (TLS only; "
                                      "the bare endpoint checks no signature)")
    if out is not None:
        out.write_text(json.dumps(figures.__dict__ | {"per_second": figures.per_second}, indent=1))
    return figures


def _wait_healthy(config: BackendConfig) -> None:
    backend = RequestsBackend(config)
    try:
        for _ in range(200):
            if backend.health().ok:
                return
            time.sleep(0.05)
    finally:
        backend.close()
    raise RuntimeError("the verifier did not come up")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(config: Callable[..., BackendConfig], keys: dict[str, DeviceKey], cert_der: bytes, kiosks: int,
             per_kiosk: int, drain: int, tmp: Path, server_pid: int) -> BenchFigures:
    kiosk_ids = list(keys)[:kiosks]
    prepared = {k: [sign_result(_result(k, cert_der), keys[k]) for _ in range(per_kiosk)] for k in kiosk_ids}
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def kiosk(kiosk_id: str) -> None:
        backend = RequestsBackend(config(kiosk_id, connect_timeout=2, read_timeout=10, retries=0))
        mine = []
        try:
            for signed in prepared[kiosk_id]:
                started = time.perf_counter()
                backend.submit_raw(signed)
                mine.append((time.perf_counter() - started) * 1000)
        except Exception as exc:  # a failed benchmark reports, it does not hang
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            backend.close()
            with lock:
                latencies.extend(mine)

    # warm-up (first-request costs, certificate chain cache)
    warm = RequestsBackend(config(kiosk_ids[0], retries=0))
    warm.submit_raw(sign_result(_result(kiosk_ids[0], cert_der), keys[kiosk_ids[0]]))
    warm.close()
    threads = [threading.Thread(target=kiosk, args=(k,)) for k in kiosk_ids]
    cpu_before = _cpu_seconds(server_pid)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    server_cpu = _cpu_seconds(server_pid) - cpu_before
    if errors:
        raise RuntimeError(f"{len(errors)} kiosk(s) failed: {errors[0]}")
    cuts = statistics.quantiles(latencies, n=100)

    if drain <= 0:
        return BenchFigures(
            kiosks=kiosks, accepted=len(latencies), seconds=seconds, p50_ms=cuts[49], p95_ms=cuts[94],
            p99_ms=cuts[98], enqueue_p95_ms=float("nan"), drained=0, drain_seconds=float("nan"),
            server_cpu_ms=server_cpu * 1000 / max(1, len(latencies)), load_average=os.getloadavg()[0])
    drain_kiosk = list(keys)[-1]
    outbox = Outbox(tmp / "kiosk" / "outbox.db")
    enqueue_ms = []
    for _ in range(drain):
        signed: SignedResult = sign_result(_result(drain_kiosk, cert_der), keys[drain_kiosk])
        began = time.perf_counter()
        outbox.enqueue(signed)
        enqueue_ms.append((time.perf_counter() - began) * 1000)
    backend = RequestsBackend(config(drain_kiosk, connect_timeout=2, read_timeout=10))
    began = time.perf_counter()
    Delivery(outbox, backend).run(until_empty=True)
    drain_seconds = time.perf_counter() - began
    status = outbox.status()
    backend.close()
    outbox.close()
    return BenchFigures(
        kiosks=kiosks, accepted=len(latencies), seconds=seconds, p50_ms=cuts[49], p95_ms=cuts[94], p99_ms=cuts[98],
        enqueue_p95_ms=statistics.quantiles(enqueue_ms, n=100)[94], drained=status.delivered,
        drain_seconds=drain_seconds, server_cpu_ms=server_cpu * 1000 / max(1, len(latencies)),
        load_average=os.getloadavg()[0],
    )


def report(figures: BenchFigures) -> str:
    return "\n".join([
        f"verifier on loopback ({figures.database}, auth: {figures.auth}), {figures.kiosks} concurrent kiosks, "
        f"{os.cpu_count()} CPUs:",
        f"  accepted {figures.accepted} results in {figures.seconds:.2f} s = {figures.per_second:.0f} results/s"
        "  (target ≥ 200/s)",
        f"  latency p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms (target ≤ 50 ms), "
        f"p99 {figures.p99_ms:.1f} ms",
        f"  verifier CPU {figures.server_cpu_ms:.2f} ms per result (one core: ≈ {1000 / figures.server_cpu_ms:.0f}/s); "
        f"load average at the end {figures.load_average:.1f}",
        f"outbox: durable enqueue p95 {figures.enqueue_p95_ms:.2f} ms; drained {figures.drained} queued results in "
        f"{figures.drain_seconds:.2f} s (target ≤ 30 s)",
    ])


Pair = tuple[BenchFigures, BenchFigures]


def compare(kiosk_counts: list[int], results: int, db_url: str | None = None) -> list[Pair]:
    """The verifier and the bare endpoint at each number of concurrent kiosks, `results` results per run."""
    pairs = []
    for k in kiosk_counts:
        per = max(10, results // k)
        pairs.append((run(k, per, 0, db_url), run(k, per, 0, db_url, bare=True)))
    return pairs


def compare_report(pairs: list[Pair]) -> str:
    first = pairs[0][0]
    lines = [f"verifier ({first.database}, {first.auth}) beside the bare endpoint on the same server stack "
             f"(testbench.benches.bare_server), loopback, {os.cpu_count()} CPUs; kiosks are threads of this process",
             f"{'kiosks':>6}  {'verifier /s':>11} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/res':>10}   "
             f"{'bare /s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/res':>10}   {'ratio':>5} {'extra CPU':>9}  load"]
    for v, b in pairs:
        # extra CPU: the verifier's own server time per result, beyond what the same stack costs bare
        lines.append(f"{v.kiosks:>6}  {v.per_second:>11.0f} {v.p50_ms:>7.1f} {v.p99_ms:>7.1f} "
                     f"{v.server_cpu_ms:>10.2f}   "
                     f"{b.per_second:>8.0f} {b.p50_ms:>7.1f} {b.p99_ms:>7.1f} {b.server_cpu_ms:>10.2f}   "
                     f"{100 * v.per_second / b.per_second:>4.0f}% {v.server_cpu_ms - b.server_cpu_ms:>6.2f} ms"
                     f"  {v.load_average:.1f}/{b.load_average:.1f}")
    return "\n".join(lines)
