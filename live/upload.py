"""Reading a sealed-scenario upload (the console's import, ``live import``): every check a file
must pass before a drill is created from it, each refusal with a ``reason`` the console words
in the user's language.

The checks, in order: the size limit, not empty, UTF-8 without a byte-order mark, JSON, a
sealed document, its commitment, the scenario's schema, the region it was generated for, its
references into the drill's region, and its hazard categories against the catalogue. Nothing
is written before all of them passed (:meth:`live.service.LiveService.import_drill`).
"""

from __future__ import annotations

from typing import Any

import orjson

from live.base import LiveError
from scenarios import jsonexact
from scenarios.catalogue import HazardCatalogue, load_catalogue, unknown_categories
from scenarios.fingerprint import check_scenario_region
from scenarios.limits import MAX_INPUT_BYTES
from scenarios.loading import InputError
from scenarios.region import Region
from scenarios.schema import Scenario
from scenarios.sealing import commitment_of, is_sealed_document, verify_document

#: why an upload was refused; the console shows ``STRINGS["upload_<reason>"]``.
REASONS = ("too_large", "empty", "encoding", "not_json", "not_sealed", "tampered", "invalid",
           "not_published", "wrong_region", "dangling", "unknown_category")


class UploadRefused(LiveError, InputError):
    """A sealed-scenario file that cannot become a drill. ``reason`` is one of
    :data:`REASONS`; ``str()`` names the file and the field (for the command line)."""

    def __init__(self, reason: str, source: str, problems: list[str]) -> None:
        InputError.__init__(self, source, problems)
        self.reason = reason


def read_upload(sealed: bytes, source: str, region: Region, *, expect: str | None = None,
                catalogue: HazardCatalogue | None = None) -> tuple[Scenario, str]:
    """The verified scenario of the sealed file's bytes and its commitment (which must be
    ``expect``, the published one, if given), checked against the drill's ``region`` and
    ``catalogue`` (default: the shipped one); :class:`UploadRefused` otherwise."""
    doc = _document(sealed, source)
    try:
        scenario = verify_document(doc, source)
    except InputError as exc:  # the inner part's source ("FILE: scenario") leads each field
        inner = exc.source[len(source) + 2:] + "." if exc.source.startswith(source + ": ") else ""
        raise UploadRefused(_why(doc), source, [inner + p for p in exc.problems]) from None
    commitment = str(doc["commitment"])
    if expect is not None and expect.strip() != commitment:
        raise UploadRefused("not_published", source, [
            f"commitment {commitment} is NOT the published {expect.strip()}"])
    try:
        check_scenario_region(scenario, region, source, "the drill's region")
    except InputError as exc:
        raise UploadRefused("wrong_region", source, exc.problems) from None
    problems = scenario.check_against(region)
    if problems:
        raise UploadRefused("dangling", source, [f"scenario.{p}" for p in problems])
    problems = unknown_categories(catalogue or load_catalogue(), scenario)
    if problems:
        raise UploadRefused("unknown_category", source, [f"scenario.{p}" for p in problems])
    return scenario, commitment


def _document(sealed: bytes, source: str) -> Any:
    if len(sealed) > MAX_INPUT_BYTES:
        raise UploadRefused("too_large", source, [
            f"{len(sealed):,} bytes, more than the limit of {MAX_INPUT_BYTES // 2**20} MB"])
    if not sealed.strip():
        raise UploadRefused("empty", source, ["the file is empty"])
    if b"\x00" in sealed[:4096]:
        raise UploadRefused("not_sealed", source, [
            "a binary file (an image, a workbook, an archive?), not a sealed scenario"])
    if sealed.startswith(b"\xef\xbb\xbf"):
        raise UploadRefused("encoding", source, [
            "starts with a UTF-8 byte-order mark (BOM); use the file as blinddrill wrote it"])
    try:
        sealed.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(sealed) and exc.reason == "unexpected end of data":
            raise UploadRefused("not_json", source, [
                "the file is cut short (it ends inside a character)"]) from None
        raise UploadRefused("encoding", source, [
            f"not UTF-8 text (byte {exc.start}); use the file as blinddrill wrote it"]) from None
    try:
        return jsonexact.loads(sealed)  # a 128-bit seed stays an integer
    except orjson.JSONDecodeError as exc:
        raise UploadRefused("not_json", source, [
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); the file is "
            "cut short or is not a sealed scenario"]) from None


def _why(doc: Any) -> str:
    """Why :func:`scenarios.sealing.verify_document` refused ``doc``."""
    if (not is_sealed_document(doc) or set(doc) != {"schema", "commitment", "salt", "scenario"}
            or not isinstance(doc["salt"], str) or not isinstance(doc["scenario"], dict)):
        return "not_sealed"
    try:
        same = commitment_of(doc["salt"], doc["scenario"]) == doc["commitment"]
    except (TypeError, ValueError):
        return "invalid"
    return "invalid" if same else "tampered"
