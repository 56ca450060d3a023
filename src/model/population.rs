//! Arrivals and the population profile (ODD "Initialization" and "Input data").
//!
//! The arrival curve is deterministic: cumulative persons per day from the scenario's
//! anchors and mobilization waves, cut into agents of `persons_per_agent` persons each, in
//! arrival order. Profiles are drawn from the run's generator.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Normal};

use super::agents::{Housing, Legal, Migrant, NO_DAY, Status, flag};
use super::params::Scenario;

/// Cumulative arrivals (persons) at the end of each day of the run.
pub fn cumulative_arrivals(sc: &Scenario) -> Vec<f64> {
    let days = sc.days() as usize;
    let anchors: Vec<(f64, f64)> = sc
        .arrivals
        .anchors
        .iter()
        .map(|(d, c)| (sc.start.days_until(*d) as f64, *c))
        .collect();
    let mut cum = vec![0.0; days];
    for (t, v) in cum.iter_mut().enumerate() {
        let t = t as f64;
        *v = match anchors.iter().position(|a| a.0 >= t) {
            None => anchors.last().map_or(0.0, |a| a.1),
            Some(0) => {
                anchors[0].1
                    * if anchors[0].0 > 0.0 {
                        (t / anchors[0].0).min(1.0)
                    } else {
                        1.0
                    }
            }
            Some(k) => {
                let (t0, c0) = anchors[k - 1];
                let (t1, c1) = anchors[k];
                c0 + (c1 - c0) * (t - t0) / (t1 - t0)
            }
        };
    }
    for w in &sc.policy.mobilization_waves {
        let first = sc.day_of(w.date) as usize;
        for (t, v) in cum.iter_mut().enumerate().skip(first) {
            let done = ((t - first + 1) as f64 / f64::from(w.days)).min(1.0);
            *v += w.arrivals * done;
        }
    }
    cum
}

/// The number of agents a run draws (cumulative arrivals / persons per agent), computed
/// without drawing them.
pub fn agents_needed(sc: &Scenario) -> f64 {
    let total = cumulative_arrivals(sc).last().copied().unwrap_or(0.0);
    (total / f64::from(sc.arrivals.persons_per_agent)).floor()
}

/// Arrival day of each agent, in arrival order.
pub fn arrival_days(sc: &Scenario) -> Vec<u16> {
    let cum = cumulative_arrivals(sc);
    let ppa = f64::from(sc.arrivals.persons_per_agent);
    let total = cum.last().copied().unwrap_or(0.0);
    let n = (total / ppa).floor() as usize;
    let mut out = Vec::with_capacity(n);
    let mut day = 0usize;
    for i in 0..n {
        // Agent i stands for persons (i*ppa, (i+1)*ppa]; it arrives on the day its midpoint is reached.
        let mid = (i as f64 + 0.5) * ppa;
        while cum[day] < mid {
            day += 1;
        }
        out.push(day as u16);
    }
    out
}

fn pick(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = f64> + Clone) -> usize {
    let total: f64 = weights.clone().sum();
    let mut u = rng.random::<f64>() * total;
    let mut last = 0;
    for (i, w) in weights.enumerate() {
        if w > 0.0 {
            last = i;
            if u < w {
                return i;
            }
            u -= w;
        }
    }
    last
}

/// Draws the population: one migrant per arrival day entry, all `NotArrived`.
pub fn draw(sc: &Scenario, arrivals: &[u16], rng: &mut ChaCha8Rng) -> Vec<Migrant> {
    let pr = &sc.profile;
    let savings =
        LogNormal::new(pr.savings_rub_median.max(1.0).ln(), pr.savings_sigma).expect("valid");
    let salary = LogNormal::new(
        pr.remote_salary_rub_median.max(1.0).ln(),
        pr.remote_salary_sigma,
    )
    .expect("valid");
    let age = Normal::new(pr.age_mean, pr.age_sd).expect("valid");
    let first_fx = sc.money.kzt_per_rub.first().map_or(1.0, |s| s.1);
    arrivals
        .iter()
        .map(|&arrival| {
            let city = pick(rng, sc.cities.iter().map(|c| c.arrival_share)) as u8;
            let profession = pick(rng, pr.profession_shares.iter().copied()) as u8;
            let s = savings.sample(rng);
            // Cash carried on the way in (§7.3): up to the cap, changed at the cash fee.
            let mo = &sc.money;
            let cash = if mo.cash_enabled {
                (s * pr.cash_share).min(mo.cash_cap_rub_trip) as f32
            } else {
                0.0
            };
            let mut flags = 0;
            let transit = rng.random_bool(sc.arrivals.transit_share);
            let mut m = Migrant {
                rub: (s - f64::from(cash)) as f32,
                kzt: cash * first_fx as f32 * (1.0 - mo.cash_fee as f32),
                remote_rub_day: 0.0,
                local_kzt_day: 0.0,
                family_rub_day: 0.0,
                stress: pr.initial_stress as f32,
                strain: 0.0,
                arrival,
                legal_until: arrival.saturating_add(sc.legal.visa_free_days as u16),
                pending_until: NO_DAY,
                status_since: arrival,
                housing_since: arrival,
                job_lost: NO_DAY,
                integ_days: 0,
                departed: NO_DAY,
                flags: 0,
                status: Status::NotArrived,
                legal: Legal::VisaFree,
                housing: Housing::Hotel,
                reason: 0,
                city,
                profession,
                rvp_route: 0,
                dest: 0,
                age: age.sample(rng).clamp(18.0, 80.0) as u8,
                host: u32::MAX,
                guests: 0,
                online: 0,
                owed: 0,
            };
            if transit {
                flags |= flag::TRANSIT;
                let span = sc.arrivals.transit_days_max - sc.arrivals.transit_days_min + 1;
                let stay = sc.arrivals.transit_days_min + rng.random_range(0..span);
                m.pending_until = arrival.saturating_add(stay as u16);
            }
            if rng.random_bool(pr.remote_job_share) {
                m.remote_rub_day = (salary.sample(rng) / 30.0) as f32;
                if rng.random_bool(pr.remote_precarious_share) {
                    flags |= flag::PRECARIOUS;
                }
            }
            if rng.random_bool(pr.family_support_share) {
                m.family_rub_day = (pr.family_support_rub_month / 30.0) as f32;
            }
            for (f, share) in [
                (flag::CRYPTO, pr.crypto_share),
                (flag::THERAPY, pr.therapy_share),
                (flag::KAZAKH, pr.kazakh_share),
                (flag::ENGLISH, pr.english_share),
                (flag::FAMILY_GROUND, sc.policy.rvp[2].eligible_share),
            ] {
                if rng.random_bool(share) {
                    flags |= f;
                }
            }
            m.flags = flags;
            m
        })
        .collect()
}
