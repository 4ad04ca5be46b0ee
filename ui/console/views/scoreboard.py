"""The scoreboard (director and evaluators; players have no account): per incident the
running 1-10-15 countdowns and the report limits, breaches flagged as they happen.

The numbers are :meth:`live.service.LiveService.live_score` — the evaluators' own clocks on
the log so far with "now" as the censoring time; the page only lays them out, inside the
page's one read-only fragment (refreshed every few seconds, no input widgets in it).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from live.service import DrillStatus
from ui.charts.labels import incident_type_name, place_name
from ui.console.common import clock_line, guarded, live_fragment, pick_drill
from ui.console.state import lang, service, t, user

#: the headline pack's clocks come first, in this order
FIRST = ("take_alarm", "arrive", "handle")


def clock_status(clk: dict[str, Any]) -> str:
    """met / breached / open of one incident clock as the evaluators report it."""
    status = clk.get("status")
    if status in ("met", "breached", "open"):
        return str(status)
    return "met" if clk["met"] else ("open" if clk.get("censored") else "breached")


def cell(clk: dict[str, Any] | None, limit: float, now: float) -> str:
    """One scoreboard cell: ● met (minutes taken), ▲ breached (minutes over), ○ running
    (minutes left). Plain geometric marks: the CJK font has them, emoji fonts may be missing."""
    if clk is None:
        return ""
    st_ = clock_status(clk)
    value = clk.get("value")
    elapsed = clk.get("elapsed", value)
    if st_ == "met":
        return f"● {t('met_in', m=f'{float(value or 0):.1f}')}"
    if st_ == "breached":
        over = float(value if value is not None else elapsed or 0) - limit
        return f"▲ {t('breached')} {t('over', m=f'{max(over, 0):.1f}')}"
    deadline = clk.get("deadline")
    if deadline is not None:
        return f"○ {t('left', m=f'{max(float(deadline) - now, 0):.1f}')}"
    return f"○ {t('open')}"


def board(s: DrillStatus) -> None:
    """Clock line, then the per-incident table and the breach list (read-only)."""
    clock_line(s)
    if s.started_wall is None:
        return
    svc, who = service(), user()
    score = svc.live_score(who, s.id)
    card = score.card
    region = svc.region(s.id)
    lg = lang()
    clocks = {cid: c for cid, c in card.clocks.items() if c.scope == "incident" and c.available}
    order = [c for c in FIRST if c in clocks] + [c for c in clocks if c not in FIRST]
    name = {cid: (clocks[cid].name_zh if lg == "zh" else clocks[cid].name_en) for cid in order}
    rows, labels = [], {}
    for iid, ic in card.incidents.items():
        labels[iid] = (f"{iid} · {incident_type_name(ic.template, ic.category, lg)} · "
                       f"{place_name(region, ic.township, lg)}")
        row: dict[str, str] = {t("incident"): labels[iid]}
        for cid in order:
            row[name[cid]] = cell(ic.clocks.get(cid), clocks[cid].limit_min, score.now_min)
        rows.append(row)
    breaches = [f"{labels.get(b['incident'], b['incident'])}: {name.get(b['clock'], b['clock'])}"
                for b in score.breaches() if b["clock"] in name]
    st.subheader(t("scoreboard"))
    c1, c2 = st.columns(2)
    c1.metric(t("breaches", n=len(breaches)), len(breaches))
    head = clocks.get("arrive")
    if head is not None and head.compliance is not None:
        c2.metric(t("compliance") + " · " + name["arrive"], f"{head.compliance:.0%}")
    if rows:
        st.table(rows)
    else:
        st.caption(t("no_incidents"))
    for b in breaches:
        st.error(b)


def page() -> None:
    """Draw the scoreboard fragment."""
    with guarded():
        s = pick_drill()
        if s is None:
            return
        live_fragment(board, s.id)
