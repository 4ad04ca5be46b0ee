"""``blinddrill live``: play a live drill from the command line (the headless path).

Thin: every subcommand logs in and makes one call of :class:`live.service.LiveService`; all
checks (roles, secrecy, drill state) are in the service. Who you are and where the store is
come from options or the environment, secrets never from the command line (visible in
``ps``):

* ``--store FILE`` / ``BLINDDRILL_STORE``; ``--user NAME`` / ``BLINDDRILL_USER``;
  ``--drill ID`` / ``BLINDDRILL_DRILL``;
* the password: ``BLINDDRILL_PASSWORD`` if set, else a hidden prompt;
* the drill passphrase (director commands that need the scenario's content): the
  ``BLINDDRILL_PASSPHRASE`` variable if set, else a hidden prompt. Each CLI process unlocks
  the drill in its own memory for that one call; nothing is cached on disk.

Exit codes: 0 done (also "already released": the second release says so and writes
nothing), 2 bad input or the drill's state forbids it, 3 login failed or the role may not.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from live.accounts import Principal
    from live.service import LiveService

_FILE = click.Path(path_type=Path, dir_okay=False)


class LiveCliError(click.ClickException):
    """A refused request: bad input or the drill's state forbids it (exit 2)."""

    exit_code = 2


class LiveAuthError(LiveCliError):
    """Login failed or the role may not (exit 3)."""

    exit_code = 3


def _secret(var: str, prompt: str, confirm: bool = False) -> str:
    value = os.environ.get(var)
    if value:
        return value
    if not sys.stdin.isatty():  # (click's test runner replaces sys.stdin too)
        raise LiveCliError(f"{prompt}: set {var} or run in a terminal to be asked")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


class _Ctx:
    def __init__(self, store: Path | None, user: str | None, as_json: bool) -> None:
        self.store, self.user, self.as_json = store, user, as_json
        self._svc: LiveService | None = None

    def service(self, create: bool = False) -> LiveService:
        from live.service import LiveService
        from live.store import StoreError

        if self.store is None:
            raise LiveCliError("give the drill store: --store FILE (or BLINDDRILL_STORE)")
        if self._svc is None:
            try:
                self._svc = LiveService(self.store, create=create)
            except StoreError as exc:
                raise LiveCliError(str(exc)) from None
        return self._svc

    def login(self) -> Principal:
        if not self.user:
            raise LiveCliError("give your user name: --user NAME (or BLINDDRILL_USER)")
        return self.service().login(self.user, _secret("BLINDDRILL_PASSWORD", "Password"))

    def unlock(self, who: Principal, drill: str) -> None:
        svc = self.service()
        if not svc.is_unlocked(drill):
            svc.unlock(who, drill, _secret("BLINDDRILL_PASSPHRASE", "Drill passphrase"))

    def out(self, obj: Any, text: str) -> None:
        click.echo(json.dumps(obj, ensure_ascii=False, default=str) if self.as_json else text)


def _run(fn: Any) -> Any:
    """Translate the service's refusals into clear messages and exit codes."""
    import functools

    @functools.wraps(fn)
    def wrapper(*a: Any, **kw: Any) -> Any:
        from engine.eventlog import EventLogError, LogOrderError
        from live.accounts import AuthError
        from live.export import ExportError
        from live.recording import RecordingError
        from live.secrecy import WrongPassphrase
        from live.service import LiveError

        try:
            return fn(*a, **kw)
        except AuthError as exc:
            raise LiveAuthError(str(exc)) from None
        except (LiveError, RecordingError, EventLogError, LogOrderError, WrongPassphrase,
                ExportError, ValueError) as exc:
            raise LiveCliError(str(exc)) from None

    return wrapper


_drill_opt = click.option("--drill", envvar="BLINDDRILL_DRILL", required=True,
                          help="Drill id (or BLINDDRILL_DRILL).")


@click.group()
@click.option("--store", type=_FILE, envvar="BLINDDRILL_STORE",
              help="The drill store (SQLite file; or BLINDDRILL_STORE).")
@click.option("--user", envvar="BLINDDRILL_USER", help="Your account (or BLINDDRILL_USER).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per call.")
@click.pass_context
def live(ctx: click.Context, store: Path | None, user: str | None, as_json: bool) -> None:
    """Play a live drill: accounts, sealed scenario, clock, injects, umpire records (现场演练).

    Passwords and the drill passphrase come from BLINDDRILL_PASSWORD / BLINDDRILL_PASSPHRASE
    or a hidden prompt, never from the command line.
    """
    ctx.obj = _Ctx(store, user, as_json)


@live.command()
@click.option("--bcrypt-rounds", type=click.IntRange(4, 16), default=12, show_default=True,
              help="bcrypt cost of the store's password hashes.")
@click.pass_obj
@_run
def init(c: _Ctx, bcrypt_rounds: int) -> None:
    """Create the store and its first director account (--user)."""
    if not c.user:
        raise LiveCliError("give the director's user name: --user NAME")
    svc = c.service(create=True)
    who = svc.init_director(c.user, _secret("BLINDDRILL_PASSWORD", "New password", True),
                            rounds=bcrypt_rounds)
    c.out({"store": str(c.store), "director": who.name},
          f"store {c.store} ready; director account '{who.name}' created")


@live.group()
def user() -> None:
    """Manage accounts (director)."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(["director", "controller", "evaluator", "trainer", "observer"]))
@click.pass_obj
@_run
def user_add(c: _Ctx, name: str, role: str) -> None:
    """Add an account; its password from BLINDDRILL_NEW_PASSWORD or a prompt."""
    who = c.login()
    p = c.service().add_user(who, name, role,
                             _secret("BLINDDRILL_NEW_PASSWORD", f"Password for {name}", True))
    c.out({"name": p.name, "role": p.role}, f"account '{p.name}' ({p.role}) added")


@user.command("list")
@click.pass_obj
@_run
def user_list(c: _Ctx) -> None:
    """List the accounts."""
    rows = c.service().users(c.login())
    c.out(rows, "\n".join(f"{r['name']}\t{r['role']}" for r in rows))


@live.command("import")
@click.argument("sealed_file", metavar="SEALED", type=_FILE)
@click.option("--expect", metavar="sha256:HEX", help="The commitment published before.")
@click.option("--drill", "drill_id", help="Drill id (default: the scenario id).")
@click.option("--region", "region_file", type=_FILE, help="Region YAML (default: seed city).")
@click.option("--catalogue", "catalogue_file", type=_FILE,
              help="Hazard catalogue the scenario was drawn from (default: the shipped one).")
@click.option("--title", default="", help="Title shown to everyone.")
@click.pass_obj
@_run
def import_(c: _Ctx, sealed_file: Path, expect: str | None, drill_id: str | None,
            region_file: Path | None, catalogue_file: Path | None, title: str) -> None:
    """Import a sealed scenario: verify its commitment, store it encrypted."""
    from scenarios.catalogue import load_catalogue
    from scenarios.loading import read_input_bytes
    from scenarios.region import load_region

    who = c.login()
    region_yaml = None
    if region_file is not None:
        load_region(region_file)  # a bad region is refused now, not on drill day
        region_yaml = region_file.read_text(encoding="utf-8")
    st = c.service().import_drill(
        who, read_input_bytes(sealed_file),
        _secret("BLINDDRILL_PASSPHRASE", "New drill passphrase", True),
        drill_id=drill_id, title=title, region_yaml=region_yaml, expect=expect,
        source=str(sealed_file), catalogue=load_catalogue(catalogue_file))
    c.out(st.to_dict(), f"drill {st.id} imported: {st.injects} injects, commitment "
          f"{st.commitment} verified")


@live.command()
@_drill_opt
@click.pass_obj
@_run
def unlock(c: _Ctx, drill: str) -> None:
    """Check the drill passphrase (each CLI call unlocks in its own memory)."""
    who = c.login()
    c.unlock(who, drill)
    c.out({"drill": drill, "unlocked": True}, f"drill {drill}: passphrase OK")


def _status_text(st: Any) -> str:
    s = (f"drill {st.id} [{st.status}] t={st.drill_min:.2f} of {st.duration_min:g} min; "
         f"{st.events} events; injects {st.released} released, {st.skipped} skipped of "
         f"{st.injects}")
    if st.due is not None:
        s += f"; due now {st.due} (stale {st.stale})"
    return s


def _clock_cmd(name: str, doc: str, with_reason: bool) -> None:
    def cmd(c: _Ctx, drill: str, reason: str = "") -> None:
        who = c.login()
        svc = c.service()
        if name == "start":
            if who.role == "director":
                c.unlock(who, drill)
            st = svc.start(who, drill)
        elif name == "hold":
            st = svc.hold(who, drill, reason)
        elif name == "resume":
            st = svc.resume(who, drill)
        else:
            st = svc.end(who, drill, reason or "ended by the director")
        c.out(st.to_dict(), _status_text(st))

    f: Any = click.pass_obj(_run(cmd))
    if with_reason:
        f = click.option("--reason", default="", help="Why (kept in the log).")(f)
    live.command(name, help=doc)(_drill_opt(f))


_clock_cmd("start", "Start the drill clock now (director).", False)
_clock_cmd("hold", "Put the drill on hold: drill time stops (director).", True)
_clock_cmd("resume", "Resume after a hold (director).", False)
_clock_cmd("end", "End play (director).", True)


@live.command()
@_drill_opt
@click.option("--real-start", "real_start", is_flag=True,
              help="Director: also show the secret real start (drawn on first use).")
@click.pass_obj
@_run
def status(c: _Ctx, drill: str, real_start: bool) -> None:
    """The drill's status; a director with the passphrase also sees due and stale injects."""
    who = c.login()
    svc = c.service()
    out: dict[str, Any] = {}
    if who.role == "director" and (real_start or os.environ.get("BLINDDRILL_PASSPHRASE")):
        c.unlock(who, drill)
    if real_start:
        start = svc.real_start(who, drill)
        out["real_start"] = start.isoformat()
        click.echo(f"real start (secret: tell nobody): {start.isoformat()}", err=c.as_json)
    st = svc.status(who, drill)
    out["status"] = st.to_dict()
    lines = [_status_text(st)]
    if who.role == "controller":
        lines.append("  (your due injects are shown in the console, where the director "
                     "unlocked the drill)")
    if who.role in ("director", "controller") and svc.is_unlocked(drill):
        due = svc.due_injects(who, drill)
        out["due"] = [v.to_dict() for v in due]
        lines += [f"  due {v.id} (t={v.due_t:g}, late {v.lateness_min or 0:.1f} min) to "
                  f"{v.recipient}: {v.message}" for v in due]
    if who.role == "director" and svc.is_unlocked(drill):
        stale = svc.stale_injects(who, drill)
        out["stale"] = [v.id for v in stale]
        lines += [f"  STALE {v.id}: confirm (release), skip or re-time" for v in stale]
    c.out(out, "\n".join(lines))


@live.command()
@click.argument("inject")
@_drill_opt
@click.option("--reason", default="", help="Why (e.g. 'confirmed late').")
@click.pass_obj
@_run
def release(c: _Ctx, inject: str, drill: str, reason: str) -> None:
    """Release an inject now (director, or its controller when it is due)."""
    who = c.login()
    if who.role == "director":
        c.unlock(who, drill)
    # a controller has no passphrase: only a running service the director unlocked (the
    # console) can show and release their injects; here the service says the drill is locked
    r = c.service().release(who, drill, inject, reason=reason)
    c.out(r.__dict__, r.message)


@live.command()
@click.argument("inject")
@_drill_opt
@click.option("--reason", required=True, help="Why it is skipped.")
@click.pass_obj
@_run
def skip(c: _Ctx, inject: str, drill: str, reason: str) -> None:
    """Skip a pending inject (director)."""
    r = c.service().skip(c.login(), drill, inject, reason)
    c.out(r.__dict__, r.message)


@live.command()
@click.argument("inject")
@click.argument("t_new", metavar="MINUTES", type=float)
@_drill_opt
@click.option("--reason", required=True, help="Why it is moved.")
@click.pass_obj
@_run
def retime(c: _Ctx, inject: str, t_new: float, drill: str, reason: str) -> None:
    """Move a pending inject to drill time MINUTES (director)."""
    c.service().retime(c.login(), drill, inject, t_new, reason)
    c.out({"inject": inject, "t": t_new}, f"inject {inject} now due at t={t_new:g}")


@live.command()
@click.argument("inject")
@click.argument("controller")
@_drill_opt
@click.pass_obj
@_run
def assign(c: _Ctx, inject: str, controller: str, drill: str) -> None:
    """Assign a pending inject to a controller (director)."""
    c.service().assign(c.login(), drill, inject, controller)
    c.out({"inject": inject, "controller": controller},
          f"inject {inject} assigned to {controller}")


def _parse_data(items: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for it in items:
        key, sep, val = it.partition("=")
        if not sep or not key:
            raise LiveCliError(f"--data '{it}': expected KEY=VALUE")
        try:
            out[key] = json.loads(val)
        except json.JSONDecodeError:
            out[key] = val
    return out


def _recorded_text(r: Any) -> str:
    rec = r.record
    what = "recorded" if r.created else "already recorded (same action id; nothing new)"
    return f"{what}: seq {rec['seq']} t={rec['t']:.2f} {rec['kind']}"


_ids = [click.option(f"--{f}", default=None, help=f"The {f} id.")
        for f in ("incident", "unit", "inject", "depot", "post")]


def _with_ids(fn: Any) -> Any:
    for opt in reversed(_ids):
        fn = opt(fn)
    return fn


@live.command()
@click.argument("kind")
@_drill_opt
@_with_ids
@click.option("--data", "data", multiple=True, metavar="KEY=VALUE",
              help="A data field (value parsed as JSON if it is JSON); repeatable.")
@click.option("--action-id", help="Client action id (default: a fresh one; reuse to retry).")
@click.option("--device", default="cli", show_default=True)
@click.pass_obj
@_run
def record(c: _Ctx, kind: str, drill: str, incident: str | None, unit: str | None,
           inject: str | None, depot: str | None, post: str | None, data: tuple[str, ...],
           action_id: str | None, device: str) -> None:
    """Record what a team did, e.g. `record unit_arrived --incident I01 --unit U1`."""
    from live.recording import new_action_id

    r = c.service().record(c.login(), drill, kind, action_id=action_id or new_action_id(),
                           incident=incident, unit=unit, inject=inject, depot=depot,
                           post=post, data=_parse_data(data), device=device)
    c.out({"created": r.created, "record": r.record}, _recorded_text(r))


@live.command()
@click.argument("text")
@_drill_opt
@click.option("--capability", help="The capability observed.")
@click.option("--rating", type=click.Choice(["P", "S", "M", "U"]), help="HSEEP rating.")
@click.option("--incident")
@click.option("--inject")
@click.option("--unit")
@click.option("--action-id", help="Client action id (default: a fresh one; reuse to retry).")
@click.option("--device", default="cli", show_default=True)
@click.pass_obj
@_run
def observe(c: _Ctx, text: str, drill: str, capability: str | None, rating: str | None,
            incident: str | None, inject: str | None, unit: str | None,
            action_id: str | None, device: str) -> None:
    """Record an observation (capability, P/S/M/U rating)."""
    from live.recording import new_action_id

    r = c.service().observe(c.login(), drill, text, action_id=action_id or new_action_id(),
                            capability=capability, rating=rating, incident=incident,
                            inject=inject, unit=unit, device=device)
    c.out({"created": r.created, "record": r.record}, _recorded_text(r))


@live.command()
@_drill_opt
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Run directory to write.")
@click.option("--force", is_flag=True, help="Replace a drill log already in RUN_DIR.")
@click.pass_obj
@_run
def export(c: _Ctx, drill: str, out: Path, force: bool) -> None:
    """Write the drill as a run directory (score / report / verify read it unchanged)."""
    import sys

    who = c.login()
    c.unlock(who, drill)
    path = c.service().export(who, drill, out, overwrite=force,
                              command=["blinddrill", *sys.argv[1:]])
    c.out({"run_dir": str(path)}, f"drill {drill} exported to {path}")


@live.command("log")
@_drill_opt
@click.option("--after", type=click.IntRange(-1, 2**63 - 1), default=-1, show_default=True,
              help="Only records after this seq.")
@click.pass_obj
@_run
def log_(c: _Ctx, drill: str, after: int) -> None:
    """Print the drill's log records, one JSON line each (director, evaluator, trainer)."""
    for rec in c.service().log(c.login(), drill, after):
        click.echo(json.dumps(rec, ensure_ascii=False))


@live.command("score")
@_drill_opt
@click.pass_obj
@_run
def score_(c: _Ctx, drill: str) -> None:
    """The score so far, "now" as the censoring time: countdowns and breaches per incident."""
    s = c.service().live_score(c.login(), drill)
    o = s.card.overall
    score = f"{o.score:.1f}" if o.score is not None else "—"
    lines = [f"t={s.now_min:.2f} ({s.events} events): overall {score} {o.level_en or ''}"]
    lines += [f"  open at the end: {x['clock']} on {x['incident']}" if s.ended else
              f"  running {x['clock']} on {x['incident']}: {x['remaining']:.1f} min left"
              for x in s.countdowns()]
    lines += [f"  BREACHED {x['clock']} on {x['incident']} (limit passed at t="
              f"{x['deadline']:.2f})" for x in s.breaches()]
    c.out(s.to_dict(), "\n".join(lines))
