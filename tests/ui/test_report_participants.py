"""The overview's participants as a live drill records them: the desk a released inject
called, the post the scene reached; the drill's length rounded for reading."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scenarios.region import load_region
from ui.reports.front import _participants

ROOT = Path(__file__).resolve().parents[2]


def _rec(kind: str, **kw: Any) -> dict[str, Any]:
    return {"kind": kind, "incident": kw.pop("incident", "I01"), "unit": kw.pop("unit", None),
            "post": kw.pop("post", None), "data": kw}


def test_live_taps_count_the_desk_called_and_the_post_the_scene_reached() -> None:
    region = load_region(ROOT / "scenarios" / "regions" / "county.yaml")
    # what the console writes: the system's alarm (with the desk), the umpires' taps (none)
    records = [_rec("alarm_raised", level="township", desk="DESK-T01"),
               _rec("alarm_taken", level="township"),
               _rec("scene_visible", post="CP-T01")]
    c = SimpleNamespace(records=records, region=region, lang="zh", names=None,
                        scenario={"injects": []})
    _, posts, _ = _participants(c)  # type: ignore[arg-type]
    assert "值班室1个" in posts and "乡镇应急指挥部1个" in posts
    assert "DESK" not in posts and "CP-" not in posts
