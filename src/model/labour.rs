//! Labour (docs/MODEL.md §7.5): remote jobs kept or lost, local jobs found by formal
//! search or through referrals along ties, and lost.

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
    pub kazakh_bonus: f64,
    pub local_loss_prob_per_day: f64,
    pub referrals_enabled: bool,
    pub referral_prob_per_tie: f64,
    /// Relative eagerness of local job search (formal and referred) while a remote job pays. (factor)
    pub remote_search_intensity: f64,
    /// A local wage is drawn uniformly within ± this share of city wage × profession factor. (share)
    pub wage_spread: f64,
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
            kazakh_bonus: r.nonneg("kazakh_bonus"),
            local_loss_prob_per_day: r.prob("local_loss_prob_per_day"),
            referrals_enabled: r.boolean("referrals_enabled"),
            referral_prob_per_tie: r.prob("referral_prob_per_tie"),
            remote_search_intensity: r.prob("remote_search_intensity"),
            wage_spread: r.prob("wage_spread"),
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
        }
        if m.has_local_job() {
            if self.chance(lb.local_loss_prob_per_day as f32) {
                m.local_kzt_day = 0.0;
                m.job_lost = t;
                m.set(flag::JOB_VIA_TIE, false);
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
        } else {
            0.0
        };
        let u = self.rng.random::<f32>();
        if u < p_formal + p_ref {
            self.take_local_job(m, id, u >= p_formal, t);
        }
    }

    /// Daily chance of finding a local job by formal search: demand for the profession in
    /// the city, and language.
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
            // The referred migrant takes it as eagerly as they search.
            if self.chance(search_intensity(&o, &self.sc.labour)) {
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

/// How eagerly a migrant looks for a local job: less while a remote job pays.
fn search_intensity(m: &Migrant, lb: &LabourParams) -> f32 {
    if m.has_remote_job() {
        lb.remote_search_intensity as f32
    } else {
        1.0
    }
}
