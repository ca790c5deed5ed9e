"""Building and serving the verifier: trust store from a PKI directory, storage from a URL, uvicorn.

`python -m verifier.server --pki DIR --db URL --port N` is what `myna-verifier serve` runs; tests and
the benchmark use `ServerThread` (in-process) or that module entry (a separate process).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import ssl
import sys
import threading
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from verifier.api import create_app
from verifier.pki import TrustStore
from verifier.policy import Policy
from verifier.seed import seed_profiles
from verifier.service import Verifier, VerifierSettings
from verifier.store import Store, open_engine
from verifier.watched_folder import FolderPolicy


def trust_from_pki_dir(pki: Path, require_crl: bool = True) -> TrustStore:
    """Every auth root generation (`auth_root_g*.der`) and their CRLs (`auth_crl_g*.der`) in `pki`."""
    roots = sorted(pki.glob("auth_root_g*.der"))
    if not roots:
        raise FileNotFoundError(f"no auth_root_g*.der in {pki}")
    # The separate roots of smartphone certificates (スマホ用電子証明書), with their CRLs, where present.
    crls = [*sorted(pki.glob("auth_crl_g*.der")), *sorted(pki.glob("phone_auth_crl*.der"))]
    return TrustStore.from_files(roots, crls, require_crl=require_crl,
                                 phone_roots=sorted(pki.glob("phone_auth_root*.der")))


def build_verifier(db_url: str, trust: TrustStore, face_dir: Path | None = None,
                   xml_encoding: str = "utf-8", institution_code: str = "1300000001", *,
                   policy: Policy | None = None, require_client_cert: bool = False,
                   face_policy: FolderPolicy | None = None) -> Verifier:
    """`require_client_cert` must be set whenever the server runs with a client CA (mutual TLS): then every
    kiosk request needs a certificate whose subject CN is the kiosk id (none, or one without a CN: refused)."""
    settings = VerifierSettings(institution_code=institution_code, face_dir=face_dir, xml_encoding=xml_encoding,
                                policy=policy or Policy(), require_client_cert=require_client_cert,
                                face_policy=face_policy)
    return Verifier(Store(open_engine(db_url)), trust, settings)


XML_ENCODINGS = ("utf-8", "shift_jis", "shift_jis-map")


def face_policy_from(args: argparse.Namespace) -> FolderPolicy:
    """--face-name-template / --face-retention-days (both optional) as the watched folder's policy."""
    template = getattr(args, "face_name_template", None)
    days = getattr(args, "face_retention_days", None)
    policy = FolderPolicy(template=template) if template else FolderPolicy()
    if days:
        policy = dataclasses.replace(policy, retention=timedelta(days=days))
    policy.name("1300000001", 1, "20260101000000")  # a bad template fails at start, not at the first file
    return policy


class TlsScopeProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol plus the ASGI TLS extension's client certificate fields, so the app can
    hold a kiosk's client certificate (mutual TLS) against the kiosk id it claims. uvicorn itself does not
    fill `scope["extensions"]["tls"]`; this subclass relies only on `on_message_begin` and `transport`."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        ssl_object = self.transport.get_extra_info("ssl_object")
        if ssl_object is None:
            return
        peer = ssl_object.getpeercert()
        names = [value for rdn in (peer or {}).get("subject", ()) for key, value in rdn if key == "commonName"]
        name = names[0] if len(names) == 1 else None  # none or several CNs: no name (refused under mTLS)
        self.scope["extensions"] = {"tls": {"client_cert_name": name, "tls_version": ssl_object.version()}}


def uvicorn_config(verifier: Verifier, host: str, port: int, *, tls_cert: str | None = None,
                   tls_key: str | None = None, client_ca: str | None = None) -> uvicorn.Config:
    """With `client_ca`, TLS requires a client certificate issued by that CA (mutual TLS), and its common name
    must be the kiosk id the request claims (the verifier must then have `require_client_cert`)."""
    if client_ca and not verifier.settings.require_client_cert:
        raise ValueError("mutual TLS configured but the verifier does not require client certificates")
    return uvicorn.Config(
        create_app(verifier), host=host, port=port, log_level="warning", access_log=False,
        ssl_certfile=tls_cert, ssl_keyfile=tls_key, ssl_ca_certs=client_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED if client_ca else ssl.CERT_NONE, timeout_keep_alive=30,
        http=TlsScopeProtocol if tls_cert else "httptools", loop="uvloop",
    )


class ServerThread:
    """A real uvicorn server on loopback, in a thread; `url` once started."""

    def __init__(self, config: uvicorn.Config) -> None:
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, name="verifier", daemon=True)
        self.url = ""

    def start(self, timeout: float = 10.0) -> str:
        self._thread.start()
        waited = threading.Event()
        for _ in range(int(timeout / 0.02)):
            if self.server.started:
                break
            waited.wait(0.02)
        if not self.server.started:
            raise RuntimeError("verifier did not start")
        sock = self.server.servers[0].sockets[0]
        host, port = sock.getsockname()[:2]
        scheme = "https" if self.server.config.ssl_certfile else "http"
        self.url = f"{scheme}://{host}:{port}"
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reference verifier for the myna-kiosk")
    parser.add_argument("--db", default="sqlite:///verifier.db",
                        help="SQLAlchemy URL (sqlite:///… or postgresql+psycopg://…)")
    parser.add_argument("--pki", type=Path, required=True,
                        help="directory with auth_root_g*.der and auth_crl_g*.der")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8470)
    parser.add_argument("--face-dir", type=Path, help="folder for OQSsiquc01res_face_*.xml")
    parser.add_argument("--xml-encoding", choices=XML_ENCODINGS, default="utf-8",
                        help="shift_jis refuses a file with a character code page 932 lacks; shift_jis-map maps known "
                             "variants (𠮷 -> 吉) and refuses the rest")
    parser.add_argument("--face-name-template", help="file name, fields {institution} {process} {reception} "
                        "{timestamp}; default OQSsiquc01res_face_{institution}{process}{reception:08d}_{timestamp}.xml")
    parser.add_argument("--face-retention-days", type=int, help="delete written files older than this (default: keep)")
    parser.add_argument("--profiles", type=Path, help="seed the registry from these virtual card profiles")
    parser.add_argument("--enroll", nargs=2, action="append", default=[], metavar=("KIOSK_ID", "PUBLIC_PEM"))
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca", help="require client certificates from this CA (mutual TLS)")
    parser.add_argument("--policy", type=Path, help="acceptance policy (TOML, see verifier/policy.py)")
    return serve(parser.parse_args(argv))


def serve(args: argparse.Namespace) -> int:
    """Run the verifier with `main`'s options (`myna-verifier serve` calls this with its own)."""
    logging.basicConfig(level=logging.WARNING)
    policy = Policy.load(args.policy) if getattr(args, "policy", None) else Policy()
    verifier = build_verifier(args.db, trust_from_pki_dir(args.pki), args.face_dir, args.xml_encoding,
                              policy=policy, require_client_cert=bool(args.client_ca),
                              face_policy=face_policy_from(args))
    if args.profiles:
        seed_profiles(verifier.store, args.profiles)
    for kiosk_id, pem in args.enroll:
        verifier.enroll(kiosk_id, Path(pem).read_bytes())
    config = uvicorn_config(verifier, args.host, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key,
                            client_ca=args.client_ca)
    print(f"verifier listening on {args.host}:{args.port}", flush=True)
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
