"""The virtual My Number card: `execute(apdu) -> response`, behaving as docs/card-reference.md §11 describes.

State per card session: the current DF and EF and the set of verified secrets per DF. Power on, power
off and reset clear it; retry counters live in the CardModel's CounterStore and survive all of these.
Every request is answered at once (vpcd has no timeout: a hung card would hang pcscd's reader thread).
"""

from __future__ import annotations

import logging
import re
import secrets as random_bytes
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from testbench.virtualcard.model import Application, CardModel

log = logging.getLogger(__name__)

OK = b"\x90\x00"
JPKI_AID = bytes.fromhex("D392F000260100000001")
KENHOJO_AID = bytes.fromhex("D3921000310001010408")
# The values CHANGE REFERENCE DATA accepts, per (AP, secret EF) — docs/card-reference.md §8.
SECRET_FORMATS = {
    (JPKI_AID, 0x0018): re.compile(rb"[0-9]{4}"),  # 利用者証明用暗証番号
    (JPKI_AID, 0x001B): re.compile(rb"[A-Z0-9]{6,16}"),  # 署名用パスワード
    (KENHOJO_AID, 0x0011): re.compile(rb"[0-9]{4}"),  # 券面事項入力補助用暗証番号
}


class CardStatus(Exception):
    """Raised inside a handler to answer with a status word."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


@dataclass(frozen=True)
class ParsedApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None  # None: absent; 0 never appears here (decoded to 256 / 65536)


def parse_apdu(raw: bytes) -> ParsedApdu:
    """ISO 7816-4 cases 1–4, short and extended."""
    if len(raw) < 4:
        raise CardStatus(0x6700)
    cla, ins, p1, p2 = raw[:4]
    body = raw[4:]
    data, le = b"", None
    if not body:
        pass
    elif len(body) == 1:
        le = body[0] or 256
    elif body[0] == 0 and len(body) == 3:
        le = int.from_bytes(body[1:3], "big") or 65536
    elif body[0] == 0 and len(body) >= 3:
        lc = int.from_bytes(body[1:3], "big")
        rest = body[3:]
        if len(rest) == lc:
            data = rest
        elif len(rest) == lc + 2:
            data, le = rest[:lc], int.from_bytes(rest[lc:], "big") or 65536
        else:
            raise CardStatus(0x6700)
    else:
        lc = body[0]
        rest = body[1:]
        if len(rest) == lc:
            data = rest
        elif len(rest) == lc + 1:
            data, le = rest[:lc], rest[lc] or 256
        else:
            raise CardStatus(0x6700)
    return ParsedApdu(cla, ins, p1, p2, data, le)


class VirtualMyNumberCard:
    def __init__(self, model: CardModel) -> None:
        self.model = model
        self._df: Application | None = None
        self._ef: int | None = None
        self._verified: dict[bytes, set[int]] = {}
        self.apdus_served = 0

    @property
    def atr(self) -> bytes:
        return self.model.atr

    def reset(self) -> None:
        """Power on, power off and warm reset: forget the selection and every verified secret."""
        self._df, self._ef = None, None
        self._verified.clear()

    def execute(self, raw: bytes) -> bytes:
        self.apdus_served += 1
        try:
            apdu = parse_apdu(raw)
            data = self._dispatch(apdu)
        except CardStatus as status:
            return status.sw.to_bytes(2, "big")
        return data + OK

    # --- dispatch ---------------------------------------------------------------------------------------

    def _dispatch(self, apdu: ParsedApdu) -> bytes:
        if apdu.cla in (0x08, 0x0C, 0x88, 0x8C):  # secure messaging is refused
            raise CardStatus(0x6882 if apdu.ins == 0xA4 else 0x69FC)
        if apdu.cla & 0x03:
            raise CardStatus(0x6881)
        if apdu.cla not in (0x00, 0x80):
            raise CardStatus(0x6E00)
        handler = {
            (0x00, 0xA4): self._select,
            (0x00, 0xB0): self._read_binary,
            (0x00, 0x20): self._verify,
            (0x00, 0x24): self._change_reference_data,
            (0x80, 0x2A): self._compute_signature,
            (0x00, 0x84): self._get_challenge,
            (0x00, 0xCA): self._get_data,
            (0x00, 0xCB): self._get_data,
            (0x80, 0xA2): self._terminal_certificate,
        }.get((apdu.cla, apdu.ins))
        if handler is None:
            raise CardStatus(0x6D00)
        return handler(apdu)

    def _select(self, apdu: ParsedApdu) -> bytes:
        if apdu.p1 == 0x04:
            app = self.model.application(apdu.data)
            if app is None:
                raise CardStatus(0x6A82)
            self._df, self._ef = app, None
            self._verified.pop(app.aid, None)  # re-selecting the AP logs out (OpenSC relies on it)
            return b""
        if apdu.p1 == 0x02:
            if self._df is None or len(apdu.data) != 2:
                raise CardStatus(0x6A82)
            fid = int.from_bytes(apdu.data, "big")
            if fid not in self._df.efs and fid not in self._df.secrets and fid not in self._df.keys:
                raise CardStatus(0x6A82)
            self._ef = fid
            return b""
        if apdu.p1 == 0x00 and apdu.p2 == 0x00 and not apdu.data:
            if self._df is None:
                raise CardStatus(0x6A86)  # select MF right after reset
            return b""  # answers 9000 but stays in the current DF
        raise CardStatus(0x6A86)

    def _current_app(self) -> Application:
        if self._df is None:
            raise CardStatus(0x6986)
        return self._df

    def _target_fid(self, p: int) -> int:
        """P1/P2 `80|SFI` names an EF by its short identifier (the low 5 bits of its FID)."""
        if p & 0x80 and p & 0x1F:
            app = self._current_app()
            sfi = p & 0x1F
            for fid in (*app.efs, *app.secrets, *app.keys):
                if fid & 0x1F == sfi:
                    return fid
            raise CardStatus(0x6A82)
        if self._ef is None:
            raise CardStatus(0x6986)
        return self._ef

    def _read_binary(self, apdu: ParsedApdu) -> bytes:
        app = self._current_app()
        if apdu.p1 & 0x80:
            fid, offset = self._target_fid(apdu.p1), apdu.p2
            self._ef = fid
        else:
            fid, offset = self._target_fid(0), (apdu.p1 << 8) | apdu.p2
        ef = app.efs.get(fid)
        if ef is None:
            raise CardStatus(0x6981)  # a key or secret, not a transparent EF
        if ef.read_requires is not None and not ef.read_requires & self._verified.get(app.aid, set()):
            raise CardStatus(0x6982)
        if offset >= len(ef.data):
            raise CardStatus(0x6B00)
        le = apdu.le if apdu.le is not None else 256
        return ef.data[offset : offset + le]

    def _verify(self, apdu: ParsedApdu) -> bytes:
        app = self._current_app()
        fid = self._target_fid(apdu.p2)
        secret = app.secrets.get(fid)
        if apdu.p1 != 0x00 or secret is None:
            raise CardStatus(0x6A86 if apdu.p1 else 0x6A82)
        if secret.value is None:
            raise CardStatus(0x6A88)  # no secret set on this card
        verified = self._verified.setdefault(app.aid, set())
        tries = self.model.counters.get(app.aid, fid)
        if not apdu.data:
            if fid in verified and self.model.query_answers_9000_when_verified:
                return b""
            raise CardStatus(0x63C0 | min(tries, 15))
        if tries == 0:
            raise CardStatus(0x6984)
        if apdu.data == secret.value:
            self.model.counters.set(app.aid, fid, secret.max_tries)
            verified.add(fid)
            return b""
        verified.discard(fid)
        self.model.counters.set(app.aid, fid, tries - 1)
        log.info("virtual card: wrong secret for %s, %d tries left", f"{fid:04X}", tries - 1)
        raise CardStatus(0x63C0 | (tries - 1))

    def _change_reference_data(self, apdu: ParsedApdu) -> bytes:
        """`00 24 01 80 Lc new` after VERIFY of the same secret (docs/card-reference.md §11 item 6). A new value outside
        the secret's format is refused with 6A80 and changes nothing — the format is the one OpenSC's
        pkcs15-jpki and jpki/myna enforce (4 digits; 6–16 of A–Z 0–9); a real card's exact answer is not
        published, 6A80 is ISO 7816-4's "incorrect data". 照合番号A/B and the birth key follow from the
        card's printed data and cannot be changed (6985)."""
        app = self._current_app()
        fid = self._target_fid(apdu.p2)
        secret = app.secrets.get(fid)
        if secret is None:
            raise CardStatus(0x6A82)
        if apdu.p1 != 0x01:
            raise CardStatus(0x6A86)
        if fid not in self._verified.get(app.aid, set()):
            raise CardStatus(0x6982)
        if not apdu.data:
            raise CardStatus(0x6700)
        rule = SECRET_FORMATS.get((app.aid, fid))
        if rule is None:
            raise CardStatus(0x6985)
        if not rule.fullmatch(apdu.data):
            raise CardStatus(0x6A80)
        secret.value = apdu.data
        return b""

    def _compute_signature(self, apdu: ParsedApdu) -> bytes:
        app = self._current_app()
        fid = self._target_fid(apdu.p2)
        key = app.keys.get(fid)
        if key is None:
            raise CardStatus(0x6A82)
        if apdu.p1 != 0x00:
            raise CardStatus(0x6A86)
        if key.requires is not None and key.requires not in self._verified.get(app.aid, set()):
            raise CardStatus(0x6982)
        if not 1 <= len(apdu.data) <= 245:
            raise CardStatus(0x6700)
        return pkcs1_v15_sign_raw(key.private_key, apdu.data)

    def _get_challenge(self, apdu: ParsedApdu) -> bytes:
        if apdu.le is None or apdu.le > 256:
            raise CardStatus(0x6985 if apdu.le else 0x6700)
        return random_bytes.token_bytes(apdu.le)

    def _get_data(self, apdu: ParsedApdu) -> bytes:
        raise CardStatus(0x6A88)

    def _terminal_certificate(self, apdu: ParsedApdu) -> bytes:
        raise CardStatus(0x6A86)  # 特定機関認証 needs J-LIS-issued credentials; not reproducible


def pkcs1_v15_sign_raw(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    """What the card does for `80 2A 00 80`: pad the given DigestInfo (type 01) and apply the private key."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    k = (n.bit_length() + 7) // 8
    encoded = b"\x00\x01" + b"\xff" * (k - len(data) - 3) + b"\x00" + data
    m = int.from_bytes(encoded, "big")
    # CRT: four times faster than pow(m, d, n)
    s1 = pow(m, numbers.dmp1, numbers.p)
    s2 = pow(m, numbers.dmq1, numbers.q)
    h = (numbers.iqmp * (s1 - s2)) % numbers.p
    return (s2 + h * numbers.q).to_bytes(k, "big")
