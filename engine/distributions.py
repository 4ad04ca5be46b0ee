"""Delay and factor distributions as data: ``{dist: lognormal, median: 1.2, sigma: 0.4}``.

Every random quantity of the engine (a delay in minutes, a multiplier) is described in the
behaviour-parameter file by one of these specs and drawn from a caller-supplied
``numpy.random.Generator`` (``draw``) or from buffered :class:`~engine.rng.Draws` (``sample``,
what the engine uses: one numpy call per block of draws). ``fixed`` makes a quantity exactly predictable, which the
exact-sequence tests rely on. All draws are ≥ 0.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from engine.rng import Draws
from scenarios import limits
from scenarios.loading import StrictModel

NonNeg = Annotated[float, Field(ge=0, le=limits.MAX_TURNOUT_MIN, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, le=limits.MAX_TURNOUT_MIN, allow_inf_nan=False)]


class Fixed(StrictModel):
    """Always ``value``."""

    dist: Literal["fixed"] = "fixed"
    value: NonNeg

    def draw(self, rng: np.random.Generator) -> float:
        """Return ``value`` (consumes no randomness)."""
        return self.value

    def sample(self, d: Draws) -> float:
        """Return ``value`` (consumes no randomness)."""
        return self.value

    @property
    def mean(self) -> float:
        """The expected value."""
        return self.value


class Exponential(StrictModel):
    """Exponential with the given ``mean`` (memoryless; used for M/M/c validation)."""

    dist: Literal["exponential"]
    mean_: Pos = Field(alias="mean")

    model_config = StrictModel.model_config | {"populate_by_name": True}

    def draw(self, rng: np.random.Generator) -> float:
        """One exponential draw."""
        return float(rng.exponential(self.mean_))

    def sample(self, d: Draws) -> float:
        """One exponential draw from buffered uniforms (inverse CDF)."""
        return -self.mean_ * math.log1p(-d.uniform())

    @property
    def mean(self) -> float:
        """The expected value."""
        return self.mean_


class LogNormal(StrictModel):
    """Log-normal given by its ``median`` and the ``sigma`` of the underlying normal."""

    dist: Literal["lognormal"]
    median: Pos
    sigma: Annotated[float, Field(ge=0, le=3)]

    def draw(self, rng: np.random.Generator) -> float:
        """One log-normal draw."""
        return float(self.median * math.exp(self.sigma * rng.standard_normal()))

    def sample(self, d: Draws) -> float:
        """One log-normal draw from buffered normals."""
        return self.median * math.exp(self.sigma * d.normal())

    @property
    def mean(self) -> float:
        """The expected value, median × exp(σ²/2)."""
        return self.median * math.exp(self.sigma**2 / 2)


class Triangular(StrictModel):
    """Triangular on [``low``, ``high``] with peak at ``mode``."""

    dist: Literal["triangular"]
    low: NonNeg
    mode: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError("triangular needs low <= mode <= high and low < high")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        """One triangular draw."""
        return float(rng.triangular(self.low, self.mode, self.high))

    def sample(self, d: Draws) -> float:
        """One triangular draw from buffered uniforms (inverse CDF)."""
        lo, mo, hi = self.low, self.mode, self.high
        u = d.uniform()
        c = (mo - lo) / (hi - lo)
        if u < c:
            return lo + math.sqrt(u * (hi - lo) * (mo - lo))
        return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mo))

    @property
    def mean(self) -> float:
        """The expected value."""
        return (self.low + self.mode + self.high) / 3


class Uniform(StrictModel):
    """Uniform on [``low``, ``high``)."""

    dist: Literal["uniform"]
    low: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("uniform needs low < high")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        """One uniform draw."""
        return float(rng.uniform(self.low, self.high))

    def sample(self, d: Draws) -> float:
        """One uniform draw from buffered uniforms."""
        return self.low + (self.high - self.low) * d.uniform()

    @property
    def mean(self) -> float:
        """The expected value."""
        return (self.low + self.high) / 2


Dist = Annotated[
    Fixed | Exponential | LogNormal | Triangular | Uniform, Field(discriminator="dist")
]
Probability = Annotated[float, Field(ge=0, le=1)]


def fixed(value: float) -> Fixed:
    """Shorthand for a fixed distribution."""
    return Fixed(value=value)
