"""`myna-testbench virtual-card make|serve`: test cards for the demo and the bench."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(commands: Any, bench: Any) -> None:
    from testbench.virtualcard.profile import Variant

    vc = commands.add_parser("virtual-card", help="make and serve virtual My Number cards (test cards)")
    sub = vc.add_subparsers(dest="vc_command", required=True, metavar="ACTION")
    make = sub.add_parser("make", help="write card profile(s) from the project's test PKI")
    make.add_argument("out", type=Path, help="profile directory (with --all: a directory of profiles)")
    make.add_argument("--variant", choices=[v.value for v in Variant], default=Variant.ORDINARY.value)
    make.add_argument("--all", action="store_true", help="one profile per variant")
    make.add_argument("--pki", type=Path, help="test PKI directory (default: OUT/../pki or OUT/pki with --all)")
    make.add_argument("--photo", type=Path, help="portrait for the chip photo and the printed front")
    make.add_argument("--seed", type=int)
    make.set_defaults(run=make_cmd)
    serve = sub.add_parser("serve", help="serve a profile to pcscd through vpcd; type insert/remove/quit")
    serve.add_argument("profile", type=Path)
    serve.add_argument("--port", type=int, default=35963, help="vpcd port (35963 = first slot)")
    serve.add_argument("--start-pcscd", action="store_true", help="start pcscd with vpcd first")
    serve.add_argument("--removed", action="store_true", help="start with the card out of the reader")
    serve.set_defaults(run=serve_cmd)
    demo = sub.add_parser("demo", help="read a virtual card through pcscd + vpcd, step by step")
    demo.add_argument("--variant", choices=[v.value for v in Variant], default=Variant.ORDINARY.value)
    demo.set_defaults(run=demo_cmd)


def demo_cmd(args: argparse.Namespace) -> int:
    from testbench.virtualcard.card_demo import run

    return run(args)


def make_cmd(args: argparse.Namespace) -> int:
    from PIL import Image

    from testbench.virtualcard.profile import Variant, make_profile

    photo = Image.open(args.photo) if args.photo else None
    variants = list(Variant) if args.all else [Variant(args.variant)]
    pki = args.pki or (args.out / "pki" if args.all else args.out.parent / "pki")
    for variant in variants:
        target = args.out / variant.value if args.all else args.out
        make_profile(target, pki, variant, photo=photo, seed=args.seed)
        print(f"{variant.value:14s} → {target}")
    return 0


def serve_cmd(args: argparse.Namespace) -> int:
    """Serve until quit / SIGTERM / Ctrl-C. stdin takes insert/remove/quit; so do SIGUSR1 (insert) and
    SIGUSR2 (remove), for when it runs in the background with no stdin."""
    import signal
    import threading

    from testbench.virtualcard.serving import serve_profile, start_pcscd

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    daemon = start_pcscd(port=args.port) if args.start_pcscd else None
    card = serve_profile(args.profile, port=args.port, insert=False)
    try:
        if not args.removed:
            card.insert()
        signal.signal(signal.SIGUSR1, lambda *_: card.insert())
        signal.signal(signal.SIGUSR2, lambda *_: card.remove())
        print(f"serving {args.profile} on vpcd port {args.port} ({'in' if card.inserted else 'out'}); "
              "commands: insert, remove, quit", flush=True)
        for line in sys.stdin:
            command = line.strip().lower()
            if command == "insert":
                card.insert()
            elif command == "remove":
                card.remove()
            elif command in ("quit", "exit"):
                break
            elif command:
                print(f"unknown command {command!r}", flush=True)
                continue
            print("inserted" if card.inserted else "removed", flush=True)
        else:  # stdin closed (running in the background): serve until a signal
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        card.remove()
        if daemon is not None:
            daemon.stop()
    return 0
