"""券面事項入力補助AP (Kenhojo): its 4-digit PIN and the 4 basic attributes (基本4情報, EF 0002).

The My Number EF (0001) is deliberately not read anywhere in the kiosk.
"""

from __future__ import annotations

from datetime import date

from drivers.card import iso7816, tlv
from drivers.card.connection import CardChannel
from kiosk.domain import BasicInfo, Sex
from kiosk.errors import MalformedResponse, PinBlocked, PinWrong, UnsupportedCard

AID = bytes.fromhex("D3921000310001010408")
EF_BASIC_INFO = 0x0002
EF_PIN = 0x0011
TAG_RECORD, TAG_OFFSETS, TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX = 0xFF20, 0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25


def select(channel: CardChannel) -> None:
    if not iso7816.select_application(channel, AID):
        raise UnsupportedCard("no 券面事項入力補助AP")


def pin_tries_left(channel: CardChannel) -> int:
    select(channel)
    return iso7816.tries_left(channel, EF_PIN)


def read_basic_info(channel: CardChannel, pin: str) -> BasicInfo:
    if len(pin) != 4 or not pin.isdigit():
        raise ValueError("the 券面事項入力補助 PIN is 4 digits")
    select(channel)
    iso7816.verify_secret(channel, EF_PIN, pin.encode("ascii"), PinWrong, PinBlocked)
    return parse_basic_info(iso7816.read_binary_all(channel, EF_BASIC_INFO, secret=True))


def parse_basic_info(raw: bytes) -> BasicInfo:
    fields = {tag: item.value for tag, item in tlv.children(raw, TAG_RECORD).items()}
    try:
        birth = fields[TAG_BIRTH].decode("ascii")
        return BasicInfo(
            name=fields[TAG_NAME].decode("utf-8"),
            address=fields[TAG_ADDRESS].decode("utf-8"),
            birth_date=date(int(birth[:4]), int(birth[4:6]), int(birth[6:8])),
            sex=Sex(fields[TAG_SEX].decode("ascii")),
        )
    except (KeyError, UnicodeDecodeError, ValueError) as exc:
        raise MalformedResponse("基本4情報 record is malformed") from exc
