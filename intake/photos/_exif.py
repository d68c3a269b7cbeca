"""A bounded reader of EXIF (TIFF) blocks: the orientation tag, and nothing hostile on the way.

Pillow would parse the IFD tree lazily and without a budget; here every IFD, entry and pointer
is counted against `Limits`, loops are detected, and the walk stops at the first excess with
`METADATA_BOMB`. Damaged but harmless blocks (offsets past the end) are read as far as they go.
"""

from __future__ import annotations

import struct

from intake.photos._model import DocumentRefused, Limits, RefusalReason

__all__ = ["exif_orientation", "orientation_block"]

_ORIENTATION = 0x0112
_POINTERS = frozenset({0x8769, 0x8825, 0xA005, 0x014A})  # Exif, GPS, Interop IFDs, SubIFDs
_SHORT, _LONG, _IFD = 3, 4, 13


def exif_orientation(tiff: bytes, limits: Limits) -> int:
    """EXIF orientation 1-8 (1 when absent or odd); refuses a block whose IFD tree is a bomb."""
    if len(tiff) < 8 or tiff[:4] not in (b"II*\x00", b"MM\x00*"):
        return 1
    order = "<" if tiff[:2] == b"II" else ">"
    u16, u32 = struct.Struct(order + "H"), struct.Struct(order + "I")
    orientation = 1
    ifd0 = int(u32.unpack_from(tiff, 4)[0])
    pending = [(ifd0, 0)]
    seen: set[int] = set()
    entries = 0
    while pending:
        offset, depth = pending.pop()
        if offset in seen:
            raise DocumentRefused(RefusalReason.METADATA_BOMB, "EXIF IFDs form a loop")
        seen.add(offset)
        if len(seen) > limits.max_ifds or depth > limits.max_ifd_depth:
            raise DocumentRefused(RefusalReason.METADATA_BOMB, "too many or too deep EXIF IFDs")
        if offset < 8 or offset + 2 > len(tiff):
            continue
        count = u16.unpack_from(tiff, offset)[0]
        entries += count
        if entries > limits.max_ifd_entries:
            raise DocumentRefused(RefusalReason.METADATA_BOMB, "too many EXIF entries")
        end = offset + 2 + 12 * count
        for entry in range(offset + 2, min(end, len(tiff) - 11), 12):
            tag, kind, n = struct.unpack_from(order + "HHI", tiff, entry)
            if tag == _ORIENTATION and offset == ifd0 and kind == _SHORT:
                value = u16.unpack_from(tiff, entry + 8)[0]
                orientation = value if 1 <= value <= 8 else 1
            elif tag in _POINTERS and kind in (_LONG, _IFD):
                pending.extend((p, depth + 1) for p in _pointers(tiff, u32, entry, n, limits))
        if end + 4 <= len(tiff):
            following = u32.unpack_from(tiff, end)[0]
            if following:
                pending.append((following, depth))
    return orientation


def _pointers(tiff: bytes, u32: struct.Struct, entry: int, n: int, limits: Limits) -> list[int]:
    if n > limits.max_ifds:
        raise DocumentRefused(RefusalReason.METADATA_BOMB, "too many EXIF sub-IFDs")
    if n == 1:
        return [int(u32.unpack_from(tiff, entry + 8)[0])]
    start = int(u32.unpack_from(tiff, entry + 8)[0])
    ends = range(start + 4, min(start + 4 * n, len(tiff)) + 1, 4)
    return [int(u32.unpack_from(tiff, end - 4)[0]) for end in ends]


def orientation_block(orientation: int) -> bytes:
    """A fresh TIFF block holding only the orientation tag: what survives of a photo's EXIF."""
    ifd = struct.pack(">HHHIHH", 1, _ORIENTATION, _SHORT, 1, orientation, 0)
    return b"MM\x00*" + struct.pack(">I", 8) + ifd + struct.pack(">I", 0)
