"""Difficulty calibration (moved from scenarios/): in band, deterministic, the same on a pool,
honouring the behaviour parameters; the generator refuses a band without a calibrator."""

from __future__ import annotations

import pytest

from engine.params import load_params
from experiments.calibration import (
    calibration_clocks,
    calibrator,
    compliance_from_records,
    predict,
)
from experiments.executors import PoolExecutor
from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.loading import InputError
from scenarios.plan import Calibration, DrillPlan
from scenarios.region import Region


def test_calibration_lands_in_the_band(seed_city: Region, catalogue: HazardCatalogue,
                                       plan: DrillPlan) -> None:
    for level in ("easy", "hard"):
        s = generate(seed_city, catalogue, plan, 2024, difficulty=level,  # type: ignore[arg-type]
                     calibrator=calibrator())
        d = s.meta["difficulty"]
        lo, hi = plan.difficulty[level].band  # type: ignore[index]
        assert d["in_band"], d
        assert lo <= d["predicted"]["mean"] <= hi
        again = generate(seed_city, catalogue, plan, 2024, difficulty=level,  # type: ignore[arg-type]
                         calibrator=calibrator())
        assert again == s  # calibration is deterministic too


def test_calibration_on_a_pool_keeps_the_serial_choice(seed_city: Region,
                                                       catalogue: HazardCatalogue,
                                                       plan: DrillPlan) -> None:
    serial = generate(seed_city, catalogue, plan, 7, band=(0.0, 0.05), calibrator=calibrator())
    pooled = generate(seed_city, catalogue, plan, 7, band=(0.0, 0.05),
                      calibrator=calibrator(executor=PoolExecutor(2)))
    assert pooled == serial
    assert pooled.meta["difficulty"]["candidates"] == plan.calibration.max_candidates or \
        pooled.meta["difficulty"]["in_band"]


def test_calibration_honours_the_behaviour_parameters(seed_city: Region,
                                                      catalogue: HazardCatalogue,
                                                      plan: DrillPlan) -> None:
    s = generate(seed_city, catalogue, plan, 3)
    shipped = load_params()
    data = shipped.model_dump(mode="json")
    data["alarm"]["take_alarm"] = {k: {"dist": "fixed", "value": 5.0}
                                   for k in data["alarm"]["take_alarm"]}
    slow = type(shipped).model_validate(data)
    limits = Calibration()
    a = predict(seed_city, s, limits, 11, params=shipped)
    b = predict(seed_city, s, limits, 11, params=slow)
    assert b.mean < a.mean, "a 5-minute alarm take (limit 1 min) lowers predicted compliance"


def test_a_band_needs_a_calibrator(seed_city: Region, catalogue: HazardCatalogue,
                                   plan: DrillPlan) -> None:
    with pytest.raises(InputError, match="calibrator"):
        generate(seed_city, catalogue, plan, 1, band=(0.2, 0.4))


def test_compliance_known_answer() -> None:
    def ev(t: float, kind: str, inc: str) -> dict[str, object]:
        return {"seq": 0, "t": t, "kind": kind, "incident": inc, "unit": "U1", "inject": None,
                "depot": None, "post": None, "source": "sim", "data": {}}

    recs = [ev(0, "incident_occurred", "A"), ev(0, "alarm_raised", "A"), ev(0.5, "alarm_taken", "A"),
            ev(8, "unit_arrived", "A"), ev(9, "unit_arrived", "A"),
            ev(30, "incident_controlled", "A"),
            ev(1, "incident_occurred", "B"), ev(1, "alarm_raised", "B"), ev(3, "alarm_taken", "B")]
    # A: take ok, arrive ok (7.5), handle 22 > 15 → 2 of 3 met; B: take 2 > 1, never arrives
    # (arrive not met); its handle clock never starts, so it is no instance, as in `score`
    assert compliance_from_records(recs, calibration_clocks(Calibration())) == (5, 2)
    with pytest.raises(InputError, match="calibration.clocks"):
        calibration_clocks(Calibration(clocks=["take_alarm", "nope"]))
