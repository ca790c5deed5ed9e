"""A small BER-TLV parser: enough for X.509 headers and the 券面 APs' private-class records.

Tags may be one byte or multi-byte (`FF 20`, `DF 21`, `7F 21`, `5F xx`); the My Number EFs use the
2-byte form even where one byte would do. Lengths may be short or long form. Every malformation raises
MalformedResponse — never an IndexError, never a huge allocation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.errors import MalformedResponse

MAX_LENGTH_BYTES = 3  # 16 MiB is far past any EF on the card; more is a lying length


@dataclass(frozen=True)
class TlvHeader:
    tag: int
    header_length: int  # bytes of tag + length
    value_length: int

    @property
    def total_length(self) -> int:
        return self.header_length + self.value_length


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes = field(repr=False)
    offset: int  # position of the tag's first byte within the parsed buffer


def parse_header(data: bytes, offset: int = 0) -> TlvHeader:
    """Parse the tag and length at `offset`; needs only the header bytes, not the value."""
    pos = offset
    if pos >= len(data):
        raise MalformedResponse("TLV header truncated before the tag")
    first = data[pos]
    tag = first
    pos += 1
    if first & 0x1F == 0x1F:  # multi-byte tag: continuation bytes have bit 8 set
        while True:
            if pos >= len(data) or pos - offset > 3:
                raise MalformedResponse("TLV tag truncated or too long")
            tag = (tag << 8) | data[pos]
            pos += 1
            if not data[pos - 1] & 0x80:
                break
    if pos >= len(data):
        raise MalformedResponse("TLV header truncated before the length")
    length_byte = data[pos]
    pos += 1
    if length_byte < 0x80:
        length = length_byte
    else:
        count = length_byte & 0x7F
        if count == 0 or count > MAX_LENGTH_BYTES:
            raise MalformedResponse(f"unsupported TLV length form {length_byte:02X}")
        if pos + count > len(data):
            raise MalformedResponse("TLV length truncated")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    return TlvHeader(tag, pos - offset, length)


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    header = parse_header(data, offset)
    start = offset + header.header_length
    end = start + header.value_length
    if end > len(data):
        raise MalformedResponse(f"TLV {header.tag:X} claims {header.value_length} bytes, {len(data) - start} present")
    return Tlv(header.tag, data[start:end], offset)


def parse_all(data: bytes, base_offset: int = 0) -> list[Tlv]:
    """Parse consecutive TLVs, stopping at `FF`/`00` filler (EFs are padded past their record)."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        if data[pos] in (0x00, 0xFF) and (pos + 1 >= len(data) or data[pos + 1] in (0x00, 0xFF)):
            break  # filler, not a tag
        item = parse_one(data, pos)
        items.append(Tlv(item.tag, item.value, base_offset + pos))
        pos += parse_header(data, pos).total_length
    return items


def children(data: bytes, outer_tag: int) -> dict[int, Tlv]:
    """Parse a constructed record `outer_tag { child … }` and return its children by tag."""
    outer = parse_one(data)
    if outer.tag != outer_tag:
        raise MalformedResponse(f"expected tag {outer_tag:X}, found {outer.tag:X}")
    result: dict[int, Tlv] = {}
    for child in parse_all(outer.value, base_offset=outer.offset + parse_header(data).header_length):
        result.setdefault(child.tag, child)
    return result


def encode(tag: int, value: bytes) -> bytes:
    """DER-style encoding, used by the virtual card to build its records."""
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    n = len(value)
    if n < 0x80:
        length = bytes((n,))
    else:
        body = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes((0x80 | len(body),)) + body
    return tag_bytes + length + value
