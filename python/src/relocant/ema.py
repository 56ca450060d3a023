"""relocant as a model of the EMA Workbench (exploratory modelling and analysis).

``ema_workbench`` is imported only when :func:`model` is called, so the rest of the package
does not need it (``pip install 'relocant[ema]'``). Example::

    from ema_workbench import perform_experiments
    from relocant.ema import model

    m = model(
        uncertainties={"decisions.money": (1.0, 3.0),                 # a real range
                       "policy.rvp.employment.processing_days": (15, 60)},  # whole numbers
        levers={"policy.border_run_ban.date": ["2023-01-27", "2023-07-01"]},  # categories
        set={"arrivals.persons_per_agent": 100},   # fixed for every experiment
        replicates=4,
    )
    experiments, outcomes = perform_experiments(m, scenarios=50, policies=2)
    outcomes["share_integrated"]   # (100,) end-of-run share of arrivals, mean over replicates
    outcomes["present"]            # (100, days) persons present per day, mean over replicates

Each experiment is one ``relocant run`` with the sampled values passed as
``--set key=value``, into a temporary directory deleted afterwards. Every experiment runs
with the same seed (the scenario's, or ``seed=``), so experiments differ by their
parameters, not by their random numbers (common random numbers, as relocant's sweeps do).
The model's function is a picklable object, so ``MultiprocessingEvaluator`` works too (then
pass ``jobs=1`` so that the evaluator's processes do not each use every core).
"""

from __future__ import annotations

import numbers
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._cli import PathLike, Sets

# End-of-run shares of arrivals (columns of summary.csv, averaged over replicates).
SHARES = ("share_present", "share_integrated", "share_moved_on", "share_returned")
# Stocks and cumulative counts of daily.csv, in persons.
SERIES = ("present", "integrated", "moved_on", "returned")

ParameterSpec = Union[Mapping[str, Any], Sequence[Any], None]


def _ema():
    try:
        import ema_workbench
    except ImportError as error:
        raise ImportError(
            "relocant.ema needs the EMA Workbench: pip install ema_workbench "
            "(or pip install 'relocant[ema]')"
        ) from error
    return ema_workbench


def parameter_name(key: str) -> str:
    """The EMA name of a scenario key: dots (and anything else not allowed in a Python
    identifier) become underscores, since the Workbench wants identifiers."""
    return re.sub(r"\W", "_", key)


def parameters(spec: ParameterSpec) -> list:
    """EMA parameters for scenario keys.

    ``spec`` maps a dotted scenario key to a ``(low, high)`` tuple of two numbers (an
    ``IntegerParameter`` if both are ints, else a ``RealParameter``) or to a list of values
    (a ``CategoricalParameter``; dates as ``"2023-01-27"`` or ``datetime.date``). The EMA
    name is :func:`parameter_name` of the key and its ``variable_name`` the key itself,
    which is what reaches ``--set``. A sequence of ready EMA parameter objects is taken as
    is: give each ``variable_name="dotted.scenario.key"``.
    """
    ema = _ema()
    if spec is None:
        return []
    if not isinstance(spec, Mapping):
        return list(spec)
    made = []
    for key, values in spec.items():
        name = parameter_name(key)
        if isinstance(values, tuple) and len(values) == 2 and all(_is_number(v) for v in values):
            low, high = values
            whole = all(isinstance(v, numbers.Integral) for v in values)
            kind = ema.IntegerParameter if whole else ema.RealParameter
            made.append(kind(name, low, high, variable_name=key))
        elif isinstance(values, (list, tuple)):
            made.append(ema.CategoricalParameter(name, list(values), variable_name=key))
        else:
            raise TypeError(
                f"{key}: give a (low, high) tuple of numbers or a list of values, not {values!r}"
            )
    return made


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class RelocantFunction:
    """The model function: runs relocant once per experiment and returns its outcomes.

    Called by the Workbench with the experiment's values by scenario key, it returns
    ``{share: mean over replicates at the end of the run}`` for ``shares`` (columns of
    ``summary.csv``) and ``{column: array over days, mean over replicates}`` for ``series``
    (columns of ``daily.csv``). A module-level class, not a closure, so that
    it pickles for the Workbench's multiprocessing evaluator.
    """

    def __init__(
        self,
        scenario: Optional[PathLike] = None,
        set: Sets = None,
        replicates: int = 2,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        shares: Sequence[str] = SHARES,
        series: Sequence[str] = SERIES,
        binary: Optional[PathLike] = None,
    ):
        self.scenario = scenario
        self.set = _as_dict(set)
        self.replicates = replicates
        self.seed = seed
        self.jobs = jobs
        self.shares = list(shares)
        self.series = list(series)
        self.binary = binary

    def __call__(self, **values: Any) -> dict:
        from . import run

        sets = {**self.set, **values}  # the experiment's values win over fixed ones
        with tempfile.TemporaryDirectory(prefix="relocant-ema-") as tmp:
            result = run(
                self.scenario,
                out=Path(tmp) / "run",
                replicates=self.replicates,
                seed=self.seed,
                jobs=self.jobs,
                set=sets,
                binary=self.binary,
            )
        summary, daily = result.summary, result.daily
        # The replicates' own rows: those with a replicate number. (Older binaries also
        # put rows of statistics over replicates, with no replicate number, in
        # summary.csv; newer ones write those to a file of their own. This reads either.)
        replicates = summary[summary["replicate"].notna()]
        outcomes = {name: float(replicates[name].mean()) for name in self.shares}
        by_day = daily.groupby("day", sort=True)[self.series].mean()
        outcomes.update({name: by_day[name].to_numpy() for name in self.series})
        return outcomes


def _as_dict(sets: Sets) -> dict:
    if sets is None:
        return {}
    if isinstance(sets, Mapping):
        return dict(sets)
    pairs = [sets] if isinstance(sets, str) else list(sets)
    return dict(pair.split("=", 1) for pair in pairs)


def model(
    name: str = "relocant",
    *,
    uncertainties: ParameterSpec = None,
    levers: ParameterSpec = None,
    scenario: Optional[PathLike] = None,
    set: Sets = None,
    replicates: int = 2,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    shares: Iterable[str] = SHARES,
    series: Iterable[str] = SERIES,
    binary: Optional[PathLike] = None,
):
    """An ``ema_workbench.Model`` that runs relocant.

    Args:
        name: the model's name (letters and digits only, as the Workbench requires).
        uncertainties, levers: scenario keys to vary, see :func:`parameters`.
        scenario: the scenario file every experiment starts from (None: the baseline).
        set: fixed overrides for every experiment (e.g. the scale,
            ``{"arrivals.persons_per_agent": 100}``).
        replicates, seed, jobs: for each ``relocant run``.
        shares: ``ScalarOutcome`` per column of ``summary.csv``, the mean over
            replicates.
        series: ``TimeSeriesOutcome`` per column of ``daily.csv``, averaged over
            replicates day by day (one value per day of the run).
        binary: the relocant executable (default: ``$RELOCANT_BIN``, then PATH).
    """
    ema = _ema()
    shares, series = list(shares), list(series)
    function = RelocantFunction(scenario, set, replicates, seed, jobs, shares, series, binary)
    m = ema.Model(name, function=function)
    m.uncertainties = parameters(uncertainties)
    m.levers = parameters(levers)
    m.outcomes = [ema.ScalarOutcome(s) for s in shares] + [ema.TimeSeriesOutcome(s) for s in series]
    return m
