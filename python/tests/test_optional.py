"""Optional dependencies: a clear ImportError when polars or the EMA Workbench is missing,
and relocant.read_csv on its own."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from conftest import SMALL

import relocant


def test_frame_polars_without_polars_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)  # makes `import polars` fail
    with pytest.raises(ImportError, match="pip install polars"):
        relocant.run(set=SMALL, frame="polars")


def test_the_ema_adapter_without_the_workbench_says_what_to_install(monkeypatch):
    from relocant import ema

    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(ImportError, match="pip install ema_workbench"):
        ema.model(uncertainties={"decisions.money": (1.0, 3.0)})


def test_read_csv_reads_one_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("date,value\n2023-01-27,1.5\n2023-07-01,2\n")
    table = relocant.read_csv(path)
    assert pd.api.types.is_datetime64_any_dtype(table["date"])
    assert table["value"].tolist() == [1.5, 2.0]
    pl = pytest.importorskip("polars")
    as_polars = relocant.read_csv(path, frame="polars")
    assert as_polars.schema["date"] == pl.Date
