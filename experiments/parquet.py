"""Per-replication summaries as Parquet, written a row group at a time (memory flat in N).

``replications.parquet``: one row per (replication, alternative) — ``rep``, ``seed``,
``alternative``, ``events``, ``incidents`` and one float column per value key of the first
replication (``overall.score``, ``capability.<id>.score``, ``clock.<id>.<stat>``,
``metric.<id>``; null where a replication has no value; keys first seen later are not
columns). ``townships.parquet``: one row per (replication, alternative, clock, township) —
``n``, ``n_met``. Both are sorted by replication. Read with ``pyarrow.parquet.read_table`` or
pandas for baseline comparisons and charts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from experiments.aggregate import RepSummary

ROW_GROUP = 512


class SummarySink:
    """Streams rows of summaries to the two Parquet files in ``out``."""

    def __init__(self, out: Path, alternatives: list[str], row_group: int = ROW_GROUP) -> None:
        self.out = out
        self.alternatives = alternatives
        self.row_group = row_group
        self._keys: list[str] | None = None
        self._rows: list[RepSummary] = []
        self._writers: dict[str, Any] = {}
        out.mkdir(parents=True, exist_ok=True)

    def add(self, row: list[RepSummary]) -> None:
        """Buffer one replication's summaries (one per alternative)."""
        if self._keys is None:
            keys: dict[str, None] = {}
            for s in row:
                keys.update(dict.fromkeys(s.values))
            self._keys = list(keys)
        self._rows.extend(row)
        if len(self._rows) >= self.row_group:
            self._flush()

    def _write(self, name: str, columns: dict[str, list[Any]], types: dict[str, Any]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({k: pa.array(v, type=types[k]) for k, v in columns.items()})
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.out / name, table.schema)
        self._writers[name].write_table(table)

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._rows:
            return
        keys = self._keys or []
        rows = self._rows
        cols: dict[str, list[Any]] = {
            "rep": [s.rep for s in rows], "seed": [s.seed for s in rows],
            "alternative": [self.alternatives[s.alternative] for s in rows],
            "events": [s.events for s in rows], "incidents": [s.incidents for s in rows]}
        types: dict[str, Any] = {"rep": pa.int64(), "seed": pa.int64(),
                                 "alternative": pa.string(), "events": pa.int64(),
                                 "incidents": pa.int64()}
        for k in keys:
            cols[k] = [s.values.get(k) for s in rows]
            types[k] = pa.float64()
        self._write("replications.parquet", cols, types)
        town: dict[str, list[Any]] = {"rep": [], "alternative": [], "clock": [],
                                      "township": [], "n": [], "n_met": []}
        for s in rows:
            for cid, c in s.clocks.items():
                for t, (n, met) in c.by_township.items():
                    town["rep"].append(s.rep)
                    town["alternative"].append(self.alternatives[s.alternative])
                    town["clock"].append(cid)
                    town["township"].append(t)
                    town["n"].append(n)
                    town["n_met"].append(met)
        self._write("townships.parquet", town,
                    {"rep": pa.int64(), "alternative": pa.string(), "clock": pa.string(),
                     "township": pa.string(), "n": pa.int64(), "n_met": pa.int64()})
        self._rows = []

    def close(self) -> None:
        """Write the last rows and close the files."""
        self._flush()
        for w in self._writers.values():
            w.close()
        self._writers = {}
