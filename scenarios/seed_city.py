"""The built-in default region, the "seed city": a prefecture-level city at real scale.

Its counts follow a real city's 2024 report: 1 city, 10 counties/districts, 223 townships/streets
(each with a command post), 1,000 villages/communities; depots 1 city + 10 county + 91 township
+ 1,000 village supply points; 369 teams (223 township rescue stations of ≥ 30 people plus city/
county professional, enterprise and social teams); 156 hazardous-chemical enterprises, 401 major
hazard sources (and, an assumption, 6 underground mines in the western mountains); 547 experts
in 8 fields; 5,869 disaster information officers on four levels.

Geography is plausible but fictional: about 100 km × 100 km (≈ 10,000 km²) around
(117.0 E, 31.5 N), mountains in the west, hills, plains and a river in the east, a dense
central city and a few denser county towns. Everything is drawn from ``numpy`` generators
spawned from one :class:`numpy.random.SeedSequence` and a faker ``zh_CN`` instance seeded from
the same seed, so the region is identical on every machine for a given seed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from scenarios.officer_roles import roles_by_place
from scenarios.region import Region
from scenarios.region_cache import cached_region
from scenarios.travel import TravelParams
from scenarios.vocabulary import CAPABILITIES, DEFAULT_SPEED_KMH, ITEMS, KIND_CAPABILITIES

DEFAULT_SEED = 2024
CENTER_LON, CENTER_LAT = 117.0, 31.5
SIZE_KM = 100.0
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = KM_PER_DEG_LAT * float(np.cos(np.radians(CENTER_LAT)))

N_COUNTIES, N_TOWNSHIPS, N_VILLAGES = 10, 223, 1000
N_TOWNSHIP_DEPOTS = 91
N_UNITS = 369
N_HAZMAT, N_MAJOR_HAZARD = 156, 401
N_MINES = 6  # not in the report: an assumption (the city's mine-rescue brigade has mines to serve)
N_EXPERTS = 547
#: of them, mine-safety experts (the first geologists drawn): an assumption, like the mines
N_MINING_EXPERTS = 6
N_SERVICE_CENTRES = 127
N_OFFICERS = {"city": 20, "county": 250, "township": 1115, "village": 4484}  # 5,869
EXPERT_FIELDS = (
    "hazmat", "fire", "geology", "hydrology", "medical", "structural", "forestry", "meteorology"
)

_SYL = list(
    "安宝北碧长城春大德东丰凤福高古广桂海河和红湖华黄金锦景静康兰乐莲良临柳龙隆马梅明南宁平"
    "青清庆泉仁瑞三沙山上石双顺松太桃天通万王文西溪霞仙祥新兴阳杨永玉元云枣樟镇中竹"
)


class _Names:
    """Unique Chinese place names from a syllable generator (two syllables + a suffix)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, suffix: str) -> str:
        for _ in range(10_000):
            a, b = self.rng.integers(0, len(_SYL), size=2)
            name = str(_SYL[a] + _SYL[b] + suffix)
            if _SYL[a] != _SYL[b] and name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of place names")  # pragma: no cover


def _to_lonlat(x_km: np.ndarray, y_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon = CENTER_LON + (x_km - SIZE_KM / 2) / KM_PER_DEG_LON
    lat = CENTER_LAT + (y_km - SIZE_KM / 2) / KM_PER_DEG_LAT
    return np.round(lon, 5), np.round(lat, 5)


def _terrain(x: float, y: float, urban: bool) -> str:
    """Mountains in the west, hills next, plains east; county seats and the centre are urban."""
    if urban:
        return "urban"
    ridge = 22 + 8 * np.sin(y / 17.0)
    if x < ridge:
        return "mountain"
    if x < ridge + 18:
        return "hill"
    return "plain"


def _county_targets() -> np.ndarray:
    """Townships per county: the three urban districts are smaller than the seven counties."""
    districts = np.full(3, 14)
    rest = N_TOWNSHIPS - districts.sum()
    counties = np.full(N_COUNTIES - 3, rest // (N_COUNTIES - 3))
    counties[: rest % (N_COUNTIES - 3)] += 1
    return np.concatenate([districts, counties])


def _balanced_assignment(
    tx: np.ndarray, ty: np.ndarray, cx: np.ndarray, cy: np.ndarray, targets: np.ndarray
) -> np.ndarray:
    """Assign points to county seats by a power diagram whose weights are tuned so that each
    county gets close to its target number of townships (contiguous, roughly balanced)."""
    d2 = (tx[:, None] - cx[None, :]) ** 2 + (ty[:, None] - cy[None, :]) ** 2
    w = np.zeros(len(cx))
    best, best_err = d2.argmin(axis=1), np.inf
    for it in range(2000):
        assign = (d2 - w[None, :]).argmin(axis=1)
        counts = np.bincount(assign, minlength=len(cx))
        err = np.abs(counts - targets).max()
        if err < best_err:
            best, best_err = assign, err
        if err <= 1:
            break
        w += 8.0 * 0.997**it * (targets - counts)
    assign = best
    return np.asarray(assign)


def _service_centres(township_ids: list[str], t_name: dict[str, str],
                     units: list[dict[str, Any]], depots: list[dict[str, Any]],
                     jurisdictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The city's integrated emergency service centres (综合应急服务站/中心): a township's
    rescue station and a depot under one roof, at their midpoint. Every township with a
    township depot has one (91); the rest (to 127) are the townships whose station is nearest
    to a village supply point of their own, which becomes the centre's store."""
    from scenarios.travel import haversine_km_scalar

    station = {u["jurisdiction"]: u for u in units if u["kind"] == "township_station"}
    town_of = {j["id"]: j["parent"] for j in jurisdictions if j["level"] == "village"}
    v_name = {j["id"]: j["name"] for j in jurisdictions if j["level"] == "village"}
    own: dict[str, dict[str, Any]] = {d["jurisdiction"]: d for d in depots
                                      if d["tier"] == "township"}
    nearest: dict[str, tuple[float, dict[str, Any]]] = {}
    for d in depots:
        tid = town_of.get(d["jurisdiction"])
        if d["tier"] != "village" or tid is None or tid in own:
            continue
        u = station[tid]
        km = haversine_km_scalar(u["lon"], u["lat"], d["lon"], d["lat"])
        if tid not in nearest or km < nearest[tid][0]:
            nearest[tid] = (km, d)
    extra = sorted(nearest, key=lambda t: (nearest[t][0], t))[:N_SERVICE_CENTRES - len(own)]
    out: list[dict[str, Any]] = []
    for tid in township_ids:
        if tid in own:
            d, name = own[tid], f"{t_name[tid]}综合应急服务中心"
        elif tid in extra:
            d = nearest[tid][1]
            name = f"{t_name[tid]}{v_name[d['jurisdiction']]}综合应急服务站"
        else:
            continue
        u = station[tid]
        out.append(dict(id=f"SC-{tid}", name=name, township=tid, unit=u["id"], depot=d["id"],
                        lon=round((u["lon"] + d["lon"]) / 2, 5),
                        lat=round((u["lat"] + d["lat"]) / 2, 5)))
    return out


def build_seed_city(seed: int = DEFAULT_SEED) -> Region:
    """Generate the seed city for ``seed`` (the default seed gives the built-in region)."""
    streams = np.random.SeedSequence(seed).spawn(6)
    geo, unit_rng, depot_rng, haz_rng, people_rng, name_rng = (
        np.random.default_rng(s) for s in streams
    )
    from faker import Faker  # ~0.2 s to import: only when the city is built, not read cached

    fake = Faker("zh_CN")
    fake.seed_instance(int(np.random.default_rng(streams[5]).integers(2**31)))
    names = _Names(name_rng)
    S = SIZE_KM

    # ---- jurisdictions ---------------------------------------------------------------------
    city_x, city_y = S * 0.58, S * 0.52
    cx = np.clip(geo.uniform(0.1, 0.9, N_COUNTIES) * S, 8, S - 8)
    cy = np.clip(geo.uniform(0.1, 0.9, N_COUNTIES) * S, 8, S - 8)
    # three urban districts sit around the city centre
    ang = np.array([0.0, 2.1, 4.2]) + geo.uniform(0, 0.5)
    cx[:3], cy[:3] = city_x + 9 * np.cos(ang), city_y + 9 * np.sin(ang)
    # townships: first one is each county's seat, the rest spread and assigned to nearest seat
    tx = geo.uniform(3, S - 3, N_TOWNSHIPS)
    ty = geo.uniform(3, S - 3, N_TOWNSHIPS)
    tx[:N_COUNTIES], ty[:N_COUNTIES] = cx + geo.normal(0, 0.8, N_COUNTIES), cy
    t_county = _balanced_assignment(tx, ty, cx, cy, _county_targets())
    t_county[:N_COUNTIES] = np.arange(N_COUNTIES)
    order = np.lexsort((np.arange(N_TOWNSHIPS), t_county))  # group townships by county
    tx, ty, t_county = tx[order], ty[order], t_county[order]
    seat = np.zeros(N_TOWNSHIPS, dtype=bool)
    for k in range(N_COUNTIES):
        idx = np.flatnonzero(t_county == k)
        seat[idx[np.argmin((tx[idx] - cx[k]) ** 2 + (ty[idx] - cy[k]) ** 2)]] = True
    dist_centre = np.hypot(tx - city_x, ty - city_y)
    urban_t = seat | (dist_centre < 12)
    t_pop = np.where(urban_t, geo.lognormal(np.log(70_000), 0.35, N_TOWNSHIPS),
                     geo.lognormal(np.log(28_000), 0.45, N_TOWNSHIPS)).astype(int)

    jurisdictions: list[dict[str, Any]] = []
    city_lon, city_lat = _to_lonlat(np.array([city_x]), np.array([city_y]))
    jurisdictions.append(dict(id="C00", name="临川市", level="city", parent=None,
                              lon=float(city_lon[0]), lat=float(city_lat[0]),
                              population=int(t_pop.sum()), terrain="urban"))
    c_lon, c_lat = _to_lonlat(cx, cy)
    county_ids = [f"K{k + 1:02d}" for k in range(N_COUNTIES)]
    for k in range(N_COUNTIES):
        suffix = "区" if k < 3 else "县"
        jurisdictions.append(dict(
            id=county_ids[k], name=names.make(suffix), level="county", parent="C00",
            lon=float(c_lon[k]), lat=float(c_lat[k]),
            population=int(t_pop[t_county == k].sum()),
            terrain=_terrain(float(cx[k]), float(cy[k]), k < 3)))
    t_lon, t_lat = _to_lonlat(tx, ty)
    township_ids: list[str] = []
    t_terrain: list[str] = []
    per_county = np.zeros(N_COUNTIES, dtype=int)
    for i in range(N_TOWNSHIPS):
        k = int(t_county[i])
        per_county[k] += 1
        tid = f"{county_ids[k]}-T{per_county[k]:02d}"
        township_ids.append(tid)
        terr = _terrain(float(tx[i]), float(ty[i]), bool(urban_t[i]))
        t_terrain.append(terr)
        suffix = "街道" if urban_t[i] and k < 3 else ("镇" if t_pop[i] > 25_000 else "乡")
        jurisdictions.append(dict(
            id=tid, name=names.make(suffix), level="township", parent=county_ids[k],
            lon=float(t_lon[i]), lat=float(t_lat[i]), population=int(t_pop[i]), terrain=terr))
    # villages: at least 2 per township, the rest by population
    v_count = 2 + geo.multinomial(N_VILLAGES - 2 * N_TOWNSHIPS, t_pop / t_pop.sum())
    v_town = np.repeat(np.arange(N_TOWNSHIPS), v_count)
    vx = np.clip(tx[v_town] + geo.normal(0, 2.5, N_VILLAGES), 0.5, S - 0.5)
    vy = np.clip(ty[v_town] + geo.normal(0, 2.5, N_VILLAGES), 0.5, S - 0.5)
    v_lon, v_lat = _to_lonlat(vx, vy)
    v_pop = (t_pop[v_town] / v_count[v_town] * geo.uniform(0.6, 1.4, N_VILLAGES)).astype(int)
    village_ids: list[str] = []
    seen_v = np.zeros(N_TOWNSHIPS, dtype=int)
    for j in range(N_VILLAGES):
        i = int(v_town[j])
        seen_v[i] += 1
        vid = f"{township_ids[i]}-V{seen_v[i]:02d}"
        village_ids.append(vid)
        urban = t_terrain[i] == "urban"
        jurisdictions.append(dict(
            id=vid, name=names.make("社区" if urban else "村"), level="village",
            parent=township_ids[i], lon=float(v_lon[j]), lat=float(v_lat[j]),
            population=int(v_pop[j]),
            terrain=t_terrain[i] if urban else _terrain(float(vx[j]), float(vy[j]), False)))

    county_name = {j["id"]: j["name"] for j in jurisdictions if j["level"] == "county"}
    t_name = {j["id"]: j["name"] for j in jurisdictions if j["level"] == "township"}

    # ---- hazard sites ---------------------------------------------------------------------
    sites: list[dict[str, Any]] = []

    def add_sites(kind: str, prefix: str, n: int, xs: np.ndarray, ys: np.ndarray,
                  label: list[str], detail: list[str] | None = None) -> None:
        lon, lat = _to_lonlat(np.clip(xs, 0.5, S - 0.5), np.clip(ys, 0.5, S - 0.5))
        for m in range(n):
            ti = int(np.argmin((tx - xs[m]) ** 2 + (ty - ys[m]) ** 2))
            sites.append(dict(
                id=f"HS-{prefix}-{m + 1:03d}", name=label[m], kind=kind,
                jurisdiction=township_ids[ti], lon=float(lon[m]), lat=float(lat[m]),
                detail=detail[m] if detail else ""))

    # two chemical parks in the plains hold most hazmat enterprises; the rest are scattered
    parks = np.array([[S * 0.80, S * 0.30], [S * 0.72, S * 0.78]])
    in_park = haz_rng.random(N_HAZMAT) < 0.7
    park_of = haz_rng.integers(0, 2, N_HAZMAT)
    hx = np.where(in_park, parks[park_of, 0] + haz_rng.normal(0, 1.5, N_HAZMAT),
                  haz_rng.uniform(40, S - 3, N_HAZMAT))
    hy = np.where(in_park, parks[park_of, 1] + haz_rng.normal(0, 1.5, N_HAZMAT),
                  haz_rng.uniform(3, S - 3, N_HAZMAT))
    chems = ["液氯", "液氨", "甲醇", "苯", "硫酸", "液化石油气", "氢氟酸", "丙烯", "汽油", "环氧乙烷"]
    add_sites("hazmat_enterprise", "CHEM", N_HAZMAT, hx, hy,
              [fake.company_prefix() + "化工有限公司" for _ in range(N_HAZMAT)],
              [f"{chems[int(c)]}储罐" for c in haz_rng.integers(0, len(chems), N_HAZMAT)])
    # major hazard sources: a third at hazmat enterprises, the rest gas stations, depots, dams
    at_ent = haz_rng.random(N_MAJOR_HAZARD) < 0.35
    pick = haz_rng.integers(0, N_HAZMAT, N_MAJOR_HAZARD)
    mx = np.where(at_ent, hx[pick] + haz_rng.normal(0, 0.2, N_MAJOR_HAZARD),
                  haz_rng.uniform(3, S - 3, N_MAJOR_HAZARD))
    my = np.where(at_ent, hy[pick] + haz_rng.normal(0, 0.2, N_MAJOR_HAZARD),
                  haz_rng.uniform(3, S - 3, N_MAJOR_HAZARD))
    mh_kinds = ["储罐区", "LNG加气站", "液化气储配站", "油库", "仓库区", "燃气门站"]
    mh_grades = ["一级", "二级", "三级", "四级"]
    add_sites("major_hazard_source", "MHS", N_MAJOR_HAZARD, mx, my,
              [f"{fake.company_prefix()}{mh_kinds[int(c)]}"
               for c in haz_rng.integers(0, len(mh_kinds), N_MAJOR_HAZARD)],
              [f"{mh_grades[int(g)]}重大危险源" for g in haz_rng.integers(0, 4, N_MAJOR_HAZARD)])
    # the river runs from the north-west hills to the south-east plains
    s_ = np.linspace(0.05, 0.95, 24)
    rx = S * s_ + 6 * np.sin(s_ * 9)
    ry = S * (1 - s_) + 5 * np.cos(s_ * 7)
    river = names.make("河")
    add_sites("river", "RIV", 24, rx, ry, [f"{river}第{m + 1}段" for m in range(24)])
    res_x, res_y = haz_rng.uniform(8, 45, 12), haz_rng.uniform(8, S - 8, 12)
    add_sites("reservoir", "RES", 12, res_x, res_y, [names.make("水库") for _ in range(12)])
    fx, fy = haz_rng.uniform(2, 38, 30), haz_rng.uniform(3, S - 3, 30)
    add_sites("forest", "FOR", 30, fx, fy, [names.make("林场") for _ in range(30)])
    gx, gy = haz_rng.uniform(2, 35, 60), haz_rng.uniform(3, S - 3, 60)
    add_sites("geohazard_point", "GEO", 60, gx, gy,
              [f"{names.make('村')}滑坡隐患点" for _ in range(60)])
    urban_idx = np.flatnonzero(urban_t)
    ui = haz_rng.choice(urban_idx, 40)
    add_sites("dense_residential", "DR", 40, tx[ui] + haz_rng.normal(0, 1, 40),
              ty[ui] + haz_rng.normal(0, 1, 40), [f"{names.make('')}小区" for _ in range(40)])
    ui = haz_rng.choice(urban_idx, 30)
    venues = ["商业街", "火车站", "体育馆", "农贸市场", "广场", "景区"]
    add_sites("public_venue", "PV", 30, tx[ui] + haz_rng.normal(0, 1, 30),
              ty[ui] + haz_rng.normal(0, 1, 30),
              [f"{names.make('')}{venues[int(c)]}" for c in haz_rng.integers(0, 6, 30)])
    kx = haz_rng.uniform(3, S - 3, 25)
    ky = haz_rng.uniform(3, S - 3, 25)
    roads = ["G206国道", "S105省道", "沪渝高速", "G330国道", "S224省道"]
    add_sites("key_road", "RD", 25, kx, ky,
              [f"{roads[int(c)]}{m + 1}号路段" for m, c in enumerate(haz_rng.integers(0, 5, 25))])
    ui = haz_rng.choice(urban_idx, 25)
    add_sites("construction_site", "CS", 25, tx[ui] + haz_rng.normal(0, 1.5, 25),
              ty[ui] + haz_rng.normal(0, 1.5, 25),
              [f"{fake.company_prefix()}建设工地" for _ in range(25)])
    # a few underground mines in the western mountains (the city keeps a mine-rescue brigade);
    # drawn last so that every other site is where it was before mines were modelled
    mine_kinds = haz_rng.integers(0, 3, N_MINES)
    mine_x, mine_y = haz_rng.uniform(3, 30, N_MINES), haz_rng.uniform(5, S - 5, N_MINES)
    add_sites("mine", "MINE", N_MINES, mine_x, mine_y,
              [names.make(("煤矿", "铁矿", "铅锌矿")[int(k)]) for k in mine_kinds],
              [("井工煤矿", "地下铁矿", "地下铅锌矿")[int(k)] for k in mine_kinds])

    # ---- units ---------------------------------------------------------------------------
    units: list[dict[str, Any]] = []

    def add_unit(uid: str, name: str, kind: str, tier: str, juris: str, x: float, y: float,
                 headcount: int, vehicles: int) -> None:
        lon, lat = _to_lonlat(np.array([x]), np.array([y]))
        units.append(dict(id=uid, name=name, kind=kind, tier=tier, jurisdiction=juris,
                          lon=float(lon[0]), lat=float(lat[0]), headcount=headcount,
                          vehicles=vehicles, capabilities=dict(KIND_CAPABILITIES[kind])))

    for i, tid in enumerate(township_ids):
        caps_boost = "forest_fire" if t_terrain[i] in ("mountain", "hill") else "flood_control"
        add_unit(f"U-{tid}", f"{t_name[tid]}综合应急救援队", "township_station", "township", tid,
                 float(tx[i] + unit_rng.normal(0, 0.3)), float(ty[i] + unit_rng.normal(0, 0.3)),
                 int(unit_rng.integers(30, 46)), int(unit_rng.integers(2, 5)))
        units[-1]["capabilities"][caps_boost] = 2
    county_teams = [("FIRE", "fire_rescue", "消防救援站", 2, (20, 35)),
                    ("MED", "medical", "医疗救护队", 1, (12, 25)),
                    ("FLOOD", "flood_rescue", "防汛抢险队", 1, (30, 50)),
                    ("ENG", "engineering", "工程抢险队", 1, (20, 35)),
                    ("MIL", "militia", "民兵应急连", 1, (40, 70))]
    for k, kid in enumerate(county_ids):
        seat_i = int(np.flatnonzero(seat & (t_county == k))[0])
        for code, kind, label, n, (lo, hi) in county_teams:
            for m in range(n):
                add_unit(f"U-{kid}-{code}{m + 1}", f"{county_name[kid]}{label}" +
                         (f"{m + 1}" if n > 1 else ""), kind, "county", township_ids[seat_i],
                         float(tx[seat_i] + unit_rng.normal(0, 2.5 * m + 0.5)),
                         float(ty[seat_i] + unit_rng.normal(0, 2.5 * m + 0.5)),
                         int(unit_rng.integers(lo, hi)), int(unit_rng.integers(3, 8)))
        if jurisdictions[1 + k]["terrain"] in ("mountain", "hill"):
            add_unit(f"U-{kid}-FOREST1", f"{county_name[kid]}森林消防队", "forest_fire", "county",
                     township_ids[seat_i], float(tx[seat_i] - 3), float(ty[seat_i]),
                     int(unit_rng.integers(30, 45)), 3)
    city_teams = [("HAZ", "hazmat", "危化品救援中队", 2), ("FIRE", "fire_rescue", "消防救援特勤站", 3),
                  ("MED", "medical", "急救中心分站", 2), ("FLOOD", "flood_rescue", "防汛机动抢险队", 1),
                  ("ENG", "engineering", "城建抢险大队", 1), ("FOREST", "forest_fire", "森林消防支队", 1),
                  ("MINE", "mine_rescue", "矿山救护大队", 1)]
    for code, kind, label, n in city_teams:
        for m in range(n):
            add_unit(f"U-C00-{code}{m + 1}", f"临川市{label}" + (f"{m + 1}" if n > 1 else ""),
                     kind, "city", "C00", float(city_x + unit_rng.normal(0, 3)),
                     float(city_y + unit_rng.normal(0, 3)), int(unit_rng.integers(25, 50)),
                     int(unit_rng.integers(4, 10)))
    n_social = 30
    n_enterprise = N_UNITS - len(units) - n_social
    ent_sites = unit_rng.choice(N_HAZMAT, n_enterprise, replace=False)
    for m, si in enumerate(sorted(int(s) for s in ent_sites)):
        s = sites[si]
        x = (s["lon"] - CENTER_LON) * KM_PER_DEG_LON + S / 2
        y = (s["lat"] - CENTER_LAT) * KM_PER_DEG_LAT + S / 2
        add_unit(f"U-E{m + 1:03d}", f"{s['name']}专职救援队", "enterprise", "township",
                 s["jurisdiction"], x + 0.1, y, int(unit_rng.integers(12, 30)), 2)
        units[-1]["site"] = s["id"]  # the enterprise's own team
    for m in range(n_social):
        i = int(unit_rng.choice(urban_idx))
        tid = township_ids[i]
        add_unit(f"U-S{m + 1:03d}", f"{names.make('')}蓝天救援队" if m % 2 == 0 else
                 f"{names.make('')}应急志愿救援队", "social", "county", tid,
                 float(tx[i] + unit_rng.normal(0, 1)), float(ty[i] + unit_rng.normal(0, 1)),
                 int(unit_rng.integers(15, 40)), int(unit_rng.integers(1, 4)))

    # ---- depots --------------------------------------------------------------------------
    def stock(scale: float) -> dict[str, int]:
        base = {"sandbags": 20000, "pumps": 40, "tents": 400, "life_jackets": 1500, "foam": 20,
                "blankets": 3000, "generators": 30, "lights": 40, "chainsaws": 30,
                "extinguishers": 800, "stretchers": 150, "water": 2000}
        return {k: max(1, int(v * scale * depot_rng.uniform(0.7, 1.3))) for k, v in base.items()}

    depots: list[dict[str, Any]] = []
    lon, lat = _to_lonlat(np.array([city_x + 4]), np.array([city_y - 3]))
    depots.append(dict(id="D-C00", name="临川市应急物资储备库", tier="city", jurisdiction="C00",
                       lon=float(lon[0]), lat=float(lat[0]), stock=stock(2.5)))
    for k, kid in enumerate(county_ids):
        lon, lat = _to_lonlat(cx[k:k + 1] + 1.5, cy[k:k + 1] - 1)
        depots.append(dict(id=f"D-{kid}", name=f"{county_name[kid]}应急物资储备库", tier="county",
                           jurisdiction=kid, lon=float(lon[0]), lat=float(lat[0]),
                           stock=stock(0.5)))
    big = np.argsort(-t_pop, kind="stable")[:N_TOWNSHIP_DEPOTS]
    for i in sorted(int(b) for b in big):
        tid = township_ids[i]
        lon, lat = _to_lonlat(tx[i:i + 1] + 0.4, ty[i:i + 1])
        s = {k: v for k, v in stock(0.06).items()
             if k in ("sandbags", "pumps", "tents", "life_jackets", "blankets", "lights",
                      "extinguishers", "stretchers", "water")}
        depots.append(dict(id=f"D-{tid}", name=f"{t_name[tid]}应急物资储备库", tier="township",
                           jurisdiction=tid, lon=float(lon[0]), lat=float(lat[0]), stock=s))
    for j, vid in enumerate(village_ids):
        s = {"sandbags": int(depot_rng.integers(100, 500)), "life_jackets": int(depot_rng.integers(5, 30)),
             "extinguishers": int(depot_rng.integers(5, 20)), "blankets": int(depot_rng.integers(10, 60))}
        depots.append(dict(id=f"D-{vid}", name=f"{jurisdictions[1 + N_COUNTIES + N_TOWNSHIPS + j]['name']}应急物资储备点",
                           tier="village", jurisdiction=vid, lon=float(v_lon[j]),
                           lat=float(v_lat[j]), stock=s))

    # ---- command posts ---------------------------------------------------------------------
    posts = []
    act = np.round(depot_rng.uniform(5, 15, N_TOWNSHIPS), 1)
    vis = np.round(depot_rng.uniform(8, 20, N_TOWNSHIPS), 1)
    for i, tid in enumerate(township_ids):
        posts.append(dict(id=f"CP-{tid}", name=f"{t_name[tid]}应急指挥部", township=tid,
                          lon=float(t_lon[i]), lat=float(t_lat[i]),
                          activation_min=float(act[i]), visibility_min=float(vis[i])))

    centres = _service_centres(township_ids, t_name, units, depots, jurisdictions)

    # ---- people ------------------------------------------------------------------------------
    experts = []
    fields = people_rng.integers(0, len(EXPERT_FIELDS), N_EXPERTS)
    homes = people_rng.choice(["C00", *county_ids], N_EXPERTS, p=[0.4] + [0.06] * 10)
    mining = 0
    for m in range(N_EXPERTS):
        field = EXPERT_FIELDS[int(fields[m])]
        if field == "geology" and mining < N_MINING_EXPERTS:  # no draw added: the pool as before
            field, mining = "mining", mining + 1
        experts.append(dict(id=f"EX{m + 1:04d}", name=fake.name(), field=field,
                            jurisdiction=str(homes[m]), phone=fake.phone_number()))
    # officers' roles by place: a forest ranger near a forest, a geohazard monitor at a
    # geohazard point, a water-level monitor by a river or reservoir, a grid worker in towns;
    # each township's first officer is its earthquake observer (地震宏观测报员)
    site_points = [(str(x["kind"]), float(x["lon"]), float(x["lat"])) for x in sites]
    local = [j for j in jurisdictions if j["level"] in ("township", "village")]
    fits = roles_by_place([(str(j["id"]), float(j["lon"]), float(j["lat"])) for j in local],
                          [str(j["terrain"]) for j in local], site_points)
    above = {"mountain": ["forest_ranger", "geohazard_monitor", "grid_worker"],
             "hill": ["forest_ranger", "geohazard_monitor", "grid_worker"],
             "plain": ["grid_worker", "hydro_monitor", "quake_reporter"],
             "urban": ["grid_worker", "quake_reporter"]}  # city and county officers
    officers = []
    pools = {"city": ["C00"], "county": county_ids, "township": township_ids,
             "village": village_ids}
    juris_terrain = {j["id"]: j["terrain"] for j in jurisdictions}
    n = 0
    for level, count in N_OFFICERS.items():
        pool = pools[level]
        at = people_rng.integers(0, len(pool), count)
        at[: min(count, len(pool))] = np.arange(min(count, len(pool)))  # everyone has one
        seen: set[str] = set()
        for a in np.sort(at):
            jid = pool[int(a)]
            roles = fits.get(jid) or above[juris_terrain[jid]]
            if level == "township" and jid not in seen:
                roles = ["quake_reporter"]
            seen.add(jid)
            n += 1
            officers.append(dict(id=f"IO{n:05d}", name=fake.name(), level=level,
                                 role=roles[int(people_rng.integers(0, len(roles)))],
                                 jurisdiction=jid, phone=fake.phone_number()))

    data = dict(
        schema="blinddrill.region/1",
        name="临川市 (seed city)",
        seed=seed,
        capabilities=[c.model_dump() for c in CAPABILITIES],
        items=[i.model_dump() for i in ITEMS],
        travel=TravelParams(speed_kmh=dict(DEFAULT_SPEED_KMH)).model_dump(),
        jurisdictions=jurisdictions,
        units=units,
        depots=depots,
        command_posts=posts,
        hazard_sites=sites,
        experts=experts,
        info_officers=officers,
        service_centres=centres,
    )
    return Region.model_validate(data)


@lru_cache(maxsize=1)
def default_region() -> Region:
    """The built-in seed city (seed 2024), once per process: read from the disk cache of
    :mod:`scenarios.region_cache` when a valid copy for this code is there, else built."""
    return cached_region(DEFAULT_SEED, build_seed_city)
