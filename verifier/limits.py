"""Strict input at the door: body size and JSON depth enforced while the body streams in, before any handler.

`BodyGuard` is a pure ASGI middleware. A declared Content-Length over the path's limit gets 413 before one
byte of the body is read; a body without one (chunked) is counted as it arrives and cut off at the limit
(413, connection closed), so the verifier never holds more than the limit per request. JSON bodies are fed
through `DepthGuard` chunk by chunk: nesting deeper than `max_depth` is a 400 before the parser sees it
(the stdlib parser would recurse and fail with RecursionError). The handler then gets the body from memory.

`rfc3339` parses a date-time in the RFC 3339 profile only: ASCII digits, explicit offset or Z.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from typing import Any

from verifier.errors import Refused

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_DEPTH = 16  # a result nests 4 deep (body → consents → item); 16 leaves room and stops a parser bomb
_TOKENS = re.compile(rb'["\\\[\]{}]')
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII)


class TooDeep(ValueError):
    pass


class DepthGuard:
    """Tracks JSON nesting over a byte stream without parsing it (strings and escapes are skipped).

    Depth only grows at a `[` or `{` byte, so while the depth scanned so far plus every such byte not yet
    scanned stays within `max_depth` nothing can be too deep, and the chunks wait unscanned (two C-speed byte
    counts instead of a token walk; a result has about a dozen). Once that bound passes `max_depth` the waiting
    chunks are scanned in order, exactly as if each had been scanned on arrival."""

    def __init__(self, max_depth: int = MAX_DEPTH) -> None:
        self.max_depth = max_depth
        self.depth = 0  # of the scanned part
        self._in_string = False
        self._escape = False
        self._waiting: list[bytes] = []
        self._waiting_opens = 0

    def feed(self, chunk: bytes) -> None:
        self._waiting.append(chunk)
        self._waiting_opens += chunk.count(b"[") + chunk.count(b"{")
        if self.depth + self._waiting_opens <= self.max_depth:
            return
        waiting, self._waiting, self._waiting_opens = self._waiting, [], 0
        for piece in waiting:
            self._scan(piece)

    def _scan(self, chunk: bytes) -> None:
        pos = 0
        if self._escape and chunk:
            pos, self._escape = 1, False
        while (match := _TOKENS.search(chunk, pos)) is not None:
            token, pos = match.group(), match.end()
            if self._in_string:
                if token == b"\\":
                    if pos >= len(chunk):
                        self._escape = True
                        return
                    pos += 1
                elif token == b'"':
                    self._in_string = False
            elif token == b'"':
                self._in_string = True
            elif token in (b"[", b"{"):
                self.depth += 1
                if self.depth > self.max_depth:
                    raise TooDeep(f"JSON nested deeper than {self.max_depth}")
            elif token in (b"]", b"}"):
                self.depth -= 1


def loads_strict(body: bytes) -> Any:
    """JSON without NaN/Infinity (a NaN distance compares false to every threshold) and without deep nesting.

    Parsed first, then the parsed value's depth is checked: the C parser itself stops a parser bomb at the
    interpreter's recursion limit (RecursionError), and walking the few dozen parsed containers is ~10x
    cheaper than the token scan. Only a body that does not parse is scanned by `DepthGuard`, so that a body
    both too deep and malformed is still `json_too_deep`, as when the scan came first."""
    try:
        value = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        try:
            DepthGuard().feed(body)
        except TooDeep as deep:
            raise Refused("json_too_deep", str(deep)) from deep
        raise Refused("invalid_json") from exc
    if _deeper_than(value, MAX_DEPTH):
        raise Refused("json_too_deep", f"JSON nested deeper than {MAX_DEPTH}")
    return value


def _deeper_than(value: Any, max_depth: int) -> bool:
    """Whether parsed JSON nests more than `max_depth` containers deep (a scalar is depth 0), iteratively."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def rfc3339(text: object, field: str) -> datetime:
    """An RFC 3339 date-time with ASCII digits and an offset, or a 400 `invalid_time` naming the field."""
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        raise Refused("invalid_time", f"{field}: not an RFC 3339 date-time (ASCII digits, offset or Z)")
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError as exc:
        raise Refused("invalid_time", f"{field}: not a real date-time") from exc


class BodyGuard:
    """413 before reading an oversized body, counting while streaming, depth-checking JSON as it arrives."""

    def __init__(self, app: ASGIApp, limits: dict[str, int], default_limit: int = 4096,
                 json_prefix: str = "/v1/") -> None:
        self.app = app
        self.limits = limits
        self.default_limit = default_limit
        self.json_prefix = json_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.isdigit():
                    await _refuse(send, Refused("invalid_request", "Content-Length is not a decimal number"))
                    return
                declared = int(value)
        if declared is not None and declared > limit:
            await _refuse(send, Refused("payload_too_large"), close=True)
            return
        guard = DepthGuard() if scope["path"].startswith(self.json_prefix) else None
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, Refused("payload_too_large"), close=True)
                return
            if guard is not None and chunk:
                try:
                    guard.feed(chunk)
                except TooDeep as exc:
                    await _refuse(send, Refused("json_too_deep", str(exc)), close=True)
                    return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, refusal: Refused, close: bool = False) -> None:
    payload = json.dumps(refusal.to_json()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if close:  # the rest of the body is never read: the connection cannot be reused
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": refusal.http_status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
