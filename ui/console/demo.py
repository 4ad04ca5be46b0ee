"""A ready demo drill for ``blinddrill console --demo`` (and the tests): the seed city, a
generated and sealed scenario imported through :mod:`live`, and demo accounts.

Everything goes through :class:`live.service.LiveService` (accounts, import, assignment); the
scenario comes from the same generator and seal as ``blinddrill generate``. Re-running on the
same store reuses what is there. The demo passwords are printed and documented: a demo store
is for trying the console, never for a real drill (make real accounts with ``blinddrill live``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_PASSPHRASE = "demo-passphrase"
DEMO_DRILL = "DEMO"
#: demo accounts: (name, role, password)
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("director", "director", "demo-director"),
    ("umpire1", "evaluator", "demo-umpire1"),
    ("umpire2", "evaluator", "demo-umpire2"),
    ("controller1", "controller", "demo-controller1"),
    ("trainer1", "trainer", "demo-trainer1"),
)


@dataclass
class DemoInfo:
    """What the demo made (or found) and how to log in."""

    db: Path
    drill: str
    commitment: str
    sealed_file: Path
    passphrase: str
    users: list[tuple[str, str, str]] = field(default_factory=list)
    created: bool = True


def sealed_scenario(seed: int | None, plan: Path | None = None, lang: str | None = None) -> Any:
    """Generate and seal a scenario on the seed city (``seed`` None: fresh entropy), as
    ``blinddrill generate`` does; returns the :class:`scenarios.sealing.SealedScenario`."""
    import numpy as np

    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.sealing import seal
    from scenarios.seed_city import default_region
    from ui.commands.demo import DEMO_PLAN

    p = load_plan(plan or DEMO_PLAN)
    if lang:
        p = p.model_copy(update={"language": lang})
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    return seal(generate(default_region(), load_catalogue(), p, seed))


def make_demo(db: Path, *, seed: int = 4, rounds: int = 12) -> DemoInfo:
    """Make (or reuse) the demo store ``db``: accounts, the sealed demo drill (not started),
    every inject assigned to the demo controller. Returns how to log in."""
    from live.service import LiveService

    db.parent.mkdir(parents=True, exist_ok=True)
    sealed_file = db.with_name(db.stem + "-sealed.json")
    svc = LiveService(db)
    try:
        name, _role, password = DEMO_USERS[0]
        fresh = not svc.store.conn().execute("SELECT 1 FROM users LIMIT 1").fetchone()
        if fresh:
            boss = svc.init_director(name, password, rounds=rounds)
            for n, r, pw in DEMO_USERS[1:]:
                svc.add_user(boss, n, r, pw)
        else:
            boss = svc.login(name, password)
        existing = {d.id: d for d in svc.drills(boss)}
        if DEMO_DRILL in existing:
            return DemoInfo(db, DEMO_DRILL, existing[DEMO_DRILL].commitment, sealed_file,
                            DEMO_PASSPHRASE, list(DEMO_USERS), created=False)
        sealed = sealed_scenario(seed)
        sealed_file.write_bytes(sealed.to_bytes())
        st = svc.import_drill(boss, sealed.to_bytes(), DEMO_PASSPHRASE, drill_id=DEMO_DRILL,
                              title="全市综合应急盲演(演示)")
        controller = DEMO_USERS[3][0]
        for v in svc.msel(boss, DEMO_DRILL):
            svc.assign(boss, DEMO_DRILL, v.id, controller)
        svc.logout(boss)
        return DemoInfo(db, DEMO_DRILL, st.commitment, sealed_file, DEMO_PASSPHRASE,
                        list(DEMO_USERS), created=True)
    finally:
        svc.close()


def format_demo(info: DemoInfo, lang: str = "zh") -> str:
    """How to log in to the demo, in Chinese or English."""
    zh = lang == "zh"
    role_zh = {"director": "导演", "evaluator": "评估员", "controller": "控制员",
               "trainer": "培训人员"}
    lines = [("演示演练已就绪(已封存,未开始)" if zh else "Demo drill ready (sealed, not started)")
             + f": {info.drill}  ({info.db})",
             ("承诺值(演练前公布)" if zh else "commitment (publish before the drill)")
             + f": {info.commitment}",
             ("情景口令(重启后导演解锁用)" if zh else "scenario passphrase (the director unlocks "
              "with it after a restart)") + f": {info.passphrase}",
             "演示账号(仅供演示)" if zh else "demo accounts (demo only):"]
    from ui.commands.runsummary import pad

    for name, role, pw in info.users:
        lines.append(f"  {pad(role_zh.get(role, role) if zh else role, 10)} {name:<12} {pw}")
    return "\n".join(lines)
