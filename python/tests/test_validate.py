"""relocant.validate and relocant.load_validation against the real binary."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPLICATES, SCENARIOS, SMALL, TARGETS

import relocant


def test_validate_returns_the_fit_table(tmp_path):
    fit = relocant.validate(targets=TARGETS, replicates=REPLICATES, set=SMALL)

    assert isinstance(fit, relocant.Validation)
    assert fit.dir.parent == (tmp_path / "relocant-output").resolve()
    assert fit.dir.name.startswith("validate-baseline-")
    targets = pd.read_csv(TARGETS)
    table = fit.fit
    # One row per target (older binaries add an `overall` row; newer ones write it to a
    # file of its own).
    assert [t for t in table["target"] if t != "overall"] == list(targets["key"])
    assert {"observed", "low", "high", "sim_mean", "sim_q05", "sim_q95", "inside"} <= set(
        table.columns
    )
    # Month targets keep their written date ("2023-03"), so `date` stays text here.
    assert "2023-03" in set(table["date"])
    assert fit.fit_md.startswith("# Fit of `baseline`")
    assert "targets inside their band" in fit.stdout
    # Older binaries write no manifest.json for validate; newer ones do.
    assert fit.manifest.get("command", "validate") == "validate"
    assert fit.scenario["arrivals"]["persons_per_agent"] == 400
    assert fit.scenario["replicates"] == REPLICATES


def test_validate_a_scenario_file_with_a_posterior_and_load_it_back(tmp_path):
    pl = pytest.importorskip("polars")
    out = tmp_path / "v"
    fit = relocant.validate(
        SCENARIOS / "calibrated.toml",
        targets=TARGETS,
        out=out,
        replicates=REPLICATES,
        seed=3,
        posterior=SCENARIOS / "calibration" / "posterior.csv",
        draws=2,
        jobs=1,
        set=SMALL,
        frame="polars",
    )
    assert isinstance(fit.fit, pl.DataFrame)
    assert fit.scenario["name"] == "calibrated" and fit.scenario["seed"] == 3

    loaded = relocant.load_validation(out, frame="polars")
    assert loaded.fit.equals(fit.fit)
    assert loaded.fit_md == fit.fit_md
    assert loaded.manifest == fit.manifest
    # A directory from a binary that wrote no manifest.json for validate still loads.
    (out / "manifest.json").unlink(missing_ok=True)
    assert relocant.load_validation(out).manifest == {}
    with pytest.raises(FileExistsError):
        relocant.validate(targets=TARGETS, out=out, set=SMALL)
    forced = relocant.validate(targets=TARGETS, out=out, replicates=1, set=SMALL, force=True)
    assert forced.scenario["name"] == "baseline"


def test_bad_targets_raise_with_exit_code_2(tmp_path):
    bad = tmp_path / "targets.csv"
    bad.write_text("key,date,value,low,high,unit\nstock_in_kz,2022-10-04,5,1,9,apples\n")
    with pytest.raises(relocant.RelocantError) as caught:
        relocant.validate(targets=bad, set=SMALL)
    assert caught.value.exit_code == 2
    assert f"{bad}:2:" in caught.value.stderr
    with pytest.raises(ValueError, match="relocant run` directory, not a `relocant validate` one"):
        relocant.load_validation(relocant.run(replicates=1, set=SMALL).dir)
