"""`myna-verifier serve|seed|enroll`: the reference verification service's own command line.

The verifier is the kiosk's counterpart (its own top-level package, reached by the kiosk only over HTTP).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="myna-verifier", description="reference verifier for マイナ受付 kiosks")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    sub = parser.add_subparsers(dest="verifier_command", required=True, metavar="ACTION")

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
    serve.add_argument("--policy", type=Path, help="acceptance policy (TOML, see verifier/policy.py)")
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

    staff = sub.add_parser("staff", help="staff sign-ins for the staff page")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    add = staff_sub.add_parser("add", help="add or replace a staff user; the password is read from stdin")
    add.add_argument("--db", default="sqlite:///verifier.db")
    add.add_argument("--user", required=True)
    add.set_defaults(run=_staff_add)
    return parser


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


def _staff_add(args: argparse.Namespace) -> int:
    from verifier.staffauth import main as staffauth

    return staffauth(["add", "--db", args.db, "--user", args.user])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
