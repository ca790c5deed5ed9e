"""`myna-testbench bench card`: the full card read through pcscd + vpcd, and OpenSC's certificate read.

Self-contained: starts pcscd with vpcd (or uses a running one), makes a test card and serves it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(args: argparse.Namespace) -> int:
    from drivers.card import jpki, kenkaku
    from drivers.card.connection import CardChannel
    from drivers.card.pcsc import PcscConnection
    from testbench.virtualcard.profile import make_profile, read_profile
    from testbench.virtualcard.serving import reader_slot_name, remove_and_wait, serve_profile, start_pcscd

    with tempfile.TemporaryDirectory(prefix="myna-bench-") as tmp:
        profile = make_profile(Path(tmp) / "card", Path(tmp) / "pki", seed=7)
        verification_b = str(read_profile(profile).secrets["verification_b"])
        daemon = start_pcscd()
        card = serve_profile(profile, port=daemon.port)
        reader = reader_slot_name()
        try:
            def full_read(channel: CardChannel) -> None:
                jpki.select(channel)
                jpki.read_auth_certificate(channel)
                jpki.read_auth_ca_certificate(channel)
                jpki.auth_pin_tries_left(channel)
                kenkaku.verification_b_tries_left(channel)
                kenkaku.verify_verification_b(channel, verification_b)
                kenkaku.read_card_face_record(channel)

            def cert_read(channel: CardChannel) -> None:
                jpki.select(channel)
                jpki.read_auth_certificate(channel)

            def timed(read: Callable[[CardChannel], None]) -> tuple[list[float], int]:
                """Wall time of `read` over one fresh connection, `runs` times; and its APDU count."""
                samples, apdus = [], 0
                for _ in range(args.runs):
                    start = time.perf_counter()
                    with PcscConnection(reader) as connection:
                        channel = CardChannel(connection)
                        read(channel)
                        apdus = channel.apdu_count
                    samples.append(time.perf_counter() - start)
                return samples, apdus

            full, apdus = timed(full_read)
            ours, cert_apdus = timed(cert_read)
            opensc = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run(["pkcs15-tool", "--read-certificate", "01"], check=True, capture_output=True)
                opensc.append(time.perf_counter() - start)
        finally:
            remove_and_wait(card)
            daemon.stop()
    figures = {
        "runs": args.runs,
        "full_read_apdus": apdus,
        "full_read_ms_median": round(_median_ms(full), 2),
        "full_read_ms_max": round(max(full) * 1000, 2),
        "cert_read_apdus": cert_apdus,
        "cert_read_ms_median": round(_median_ms(ours), 2),
        "opensc_read_certificate_ms_median": round(_median_ms(opensc), 2),
        "cert_read_ratio_ours_to_opensc": round(statistics.median(ours) / statistics.median(opensc), 3),
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print("full read (auth cert, CA cert, PIN tries, 照合番号B tries, VERIFY 照合番号B, card face)")
        print(f"  APDUs {apdus}, median {figures['full_read_ms_median']} ms, max {figures['full_read_ms_max']} ms "
              f"over {args.runs} runs (target ≤ 150 ms)")
        print(f"auth certificate read: ours {figures['cert_read_ms_median']} ms ({cert_apdus} APDUs), "
              f"OpenSC pkcs15-tool --read-certificate {figures['opensc_read_certificate_ms_median']} ms")
        print(f"  ratio ours/OpenSC = {figures['cert_read_ratio_ours_to_opensc']} (target ≤ 1.0)")
    return 0
