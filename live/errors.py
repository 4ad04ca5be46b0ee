"""Why the live service refused an action: one code per refusal and its English message.

Every :class:`live.base.LiveError` and :class:`live.recording.RecordingError` is raised with a :class:`Why` and the values its message
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
    # what an umpire's input must be (live.recording.RecordingError)
    BAD_ACTION_ID = "bad_action_id"
    KIND_NOT_RECORDABLE = "kind_not_recordable"
    RESERVED_DATA = "reserved_data"
    BAD_RATING = "bad_rating"
    OBSERVATION_EMPTY = "observation_empty"
    TEXT_TOO_LONG = "text_too_long"
    BAD_SECTION = "bad_section"
    HOTWASH_EMPTY = "hotwash_empty"
    BAD_DUE_DATE = "bad_due_date"
    DESIGNATION_INCOMPLETE = "designation_incomplete"
    NO_RECORD_TO_CORRECT = "no_record_to_correct"
    CORRECTION_NO_REASON = "correction_no_reason"
    OBSERVED_T_OUT_OF_RANGE = "observed_t_out_of_range"
    BAD_QUANTITY = "bad_quantity"
    # a new account (live.accounts)
    BAD_ROLE = "bad_role"
    BAD_USER_NAME = "bad_user_name"
    PASSWORD_SHORT = "password_short"
    BAD_ROUNDS = "bad_rounds"
    USER_EXISTS = "user_exists"
    STORE_HAS_ACCOUNTS = "store_has_accounts"


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
    Why.BAD_ACTION_ID: "action id: 8-64 printable characters without spaces",
    Why.KIND_NOT_RECORDABLE: "kind '{kind}' cannot be recorded by an umpire (allowed: "
                             "{allowed})",
    Why.RESERVED_DATA: "data: {keys} is set by the service, not the input",
    Why.BAD_RATING: "rating: '{rating}' is not one of P, S, M, U",
    Why.OBSERVATION_EMPTY: "observation: the text is empty",
    Why.TEXT_TOO_LONG: "{field}: {chars:,} characters, more than the limit of {limit:,}",
    Why.BAD_SECTION: "section: '{section}' is not one of {sections}",
    Why.HOTWASH_EMPTY: "hotwash: the text is empty",
    Why.BAD_DUE_DATE: "due: '{due}' is not a date (YYYY-MM-DD)",
    Why.DESIGNATION_INCOMPLETE: "designation: give the role and the person",
    Why.NO_RECORD_TO_CORRECT: "seq {seq}: no umpire record to correct",
    Why.CORRECTION_NO_REASON: "correction: give a reason",
    Why.OBSERVED_T_OUT_OF_RANGE: "observed_t: {observed_t} is not a drill time between 0 and "
                                 "now ({now} min)",
    Why.BAD_QUANTITY: "qty: {qty} is not a quantity more than 0 and at most {limit:,}",
    Why.BAD_ROLE: "role: '{role}' is not one of {roles}",
    Why.BAD_USER_NAME: "user name '{user}': use letters, digits, '-', '_' or '.' (1-64)",
    Why.PASSWORD_SHORT: "password: at least {n} characters",
    Why.BAD_ROUNDS: "bcrypt rounds: between 4 and 16",
    Why.USER_EXISTS: "user '{user}' already exists",
    Why.STORE_HAS_ACCOUNTS: "the store already has accounts; a director adds the others "
                            "(blinddrill live user add)",
}


class Refusal(ValueError):
    """A refusal with its code: ``why`` (a :class:`Why`), ``params`` the values its message
    names; ``str()`` is the English message (:data:`MESSAGES`). The base of
    :class:`live.base.LiveError` and :class:`live.recording.RecordingError`; raised as it is
    for a new account's input (:mod:`live.accounts`)."""

    def __init__(self, why: Why, **params: object) -> None:
        super().__init__(message(why, params))
        self.why = why
        self.params = params


def message(why: Why, params: dict[str, object]) -> str:
    """The English message of ``why`` with ``params`` (a missing value raises ``KeyError``)."""
    return MESSAGES[why].format(**params)
