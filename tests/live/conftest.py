"""Fixtures for the live-drill tests: a small sealed scenario on the example county, a store
with one account per role, and a manual clock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from live import LiveService, ManualClock, Principal
from scenarios.region import Region

ROOT = Path(__file__).resolve().parents[2]
COUNTY_YAML = ROOT / "scenarios" / "regions" / "county.yaml"
PASSPHRASE = "correct horse battery staple"
PASSWORD = "s3cret-pass"


def make_sealed(region: Region, seed: int = 3) -> bytes:
    """A generated, sealed scenario (4 incident injects for seed 3 on the county)."""
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.sealing import seal

    plan = load_plan(None).model_copy(update={"language": "en"})
    return seal(generate(region, load_catalogue(None), plan, seed)).to_bytes()


@pytest.fixture(scope="session")
def sealed_bytes(county: Region) -> bytes:
    return make_sealed(county)


@pytest.fixture(scope="session")
def county_yaml() -> str:
    return COUNTY_YAML.read_text(encoding="utf-8")


@dataclass
class Live:
    """A service on a fresh store, its clock, one principal per role and the drill id."""

    svc: LiveService
    clock: ManualClock
    path: Path
    director: Principal
    controller: Principal
    evaluator: Principal
    trainer: Principal
    observer: Principal
    drill: str

    def who(self, role: str) -> Principal:
        return getattr(self, role)  # type: ignore[no-any-return]


def new_live(tmp_path: Path, sealed: bytes, region_yaml: str) -> Live:
    clock = ManualClock()
    path = tmp_path / "drill.db"
    svc = LiveService(path, clock=clock)
    d = svc.init_director("director1", PASSWORD, rounds=4)
    for name, role in (("controller1", "controller"), ("umpire1", "evaluator"),
                       ("trainer1", "trainer"), ("observer1", "observer")):
        svc.add_user(d, name, role, PASSWORD)
    st = svc.import_drill(d, sealed, PASSPHRASE, region_yaml=region_yaml)
    return Live(svc, clock, path, d, svc.login("controller1", PASSWORD),
                svc.login("umpire1", PASSWORD), svc.login("trainer1", PASSWORD),
                svc.login("observer1", PASSWORD), st.id)


@pytest.fixture
def live(tmp_path: Path, sealed_bytes: bytes, county_yaml: str) -> Live:
    lv = new_live(tmp_path, sealed_bytes, county_yaml)
    yield lv
    lv.svc.close()
