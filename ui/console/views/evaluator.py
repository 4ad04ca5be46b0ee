"""The evaluator's (umpire's) page: per incident and team, large one-tap buttons for what the
teams do, report stages with the template's fields to tick, supplies and reinforcements, a
correction on every recorded action, and observation notes with a P/S/M/U rating.

Each tap carries a client-generated action id (:func:`ui.console.state.action_id`), so a tap
Streamlit delivers twice or a retry after a lost connection records once. The service checks
the role, validates the record and commits it before the page says "recorded". Only released
incidents appear: the page reads the log, never the sealed scenario.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from live.recording import RATINGS
from live.service import DrillStatus
from ui.charts.labels import incident_type_name, place_name
from ui.charts.names import Names
from ui.console.common import clock_line, guarded, live_fragment, minutes, pick_drill
from ui.console.state import (
    action_id,
    choice,
    device,
    flash,
    lang,
    service,
    show_flash,
    t,
    used,
    user,
)

#: the one-tap buttons: (string key, event kind, needs a team)
#: no "alarm call" tap: delivering an incident's inject writes its alarm (live.injects)
TAPS: tuple[tuple[str, str, bool], ...] = (
    ("act_alarm_taken", "alarm_taken", False),
    ("act_unit_dispatched", "unit_dispatched", True),
    ("act_unit_mobilised", "unit_mobilised", True),
    ("act_unit_arrived", "unit_arrived", True),
    ("act_commander_designated", "commander_designated", False),
    ("act_scene_visible", "scene_visible", False),
    ("act_initial_response_completed", "initial_response_completed", False),
    ("act_incident_controlled", "incident_controlled", False),
    ("act_mutual_aid_requested", "mutual_aid_requested", False),
    ("act_mutual_aid_granted", "mutual_aid_granted", True),
)
LEVELS = ("township", "county", "city")
LEVEL_NAMES = {"township": ("乡镇", "Township"), "county": ("县(区)", "County"),
               "city": ("市", "City")}
#: the observation form's blank values (set after a saved observation, kept after a refusal)
OBS_BLANK: dict[str, Any] = {"obs_text": "", "obs_cap": "", "obs_inject": "",
                             "obs_rating": RATINGS[0], "obs_when": None}
STAGES = (("first", "act_report_first"), ("followup", "act_report_followup"),
          ("final", "act_report_final"))
BIG_BUTTONS_CSS = """<style>
div[data-testid="stButton"] button {min-height: 3.4rem; font-size: 1.05rem;}
</style>"""


def _level_name(level: str) -> str:
    zh, en = LEVEL_NAMES[level]
    return zh if lang() == "zh" else en


def incidents_of(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Released incidents (their ``incident_occurred`` truth) by id, in release order."""
    return {r["incident"]: {**r["data"], "t": r["t"]} for r in records
            if r["kind"] == "incident_occurred"}


def _record(s: DrillStatus, slot: str, label: str, kind: str, **kw: Any) -> None:
    rec = service().record(user(), s.id, kind, action_id=action_id(slot), device=device(), **kw)
    used(slot)
    _confirm(rec, label)


def _confirm(rec: Any, label: str) -> None:
    """Say the write is committed, or that nothing new was written: the same tap arrived
    again (a retry, or a double tap the service recognised: ``live.recording.same_action``)
    or someone else recorded it first."""
    if rec.created:
        flash(t("recorded", what=label, seq=rec.seq))
    elif rec.record.get("data", {}).get("author") == user().name:
        flash(t("already_mine", seq=rec.seq), "warning")
    else:
        flash(t("already"), "warning")
    st.rerun()


def page() -> None:
    """Draw the evaluator's recording page."""
    show_flash()
    with guarded():
        s = pick_drill()
        if s is None:
            return
        svc, who = service(), user()
        # a release (a new incident) or a change of state reruns the page; cheap to watch
        live_fragment(clock_line, s.id, watch=lambda now: (now.released, now.status))
        records = svc.log(who, s.id)
        incs = incidents_of(records)
        mine = [r for r in records if r["source"] == "umpire"
                and r["data"].get("author") == who.name]
        st.caption(t("recorded_count", n=len(mine)))
        if not incs:
            st.info(t("no_incidents"))
        elif s.status in ("running", "held"):
            st.markdown(BIG_BUTTONS_CSS, unsafe_allow_html=True)  # constant CSS, no user text
            recording(s, incs, records)
        observation_form(s, incs, records)
        my_records(s, mine)


def recording(s: DrillStatus, incs: dict[str, dict[str, Any]],
              records: list[dict[str, Any]]) -> None:
    """The incident and team pickers and the one-tap buttons."""
    region = service().region(s.id)
    lg = lang()
    labels = {i: f"{i} · {incident_type_name(d.get('template'), d.get('category'), lg)} · "
                 f"{place_name(region, d.get('township'), lg)}" for i, d in incs.items()}
    # every label below follows the language: choice() keeps the choice across a switch
    inc = choice(st.radio, t("incident"), list(incs), format_func=labels.__getitem__,
                 key="ev_inc", horizontal=True)
    info = incs[inc]
    sent = [r["unit"] for r in records if r["incident"] == inc and r["kind"] ==
            "unit_dispatched" and r["unit"]]
    units = list(dict.fromkeys(sent + [u.id for u in region.units]))
    names = Names(region, lg)  # the stored value stays the unit's id; the label is worded
    c1, c2 = st.columns([3, 1])
    unit = choice(c1.selectbox, t("team"), ["", *units], key=f"ev_unit_{inc}",
                  format_func=lambda u: names.unit(u) if u else t("team_none"))
    level = choice(c2.selectbox, t("level"), LEVELS, format_func=_level_name, key="ev_level")
    post = region.post_by_township.get(info.get("township"))
    cols = st.columns(3)
    for k, (key, kind, needs_unit) in enumerate(TAPS):
        disabled = (needs_unit and not unit) or (kind == "scene_visible" and post is None)
        if cols[k % 3].button(t(key), key=f"tap_{kind}", disabled=disabled,
                              width="stretch", type="primary"):
            ids: dict[str, Any] = {"incident": inc, "unit": unit or None}
            data: dict[str, Any] = {}
            if kind in ("alarm_taken", "unit_dispatched"):
                data["level"] = level
            if kind == "unit_dispatched":
                data["eta_min"] = 0.0
            if kind == "scene_visible" and post is not None:
                ids["post"] = post.id
            if kind == "mutual_aid_requested":
                data.update(from_jurisdiction=info.get("township"), to_level=level)
            if kind == "initial_response_completed":
                data["by"] = "unit"
            _record(s, f"tap_{kind}", t(key), kind, data=data, **ids)
    reports(s, inc, info, level, unit)
    supplies(s, inc, region, records)


def reports(s: DrillStatus, inc: str, info: dict[str, Any], level: str, unit: str) -> None:
    """First / follow-up / final report, with the template's fields to tick."""
    from scenarios.templates import load_templates

    tpl = load_templates()
    template = info.get("template")
    fields = tpl.fields_of(template) if template in tpl.by_id else list(tpl.common_fields)
    zh = lang() == "zh"
    with st.expander(t("act_report_first") + " / " + t("act_report_followup") + " / "
                     + t("act_report_final"), expanded=False):
        st.caption(t("report_fields"))
        fc = st.columns(3)
        ticked = [f.id for k, f in enumerate(fields)
                  if fc[k % 3].checkbox(f.name_zh if zh else f.name_en,
                                        key=f"rf_{inc}_{f.id}")]
        channel = choice(st.radio, t("col_method"), ["phone", "written"], horizontal=True,
                         format_func=lambda c: {"phone": ("电话", "Phone"),
                                                "written": ("书面", "Written")}[c][0 if zh else 1],
                         key=f"rch_{inc}")
        bc = st.columns(3)
        for k, (stage, key) in enumerate(STAGES):
            if bc[k].button(t(key), key=f"rep_{stage}", width="stretch"):
                _record(s, f"rep_{stage}", t(key), "report_submitted", incident=inc,
                        unit=unit or None,
                        data={"stage": stage, "to": level, "channel": channel,
                              "fields": ticked, "values": {}})


def supplies(s: DrillStatus, inc: str, region: Any, records: list[dict[str, Any]]) -> None:
    """Supplies requested / arrived (item, quantity, depot)."""
    zh = lang() == "zh"
    with st.expander(t("act_supplies_requested") + " / " + t("act_supplies_delivered")):
        items = {v.id: (v.name_zh if zh else v.name_en) for v in region.items}
        c1, c2 = st.columns([3, 1])
        item = choice(c1.selectbox, t("act_supplies_requested"), list(items),
                      format_func=items.__getitem__, key=f"sup_item_{inc}")
        # no bounds on the widget: a value outside them would stay red on screen while the
        # widget kept sending its last valid number; the service refuses it with a message
        qty = c2.number_input("#", value=10, step=1, key=f"sup_qty_{inc}")
        asked = [r["data"]["request"] for r in records if r["kind"] == "supplies_requested"
                 and r["incident"] == inc]
        depots = {d.id: d for d in region.depots}
        names = Names(region, lang())
        depot = choice(st.selectbox, t("act_supplies_delivered"), list(depots),
                       format_func=names.depot, key=f"sup_depot_{inc}")
        b1, b2 = st.columns(2)
        if b1.button(t("act_supplies_requested"), key="sup_req", width="stretch"):
            _record(s, "sup_req", t("act_supplies_requested"), "supplies_requested",
                    incident=inc, data={"item": item, "qty": qty,
                                        "request": f"{inc}-R{len(asked) + 1}"})
        if b2.button(t("act_supplies_delivered"), key="sup_del", width="stretch",
                     disabled=not depots):
            _record(s, "sup_del", t("act_supplies_delivered"), "supplies_delivered",
                    incident=inc, depot=depot,
                    data={"item": item, "qty": qty, "tier": depots[depot].tier,
                          "request": asked[-1] if asked else f"{inc}-R0"})


def observation_form(s: DrillStatus, incs: dict[str, dict[str, Any]],
                     records: list[dict[str, Any]]) -> None:
    """An observation note tied to an inject, a capability and a time, rated P/S/M/U."""
    if s.status not in ("running", "held"):
        return
    region = service().region(s.id)
    zh = lang() == "zh"
    caps = {c.id: (c.name_zh if zh else c.name_en) for c in region.capabilities}
    injects = [r["inject"] for r in records if r["kind"] == "inject_released"]
    st.subheader(t("observation"))
    if st.session_state.pop("_obs_saved", False):  # the last one was saved: a blank form
        st.session_state.update(OBS_BLANK)
    # not cleared on submit: a refused observation keeps what the umpire typed
    with st.form("observation"):
        text = st.text_area(t("obs_text"), key="obs_text")
        c1, c2 = st.columns(2)
        cap = choice(c1.selectbox, t("capability"), ["", *caps],
                     format_func=lambda c: caps.get(c, "—"), key="obs_cap")
        inject = c2.selectbox(t("obs_inject"), [""] + injects,
                              format_func=lambda i: i or "—", key="obs_inject")
        rating = choice(st.radio, t("rating"), RATINGS, format_func=lambda r: t("rating_" + r),
                        horizontal=True, key="obs_rating")
        # empty = the drill time at save (a default drawn with the form would go stale);
        # no widget bounds (an out-of-range value would be dropped silently): the service
        # refuses a time before 0 or after now with a message
        when = st.number_input(t("obs_when"), value=None, step=0.1, format="%.1f",
                               placeholder=t("obs_when_now"), key="obs_when")
        if st.form_submit_button(t("obs_save"), type="primary"):
            slot = "observation"
            inc = next((r["incident"] for r in records if r["kind"] == "inject_released"
                        and r["inject"] == inject), None)
            rec = service().observe(user(), s.id, text, action_id=action_id(slot),
                                    capability=cap or None, rating=rating,
                                    inject=inject or None, incident=inc,
                                    observed_t=None if when is None else float(when),
                                    device=device())
            used(slot)
            st.session_state["_obs_saved"] = True
            _confirm(rec, t("observation"))


def my_records(s: DrillStatus, mine: list[dict[str, Any]]) -> None:
    """This umpire's records, newest first, each with a correction button."""
    st.subheader(t("my_records"))
    names = Names(service().region(s.id), lang())
    corrected = {r["data"]["corrects"] for r in mine if r["kind"] == "record_corrected"}
    for r in reversed(mine[-30:]):
        if r["kind"] == "record_corrected":
            line = t("corrected", seq=r["data"]["corrects"]) + f" · {r['data']['reason']}"
        else:
            line = f"#{r['seq']} · {minutes(r['t'])} · {_kind_label(r)} · " \
                   f"{r['incident'] or ''} {names.unit(r['unit']) if r['unit'] else ''}"
        c1, c2 = st.columns([4, 1])
        c1.text(line + ("  ✕" if r["seq"] in corrected else ""))
        if r["kind"] == "observation":
            c1.text(str(r["data"].get("text", "")))  # as typed: never Markdown or HTML
        if r["kind"] != "record_corrected" and r["seq"] not in corrected \
                and s.status in ("running", "held") \
                and c2.button(t("correct"), key=f"fix_{r['seq']}"):
            st.session_state["fixing"] = r["seq"]
        if st.session_state.get("fixing") == r["seq"]:
            with st.form(f"fix_form_{r['seq']}"):
                note = st.text_input(t("correction_note"), key=f"fix_note_{r['seq']}")
                if st.form_submit_button(t("retract"), type="primary"):
                    slot = f"fix_{r['seq']}"
                    service().correct(user(), s.id, r["seq"], note or t("retract"),
                                      action_id=action_id(slot), device=device())
                    used(slot)
                    st.session_state.pop("fixing", None)
                    flash(t("corrected", seq=r["seq"]))
                    st.rerun()


def _kind_label(r: dict[str, Any]) -> str:
    kind = r["kind"]
    if kind == "report_submitted":
        return t(f"act_report_{r['data'].get('stage', 'first')}")
    if kind == "observation":
        return t("observation") + f" {r['data'].get('rating', '')}"
    key = f"act_{kind}"
    from ui.console.strings import STRINGS

    return t(key) if key in STRINGS else kind
