"""The validating event-log reader: every line, the order, ``seq``, references, the version.

:func:`check_log` reads a ``events.jsonl`` file and returns a :class:`LogCheck` holding the
records and every problem found as ``file:line: what``; :func:`read_checked` is the form the
evaluators use: it returns the records or raises :class:`LogError` (an ``InputError``, exit 2
in the CLI). Nothing is re-sorted, defaulted or skipped silently. What is checked:

* each line is UTF-8 (no BOM, not GBK) JSON (no ``NaN``/``Infinity``) holding one object with
  exactly the event keys (``seq``, ``t``, ``kind``, the five ids, ``source``, ``data``);
* types: ``seq`` an integer, ``t`` a finite number >= 0, ``kind`` a known kind, ids strings or
  null, ``source`` one of sim/umpire/system, ``data`` an object with the kind's required keys,
  whose values the engine writes and the evaluators read have the right type and range
  (:data:`engine.eventvalues.VALUE_RULES`: a known grade and level, counts and minutes
  finite and >= 0 …; ``file:line: data.key: must be …``);
* ``seq`` runs 0, 1, 2 … (a gap or a repeat is named); ``t`` never decreases;
* the log starts with ``drill_started``; its schema (the first record's ``prev``) is one this
  reader knows; in a ``blinddrill.events/2`` log every ``prev`` is the hash of the line before
  (the hash chain: an edited, removed, inserted or moved line is named);
* references: an event about an incident comes after that incident's ``incident_occurred``
  (the ``inject_released`` that starts it comes just before, naming it);
  with a region, units, depots and command posts exist in it (and the log was played in it);
  with a scenario, injects exist in it (and the log is of that scenario);
* a last line cut off by a crash (no final newline and not parseable) is reported as such, with
  the intact prefix available through :func:`recoverable_prefix` / :func:`write_prefix`.

Where the chain breaks, :func:`engine.eventlog.verify_lines` (the chain walker of ``blinddrill
verify``) says whether a record was edited, removed or reordered, or the tail cut or appended.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from engine.eventlog import (
    EVENT_KINDS,
    EVENT_LOG_SCHEMA,
    GENESIS,
    KNOWN_SCHEMAS,
    REQUIRED_DATA,
    REQUIRED_IDS,
    schema_of,
    verify_lines,
)
from engine.eventvalues import VALUE_RULES, data_problems
from engine.logchain import no_chain_problem
from scenarios.loading import InputError
from scenarios.outputs import atomic_write, refuse_input_overwrite

#: keys every record holds, in the order they are written (``blinddrill.events/2`` adds
#: ``prev``, the hash chain).
RECORD_KEYS: tuple[str, ...] = ("seq", "t", "kind", "incident", "unit", "inject", "depot",
                                "post", "source", "data", "prev")
_KEYSETS = {"blinddrill.events/1": frozenset(RECORD_KEYS[:-1]),
            EVENT_LOG_SCHEMA: frozenset(RECORD_KEYS)}
_KINDS = frozenset(EVENT_KINDS)
_SOURCES = frozenset({"sim", "umpire", "system"})
_ID_FIELDS = ("incident", "unit", "inject", "depot", "post")
#: the line a :func:`engine.eventlog.verify_lines` problem is about ("(line 7)", "line 7").
_LINE = re.compile(r"line (\d+)")
#: stop collecting after this many problems (the rest of the file is still counted).
MAX_PROBLEMS = 20


class LogError(InputError):
    """A log file is not a valid drill record; ``problems`` are ``file:line: what`` lines."""

    def __init__(self, source: str, problems: list[str], truncated: bool = False) -> None:
        Exception.__init__(self, "\n".join(problems) if problems else f"{source}: invalid log")
        self.source = source
        self.problems = problems
        self.truncated = truncated


@dataclass
class LogCheck:
    """What :func:`check_log` found. ``records`` are the lines that parsed, in file order."""

    path: str
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: int = 0
    truncated: bool = False  #: the last line is cut off (an interrupted write)
    prefix_bytes: int = 0  #: bytes of intact, complete lines before a cut-off last line
    schema: str = ""  #: the log's schema (from its first record's ``prev``)
    chained: bool = False  #: the log has a hash chain (``blinddrill.events/2``)
    final_hash: str | None = None  #: hash of the last intact line of a chained log
    more: int = 0  #: problems beyond :data:`MAX_PROBLEMS` not listed

    @property
    def ok(self) -> bool:
        """True if the log has no problem at all."""
        return not self.problems

    def messages(self) -> list[str]:
        """The problems, plus a line saying how many more were not listed."""
        extra = [f"{self.path}: … and {self.more} more problem(s)"] if self.more else []
        return self.problems + extra


def _num(x: Any) -> bool:
    return (type(x) is float and math.isfinite(x)) or type(x) is int


def _json_problem(line: bytes, exc: Exception) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as u:
        return (f"not UTF-8 text (byte {u.start} of the line; GBK or another encoding?) - "
                "the log must be UTF-8")
    for bad in (b"NaN", b"Infinity"):
        if bad in line:
            return f"{bad.decode()} is not a number in JSON (a value must be finite)"
    return f"not valid JSON ({str(exc).split(':')[0]})"


def check_log(path: str | Path, *, region: Any = None, scenario: Any = None,
              expect_final: str | None = None, max_problems: int = MAX_PROBLEMS) -> LogCheck:
    """Read and check the log at ``path``; ``region`` (a :class:`scenarios.region.Region`) and
    ``scenario`` (a :class:`scenarios.schema.Scenario`) enable the reference checks;
    ``expect_final`` (a sealed final hash, e.g. from a scorecard) also seals the last line."""
    p = Path(path)
    name = str(p)
    res = LogCheck(name)
    if p.is_dir():
        res.problems.append(f"{name}: is a directory, not an event log file")
        return res
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        res.problems.append(f"{name}: file not found")
        return res
    except OSError as exc:
        res.problems.append(f"{name}: cannot read ({(exc.strerror or '').lower()})")
        return res
    return check_bytes(raw, name, region=region, scenario=scenario, expect_final=expect_final,
                       max_problems=max_problems)


def check_bytes(raw: bytes, name: str, *, region: Any = None, scenario: Any = None,
                expect_final: str | None = None, max_problems: int = MAX_PROBLEMS) -> LogCheck:
    """:func:`check_log` of a log already read into memory (``name``: the file it came from,
    as the problems name it)."""
    res = LogCheck(name)
    problems = res.problems
    more = 0

    def bad(lineno: int, what: str) -> None:
        nonlocal more
        if len(problems) < max_problems:
            problems.append(f"{name}:{lineno}: {what}")
        else:
            more += 1

    if not raw.strip():
        problems.append(f"{name}: the log is empty (no events)")
        return res
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    if bom:
        bad(1, "starts with a UTF-8 byte-order mark (BOM); save the log as UTF-8 without BOM")
        raw = raw[3:]

    units = depots = posts = injects = None
    if region is not None:
        units = {u.id for u in region.units}
        depots = {d.id for d in region.depots}
        posts = {c.id for c in region.command_posts}
    if scenario is not None:
        injects = {i.id for i in scenario.injects}

    lines = raw.split(b"\n")
    cut_tail = not raw.endswith(b"\n")
    if not cut_tail:
        lines.pop()  # the empty piece after the final newline
    records = res.records
    occurred: set[str] = set()
    loads, JSONDecodeError = orjson.loads, orjson.JSONDecodeError
    keyset, kinds, sources = _KEYSETS[EVENT_LOG_SCHEMA], _KINDS, _SOURCES
    sha256 = hashlib.sha256
    chained = False
    prev_hash = GENESIS
    breaks: list[int] = []  #: lines whose ``prev`` is not the hash of the line before
    req_ids, req_data, value_rules = REQUIRED_IDS, REQUIRED_DATA, VALUE_RULES
    expect_seq = 0
    last_t = 0.0
    nlines = len(lines)
    offset = 0
    for lineno, line in enumerate(lines, start=1):
        start = offset
        offset += len(line) + 1
        try:
            rec = loads(line)
        except JSONDecodeError as exc:  # a blank line does not parse either
            if not line.strip():
                bad(lineno, "blank line (a log has one event per line)")
            elif lineno == nlines and cut_tail:
                res.truncated = True
                res.prefix_bytes = bom + start
                bad(lineno, "the last line is cut off (the drill was interrupted while "
                            f"writing); the {lineno - 1} line(s) before it are intact - "
                            "recover them with `blinddrill checklog LOG --recover OUT`")
            else:
                bad(lineno, _json_problem(line, exc))
            continue
        if type(rec) is not dict:
            bad(lineno, f"a line must hold one JSON object, not {type(rec).__name__}")
            continue
        if not records:  # the first record: its ``prev`` names the schema
            res.schema = schema_of(rec)
            if res.schema not in KNOWN_SCHEMAS:
                bad(lineno, f"prev: unknown log schema {res.schema!r} (this version reads "
                            f"{', '.join(KNOWN_SCHEMAS)}); upgrade blinddrill")
                res.schema = EVENT_LOG_SCHEMA
            keyset = _KEYSETS[res.schema]
            chained = res.chained = res.schema == EVENT_LOG_SCHEMA
        if chained:
            if rec.get("prev") != prev_hash:
                breaks.append(lineno)  # named after the loop, by verify_lines
            prev_hash = "sha256:" + sha256(line).hexdigest()
        if rec.keys() != keyset:
            missing = [k for k in RECORD_KEYS if k not in rec]
            unknown = sorted(set(rec) - keyset)
            if missing:
                bad(lineno, f"missing key(s) {', '.join(missing)}")
            if unknown:
                bad(lineno, f"unknown key(s) {', '.join(unknown)}")
            if "seq" not in rec or "t" not in rec or "kind" not in rec:
                continue
        seq, t, kind, data = rec["seq"], rec["t"], rec["kind"], rec.get("data", {})
        if type(seq) is not int:
            bad(lineno, f"seq: {seq!r} is not an integer")
        elif seq != expect_seq:
            what = "repeats an earlier seq" if seq < expect_seq else "skips"
            bad(lineno, f"seq {seq} where {expect_seq} was expected ({what}: an event is "
                        "missing, duplicated or out of place)")
            expect_seq = seq + 1
        else:
            expect_seq += 1
        if not _num(t):
            bad(lineno, f"t: {t!r} is not a number of minutes")
        elif t < last_t:
            bad(lineno, f"t={t} is earlier than the line before (t={last_t}); the log is out "
                        "of time order (it is never re-sorted)")
        elif t < 0:
            bad(lineno, f"t={t} is negative")
        else:
            last_t = t
        if type(kind) is not str or kind not in kinds:
            bad(lineno, f"kind: unknown event kind {kind!r}")
            continue
        if type(data) is not dict:
            bad(lineno, "data: must be an object")
            continue
        src = rec.get("source", "sim")
        if type(src) is not str or src not in sources:
            bad(lineno, f"source: {rec.get('source')!r} is not one of sim, umpire, system")
        inc, u, j, d, c = (rec.get("incident"), rec.get("unit"), rec.get("inject"),
                           rec.get("depot"), rec.get("post"))
        if not ((inc is None or type(inc) is str) and (u is None or type(u) is str)
                and (j is None or type(j) is str) and (d is None or type(d) is str)
                and (c is None or type(c) is str)):
            for f in _ID_FIELDS:
                v = rec.get(f)
                if v is not None and type(v) is not str:
                    bad(lineno, f"{f}: {v!r} is not a string id")
            continue
        for f in req_ids.get(kind, ()):
            if rec.get(f) is None:
                bad(lineno, f"event kind '{kind}' needs {f}")
        for k in req_data.get(kind, ()):
            if k not in data:
                bad(lineno, f"event kind '{kind}' needs data.{k}")
        if kind in value_rules:  # the values the engine writes and the evaluators read
            for problem in data_problems(kind, data):
                bad(lineno, problem)
        if kind == "incident_occurred":
            if type(inc) is str:
                if inc in occurred:
                    bad(lineno, f"incident '{inc}' occurs a second time")
                occurred.add(inc)
        elif inc is not None and inc not in occurred and kind != "inject_released":
            bad(lineno, f"incident '{inc}' has not occurred (no incident_occurred before this "
                        "line)")
        if units is not None:
            if u is not None and u not in units:
                bad(lineno, f"unit '{u}' is not in the region {region.name}")
            if d is not None and d not in depots:  # type: ignore[operator]
                bad(lineno, f"depot '{d}' is not in the region {region.name}")
            if c is not None and c not in posts:  # type: ignore[operator]
                bad(lineno, f"command post '{c}' is not in the region {region.name}")
        if injects is not None and j is not None and j not in injects:
            bad(lineno, f"inject '{j}' is not in the scenario {scenario.id}")
        records.append(rec)
        if len(records) == 1:  # the header first: "played in another region" leads the list
            _check_header(rec, name, region, scenario, bad)
    res.lines = nlines
    if records and not chained and expect_final is not None:
        bad(1, no_chain_problem(expect_final))
    if chained:
        res.final_hash = prev_hash
        if breaks or (expect_final is not None and expect_final != prev_hash):
            _name_breaks(lines[:-1] if res.truncated else lines, name, expect_final, breaks,
                         bad)
            problems.sort(key=lambda m: _line_of(m, name))  # stable: file order per line
    if not records and not problems:
        problems.append(f"{name}: the log is empty (no events)")
    res.more = more
    return res


def _line_of(message: str, name: str) -> int:
    head = message[len(name) + 1:].split(":", 1)[0]
    return int(head) if head.isdigit() else 0


def _name_breaks(lines: list[bytes], name: str, expect_final: str | None, breaks: list[int],
                 bad: Any) -> None:
    """Say what broke the hash chain - a record edited, removed or moved, a tail cut or
    appended - with :func:`engine.eventlog.verify_lines`, the one chain walker that tells them
    apart (``blinddrill verify``). Its line numbers count records, so a log that also has
    blank lines gets the plain "chain broken" per line (the blank lines are reported too)."""
    if any(not ln.strip() for ln in lines):
        for lineno in breaks:
            bad(lineno, "hash chain broken: prev is not the hash of the line before (that "
                        "line was edited, or a line was removed, inserted or moved here)")
        if expect_final is not None and not breaks:
            bad(len(lines), "the last record was edited or the log was cut short (its hash is "
                            "not the sealed final hash)")
        return
    rep = verify_lines(lines, name, expect_final)
    for what in rep.problems:
        if "not a JSON record" in what:
            continue  # reported above, with the reason
        m = _LINE.search(what)
        bad(int(m.group(1)) if m else len(lines), f"hash chain: {what}")


def _check_header(first: dict[str, Any], name: str, region: Any, scenario: Any,
                  bad: Any) -> None:
    if first.get("kind") != "drill_started":
        bad(1, f"the log must begin with drill_started, not {first.get('kind')!r} (the start of "
               "the log is missing or this is not a drill log)")
        return
    got = first.get("data")
    data: dict[str, Any] = got if isinstance(got, dict) else {}
    played = data.get("region")
    if region is not None and played is not None and played != region.name:
        bad(1, f"the drill was played in region '{played}', but the region given is "
               f"'{region.name}'")
    sc = data.get("scenario")
    if scenario is not None and sc is not None and sc != scenario.id:
        bad(1, f"the log is of scenario '{sc}', but the scenario given is '{scenario.id}'")


def read_checked(path: str | Path, *, region: Any = None, scenario: Any = None,
                 expect_final: str | None = None) -> list[dict[str, Any]]:
    """The records of a valid log, or :class:`LogError` listing ``file:line: what``;
    ``expect_final`` (e.g. :func:`recorded_final_hash`) must then be its final hash."""
    res = check_log(path, region=region, scenario=scenario, expect_final=expect_final)
    if not res.ok:
        raise LogError(res.path, res.messages(), truncated=res.truncated)
    return res.records


def recoverable_prefix(path: str | Path) -> bytes:
    """The intact complete lines of a log whose last line was cut off by a crash.

    Raises :class:`LogError` if the log has problems other than the cut-off last line (then
    there is nothing safe to recover automatically), or none at all.
    """
    res = check_log(path)
    if not res.truncated:
        raise LogError(res.path, res.messages() or [f"{res.path}: the log is intact; "
                                                    "nothing to recover"])
    others = [m for m in res.problems if "the last line is cut off" not in m]
    if others:
        raise LogError(res.path, others + [f"{res.path}: besides the cut-off last line the "
                                           "log has the problems above; not recovered"])
    raw = Path(path).read_bytes()
    return raw[:res.prefix_bytes]


def write_prefix(path: str | Path, out: str | Path) -> int:
    """Write the recoverable prefix of ``path`` to ``out`` (atomically, never over ``path``);
    returns the number of events kept."""
    refuse_input_overwrite(out, [path], option="--recover")
    data = recoverable_prefix(path)
    atomic_write(out, data)
    return data.count(b"\n")


def recorded_final_hash(run_dir: str | Path) -> str | None:
    """The final hash of the log that a run directory's ``inputs/run.json`` records
    (``log.final_hash``: ``simulate``, ``demo`` and ``live export`` write it), or None when
    there is no run.json or it records none. A run.json that cannot be read, or whose
    ``log.final_hash`` is not a log hash, is an :class:`InputError` naming it: the log's end
    could not be checked."""
    f = Path(run_dir) / "inputs" / "run.json"
    if not f.is_file():
        return None
    try:
        run = orjson.loads(f.read_bytes())
    except OSError as exc:
        raise InputError(str(f), [f"cannot read ({(exc.strerror or '').lower()})"]) from None
    except orjson.JSONDecodeError as exc:
        raise InputError(str(f), [f"not valid JSON ({str(exc).split(':')[0]}); it records "
                                  "where the log ends"]) from None
    log = run.get("log") if isinstance(run, dict) else None
    got = log.get("final_hash") if isinstance(log, dict) else None
    if got is None:
        return None
    if not (isinstance(got, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", got)):
        raise InputError(str(f), [f"log.final_hash: {got!r} is not a log hash (sha256: and 64 "
                                  "hex digits)"])
    return got


def run_identity(run_dir: str | Path) -> dict[str, Any]:
    """What a run directory says it is: scenario id, region name (from ``drill_started``) and,
    when ``inputs/run.json`` records them, the scenario commitment and the region digest.

    Unreadable parts are left out (the log itself is checked by :func:`check_log`)."""
    d = Path(run_dir)
    out: dict[str, Any] = {}
    try:
        with open(d / "events.jsonl", "rb") as fh:
            first = orjson.loads(fh.readline())
        data = first.get("data") if isinstance(first, dict) else None
        if isinstance(data, dict):
            for key in ("scenario", "region", "commitment"):
                if isinstance(data.get(key), str):
                    out[key] = data[key]
    except (OSError, orjson.JSONDecodeError):
        pass
    try:
        run = orjson.loads((d / "inputs" / "run.json").read_bytes())
        if isinstance(run, dict):
            for key in ("scenario", "region", "commitment", "region_digest"):
                if isinstance(run.get(key), str):
                    out.setdefault(key, run[key])
    except (OSError, orjson.JSONDecodeError):
        pass
    return out
