//! The engine's behaviour: conservation, reproducibility, and mechanisms that move the
//! outcomes the way the brief says. Runs are scaled down (one agent for many persons) so
//! the suite stays fast; comparisons use the same seeds (common random numbers). Each
//! scenario's replicates are simulated once for all the tests here (`common::runs`).

use std::path::Path;

use relocant::calendar::Date;
use relocant::engine::{RunResult, run_replicates};
use relocant::model::agents::{Legal, Reason};
use relocant::scenario::Scenario;

mod common;
use common::runs::runs;

fn day(sc: &Scenario, date: &str) -> usize {
    sc.day_of(Date::parse(date).expect("date")) as usize
}

/// Departures (all reasons) between two dates, summed over replicates.
fn departures_between(sc: &Scenario, runs: &[RunResult], from: &str, to: &str) -> i64 {
    let (a, b) = (day(sc, from), day(sc, to));
    runs.iter()
        .map(|r| {
            let left = |d: usize| i64::from(r.days[d].moved_on + r.days[d].returned);
            left(b) - left(a)
        })
        .sum()
}

#[test]
fn every_row_conserves_people_and_its_breakdowns_sum_to_present() {
    let (_, runs) = runs("baseline.toml", &[], 3);
    for r in runs {
        for (d, row) in r.days.iter().enumerate() {
            assert_eq!(
                row.arrived,
                row.present + row.moved_on + row.returned,
                "each person counted once, where it is: day {d}"
            );
            assert!(row.overstays <= row.stays_ended, "day {d}");
            assert!(
                row.left_for(Reason::Deported) <= row.overstay_fines,
                "every deportation follows a catch, day {d}"
            );
            assert!(row.integrated <= row.present, "day {d}");
            // By city: the same people, split where they live (or lived, for those gone).
            let sum = |a: &[u32]| a.iter().sum::<u32>();
            assert_eq!(
                sum(&row.present_in),
                row.present,
                "present by city, day {d}"
            );
            assert_eq!(sum(&row.channel), row.present, "by ruble channel, day {d}");
            assert_eq!(
                sum(&row.integrated_in),
                row.integrated,
                "integrated by city, day {d}"
            );
            assert_eq!(
                sum(&row.arrived_in),
                row.arrived,
                "arrived by city, day {d}"
            );
            assert_eq!(
                sum(&row.gone_from),
                row.moved_on + row.returned,
                "gone, day {d}"
            );
            assert_eq!(sum(&row.moved_into), row.city_moves, "moves in, day {d}");
            assert_eq!(sum(&row.moved_out_of), row.city_moves, "moves out, day {d}");
            // Each city gains its arrivals and those who moved in, and loses those who left
            // Kazakhstan from it and those who moved to another city.
            for c in 0..row.present_in.len() {
                assert_eq!(
                    row.arrived_in[c] + row.moved_into[c],
                    row.present_in[c] + row.gone_from[c] + row.moved_out_of[c],
                    "city {c}, day {d}"
                );
            }
            assert_eq!(row.legal.iter().sum::<u32>(), row.present, "legal, day {d}");
            // Everyone holding an RVP or VNZh got an RVP first (VNZh only follows an RVP).
            assert!(
                row.legal[2] + row.legal[3] <= row.rvp_granted.iter().sum::<u32>(),
                "long-stay status without a grant, day {d}"
            );
            assert!(row.vnzh_granted.iter().sum::<u32>() <= row.rvp_granted.iter().sum::<u32>());
            assert_eq!(
                row.housing.iter().sum::<u32>(),
                row.present,
                "housing, day {d}"
            );
            assert_eq!(
                row.employment.iter().sum::<u32>(),
                row.present,
                "employment, day {d}"
            );
            assert_eq!(
                row.left.iter().sum::<u32>(),
                row.moved_on + row.returned,
                "reasons, day {d}"
            );
            assert_eq!(
                row.moved_to.iter().sum::<u32>(),
                row.moved_on,
                "destinations, day {d}"
            );
        }
    }
}

#[test]
fn a_panel_follows_exactly_those_present_on_its_date_and_departures_move_them_out() {
    let (sc, runs) = runs("baseline.toml", &[], 3);
    let p = &sc.observation.panels[0];
    let (d, h) = (sc.day_of(p.date) as usize, p.horizon_days as usize);
    for r in &runs {
        let panel = r.panels[0];
        assert_eq!(panel.present, r.days[d].present, "the day's stock");
        assert_eq!(
            panel.present,
            panel.still_present + panel.moved_on + panel.returned
        );
        // Of the departures in the year, those of the panel: never more than all of them,
        // and all departures of the year are of people present on the date or arrived later.
        // Departures to Russia as events: returnees who came back are no longer `returned`.
        let returns = |x: usize| r.days[x].returned + r.days[x].reentries;
        let returned = returns(d + h) - returns(d);
        let moved_on = r.days[d + h].moved_on - r.days[d].moved_on;
        assert!(panel.returned <= returned && panel.moved_on <= moved_on);
        // Each departure ends a stay: a panel member's stay at the date (gone at the
        // horizon, or back again by a re-entry since) or a stay begun since (an arrival or
        // a re-entry).
        let reentered = r.days[d + h].reentries - r.days[d].reentries;
        let entered_since = r.days[d + h].arrived - r.days[d].arrived + reentered;
        assert!(returned + moved_on <= panel.returned + panel.moved_on + reentered + entered_since);
        assert!(panel.returned > 0 && panel.still_present > 0);
    }
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_does_not() {
    let (sc, a) = runs("baseline.toml", &[], 2);
    let b = run_replicates(&sc, 2, 1, &|| {});
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.days, y.days, "thread count changed the results");
    }
    assert_ne!(a[0].days, a[1].days, "replicates must differ");
    let (_, other) = runs("baseline.toml", &["seed=7"], 1);
    assert_ne!(other[0].days, a[0].days);
}

#[test]
fn the_border_run_ban_raises_departures_in_the_weeks_after_it() {
    let (with_ban, a) = runs("baseline.toml", &[], 6);
    let (without, b) = runs("no_border_run_ban.toml", &[], 6);
    let window = ("2023-01-27", "2023-04-27");
    let banned = departures_between(&with_ban, &a, window.0, window.1);
    let free = departures_between(&without, &b, window.0, window.1);
    assert!(banned > free, "ban {banned} vs no ban {free}");
    // Returnees who come back and leave again add departures to both worlds (more without
    // the ban, whose 90-in-180 window keeps them out): without re-entry the ban's own
    // effect shows alone.
    let off = ["legal.reentry_enabled=false"];
    let (with_ban_only, c) = runs("baseline.toml", &off, 6);
    let (without_only, d) = runs("no_border_run_ban.toml", &off, 6);
    let banned = departures_between(&with_ban_only, &c, window.0, window.1);
    let free = departures_between(&without_only, &d, window.0, window.1);
    assert!(
        banned > free * 6 / 5,
        "without re-entry: ban {banned} vs no ban {free}"
    );
    // Before the ban is announced the two worlds are the same.
    assert_eq!(
        a[0].days[day(&with_ban, "2022-12-30")],
        b[0].days[day(&without, "2022-12-30")]
    );
}

#[test]
fn blocking_mir_cards_raises_departures_for_money_reasons() {
    // Everyone depends on MIR here: no Kazakh card transfers and no crypto.
    let dependent = ["money.kz_card_enabled=false", "money.crypto_enabled=false"];
    let money = |file: &str, sets: &[&str]| -> u32 {
        runs(file, sets, 6)
            .1
            .iter()
            .map(|r| r.days.last().unwrap().left_for(Reason::Money))
            .sum()
    };
    let (b, o) = (
        money("mir_full_block.toml", &dependent),
        money("mir_no_limits.toml", &dependent),
    );
    assert!(b > o * 3 / 2, "blocked {b} vs open {o}");

    // With the other channels open as in the baseline, the block still bites, less.
    let (b2, o2) = (
        money("mir_full_block.toml", &[]),
        money("mir_no_limits.toml", &[]),
    );
    assert!(b2 > o2, "blocked {b2} vs open {o2}");
    assert!(b2 - o2 < b - o, "other channels soften the block");
}

/// Returns to Russia by the end of 2022, summed over replicates.
fn early_returns(sc: &Scenario, runs: &[RunResult]) -> u32 {
    let d = day(sc, "2022-12-31");
    runs.iter().map(|r| r.days[d].returned).sum()
}

#[test]
fn more_ties_lower_early_returns() {
    let early = |sets: &[&str]| {
        let (sc, r) = runs("baseline.toml", sets, 6);
        early_returns(&sc, &r)
    };
    let (a, b) = (
        early(&[
            "profile.friends_in_kz_share=0.0",
            "ties.chat_meeting_prob_per_day=0.0",
        ]),
        early(&[
            "profile.friends_in_kz_share=0.8",
            "ties.chat_meeting_prob_per_day=0.05",
        ]),
    );
    assert!(b < a, "many ties {b} vs few {a}");
    // Switching ties off also removes the pull of ties at home; compare without it.
    let (c, d) = (
        early(&["ties.enabled=false", "ties.transnational_initial=0"]),
        early(&["ties.transnational_initial=0"]),
    );
    assert!(d < c, "with ties {d} vs without {c}");
}

#[test]
fn larger_shelters_lower_early_returns() {
    let early = |sets: &[&str]| {
        let (sc, r) = runs("baseline.toml", sets, 6);
        early_returns(&sc, &r)
    };
    let (a, b) = (
        early(&[
            "cities.almaty.shelter_beds=0",
            "policy.shelters.almaty_colivings.beds=0",
        ]),
        early(&[
            "cities.almaty.shelter_beds=20000",
            "cities.astana.shelter_beds=15000",
            "policy.shelters.almaty_colivings.beds=20000",
        ]),
    );
    assert!(b < a, "large shelters {b} vs none {a}");
}

#[test]
fn switching_off_a_mechanism_changes_the_run() {
    let (_, base) = runs("baseline.toml", &[], 1);
    for switch in [
        "legal.enabled=false",
        "money.enabled=false",
        "housing.enabled=false",
        "labour.enabled=false",
        "ties.enabled=false",
        "wellbeing.enabled=false",
        "decisions.enabled=false",
        "mobility.enabled=false",
    ] {
        let (_, other) = runs("baseline.toml", &[switch], 1);
        assert_ne!(
            other[0].days.last(),
            base[0].days.last(),
            "{switch} had no effect"
        );
    }
    // Without decisions nobody leaves by choice: only transit and deportation remain.
    let (_, stay) = runs(
        "baseline.toml",
        &["decisions.enabled=false", "legal.enabled=false"],
        1,
    );
    let last = stay[0].days.last().unwrap();
    assert_eq!(
        last.moved_on + last.returned,
        last.left_for(Reason::Transit)
    );
}

#[test]
fn a_second_mobilization_wave_brings_arrivals_and_its_fear_holds_back_returns() {
    let (_, a) = runs("baseline.toml", &[], 4);
    let (wave, b) = runs("second_mobilization_wave.toml", &[], 4);
    let (_, c) = runs(
        "second_mobilization_wave.toml",
        &["policy.mobilization_waves.autumn_2023.fear=0"],
        4,
    );
    let arrived = |r: &[RunResult]| r[0].days.last().unwrap().arrived;
    assert_eq!(
        arrived(&b) - arrived(&a),
        1500,
        "150000 persons at 100 per agent"
    );
    let returns = |runs: &[RunResult]| -> u32 {
        let (x, y) = (day(&wave, "2023-09-21"), day(&wave, "2024-03-31"));
        runs.iter()
            .map(|r| r.days[y].returned - r.days[x].returned)
            .sum()
    };
    assert!(
        returns(&b) < returns(&c),
        "with fear {} vs without {}",
        returns(&b),
        returns(&c)
    );
}

#[test]
fn the_hand_set_baseline_puts_the_late_november_stock_inside_the_target_band() {
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibration/targets.csv");
    let text = std::fs::read_to_string(&targets).expect("the shipped targets");
    let row = text
        .lines()
        .find(|l| l.starts_with("stock_in_kz_2022_11_29,"))
        .expect("target row");
    let f: Vec<&str> = row.split(',').collect();
    let (low, high): (f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
    let (sc, runs) = runs("baseline.toml", &[], 4);
    let d = day(&sc, f[1]);
    let mean = runs
        .iter()
        .map(|r| f64::from(r.days[d].present) * 100.0)
        .sum::<f64>()
        / 4.0;
    assert!(
        mean >= low && mean <= high,
        "stock {mean} outside [{low}, {high}]"
    );
}

#[test]
fn an_announced_mir_block_lets_migrants_move_money_in_time() {
    // Everyone depends on MIR, which works without limits until a block in 2024 that comes
    // as a surprise, or is announced 60 days ahead.
    let base = [
        "money.kz_card_enabled=false",
        "money.crypto_enabled=false",
        "policy.mir.stop_2024.mode=blocked",
    ];
    let mut warned_sets = base.to_vec();
    warned_sets.push("policy.mir.stop_2024.announced=2023-12-29");
    let (surprise, a) = runs("mir_no_limits.toml", &base, 6);
    let (warned, b) = runs("mir_no_limits.toml", &warned_sets, 6);
    let money_after = |sc: &Scenario, runs: &[RunResult]| -> u32 {
        let (x, y) = (day(sc, "2024-02-27"), day(sc, "2024-08-31"));
        runs.iter()
            .map(|r| r.days[y].left_for(Reason::Money) - r.days[x].left_for(Reason::Money))
            .sum()
    };
    let (s, w) = (money_after(&surprise, &a), money_after(&warned, &b));
    assert!(
        w < s,
        "money departures after the block: warned {w} vs surprise {s}"
    );
    // Nothing differs before the announcement.
    let d = day(&surprise, "2023-12-28");
    assert_eq!(a[0].days[d], b[0].days[d]);
}

#[test]
fn stricter_rvp_rules_mean_fewer_long_stay_permits_and_more_legal_departures() {
    let long_stay = |sc: &Scenario, runs: &[RunResult]| -> u32 {
        let d = day(sc, "2023-06-01");
        runs.iter()
            .map(|r| r.days[d].legal[Legal::Rvp as usize] + r.days[d].legal[Legal::Vnzh as usize])
            .sum()
    };
    let legal = |runs: &[RunResult]| -> u32 {
        runs.iter()
            .map(|r| r.days.last().unwrap().left_for(Reason::Legal))
            .sum()
    };
    let (base, b) = runs("baseline.toml", &[], 4);
    let (strict, s) = runs("rvp_strict.toml", &[], 4);
    let (open, o) = runs("rvp_open.toml", &[], 4);
    assert!(long_stay(&strict, &s) < long_stay(&base, &b));
    assert!(long_stay(&open, &o) > long_stay(&base, &b));
    assert!(
        legal(&s) > legal(&b),
        "legal departures: strict {} vs baseline {}",
        legal(&s),
        legal(&b)
    );
    // The paid routes carry permits: closing both lowers them; closing one moves its
    // applicants to the other, which changes the run.
    let (closed, c) = runs(
        "baseline.toml",
        &[
            "policy.rvp.own_company.open=false",
            "policy.rvp.intermediary.open=false",
        ],
        4,
    );
    assert!(long_stay(&closed, &c) < long_stay(&base, &b));
    for route in ["own_company", "intermediary"] {
        let (_, one) = runs(
            "baseline.toml",
            &[&format!("policy.rvp.{route}.open=false")],
            1,
        );
        assert_ne!(one[0].days, b[0].days, "closing {route} changed nothing");
    }
}

#[test]
fn fear_of_mobilization_holds_back_returns_of_draft_age_migrants() {
    // With all migrants older than the draft age and no fear for them, more return.
    let returns = |sets: &[&str]| -> u32 {
        let (sc, runs) = runs("baseline.toml", sets, 4);
        let d = day(&sc, "2023-03-31");
        runs.iter().map(|r| r.days[d].returned).sum()
    };
    let (y, o) = (
        returns(&["profile.age_mean=25", "profile.age_sd=0"]),
        returns(&[
            "profile.age_mean=45",
            "profile.age_sd=0",
            "decisions.fear_older_factor=0",
        ]),
    );
    assert!(o > y, "returns: older {o} vs draft age {y}");
}

#[test]
fn returnees_come_back_and_raise_the_late_stock_unless_re_entry_is_off() {
    let (sc, with) = runs("baseline.toml", &[], 4);
    let (_, without) = runs("baseline.toml", &["legal.reentry_enabled=false"], 4);
    let last = |r: &RunResult| *r.days.last().unwrap();
    let total = |runs: &[RunResult], f: fn(&relocant::model::observe::DayRecord) -> u32| -> u32 {
        runs.iter().map(|r| f(&last(r))).sum()
    };
    assert!(total(&with, |d| d.reentries) > 0, "returnees come back");
    assert_eq!(total(&without, |d| d.reentries), 0);
    assert!(
        total(&with, |d| d.present) > total(&without, |d| d.present),
        "re-entries raise the stock at the end: {} vs {}",
        total(&with, |d| d.present),
        total(&without, |d| d.present)
    );
    // Before the ban the second wave is small: re-entry barely touches the early stock.
    let nov = day(&sc, "2022-11-29");
    for (a, b) in with.iter().zip(&without) {
        assert!(a.days[nov].reentries * 50 < a.days[nov].present);
        assert!(b.days[nov].reentries == 0);
    }
}

#[test]
fn catching_overstayers_more_often_raises_fines_and_deportations() {
    let (_, base) = runs("baseline.toml", &[], 4);
    let (_, strict) = runs(
        "baseline.toml",
        &["legal.overstay_caught_prob_per_day=0.05"],
        4,
    );
    let at_end = |runs: &[RunResult], f: fn(&relocant::model::observe::DayRecord) -> u32| -> u32 {
        runs.iter().map(|r| f(r.days.last().unwrap())).sum()
    };
    let deported = |d: &relocant::model::observe::DayRecord| d.left_for(Reason::Deported);
    assert!(at_end(&base, |d| d.overstays) > 0, "overstaying happens");
    assert!(at_end(&base, deported) > 0, "and is punished");
    assert!(
        at_end(&strict, deported) > at_end(&base, deported),
        "{} vs {}",
        at_end(&strict, deported),
        at_end(&base, deported)
    );
    assert!(at_end(&strict, |d| d.overstay_fines) > at_end(&base, |d| d.overstay_fines));
}

#[test]
fn without_the_overstay_option_nobody_overstays_or_is_deported() {
    let (_, off) = runs("baseline.toml", &["legal.overstay_enabled=false"], 2);
    for r in &off {
        for row in &r.days {
            assert_eq!(row.legal[Legal::Overstay as usize], 0);
            assert_eq!(row.overstays + row.overstay_fines, 0);
            assert_eq!(row.left_for(Reason::Deported), 0);
        }
        assert!(r.days.last().unwrap().stays_ended > 0, "stays still end");
    }
}

/// The `channel_` columns follow the MIR stages (MODEL.md §7.3, §4.11): without Kazakh cards
/// and crypto, those with rubles depend on MIR while it is open and are cut off while it is
/// blocked; with cards, the card carries them through the block.
#[test]
fn the_ruble_channel_columns_follow_the_mir_stages() {
    let only_mir = ["money.kz_card_enabled=false", "money.crypto_enabled=false"];
    let (sc, cut) = runs("baseline.toml", &only_mir, 1);
    let [mir, kz_card, crypto, cash, blocked, _none] = [0, 1, 2, 3, 4, 5];
    let block = &cut[0].days[day(&sc, "2022-11-15")]; // blocked 2022-09-21..12-09
    let limited = &cut[0].days[day(&sc, "2023-06-15")]; // limited from 2022-12-09
    assert_eq!(
        block.channel[mir] + block.channel[kz_card] + block.channel[crypto],
        0
    );
    // Before the border-run ban a migrant cut off from its rubles can still fetch cash.
    assert!(
        block.channel[cash] * 2 > block.present && block.channel[blocked] == 0,
        "{:?}",
        block.channel
    );
    assert!(
        limited.channel[mir] * 2 > limited.present,
        "{:?}",
        limited.channel
    );
    assert_eq!(
        limited.channel[blocked] + limited.channel[cash],
        0,
        "MIR is open (limited) for everyone"
    );

    // MIR never reopens: after the ban nothing is open, and nobody can fetch cash.
    let (sc, full) = runs("mir_full_block.toml", &only_mir, 1);
    let later = &full[0].days[day(&sc, "2023-06-15")];
    assert!(
        later.channel[blocked] * 2 > later.present && later.channel[cash] == 0,
        "{:?}",
        later.channel
    );

    let (sc, base) = runs("baseline.toml", &[], 1);
    let block = &base[0].days[day(&sc, "2022-11-15")];
    assert_eq!(block.channel[mir], 0);
    assert!(
        block.channel[kz_card] > block.channel[blocked] + block.channel[cash],
        "{:?}",
        block.channel
    );
}

#[test]
fn cash_carried_across_the_border_eases_the_2022_mir_block() {
    // Only MIR is open day to day; cash comes on arrival and on border runs, or not at all.
    let only_mir = ["money.kz_card_enabled=false", "money.crypto_enabled=false"];
    let mut no_cash = only_mir.to_vec();
    no_cash.push("money.cash_enabled=false");
    let (sc, with) = runs("baseline.toml", &only_mir, 4);
    let (_, without) = runs("baseline.toml", &no_cash, 4);
    let money_by = |runs: &[RunResult]| -> u32 {
        let d = day(&sc, "2022-12-09");
        runs.iter().map(|r| r.days[d].left_for(Reason::Money)).sum()
    };
    let (w, wo) = (money_by(&with), money_by(&without));
    assert!(
        wo > w + w / 10,
        "money departures during the block: {wo} without cash, {w} with"
    );
}

#[test]
fn migrants_move_from_the_city_with_least_russian_and_demand_unless_switched_off() {
    // Shymkent has the lowest Russian-speaking share (0.4) and among the lowest demand: more
    // leave it for another city than come. Moves are a minority of arrivals.
    let (sc, reps) = runs("baseline.toml", &[], 3);
    let shymkent = sc.cities.iter().position(|c| c.name == "shymkent").unwrap();
    for r in &reps {
        let last = r.days.last().unwrap();
        let share = f64::from(last.city_moves) / f64::from(last.arrived);
        assert!((0.005..0.1).contains(&share), "moves per arrival {share}");
        assert!(
            last.moved_out_of[shymkent] > 2 * last.moved_into[shymkent],
            "out of Shymkent {} vs in {}",
            last.moved_out_of[shymkent],
            last.moved_into[shymkent]
        );
    }
    let (_, off) = runs("baseline.toml", &["mobility.enabled=false"], 1);
    assert!(off[0].days.iter().all(|d| d.city_moves == 0));
}
