//! The validated stage: turns a merged scenario tree into a [`Scenario`], checking every
//! value's type and range, date order, dates inside the run, sums of shares and references
//! to cities. All problems are collected and returned together.

use super::diag::{Diagnostic, Loc, prefer_user};
use super::doc::Node;
use super::read::{Problems, Reader};
use crate::calendar::Date;
use crate::model::params::*;

/// The longest scenario `name` (bytes): it names the output directory and its temporary
/// (`.NAME.tmp-PID-N`), which must fit a file system's 255-byte names.
pub const MAX_NAME_BYTES: usize = 200;

pub fn decode(root: &Node) -> Result<Scenario, Vec<Diagnostic>> {
    decode_noting(root).map(|(sc, _)| sc)
}

/// As [`decode`], with the notes on what was left out of a run that ends before some of
/// the built-in baseline's dated events (see [`Run::happens`]).
pub fn decode_noting(root: &Node) -> Result<(Scenario, Vec<String>), Vec<Diagnostic>> {
    let problems = Problems::default();
    let r = Reader::root(root, &problems);
    let (scenario, notes) = decode_root(&r);
    r.finish();
    let list = problems.list.into_inner();
    if list.is_empty() {
        Ok((scenario, notes))
    } else {
        Err(list)
    }
}

/// The run's dates, against which every dated thing is checked.
struct Run {
    start: Date,
    end: Date,
    valid: bool,
    /// What was left out of the run, for the user to read.
    notes: std::cell::RefCell<Vec<String>>,
}

/// The last day of the period the model describes (the built-in baseline's `end`; a test
/// keeps them equal).
pub const MODELLED_END: (i32, u8, u8) = (2024, 12, 31);

fn modelled_end() -> Date {
    let (y, m, d) = MODELLED_END;
    Date::new(y, m, d).expect("a valid date")
}

impl Run {
    /// Whether something dated `d` happens in the run. A date before the start, or after
    /// both the run's end and the modelled period (2024-12-31), is a problem (most likely a
    /// mistake); a date inside the modelled period but after the run's end is left out with
    /// a note, so a run may end before the baseline's later events (a short run, a one-day
    /// run) without disabling each of them.
    fn happens(&self, p: &Problems, what: &str, d: Date, loc: Loc) -> bool {
        if !self.valid || (self.start..=self.end).contains(&d) {
            return true;
        }
        if d > self.end && d <= modelled_end() {
            self.notes.borrow_mut().push(format!(
                "{what} {d} is after the run's end ({}) and is left out",
                self.end
            ));
        } else {
            p.push(
                loc,
                format!(
                    "{what} {d} is outside the run ({} to {})",
                    self.start, self.end
                ),
            );
        }
        false
    }
}

fn decode_root(r: &Reader<'_>) -> (Scenario, Vec<String>) {
    let p = r.problems;
    let name = r.string("name");
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        p.push(r.loc_of("name"), "`name` must be a non-empty name without path separators (it names the output directory)");
    } else if name.len() > MAX_NAME_BYTES || name.chars().any(char::is_control) {
        p.push(
            r.loc_of("name"),
            format!("`name` must be at most {MAX_NAME_BYTES} bytes without control characters (it names the output directory)"),
        );
    }
    let seed = r.int("seed", 0, i64::MAX) as u64;
    let fallback = (Date::new(2022, 9, 21).expect("valid"), r.loc);
    let start_read = r.date("start");
    let end_read = r.date("end");
    let (start, start_loc) = start_read.unwrap_or(fallback);
    let (end, end_loc) = end_read.unwrap_or(fallback);
    // Dates are checked against the run only when the run itself is well defined.
    let mut valid = start_read.is_some() && end_read.is_some();
    if valid && end < start {
        let at = prefer_user(&[end_loc, start_loc]);
        p.push(
            at,
            format!("`end` ({end}) must not come before `start` ({start})"),
        );
        valid = false;
    } else if valid && start.days_until(end) > 60_000 {
        p.push(end_loc, "the run may last at most 60000 days");
        valid = false;
    }
    let run = Run {
        start,
        end,
        valid,
        notes: Default::default(),
    };
    let replicates = r.int("replicates", 1, 100_000) as u32;

    let cities = section(r, "cities", cities);
    let city_names: Vec<&str> = cities.iter().map(|c| c.name.as_str()).collect();
    let policy = section(r, "policy", |t| policy(t, &run, &city_names));
    let scenario = Scenario {
        arrivals: section(r, "arrivals", |t| arrivals(t, &run)),
        profile: section(r, "profile", profile),
        destinations: section(r, "destinations", destinations),
        legal: section(r, "legal", |t| LegalParams::read(t)),
        money: section(r, "money", |t| money(t, &run)),
        mobility: section(r, "mobility", |t| MobilityParams::read(t)),
        housing: section(r, "housing", |t| HousingParams::read(t)),
        labour: section(r, "labour", |t| LabourParams::read(t)),
        ties: section(r, "ties", |t| TiesParams::read(t)),
        social: section(r, "social", |t| SocialParams::read(t)),
        online: section(r, "online", |t| OnlineParams::read(t)),
        wellbeing: section(r, "wellbeing", |t| WellbeingParams::read(t)),
        decisions: section(r, "decisions", |t| DecisionParams::read(t)),
        integration: section(r, "integration", |t| IntegrationParams::read(t)),
        policy,
        observation: section(r, "observation", |t| observation(t, &run)),
        cities,
        name,
        seed,
        start,
        end,
        replicates,
    };
    (scenario, run.notes.into_inner())
}

/// Decodes the table under `key` with `f`, then reports its unknown keys.
fn section<T>(r: &Reader<'_>, key: &str, f: impl FnOnce(&Reader<'_>) -> T) -> T {
    let t = r.table(key);
    let v = f(&t);
    t.finish();
    v
}

fn arrivals(r: &Reader<'_>, run: &Run) -> Arrivals {
    let p = r.problems;
    let persons_per_agent = r.int("persons_per_agent", 1, 1_000_000) as u32;
    let mut anchors = Vec::new();
    for (name, _, a) in r.named("anchors") {
        let date = a.date("date");
        let cumulative = a.nonneg("cumulative");
        let loc = prefer_user(&[a.loc_of("cumulative"), a.loc_of("date")]);
        if let Some((date, dloc)) = date {
            // An anchor after the end (inside the modelled period) still shapes the curve
            // up to the end.
            let shapes_curve = run.valid && date > run.end && date <= modelled_end();
            if !shapes_curve {
                run.happens(p, &format!("arrival anchor `{name}`"), date, dloc);
            }
            anchors.push((
                date,
                cumulative,
                loc,
                name,
                prefer_user(&[dloc, a.loc_of("cumulative")]),
            ));
        }
        a.finish();
    }
    anchors.sort_by_key(|a| a.0);
    for w in anchors.windows(2) {
        if w[1].1 < w[0].1 {
            p.push(w[1].2, format!(
                "arrival anchor `{}` ({}, {}) is lower than the earlier anchor `{}` ({}, {}): cumulative arrivals cannot fall",
                w[1].3, w[1].0, w[1].1, w[0].3, w[0].0, w[0].1
            ));
        }
        if w[1].0 == w[0].0 {
            p.push(
                w[1].4,
                format!(
                    "arrival anchors `{}` and `{}` have the same date",
                    w[0].3, w[1].3
                ),
            );
        }
    }
    if anchors.is_empty() {
        p.push(r.loc, "[arrivals.anchors] needs at least one anchor");
    }
    let transit_share = r.prob("transit_share");
    let transit_days_min = r.int("transit_days_min", 0, 365) as u32;
    let transit_days_max = r.int("transit_days_max", 0, 365) as u32;
    if transit_days_max < transit_days_min {
        p.push(
            r.loc_of("transit_days_max"),
            "`arrivals.transit_days_max` must be >= `transit_days_min`",
        );
    }
    Arrivals {
        persons_per_agent,
        anchors: anchors.into_iter().map(|a| (a.0, a.1)).collect(),
        transit_share,
        transit_days_min,
        transit_days_max,
    }
}

fn shares5(r: &Reader<'_>, key: &str, what: &str, must_sum_to_one: bool) -> [f64; 5] {
    let t = r.table(key);
    let mut out = [0.0; 5];
    for (i, prof) in PROFESSIONS.iter().enumerate() {
        out[i] = if must_sum_to_one {
            t.prob(prof)
        } else {
            t.nonneg(prof)
        };
    }
    if must_sum_to_one && (out.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
        r.problems.push(
            prefer_user(&PROFESSIONS.map(|k| t.loc_of(k))),
            format!(
                "{what} must sum to 1, they sum to {}",
                out.iter().sum::<f64>()
            ),
        );
    }
    t.finish();
    out
}

fn profile(r: &Reader<'_>) -> Profile {
    Profile {
        age_mean: r.num("age_mean", 18.0, 80.0),
        age_sd: r.nonneg("age_sd"),
        profession_shares: shares5(r, "profession_shares", "`profile.profession_shares`", true),
        kazakh_share: r.prob("kazakh_share"),
        english_share: r.prob("english_share"),
        savings_rub_median: r.nonneg("savings_rub_median"),
        savings_sigma: r.nonneg("savings_sigma"),
        cash_share: r.prob("cash_share"),
        remote_job_share: r.prob("remote_job_share"),
        remote_precarious_share: r.prob("remote_precarious_share"),
        remote_salary_rub_median: r.nonneg("remote_salary_rub_median"),
        remote_salary_sigma: r.nonneg("remote_salary_sigma"),
        family_support_share: r.prob("family_support_share"),
        family_support_rub_month: r.nonneg("family_support_rub_month"),
        crypto_share: r.prob("crypto_share"),
        therapy_share: r.prob("therapy_share"),
        friends_in_kz_share: r.prob("friends_in_kz_share"),
        initial_stress: r.prob("initial_stress"),
    }
}

fn cities(r: &Reader<'_>) -> Vec<City> {
    let mut out = Vec::new();
    let mut share_locs = Vec::new();
    for (name, _, c) in r.named_tables_here() {
        share_locs.push(c.loc_of("arrival_share"));
        out.push(City {
            arrival_share: c.prob("arrival_share"),
            russian_speaking_share: c.prob("russian_speaking_share"),
            rent_kzt_month: c.nonneg("rent_kzt_month"),
            rental_stock: c.nonneg("rental_stock"),
            hotel_kzt_day: c.nonneg("hotel_kzt_day"),
            shelter_beds: c.nonneg("shelter_beds"),
            wage_kzt_month: c.nonneg("wage_kzt_month"),
            labour_demand: c.nonneg("labour_demand"),
            local_jobs: c.nonneg("local_jobs"),
            name,
        });
        c.finish();
    }
    let total: f64 = out.iter().map(|c| c.arrival_share).sum();
    if out.is_empty() {
        r.problems.push(r.loc, "[cities] needs at least one city");
    } else if (total - 1.0).abs() > 1e-6 {
        r.problems.push(
            prefer_user(&share_locs),
            format!("the cities' `arrival_share` values must sum to 1, they sum to {total}"),
        );
    }
    if out.len() > super::MAX_CITIES {
        r.problems
            .push(r.loc, format!("at most {} cities", super::MAX_CITIES));
    }
    out
}

fn destinations(r: &Reader<'_>) -> Vec<Destination> {
    let mut out = Vec::new();
    for (name, _, d) in r.named_tables_here() {
        out.push(Destination {
            weight: d.nonneg("weight"),
            transit_weight: d.nonneg("transit_weight"),
            cost_kzt: d.nonneg("cost_kzt"),
            name,
        });
        d.finish();
    }
    if out.is_empty() || out.len() > super::MAX_DESTINATIONS {
        r.problems
            .push(r.loc, "[destinations] needs between 1 and 32 destinations");
    } else if out.iter().all(|d| d.weight == 0.0) || out.iter().all(|d| d.transit_weight == 0.0) {
        r.problems.push(
            r.loc,
            "some destination needs a positive `weight` and some a positive `transit_weight`",
        );
    }
    out
}

fn money(r: &Reader<'_>, run: &Run) -> MoneyParams {
    let p = r.problems;
    let mut series = Vec::new();
    for (month, loc, rate) in r.named_numbers("kzt_per_rub", 0.0, f64::INFINITY) {
        match Date::parse(&format!("{month}-01")) {
            Some(d) if month.len() == 7 => {
                if rate <= 0.0 {
                    p.push(loc, format!("exchange rate for {month} must be positive"));
                }
                series.push((d.month_index(), rate));
            }
            _ => p.push(
                loc,
                format!("`money.kzt_per_rub` keys are months written YYYY-MM, found `{month}`"),
            ),
        }
    }
    series.sort_by_key(|s| s.0);
    if series.is_empty() {
        p.push(r.loc, "`money.kzt_per_rub` needs at least one month");
    } else if series[0].0 > run.start.month_index() {
        p.push(
            r.loc_of("kzt_per_rub"),
            format!(
                "`money.kzt_per_rub` must start no later than the run's first month ({}-{:02})",
                run.start.year, run.start.month
            ),
        );
    }
    MoneyParams {
        kzt_per_rub: series,
        ..MoneyParams::read(r)
    }
}

fn observation(r: &Reader<'_>, run: &Run) -> Observation {
    let mut panels = Vec::new();
    for (name, _, p) in r.named("panels") {
        let horizon_days = p.int("horizon_days", 1, 36_500) as u32;
        if let Some((date, loc)) = p.date("date") {
            let what = format!("panel `{name}`");
            let until = date.add_days(i64::from(horizon_days));
            let mut kept = run.happens(r.problems, &what, date, loc);
            if kept && run.valid && until > run.end {
                let hloc = p.loc_of("horizon_days");
                if until <= modelled_end() {
                    run.notes.borrow_mut().push(format!(
                        "{what} follows its migrants until {until}, after the run's end ({}), and is left out",
                        run.end
                    ));
                } else {
                    r.problems.push(
                        hloc,
                        format!(
                            "panel `{name}` follows its migrants until {until}, after the run's end ({})",
                            run.end
                        ),
                    );
                }
                kept = false;
            }
            if !kept {
                p.finish();
                continue;
            }
            panels.push(Panel {
                name,
                date,
                horizon_days,
            });
        }
        p.finish();
    }
    panels.sort_by_key(|p| p.date);
    Observation { panels }
}

/// Reads a dated named event: `enabled` and `date` (checked to be inside the run).
/// An event's `enabled` and `date`, and whether the date was read (a missing or invalid one
/// is reported where it is and stands in as the run's start, which nothing may compare).
fn event_date(e: &Reader<'_>, run: &Run, what: &str) -> (bool, Date, bool) {
    let enabled = e.boolean("enabled");
    match e.date("date") {
        // A disabled event need not fall inside the run.
        Some((date, loc)) => {
            let happens = !enabled || run.happens(e.problems, what, date, loc);
            (enabled && happens, date, true)
        }
        None => (false, run.start, false),
    }
}

/// The dated events named under `key`: each has `enabled` and a `date` inside the run, plus
/// the fields `read` takes. Disabled events are dropped; the rest come in date order.
fn dated_events<T>(
    r: &Reader<'_>,
    key: &str,
    what: &str,
    run: &Run,
    read: impl Fn(&Reader<'_>, String, Date) -> T,
) -> Vec<T> {
    let mut events = Vec::new();
    for (name, _, e) in r.named(key) {
        let (on, date, _) = event_date(&e, run, &format!("{what} `{name}`"));
        let event = read(&e, name, date);
        e.finish();
        if on {
            events.push((date, event));
        }
    }
    events.sort_by_key(|(d, _)| *d);
    events.into_iter().map(|(_, e)| e).collect()
}

fn city_ref(e: &Reader<'_>, key: &str, cities: &[&str], allow_all: bool) -> Option<usize> {
    let name = e.string(key);
    if allow_all && name == "all" {
        return None;
    }
    match cities.iter().position(|c| *c == name) {
        Some(i) => Some(i),
        None => {
            let mut msg = format!(
                "unknown city \"{name}\"; the scenario's cities are {}",
                cities.join(", ")
            );
            if let Some(m) = super::diag::did_you_mean(&name, cities.iter().copied()) {
                msg = format!("unknown city \"{name}\"; did you mean \"{m}\"?");
            }
            e.problems.push(e.loc_of(key), msg);
            Some(0)
        }
    }
}

/// The dated stages of a ruble channel under `policy.<key>` (MIR cards, transfers to a
/// Kazakh card), enabled ones in date order. A stage may be announced before it takes
/// effect (never after) and may set its own fee.
fn channel_stages(r: &Reader<'_>, run: &Run, key: &str, what: &str) -> Vec<ChannelStage> {
    let p = r.problems;
    let mut stages = Vec::new();
    for (name, _, e) in r.named(key) {
        let (on, date, dated) = event_date(&e, run, &format!("{what} `{name}`"));
        let mode = e.choice("mode", &MIR_MODES);
        let cap_rub_month = e.nonneg("cap_rub_month");
        let fee = e.has("fee").then(|| e.prob("fee"));
        let label = e.string("label");
        let announced = match e.date("announced") {
            Some((a, aloc)) => {
                if on {
                    run.happens(p, &format!("announcement of {what} `{name}`"), a, aloc);
                }
                if a > date && dated {
                    let at = prefer_user(&[aloc, e.loc_of("date")]);
                    p.push(
                        at,
                        format!("{what} `{name}` is announced ({a}) after it takes effect ({date})"),
                    );
                }
                a
            }
            None => date,
        };
        e.finish();
        if on {
            stages.push(ChannelStage {
                name,
                announced,
                date,
                mode,
                cap_rub_month,
                fee,
                label,
            });
        }
    }
    stages.sort_by_key(|m| m.date);
    stages
}

fn policy(r: &Reader<'_>, run: &Run, cities: &[&str]) -> Policy {
    let p = r.problems;

    let ban = r.table("border_run_ban");
    let (ban_on, ban_date, ban_dated) = event_date(&ban, run, "border-run ban date");
    let announced = match ban.date("announced") {
        Some((announced, aloc)) => {
            if announced > ban_date && ban_dated {
                let at = prefer_user(&[aloc, ban.loc_of("date")]);
                let msg = format!(
                    "the border-run ban is announced ({announced}) after it takes effect ({ban_date})"
                );
                p.push(at, msg);
            }
            announced
        }
        None => ban_date,
    };
    ban.finish();

    let mir = channel_stages(r, run, "mir", "MIR stage");
    let transfers = channel_stages(r, run, "transfers", "transfer stage");

    let routes_r = r.table("rvp");
    let rvp = RVP_ROUTES.map(|route| {
        let t = routes_r.table(route);
        let v = RvpRoute {
            open: t.boolean("open"),
            fee_kzt: t.nonneg("fee_kzt"),
            docs_days: t.nonneg("docs_days"),
            processing_days: t.nonneg("processing_days"),
            approval_prob: t.prob("approval_prob"),
            fraud_prob: t.prob("fraud_prob"),
            eligible_share: t.prob("eligible_share"),
            quota_per_month: t.nonneg("quota_per_month"),
            reserve_months: t.nonneg("reserve_months"),
        };
        t.finish();
        v
    });
    routes_r.finish();

    let fp = r.table("rvp_fingerprinting");
    let (fp_on, fp_date, _) = event_date(&fp, run, "RVP fingerprinting date");
    let fp_days = fp.int("extra_days", 0, 3650) as u32;
    fp.finish();

    let vs = r.table("vnzh_skilled");
    let (vs_on, vs_date, _) = event_date(&vs, run, "skilled VNZh date");
    let professions = vs.choices("professions", &PROFESSIONS);
    let vs_prob = vs.prob("prob_per_day");
    vs.finish();

    let nt = r.table("notification");
    let notification_required_for_card = nt.boolean("required_for_bank_card");
    nt.finish();

    let sc = r.table("service_centre");
    let (sc_on, sc_date, _) = event_date(&sc, run, "service centre date");
    let time_factor = sc.num("time_factor", 0.01, 100.0);
    sc.finish();

    let shelters = dated_events(r, "shelters", "shelter change", run, |e, name, date| {
        ShelterChange {
            city: city_ref(e, "city", cities, false).unwrap_or(0),
            beds: e.nonneg("beds"),
            name,
            date,
        }
    });
    let rent_shocks = dated_events(r, "rent_shocks", "rent shock", run, |e, name, date| {
        RentShock {
            city: city_ref(e, "city", cities, true),
            factor: e.num("factor", 0.01, 100.0),
            name,
            date,
        }
    });
    let fx_shocks = dated_events(
        r,
        "fx_shocks",
        "exchange-rate shock",
        run,
        |e, name, date| FxShock {
            factor: e.num("factor", 0.01, 100.0),
            name,
            date,
        },
    );
    let mobilization_waves = dated_events(
        r,
        "mobilization_waves",
        "mobilization wave",
        run,
        |e, name, date| MobilizationWave {
            days: e.int("days", 1, 3650) as u32,
            arrivals: e.nonneg("arrivals"),
            fear: e.nonneg("fear"),
            name,
            date,
        },
    );
    let remote_pressure = dated_events(
        r,
        "remote_pressure",
        "remote-work pressure",
        run,
        |e, name, date| RemotePressure {
            multiplier: e.nonneg("hazard_multiplier"),
            name,
            date,
        },
    );

    Policy {
        border_run_ban: ban_on.then_some(BorderRunBan {
            announced,
            date: ban_date,
        }),
        mir,
        transfers,
        rvp,
        rvp_fingerprinting: fp_on.then_some((fp_date, fp_days)),
        vnzh_skilled: vs_on.then_some(VnzhSkilled {
            date: vs_date,
            professions,
            prob_per_day: vs_prob,
        }),
        notification_required_for_card,
        service_centre: sc_on.then_some((sc_date, time_factor)),
        shelters,
        rent_shocks,
        fx_shocks,
        mobilization_waves,
        remote_pressure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modelled_period_ends_where_the_built_in_baseline_does() {
        let sc = crate::scenario::load(crate::scenario::Source::Builtin, &[]).unwrap();
        assert_eq!(sc.scenario.end, modelled_end());
    }
}
