"""The dispatch queue: every requirement still short of units, waiting or escalating.

A duty desk that cannot meet a requirement at once keeps it on its board *and* asks the next
level up; whichever comes first — a unit of its own freed, or the higher level acting — serves
it. So a requirement joins the queue as soon as it is short, with the scope of the desk that
holds it (the units that desk commands), and an escalation widens that scope (township →
county → city) without taking it off the board. A unit that becomes free takes the most urgent
waiting requirement it can serve; nothing waits while a capable unit in its scope stands idle,
and escalation never strands a requirement.

Order (``dispatch.queue`` in the parameters, or ``queue_order=`` to
:func:`engine.simulation.simulate`):

- ``grade_then_time`` (default): the most severe grade first (I before IV), then the time
  the requirement was first requested (the alarm taken), then the order of requests;
- ``fifo``: time first requested, then order of requests (grade ignored).

Cost: one heap per (capability, minimum level, desk scope). A freed unit looks only at the tops
of the heaps of its own capabilities, levels and the three scopes that contain it (its
township's, its county's, the city's); stale entries (served, done, superseded by a wider
scope) are dropped lazily as they reach a top. A release costs the same however many
requirements are waiting.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.state import Need

if TYPE_CHECKING:
    from engine.world import RegionIndex

SEVERITY = {"I": 0, "II": 1, "III": 2, "IV": 3}  # the most severe grade first

#: A queue order: the sort key of a waiting requirement (smaller = served first).
QueueOrder = Callable[[Need], tuple[float, ...]]


def grade_then_time(need: Need) -> tuple[float, ...]:
    """Most severe grade first, then the time the requirement was first requested."""
    return (SEVERITY.get(need.incident.grade, 9), need.since)


def fifo(need: Need) -> tuple[float, ...]:
    """Time the requirement was first requested (grade ignored)."""
    return (need.since,)


QUEUE_ORDERS: dict[str, QueueOrder] = {"grade_then_time": grade_then_time, "fifo": fifo}

_Entry = tuple[tuple[float, ...], int, int, Need, str, str]  # key, seq, gen, need, level, jid


class DispatchQueue:
    """Requirements short of units, by capability, minimum level and desk scope."""

    def __init__(self, ix: RegionIndex, order: QueueOrder) -> None:
        self.order = order
        self._heaps: dict[tuple[str, int, str, str], list[_Entry]] = {}
        self._seq = 0
        self._live = 0  # entries pushed and not yet popped (an upper bound on waiting ones)
        # per unit: the (capability, level) pairs it has and the scopes that command it
        self._caps: list[list[tuple[str, int]]] = [[] for _ in ix.unit_ids]
        for cap, lv in ix.cap_level.items():
            for u, lvl in enumerate(lv.tolist()):
                if lvl > 0:
                    self._caps[u].append((cap, int(lvl)))
        self._scopes = [(("township", s), ("county", c or ""), ("city", "*"))
                        for s, c in zip(ix.serving, ix.serving_county, strict=True)]

    def __len__(self) -> int:
        return self._live

    @staticmethod
    def _scope_key(level: str, jid: str) -> tuple[str, str]:
        return (level, "*") if level == "city" else (level, jid)

    def put(self, need: Need, level: str, jid: str) -> None:
        """Put ``need`` on the board of the desk ``level``/``jid`` (replacing any earlier place
        it had: an escalation widens the scope, a grade change re-sorts it)."""
        need.qgen += 1
        need.qscope = (level, jid)
        lv, j = self._scope_key(level, jid)
        self._seq += 1
        heap = self._heaps.setdefault((need.capability, need.min_level, lv, j), [])
        heapq.heappush(heap, (self.order(need), self._seq, need.qgen, need, level, jid))
        self._live += 1

    def resort(self, need: Need) -> None:
        """Re-sort ``need`` after its incident's grade changed (if it is waiting)."""
        if need.qscope is not None and not _stale(need, need.qgen):
            self.put(need, *need.qscope)

    def take(self, u: int) -> tuple[Need, str, str] | None:
        """The most urgent waiting requirement unit ``u`` can serve (capability, level and the
        desk's scope), with the desk's level and jurisdiction; None if there is none. The entry
        stays until the requirement has all its units."""
        if not self._live:
            return None
        best: _Entry | None = None
        heaps = self._heaps
        for cap, lvl in self._caps[u]:
            for ml in range(1, lvl + 1):
                for lv, j in self._scopes[u]:
                    heap = heaps.get((cap, ml, lv, j))
                    if not heap:
                        continue
                    while heap and _stale(heap[0][3], heap[0][2]):
                        heapq.heappop(heap)
                        self._live -= 1
                    if heap and (best is None or heap[0][:2] < best[:2]):
                        best = heap[0]
        if best is None:
            return None
        return best[3], best[4], best[5]


def _stale(need: Need, gen: int) -> bool:
    return (gen != need.qgen or need.done or need.incident.controlled
            or len(need.assigned) >= need.wanted)
