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
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from engine.state import IncidentState, PostState

if TYPE_CHECKING:
    from engine.drill import Drill

ProcGen = Generator[simpy.Event, Any, None]


def _desk(jurisdiction: str) -> str:
    return f"DESK-{jurisdiction}"


def township_party(d: Drill, inc: IncidentState) -> tuple[str | None, str]:
    """(post id or None, recipient id) of the township level for ``inc``."""
    cp = d.ix.post_for(inc.township)
    return (cp.id, cp.id) if cp is not None else (None, _desk(inc.township))


def notify_post(d: Drill, inc: IncidentState) -> None:
    """The desk that took the alarm informs the township command post, which activates."""
    cp = d.ix.post_for(inc.township)
    if cp is None:
        return
    post = d.posts.get(cp.id)
    if post is None:
        post = d.posts[cp.id] = PostState(id=cp.id, active=d.env.event())
    d.env.process(_notify(d, inc, post))
    d.env.process(_visible(d, inc, post))


def _notify(d: Drill, inc: IncidentState, post: PostState) -> ProcGen:
    pp = d.p.command_post
    delay = pp.notify.draw(d.rng["post"]) * d.comms_factor(inc)
    yield d.env.timeout(delay)
    d.emit("message_sent", incident=inc.id, post=post.id, sender=_desk(inc.desk_jurisdiction),
           recipient=post.id, channel="phone", delay_min=round(delay, 4))
    if post.activating:
        return
    post.activating = True
    cp = d.region.post_by_township[inc.township]
    yield d.env.timeout(cp.activation_min * pp.variability.draw(d.rng["post"]))
    post.active_at = d.env.now
    d.emit("command_post_activated", post=post.id, incident=inc.id)
    assert post.active is not None
    post.active.succeed()


def _visible(d: Drill, inc: IncidentState, post: PostState) -> ProcGen:
    assert post.active is not None and inc.arrived is not None
    yield post.active
    cp = d.region.post_by_township[inc.township]
    assert post.active_at is not None
    ready = post.active_at + cp.visibility_min * d.p.command_post.variability.draw(d.rng["post"])
    yield inc.arrived
    assert inc.first_arrival is not None
    video = inc.first_arrival + d.p.command_post.video_setup.draw(d.rng["post"])
    wait = max(ready, video) - d.env.now
    if wait > 0:
        yield d.env.timeout(wait)
    d.emit("scene_visible", post=post.id, incident=inc.id)


# ----- reports --------------------------------------------------------------------------------
def _fields(d: Drill, inc: IncidentState, stage: str, p_missing: float) -> list[str]:
    ts = d.templates
    if inc.spec.template in ts.by_id:
        req = ts.required(inc.spec.template, stage)  # type: ignore[arg-type]
    else:
        req = [f.id for f in ts.common_fields
               if ("first", "followup", "final").index(f.required_from)
               <= ("first", "followup", "final").index(stage)]
    drop = d.rng["report"].random(len(req))
    return [f for f, x in zip(req, drop, strict=True) if x >= p_missing]


def _values(d: Drill, inc: IncidentState, stage: str, p_error: float) -> dict[str, Any]:
    rng = d.rng["report"]
    truth = inc.truth()
    kb = d.kb[d.lead(inc) or 0]
    if stage == "first":
        f = kb.undercount.draw(rng)
        cas = {k: int(math.floor(v * min(f, 1.0))) for k, v in truth.items()}
    else:
        wrong = rng.random() < p_error
        noise = rng.uniform(0.7, 1.3, size=len(truth))
        cas = {k: (int(round(v * n)) + (1 if v == 0 else 0) if wrong else v)
               for (k, v), n in zip(truth.items(), noise, strict=True)}
    return {"casualties": cas, "grade": inc.grade}


def first_report(d: Drill, inc: IncidentState) -> ProcGen:
    """The first-arriving unit's first report (首报), then its relays, then the follow-up."""
    u = inc.first_unit
    assert u is not None
    uid = d.ix.unit_ids[u]
    kb = d.kb[u]
    delay = kb.first_report.draw(d.rng["report"]) * d.f_report * d.comms_factor(inc, uid)
    yield d.env.timeout(delay)
    missed = d.rng["report"].random() < kb.report_missed
    if not missed:
        inc.first_report_t = d.env.now
        fields = _fields(d, inc, "first", kb.missing_field)
        values = _values(d, inc, "first", 0.0)
        _submit(d, inc, "first", uid, delay, fields, values)
    d.env.process(_later_report(d, inc, "followup"))


def final_report(d: Drill, inc: IncidentState) -> ProcGen:
    """The final report (终报) after the incident is controlled (none if an escalation has
    re-opened it meanwhile: the next control brings its own)."""
    yield from _report_after(d, inc, "final")


def _later_report(d: Drill, inc: IncidentState, stage: str) -> ProcGen:
    yield from _report_after(d, inc, stage)


def _report_after(d: Drill, inc: IncidentState, stage: str) -> ProcGen:
    rp = d.p.reports
    after = rp.followup_after if stage == "followup" else rp.final_after
    delay = after.draw(d.rng["report"]) * d.f_report
    rounds = inc.rounds
    yield d.env.timeout(delay * d.comms_factor(inc))
    if stage == "followup" and inc.closed:
        return  # the final report supersedes a follow-up not yet written
    if stage == "final" and (inc.rounds != rounds or not inc.controlled):
        return  # re-opened since control
    missed = d.rng["report"].random() < (rp.followup_missed if stage == "followup"
                                        else rp.final_missed)
    if missed:
        return
    lead = d.lead(inc)
    uid = d.ix.unit_ids[lead] if lead is not None else None
    fields = _fields(d, inc, stage, rp.missing_field)
    err = rp.followup_count_error if stage == "followup" else rp.final_count_error
    _submit(d, inc, stage, uid, delay, fields, _values(d, inc, stage, err))


def _submit(d: Drill, inc: IncidentState, stage: str, uid: str | None, delay: float,
            fields: list[str], values: dict[str, Any]) -> None:
    post, recipient = township_party(d, inc)
    channel = d.p.reports.channel.get(stage, "written")  # type: ignore[call-overload]
    d.emit("report_submitted", incident=inc.id, unit=uid, post=post, stage=stage,
           to="township", channel=channel, fields=fields, values=values,
           sender=uid or recipient)
    d.emit("message_sent", incident=inc.id, unit=uid, post=post, sender=uid or recipient,
           recipient=recipient, channel=channel, delay_min=round(delay, 4))
    d.env.process(_relay(d, inc, stage, post, recipient, channel, fields, values))


def _relay(d: Drill, inc: IncidentState, stage: str, post: str | None, sender: str,
           channel: str, fields: list[str], values: dict[str, Any]) -> ProcGen:
    rp = d.p.reports
    for level in rp.upward[inc.grade]:  # type: ignore[index]
        delay = rp.relay[level].draw(d.rng["report"]) * d.f_report * d.comms_factor(inc)
        yield d.env.timeout(delay)
        j = d.region.ancestor(inc.township, level)
        if j is None:
            return
        recipient = _desk(j.id)
        d.emit("report_submitted", incident=inc.id, post=post, stage=stage, to=level,
               channel=channel, fields=fields, values=values, sender=sender)
        d.emit("message_sent", incident=inc.id, post=post, sender=sender, recipient=recipient,
               channel=channel, delay_min=round(delay, 4))
        sender = recipient
