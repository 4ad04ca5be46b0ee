"""A recording worker run as a separate process by the concurrency and crash tests.

``python live_worker.py DB USER PASSWORD DRILL COUNT PREFIX`` logs in and records COUNT
observations with action ids ``PREFIX-<i>``, each retried once with the same id (as a client
does after a timeout), printing ``OK <action id> <seq>`` after each call returned — the
moment the action counts as confirmed to the umpire.
"""

from __future__ import annotations

import sys


def main() -> None:
    from live import LiveService

    db, user, password, drill, count, prefix = sys.argv[1:7]
    svc = LiveService(db, create=False)
    who = svc.login(user, password)
    for i in range(int(count)):
        aid = f"{prefix}-{i:06d}"
        r = svc.observe(who, drill, f"{prefix} note {i}", action_id=aid, rating="S")
        again = svc.observe(who, drill, f"{prefix} note {i}", action_id=aid, rating="S")
        assert again.seq == r.seq and not again.created
        print(f"OK {aid} {r.seq}", flush=True)
    svc.close()


if __name__ == "__main__":
    main()
