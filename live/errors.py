"""Why the live service refused an action: one code per refusal and its English message.

Every :class:`live.base.LiveError` is raised with a :class:`Why` and the values its message
names (``LiveError(Why.DRILL_NOT_RUNNING, drill="d1", status="ended")``); ``str()`` of the
error is the English message below (what ``blinddrill live ...`` prints). The console words
the same code and values in the user's language (``ui.console.strings``: ``err_<code>``);
values named ``status`` are a drill's status (created, running, held, ended).
"""

from __future__ import annotations

from enum import StrEnum


class Why(StrEnum):
    """The code of a refusal (its value is the stable code the console keys its text on)."""

    NO_DRILL = "no_drill"
    DRILL_NOT_RUNNING = "drill_not_running"
    RELEASE_NOT_RUNNING = "release_not_running"
    DRILL_LOCKED = "drill_locked"
    NO_START_WINDOW = "no_start_window"
    ALREADY_STARTED = "already_started"
    NOT_ON_HOLD = "not_on_hold"
    NOT_IN_PLAY = "not_in_play"
    NOT_A_CONTROLLER = "not_a_controller"
    NO_PENDING_INJECT = "no_pending_inject"
    INJECT_NOT_IN_DRILL = "inject_not_in_drill"
    SKIP_NO_REASON = "skip_no_reason"
    RETIME_NO_REASON = "retime_no_reason"
    RETIME_OUT_OF_RANGE = "retime_out_of_range"
    ADHOC_INCOMPLETE = "adhoc_incomplete"
    ACTION_ID_REUSED = "action_id_reused"
    INCIDENT_NOT_OCCURRED = "incident_not_occurred"
    UNIT_NOT_IN_REGION = "unit_not_in_region"
    DEPOT_NOT_IN_REGION = "depot_not_in_region"
    POST_NOT_IN_REGION = "post_not_in_region"
    HOTWASH_BEFORE_START = "hotwash_before_start"
    PASSPHRASE_SHORT = "passphrase_short"
    BAD_DRILL_ID = "bad_drill_id"
    DRILL_EXISTS = "drill_exists"


#: the English message of each code, formatted with the error's values.
MESSAGES: dict[Why, str] = {
    Why.NO_DRILL: "no drill '{drill}' in this store",
    Why.DRILL_NOT_RUNNING: "drill '{drill}' is not running ({status})",
    Why.RELEASE_NOT_RUNNING: "drill '{drill}' is not running ({status}): injects are released "
                             "only during play",
    Why.DRILL_LOCKED: "drill '{drill}' is locked: the director must unlock it "
                      "(blinddrill live unlock)",
    Why.NO_START_WINDOW: "the scenario has no start window (generate it with a plan)",
    Why.ALREADY_STARTED: "drill '{drill}' has already started ({status})",
    Why.NOT_ON_HOLD: "drill '{drill}' is not on hold ({status})",
    Why.NOT_IN_PLAY: "drill '{drill}' is not in play ({status})",
    Why.NOT_A_CONTROLLER: "'{user}' is not a controller account",
    Why.NO_PENDING_INJECT: "inject '{inject}': no such pending inject in '{drill}'",
    Why.INJECT_NOT_IN_DRILL: "inject '{inject}' is not in drill '{drill}'",
    Why.SKIP_NO_REASON: "skip: give a reason",
    Why.RETIME_NO_REASON: "re-time: give a reason",
    Why.RETIME_OUT_OF_RANGE: "re-time: the new time must be between 0 and {max} minutes",
    Why.ADHOC_INCOMPLETE: "ad-hoc inject: give a message and a reason",
    Why.ACTION_ID_REUSED: "action id {action_id}: already used for another action",
    Why.INCIDENT_NOT_OCCURRED: "incident '{incident}' has not occurred in drill '{drill}'",
    Why.UNIT_NOT_IN_REGION: "unit '{ref}' is not in the drill's region {region}",
    Why.DEPOT_NOT_IN_REGION: "depot '{ref}' is not in the drill's region {region}",
    Why.POST_NOT_IN_REGION: "command post '{ref}' is not in the drill's region {region}",
    Why.HOTWASH_BEFORE_START: "drill '{drill}' has not started: the hotwash follows play",
    Why.PASSPHRASE_SHORT: "passphrase: at least {n} characters",
    Why.BAD_DRILL_ID: "drill id '{drill}': use letters, digits, '-', '_' or '.' "
                      "(1-64, starting with a letter or digit)",
    Why.DRILL_EXISTS: "drill '{drill}' already exists (give another --drill id)",
}


def message(why: Why, params: dict[str, object]) -> str:
    """The English message of ``why`` with ``params`` (a missing value raises ``KeyError``)."""
    return MESSAGES[why].format(**params)
