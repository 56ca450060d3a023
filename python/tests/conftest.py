"""Shared fixtures: the real relocant binary, small-scale settings, a clean working directory.

The tests run the real binary named by RELOCANT_BIN (scripts/python_test.sh sets it to
target/release/relocant); without it they fall back to the repository's release build and
fail, rather than skip, when there is none, so that CI cannot pass by testing nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
TARGETS = SCENARIOS / "calibration" / "targets.csv"
POSTERIOR = SCENARIOS / "calibration" / "posterior.csv"

# 1 agent = 400 persons (1,100 agents) and 2 replicates: a run takes about 0.1 s.
SMALL = {"arrivals.persons_per_agent": 400}
REPLICATES = 2

TINY_SWEEP = """\
# 2 x 2 grid, 2 replicates: 8 runs of 1,100 agents
name = "tiny"
seed = 20220921
replicates = 2
design = "grid"

[set]
arrivals.persons_per_agent = 400

[params]
policy.border_run_ban.date = [2023-01-27, 2023-07-01]
decisions.money = [1.0, 2.0]
"""


def _binary() -> Path:
    given = os.environ.get("RELOCANT_BIN")
    path = Path(given) if given else REPO / "target" / "release" / "relocant"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"no relocant binary at {path}: run `cargo build --release` and set "
            "RELOCANT_BIN=target/release/relocant (scripts/python_test.sh does both)",
            pytrace=False,
        )
    return path.resolve()


@pytest.fixture(scope="session")
def binary() -> Path:
    return _binary()


@pytest.fixture(autouse=True)
def environment(binary, tmp_path, monkeypatch):
    """Every test finds the binary through RELOCANT_BIN and runs in its own empty
    directory, so default outputs (./relocant-output/) land there."""
    monkeypatch.setenv("RELOCANT_BIN", str(binary))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sweep_file(tmp_path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SWEEP)
    return path
