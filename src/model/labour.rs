//! Labour (docs/MODEL.md §7.5): remote jobs kept, lost or newly found, local jobs found by
//! formal search or through referrals along ties while the city has open positions, and
//! lost.

use super::params::{PROFESSIONS, ParamReader};
use rand::RngExt;

use super::agents::{Help, Migrant, MigrantId, Status, flag};
use super::step::{Sim, Today};
use super::ties::TieKind;

#[derive(Clone, Debug)]
pub struct LabourParams {
    pub enabled: bool,
    pub remote_loss_prob_per_day: f64,
    pub precarious_multiplier: f64,
    pub tax_residency_days: u32,
    pub tax_residency_multiplier: f64,
    pub local_job_prob_per_day: f64,
    pub profession_demand: [f64; 5],
    pub profession_wage: [f64; 5],
    /// Weights of a city's positions by profession (normalised to shares) when
    /// `finite_jobs` is on.
    pub profession_jobs: [f64; 5],
    pub kazakh_bonus: f64,
    pub local_loss_prob_per_day: f64,
    pub referrals_enabled: bool,
    pub referral_prob_per_tie: f64,
    /// Relative eagerness of local job search (formal and referred) while a remote job pays. (factor)
    pub remote_search_intensity: f64,
    /// A local wage is drawn uniformly within ± this share of city wage × profession factor. (share)
    pub wage_spread: f64,
    /// Local demand is finite: each city has `cities.<city>.local_jobs` positions and every
    /// way of finding one is scaled by the share still open. (switch)
    pub finite_jobs: bool,
    /// Daily chance that an English speaker without a remote job finds a new remote
    /// employer from Kazakhstan. (1/day)
    pub remote_find_prob_per_day: f64,
    /// Monthly salary of a remote job found from Kazakhstan. (RUB/month)
    pub remote_find_salary_rub: f64,
}

impl LabourParams {
    /// Reads the `[labour]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> LabourParams {
        LabourParams {
            enabled: r.boolean("enabled"),
            remote_loss_prob_per_day: r.prob("remote_loss_prob_per_day"),
            precarious_multiplier: r.nonneg("precarious_multiplier"),
            tax_residency_days: r.int("tax_residency_days", 1, 3650) as u32,
            tax_residency_multiplier: r.nonneg("tax_residency_multiplier"),
            local_job_prob_per_day: r.prob("local_job_prob_per_day"),
            profession_demand: r.per_name("profession_demand", PROFESSIONS),
            profession_wage: r.per_name("profession_wage", PROFESSIONS),
            profession_jobs: r.per_name("profession_jobs", PROFESSIONS),
            kazakh_bonus: r.nonneg("kazakh_bonus"),
            local_loss_prob_per_day: r.prob("local_loss_prob_per_day"),
            referrals_enabled: r.boolean("referrals_enabled"),
            referral_prob_per_tie: r.prob("referral_prob_per_tie"),
            remote_search_intensity: r.prob("remote_search_intensity"),
            wage_spread: r.prob("wage_spread"),
            finite_jobs: r.boolean("finite_jobs"),
            remote_find_prob_per_day: r.prob("remote_find_prob_per_day"),
            remote_find_salary_rub: r.nonneg("remote_find_salary_rub"),
        }
    }
}

impl Sim<'_> {
    pub(super) fn labour(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let sc = self.sc;
        let lb = &sc.labour;
        if !lb.enabled {
            return;
        }
        let t = today.t;
        if m.has_remote_job() {
            let mut h = lb.remote_loss_prob_per_day as f32 * today.policy.remote_pressure;
            if m.has(flag::PRECARIOUS) {
                h *= lb.precarious_multiplier as f32;
            }
            if t.saturating_sub(m.arrival) as u32 > lb.tax_residency_days {
                h *= lb.tax_residency_multiplier as f32;
            }
            if self.chance(h) {
                m.remote_rub_day = 0.0;
                m.job_lost = t;
            }
        } else if m.has(flag::ENGLISH) && self.chance(lb.remote_find_prob_per_day as f32) {
            // Employers abroad hire English speakers from anywhere (seed: IT work for
            // foreign companies); the salary is paid in rubles' worth like the others.
            m.remote_rub_day = (lb.remote_find_salary_rub / 30.0) as f32;
        }
        if m.has_local_job() {
            if self.chance(lb.local_loss_prob_per_day as f32) {
                self.leave_local_job(m);
                m.job_lost = t;
            } else if lb.referrals_enabled && self.aid_possible() {
                self.refer_a_job(m, id, t);
            }
            return;
        }
        let intensity = search_intensity(m, lb);
        let p_formal = self.formal_job_rate(m) * intensity;
        // Locals (colleagues, hosts, landlords) refer jobs too; co-migrants with a job refer
        // them from their side (`refer_a_job`).
        let p_ref = if lb.referrals_enabled && self.aid_possible() {
            lb.referral_prob_per_tie as f32
                * f32::from(self.ties.counts(MigrantId(id))[TieKind::Local as usize])
                * intensity
                * self.world.cities[m.city as usize].vacancy(m.profession)
        } else {
            0.0
        };
        let u = self.rng.random::<f32>();
        if u < p_formal + p_ref {
            self.take_local_job(m, id, u >= p_formal, t);
        }
    }

    /// Daily chance of finding a local job by formal search: demand for the profession in
    /// the city, language, and the share of the city's positions for the profession still
    /// open.
    pub(super) fn formal_job_rate(&self, m: &Migrant) -> f32 {
        let lb = &self.sc.labour;
        let city = &self.sc.cities[m.city as usize];
        let kazakh = if m.has(flag::KAZAKH) {
            lb.kazakh_bonus as f32
        } else {
            0.0
        };
        let lang = (city.russian_speaking_share as f32 + kazakh).min(1.0);
        lb.local_job_prob_per_day as f32
            * lb.profession_demand[m.profession as usize] as f32
            * city.labour_demand as f32
            * lang
            * self.world.cities[m.city as usize].vacancy(m.profession)
    }

    /// A migrant with a local job passes an opening to a co-migrant tie in the same city who
    /// has none: at `referral_prob_per_tie` per tie and day. Pushed from the helper's side,
    /// so only a referral that happens reads another migrant's state.
    pub(super) fn refer_a_job(&mut self, m: &Migrant, id: u32, t: u16) {
        let n = self.ties.counts(MigrantId(id))[TieKind::CoMigrant as usize];
        if n == 0 || !self.chance(self.sc.labour.referral_prob_per_tie as f32 * f32::from(n)) {
            return;
        }
        let k = self.rng.random_range(0..usize::from(n));
        let Some(other) = self
            .ties
            .of(MigrantId(id))
            .iter()
            .filter(|x| x.kind == TieKind::CoMigrant)
            .nth(k)
            .map(|x| x.other)
        else {
            return;
        };
        let mut o = self.agents[other as usize];
        if o.status == Status::Present
            && o.city == m.city
            && !o.has_local_job()
            && !o.has(flag::TRANSIT)
        {
            // The referred migrant takes it as eagerly as they search, if the opening is
            // still there (a full city has few).
            let vacancy = self.world.cities[m.city as usize].vacancy(m.profession);
            if self.chance(search_intensity(&o, &self.sc.labour) * vacancy) {
                self.take_local_job(&mut o, other, true, t);
                self.agents[other as usize] = o;
                self.ties
                    .touch(MigrantId(id), other, t, self.sc.ties.use_gain);
                self.ties
                    .touch(MigrantId(other), id, t, self.sc.ties.use_gain);
            }
        }
    }

    pub(super) fn take_local_job(&mut self, m: &mut Migrant, id: u32, via_tie: bool, t: u16) {
        let lb = &self.sc.labour;
        let city = &self.sc.cities[m.city as usize];
        let wage = city.wage_kzt_month as f32 * lb.profession_wage[m.profession as usize] as f32;
        let spread = lb.wage_spread as f32;
        m.local_kzt_day = wage / 30.0 * ((1.0 - spread) + 2.0 * spread * self.rng.random::<f32>());
        m.set(flag::JOB_VIA_TIE, via_tie);
        self.world.cities[m.city as usize].jobs_filled[m.profession as usize] += 1;
        self.record.help[Help::Job as usize] += via_tie as u32;
        if self.sc.ties.enabled {
            // A colleague: a local tie.
            self.ties.add_external(
                MigrantId(id),
                TieKind::Local,
                self.sc.ties.strength_colleague,
                t,
            );
        }
    }
}

impl Sim<'_> {
    /// The migrant's local job ends (lost, or the migrant leaves): the position opens again.
    pub(super) fn leave_local_job(&mut self, m: &mut Migrant) {
        if m.has_local_job() {
            let filled = &mut self.world.cities[m.city as usize].jobs_filled[m.profession as usize];
            *filled = filled.saturating_sub(1);
        }
        m.local_kzt_day = 0.0;
        m.set(flag::JOB_VIA_TIE, false);
    }
}

/// How eagerly a migrant looks for a local job: less while a remote job pays.
pub(super) fn search_intensity(m: &Migrant, lb: &LabourParams) -> f32 {
    if m.has_remote_job() {
        lb.remote_search_intensity as f32
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Help, MigrantId, flag};
    use super::super::testkit::{days, link, migrant, scenario, share, tie, today, with, world};
    use super::super::ties::TieKind;

    #[test]
    fn a_remote_job_lowers_the_local_job_search_by_the_remote_search_intensity() {
        let sc = scenario(&[
            "labour.local_job_prob_per_day=0.5",
            "labour.remote_loss_prob_per_day=0",
        ]);
        let finds = |remote: f32| {
            share(4000, |seed| {
                let mut m = migrant();
                m.remote_rub_day = remote;
                let mut sim = world(&sc, vec![m], seed);
                let day = today(&mut sim, days::EARLY);
                with(&mut sim, 0, |s, m| s.labour(m, 0, &day));
                sim.agents[0].has_local_job()
            })
        };
        // City 0, profession 0, no Kazakh: the formal rate of §7.5.
        let lb = &sc.labour;
        let city = &sc.cities[0];
        let p = lb.local_job_prob_per_day
            * lb.profession_demand[0]
            * city.labour_demand
            * city.russian_speaking_share.min(1.0);
        let (without, with_remote) = (finds(0.0), finds(5_000.0));
        assert!((without - p).abs() < 0.03, "{without} vs {p}");
        let slowed = p * lb.remote_search_intensity;
        assert!(
            (with_remote - slowed).abs() < 0.03,
            "{with_remote} vs {slowed}"
        );
    }

    #[test]
    fn a_co_migrant_with_a_local_job_refers_an_opening_to_a_jobless_tie_in_the_same_city() {
        let sc = scenario(&[
            "labour.referral_prob_per_tie=1",
            "labour.local_loss_prob_per_day=0",
        ]);
        let refer = |city: u8| {
            let mut helper = migrant();
            helper.local_kzt_day = 10_000.0;
            let mut jobless = migrant();
            jobless.city = city;
            let mut sim = world(&sc, vec![helper, jobless], 8);
            link(&mut sim, 0, 1, 0);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.labour(m, 0, &day));
            sim
        };
        let sim = refer(0);
        let m = sim.agents[1];
        assert!(m.has_local_job());
        assert!(m.has(flag::JOB_VIA_TIE));
        assert_eq!(sim.record.help[Help::Job as usize], 1);
        assert_eq!(
            sim.ties.counts(MigrantId(1))[TieKind::Local as usize],
            1,
            "a colleague"
        );
        for (a, b) in [(0, 1), (1, 0)] {
            let t = tie(&sim, a, b).expect("the tie");
            assert_eq!(t.last_used, days::EARLY, "used on both ends");
            assert_eq!(t.strength, 100 + sc.ties.use_gain);
        }
        // A tie in another city cannot take the job.
        let far = refer(1);
        assert!(!far.agents[1].has_local_job());
        assert_eq!(far.record.help[Help::Job as usize], 0);
        assert_eq!(tie(&far, 0, 1).map(|t| t.last_used), Some(0));
    }

    #[test]
    fn the_wage_lies_within_the_wage_spread_of_city_wage_times_profession_factor() {
        let sc = scenario(&[]);
        let lb = &sc.labour;
        let spread = lb.wage_spread as f32;
        let mut sim = world(&sc, vec![migrant()], 9);
        for city in 0..sc.cities.len() {
            for prof in 0..lb.profession_wage.len() {
                let centre =
                    sc.cities[city].wage_kzt_month as f32 * lb.profession_wage[prof] as f32 / 30.0;
                let (lo, hi) = (centre * (1.0 - spread), centre * (1.0 + spread));
                let (mut min, mut max, mut sum) = (f32::MAX, 0.0f32, 0.0f32);
                for _ in 0..500 {
                    let mut m = migrant();
                    (m.city, m.profession) = (city as u8, prof as u8);
                    sim.take_local_job(&mut m, 0, false, days::EARLY);
                    assert!(!m.has(flag::JOB_VIA_TIE));
                    let w = m.local_kzt_day;
                    assert!(
                        w >= lo * 0.9999 && w <= hi * 1.0001,
                        "{w} outside [{lo}, {hi}]"
                    );
                    (min, max, sum) = (min.min(w), max.max(w), sum + w);
                }
                // Uniform over the whole band.
                let tol = 0.03 * (hi - lo);
                assert!(
                    min < lo + tol && max > hi - tol,
                    "[{min}, {max}] vs [{lo}, {hi}]"
                );
                assert!((sum / 500.0 - centre).abs() < 0.03 * centre);
            }
        }
        assert_eq!(sim.record.help[Help::Job as usize], 0);
    }

    #[test]
    fn a_city_with_no_open_position_hires_nobody_until_one_frees() {
        let sc = scenario(&[
            "labour.local_job_prob_per_day=1",
            "labour.local_loss_prob_per_day=0",
            "labour.remote_loss_prob_per_day=0",
        ]);
        let mut sim = world(&sc, vec![migrant(), migrant()], 5);
        // Room for one agent of the migrants' profession in city 0.
        sim.world.cities[0].jobs_capacity[0] = 1.0;
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.labour(m, 0, &day));
        with(&mut sim, 1, |s, m| s.labour(m, 1, &day));
        assert!(
            sim.agents[0].has_local_job(),
            "the first finds the position"
        );
        assert!(!sim.agents[1].has_local_job(), "the city is full");
        assert_eq!(sim.world.cities[0].jobs_filled[0], 1);
        // The holder loses it: the position opens for the other.
        with(&mut sim, 0, |s, m| s.leave_local_job(m));
        assert_eq!(sim.world.cities[0].jobs_filled[0], 0);
        with(&mut sim, 1, |s, m| s.labour(m, 1, &day));
        assert!(sim.agents[1].has_local_job());
        // Without finite demand the same city is never full.
        let open = scenario(&["labour.finite_jobs=false"]);
        let sim = world(&open, vec![migrant()], 5);
        assert_eq!(sim.world.cities[0].vacancy(0), 1.0);
    }

    #[test]
    fn positions_are_rationed_by_profession_a_full_profession_hires_nobody_while_others_do() {
        let sc = scenario(&[
            "labour.local_job_prob_per_day=1",
            "labour.local_loss_prob_per_day=0",
            "labour.remote_loss_prob_per_day=0",
        ]);
        let mut engineer = migrant();
        engineer.profession = 1;
        let mut sim = world(&sc, vec![migrant(), migrant(), engineer], 5);
        // One IT position and one engineering position in city 0; the IT one is taken.
        sim.world.cities[0].jobs_capacity = [1.0, 1.0, 0.0, 0.0, 0.0];
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.labour(m, 0, &day));
        with(&mut sim, 1, |s, m| s.labour(m, 1, &day));
        with(&mut sim, 2, |s, m| s.labour(m, 2, &day));
        assert!(sim.agents[0].has_local_job());
        assert!(!sim.agents[1].has_local_job(), "no IT position is left");
        assert!(sim.agents[2].has_local_job(), "the engineering position is open");
        assert_eq!(sim.world.cities[0].jobs_filled, [1, 1, 0, 0, 0]);
        // The baseline splits each city's positions by `labour.profession_jobs`.
        let w = sc.labour.profession_jobs;
        let fresh = world(&sc, vec![migrant()], 5);
        let cap = fresh.world.cities[0].jobs_capacity;
        let total: f32 = cap.iter().sum();
        for p in 0..5 {
            let want = (w[p] / w.iter().sum::<f64>()) as f32;
            assert!((cap[p] / total - want).abs() < 1e-5, "{cap:?}");
        }
    }

    #[test]
    fn the_vacancy_is_the_share_of_positions_still_open() {
        let sc = scenario(&[]);
        let mut sim = world(&sc, vec![migrant()], 5);
        let c = &mut sim.world.cities[0];
        (c.jobs_capacity[0], c.jobs_filled[0]) = (4.0, 1);
        assert_eq!(c.vacancy(0), 0.75);
        c.jobs_filled[0] = 6;
        assert_eq!(c.vacancy(0), 0.0, "over-full (a smaller capacity) is full");
        c.jobs_capacity[0] = 0.0;
        assert_eq!(c.vacancy(0), 0.0);
    }

    #[test]
    fn remote_employers_from_kazakhstan_hire_english_speakers_without_a_remote_job() {
        let sc = scenario(&[
            "labour.remote_find_prob_per_day=1",
            "labour.local_job_prob_per_day=0",
        ]);
        let found = |flags: u16| {
            let mut m = migrant();
            m.flags = flags;
            let mut sim = world(&sc, vec![m], 6);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.labour(m, 0, &day));
            sim.agents[0].remote_rub_day
        };
        let salary = (sc.labour.remote_find_salary_rub / 30.0) as f32;
        assert_eq!(found(flag::ENGLISH), salary);
        assert_eq!(found(0), 0.0, "no English, no foreign employer");
    }
}
