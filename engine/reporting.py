"""Information flow of a simulated drill: the township command post and the three reports.

* The desk that took the alarm tells the township command post (``message_sent``); the post
  activates once (the region's ``activation_min`` × variability) and makes each scene visible
  when both the post is up (+ ``visibility_min`` × variability) and video from the first unit
  on scene is running.
* Reports (首报/续报/终报): the scene's lead unit reports to the township (its post, or the
  township desk if it has no post), which relays upward to county/city by the incident's grade.
  First report: after the first arrival; follow-up: some time after the first; final: after
  control. Each may be missed, leave out required template fields, or get casualties wrong
  (the first report under-counts), with the rates in the behaviour parameters.

Everything here is a chain of scheduled calls (``DrillContext.call_in``: a one-shot simpy ``Timeout``
with a callback), not simpy processes: each step draws its delay and schedules the next.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.state import IncidentState, PostState

if TYPE_CHECKING:
    from engine.context import DrillContext

_STAGES = ("first", "followup", "final")


def _desk(jurisdiction: str) -> str:
    return f"DESK-{jurisdiction}"


def township_party(d: DrillContext, inc: IncidentState) -> tuple[str | None, str]:
    """(post id or None, recipient id) of the township level for ``inc``."""
    cp = d.ix.post_for(inc.township)
    return (cp.id, cp.id) if cp is not None else (None, _desk(inc.township))


# ----- command post and visibility ------------------------------------------------------------
def notify_post(d: DrillContext, inc: IncidentState) -> None:
    """The desk that took the alarm informs the township command post, which activates."""
    cp = d.ix.post_for(inc.township)
    if cp is None:
        return
    post = d.posts.get(cp.id)
    if post is None:
        post = d.posts[cp.id] = PostState(id=cp.id)
    delay = d.p.command_post.notify.sample(d.dr["post"]) * d.comms.factor(inc)
    d.call_in(delay, _notified, d, inc, post, delay)
    if post.active_at is not None:
        _post_up(d, inc, post)
    else:
        post.waiting.append(inc)


def _notified(d: DrillContext, inc: IncidentState, post: PostState, delay: float) -> None:
    d.log_add("message_sent", d.env.now, inc.id, None, None, None, post.id, {
        "sender": _desk(inc.desk_jurisdiction), "recipient": post.id, "channel": "phone",
        "delay_min": round(delay, 4)})
    if post.activating:
        return
    post.activating = True
    cp = d.region.post_by_township[inc.township]
    d.call_in(cp.activation_min * d.p.command_post.variability.sample(d.dr["post"]),
                  _activated, d, inc, post)


def _activated(d: DrillContext, inc: IncidentState, post: PostState) -> None:
    post.active_at = d.env.now
    d.log_add("command_post_activated", d.env.now, inc.id, None, None, None, post.id, {})
    waiting, post.waiting = post.waiting, []
    for i in waiting:
        _post_up(d, i, post)


def _post_up(d: DrillContext, inc: IncidentState, post: PostState) -> None:
    """The post is up: the scene is visible once its own setup and the video are done."""
    cp = d.region.post_by_township[inc.township]
    assert post.active_at is not None
    ready = post.active_at + cp.visibility_min * d.p.command_post.variability.sample(d.dr["post"])
    if inc.first_arrival is not None:
        video(d, inc, post, ready)
    else:
        inc.video_waiting.append((post, ready))


def video(d: DrillContext, inc: IncidentState, post: PostState, ready: float) -> None:
    """Video from the first unit on scene: visible at the later of ``ready`` and video set-up."""
    assert inc.first_arrival is not None
    at = max(ready, inc.first_arrival + d.p.command_post.video_setup.sample(d.dr["post"]))
    wait = at - d.env.now
    if wait > 0:
        d.call_in(wait, _visible, d, inc, post)
    else:
        _visible(d, inc, post)


def _visible(d: DrillContext, inc: IncidentState, post: PostState) -> None:
    d.log_add("scene_visible", d.env.now, inc.id, None, None, None, post.id, {})


# ----- reports --------------------------------------------------------------------------------
def _required(d: DrillContext, template: str, stage: str) -> list[str]:
    key = (template, stage)
    req = d.required.get(key)
    if req is None:
        ts = d.templates
        if template in ts.by_id:
            req = ts.required(template, stage)  # type: ignore[arg-type]
        else:
            k = _STAGES.index(stage)
            req = [f.id for f in ts.common_fields if _STAGES.index(f.required_from) <= k]
        d.required[key] = req
    return req


def _fields(d: DrillContext, inc: IncidentState, stage: str, p_missing: float) -> list[str]:
    u = d.dr["report"].uniform
    return [f for f in _required(d, inc.spec.template, stage) if u() >= p_missing]


def _values(d: DrillContext, inc: IncidentState, stage: str, p_error: float) -> dict[str, Any]:
    dr = d.dr["report"]
    truth = inc.truth()
    if stage == "first":
        kb = d.kb[d.scene.lead(inc) or 0]
        f = min(kb.undercount.sample(dr), 1.0)
        cas = {k: int(math.floor(v * f)) for k, v in truth.items()}
    elif dr.uniform() < p_error:  # wrong counts: each off by up to ±30 %
        cas = {k: int(round(v * (0.7 + 0.6 * dr.uniform()))) + (1 if v == 0 else 0)
               for k, v in truth.items()}
    else:
        cas = truth
    return {"casualties": cas, "grade": inc.grade}


def first_report(d: DrillContext, inc: IncidentState) -> None:
    """The first-arriving unit's first report (首报), then its relays, then the follow-up."""
    u = inc.first_unit
    assert u is not None
    uid = d.ix.unit_ids[u]
    delay = d.kb[u].first_report.sample(d.dr["report"]) * d.f.report * d.comms.factor(inc, uid)
    d.call_in(delay, _first_due, d, inc, u, delay)


def _first_due(d: DrillContext, inc: IncidentState, u: int, delay: float) -> None:
    kb = d.kb[u]
    missed = d.dr["report"].uniform() < kb.report_missed
    if not missed:
        inc.first_report_t = d.env.now
        fields = _fields(d, inc, "first", kb.missing_field)
        values = _values(d, inc, "first", 0.0)
        _submit(d, inc, "first", d.ix.unit_ids[u], delay, fields, values)
    _report_after(d, inc, "followup")


def final_report(d: DrillContext, inc: IncidentState) -> None:
    """The final report (终报) after the incident is controlled (none if an escalation has
    re-opened it meanwhile: the next control brings its own)."""
    _report_after(d, inc, "final")


def _report_after(d: DrillContext, inc: IncidentState, stage: str) -> None:
    rp = d.p.reports
    after = rp.followup_after if stage == "followup" else rp.final_after
    delay = after.sample(d.dr["report"]) * d.f.report
    d.call_in(delay * d.comms.factor(inc), _report_due, d, inc, stage, delay, inc.rounds)


def _report_due(d: DrillContext, inc: IncidentState, stage: str, delay: float, rounds: int) -> None:
    if stage == "followup" and inc.closed:
        return  # the final report supersedes a follow-up not yet written
    if stage == "final" and (inc.rounds != rounds or not inc.controlled):
        return  # re-opened since control
    rp = d.p.reports
    missed = d.dr["report"].uniform() < (rp.followup_missed if stage == "followup"
                                        else rp.final_missed)
    if missed:
        return
    lead = d.scene.lead(inc)
    uid = d.ix.unit_ids[lead] if lead is not None else None
    fields = _fields(d, inc, stage, rp.missing_field)
    err = rp.followup_count_error if stage == "followup" else rp.final_count_error
    _submit(d, inc, stage, uid, delay, fields, _values(d, inc, stage, err))


class _Relay:
    """A report on its way up the levels ``reports.upward[grade]``."""

    __slots__ = ("inc", "stage", "post", "sender", "channel", "fields", "values", "levels", "k")

    def __init__(self, inc: IncidentState, stage: str, post: str | None, sender: str,
                 channel: str, fields: list[str], values: dict[str, Any],
                 levels: Sequence[str]) -> None:
        self.inc, self.stage, self.post, self.sender = inc, stage, post, sender
        self.channel, self.fields, self.values, self.levels = channel, fields, values, levels
        self.k = 0


def _submit(d: DrillContext, inc: IncidentState, stage: str, uid: str | None, delay: float,
            fields: list[str], values: dict[str, Any]) -> None:
    post, recipient = township_party(d, inc)
    channel = d.p.reports.channel.get(stage, "written")  # type: ignore[call-overload]
    now = d.env.now
    sender = uid or recipient
    d.log_add("report_submitted", now, inc.id, uid, None, None, post, {
        "stage": stage, "to": "township", "channel": channel, "fields": fields,
        "values": values, "sender": sender})
    d.log_add("message_sent", now, inc.id, uid, None, None, post, {
        "sender": sender, "recipient": recipient, "channel": channel,
        "delay_min": round(delay, 4)})
    levels = d.p.reports.upward[inc.grade]  # type: ignore[index]
    if levels:
        _relay_next(d, _Relay(inc, stage, post, recipient, channel, fields, values, levels))


def _relay_next(d: DrillContext, r: _Relay) -> None:
    level = r.levels[r.k]
    delay = (d.p.reports.relay[level].sample(d.dr["report"])  # type: ignore[index]
             * d.f.report * d.comms.factor(r.inc))
    d.call_in(delay, _relayed, d, r, delay)


def _relayed(d: DrillContext, r: _Relay, delay: float) -> None:
    inc = r.inc
    j = d.region.ancestor(inc.township, r.levels[r.k])  # type: ignore[arg-type]
    if j is None:
        return
    recipient = _desk(j.id)
    now = d.env.now
    d.log_add("report_submitted", now, inc.id, None, None, None, r.post, {
        "stage": r.stage, "to": r.levels[r.k], "channel": r.channel, "fields": r.fields,
        "values": r.values, "sender": r.sender})
    d.log_add("message_sent", now, inc.id, None, None, None, r.post, {
        "sender": r.sender, "recipient": recipient, "channel": r.channel,
        "delay_min": round(delay, 4)})
    r.sender = recipient
    r.k += 1
    if r.k < len(r.levels):
        _relay_next(d, r)
