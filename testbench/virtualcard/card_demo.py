"""`myna-testbench virtual-card demo`: a virtual My Number card read through the real PC/SC stack.

Starts pcscd with vpcd (or uses a running one), makes the demo cards under ./var/demo-cards (once),
inserts a card, reads it as the kiosk does — certificates and counters without spending a try, then
照合番号B and the card face — and takes it out again, printing each step with its time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

DEMO_DIR = Path("var/demo-cards")
SHARED_PORTRAIT = Path(__file__).resolve().parents[2].parent / "shared/fixtures/faces/face_recognition/obama.jpg"


def run(args: argparse.Namespace) -> int:
    from PIL import Image

    from drivers.card.pcsc import PresenceMonitor
    from drivers.card.service import MyNumberCardService
    from kiosk.cardface import mask_verification_b
    from testbench.virtualcard.pki import load_pki
    from testbench.virtualcard.profile import Variant, make_profile, read_profile
    from testbench.virtualcard.serving import remove_and_wait, serve_profile, start_pcscd

    started = time.perf_counter()

    def say(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.2f} s] {text}", flush=True)

    variant = Variant(args.variant)
    profile = DEMO_DIR / variant.value
    if not (profile / "profile.json").exists():
        photo = Image.open(SHARED_PORTRAIT) if SHARED_PORTRAIT.exists() else None
        make_profile(profile, DEMO_DIR / "pki", variant, photo=photo, seed=2026)
        say(f"テストカードを作成しました / made test card: {profile}")
    data = read_profile(profile)
    daemon = start_pcscd()
    say("pcscd + vpcd 起動 / started" if daemon.process else "pcscd (running) を使用 / using the running pcscd")
    events: list[str] = []
    monitor = PresenceMonitor(None, lambda reader, present: events.append(
        f"{'カードが置かれました / card placed' if present else 'カードが取られました / card taken'} ({reader})"))
    monitor.start()
    card = serve_profile(profile, port=daemon.port)
    try:
        time.sleep(0.5)
        for event in events:
            say(event)
        service = MyNumberCardService(issuer_key=load_pki(DEMO_DIR / "pki").issuer_key.public_key())
        summary = service.read_summary()
        cert = summary.auth_certificate
        say(f"読み取り / read in {service.last.apdus} APDUs: reader {summary.reader}, ATR {summary.atr.hex().upper()}")
        say(f"  利用者証明用電子証明書 / auth certificate: {cert.subject_id}, 有効期限 / valid to "
            f"{cert.not_after:%Y-%m-%d}, issuer {cert.issuer}")
        pin = "なし / none (顔認証マイナンバーカード)" if summary.pin_less else summary.tries.auth_pin
        say(f"  残り回数 / tries left: 暗証番号 / PIN {pin}, 照合番号B {summary.tries.verification_b}")
        verification_b = str(data.secrets["verification_b"])
        say(f"券面の照合番号B / 照合番号B from the card front: {mask_verification_b(verification_b)}")
        face = service.read_chip_front(verification_b)
        say(f"  券面事項 / card face: expiry {face.expiry}, photo {len(face.photo_jp2)} bytes JPEG 2000, "
            f"issuer signature {'OK' if face.signature_valid else 'NG'}")
        events.clear()
        remove_and_wait(card)
        time.sleep(0.5)
        for event in events:
            say(event)
    finally:
        monitor.stop()
        if card.inserted:
            card.remove()
        daemon.stop()
    say("おわり / done")
    return 0
