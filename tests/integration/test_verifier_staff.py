"""The staff page in headless Chromium (screenshot kept for a look), the demo registry seeded from real
virtual card profiles through the CLI, and mutual TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.signing import sign_result
from kiosk.errors import BackendRejected, BackendUnavailable
from testbench.virtualcard.profile import Variant, make_profile
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    cards_fixture,
    env_fixture,
    face_result,
    jpki_fixture,
    pin_result,
    postgres_fixture,
)
from verifier.cli import main as cli
from verifier.server import ServerThread, build_verifier, trust_from_pki_dir, uvicorn_config
from verifier.store import Store, open_engine

pytestmark = pytest.mark.server  # a real server process or database on loopback

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


@pytest.fixture(name="db_url")
def sqlite_only(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'verifier.db'}"


def chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "Debian chromium is part of `make setup`"
    return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", *args],
                          capture_output=True, text=True, timeout=90, check=False)


def test_staff_page_lists_todays_receptions_in_headless_chromium(env: Env, tmp_path: Path) -> None:
    backend = RequestsBackend(BackendConfig(env.url))
    backend.submit(sign_result(face_result(env.kiosk_id, env.cards.ordinary.cert_der), env.key))
    backend.submit(sign_result(face_result(env.kiosk_id, env.cards.grace.cert_der), env.key))
    challenge = backend.fetch_challenge(env.kiosk_id)
    backend.submit(sign_result(pin_result(env.kiosk_id, env.cards.unregistered, challenge.challenge_id,
                                          challenge.value, registration=True), env.key))
    backend.close()

    dom = chromium("--dump-dom", f"{env.url}/staff", user_data=tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<tr>") == 4  # header + three receptions
    for text in ("顔認証 / face", "暗証番号 / PIN", "猶予期間", "本日登録 / today", "薬剤", "有効 / valid"):
        assert text in dom.stdout, text

    shot = tmp_path / "verifier-staff-page.png"  # look at it: pytest --basetemp=DIR keeps it
    rendered = chromium(f"--screenshot={shot}", "--window-size=1280,480", f"{env.url}/staff",
                        user_data=tmp_path / "profile-shot")
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_seed_from_virtual_card_profiles_via_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = tmp_path / "pki"
    profiles = tmp_path / "profiles"
    make_profile(profiles / "ordinary", pki, Variant.ORDINARY, seed=1)
    make_profile(profiles / "unregistered", pki, Variant.UNREGISTERED, seed=2)
    db = f"sqlite:///{tmp_path / 'v.db'}"
    assert cli(["seed", "--profiles", str(profiles), "--db", db]) == 0
    assert "seeded 2 qualification(s)" in capsys.readouterr().out

    store = Store(open_engine(db))
    import json

    for name, linked in (("ordinary", True), ("unregistered", False)):
        profile = json.loads((profiles / name / "profile.json").read_text())
        with store.engine.connect() as conn:
            found = store.qualification(conn, profile["auth_identifier"])
        assert found is not None and found[0] is linked
        data = found[1]
        assert data["name"] == profile["holder"]["name"] and data["name_kana"] == profile["holder"]["name_kana"]
        assert data["birth_date"] == profile["holder"]["birth_date"].replace("-", "")
        assert len(data["insurer_number"]) == 8 and data["copay_ratio"] in ("010", "020", "030")


def _tls_material(directory: Path) -> dict[str, Path]:
    """A private CA, a server certificate for 127.0.0.1 and a kiosk client certificate."""
    now = dt.datetime.now(dt.UTC)

    def make(name: str, issuer: x509.Name | None, issuer_key: ec.EllipticCurvePrivateKey | None,
             ca: bool, san: x509.GeneralName | None = None) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer or subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName([san]), critical=False)
        return builder.sign(issuer_key or key, hashes.SHA256()), key

    ca_cert, ca_key = make("myna test CA", None, None, True)
    server_cert, server_key = make("verifier", ca_cert.subject, ca_key, False,
                                   x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    kiosk_cert, kiosk_key = make("kiosk-1", ca_cert.subject, ca_key, False)
    other_cert, other_key = make("kiosk-2", ca_cert.subject, ca_key, False)
    paths = {}
    for name, cert, key in (("ca", ca_cert, ca_key), ("server", server_cert, server_key),
                            ("kiosk", kiosk_cert, kiosk_key), ("other", other_cert, other_key)):
        paths[name] = directory / f"{name}.pem"
        paths[name].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        paths[f"{name}_key"] = directory / f"{name}.key"
        paths[f"{name}_key"].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    return paths


def test_mutual_tls_admits_only_a_kiosk_with_a_client_certificate(
    tmp_path: Path, test_pki, cards  # type: ignore[no-untyped-def]
) -> None:
    tls = _tls_material(Path(tempfile.mkdtemp(dir=tmp_path)))
    verifier = build_verifier(f"sqlite:///{tmp_path / 'v.db'}", trust_from_pki_dir(test_pki.directory))
    from drivers.backend.signing import DeviceKey

    key = DeviceKey.generate()
    verifier.enroll("kiosk-1", key.public_pem())
    server = ServerThread(uvicorn_config(verifier, "127.0.0.1", 0, tls_cert=str(tls["server"]),
                                         tls_key=str(tls["server_key"]), client_ca=str(tls["ca"])))
    url = server.start()
    try:
        assert url.startswith("https://")
        with_cert = RequestsBackend(BackendConfig(url, ca_bundle=str(tls["ca"]),
                                                  client_cert=(str(tls["kiosk"]), str(tls["kiosk_key"]))))
        answer = with_cert.submit(sign_result(face_result("kiosk-1", cards.ordinary.cert_der), key))
        assert answer.transaction_id
        without = RequestsBackend(BackendConfig(url, ca_bundle=str(tls["ca"]), retries=0, connect_timeout=2,
                                                read_timeout=2))
        with pytest.raises(BackendUnavailable):
            without.submit(sign_result(face_result("kiosk-1", cards.ordinary.cert_der), key))
        # another kiosk's certificate cannot carry kiosk-1's results
        other = RequestsBackend(BackendConfig(url, ca_bundle=str(tls["ca"]), retries=0,
                                              client_cert=(str(tls["other"]), str(tls["other_key"]))))
        with pytest.raises(BackendRejected) as caught:
            other.submit(sign_result(face_result("kiosk-1", cards.ordinary.cert_der), key))
        assert caught.value.reason == "client_certificate_mismatch"
    finally:
        server.stop()


def test_verifier_serve_command_runs_the_real_server(tmp_path: Path) -> None:
    import socket
    import sys
    import time

    from drivers.backend.signing import DeviceKey
    from testbench.virtualcard.profile import read_profile

    profiles = tmp_path / "profiles"
    make_profile(profiles / "card", tmp_path / "pki", Variant.ORDINARY, seed=3)
    key = DeviceKey.generate()
    (tmp_path / "kiosk.pem").write_bytes(key.public_pem())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "verifier", "serve", "--db", f"sqlite:///{tmp_path / 'v.db'}",
               "--port", str(port), "--profiles", str(profiles), "--face-dir", str(tmp_path / "face"),
               "--xml-encoding", "shift_jis", "--enroll", "kiosk-9", str(tmp_path / "kiosk.pem")]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    backend = RequestsBackend(BackendConfig(f"http://127.0.0.1:{port}", connect_timeout=0.5, retries=0))
    try:
        deadline = time.monotonic() + 30
        while not backend.health().ok:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "verifier serve did not come up"
            time.sleep(0.1)
        cert = (profiles / "card" / "auth_cert.der").read_bytes()
        answer = backend.submit(sign_result(face_result("kiosk-9", cert), key))
        assert answer.registration == "registered"
        holder = read_profile(profiles / "card").holder
        deadline = time.monotonic() + 10
        while not list((tmp_path / "face").glob("*.xml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        xml = next((tmp_path / "face").glob("*.xml")).read_bytes().decode("cp932")
        assert "encoding=\"Shift_JIS\"" in xml and f"<NameKana>{holder['name_kana']}</NameKana>" in xml
    finally:
        backend.close()
        server.terminate()
        server.wait(10)
