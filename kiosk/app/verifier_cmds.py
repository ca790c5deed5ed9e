"""`myna-kiosk verifier serve|seed|enroll` and `myna-kiosk bench verifier`.

The verifier is the kiosk's counterpart (its own top-level package); these commands only start it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any, bench: Any) -> None:
    verifier = commands.add_parser("verifier", help="reference verification backend (the kiosk's counterpart)")
    sub = verifier.add_subparsers(dest="verifier_command", required=True, metavar="ACTION")

    serve = sub.add_parser("serve", help="serve the verifier over HTTP(S) with its OpenAPI description")
    serve.add_argument("--db", default="sqlite:///verifier.db", help="SQLAlchemy URL; PostgreSQL: postgresql+psycopg://…")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--pki", type=Path, help="JPKI roots + CRLs (auth_root_g*.der, auth_crl_g*.der); "
                       "default: the PKI named by the first profile under --profiles")
    serve.add_argument("--profiles", type=Path, help="seed the registry from these virtual card profiles first")
    serve.add_argument("--face-dir", type=Path, help="folder for OQSsiquc01res_face_*.xml")
    serve.add_argument("--xml-encoding", choices=("utf-8", "shift_jis", "shift_jis-map"), default="utf-8",
                       help="shift_jis refuses what code page 932 lacks; shift_jis-map maps known variants")
    serve.add_argument("--face-name-template", help="face XML file name ({institution} {process} {reception} "
                       "{timestamp}); default as the readers name them")
    serve.add_argument("--face-retention-days", type=int, help="delete written face XML older than this")
    serve.add_argument("--enroll", nargs=2, action="append", default=[], metavar=("KIOSK_ID", "PUBLIC_PEM"))
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")
    serve.add_argument("--client-ca", help="require client certificates from this CA (mutual TLS)")
    serve.set_defaults(run=_serve)

    seed = sub.add_parser("seed", help="load the demo registry for the virtual card profiles")
    seed.add_argument("--profiles", type=Path, required=True)
    seed.add_argument("--db", default="sqlite:///verifier.db")
    seed.set_defaults(run=_seed)

    enroll = sub.add_parser("enroll", help="enrol a kiosk's device public key")
    enroll.add_argument("--kiosk-id", required=True)
    enroll.add_argument("--public-key", type=Path, required=True)
    enroll.add_argument("--db", default="sqlite:///verifier.db")
    enroll.set_defaults(run=_enroll)

    bench_verifier = bench.add_parser("verifier", help="results/s, p95 latency and outbox drain time on loopback")
    bench_verifier.add_argument("--kiosks", type=int, default=4)
    bench_verifier.add_argument("--per-kiosk", type=int, default=500)
    bench_verifier.add_argument("--drain", type=int, default=1000)
    bench_verifier.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    bench_verifier.add_argument("--json", type=Path, help="also write the figures here")
    bench_verifier.set_defaults(run=_bench)


def _pki_dir(args: argparse.Namespace) -> Path:
    if args.pki:
        return Path(args.pki)
    if args.profiles:
        import json

        for profile in sorted(Path(args.profiles).glob("**/profile.json")):
            return Path(json.loads(profile.read_text(encoding="utf-8"))["pki"])
    raise SystemExit("verifier serve: give --pki DIR (or --profiles DIR whose profiles name their PKI)")


def _serve(args: argparse.Namespace) -> int:
    from verifier import server

    args.pki = _pki_dir(args)
    return server.serve(args)


def _seed(args: argparse.Namespace) -> int:
    from verifier.seed import seed_profiles
    from verifier.store import Store, open_engine

    seeded = seed_profiles(Store(open_engine(args.db)), args.profiles)
    print(f"seeded {len(seeded)} qualification(s) from {args.profiles}")
    return 0 if seeded else 1


def _enroll(args: argparse.Namespace) -> int:
    from verifier.pki import TrustStore
    from verifier.service import Verifier
    from verifier.store import Store, open_engine

    verifier = Verifier(Store(open_engine(args.db)), TrustStore([]))
    key_id = verifier.enroll(args.kiosk_id, args.public_key.read_bytes())
    print(f"enrolled {args.kiosk_id} (key {key_id[:16]}…)")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from drivers.backend import bench

    figures = bench.run(kiosks=args.kiosks, per_kiosk=args.per_kiosk, drain=args.drain, db_url=args.db, out=args.json)
    print(bench.report(figures))
    return 0
