"""relocant from Python: run the simulator, get its results as pandas or polars DataFrames.

Every function calls the real ``relocant`` binary (found through ``binary=``, then the
``RELOCANT_BIN`` environment variable, then ``PATH``) and loads the directory it wrote::

    import relocant
    run = relocant.run("scenarios/no_border_run_ban.toml", replicates=4,
                       set={"arrivals.persons_per_agent": 100})
    run.daily            # daily.csv as a DataFrame (every CSV file loads, by file stem)
    run.summary          # summary.csv
    run.manifest["seed"], run.scenario["policy"]["border_run_ban"]["date"]

A failed command raises :class:`RelocantError` (``.exit_code``, ``.stderr``). Without
``out=`` each call writes a new directory under ``./relocant-output/``, so a notebook cell
can be re-run; an existing ``out`` is replaced only with ``force=True``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from ._cli import (
    BinaryNotFoundError,
    PathLike,
    RelocantError,
    Sets,
    execute,
    find_binary,
    option_args,
    output_dir,
    set_args,
)
from ._results import Result, Run, Sweep, Validation, check_frame, read_csv, read_parquet

__version__ = "0.3.0"

__all__ = [
    "run",
    "sweep",
    "validate",
    "load_run",
    "load_sweep",
    "load_validation",
    "read_csv",
    "read_parquet",
    "find_binary",
    "Run",
    "Sweep",
    "Validation",
    "Result",
    "RelocantError",
    "BinaryNotFoundError",
]


def _label(path: Optional[PathLike], default: str) -> str:
    return Path(path).stem if path is not None else default


def _scenario_arg(scenario: Optional[PathLike]) -> list[str]:
    return [] if scenario is None else [os.fspath(scenario)]


def run(
    scenario: Optional[PathLike] = None,
    *,
    out: Optional[PathLike] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    set: Sets = None,
    posterior: Optional[PathLike] = None,
    draws: Optional[int] = None,
    jobs: Optional[int] = None,
    plots: bool = False,
    format: Optional[str] = None,
    long: bool = False,
    force: bool = False,
    frame: str = "pandas",
    binary: Optional[PathLike] = None,
) -> Run:
    """``relocant run``: run a scenario's replicates and load the run directory.

    Args:
        scenario: a scenario TOML file; None for the built-in historical baseline.
        out: the run directory; None for a new one under ``./relocant-output/``. If it
            exists, ``force=True`` is needed (it is replaced).
        replicates, seed: override the scenario's.
        set: scenario keys to override, ``{"arrivals.persons_per_agent": 100}`` or
            ``["arrivals.persons_per_agent=100"]`` (as ``--set``).
        posterior, draws: draw each replicate's parameters from a calibration's
            posterior sample (``scenarios/calibration/posterior.csv``).
        jobs: worker threads (default: all cores; results do not depend on it).
        plots: draw the figures into ``DIR/figures/`` (off by default: faster).
        format: ``"csv"`` (default), ``"parquet"`` or ``"both"`` (``--format``).
        long: also write ``daily_long.csv`` (``--long``), loaded as ``run.daily_long``.
        frame: ``"pandas"`` or ``"polars"``.
        binary: the relocant executable (default: ``$RELOCANT_BIN``, then PATH).

    Returns a :class:`Run`; raises :class:`RelocantError` if relocant fails.
    """
    check_frame(frame)  # fail on a bad or missing frame library before a run
    path, out_args = output_dir(out, _label(scenario, "baseline"), force)
    args = ["run", *_scenario_arg(scenario), "--quiet", *out_args]
    args += option_args(
        replicates=replicates, seed=seed, posterior=posterior, draws=draws, jobs=jobs,
        format=format,
    )
    args += set_args(set)
    if not plots:
        args.append("--no-plots")
    if long:
        args.append("--long")
    stdout = execute(binary, args)
    return Run(path, frame, stdout)


def sweep(
    sweep_file: PathLike,
    *,
    out: Optional[PathLike] = None,
    jobs: Optional[int] = None,
    daily: bool = False,
    plots: bool = False,
    format: Optional[str] = None,
    force: bool = False,
    frame: str = "pandas",
    binary: Optional[PathLike] = None,
) -> Sweep:
    """``relocant sweep``: run a sweep file's design and load the sweep directory.

    ``daily=True`` also keeps each run's daily series (``Sweep.daily()``; with
    ``format="parquet"`` in one ``daily.parquet``); ``format`` is ``--format``; ``plots=True``
    draws the heatmaps of a grid. Other arguments as for :func:`run`.
    """
    check_frame(frame)  # fail on a bad or missing frame library before a run
    path, out_args = output_dir(out, _label(sweep_file, "sweep"), force)
    args = ["sweep", os.fspath(sweep_file), "--quiet", *out_args]
    args += option_args(jobs=jobs, format=format)
    if daily:
        args.append("--daily")
    if not plots:
        args.append("--no-plots")
    stdout = execute(binary, args)
    return Sweep(path, frame, stdout)


def validate(
    scenario: Optional[PathLike] = None,
    *,
    targets: PathLike,
    out: Optional[PathLike] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    set: Sets = None,
    posterior: Optional[PathLike] = None,
    draws: Optional[int] = None,
    jobs: Optional[int] = None,
    force: bool = False,
    frame: str = "pandas",
    binary: Optional[PathLike] = None,
) -> Validation:
    """``relocant validate``: the fit of a scenario to observed figures (``targets``, a
    CSV file such as ``scenarios/calibration/targets.csv``). Returns a :class:`Validation`
    whose ``fit`` table has one row per target (every other CSV file of the directory loads
    too, by its stem). Other arguments as for :func:`run`.
    """
    check_frame(frame)  # fail on a bad or missing frame library before a run
    path, out_args = output_dir(out, "validate-" + _label(scenario, "baseline"), force)
    args = [
        "validate",
        *_scenario_arg(scenario),
        "--targets",
        os.fspath(targets),
        "--quiet",
        *out_args,
    ]
    args += option_args(
        replicates=replicates, seed=seed, posterior=posterior, draws=draws, jobs=jobs
    )
    args += set_args(set)
    stdout = execute(binary, args)
    return Validation(path, frame, stdout)


def load_run(directory: PathLike, frame: str = "pandas") -> Run:
    """A run directory written earlier (by :func:`run` or ``relocant run``)."""
    return Run(directory, frame)


def load_sweep(directory: PathLike, frame: str = "pandas") -> Sweep:
    """A sweep directory written earlier (by :func:`sweep`, ``relocant sweep`` or ``merge``)."""
    return Sweep(directory, frame)


def load_validation(directory: PathLike, frame: str = "pandas") -> Validation:
    """A validation directory written earlier (by :func:`validate` or ``relocant validate``)."""
    return Validation(directory, frame)
