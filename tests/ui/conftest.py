"""Fixtures for the chart and report tests: the sample log, its run directory and scorecard."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sample import sample_log, write_run  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    """Any warning (e.g. matplotlib's "Glyph missing") fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="session")
def records() -> list[dict[str, Any]]:
    """The sample log's records."""
    return sample_log().records


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run directory holding the sample log and the county region."""
    return write_run(tmp_path_factory.mktemp("run"),
                     ROOT / "scenarios" / "regions" / "county.yaml")


@pytest.fixture(scope="session")
def card(run_dir: Path) -> Any:
    """The evaluators' scorecard of the sample run."""
    from evaluators import score_run

    return score_run(run_dir)
