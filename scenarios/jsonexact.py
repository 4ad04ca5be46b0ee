"""Exact JSON reading: orjson's speed without its one silent change.

orjson reads an integer beyond 64 bits as a float: ``113721926178364731803344519897304779925``
(the 128-bit seed ``blinddrill generate`` draws when none is given, kept in the scenario's
``meta``) comes back as ``1.1372192617836474e+38``. The document is then no longer what was
written, and a sealed file's commitment, computed over the document's canonical JSON, fails
to verify: every scenario generated without ``--seed`` was refused by ``verify``, ``simulate``
and ``live import``.

:func:`loads` parses with orjson unless the text holds a run of 19 or more decimal digits
(every integer outside the 64-bit range has at least 19), then with the standard library,
which keeps every integer exact. The check is two vector operations and a byte search
(~20 ms for a 10 MB file); a 19-digit run inside a string (part of a hash) only costs the
slower parser, never a wrong value. Files blinddrill writes itself with orjson (event logs,
caches) cannot hold such integers: ``orjson.dumps`` refuses them.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import orjson

#: decimal digits in a row from which an integer may be outside orjson's 64-bit range
#: (-9223372036854775809 has 19)
LONG_RUN = 19
_RUN = b"\x01" * LONG_RUN


def has_long_digit_run(raw: bytes) -> bool:
    """True if ``raw`` has :data:`LONG_RUN` or more ASCII digits in a row."""
    if len(raw) < LONG_RUN:
        return False
    a = np.frombuffer(raw, dtype=np.uint8)
    digits = (a - np.uint8(48)) <= 9  # uint8 wraps below '0', so one comparison suffices
    return digits.view(np.uint8).tobytes().find(_RUN) >= 0


def loads(raw: bytes | str) -> Any:
    """Parse one JSON document exactly (see the module docstring); raises
    ``orjson.JSONDecodeError`` (a ``ValueError``) on bad JSON, like ``orjson.loads``."""
    b = raw.encode("utf-8") if isinstance(raw, str) else raw
    if has_long_digit_run(b):
        try:
            return json.loads(b)
        except json.JSONDecodeError:
            pass  # bad JSON: orjson raises its own error, the one callers catch
    return orjson.loads(raw)
