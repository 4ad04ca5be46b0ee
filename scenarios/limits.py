"""Limits on the size of every input, kept as data in one place.

The models of region, scenario and log files enforce these with pydantic ``Field`` constraints
(``le=...``), so an impossible number is an error naming the file and the field, and a huge but
legal input still loads in a documented time (docs/security.md, "Limits"). They are generous:
the seed city (the largest real case we model: 1 city, 10 counties, 223 townships, 369 teams,
5,869 information officers) is far inside every one of them.
"""

from __future__ import annotations

from typing import Final

#: records per kind in a region file (units, depots, command posts, hazard sites, experts).
MAX_UNITS: Final = 100_000
MAX_DEPOTS: Final = 100_000
MAX_COMMAND_POSTS: Final = 5_000
MAX_HAZARD_SITES: Final = 100_000
MAX_EXPERTS: Final = 100_000
#: jurisdictions (city + counties + townships + villages/communities).
MAX_JURISDICTIONS: Final = 100_000
#: disaster information officers.
MAX_INFO_OFFICERS: Final = 200_000
#: people living in one jurisdiction (China's largest city is ~3.2e7).
MAX_POPULATION: Final = 50_000_000
#: stock of one item in one depot, or a quantity asked for by an incident.
MAX_QUANTITY: Final = 10_000_000
#: people in one casualty count (dead, injured, trapped, missing) of one incident.
MAX_CASUALTIES: Final = 100_000
#: people evacuated for one incident.
MAX_EVACUATED: Final = 10_000_000
#: injects in one scenario (the overloaded stress drill of docs/performance.md has 10,000).
MAX_INJECTS: Final = 20_000
#: drill length and any time in a scenario, minutes (one week).
MAX_DURATION_MIN: Final = 7 * 24 * 60
#: turn-out (mobilisation) and other per-unit delays, minutes.
MAX_TURNOUT_MIN: Final = 24 * 60
#: a seed the engine writes into the log (orjson's 64-bit integer range).
MAX_SEED: Final = 2**64 - 1
#: replications of one batch or what-if run (``-n``).
MAX_REPLICATIONS: Final = 1_000_000
#: bytes of one input file (YAML/JSON/xlsx) read into memory.
MAX_INPUT_BYTES: Final = 256 * 2**20
#: nodes the aliases (``*name``) of one YAML file may add when expanded: a "billion laughs"
#: file of a few hundred bytes expands to 10^9 nodes.
MAX_YAML_ALIAS_NODES: Final = 1_000_000
#: bytes of one event log (a 1,000,000-event log is ~175 MB).
MAX_LOG_BYTES: Final = 2 * 2**30
#: characters of one text an umpire types (an observation, a hotwash item, a note): about
#: ten pages, far more than a tablet entry, far less than a pasted file.
MAX_TEXT_CHARS: Final = 20_000

#: every limit by name, for the documentation and the tests.
ALL: Final[dict[str, int]] = {k: v for k, v in globals().items()
                              if k.startswith("MAX_") and isinstance(v, int)}


def too_many(data: object, caps: dict[str, int]) -> list[str]:
    """Problems for lists in a raw mapping that are longer than their cap, found BEFORE the
    (costly) validation of each record, so a 10^6-record file is refused at once."""
    if not isinstance(data, dict):
        return []
    return [f"{key}: {len(data[key]):,} records, more than the limit of {cap:,}"
            for key, cap in caps.items() if isinstance(data.get(key), list)
            and len(data[key]) > cap]
