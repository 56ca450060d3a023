"""Parquet tables (--format parquet|both) hold the same values as the CSV ones, read with
pandas (pyarrow) and polars, and load where the CSV files are gone."""

import pandas as pd
import pytest

import relocant

SMALL = {"arrivals.persons_per_agent": 400}


def test_parquet_and_csv_hold_the_same_values(tmp_path):
    run = relocant.run(replicates=2, set=SMALL, format="both", long=True, out=tmp_path / "both")
    for table in ["daily", "daily_long", "summary", "summary_stats", "cohorts", "panel", "events"]:
        csv = relocant.read_csv(run.dir / f"{table}.csv")
        parquet = pd.read_parquet(run.dir / f"{table}.parquet")
        if "date" in parquet.columns:
            parquet["date"] = pd.to_datetime(parquet["date"])
        assert list(parquet.columns) == list(csv.columns), table
        pd.testing.assert_frame_equal(
            parquet.reset_index(drop=True), csv, check_dtype=False, obj=table
        )


def test_polars_reads_the_parquet_tables(tmp_path):
    pl = pytest.importorskip("polars")
    run = relocant.run(replicates=2, set=SMALL, format="both", out=tmp_path / "run")
    a = pl.read_parquet(run.dir / "summary.parquet")
    b = pl.read_csv(run.dir / "summary.csv")
    assert a.columns == b.columns
    assert a["share_integrated"].to_list() == b["share_integrated"].to_list()


def test_a_parquet_only_run_and_sweep_load_their_daily_series(tmp_path):
    run = relocant.run(replicates=2, set=SMALL, format="parquet", out=tmp_path / "run")
    assert not (run.dir / "daily.csv").exists()
    assert len(run.daily) == 2 * run.manifest["days"]
    sweep_file = tmp_path / "s.toml"
    sweep_file.write_text(
        'seed = 1\nreplicates = 1\ndesign = "grid"\n[set]\narrivals.persons_per_agent = 400\n'
        "[params]\ndecisions.money = { values = [1.0, 2.0, 3.0] }\n"
    )
    sweep = relocant.sweep(sweep_file, daily=True, format="parquet", out=tmp_path / "sweep")
    assert not (sweep.dir / "daily").exists()
    every = sweep.daily()
    assert sorted(every["run"].unique()) == [0, 1, 2]
    assert set(sweep.daily(1)["run"]) == {1}
