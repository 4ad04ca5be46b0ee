"""The scorer's fast paths give exactly what the plain paths give.

A large log's columns are read by pyarrow in one pass (``evaluators.table._arrow_columns``),
clock breakdowns use label codes, cards are built with ``construct_all``, report accuracy
averages an incident's few reports in Python: each is checked here against the code it
replaces, on the bench's synthetic county log (shuffled, cut, with bad records).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from evaluators import score_records
from evaluators import table as table_mod
from evaluators.clocks import breakdown, breakdown_codes, compute_clock
from evaluators.metrics.base import row_pairs
from evaluators.metrics.reporting import _mean
from evaluators.rules import builtin_packs, load_packs
from evaluators.score import needed_kinds
from evaluators.scorecard import IncidentCard, Stats, construct_all
from evaluators.table import KIND_CODE, LogTable, label_codes
from scenarios.loading import InputError
from scenarios.region import load_region

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from bench_score import synthetic_log  # noqa: E402

REGION = load_region(ROOT / "scenarios" / "regions" / "county.yaml")


@pytest.fixture(scope="module")
def log() -> list[dict[str, Any]]:
    return synthetic_log(6000)


def _table(records: list[dict[str, Any]], arrow: bool, monkeypatch: pytest.MonkeyPatch,
           **kw: Any) -> LogTable:
    monkeypatch.setattr(table_mod, "ARROW_MIN_RECORDS", 0 if arrow else 10**12)
    return LogTable.from_records(records, **kw)


def _same(a: LogTable, b: LogTable) -> None:
    assert np.array_equal(a.t, b.t) and np.array_equal(a.kind, b.kind)
    assert np.array_equal(a.incident, b.incident) and np.array_equal(a.unit, b.unit)
    assert a.incident_ids == b.incident_ids and a.unit_ids == b.unit_ids
    assert a.sources == b.sources and list(a.sources) == list(b.sources)
    assert a.records == b.records
    assert np.array_equal(a.seq, b.seq)


@pytest.mark.parametrize("kinds", [None, "needed"])
def test_arrow_columns_equal_the_per_column_path(log: list[dict[str, Any]], kinds: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    k = needed_kinds(load_packs(None)) if kinds else None
    fast = _table(log, True, monkeypatch, kinds=k)
    assert "seq" in fast.__dict__  # read in the same pass
    _same(fast, _table(log, False, monkeypatch, kinds=k))


def test_arrow_columns_of_a_shuffled_cut_log(log: list[dict[str, Any]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    recs = list(log)
    random.Random(3).shuffle(recs)  # out of time order: stably sorted by t
    recs[5] = {**recs[5], "source": "umpire", "seq": "7"}  # a seq arrow refuses: built later
    for as_of in (None, 900.0):
        fast = _table(recs, True, monkeypatch, as_of=as_of)
        _same(fast, _table(recs, False, monkeypatch, as_of=as_of))
    assert "seq" not in _table(recs, True, monkeypatch).__dict__


def _plain(records: list[dict[str, Any]], kinds: Any = None) -> dict[str, Any]:
    """The table's columns read the plain way, record by record (a log in time order)."""
    inc_ids: dict[str, int] = {}
    unit_ids: dict[str, int] = {}
    inc, unit, src = [], [], Counter[str]()
    for r in records:
        if kinds is None or r["kind"] in kinds:
            i, u = r.get("incident"), r.get("unit")
            inc.append(-1 if i is None else inc_ids.setdefault(i, len(inc_ids)))
            unit.append(-1 if u is None else unit_ids.setdefault(u, len(unit_ids)))
            src[r.get("source", "sim")] += 1
        else:
            inc.append(-1)
            unit.append(-1)
    return {"t": [r["t"] for r in records], "kind": [KIND_CODE[r["kind"]] for r in records],
            "incident": inc, "unit": unit, "incident_ids": list(inc_ids),
            "unit_ids": list(unit_ids), "sources": dict(sorted(src.items()))}


@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("kinds", [None, "needed"])
def test_both_paths_read_what_a_plain_reading_reads(log: list[dict[str, Any]], arrow: bool,
                                                    kinds: str | None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    k = needed_kinds(load_packs(None)) if kinds else None
    tab = _table(log, arrow, monkeypatch, kinds=k)
    want = _plain(log, k)
    got = {"t": tab.t.tolist(), "kind": tab.kind.tolist(), "incident": tab.incident.tolist(),
           "unit": tab.unit.tolist(), "incident_ids": tab.incident_ids,
           "unit_ids": tab.unit_ids, "sources": tab.sources}
    assert got == want
    for kind, key in (("report_submitted", "stage"), ("unit_dispatched", "capability")):
        assert tab.data_column(kind, key) == [r["data"].get(key) for r in log if r["kind"] == kind]


@pytest.mark.parametrize("arrow", [True, False])
def test_omitted_optional_fields_read_as_the_schema_defaults(
        log: list[dict[str, Any]], arrow: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # the log check accepts a record without its optional fields (engine.eventschema.Event
    # gives each a default): the scorer reads it the same way, not as an error or a crash
    full = [{**r, "source": "sim"} for r in log[:300]]
    short = [dict(r) for r in full]
    i = next(j for j, r in enumerate(short) if r["kind"] == "unit_dispatched")
    del short[i]["source"]
    j = next(j for j, r in enumerate(short) if r["unit"] is None and r["kind"] != "drill_started")
    for key in ("unit", "post", "depot", "source"):
        short[j].pop(key, None)
    tab = _table(short, arrow, monkeypatch)
    _same(tab, _table(full, arrow, monkeypatch))
    assert tab.sources == {"sim": len(full)}
    # without data: read as {} by the table and every metric (the scorecard is the same as
    # with an empty payload written out)
    for kind in ("task_started", "report_submitted", "incident_occurred"):
        k = next(k for k, r in enumerate(short) if r["kind"] == kind)
        del short[k]["data"]
        full[k]["data"] = {}
    monkeypatch.setattr(table_mod, "ARROW_MIN_RECORDS", 0 if arrow else 10**12)
    assert score_records(short, region=REGION) == score_records(full, region=REGION)


@pytest.mark.parametrize("arrow", [True, False])
def test_bad_records_are_named_on_both_paths(log: list[dict[str, Any]], arrow: bool,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    no_t = [dict(r) for r in log[:50]]
    del no_t[12]["t"]  # a field the schema requires
    with pytest.raises(InputError, match="record 13: missing or invalid key"):
        _table(no_t, arrow, monkeypatch)
    not_a_record = [dict(r) for r in log[:50]]
    not_a_record[20] = ["seq", 20]  # type: ignore[call-overload]
    with pytest.raises(InputError, match="record 21: missing or invalid key"):
        _table(not_a_record, arrow, monkeypatch)
    bad_kind = [dict(r) for r in log[:50]]
    bad_kind[7]["kind"] = "no_such_kind"
    with pytest.raises(InputError, match="record 8: unknown event kind 'no_such_kind'"):
        _table(bad_kind, arrow, monkeypatch)
    bad_t = [dict(r) for r in log[:50]]
    bad_t[3]["t"] = "soon"
    with pytest.raises(InputError, match="invalid key"):
        _table(bad_t, arrow, monkeypatch)


def test_scorecard_equal_on_both_paths(log: list[dict[str, Any]],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cards = []
    for limit in (0, 10**12):
        monkeypatch.setattr(table_mod, "ARROW_MIN_RECORDS", limit)
        cards.append(score_records(log, region=REGION, rules=builtin_packs()).model_dump_json())
    assert cards[0] == cards[1]


def test_breakdown_codes_equal_breakdown(log: list[dict[str, Any]]) -> None:
    tab = LogTable.from_records(log)
    unit_kind = [REGION.unit_by_id[u].kind if u in REGION.unit_by_id else ""
                 for u in tab.unit_ids]
    for pack in load_packs(builtin_packs()):
        for rule in pack.clocks:
            res = compute_clock(tab, rule, pack.id, unit_kind)
            for attr in ("worst_grade", "category", "township"):
                codes, vocab = tab.incidents.coded(attr)
                labels = [getattr(tab.incidents, attr)[c] for c in res.incident.tolist()]
                assert breakdown_codes(codes[res.incident], vocab, res) == breakdown(labels, res)
            if rule.scope == "unit":
                labels = [tab.unit_ids[u] for u in res.unit.tolist()]
                assert breakdown_codes(res.unit, tab.unit_ids, res) == breakdown(labels, res)
                codes, vocab = label_codes(unit_kind)
                assert breakdown_codes(codes[res.unit], vocab, res) == \
                    breakdown([unit_kind[u] for u in res.unit.tolist()], res)


def test_construct_all_is_model_construct() -> None:
    d = {"category": "flood", "grade": "IV", "worst_grade": "III", "township": "T1",
         "template": "flood", "clocks": {}, "metrics": {"m": 0.5}}
    a, b = construct_all(IncidentCard, dict(d)), IncidentCard.model_construct(**d)
    assert a == b and a.model_dump_json() == b.model_dump_json()
    assert a.model_fields_set == b.model_fields_set
    s = {"n": 2, "n_met": 1, "n_open": 0, "n_unstopped": 1, "compliance": 0.5, "p50": 3.0,
         "p90": 4.0, "mean": 3.0, "max": 4.0, "lower_bound": True}
    assert construct_all(Stats, dict(s)).model_dump_json() == Stats(**s).model_dump_json()


def test_mean_of_a_few_accuracies_is_numpys() -> None:
    rng = random.Random(5)
    for _ in range(20000):
        v = [rng.choice([0.0, 1.0, 1 / 3, rng.random()]) for _ in range(rng.randint(1, 12))]
        assert _mean(v) == float(np.mean(v))


def test_row_pairs_are_the_per_case_arrays() -> None:
    a = np.array([3, -1, 7, 0], dtype=np.int64)
    b = np.array([5, 2, -1, -1], dtype=np.int64)
    singles = row_pairs(a)
    assert [x.tolist() for x in singles] == [[3], [], [7], [0]]
    pairs = row_pairs(a[[0, 2, 3]], b[[0, 2, 3]])
    assert [x.tolist() for x in pairs] == [[3, 5], [7], [0]]
    assert all(x.dtype == np.int64 and not x.flags.writeable for x in singles + pairs)


def test_a_report_without_a_stage_is_no_first_report(log: list[dict[str, Any]]) -> None:
    # `stage` compared with operator.eq: "first".__eq__(None) is NotImplemented, which numpy
    # read as True, so a report with no stage counted as the incident's first report
    first = next(r for r in log if r["kind"] == "report_submitted"
                 and r["data"].get("stage") == "first")
    iid = first["incident"]
    mine = [r for r in log if r["kind"] == "report_submitted" and r["incident"] == iid
            and r["data"].get("stage") == "first"]
    unstaged = [{**r, "data": {**r["data"], "stage": None}} if r in mine else r for r in log]
    dropped = [r for r in log if r not in mine]
    a = score_records(unstaged, region=REGION).metrics["report.first_completeness"]
    b = score_records(dropped, region=REGION).metrics["report.first_completeness"]
    assert a.value == b.value and a.n == b.n and a.open == b.open
