"""Statistical helpers for the generator tests."""

from __future__ import annotations

import math


def chi2_upper(df: int, p: float = 0.999) -> float:
    """Upper quantile of chi-square (Wilson-Hilferty; accurate to ~1% for df >= 3)."""
    z = {0.999: 3.0902, 0.99: 2.3263, 0.001: -3.0902, 0.01: -2.3263}[p]
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3
