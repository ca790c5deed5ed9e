"""`myna-testbench bench card`: APDUs per reception through pcscd + vpcd, before and after issue 15, beside
OpenSC's count for the same data; whole-process times beside whole-process times; the silent-card deadline.

Self-contained: starts pcscd with vpcd (or uses a running one), makes a test card and serves it. APDUs are
counted where they arrive — at the virtual card — so our driver and OpenSC are counted the same way.

- "before": the sequence as it was (short 256-byte reads, the CA certificate read at every insertion, the
  照合番号B counter queried again by the card-face gate).
- "after": what `myna-kiosk run` sends now (extended READ BINARY where the card takes it, the CA certificate
  reused across insertions, the gate using the counter the summary read).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHALLENGE = b"bench-challenge-0123456789abcdef"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process(argv: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall and mean CPU (user+sys) of a whole process, `runs` times."""
    walls, cpu0 = [], _children_cpu()
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1000, (_children_cpu() - cpu0) / runs * 1000


def run(args: argparse.Namespace) -> int:
    from drivers.card.issuer import load_issuer_keys
    from drivers.card.service import MyNumberCardService
    from kiosk.cardface import CardFrontReading
    from kiosk.errors import CardTimeout
    from kiosk.verification_b_gate import VerificationBGate
    from testbench.virtualcard.applications import load_card_model
    from testbench.virtualcard.faults import Fault, FaultyCard
    from testbench.virtualcard.profile import make_profile, read_profile
    from testbench.virtualcard.serving import insert_and_wait, remove_and_wait, start_pcscd
    from testbench.virtualcard.vpcd import VpcdCard

    figures: dict[str, object] = {"runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="myna-bench-") as tmp:
        profile = make_profile(Path(tmp) / "card", Path(tmp) / "pki", seed=7)
        secrets = read_profile(profile).secrets
        verification_b, pin = str(secrets["verification_b"]), str(secrets["auth_pin"])
        keys = load_issuer_keys(Path(tmp) / "pki" / "issuer_public.pem")
        daemon = start_pcscd()
        card = FaultyCard(load_card_model(profile))
        vpcd = VpcdCard(card, port=daemon.port)
        card.vpcd = vpcd

        class Front:  # the document camera, as a reading that is always right
            def looking(self) -> object:
                from contextlib import nullcontext
                return nullcontext(lambda summary: CardFrontReading(verification_b, 0.99, "ok"))

        def reception(service: MyNumberCardService, method: str, *, gate_requery: bool) -> int:
            """One insertion as the runtime drives it; the APDUs the card received."""
            insert_and_wait(vpcd)
            card.arm(None)
            gate = VerificationBGate(service, Front())  # type: ignore[arg-type]
            gate.read_summary()
            if method == "face":
                if gate_requery:
                    service.verification_b_tries_left()
                gate.read_chip_front(gate.scan())
            else:
                gate.sign_challenge(pin, CHALLENGE)
            served = card.seen
            remove_and_wait(vpcd)
            return served

        try:
            for method in ("face", "pin"):
                before = [reception(MyNumberCardService(issuer_keys=keys, extended=False), method, gate_requery=True)
                          for _ in range(2)]
                service = MyNumberCardService(issuer_keys=keys, extended=None)
                after = [reception(service, method, gate_requery=False) for _ in range(3)]
                # the gate's own query is skipped now; "before" adds it back explicitly
                figures[f"{method}_reception_apdus_before"] = before[-1]
                figures[f"{method}_reception_apdus_after_first_insertion"] = after[0]
                figures[f"{method}_reception_apdus_after"] = after[-1]

            # OpenSC, the same data, counted at the card: auth certificate, its CA, a PIN signature
            insert_and_wait(vpcd)
            opensc: dict[str, int] = {}
            message = Path(tmp) / "message.bin"
            message.write_bytes(CHALLENGE)
            commands = {
                "auth_certificate": ["pkcs15-tool", "--read-certificate", "01"],
                "auth_ca_certificate": ["pkcs15-tool", "--read-certificate", "03"],
                "pin_signature": ["pkcs11-tool", "--module", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
                                  "--slot-index", "0", "--login", "--pin", pin, "--sign", "--mechanism",
                                  "SHA256-RSA-PKCS", "--id", "01", "--input-file", str(message), "--output-file",
                                  str(Path(tmp) / "sig.bin")],
            }
            for name, argv in commands.items():
                card.arm(None)
                subprocess.run(argv, check=True, capture_output=True)
                opensc[name] = card.seen
            ours_service = MyNumberCardService(issuer_keys=keys, extended=None)
            card.arm(None)
            ours_service.read_summary()
            ours_cert_summary = card.seen
            card.arm(None)
            ours_service.sign_challenge(pin, CHALLENGE)
            ours_sign = card.seen
            figures["opensc_apdus"] = opensc
            figures["opensc_pin_reception_apdus"] = sum(opensc.values())
            figures["ours_summary_apdus_cold"] = ours_cert_summary
            figures["ours_sign_apdus"] = ours_sign

            # whole process beside whole process: `myna-kiosk card info` (auth cert, CA, both counters) and
            # OpenSC's reads of the auth cert and its CA (no counters) — each a fresh process, as a user runs them
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
            ours_wall, ours_cpu = _process([sys.executable, "-m", "kiosk", "card", "info", "--json"], args.runs, env)
            o1_wall, o1_cpu = _process(commands["auth_certificate"], args.runs)
            o2_wall, o2_cpu = _process(commands["auth_ca_certificate"], args.runs)
            figures["process_ms"] = {"myna_kiosk_card_info": [round(ours_wall, 1), round(ours_cpu, 1)],
                                     "opensc_cert_plus_ca": [round(o1_wall + o2_wall, 1), round(o1_cpu + o2_cpu, 1)]}
            remove_and_wait(vpcd)

            # the deadline on a silent card: the first APDU never answered
            def silent(deadline: float) -> float:
                insert_and_wait(vpcd)
                card.arm(Fault.SILENT, 1)
                start = time.monotonic()
                try:
                    MyNumberCardService(apdu_deadline_s=deadline).read_summary()
                except CardTimeout:
                    pass
                took = time.monotonic() - start
                card.release()
                remove_and_wait(vpcd)
                return took

            figures["silent_card_s"] = {str(d): round(silent(d), 3) for d in (1.0, 5.0)}
        finally:
            card.release()
            if vpcd.inserted:
                remove_and_wait(vpcd)
            daemon.stop()

    if args.json:
        print(json.dumps(figures, indent=1, ensure_ascii=False))
        return 0
    _print(figures)
    return 0


def _print(f: dict[str, object]) -> None:
    print("APDUs per reception, counted at the virtual card (pcscd + vpcd), one insertion each")
    for method in ("face", "pin"):
        before, after = f[f"{method}_reception_apdus_before"], f[f"{method}_reception_apdus_after"]
        print(f"  {method}: before {before}, after {after}"
              f" (first insertion after start {f[f'{method}_reception_apdus_after_first_insertion']}:"
              " the CA certificate is read once)")
    opensc = f["opensc_apdus"]
    assert isinstance(opensc, dict)
    print("OpenSC for the same data (each a fresh process, counted the same way)")
    for name, count in opensc.items():
        print(f"  {name}: {count}")
    print(f"  PIN reception's data (cert + CA + PIN signature): OpenSC {f['opensc_pin_reception_apdus']}, ours "
          f"{f['pin_reception_apdus_after']} (also reads both counters); ours cold summary "
          f"{f['ours_summary_apdus_cold']} + sign {f['ours_sign_apdus']}")
    print("  face reception: OpenSC cannot read the 券面事項確認AP (no figure)")
    process = f["process_ms"]
    assert isinstance(process, dict)
    for name, (wall, cpu) in process.items():
        print(f"whole process {name}: median wall {wall} ms, CPU {cpu} ms (runs {f['runs']})")
    print(f"silent card (no answer to the first APDU): CardTimeout after {f['silent_card_s']} s for deadlines 1 / 5 s")

