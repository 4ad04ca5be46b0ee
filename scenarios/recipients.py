"""The words of an inject's recipient and sender (``delivery``), in the scenario's language.

The generator writes a recipient as text an umpire reads out: the county's duty desk, a
township's duty desk (``<township name>`` + the suffix) or a township command post (its name
in the region). Readers that show a scenario in another language than it was drawn in (the
console's English pages) recognise these forms from the same words
(:meth:`ui.charts.names.Names.recipient`).
"""

from __future__ import annotations

#: the recipient of an alarm phoned to the county's duty desk (short enough for a tablet's
#: inject board)
COUNTY_DESK: dict[str, str] = {"zh": "县(区)应急管理局值班室", "en": "County duty desk"}
#: other words for the county's duty desk in scenarios sealed by earlier versions
COUNTY_DESK_OLD: tuple[str, ...] = ("County emergency management duty desk",)
#: appended to a township's name: the duty desk an information officer phones
TOWNSHIP_DESK: dict[str, str] = {"zh": "值班室", "en": " duty desk"}
#: the sender of a complication: exercise control (the controller speaks for it)
EXERCISE_CONTROL: dict[str, str] = {"zh": "导调组", "en": "Exercise control"}
