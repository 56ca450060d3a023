"""relocant.run and relocant.load_run against the real binary."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from conftest import POSTERIOR, REPLICATES, SCENARIOS, SMALL

import relocant

DOCUMENTED = {"daily", "summary", "cohorts", "panel", "events"}  # README, "Results"


def test_run_returns_the_documented_tables_as_pandas(tmp_path):
    run = relocant.run(replicates=REPLICATES, set=SMALL)

    assert isinstance(run, relocant.Run)
    assert DOCUMENTED <= set(run.tables)
    for name, table in run.tables.items():
        assert isinstance(table, pd.DataFrame), name
        assert getattr(run, name) is table  # attribute access is the same table
    # A new directory under ./relocant-output/ of the working directory.
    assert run.dir.parent == (tmp_path / "relocant-output").resolve()
    assert run.dir.name.startswith("baseline-")

    days = run.manifest["days"]
    assert run.manifest["replicates"] == REPLICATES
    assert run.manifest["persons_per_agent"] == 400
    assert "--quiet" in run.manifest["command_line"]
    assert "--no-plots" in run.manifest["command_line"]
    assert run.figures == []

    daily = run.daily
    assert len(daily) == REPLICATES * days
    assert sorted(daily["replicate"].unique()) == list(range(REPLICATES))
    assert pd.api.types.is_datetime64_any_dtype(daily["date"])
    assert daily["date"].iloc[0] == pd.Timestamp(run.scenario["start"])
    assert pd.api.types.is_datetime64_any_dtype(run.events["date"])
    assert pd.api.types.is_datetime64_any_dtype(run.panel["date"])
    # arrived = present + moved_on + returned (README, daily.csv columns)
    last = daily[daily["day"] == days - 1]
    assert (last["arrived"] == last["present"] + last["moved_on"] + last["returned"]).all()

    # One row per replicate (older binaries follow them with rows of statistics over
    # replicates, which have no replicate number).
    summary = run.summary
    replicates = summary[summary["replicate"].notna()]
    assert sorted(replicates["replicate"]) == list(range(REPLICATES))
    shares = replicates[["share_present", "share_moved_on", "share_returned"]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(1.0, abs=1e-5)

    # scenario.toml as a dict, TOML dates as datetime.date
    assert run.scenario["arrivals"]["persons_per_agent"] == 400
    assert run.scenario["start"] == dt.date(2022, 9, 21)
    assert "integrated" in run.stdout  # the outcome table relocant prints
    assert "daily" in repr(run)


def test_run_returns_polars_frames_with_the_same_numbers():
    pl = pytest.importorskip("polars")
    run = relocant.run(replicates=REPLICATES, set=SMALL, frame="polars")
    again = relocant.run(replicates=REPLICATES, set=SMALL)  # same seed: same numbers

    assert DOCUMENTED <= set(run.tables)
    for name, table in run.tables.items():
        assert isinstance(table, pl.DataFrame), name
    assert run.daily.schema["date"] == pl.Date
    assert run.events.schema["date"] == pl.Date
    assert run.daily.schema["ties_co_migrant"] == pl.Float64  # 0 on day 0, fractional later
    for column in ("present", "integrated", "moved_on", "returned"):
        assert run.daily[column].to_list() == again.daily[column].to_list()
    assert run.summary["share_integrated"].to_list() == pytest.approx(
        again.summary["share_integrated"].to_list()
    )


def test_rerunning_without_out_writes_a_new_directory_each_time():
    first = relocant.run(replicates=REPLICATES, set=SMALL)
    second = relocant.run(replicates=REPLICATES, set=SMALL)

    assert first.dir != second.dir
    assert first.dir.is_dir() and second.dir.is_dir()
    pd.testing.assert_frame_equal(first.summary, second.summary)  # reproducible from the seed


def test_an_existing_out_is_replaced_only_with_force(tmp_path):
    out = tmp_path / "mine"
    relocant.run(out=out, replicates=REPLICATES, set=SMALL)

    with pytest.raises(FileExistsError, match="force=True"):
        relocant.run(out=out, replicates=1, set=SMALL)
    assert relocant.load_run(out).manifest["replicates"] == REPLICATES  # untouched

    replaced = relocant.run(out=out, replicates=1, set=SMALL, force=True)
    assert replaced.dir == out.resolve()
    assert replaced.manifest["replicates"] == 1
    assert "--force" in replaced.manifest["command_line"]


def test_a_bad_scenario_key_raises_with_exit_code_2_and_the_located_message(tmp_path):
    with pytest.raises(relocant.RelocantError) as caught:
        relocant.run(set={"arrivals.persons_per_agen": 400})
    error = caught.value
    assert error.exit_code == 2
    assert "--set:1:10: unknown key `arrivals.persons_per_agen`" in error.stderr
    assert "did you mean `persons_per_agent`?" in error.stderr
    assert "exit code 2, bad input" in str(error) and "persons_per_agen" in str(error)
    assert error.command[1] == "run"
    assert not (tmp_path / "relocant-output").exists()  # refused before anything is written

    # ... and in a scenario file, located by file:line:col
    bad = tmp_path / "mine.toml"
    bad.write_text('name = "mine"\n[housing]\nshelter_max_day = 3\n')
    with pytest.raises(relocant.RelocantError) as caught:
        relocant.run(bad, set=SMALL)
    assert caught.value.exit_code == 2
    assert f"{bad}:3:1: unknown key `housing.shelter_max_day`" in caught.value.stderr


def test_scenario_file_seed_jobs_and_sets_as_a_list_reach_the_run():
    run = relocant.run(
        SCENARIOS / "no_border_run_ban.toml",
        replicates=1,
        seed=7,
        jobs=1,
        set=["arrivals.persons_per_agent=400", "policy.rvp.employment.processing_days=20"],
    )
    assert run.dir.name.startswith("no_border_run_ban-")
    assert run.manifest["seed"] == 7 and run.scenario["seed"] == 7
    assert run.manifest["threads"] == 1
    assert run.scenario["name"] == "no_border_run_ban"
    assert run.scenario["policy"]["rvp"]["employment"]["processing_days"] == 20


def test_set_values_keep_their_toml_types():
    np = pytest.importorskip("numpy")
    from relocant._cli import set_args, set_value

    assert set_value(True) == "true" and set_value(np.bool_(False)) == "false"
    assert set_value(np.float64(0.25)) == "0.25" and set_value(np.int64(3)) == "3"
    assert set_value(dt.date(2023, 6, 1)) == "2023-06-01"
    assert set_value(["almaty", 2]) == '["almaty", 2]'
    assert set_args("a.b=1") == ["--set", "a.b=1"]
    assert set_args({"a.b": 1.5, "c": "x"}) == ["--set", "a.b=1.5", "--set", "c=x"]
    # A date object reaches the scenario as a TOML date.
    run = relocant.run(
        replicates=1, set={**SMALL, "policy.border_run_ban.date": dt.date(2023, 6, 1)}
    )
    assert run.scenario["policy"]["border_run_ban"]["date"] == dt.date(2023, 6, 1)


def test_plots_true_draws_the_figures():
    run = relocant.run(replicates=1, set=SMALL, plots=True)
    names = {path.name for path in run.figures}
    assert {"outcomes.png", "outcomes.svg", "outcomes.pdf", "survival.png"} <= names
    assert "--no-plots" not in run.manifest["command_line"]


def test_a_posterior_adds_its_draws():
    run = relocant.run(
        SCENARIOS / "calibrated.toml",
        replicates=REPLICATES,
        posterior=POSTERIOR,
        draws=2,
        set=SMALL,
    )
    assert {"draws", "posterior"} <= set(run.tables)  # loaded without being named anywhere
    assert sorted(run.draws["draw"]) == [0, 1]
    assert run.manifest["posterior"] is not None


def test_load_run_reads_back_what_run_wrote(tmp_path):
    pl = pytest.importorskip("polars")
    written = relocant.run(out=tmp_path / "r", replicates=REPLICATES, set=SMALL)

    loaded = relocant.load_run(tmp_path / "r")
    assert loaded.dir == written.dir
    assert set(loaded.tables) == set(written.tables)
    for name in written.tables:
        pd.testing.assert_frame_equal(loaded.tables[name], written.tables[name])
    assert loaded.manifest == written.manifest
    assert loaded.scenario == written.scenario
    assert loaded.stdout == ""

    as_polars = relocant.load_run(tmp_path / "r", frame="polars")
    assert isinstance(as_polars.daily, pl.DataFrame)
    assert as_polars.daily["present"].to_list() == written.daily["present"].to_list()


def test_load_run_loads_csv_files_it_does_not_know(tmp_path):
    written = relocant.run(out=tmp_path / "r", replicates=1, set=SMALL)
    copy = tmp_path / "copy"
    shutil.copytree(written.dir, copy)
    (copy / "daily.csv").rename(copy / "daily_v2.csv")  # a renamed file
    (copy / "migrants_by_city.csv").write_text("date,city,present\n2023-01-01,almaty,5\n")
    (copy / "notes.csv").write_text("date,note\n2023-03,a month\n")  # not a day: kept as text
    (copy / "empty.csv").write_text("")

    for frame in ("pandas", "polars"):
        loaded = relocant.load_run(copy, frame=frame)
        assert "daily" not in loaded.tables
        assert len(loaded.daily_v2) == len(written.daily)
        assert loaded.migrants_by_city["city"].to_list() == ["almaty"]
        assert loaded.notes["date"].to_list() == ["2023-03"]
        assert len(loaded.empty) == 0
    pandas_loaded = relocant.load_run(copy)
    assert pd.api.types.is_datetime64_any_dtype(pandas_loaded.migrants_by_city["date"])
    with pytest.raises(AttributeError, match="daily_v2"):
        _ = pandas_loaded.daily  # the error lists the tables there are
    assert "migrants_by_city" in dir(pandas_loaded)


def test_load_run_refuses_what_is_not_a_run(tmp_path, sweep_file):
    with pytest.raises(FileNotFoundError):
        relocant.load_run(tmp_path / "nowhere")
    (tmp_path / "plain").mkdir()
    with pytest.raises(ValueError, match="no manifest.json"):
        relocant.load_run(tmp_path / "plain")
    swept = relocant.sweep(sweep_file, out=tmp_path / "s")
    with pytest.raises(ValueError, match="relocant sweep` directory, not a `relocant run` one"):
        relocant.load_run(swept.dir)
    with pytest.raises(ValueError, match="frame must be one of"):
        relocant.run(set=SMALL, frame="arrow")
