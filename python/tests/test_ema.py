"""relocant.ema: experiments through the EMA Workbench's perform_experiments, for real."""

from __future__ import annotations

import pytest
from conftest import SMALL

ema = pytest.importorskip("ema_workbench")

import relocant  # noqa: E402
from relocant import ema as relocant_ema  # noqa: E402


def test_parameters_from_scenario_keys():
    made = relocant_ema.parameters(
        {
            "decisions.money": (1.0, 3.0),
            "policy.rvp.employment.processing_days": (15, 60),
            "policy.border_run_ban.date": ["2023-01-27", "2023-07-01"],
        }
    )
    money, days, ban = made
    assert isinstance(money, ema.RealParameter) and money.name == "decisions_money"
    assert money.variable_name == ["decisions.money"]
    assert (
        isinstance(days, ema.IntegerParameter)
        and days.name == "policy_rvp_employment_processing_days"
    )
    assert isinstance(ban, ema.CategoricalParameter)
    assert relocant_ema.parameters(None) == []
    # A pair of non-numbers is two categories, not a range.
    (pair,) = relocant_ema.parameters({"policy.border_run_ban.date": ("2023-01-27", "2023-07-01")})
    assert isinstance(pair, ema.CategoricalParameter)
    given = ema.RealParameter("money", 1.0, 2.0, variable_name="decisions.money")
    assert relocant_ema.parameters([given]) == [given]
    with pytest.raises(TypeError, match="decisions.money"):
        relocant_ema.parameters({"decisions.money": 2.0})


def test_perform_experiments_runs_relocant_per_experiment():
    model = relocant_ema.model(
        "relocant",
        uncertainties={"decisions.money": (1.0, 3.0)},
        levers=[
            ema.CategoricalParameter(
                "ban", ["2023-01-27", "2023-07-01"], variable_name="policy.border_run_ban.date"
            )
        ],
        set=[f"{key}={value}" for key, value in SMALL.items()],
        replicates=2,
        series=("present", "integrated"),
    )
    experiments, outcomes = ema.perform_experiments(model, scenarios=2, policies=2)

    assert len(experiments) == 4  # 2 scenarios x 2 policies
    assert set(experiments["ban"]) == {"2023-01-27", "2023-07-01"}
    for share in relocant_ema.SHARES:
        assert outcomes[share].shape == (4,)
        assert ((outcomes[share] >= 0) & (outcomes[share] <= 1)).all()
    days = relocant.run(replicates=1, set=SMALL).manifest["days"]
    assert outcomes["present"].shape == (4, days)
    assert outcomes["integrated"].shape == (4, days)

    # Each experiment is exactly a relocant run with its values set.
    row = experiments.iloc[3]
    direct = relocant.run(
        replicates=2,
        set={
            **SMALL,
            "decisions.money": row["decisions_money"],
            "policy.border_run_ban.date": row["ban"],
        },
    )
    summary = direct.summary
    mean = summary.loc[summary["replicate"].notna(), "share_integrated"].mean()
    assert outcomes["share_integrated"][3] == pytest.approx(mean)
    by_day = direct.daily.groupby("day")["present"].mean().to_numpy()
    assert outcomes["present"][3] == pytest.approx(by_day)
