"""The standard vocabulary shipped with the project: capabilities, supply items, unit kinds.

Regions declare their own ``capabilities`` and ``items`` lists (data, not code); these are the
defaults the built-in seed city and the example county use, and what the hazard catalogue's
requirements refer to.
"""

from __future__ import annotations

from scenarios.region import Vocabulary

CAPABILITIES: list[Vocabulary] = [
    Vocabulary(id="fire_suppression", name_zh="灭火", name_en="Fire suppression"),
    Vocabulary(id="water_rescue", name_zh="水上救援", name_en="Water rescue"),
    Vocabulary(id="flood_control", name_zh="防汛排涝", name_en="Flood control"),
    Vocabulary(id="hazmat", name_zh="危化品处置", name_en="Hazmat response"),
    Vocabulary(id="medical", name_zh="医疗救护", name_en="Medical care"),
    Vocabulary(id="search_rescue", name_zh="搜索救援", name_en="Search and rescue"),
    Vocabulary(id="forest_fire", name_zh="森林灭火", name_en="Forest firefighting"),
    Vocabulary(id="traffic_rescue", name_zh="交通事故救援", name_en="Road accident rescue"),
    Vocabulary(id="structural", name_zh="工程抢险", name_en="Engineering repair"),
    Vocabulary(id="geohazard", name_zh="地质灾害处置", name_en="Geohazard response"),
    Vocabulary(id="evacuation", name_zh="人员疏散安置", name_en="Evacuation and shelter"),
    Vocabulary(id="crowd_control", name_zh="现场秩序管控", name_en="Crowd control"),
    Vocabulary(id="mine_rescue", name_zh="矿山救护", name_en="Mine rescue"),
]

ITEMS: list[Vocabulary] = [
    Vocabulary(id="sandbags", name_zh="编织袋(沙袋)", name_en="Sandbags", unit_zh="条", unit_en="bags"),
    Vocabulary(id="pumps", name_zh="排水泵", name_en="Water pumps", unit_zh="台", unit_en="units"),
    Vocabulary(id="tents", name_zh="帐篷", name_en="Tents", unit_zh="顶", unit_en="tents"),
    Vocabulary(id="life_jackets", name_zh="救生衣", name_en="Life jackets", unit_zh="件", unit_en="pcs"),
    Vocabulary(id="foam", name_zh="泡沫灭火剂", name_en="Firefighting foam", unit_zh="吨", unit_en="t"),
    Vocabulary(id="blankets", name_zh="棉被", name_en="Blankets", unit_zh="床", unit_en="pcs"),
    Vocabulary(id="generators", name_zh="发电机", name_en="Generators", unit_zh="台", unit_en="units"),
    Vocabulary(id="lights", name_zh="照明灯组", name_en="Lighting sets", unit_zh="套", unit_en="sets"),
    Vocabulary(id="chainsaws", name_zh="油锯", name_en="Chainsaws", unit_zh="台", unit_en="units"),
    Vocabulary(id="extinguishers", name_zh="灭火器", name_en="Extinguishers", unit_zh="具", unit_en="pcs"),
    Vocabulary(id="stretchers", name_zh="担架", name_en="Stretchers", unit_zh="副", unit_en="pcs"),
    Vocabulary(id="water", name_zh="饮用水", name_en="Drinking water", unit_zh="箱", unit_en="cases"),
]

#: Default capabilities (id → level 1–3) of each unit kind.
KIND_CAPABILITIES: dict[str, dict[str, int]] = {
    "township_station": {
        "fire_suppression": 1, "flood_control": 2, "evacuation": 2, "search_rescue": 1,
        "forest_fire": 1, "water_rescue": 1, "crowd_control": 1, "traffic_rescue": 1,
    },
    "fire_rescue": {
        "fire_suppression": 3, "search_rescue": 2, "traffic_rescue": 3, "water_rescue": 2,
        "hazmat": 2,
    },
    "hazmat": {"hazmat": 3, "fire_suppression": 2},
    "medical": {"medical": 3},
    "flood_rescue": {"water_rescue": 3, "flood_control": 3},
    "forest_fire": {"forest_fire": 3},
    "mine_rescue": {"mine_rescue": 3, "search_rescue": 2, "hazmat": 1, "geohazard": 2},
    "engineering": {"structural": 3, "geohazard": 2, "search_rescue": 2},
    "militia": {"evacuation": 2, "flood_control": 2, "crowd_control": 2, "forest_fire": 1},
    "enterprise": {"hazmat": 2, "fire_suppression": 2},
    "social": {"water_rescue": 2, "search_rescue": 2, "medical": 1, "evacuation": 1},
}

#: Chinese names of unit kinds, for reports and the console.
UNIT_KIND_ZH: dict[str, str] = {
    "township_station": "乡镇综合应急救援队",
    "fire_rescue": "消防救援队",
    "hazmat": "危化品救援队",
    "medical": "医疗救护队",
    "flood_rescue": "防汛抢险队",
    "forest_fire": "森林消防队",
    "mine_rescue": "矿山救护队",
    "engineering": "工程抢险队",
    "militia": "民兵应急分队",
    "enterprise": "企业救援队",
    "social": "社会应急力量",
}

#: Default emergency driving speeds (km/h) by unit kind, used by the built-in regions.
DEFAULT_SPEED_KMH: dict[str, float] = {
    "default": 40.0,
    "fire_rescue": 50.0,
    "hazmat": 45.0,
    "medical": 55.0,
    "township_station": 40.0,
    "social": 35.0,
    "militia": 35.0,
}
