"""The console's strings table and the ``blinddrill console`` command's own checks."""

from __future__ import annotations

import re
import socket
import string
from pathlib import Path

from click.testing import CliRunner

from ui.cli import cli
from ui.console.strings import STRINGS, text

_IDENT = re.compile(r"[A-Za-z_]*_[A-Za-z_]+|[a-z]+[A-Z][A-Za-z]*")


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_every_string_has_both_languages_and_the_same_fields() -> None:
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), f"{key}: format fields differ"


def test_chinese_texts_hold_no_code_identifiers() -> None:
    for key, (zh, _en) in STRINGS.items():
        plain = re.sub(r"\{[^}]*\}", "", zh)  # format fields are filled with values
        assert not _IDENT.search(plain), f"{key}: '{zh}' shows an identifier"
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: '{zh}' has no Chinese"


def test_text_formats_and_rejects_unknown_keys() -> None:
    assert text("recorded", "zh", what="到场", seq=7) == "已记录:到场(第 7 条)"
    assert text("recorded", "en", what="Arrived", seq=7) == "Recorded: Arrived (record 7)"
    try:
        text("no_such_key", "zh")
    except KeyError:
        pass
    else:  # pragma: no cover
        raise AssertionError("an unknown key must raise")


def test_console_help_and_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["console", "--help"])
    assert res.exit_code == 0 and "--db" in res.output and "--demo" in res.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        db = tmp_path / "x.db"
        db.touch()
        res = runner.invoke(cli, ["console", "--db", str(db), "--port", str(busy)])
        assert res.exit_code == 2 and "already in use" in res.output
    # on a port of its own: the default 8501 may be serving `make console` (the README's
    # other command) while the tests run
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    res = runner.invoke(cli, ["console", "--db", str(tmp_path / "missing.db"), "--port", str(free)])
    assert res.exit_code == 2 and "does not exist" in res.output
