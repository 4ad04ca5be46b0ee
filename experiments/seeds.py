"""Replication seeds: one scheme for every set of replications (batch, what-if, the console's
simulation lab, ``demo``'s baseline), so the same root seed plays the same replications
everywhere. Replication ``i`` (0-based) gets the engine seed of
``SeedSequence(seed).spawn(N)[i]``, computed lazily as ``SeedSequence(seed, spawn_key=(i,))``
(the same child), so it does not depend on N."""

from __future__ import annotations

import numpy as np


def replication_seed(seed: int, i: int) -> int:
    """Engine seed of replication ``i`` (0-based): state of ``SeedSequence(seed).spawn(·)[i]``."""
    return int(np.random.SeedSequence(seed, spawn_key=(i,)).generate_state(1)[0])
