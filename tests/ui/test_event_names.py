"""Every event kind the log can hold has a Chinese and an English name in the reports.

A kind without one would print as 其他记录 / "Other record" in the timeline of an AAR (the
issue-12 kinds did until they were named here), so this is checked against the log schema
itself: a new kind added to ``engine.eventschema`` without a name fails here.
"""

from __future__ import annotations

import re

from engine.eventschema import EVENT_KINDS
from ui.reports.events import KIND_NAMES, kind_name

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_event_kind_is_named_in_both_languages() -> None:
    assert [k for k in EVENT_KINDS if k not in KIND_NAMES] == []
    assert [k for k in KIND_NAMES if k not in EVENT_KINDS] == []  # no stale names either
    for kind in EVENT_KINDS:
        zh, en = kind_name(kind, "zh"), kind_name(kind, "en")
        assert CJK.search(zh) and not re.search(r"[A-Za-z_]", zh), (kind, zh)
        assert not CJK.search(en) and "_" not in en, (kind, en)
    assert len({kind_name(k, "zh") for k in EVENT_KINDS}) == len(EVENT_KINDS)  # all distinct
