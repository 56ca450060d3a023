//! Social capital as a measurable mechanism (issue 3): each ablation scenario switches one
//! channel of help off on the calibrated scenario, and under the same seeds the outcome it carries moves the way the
//! brief says. Scaled-down runs; common random numbers; each scenario simulated once for
//! all the tests here (`common::runs`).

use std::path::Path;

use relocant::calendar::Date;
use relocant::engine::RunResult;
use relocant::model::agents::{Help, Legal, Reason};
use relocant::scenario::Scenario;

mod common;

const REPS: u32 = 6;

/// `REPS` replicates of `scenarios/FILE` with `sets`, simulated once for all the tests here.
fn runs_with(file: &str, sets: &[&str]) -> (Scenario, Vec<RunResult>) {
    common::runs::runs(file, sets, REPS)
}

fn runs(file: &str) -> (Scenario, Vec<RunResult>) {
    runs_with(file, &[])
}

fn day(sc: &Scenario, date: &str) -> usize {
    sc.day_of(Date::parse(date).unwrap()) as usize
}

/// Sum over replicates of a quantity of one day's record.
fn total(
    runs: &[RunResult],
    d: usize,
    f: impl Fn(&relocant::model::observe::DayRecord) -> u64,
) -> u64 {
    runs.iter().map(|r| f(&r.days[d])).sum()
}

fn end(sc: &Scenario) -> usize {
    sc.days() as usize - 1
}

#[test]
fn switching_off_mutual_aid_lowers_integration_and_raises_early_returns() {
    let (sc, base) = runs("calibrated.toml");
    let (_, off) = runs("ablation/no_mutual_aid.toml");
    let integrated = |r: &[RunResult]| total(r, end(&sc), |x| u64::from(x.integrated));
    assert!(
        integrated(&off) < integrated(&base),
        "integrated: off {} vs on {}",
        integrated(&off),
        integrated(&base)
    );
    let early = |r: &[RunResult]| total(r, day(&sc, "2022-12-31"), |x| u64::from(x.returned));
    assert!(
        early(&off) > early(&base),
        "early returns: off {} vs on {}",
        early(&off),
        early(&base)
    );
    // No help flows between people in Kazakhstan (information from open channels and
    // support from home are not mutual aid here).
    for kind in [Help::Bed, Help::Job, Help::Money] {
        let n: u64 = off
            .iter()
            .flat_map(|r| &r.days)
            .map(|x| u64::from(x.help[kind as usize]))
            .sum();
        assert_eq!(n, 0, "{kind:?}");
    }
}

#[test]
fn switching_off_job_referrals_removes_jobs_found_through_ties_and_lowers_local_employment() {
    let (sc, base) = runs("calibrated.toml");
    let (_, off) = runs("ablation/no_job_referrals.toml");
    let d = day(&sc, "2023-06-01");
    assert!(total(&base, d, |x| u64::from(x.job_via_tie)) > 0);
    assert_eq!(total(&off, d, |x| u64::from(x.job_via_tie)), 0);
    let share = |r: &[RunResult]| {
        total(r, d, |x| u64::from(x.local_job)) as f64
            / total(r, d, |x| u64::from(x.present)) as f64
    };
    assert!(
        share(&off) < share(&base),
        "local employment: off {} vs on {}",
        share(&off),
        share(&base)
    );
}

#[test]
fn switching_off_information_sharing_slows_the_way_to_long_stay_status() {
    let (sc, base) = runs("calibrated.toml");
    let (_, off) = runs("ablation/no_information_sharing.toml");
    let d = day(&sc, "2023-01-27");
    let long = |r: &[RunResult]| {
        total(r, d, |x| {
            u64::from(x.legal[Legal::Rvp as usize] + x.legal[Legal::Vnzh as usize])
        }) as f64
            / total(r, d, |x| u64::from(x.present)) as f64
    };
    assert!(
        long(&off) < long(&base),
        "long-stay share at the ban: off {} vs on {}",
        long(&off),
        long(&base)
    );
    let iin = |r: &[RunResult]| total(r, day(&sc, "2022-10-04"), |x| u64::from(x.iin_issued));
    assert!(
        iin(&off) < iin(&base),
        "IINs by 2022-10-04: off {} vs on {}",
        iin(&off),
        iin(&base)
    );
}

#[test]
fn switching_off_online_communities_leaves_fewer_co_migrant_ties() {
    let (sc, base) = runs("calibrated.toml");
    let (_, off) = runs("ablation/no_online_communities.toml");
    let d = day(&sc, "2023-06-01");
    let ties = |r: &[RunResult]| {
        total(r, d, |x| x.ties[0]) as f64 / total(r, d, |x| u64::from(x.present)) as f64
    };
    assert!(
        ties(&off) < ties(&base) * 0.8,
        "co-migrant ties per migrant: off {} vs on {}",
        ties(&off),
        ties(&base)
    );
    assert_eq!(
        total(&off, d, |x| u64::from(x.online_info + x.online_community)),
        0
    );
    assert!(total(&base, d, |x| u64::from(x.online_community)) > 0);
}

#[test]
fn switching_off_transnational_support_removes_the_help_from_home_but_not_home() {
    // The switch removes help (support, transfers, therapy), not family: ties home still
    // form and still pull home, so the ablation's net effect comes out of behaviour.
    let (sc, base) = runs("calibrated.toml");
    let (_, off) = runs("ablation/no_transnational_support.toml");
    let d = day(&sc, "2023-01-15");
    let home = |r: &[RunResult]| {
        total(r, d, |x| x.ties[2]) as f64 / total(r, d, |x| u64::from(x.present)) as f64
    };
    assert!(
        home(&off) > 0.5 * home(&base) && home(&off) > 1.0,
        "ties home per migrant: off {} vs on {}",
        home(&off),
        home(&base)
    );
    let e = end(&sc);
    let family = |r: &[RunResult]| total(r, e, |x| u64::from(x.left_for(Reason::Family)));
    assert!(family(&off) > 0, "home still pulls");
    // Its money side alone: where every family sends money, stopping the transfers makes
    // more leave for money reasons.
    let with = |transfers: bool| {
        let sets = [
            "profile.family_support_share=1.0",
            &format!("money.family_transfers_enabled={transfers}"),
        ];
        runs_with("baseline.toml", &sets).1
    };
    let money = |r: &[RunResult]| total(r, e, |x| u64::from(x.left_for(Reason::Money)));
    let (poor, helped) = (with(false), with(true));
    assert!(
        money(&poor) > money(&helped),
        "money departures: no transfers {} vs transfers {}",
        money(&poor),
        money(&helped)
    );
}

#[test]
fn switching_off_shelters_raises_early_returns_for_housing() {
    // The baseline's shelters hold a few hundred people, a handful of agents at this scale;
    // with room for thousands in both arms the ablation's effect stands out of the noise.
    let with = |file: &str| {
        let sets = [
            "cities.almaty.shelter_beds=20000",
            "cities.astana.shelter_beds=15000",
            "policy.shelters.almaty_colivings.beds=20000",
        ];
        runs_with(file, &sets)
    };
    let (sc, base) = with("calibrated.toml");
    let (_, off) = with("ablation/no_shelters.toml");
    let d = day(&sc, "2022-12-31");
    let early = |r: &[RunResult]| total(r, d, |x| u64::from(x.returned));
    assert!(
        early(&off) > early(&base),
        "early returns: off {} vs on {}",
        early(&off),
        early(&base)
    );
    let sheltered = |r: &[RunResult]| -> u64 {
        r.iter()
            .flat_map(|x| &x.days)
            .map(|x| u64::from(x.housing[5]))
            .sum()
    };
    assert!(sheltered(&base) > 0);
    assert_eq!(sheltered(&off), 0);
}

#[test]
fn bed_help_and_the_guest_limit_house_people_through_ties() {
    let (sc, base) = runs("baseline.toml");
    let d = day(&sc, "2022-11-01");
    assert!(total(&base, d, |x| u64::from(x.housed_via_tie)) > 0);
    let beds: u64 = base
        .iter()
        .flat_map(|r| &r.days)
        .map(|x| u64::from(x.help[Help::Bed as usize]))
        .sum();
    assert!(beds > 0);
    // A host may take nobody in: then no beds flow.
    let (_, r) = common::runs::runs("baseline.toml", &["social.max_guests=0"], 2);
    let beds: u64 = r
        .iter()
        .flat_map(|r| &r.days)
        .map(|x| u64::from(x.help[Help::Bed as usize]))
        .sum();
    assert_eq!(beds, 0);
}

#[test]
fn the_baseline_share_of_jobs_found_through_ties_among_long_stayers_is_inside_the_target_band() {
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibration/targets.csv");
    let text = std::fs::read_to_string(&targets).expect("the shipped targets");
    let row = text
        .lines()
        .find(|l| l.starts_with("share_local_job_via_ties_among_5plus_months,"))
        .expect("target row");
    let f: Vec<&str> = row.split(',').collect();
    let (low, high): (f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
    let (sc, base) = runs("baseline.toml");
    let d = day(&sc, &format!("{}-15", f[1]));
    let share = total(&base, d, |x| u64::from(x.job_via_tie_150d)) as f64
        / total(&base, d, |x| u64::from(x.present_150d)) as f64;
    assert!(
        share >= low && share <= high,
        "share {share} outside [{low}, {high}]"
    );
}
