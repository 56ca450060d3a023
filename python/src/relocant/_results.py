"""Result directories as Python objects: every CSV file as a DataFrame, plus the metadata.

Files are found, not listed: every ``*.csv`` at the top of a directory becomes a table named
by its stem, so files that later versions of relocant add or rename load without a change
here. Column types are inferred by the frame library; the only column treated specially is
one named ``date``, parsed as dates.
"""

from __future__ import annotations

import json
import numbers
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Optional, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.9/3.10
    import tomli as tomllib

FRAMES = ("pandas", "polars")
DATE_FORMAT = "%Y-%m-%d"


def check_frame(frame: str) -> str:
    if frame not in FRAMES:
        raise ValueError(f"frame must be one of {FRAMES}, not {frame!r}")
    if frame == "polars":
        try:
            import polars  # noqa: F401
        except ImportError as error:
            raise ImportError(
                "frame='polars' needs polars: "
                "pip install polars (or pip install 'relocant[polars]')"
            ) from error
    return frame


def read_csv(path: Union[str, os.PathLike], frame: str = "pandas"):
    """One relocant CSV file as a pandas or polars DataFrame, ``date`` parsed as dates.

    A ``date`` column is converted only if every non-empty value is a ``YYYY-MM-DD`` day;
    otherwise it stays text, so nothing is lost (``fit.csv`` of ``validate`` writes a
    month, ``2023-03``, for targets given by month).
    """
    check_frame(frame)
    if frame == "pandas":
        return _read_pandas(Path(path))
    return _read_polars(Path(path))


def _read_pandas(path: Path):
    import pandas as pd

    try:
        df = pd.read_csv(path)
    except pd.errors.EmptyDataError:  # a zero-byte file: no header, no rows
        return pd.DataFrame()
    if "date" in df.columns and not pd.api.types.is_numeric_dtype(df["date"]):
        try:
            df["date"] = pd.to_datetime(df["date"], format=DATE_FORMAT)
        except (ValueError, TypeError):
            pass  # not all days: keep the text
    return df


def _read_polars(path: Path):
    import polars as pl

    if path.stat().st_size == 0:
        return pl.DataFrame()
    # Infer types from every row, not the first 100: daily.csv columns such as ties_* are
    # 0 on the first day of each replicate and fractional later.
    df = pl.read_csv(path, infer_schema_length=None)
    if "date" in df.columns and df.schema["date"] == pl.Utf8:
        errors = tuple(
            getattr(pl.exceptions, name)
            for name in ("ComputeError", "InvalidOperationError")
            if hasattr(pl.exceptions, name)
        )
        try:
            df = df.with_columns(pl.col("date").str.to_date(DATE_FORMAT, strict=True))
        except errors:
            pass  # not all days: keep the text
    return df


def read_parquet(path: Union[str, os.PathLike], frame: str = "pandas"):
    """One relocant Parquet file (``--format parquet|both``) as a pandas (needs pyarrow) or
    polars DataFrame; its ``date`` columns are already dates."""
    check_frame(frame)
    if frame == "pandas":
        import pandas as pd

        df = pd.read_parquet(path)
        if "date" in df.columns:
            df["date"] = pd.to_datetime(df["date"])
        return df
    import polars as pl

    return pl.read_parquet(path)


def load_tables(directory: Path, frame: str) -> dict:
    """Every ``*.csv`` directly in ``directory``, by file stem, in name order, and every
    ``*.parquet`` whose table has no CSV file (``--format parquet`` keeps the daily series
    only as Parquet)."""
    tables = {path.stem: read_csv(path, frame) for path in sorted(directory.glob("*.csv"))}
    for path in sorted(directory.glob("*.parquet")):
        if path.stem not in tables:
            tables[path.stem] = read_parquet(path, frame)
    return dict(sorted(tables.items()))


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        return {}
    with open(path, "rb") as f:
        return tomllib.load(f)


class Result:
    """A relocant result directory, loaded.

    Attributes:
        dir: the directory (absolute).
        tables: ``{file stem: DataFrame}`` for every CSV file in it; each table is also an
            attribute (``result.daily`` is ``result.tables["daily"]``) unless an attribute
            below has its name.
        manifest: ``manifest.json`` as a dict (``{}`` where there is none: relocant 0.2.0
            writes none for ``validate``).
        scenario: the resolved ``scenario.toml`` as a dict (TOML dates as ``datetime.date``).
        stdout: what the command printed (the outcome or fit table); ``""`` when loaded.
        frame: ``"pandas"`` or ``"polars"``.
    """

    # The manifest's "command" a directory of this kind has (None: any, or none), and
    # whether a directory without manifest.json is accepted.
    command: Optional[str] = None
    manifest_optional = False

    def __init__(self, directory: Union[str, os.PathLike], frame: str = "pandas", stdout: str = ""):
        self.frame = check_frame(frame)
        self.dir = Path(directory).expanduser().resolve()
        if not self.dir.is_dir():
            raise FileNotFoundError(f"{self.dir}: no such directory")
        manifest_path = self.dir / "manifest.json"
        self.manifest: dict = (
            json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
        )
        missing_ok = self.manifest_optional and not self.manifest
        if self.command is not None and not missing_ok:
            found = self.manifest.get("command")
            if found is None:
                raise ValueError(
                    f"{self.dir} has no manifest.json: not a `relocant {self.command}` directory"
                )
            if found != self.command:
                raise ValueError(
                    f"{self.dir} is a `relocant {found}` directory, "
                    f"not a `relocant {self.command}` one"
                )
        self.scenario: dict = _read_toml(self.dir / "scenario.toml")
        self.stdout = stdout
        self.tables: dict = load_tables(self.dir, frame)

    @property
    def figures(self) -> list:
        """Every file under ``figures/`` (SVG, PNG, PDF), sorted; empty without figures."""
        folder = self.dir / "figures"
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails. Look in __dict__ directly: while unpickling
        # or copying, `tables` may not exist yet and self.tables would recurse.
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(
            f"{type(self).__name__} has no attribute or table {name!r}; tables: {sorted(tables)}"
        )

    def __dir__(self) -> Iterable[str]:
        # Lets notebooks tab-complete table names.
        return sorted(set(super().__dir__()) | set(self.__dict__.get("tables", {})))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.dir)!r}, tables={sorted(self.tables)})"


class Run(Result):
    """A ``relocant run`` directory (``daily``, ``summary``, ``cohorts``, ``panel``,
    ``events`` and, with a posterior, ``draws`` and ``posterior``)."""

    command = "run"


class Sweep(Result):
    """A ``relocant sweep`` directory (``runs``, ``points``, ``design`` and, after
    ``relocant analyze``, ``sensitivity``). ``definition`` is the sweep file (``sweep.toml``)
    as a dict; ``scenario`` the resolved base scenario."""

    command = "sweep"

    def __init__(self, directory: Union[str, os.PathLike], frame: str = "pandas", stdout: str = ""):
        super().__init__(directory, frame, stdout)
        self.definition: dict = _read_toml(self.dir / "sweep.toml")

    def daily(self, runs: Union[int, Iterable[int], None] = None):
        """The daily series of a sweep run with ``daily=True`` (``daily/run-N.csv``): one
        run, several, or (``None``) all of them, concatenated in run order."""
        folder = self.dir / "daily"
        parquet = self.dir / "daily.parquet"
        if not folder.is_dir() and parquet.is_file():
            # --format parquet: every run's series in one file with a `run` column.
            df = read_parquet(parquet, self.frame)
            if runs is None:
                return df
            wanted = [int(runs)] if isinstance(runs, numbers.Integral) else [int(r) for r in runs]
            if self.frame == "pandas":
                return df[df["run"].isin(wanted)].reset_index(drop=True)
            import polars as pl

            return df.filter(pl.col("run").is_in(wanted))
        files = {}
        for path in folder.glob("run-*.csv") if folder.is_dir() else []:
            try:
                files[int(path.stem[len("run-") :])] = path
            except ValueError:
                continue
        if not files:
            raise FileNotFoundError(f"{self.dir} has no daily series; sweep with daily=True")
        if runs is None:
            wanted = sorted(files)
        elif isinstance(runs, numbers.Integral):  # numpy integers included
            wanted = [int(runs)]
        else:
            wanted = [int(r) for r in runs]
        missing = [r for r in wanted if r not in files]
        if missing:
            raise KeyError(
                f"no daily series for runs {missing}; the sweep has runs {min(files)}..{max(files)}"
            )
        frames = [read_csv(files[r], self.frame) for r in wanted]
        if len(frames) == 1:
            return frames[0]
        if self.frame == "pandas":
            import pandas as pd

            return pd.concat(frames, ignore_index=True)
        import polars as pl

        return pl.concat(frames)


class Validation(Result):
    """A ``relocant validate`` directory: the ``fit`` table, ``fit_md`` (the Markdown fit
    table as text) and the resolved ``scenario``; ``manifest`` is ``{}`` if the binary
    wrote none (versions before validate had a manifest.json)."""

    command = "validate"
    manifest_optional = True

    def __init__(self, directory: Union[str, os.PathLike], frame: str = "pandas", stdout: str = ""):
        super().__init__(directory, frame, stdout)
        fit_md = self.dir / "fit.md"
        self.fit_md: str = fit_md.read_text(encoding="utf-8") if fit_md.is_file() else ""
