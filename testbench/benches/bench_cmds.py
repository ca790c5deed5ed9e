"""`myna-testbench bench card` and `bench verifier` (`bench face` and `bench reception` live beside their areas)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(commands: Any, bench: Any) -> None:
    card = bench.add_parser("card", help="APDUs and wall time of the full card read, against OpenSC")
    card.add_argument("--runs", type=int, default=10)
    card.add_argument("--json", action="store_true")
    card.set_defaults(run=_bench_card)

    verifier = bench.add_parser("verifier", help="results/s, p95 latency and outbox drain time on loopback")
    verifier.add_argument("--kiosks", type=int, default=4)
    verifier.add_argument("--per-kiosk", type=int, default=500)
    verifier.add_argument("--drain", type=int, default=1000)
    verifier.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    verifier.add_argument("--json", type=Path, help="also write the figures here")
    verifier.add_argument("--compare", metavar="N,N,…", help="instead: the verifier beside the bare endpoint at "
                          "each number of concurrent kiosks (e.g. 1,4,16), --results results per run")
    verifier.add_argument("--results", type=int, default=800)
    verifier.add_argument("--profile", type=int, metavar="N", help="instead: cProfile N in-process submits")
    verifier.set_defaults(run=_bench_verifier)


def _bench_card(args: argparse.Namespace) -> int:
    from testbench.benches.card_bench import run

    return run(args)


def _bench_verifier(args: argparse.Namespace) -> int:
    from testbench.benches import verifier_bench

    if args.profile:
        from testbench.benches.verifier_profile import profile

        print(profile(args.profile))
        return 0
    if args.compare:
        pairs = verifier_bench.compare([int(n) for n in args.compare.split(",")], args.results, args.db)
        print(verifier_bench.compare_report(pairs))
        if args.json:
            args.json.write_text(json.dumps([[v.__dict__, b.__dict__] for v, b in pairs], indent=1))
        return 0
    figures = verifier_bench.run(kiosks=args.kiosks, per_kiosk=args.per_kiosk, drain=args.drain, db_url=args.db,
                                 out=args.json)
    print(verifier_bench.report(figures))
    return 0
