"""Sealing (no disclosed scenario): canonical JSON, a salted SHA-256 commitment, verification.

A sealed file is a JSON document::

    {"schema": "blinddrill.sealed/1", "commitment": "sha256:<hex>", "salt": "<hex>",
     "scenario": {...}}

with ``commitment = SHA-256(canonical({"salt": salt, "scenario": scenario}))`` where
``canonical(x) = json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
encoded as UTF-8. The organiser publishes the commitment before the drill; after it, anyone can
recompute it from the file (see ``docs/generator.md``) and any change to the scenario, however
small, gives a different hash. The salt (drawn from the scenario's seed stream) stops anyone
from confirming a guessed scenario against the published commitment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from scenarios import forked, jsonexact
from scenarios.forked import ForkedCheck
from scenarios.loading import InputError, read_input_bytes, read_yaml
from scenarios.outputs import atomic_write
from scenarios.schema import Scenario, scenario_from_data

SEALED_SCHEMA = "blinddrill.sealed/1"
#: spawn key of the salt stream under the scenario seed (apart from the candidate streams).
SALT_STREAM = 2**31 - 1


def canonical(obj: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8, non-ASCII kept as is."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The plain-JSON form of a scenario that is sealed (aliases, no null fields)."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def commitment_of(salt: str, data: dict[str, Any]) -> str:
    """``sha256:<hex>`` over the canonical JSON of ``{"salt": salt, "scenario": data}``."""
    return "sha256:" + hashlib.sha256(canonical({"salt": salt, "scenario": data})).hexdigest()


def salt_for_seed(seed: int) -> str:
    """The salt of a generated scenario: 128 random bits from the seed's salt stream."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SALT_STREAM,)))
    return rng.bytes(16).hex()


@dataclass(frozen=True)
class SealedScenario:
    """A scenario with its salt and commitment; ``document`` is what the file holds."""

    scenario: Scenario
    salt: str
    commitment: str

    @property
    def document(self) -> dict[str, Any]:
        """The sealed file's JSON object."""
        return {"schema": SEALED_SCHEMA, "commitment": self.commitment, "salt": self.salt,
                "scenario": scenario_data(self.scenario)}

    def to_bytes(self) -> bytes:
        """The file's bytes (indented JSON; the commitment does not depend on the layout)."""
        return (json.dumps(self.document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def seal(scenario: Scenario, salt: str | None = None) -> SealedScenario:
    """Seal ``scenario``. The salt defaults to the one of its generator seed (``meta.seed``);
    a scenario without a seed gets 128 bits of fresh OS entropy."""
    if salt is None:
        seed = scenario.meta.get("seed")
        if isinstance(seed, int):
            salt = salt_for_seed(seed)
        else:
            salt = np.random.default_rng(np.random.SeedSequence()).bytes(16).hex()
    return SealedScenario(scenario, salt, commitment_of(salt, scenario_data(scenario)))


def write_sealed(sealed: SealedScenario, path: str | Path) -> None:
    """Write the sealed file, atomically (:func:`scenarios.outputs.atomic_write`): an
    interrupted write never leaves a half-written sealed scenario."""
    atomic_write(path, sealed.to_bytes())


def verify_document(doc: Any, source: str) -> Scenario:
    """Check a parsed sealed document; return its scenario or raise :class:`InputError`."""
    sealed = _verify(doc, source)
    return sealed.scenario


def _verify(doc: Any, source: str) -> SealedScenario:
    sealed, confirm = _verify_deferred(doc, source, defer=False)
    confirm()
    return sealed


#: top-level keys that tell what another blinddrill JSON file is
_OTHER_FILES = ((("overall", "clocks", "capabilities"), "a scorecard (blinddrill score --json)"),
                (("alternatives",), "a batch or what-if summary"),
                (("id", "injects"), "a plain scenario (blinddrill simulate reads it; "
                                    "seal it with blinddrill generate)"))


def _not_sealed(doc: dict[str, Any]) -> str:
    """Why a JSON object with none of a sealed file's keys is not one, naming what it looks
    like when it is another of blinddrill's files."""
    for keys, what in _OTHER_FILES:
        if all(k in doc for k in keys):
            return (f"not a sealed scenario: this looks like {what}; give the sealed .json "
                    "file that blinddrill generate wrote")
    return ("not a sealed scenario (it has no commitment, salt or scenario): give the sealed "
            ".json file that blinddrill generate wrote")


def _verify_deferred(doc: Any, source: str, defer: bool
                     ) -> tuple[SealedScenario, Callable[[], None]]:
    """The sealed document's checks, with the two that only compare (the commitment over the
    canonical JSON, the scenario's normal form) run in a forked child when ``defer`` and
    forking is safe: the returned ``confirm()`` raises their :class:`InputError`. With the
    same precedence as checking in order: a scenario that does not validate is reported as a
    commitment mismatch if it is one."""
    if not isinstance(doc, dict):
        raise InputError(source, ["not a sealed scenario (expected a JSON object)"])
    if not {"commitment", "salt", "scenario"} & set(doc):  # another file, not an edited one
        raise InputError(source, [_not_sealed(doc)])
    problems = [f"{k}: missing" for k in ("schema", "commitment", "salt", "scenario")
                if k not in doc]
    extra = sorted(set(doc) - {"schema", "commitment", "salt", "scenario"})
    problems += [f"{k}: unknown key (not allowed here; check the spelling)" for k in extra]
    if problems:
        raise InputError(source, problems)
    if doc["schema"] != SEALED_SCHEMA:
        raise InputError(source, [f"schema: '{doc['schema']}' is not {SEALED_SCHEMA}"])
    if not isinstance(doc["salt"], str) or not isinstance(doc["scenario"], dict):
        raise InputError(source, ["salt must be a string and scenario an object"])
    salt, data, claimed = doc["salt"], doc["scenario"], doc["commitment"]

    def compare(scenario: Scenario | None) -> list[str]:
        try:
            actual = commitment_of(salt, data)
        except ValueError as exc:
            return [f"scenario: cannot be canonicalised ({exc})"]
        if actual != claimed:
            return ["commitment: MISMATCH - the scenario or salt was changed after sealing",
                    f"file says {claimed}", f"content gives {actual}"]
        if scenario is not None and scenario_data(scenario) != data:
            return ["scenario: not in normal form (it was not written by seal)"]
        return []

    try:
        scenario = scenario_from_data(data, f"{source}: scenario")
    except InputError:
        problems = compare(None)
        if problems:
            raise InputError(source, problems) from None
        raise
    sealed = SealedScenario(scenario, salt, str(claimed))
    if defer and forked.can_fork():
        child = ForkedCheck(lambda: compare(scenario))
        verdict: list[list[str]] = []

        def confirm() -> None:  # may be called more than once: the verdict is kept
            if not verdict:
                try:
                    verdict.append(child.result())
                finally:
                    child.stop()
            if verdict[0]:
                raise InputError(source, verdict[0])

        return sealed, confirm
    problems = compare(scenario)
    if problems:
        raise InputError(source, problems)
    return sealed, lambda: None


def read_sealed(path: str | Path) -> SealedScenario:
    """Read and verify a sealed file; raises :class:`InputError` on tampering or a bad file."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(str(p), ["file not found"]) from None
    except UnicodeDecodeError:
        raise InputError(str(p), ["not UTF-8 text"]) from None
    except OSError as exc:
        raise InputError(str(p), [f"cannot read file: {exc.strerror}"]) from None
    return _verify(_parse_json(text, str(p)), str(p))


def _parse_json(text: str, source: str) -> Any:
    """Parse JSON exactly (:mod:`scenarios.jsonexact`); on an error, let :mod:`json` name the
    line and column."""
    try:
        return jsonexact.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        looks_yaml = ":" in text.split("\n", 1)[0] and not text.lstrip().startswith(("{", "["))
        hint = " - this looks like a YAML file; a sealed scenario is the .json file " \
               "blinddrill generate wrote" if looks_yaml else ""
        raise InputError(source, [f"line {exc.lineno}, column {exc.colno}: not valid JSON "
                                  f"({exc.msg}){hint}"]) from None


def is_sealed_document(data: Any) -> bool:
    """True if parsed data looks like a sealed document."""
    return isinstance(data, dict) and data.get("schema") == SEALED_SCHEMA


def read_scenario_file(path: str | Path) -> tuple[Scenario, bool]:
    """(scenario, sealed?) from a plain scenario YAML/JSON file or a sealed file (verified).

    The file is parsed once: JSON (a sealed file, or a scenario starting with ``{``) with
    orjson, anything else with the YAML loader."""
    scenario, commitment, confirm = read_scenario_deferred(path, defer=False)
    confirm()
    return scenario, commitment is not None


#: sealed files smaller than this are verified at once (the fork would cost more than it saves)
DEFER_MIN_BYTES = 1_000_000


def read_scenario_deferred(path: str | Path, *, defer: bool | None = None
                           ) -> tuple[Scenario, str | None, Callable[[], None]]:
    """:func:`read_scenario_file`, with a large sealed file's commitment and normal-form
    comparison finishing on a second core (:mod:`scenarios.forked`) while the caller works:
    call ``confirm()`` before anything made from the scenario is written or shown; it raises
    the :class:`InputError` checking at once would have. Every other check (the document's
    keys, the scenario's validation) is done before this returns. ``defer``: None decides by
    the file's size, False checks at once. The second value is a sealed file's commitment
    (None for a plain scenario file)."""
    p = Path(path)
    raw = read_input_bytes(p)
    data: Any = None
    parsed = False
    if raw.lstrip()[:1] == b"{":
        try:
            data, parsed = jsonexact.loads(raw), True  # a 128-bit seed stays an integer
        except orjson.JSONDecodeError:
            parsed = False  # a YAML flow mapping, or broken JSON: the YAML loader explains
    if not parsed:
        data = read_yaml(p)
    if is_sealed_document(data):
        later = len(raw) >= DEFER_MIN_BYTES if defer is None else defer
        sealed, confirm = _verify_deferred(data, str(p), defer=later)
        return sealed.scenario, sealed.commitment, confirm
    if data is None:
        raise InputError(str(p), ["the file is empty"])
    # a sealed file of another version is named as such, not as a scenario missing its fields
    return scenario_from_data(data, str(p), also=(SEALED_SCHEMA,)), None, lambda: None


def load_scenario_file(path: str | Path) -> Scenario:
    """A scenario from a plain scenario YAML/JSON file or a sealed file (verified)."""
    return read_scenario_file(path)[0]
