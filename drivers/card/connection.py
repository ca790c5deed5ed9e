"""The narrow transport seam: one method, raw bytes in and out.

`CardChannel` sits on top of any connection and is the only place that sends commands: it handles
61xx (GET RESPONSE chains, bounded) and 6Cxx (resend with the right Le), checks the cancel token between
APDUs, counts APDUs, and writes the redacted traffic log.
"""

from __future__ import annotations

import logging
from typing import Protocol

from drivers.card.apdu import CommandApdu, ResponseApdu, get_response
from kiosk.errors import Cancelled, MalformedResponse
from kiosk.ports import CancelToken

TRAFFIC = logging.getLogger("kiosk.traffic.apdu")
MAX_GET_RESPONSE_CHAIN = 64  # 64 × 256 bytes is far past any object on the card; more is an endless chain
MAX_RESPONSE_BYTES = 65536 + 2


class Connection(Protocol):
    """A connected card. `transmit` raises a kiosk CardError (CardRemoved, …) on transport failure."""

    def transmit(self, apdu: bytes) -> bytes: ...


class CardChannel:
    def __init__(self, connection: Connection, cancel: CancelToken | None = None) -> None:
        self._connection = connection
        self.cancel = cancel
        self.apdu_count = 0

    def _raw(self, command: CommandApdu) -> ResponseApdu:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("card operation cancelled")
        raw = self._connection.transmit(command.to_bytes())
        self.apdu_count += 1
        if len(raw) > MAX_RESPONSE_BYTES:
            raise MalformedResponse(f"oversize response of {len(raw)} bytes")
        response = ResponseApdu.parse(raw)
        if TRAFFIC.isEnabledFor(logging.DEBUG):
            TRAFFIC.debug("> %s", command.loggable())
            TRAFFIC.debug("< %s", command.loggable_response(response.data, response.sw))
        return response

    def send(self, command: CommandApdu) -> ResponseApdu:
        response = self._raw(command)
        # wrong Le: the card tells the right one. Only for reads: a command that carries a secret is never
        # sent twice (a second VERIFY could spend a try nobody asked for).
        if response.sw >> 8 == 0x6C and command.le is not None and not command.secret_data:
            response = self._raw(command.with_le(response.sw & 0xFF or 256))
            if response.sw >> 8 == 0x6C:
                raise MalformedResponse("card asked twice for a different Le")
        data = response.data
        chain = 0
        while response.sw >> 8 == 0x61:
            chain += 1
            if chain > MAX_GET_RESPONSE_CHAIN:
                raise MalformedResponse("endless 61xx chain")
            follow = get_response(response.sw & 0xFF or 256)
            if command.secret_response:
                follow = CommandApdu(follow.cla, follow.ins, follow.p1, follow.p2, le=follow.le,
                                     secret_response=True)
            response = self._raw(follow)
            data += response.data
            if len(data) > MAX_RESPONSE_BYTES:
                raise MalformedResponse("61xx chain past the largest possible response")
        if command.le is None and data:
            raise MalformedResponse(f"{len(data)} bytes of data to a command that expects none")
        if command.le is not None and chain == 0 and len(data) > command.le:
            raise MalformedResponse(f"{len(data)} bytes to a command that asked for {command.le}")
        return ResponseApdu(data, response.sw)
