"""The event log as numpy columns: built once, read by every clock and metric.

:class:`LogTable` holds one array per column (time, kind code, incident code, unit code, …) plus
the vocabularies that decode the codes. Records stay available for the sparse payloads
(``data``) that a few metrics read; :meth:`LogTable.data_column` gathers one payload key for one
kind. :class:`Incidents` holds each incident's attributes (grade, category, township, truth …)
taken from its ``incident_occurred`` record and ``incident_escalated`` updates.

Nothing here knows about rule packs or scores.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from engine.eventlog import EVENT_KINDS
from engine.eventvalues import CASUALTY_KEYS, GRADES
from scenarios.loading import InputError

if TYPE_CHECKING:
    import pyarrow as pa

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(EVENT_KINDS)}
#: Grades from most to least severe (the log's, :data:`engine.eventvalues.GRADES`); a
#: smaller rank is worse.
GRADE_RANK: dict[str, int] = {g: i for i, g in enumerate(GRADES)}


def _codes(values: Sequence[Any]) -> tuple[IntArray, list[str]]:
    """Code a column of ids (None → -1) in order of first appearance."""
    vocab = [k for k in dict.fromkeys(values) if k is not None]
    mapping: dict[Any, int] = {k: i for i, k in enumerate(vocab)}
    mapping[None] = -1
    codes = np.fromiter(map(mapping.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, [str(k) for k in vocab]


def label_codes(labels: Sequence[str]) -> tuple[IntArray, list[str]]:
    """Code a list of labels: ``codes[i]`` indexes the returned vocabulary (first-appearance
    order) for ``labels[i]``; see :func:`evaluators.clocks.breakdown_codes`."""
    vocab = list(dict.fromkeys(labels))
    index = {k: i for i, k in enumerate(vocab)}
    return np.fromiter(map(index.__getitem__, labels), np.int64, len(labels)), vocab



@dataclass
class LogTable:
    """Columns of one event log. Codes index the ``*_ids`` vocabularies; -1 means null.

    Post and depot ids, used by a few sparse kinds only, are read from ``records``.
    """

    records: list[dict[str, Any]]
    t: FloatArray
    kind: IntArray
    incident: IntArray
    unit: IntArray
    incident_ids: list[str]
    unit_ids: list[str]
    sources: dict[str, int] = field(default_factory=dict)
    as_of: float | None = None
    _by_kind: dict[int, IntArray] = field(default_factory=dict, repr=False)
    _data_cache: dict[tuple[str, str], list[Any]] = field(default_factory=dict, repr=False)
    _datas: tuple[Any, ...] | None = field(default=None, repr=False)

    @classmethod
    def from_records(
        cls, records: list[dict[str, Any]], source: str = "<log>",
        kinds: Collection[str] | None = None, as_of: float | None = None,
    ) -> LogTable:
        """Build the columns from plain records (as read by ``engine.eventlog.read_records``).

        ``kinds``: fill the incident and unit columns only for rows of these kinds (the ones
        the evaluators will read; other rows get -1), which skips the bulk of a log's task and
        movement events; None fills every row. ``sources`` counts the rows indexed.
        ``as_of`` (a live drill's "now", minutes): records after it are left out and clocks
        still waiting at that time are censored there (see :attr:`censor_time`). Raises
        :class:`InputError` naming ``source``
        for an unknown kind or a missing key. Records out of time order are stably sorted by
        ``t`` (a live log is appended in order; this only guards hand-merged files).
        """
        n = len(records)
        # a large log's columns in one C-level pass (pyarrow); else one pass reading the same
        # columns as tuples (_row_columns). None: a record omits a field, see _with_defaults
        cols = _arrow_columns(records) if n >= ARROW_MIN_RECORDS else None
        rows: _RowColumns | None = None
        try:
            if cols is not None:
                kind, t = cols.kind, cols.t
            else:
                records, rows = _read_rows(records)
                if rows is None:
                    raise KeyError("seq, t or kind")
                kind = np.fromiter(map(KIND_CODE.get, rows.kind, itertools.repeat(-1)),
                                   np.int64, n)
                t = np.array(rows.t, dtype=np.float64)
            if n and not isinstance(records[0].get("data", {}), dict):
                raise TypeError("data is not an object")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            bad = next((i for i, r in enumerate(records) if not _complete(r) or not _timed(r)), 0)
            raise InputError(source, [f"record {bad + 1}: missing or invalid key ({exc})"]) from None
        if n and kind.min() < 0:
            bad = int(np.flatnonzero(kind < 0)[0])
            raise InputError(
                source, [f"record {bad + 1}: unknown event kind '{records[bad]['kind']}'"]
            )
        if n and not np.all(np.isfinite(t)):
            raise InputError(source, ["a record has a non-finite time"])
        if n > 1 and np.any(np.diff(t) < 0):
            order = np.argsort(t, kind="stable")
            records = [records[i] for i in order]
            t, kind = t[order], kind[order]
            if cols is not None:
                cols = cols.take(order)
            rows = None  # read again from the sorted records
        if as_of is not None:
            if not np.isfinite(as_of) or as_of < 0:
                raise InputError(source, [f"as_of: {as_of} is not a time in minutes (>= 0)"])
            keep = int(np.searchsorted(t, as_of + 1e-9, side="right"))
            if keep < n:
                records, t, kind, n = records[:keep], t[:keep], kind[:keep], keep
                if cols is not None:
                    cols = _ArrowColumns(kind, t, cols.arr.slice(0, keep),
                                         None if cols.seq is None else cols.seq[:keep])
        if kinds is None:
            idx = range(n)
            where: IntArray | None = None
        else:
            where = np.flatnonzero(np.isin(kind, [KIND_CODE[k] for k in kinds]))
            idx = where.tolist()  # type: ignore[assignment]
        coded = cols.ids(records, where) if cols is not None else None
        if coded is not None:
            inc_c, inc_ids, unit_c, unit_ids, sources = coded
        else:
            if rows is None:  # sorted, or the arrow path gave up (a cut keeps a prefix)
                records, rows = _read_rows(records)
                if rows is None:  # (seq, t and kind were read above)
                    bad = next((i for i, r in enumerate(records) if not _complete(r)), 0)
                    raise InputError(source, [f"record {bad + 1}: missing key"])
            inc_c, inc_ids = _codes(list(map(rows.incident.__getitem__, idx)))
            unit_c, unit_ids = _codes(list(map(rows.unit.__getitem__, idx)))
            sources = dict(sorted(Counter(map(rows.source.__getitem__, idx)).items()))
        if where is None:
            inc, unit = inc_c, unit_c
        else:
            inc = np.full(n, -1, dtype=np.int64)
            unit = np.full(n, -1, dtype=np.int64)
            inc[where], unit[where] = inc_c, unit_c
        tab = cls(records, t, kind, inc, unit, inc_ids, unit_ids, sources, as_of)
        if rows is not None:
            tab._datas = rows.data  # data_column gathers from it (a tuple: no record touched)
        if cols is not None and cols.seq is not None:
            tab.__dict__["seq"] = cols.seq  # the cached ``seq`` column, read in the same pass
        return tab

    def __len__(self) -> int:
        return len(self.records)

    @property
    def end_time(self) -> float:
        """Time of ``drill_ended`` (the last one), else of the last record; 0 for an empty log."""
        ended = self.of_kind("drill_ended")
        if len(ended):
            return float(self.t[ended[-1]])
        return float(self.t[-1]) if len(self.t) else 0.0

    @property
    def censor_time(self) -> float:
        """When clocks still waiting for their stop event are judged (the censoring time).

        ``as_of`` if given (a live drill's "now"), but never after ``drill_ended``; else
        :attr:`end_time`. A wait whose limit passed before this time is breached; one whose
        limit had not passed is open (not assessable). Never used as a stop time.
        """
        if self.as_of is None:
            return self.end_time
        ended = self.of_kind("drill_ended")
        if len(ended):
            return min(float(self.as_of), float(self.t[ended[-1]]))
        return float(self.as_of)

    def cut(self, as_of: float) -> LogTable:
        """This log as it stood at ``as_of`` (later records dropped, censored at ``as_of``)."""
        if self.as_of is not None and as_of >= self.as_of:
            return self
        keep = int(np.searchsorted(self.t, as_of + 1e-9, side="right"))
        if keep == len(self.t) and self.as_of is None:
            out = LogTable(self.records, self.t, self.kind, self.incident, self.unit,
                           self.incident_ids, self.unit_ids, self.sources, float(as_of))
            out._by_kind = self._by_kind
            out._data_cache = self._data_cache
            return out
        return LogTable(self.records[:keep], self.t[:keep], self.kind[:keep],
                        self.incident[:keep], self.unit[:keep], self.incident_ids,
                        self.unit_ids, self.sources, float(as_of))

    def of_kind(self, kind: str) -> IntArray:
        """Row indices (in log order) of the events of ``kind``."""
        code = KIND_CODE[kind]
        rows = self._by_kind.get(code)
        if rows is None:
            if not self._by_kind:
                self._index_kinds()
            rows = self._by_kind.get(code, np.zeros(0, dtype=np.int64))
        return rows

    def _index_kinds(self) -> None:
        order = np.argsort(self.kind, kind="stable")
        sk = self.kind[order]
        starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]]) if len(sk) else np.zeros(0, int)
        bounds = np.r_[starts, len(sk)]
        for a, b in zip(bounds[:-1], bounds[1:], strict=False):
            self._by_kind[int(sk[a])] = order[a:b]

    def data_column(self, kind: str, key: str) -> list[Any]:
        """``data[key]`` (None when absent) of each event of ``kind``, aligned with ``of_kind``."""
        ck = (kind, key)
        col = self._data_cache.get(ck)
        if col is None:
            datas = self._data_cache.get((kind, ""))
            if datas is None:
                rows = self.of_kind(kind).tolist()
                try:
                    datas = list(map(self._datas.__getitem__, rows)) if self._datas is not None \
                        else list(map(_DATA, map(self.records.__getitem__, rows)))
                except KeyError:  # a record without data (the schema's default: {})
                    datas = [self.records[i].get("data", {}) for i in rows]
                self._data_cache[(kind, "")] = datas
            col = list(map(dict.get, datas, itertools.repeat(key)))
            self._data_cache[ck] = col
        return col

    def seqs(self, rows: IntArray) -> list[int]:
        """The ``seq`` numbers of some rows, as plain ints (evidence for findings)."""
        recs = self.records
        return [int(recs[i]["seq"]) for i in np.asarray(rows).tolist()]

    @cached_property
    def seq(self) -> IntArray:
        """The ``seq`` column (built on first use: one sequential pass)."""
        return np.fromiter(map(_SEQ, self.records), np.int64, len(self.records))

    def seq_array(self, rows: IntArray) -> IntArray:
        """``seq`` of each row as an array; row -1 gives -1."""
        return np.where(rows >= 0, self.seq[np.maximum(rows, 0)], -1) if len(self.seq) \
            else np.full(len(rows), -1, dtype=np.int64)

    @cached_property
    def occurred_seqs(self) -> frozenset[int]:
        """The ``seq`` numbers of the ``incident_occurred`` records (never evidence)."""
        return frozenset(self.seqs(self.of_kind("incident_occurred")))

    @cached_property
    def incident_code(self) -> dict[str, int]:
        """Incident id → code."""
        return {iid: i for i, iid in enumerate(self.incident_ids)}

    @cached_property
    def unit_code(self) -> dict[str, int]:
        """Unit id → code."""
        return {uid: i for i, uid in enumerate(self.unit_ids)}

    @cached_property
    def incidents(self) -> Incidents:
        """Attributes of every incident code (see :class:`Incidents`)."""
        return Incidents.from_table(self)




_SEQ = operator.itemgetter("seq")
_DATA = operator.itemgetter("data")
#: the columns :func:`_arrow_columns` reads, with their types
#: logs of at least this many records have their columns read by pyarrow (:func:`_arrow_columns`):
#: ~0.65 s saved a million records, against ~0.4 s to import pyarrow (and the pandas it loads)
#: in a process that has not yet; smaller logs take the per-column path (the same columns)
ARROW_MIN_RECORDS = 500_000
_ARROW_FIELDS = ("t", "kind", "incident", "unit", "source")


@dataclass
class _ArrowColumns:
    """The table's columns read from the records in one pass by pyarrow (a struct array)."""

    kind: IntArray
    t: FloatArray
    arr: pa.StructArray
    seq: IntArray | None = None

    def take(self, rows: IntArray) -> _ArrowColumns:
        """These columns at ``rows`` (a reordering or a prefix)."""
        import pyarrow as pa

        return _ArrowColumns(self.kind[rows], self.t[rows],
                             self.arr.take(pa.array(rows, type=pa.int64())),
                             None if self.seq is None else self.seq[rows])

    def ids(self, records: list[dict[str, Any]], where: IntArray | None
            ) -> tuple[IntArray, list[str], IntArray, list[str], dict[str, int]] | None:
        """Incident and unit codes and vocabularies and the source counts of the rows ``where``
        (all rows if None), exactly as :func:`_codes` and ``Counter`` give them; None if a row
        lacks a key or has no source (then the checking path reports it)."""
        import pyarrow as pa

        sub = self.arr if where is None else self.arr.take(pa.array(where, type=pa.int64()))
        out: list[Any] = []
        for name in ("incident", "unit"):
            col = sub.field(name)
            if col.null_count:  # null: a None id, or a missing key (the checking path's error)
                nulls = np.flatnonzero(col.is_null().to_numpy(zero_copy_only=False))
                rows = nulls.tolist() if where is None else where[nulls].tolist()
                if not all(map(dict.__contains__, map(records.__getitem__, rows),
                               itertools.repeat(name))):
                    return None
            enc = col.dictionary_encode()
            out += [enc.indices.fill_null(-1).to_numpy().astype(np.int64),
                    enc.dictionary.to_pylist()]
        src = sub.field("source")
        if src.null_count:
            return None
        enc = src.dictionary_encode()
        counts = np.bincount(enc.indices.to_numpy(), minlength=len(enc.dictionary)).tolist()
        out.append(dict(sorted(zip(enc.dictionary.to_pylist(), counts, strict=True))))
        return out[0], out[1], out[2], out[3], out[4]


def _arrow_columns(records: list[dict[str, Any]]) -> _ArrowColumns | None:
    """``kind`` codes, ``t`` and the id columns of plain records, read in one C-level pass
    (a million records: ~0.5 s against ~1.2 s for a pass per column). None when a record is
    not a dict, lacks ``kind`` or ``t`` or holds a value of another type: the per-column
    path then gives the same result or names the bad record."""
    import pyarrow as pa

    fields = [("t", pa.float64()), ("kind", pa.string()), ("incident", pa.string()),
              ("unit", pa.string()), ("source", pa.string())]
    types = (pa.struct([*fields, ("seq", pa.int64())]), pa.struct(fields))
    for ty in types:  # with the seq column, else (a seq of another type) without
        try:
            arr = pa.array(records, type=ty)
            break
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            continue
    else:
        return None
    if not isinstance(arr, pa.StructArray) or arr.null_count:
        return None
    kinds, times = arr.field("kind"), arr.field("t")
    if kinds.null_count or times.null_count:
        return None
    enc = kinds.dictionary_encode()
    lut = np.array([KIND_CODE.get(k, -1) for k in enc.dictionary.to_pylist()] + [-1],
                   dtype=np.int64)
    kind = lut[enc.indices.to_numpy()] if len(arr) else np.zeros(0, dtype=np.int64)
    t = times.to_numpy().astype(np.float64)
    seq = None
    if arr.type.num_fields > len(_ARROW_FIELDS) and not arr.field("seq").null_count:
        seq = arr.field("seq").to_numpy().astype(np.int64)  # else built on first use
    return _ArrowColumns(kind, t, arr, seq)


@dataclass
class _RowColumns:
    """The table's columns read from the records in one pass, as tuples (one per column)."""

    t: tuple[Any, ...]
    kind: tuple[Any, ...]
    incident: tuple[Any, ...]
    unit: tuple[Any, ...]
    source: tuple[Any, ...]
    data: tuple[Any, ...]


_ROW = operator.itemgetter(*_ARROW_FIELDS, "data")


def _row_columns(records: list[dict[str, Any]]) -> _RowColumns | None:
    """``t``, ``kind`` and the id columns of plain records, each record read once (a
    10,000-incident drill's 188,000 records: ~0.15 s against ~0.4 s for a pass per column).
    None when a record omits one of them (or is not a dict)."""
    if not records:
        return _RowColumns((), (), (), (), (), ())
    try:
        cols = tuple(zip(*map(_ROW, records), strict=True))
    except (KeyError, TypeError):
        return None
    return _RowColumns(*cols)


#: what a record that omits an optional field reads as: the log schema's default
#: (:class:`engine.eventschema.Event`; the log check accepts such a record)
_DEFAULTS: dict[str, Any] = {"incident": None, "unit": None, "inject": None, "depot": None,
                             "post": None, "source": "sim"}


def _read_rows(records: list[dict[str, Any]]
               ) -> tuple[list[dict[str, Any]], _RowColumns | None]:
    """The records (with :func:`_with_defaults` if one omits an optional field) and their
    columns; None if a record is not a dict or lacks a required field."""
    rows = _row_columns(records)
    if rows is None:
        records = _with_defaults(records)
        rows = _row_columns(records)
    return records, rows


def _with_defaults(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records, each one that omits an optional field completed with its default (a new
    dict; the others as they are)."""
    keys = {*_DEFAULTS, "data"}
    return [{**_DEFAULTS, "data": {}, **r} if isinstance(r, dict) and not keys <= r.keys() else r
            for r in records]


def _timed(r: dict[str, Any]) -> bool:
    """``t`` is a number (a complete record whose ``t`` is text made the column fail)."""
    return isinstance(r["t"], int | float) and isinstance(r.get("data", {}), dict)


def _complete(r: Any) -> bool:
    """A record with the fields the log schema requires (the others have defaults)."""
    return isinstance(r, dict) and all(k in r for k in ("seq", "t", "kind"))


@dataclass
class Incidents:
    """Per incident code: attributes from ``incident_occurred`` (+ escalations).

    Incidents referenced by events but never ``incident_occurred`` (a live log missing the
    truth) have ``known`` False and empty attributes.
    """

    known: BoolArray
    t_occurred: FloatArray
    row: IntArray  # row of the incident_occurred record, -1 if unknown
    grade: list[str]  # initial grade
    worst_grade: list[str]  # most severe grade reached (escalations)
    category: list[str]
    township: list[str]
    template: list[str]
    requires: list[list[dict[str, Any]]]
    caps: list[frozenset[str]]
    casualties: list[dict[str, int]]
    lon: FloatArray
    lat: FloatArray
    #: per incident, its grade over time: (time, grade, row), occurrence then escalations
    grade_steps: list[list[tuple[float, str, int]]] = field(default_factory=list)
    _reached: dict[frozenset[str], tuple[FloatArray, IntArray]] = field(
        default_factory=dict, repr=False, compare=False)
    _coded: dict[str, tuple[IntArray, list[str]]] = field(
        default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_table(cls, tab: LogTable) -> Incidents:
        """Collect attributes from the table's ``incident_occurred``/``incident_escalated`` rows."""
        n = len(tab.incident_ids)
        known = np.zeros(n, dtype=bool)
        t_occ = np.full(n, np.nan)
        row = np.full(n, -1, dtype=np.int64)
        grade, category, township, template = [""] * n, [""] * n, [""] * n, [""] * n
        requires: list[list[dict[str, Any]]] = [[] for _ in range(n)]
        casualties: list[dict[str, int]] = [{} for _ in range(n)]
        lon, lat = np.full(n, np.nan), np.full(n, np.nan)
        for r in tab.of_kind("incident_occurred"):
            c = int(tab.incident[r])
            if known[c]:
                continue  # a duplicate truth record: the first one counts
            d = tab.records[r].get("data", {})
            known[c], t_occ[c], row[c] = True, tab.t[r], r
            grade[c], category[c] = str(d.get("grade", "")), str(d.get("category", ""))
            township[c], template[c] = str(d.get("township", "")), str(d.get("template", ""))
            requires[c] = list(d.get("requires") or [])
            casualties[c] = {k: int((d.get("casualties") or {}).get(k, 0)) for k in CASUALTY_KEYS}
            if d.get("lon") is not None and d.get("lat") is not None:
                lon[c], lat[c] = float(d["lon"]), float(d["lat"])
        worst = list(grade)
        steps: list[list[tuple[float, str, int]]] = [
            [(float(t_occ[c]), grade[c], int(row[c]))] if known[c] else [] for c in range(n)]
        for r, g in zip(tab.of_kind("incident_escalated").tolist(),
                        tab.data_column("incident_escalated", "grade"), strict=True):
            c = int(tab.incident[r])
            if c < 0 or g not in GRADE_RANK:
                continue
            steps[c].append((float(tab.t[r]), str(g), int(r)))
            if worst[c] not in GRADE_RANK or GRADE_RANK[g] < GRADE_RANK[worst[c]]:
                worst[c] = str(g)
        caps = [frozenset(str(q.get("capability")) for q in req
                          if isinstance(q, dict) and q.get("capability")) for req in requires]
        return cls(known, t_occ, row, grade, worst, category, township, template, requires,
                   caps, casualties, lon, lat, steps)

    def coded(self, attr: str) -> tuple[IntArray, list[str]]:
        """Per incident code, the code of its ``attr`` (``worst_grade``, ``category``,
        ``township`` …) in a vocabulary of that attribute's values (computed once)."""
        hit = self._coded.get(attr)
        if hit is None:
            hit = self._coded[attr] = label_codes(getattr(self, attr))
        return hit

    def grade_reached(self, grades: Collection[str]) -> tuple[FloatArray, IntArray]:
        """Per incident code: when it first was at one of ``grades`` (its occurrence, or the
        escalation that brought it there) and the row saying so; NaN / -1 if it never was."""
        want = frozenset(grades)
        hit = self._reached.get(want)
        if hit is None:
            n = len(self.known)
            t = np.full(n, np.nan)
            rows = np.full(n, -1, dtype=np.int64)
            for c, st in enumerate(self.grade_steps):
                for tt, g, r in st:
                    if g in want:
                        t[c], rows[c] = tt, r
                        break
            hit = self._reached[want] = (t, rows)
        return hit[0].copy(), hit[1].copy()

    def grade_at(self, code: int, t: float) -> str:
        """The incident's grade in force at time ``t`` (its initial grade before occurrence)."""
        g = self.grade[code]
        for tt, gg, _ in self.grade_steps[code]:
            if tt <= t + 1e-9:
                g = gg
        return g

    def required_units(self, code: int) -> int:
        """Units the incident's requirements call for (sum of ``requires[].units``, ≥ 1 each)."""
        return sum(int(q.get("units", 1) or 1) for q in self.requires[code])

    def capabilities(self, code: int) -> frozenset[str]:
        """Capabilities the incident requires."""
        return self.caps[code]
