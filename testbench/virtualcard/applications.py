"""Build the virtual card's three applications (JPKI, 券面事項確認AP, 券面事項入力補助AP) from a profile."""

from __future__ import annotations

from pathlib import Path

from drivers.card import jpki, kenhojo, kenkaku
from testbench.virtualcard import records
from testbench.virtualcard.model import Application, CardModel, CounterStore, Ef, Key, Secret, counter_defaults, pad
from testbench.virtualcard.pki import load_pki, read_key
from testbench.virtualcard.profile import CONTACT_ATR, read_profile

CERT_EF_SIZE = 2048
SECRET_FIDS = {  # profile secret name → (application AID, EF)
    "auth_pin": (jpki.AID, jpki.EF_AUTH_PIN),
    "sign_password": (jpki.AID, jpki.EF_SIGN_PASSWORD),
    "kenhojo_pin": (kenhojo.AID, kenhojo.EF_PIN),
    "verification_b": (kenkaku.AID, kenkaku.EF_VERIFICATION_B),
}
KENKAKU_B, KENKAKU_A, KENKAKU_BIRTH = 0x0012, 0x0013, 0x0011
KENHOJO_A, KENHOJO_B = 0x0014, 0x0015


def _secret(value: str | None, max_tries: int) -> Secret:
    return Secret(None if value is None else value.encode("ascii"), max_tries)


def load_card_model(directory: Path, *, persist_counters: bool = True) -> CardModel:
    """The profile in `directory` as a card. With `persist_counters`, every counter change is saved in
    counters.json, so a wrong PIN through one client is seen by the next, as on a real card."""
    profile = read_profile(directory)
    secrets = profile.secrets
    files = {name: (directory / name).read_bytes() for name in ("auth_cert.der", "auth_ca.der", "sign_ca.der",
                                                                "card_face.bin", "basic_info.bin")}
    pin_less = secrets["auth_pin"] is None
    issuer_key = load_pki(profile.pki_dir).issuer_key

    jpki_app = Application("JPKI", jpki.AID)
    jpki_app.efs = {
        jpki.EF_SIGN_CA: Ef(pad(files["sign_ca.der"], CERT_EF_SIZE)),
        jpki.EF_TOKEN_INFO: Ef(records.token_info()),
        0x0008: Ef(b"\x8f\x8f\x00" if not pin_less else b"\x00\x8f\x00"),
        jpki.EF_AUTH_CERT: Ef(pad(files["auth_cert.der"], CERT_EF_SIZE)),
        jpki.EF_AUTH_CA: Ef(pad(files["auth_ca.der"], CERT_EF_SIZE)),
    }
    jpki_app.secrets = {jpki.EF_AUTH_PIN: _secret(secrets["auth_pin"], 3),
                        jpki.EF_SIGN_PASSWORD: _secret(secrets["sign_password"], 5)}
    jpki_app.keys = {jpki.EF_AUTH_KEY: Key(read_key(directory / "auth_key.pem"), jpki.EF_AUTH_PIN)}
    if (directory / "sign_cert.der").exists():
        jpki_app.efs[jpki.EF_SIGN_CERT] = Ef(pad((directory / "sign_cert.der").read_bytes(), CERT_EF_SIZE),
                                            frozenset({jpki.EF_SIGN_PASSWORD}))
        jpki_app.keys[jpki.EF_SIGN_KEY] = Key(read_key(directory / "sign_key.pem"), jpki.EF_SIGN_PASSWORD)

    card_key = read_key(directory / "card_key.pem")
    kenkaku_app = Application("券面事項確認AP", kenkaku.AID)
    kenkaku_app.efs = {kenkaku.EF_CARD_FACE: Ef(pad(files["card_face.bin"], len(files["card_face.bin"]) + 64),
                                                frozenset({KENKAKU_A, KENKAKU_B}))}
    kenkaku_app.secrets = {KENKAKU_B: _secret(secrets["verification_b"], 3),
                           KENKAKU_A: _secret(secrets["verification_a"], 10),
                           KENKAKU_BIRTH: _secret(secrets["birth_key"], 10)}
    kenkaku_app.keys = {0x001A: Key(card_key, None)}
    kenkaku_app.efs[0x0003] = Ef(records.kenkaku_ap_info(card_key))  # free (docs/card-reference.md §6.1)
    kenkaku_app.efs[0x0004] = Ef(records.cv_certificate(card_key, issuer_key))  # free

    my_number_ef = records.my_number_record(str(secrets["verification_a"]))
    kenhojo_app = Application("券面事項入力補助AP", kenhojo.AID)
    kenhojo_app.efs = {
        0x0001: Ef(my_number_ef, frozenset({kenhojo.EF_PIN, KENHOJO_A})),
        kenhojo.EF_BASIC_INFO: Ef(pad(files["basic_info.bin"], 512), frozenset({kenhojo.EF_PIN, KENHOJO_B})),
        0x0003: Ef(records.integrity_record(my_number_ef, files["basic_info.bin"], issuer_key),
                   frozenset({kenhojo.EF_PIN, KENHOJO_A, KENHOJO_B})),
    }
    kenhojo_app.secrets = {kenhojo.EF_PIN: _secret(secrets["kenhojo_pin"], 3),
                           KENHOJO_A: _secret(secrets["verification_a"], 10),
                           KENHOJO_B: _secret(secrets["verification_b"], 10)}
    kenhojo_app.keys = {0x0013: Key(card_key, None)}
    kenhojo_app.efs[0x0004] = Ef(records.cv_certificate(card_key, issuer_key))  # free (docs/card-reference.md §5.1)
    kenhojo_app.efs[0x0005] = Ef(records.kenhojo_ap_info(card_key))  # free

    applications = [jpki_app, kenkaku_app, kenhojo_app]
    counters = CounterStore(directory / "counters.json" if persist_counters else None, counter_defaults(applications))
    if not (directory / "counters.json").exists():
        for name, (aid, fid) in SECRET_FIDS.items():  # the profile's starting counters (PIN at 1 try, …)
            counters.set(aid, fid, int(profile.tries[name]))
    return CardModel(CONTACT_ATR, applications, counters)
