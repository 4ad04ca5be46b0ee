"""Where a map's labels go so that none covers another, a marker or a label before it.

:func:`place_labels` picks, for each label in turn, the first of a few offsets around its
anchor (right-above first, as the map always did) whose box touches no marker and no label
already placed and stays inside the map's frame; if every offset touches something, the one
that overlaps least (a part outside the frame, which would be cut off, counts ten times). Boxes are
estimated in points from the text (a CJK character is about one font size wide, others about
0.6) on the map's own scale, so the placement needs no drawing pass.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: a box in points on the map's plane: x0, y0, x1, y1
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Label:
    """One label to place: its anchor (map points), text and font size; ``gap`` (points)
    keeps it clear of the anchor's own marker; ``centred``: tried first centred on the
    anchor (a place name), else first to the right, above."""

    x: float
    y: float
    text: str
    size: float = 9.0
    gap: float = 10.0
    centred: bool = False


def text_size(text: str, size: float) -> tuple[float, float]:
    """Estimated width and height in points of one line of ``text`` at font ``size``
    (with the rounded box the map draws around a label)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    return size * (wide + 0.6 * (len(text) - wide)) + 4.0, size * 1.25 + 2.0


def _offsets(w: float, h: float, gap: float) -> list[tuple[float, float]]:
    """Lower-left corners relative to the anchor, in the order they are tried: right and
    left of it, above and below, then further out; no two of these boxes overlap."""
    above, below = gap * 0.75, -h - gap * 0.75
    return [(gap, above), (gap, below), (-w - gap, above), (-w - gap, below),
            (-w / 2, above + h + 1), (-w / 2, below - h - 1),
            (gap + w + 2, above), (-2 * w - gap - 2, above)]


#: how many of :func:`_offsets` touch the anchor's own neighbourhood (the rest are further out)
_NEAR = 6


def _overlap(a: Box, b: Box) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _outside(box: Box, frame: Box | None) -> float:
    """The area of ``box`` outside ``frame`` (0 without a frame)."""
    if frame is None:
        return 0.0
    return (box[2] - box[0]) * (box[3] - box[1]) - _overlap(box, frame)


def place_labels(labels: Sequence[Label], obstacles: Sequence[Box] = (),
                 frame: Box | None = None) -> list[tuple[float, float]]:
    """Each label's lower-left corner as an offset in points from its anchor, in order;
    ``frame``: the map's own box, which labels stay inside when they can."""
    taken: list[Box] = list(obstacles)
    out: list[tuple[float, float]] = []
    for lab in labels:
        w, h = text_size(lab.text, lab.size)
        best: tuple[float, tuple[float, float], Box] | None = None
        tries = _offsets(w, h, lab.gap)
        if lab.centred:  # a place name stays by its seat (a label width away it names another)
            tries = [(-w / 2, -h / 2), *tries[:_NEAR]]
        for dx, dy in tries:
            box = (lab.x + dx, lab.y + dy, lab.x + dx + w, lab.y + dy + h)
            cost = sum(_overlap(box, t) for t in taken) + 10 * _outside(box, frame)
            if best is None or cost < best[0]:
                best = (cost, (dx, dy), box)
            if cost == 0:
                break
        assert best is not None
        taken.append(best[2])
        out.append(best[1])
    return out


def marker_box(x: float, y: float, half: float) -> Box:
    """The box of a marker ``half`` points either side of its centre."""
    return (x - half, y - half, x + half, y + half)
