"""The inputs a simulating command reads: scenario (plain or sealed), region, parameters.

One loader for ``simulate``, ``batch`` and ``whatif``, so they check the same things in the
same order: the scenario file (a sealed one verified), its hazard categories against the
catalogue, the region (the built-in seed city if none is given), that the scenario was made for
this region (its region stamp, :func:`scenarios.fingerprint.check_scenario_region`), its
references into the region, then the behaviour parameters. Each is read once; a bad one is an
:class:`scenarios.loading.InputError` naming its file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.params import BehaviourParams
    from scenarios.region import Region
    from scenarios.schema import Scenario


def load_inputs(scenario_file: Path, region_file: Path | None, params_file: Path | None,
                catalogue_file: Path | None = None
                ) -> tuple[Scenario, bool, Region, BehaviourParams]:
    """``(scenario, sealed?, region, params)``, each read and checked once."""
    scenario, commitment, region, params, confirm = load_inputs_deferred(
        scenario_file, region_file, params_file, catalogue_file, defer=False)
    confirm()
    return scenario, commitment is not None, region, params


def load_inputs_deferred(scenario_file: Path, region_file: Path | None,
                         params_file: Path | None, catalogue_file: Path | None = None,
                         defer: bool | None = None
                         ) -> tuple[Scenario, str | None, Region, BehaviourParams,
                                    Callable[[], None]]:
    """:func:`load_inputs`, with a large sealed file's commitment comparison finishing on a
    second core (:func:`scenarios.sealing.read_scenario_deferred`): the caller calls the
    returned ``confirm()`` before it writes or shows anything. The second value is a sealed
    file's commitment (None for a plain scenario). A refusal found here is
    preceded by that comparison, so a changed sealed file is reported as changed first."""
    from engine.params import load_params
    from scenarios.catalogue import load_catalogue, require_known_categories
    from scenarios.fingerprint import check_scenario_region
    from scenarios.loading import InputError
    from scenarios.region import load_region
    from scenarios.sealing import read_scenario_deferred

    scenario, commitment, confirm = read_scenario_deferred(scenario_file, defer=defer)
    try:
        require_known_categories(load_catalogue(catalogue_file), scenario, str(scenario_file))
        if region_file is not None:
            region = load_region(region_file)
        else:
            from scenarios.seed_city import default_region

            region = default_region()
        check_scenario_region(scenario, region, str(scenario_file),
                              str(region_file or "the built-in seed city"))
        problems = scenario.check_against(region)
        if problems:
            raise InputError(str(scenario_file), problems)
        params = load_params(params_file)
    except BaseException:
        confirm()  # a changed sealed file is the first thing to say
        raise
    return scenario, commitment, region, params, confirm
