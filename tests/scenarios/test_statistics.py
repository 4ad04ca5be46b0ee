"""Statistical checks over many generated drills (chi-square / dispersion index, fixed seeds)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import numpy as np

from scenarios.catalogue import HazardCatalogue
from scenarios.draw import category_rates, draw_onsets, draw_start
from scenarios.generator import generate
from scenarios.plan import DrillPlan, Window
from scenarios.region import Region
from tests.scenarios.helpers import chi2_upper


def _dispersion(counts: np.ndarray) -> tuple[float, int]:
    return float(counts.var(ddof=1) / counts.mean()), len(counts) - 1


def test_incident_counts_per_hour_are_poisson(plan: DrillPlan) -> None:
    p = plan.model_copy(update={
        "duration_min": 320.0, "clusters": plan.clusters.model_copy(update={"p": 0.0}),
        "incidents": plan.incidents.model_copy(update={"rate_per_hour": 1.5, "min_count": 0,
                                                       "max_count": 200})})
    rng = np.random.default_rng(np.random.SeedSequence(42))
    counts = []
    for _ in range(1500):
        onsets = np.array(draw_onsets(p, rng, latest=280.0))
        counts.extend(np.histogram(onsets, bins=[0, 60, 120, 180, 240])[0])
    c = np.array(counts)
    d, df = _dispersion(c)
    # (n-1)·D ~ chi2(n-1) under a Poisson process; also the mean must be the rate
    assert chi2_upper(df, 0.001) < df * d < chi2_upper(df, 0.999), d
    se = np.sqrt(1.5 / len(c))
    assert abs(c.mean() - 1.5) < 4 * se, c.mean()


def test_clusters_make_counts_overdispersed(plan: DrillPlan) -> None:
    p = plan.model_copy(update={
        "clusters": plan.clusters.model_copy(update={"p": 0.5, "extra": (2, 3)}),
        "incidents": plan.incidents.model_copy(update={"rate_per_hour": 1.0, "min_count": 0,
                                                       "max_count": 200})})
    rng = np.random.default_rng(np.random.SeedSequence(43))
    counts = []
    for _ in range(1000):
        onsets = np.array(draw_onsets(p, rng, latest=180.0))
        counts.extend(np.histogram(onsets, bins=[0, 60, 120, 180])[0])
    d, df = _dispersion(np.array(counts))
    assert df * d > chi2_upper(df, 0.999), f"clusters should overdisperse, D = {d:.2f}"


def test_start_is_uniform_inside_the_window() -> None:
    w = Window(start=datetime(2026, 5, 1), end=datetime(2026, 5, 11), hours=[(0, 6), (18, 24)])
    rng = np.random.default_rng(np.random.SeedSequence(7))
    starts = [draw_start(w, rng) for _ in range(4000)]
    assert all(w.start <= s < w.end and (s.hour < 6 or s.hour >= 18) for s in starts)
    # uniform over allowed time: 12 allowed hours per day → 120 equal hourly cells
    cells = Counter((s - w.start).days * 12 + (s.hour if s.hour < 6 else s.hour - 12)
                    for s in starts)
    obs = np.array([cells.get(k, 0) for k in range(120)])
    chi2 = float(((obs - 4000 / 120) ** 2 / (4000 / 120)).sum())
    assert chi2 < chi2_upper(119, 0.999), chi2


def _mix_plan(plan: DrillPlan, start: str, end: str) -> DrillPlan:
    return plan.model_copy(update={
        "window": Window(start=datetime.fromisoformat(start), end=datetime.fromisoformat(end)),
        "cascades": False, "complication_factor": 0.0, "area": plan.area.model_copy(
            update={"draw_counties": None}),
        "participants": plan.participants.model_copy(update={"tiers": []}),
        "incidents": plan.incidents.model_copy(update={"rate_per_hour": 1.0})})


def test_category_mix_matches_the_catalogue(seed_city: Region, catalogue: HazardCatalogue,
                                            plan: DrillPlan) -> None:
    p = _mix_plan(plan, "2026-01-01T00:00", "2026-12-31T00:00")
    ids = [c.id for c in catalogue.categories]
    expected = np.zeros(len(ids))
    observed = np.zeros(len(ids))
    for seed in range(250):
        s = generate(seed_city, catalogue, p, seed)
        assert s.start is not None
        for inj in s.injects:
            if inj.kind != "incident":
                continue
            r = category_rates(catalogue, s.start + timedelta(minutes=inj.t),
                               s.conditions.weather)
            w = np.array([r[i] for i in ids])
            expected += w / w.sum()
            observed[ids.index(inj.incident.category)] += 1
    big = expected >= 5
    exp = np.append(expected[big], expected[~big].sum())
    obs = np.append(observed[big], observed[~big].sum())
    chi2 = float(((obs - exp) ** 2 / exp).sum())
    assert observed.sum() > 600
    assert chi2 < chi2_upper(len(exp) - 1, 0.999), (chi2, dict(zip(ids, observed, strict=True)))


def test_season_profiles_are_visible(seed_city: Region, catalogue: HazardCatalogue,
                                     plan: DrillPlan) -> None:
    def shares(start: str, end: str) -> tuple[Counter[str], int]:
        p = _mix_plan(plan, start, end)
        cats: Counter[str] = Counter()
        for seed in range(150):
            cats.update(i.category for i in generate(seed_city, catalogue, p, seed).incidents)
        return cats, sum(cats.values())

    spring, n1 = shares("2026-03-15T00:00", "2026-04-15T00:00")
    summer, n2 = shares("2026-07-01T00:00", "2026-08-01T00:00")
    # two-proportion z-tests, |z| > 3
    for cat, more_in in (("forest_fire", "spring"), ("drowning", "summer"), ("flood", "summer")):
        p1, p2 = spring[cat] / n1, summer[cat] / n2
        pp = (spring[cat] + summer[cat]) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
        assert (z > 3) if more_in == "spring" else (z < -3), (cat, p1, p2, z)


def test_category_rates_formula(catalogue: HazardCatalogue) -> None:
    c = catalogue.by_id["traffic"]
    when = datetime(2026, 2, 3, 18, 30)
    r = category_rates(catalogue, when, "fog", {"traffic": 2.0})["traffic"]
    hand = (c.annual_rate * c.months[1] / (sum(c.months) / 12) * c.hours[18]
            / (sum(c.hours) / 24) * 2.5 * 2.0)
    assert abs(r - hand) < 1e-9
    night = category_rates(catalogue, when.replace(hour=3), "clear")["traffic"]
    rush = category_rates(catalogue, when, "clear")["traffic"]
    assert rush > 4 * night
