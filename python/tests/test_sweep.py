"""relocant.sweep and relocant.load_sweep against the real binary."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import SMALL

import relocant


def test_sweep_returns_runs_points_and_design(tmp_path, sweep_file):
    swept = relocant.sweep(sweep_file, jobs=1)

    assert isinstance(swept, relocant.Sweep)
    assert {"runs", "points", "design"} <= set(swept.tables)
    assert swept.dir.parent == (tmp_path / "relocant-output").resolve()
    assert swept.dir.name.startswith("tiny-")
    assert swept.manifest["status"] == "complete"
    assert swept.manifest["runs"] == 8 and swept.manifest["threads"] == 1
    assert "--no-plots" in swept.manifest["command_line"] and swept.figures == []

    runs = swept.runs
    assert list(runs["run"]) == list(range(8))
    # Parameter columns are named by their dotted paths.
    assert sorted(runs["decisions.money"].unique()) == [1.0, 2.0]
    assert sorted(runs["policy.border_run_ban.date"].unique()) == ["2023-01-27", "2023-07-01"]
    assert runs["share_integrated"].between(0, 1).all()
    assert set(swept.points["stat"]) == {"mean", "sd", "q05", "q50", "q95"}
    assert len(swept.design) == 4

    # sweep.toml and the resolved base scenario as dicts
    assert swept.definition["params"]["decisions"]["money"] == [1.0, 2.0]
    assert swept.definition["params"]["policy"]["border_run_ban"]["date"][1] == dt.date(2023, 7, 1)
    assert swept.scenario["arrivals"]["persons_per_agent"] == SMALL["arrivals.persons_per_agent"]


def test_sweep_as_polars_and_load_sweep_reads_it_back(tmp_path, sweep_file):
    pl = pytest.importorskip("polars")
    swept = relocant.sweep(sweep_file, out=tmp_path / "s", frame="polars")
    assert isinstance(swept.runs, pl.DataFrame)
    assert swept.runs.height == 8

    loaded = relocant.load_sweep(tmp_path / "s", frame="polars")
    assert set(loaded.tables) == set(swept.tables)
    for name in swept.tables:
        assert loaded.tables[name].equals(swept.tables[name]), name
    assert loaded.manifest == swept.manifest
    assert loaded.definition == swept.definition

    as_pandas = relocant.load_sweep(tmp_path / "s")
    assert as_pandas.runs["share_returned"].tolist() == pytest.approx(
        swept.runs["share_returned"].to_list()
    )
    with pytest.raises(ValueError, match="relocant sweep"):
        relocant.load_sweep(relocant.run(replicates=1, set=SMALL).dir)


def test_an_existing_sweep_directory_needs_force(tmp_path, sweep_file):
    out = tmp_path / "s"
    relocant.sweep(sweep_file, out=out)
    with pytest.raises(FileExistsError):
        relocant.sweep(sweep_file, out=out)
    again = relocant.sweep(sweep_file, out=out, force=True, plots=True)
    names = {path.name for path in again.figures}
    assert "heatmap_share_integrated.png" in names  # a 2-parameter grid draws heatmaps


def test_sweep_daily_series(tmp_path, sweep_file):
    swept = relocant.sweep(sweep_file, daily=True)
    days = relocant.run(replicates=1, set=SMALL).manifest["days"]

    one = swept.daily(3)
    assert len(one) == days and set(one["run"]) == {3}
    assert pd.api.types.is_datetime64_any_dtype(one["date"])
    every = swept.daily()
    assert len(every) == 8 * days and list(every["run"].unique()) == list(range(8))
    assert len(swept.daily([1, 2])) == 2 * days
    np = pytest.importorskip("numpy")
    assert swept.daily(np.int64(3)).equals(one)  # a run number taken from a DataFrame
    with pytest.raises(KeyError, match="runs \\[8\\]"):
        swept.daily(8)

    pl = pytest.importorskip("polars")
    as_polars = relocant.load_sweep(swept.dir, frame="polars")
    assert as_polars.daily([0, 1]).height == 2 * days
    assert as_polars.daily(0).schema["date"] == pl.Date

    plain = relocant.sweep(sweep_file)
    with pytest.raises(FileNotFoundError, match="daily=True"):
        plain.daily()


def test_a_bad_sweep_file_raises_with_the_located_message(tmp_path, sweep_file):
    sweep_file.write_text(sweep_file.read_text().replace("decisions.money", "decisions.mony"))
    with pytest.raises(relocant.RelocantError) as caught:
        relocant.sweep(sweep_file)
    assert caught.value.exit_code == 2
    line = sweep_file.read_text().splitlines().index("decisions.mony = [1.0, 2.0]") + 1
    assert f"{sweep_file}:{line}:" in caught.value.stderr
    assert "unknown key `decisions.mony`; did you mean `decisions.money`?" in caught.value.stderr
