//! The population keeps moving after 2023 (issue 10): on the baseline, both exit flows stay
//! positive every quarter after mid-2023, and no legal status, employment or housing
//! category takes more than 95% of those present. Scaled-down runs (1 agent = 50 persons),
//! each scenario simulated once for all the tests here (`common::runs`).

use relocant::calendar::Date;
use relocant::engine::RunResult;
use relocant::model::observe::DayRecord;
use relocant::scenario::Scenario;

mod common;

const REPS: u32 = 4;
const SCALE: &str = "arrivals.persons_per_agent=50";

fn runs(file: &str) -> (Scenario, Vec<RunResult>) {
    common::runs::runs(file, &[SCALE], REPS)
}

fn day(sc: &Scenario, date: &str) -> usize {
    sc.day_of(Date::parse(date).unwrap()) as usize
}

/// Quarter ends from mid-2023 to the end of 2024.
const QUARTERS: [&str; 7] = [
    "2023-06-30",
    "2023-09-30",
    "2023-12-31",
    "2024-03-31",
    "2024-06-30",
    "2024-09-30",
    "2024-12-31",
];

#[test]
fn both_exit_flows_stay_positive_every_quarter_after_mid_2023() {
    let (sc, runs) = runs("baseline.toml");
    for run in &runs {
        for w in QUARTERS.windows(2) {
            let (a, b) = (&run.days[day(&sc, w[0])], &run.days[day(&sc, w[1])]);
            let present = f64::from(a.present);
            let moved = f64::from(b.moved_on - a.moved_on) / present;
            // Returns as events: a returnee who came back is no longer in `returned`.
            let returns = |r: &DayRecord| r.returned + r.reentries;
            let returned = f64::from(returns(b) - returns(a)) / present;
            // At least 0.5% of those present leave each way each quarter (the calibrated
            // model of version 0.1 moved about 1% a half-year after mid-2023).
            assert!(
                moved > 0.005 && returned > 0.005,
                "{} to {}: moved on {moved:.4}, returned {returned:.4} of those present",
                w[0],
                w[1]
            );
        }
    }
}

/// One family of categories of a day's record (legal status, housing, employment).
type Category = fn(&DayRecord) -> &[u32];

#[test]
fn no_status_job_or_housing_category_saturates_above_95_percent_after_mid_2023() {
    let (sc, runs) = runs("baseline.toml");
    let categories: [(&str, Category); 3] = [
        ("legal status", |r| &r.legal[..]),
        ("housing", |r| &r.housing[..]),
        ("employment", |r| &r.employment[..]),
    ];
    let from = day(&sc, "2023-07-01");
    let mut highest = 0.0f64;
    for run in &runs {
        for (d, r) in run.days.iter().enumerate().skip(from) {
            for (what, of) in &categories {
                for (k, &n) in of(r).iter().enumerate() {
                    let share = f64::from(n) / f64::from(r.present);
                    highest = highest.max(share);
                    assert!(
                        share <= 0.95,
                        "{what} category {k} holds {share:.3} of those present on day {d}"
                    );
                }
            }
        }
    }
    assert!(highest > 0.5, "the shares were read: highest {highest}");
}
