"""Load YAML (or JSON) input files into pydantic models with errors that name the file and field.

Every input of the project (regions, scenarios, catalogues, drill plans, rule packs, rubrics,
behaviour parameters) goes through :func:`load_model`, so a user always gets the same kind of
message: the file, the dotted path of the offending field, and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import orjson
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from scenarios import jsonexact
from scenarios.filekinds import looks_like_event_log, wrong_kind
from scenarios.limits import MAX_INPUT_BYTES, MAX_YAML_ALIAS_NODES

# libyaml is much faster for the 10,000-record seed city; same safe semantics.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

ModelT = TypeVar("ModelT", bound=BaseModel)


#: problems an :class:`InputError` message lists before it summarises the rest (a file wrong
#: in 10,000 places is one cause, not 10,000 lines on the terminal)
MAX_PROBLEMS_SHOWN = 20


class InputError(Exception):
    """A user-supplied input is invalid. ``str()`` is a complete, human-readable message: the
    first :data:`MAX_PROBLEMS_SHOWN` problems and how many more there are (all of them are in
    ``problems``)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        lines = "\n".join(f"  - {p}" for p in shown)
        if len(problems) > len(shown):
            lines += f"\n  … and {len(problems) - len(shown)} more problems of this file"
        super().__init__(f"{source}: invalid input\n{lines}")


class StrictModel(BaseModel):
    """Base for every input model: unknown keys are errors, values are immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def format_location(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as a dotted path, e.g. ``units[3].headcount``."""
    out = ""
    for part in loc:
        if isinstance(part, str) and part.startswith("@"):
            continue  # a tagged-union tag, not a field
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_problems(err: ValidationError) -> list[str]:
    """Turn a pydantic ``ValidationError`` into one line per problem: ``field: message``."""
    problems: list[str] = []
    for e in err.errors():
        inner = (e.get("ctx") or {}).get("error")
        if inner is not None and hasattr(inner, "problems"):
            problems.extend(str(p) for p in inner.problems)  # cross-reference checks
            continue
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not allowed here; check the spelling)"
        elif e["type"] in ("model_type", "dict_type"):
            what = "the file" if not loc else "this field"
            msg = f"{what} should be a mapping of keys to values (is it the right file?)"
        problems.append(f"{format_location(loc)}: {msg}")
    return problems


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; :class:`InputError` when it is missing, unreadable or
    larger than the input-file limit (``MAX_INPUT_BYTES``)."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(str(p), [f"file is larger than {MAX_INPUT_BYTES // 2**20} MB "
                                      "(the limit for an input file)"])
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), ["file not found"]) from None
    except OSError as exc:
        raise InputError(str(p), [f"cannot read file: {exc.strerror}"]) from None


def read_yaml(path: str | Path) -> Any:
    """Read a YAML/JSON file safely; raise :class:`InputError` for missing, non-UTF-8 or bad YAML."""
    p = Path(path)
    raw = read_input_bytes(p)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(p), [f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"]
        ) from None
    head = text.lstrip()[:1]
    if head in ("{", "["):  # JSON (a subset of YAML) parses ~100x faster with orjson
        try:
            return jsonexact.loads(text)  # integers beyond 64 bits kept exact
        except orjson.JSONDecodeError:
            if looks_like_event_log(text):
                raise InputError(str(p), [
                    "this file is an event log (one JSON record per line), not a single "
                    "document: score, report and checklog read it (or the run directory that "
                    "holds it)"]) from None
            # not strict JSON: let the YAML parser read it and name the line
    return parse_yaml_text(text, str(p))


def parse_yaml_text(text: str, source: str) -> Any:
    """Parse YAML text with the safe loader; ``source`` names it in error messages.

    Every YAML input goes through here. Anchors and aliases are allowed, but an alias that
    contains itself, or aliases that expand the document by more than
    :data:`~scenarios.limits.MAX_YAML_ALIAS_NODES` nodes (a "billion laughs" file), are
    refused before anything is constructed."""
    try:
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if "&" in text:  # no anchor, no alias: nothing to expand
                _check_aliases(node, source)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(source, [f"{where}malformed YAML: {problem}"]) from None
    except (ValueError, OverflowError) as exc:  # e.g. an unquoted impossible date 2026-02-30
        raise InputError(source, [f"{_bad_scalar(text)}{exc} (a date must exist; quote text "
                                  "that only looks like a date)"]) from None


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [n for kv in node.value for n in kv]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(root: Any, source: str) -> None:
    """Refuse a composed YAML graph whose aliases recurse or expand it too far.

    An alias is the anchored node itself, shared; the expanded size of each node is computed
    once (linear in the distinct nodes), so the check costs no more than reading the file."""
    sizes: dict[int, int] = {}
    uses: dict[int, int] = {}
    on_path: set[int] = set()
    nodes: dict[int, Any] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        k = id(node)
        if done:
            on_path.discard(k)
            sizes[k] = 1 + sum(sizes[id(c)] for c in _children(node))
            continue
        uses[k] = uses.get(k, 0) + 1
        if k in sizes:
            continue
        if k in on_path:
            m = node.start_mark
            raise InputError(source, [f"line {m.line + 1}, column {m.column + 1}: an alias "
                                      "refers to the node that contains it (a recursive alias)"])
        on_path.add(k)
        nodes[k] = node
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))
    added = sizes[id(root)] - len(sizes)
    if added > MAX_YAML_ALIAS_NODES:
        worst = max((k for k in uses if uses[k] > 1), key=lambda k: sizes[k] * uses[k])
        m = nodes[worst].start_mark
        raise InputError(source, [
            f"line {m.line + 1}, column {m.column + 1}: aliases (*name) of this anchor expand "
            f"the file by {added:,} nodes, more than the limit of {MAX_YAML_ALIAS_NODES:,} "
            "(a \"billion laughs\" file?)"])


def _bad_scalar(text: str) -> str:
    """``line L, column C: 'value': `` of the first scalar YAML cannot construct, or ``""``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return ""
    ctor = yaml.constructor.SafeConstructor()
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop(0)
        if isinstance(node, yaml.MappingNode):
            todo.extend(v for kv in node.value for v in kv)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith((":timestamp", ":int",
                                                                         ":float")):
            try:
                ctor.construct_object(node, deep=True)
            except (ValueError, OverflowError):
                m = node.start_mark
                return f"line {m.line + 1}, column {m.column + 1}: '{node.value}': "
    return ""


def validate_data(data: Any, model: type[ModelT], source: str, also: tuple[str, ...] = ()
                  ) -> ModelT:
    """Validate already-parsed data into ``model``; raise :class:`InputError` naming ``source``.
    A document naming another blinddrill schema (a plan where a scenario belongs, a newer
    format version) is refused with one line saying so (:func:`scenarios.filekinds.wrong_kind`;
    ``also``: other schema ids the caller reads, for that message)."""
    if data is None:
        raise InputError(source, ["the file is empty"])
    other = wrong_kind(data, model, also)
    if other is not None:  # another kind of blinddrill file: say so, not every missing field
        raise InputError(source, [other])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, validation_problems(exc)) from None


def load_model(path: str | Path, model: type[ModelT]) -> ModelT:
    """Read ``path`` (YAML or JSON) and validate it into ``model`` with file-and-field errors."""
    return validate_data(read_yaml(path), model, str(path))


def dump_yaml(data: Any) -> str:
    """Dump plain data as UTF-8 YAML, keys in the model's order, one flat record per line."""
    return yaml.dump(
        data, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=None,
        width=4096,
    )
