//! Wellbeing (docs/MODEL.md §7.7): what weighs on a migrant today (`Factors`, read once
//! and shared with the decision), emotional support, and stress.

use super::agents::{Help, Legal, Migrant, NO_DAY, flag};
use super::params::ParamReader;
use super::step::{Sim, Today};
use super::ties::{TieCounts, TieKind};

#[derive(Clone, Debug)]
pub struct WellbeingParams {
    pub enabled: bool,
    pub adapt_rate: f64,
    pub money_weight: f64,
    pub housing_weight: f64,
    pub legal_weight: f64,
    pub job_loss_weight: f64,
    pub job_loss_memory_days: u32,
    pub support_weight: f64,
    pub therapy_effect: f64,
    /// A supported migrant with stress above this counts as one `help_emotional` event (observation only). (0–1)
    pub emotional_help_stress: f64,
    /// Stress target added for a host whose flat is full of guests (`social.max_guests`),
    /// in proportion to its guests: hosting costs the host. (0–1)
    pub hosting_weight: f64,
}

impl WellbeingParams {
    /// Reads the `[wellbeing]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> WellbeingParams {
        WellbeingParams {
            enabled: r.boolean("enabled"),
            adapt_rate: r.prob("adapt_rate"),
            money_weight: r.nonneg("money_weight"),
            housing_weight: r.nonneg("housing_weight"),
            legal_weight: r.nonneg("legal_weight"),
            job_loss_weight: r.nonneg("job_loss_weight"),
            job_loss_memory_days: r.int("job_loss_memory_days", 0, 3650) as u32,
            support_weight: r.nonneg("support_weight"),
            therapy_effect: r.nonneg("therapy_effect"),
            emotional_help_stress: r.prob("emotional_help_stress"),
            hosting_weight: r.prob("hosting_weight"),
        }
    }
}

/// What weighs on one migrant today (see `Sim::factors`).
pub(super) struct Factors {
    pub strain: f32,
    pub legal: f32,
    pub housing: f32,
    pub job_loss: f32,
    pub family: f32,
    pub support: f32,
    pub local_ties: f32,
    /// Ties abroad, 0..1 (`decisions.ties_abroad_full` pull fully).
    pub abroad: f32,
    pub newcomer: f32,
    pub afford: bool,
}

impl Sim<'_> {
    /// What weighs on a migrant today, each on a 0..1 scale: read once, used by wellbeing,
    /// the decision and the reason code.
    pub(super) fn factors(
        &self,
        m: &Migrant,
        today: &Today,
        ties: TieCounts,
        forced: bool,
    ) -> Factors {
        let d = &self.sc.decisions;
        let days_here = today.t.saturating_sub(m.arrival);
        let lb = &self.sc.labour;
        let tax = m.has_remote_job() && u32::from(days_here) > lb.tax_residency_days;
        Factors {
            strain: m.strain,
            legal: if forced {
                1.0
            } else {
                self.legal_pressure(m, today)
            },
            housing: self.sc.housing.precarity[m.housing as usize] as f32,
            job_loss: self.recent_job_loss(m, today),
            family: (tax as u8 as f32 * d.family_tax_weight as f32
                + (ties[2] as f32 / d.family_ties_full as f32).min(1.0)
                    * d.family_ties_weight as f32)
                .min(1.0),
            support: self.support(ties),
            local_ties: ((ties[0] + ties[1]) as f32 / d.local_ties_full as f32).min(1.0),
            abroad: (ties[TieKind::Abroad as usize] as f32 / d.ties_abroad_full as f32).min(1.0),
            newcomer: self.newcomer[usize::from(days_here).min(self.newcomer.len() - 1)],
            afford: self.wealth(m, today.fx) >= self.cheapest_destination,
        }
    }

    /// Emotional support from ties, 0..1: co-migrants and locals (mutual aid) and ties at home.
    pub(super) fn support(&self, ties: TieCounts) -> f32 {
        let s = &self.sc.social;
        let near = if s.mutual_aid_enabled && s.emotional_support_enabled {
            (ties[0] + ties[1]) as f32 / s.support_full_near as f32
        } else {
            0.0
        };
        let home = if s.transnational_support_enabled && s.emotional_support_enabled {
            ties[2] as f32 / s.support_full_home as f32
        } else {
            0.0
        };
        (near + home).min(1.0)
    }

    /// 1 when the legal stay ends soon with no way to extend it, or has ended.
    pub(super) fn legal_pressure(&self, m: &Migrant, today: &Today) -> f32 {
        let lg = &self.sc.legal;
        if !lg.enabled {
            return 0.0;
        }
        match m.legal {
            Legal::Overstay => 1.0,
            Legal::RvpPending => lg.pending_pressure as f32,
            Legal::VisaFree => {
                let p = &today.policy;
                let soon = (m.legal_until.saturating_sub(today.t) as u32) < lg.rvp_urgency_days;
                if soon && (!p.border_runs_allowed || p.ban_announced) {
                    1.0
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    pub(super) fn recent_job_loss(&self, m: &Migrant, today: &Today) -> f32 {
        let mem = self.sc.wellbeing.job_loss_memory_days;
        (m.job_lost != NO_DAY && (today.t.saturating_sub(m.job_lost) as u32) < mem) as u8 as f32
    }

    /// How full a host's flat is with guests taken in through ties, 0..1.
    pub(super) fn hosting_strain(&self, m: &Migrant) -> f32 {
        let full = self.sc.social.max_guests.max(1) as f32;
        (f32::from(m.guests) / full).min(1.0)
    }

    pub(super) fn wellbeing(&mut self, m: &mut Migrant, f: &Factors) {
        let wb = &self.sc.wellbeing;
        if !wb.enabled {
            m.stress = 0.0;
            return;
        }
        // Online therapy reaches migrants through their ties in Russia (seed).
        let therapy = if m.has(flag::THERAPY) && self.sc.social.transnational_support_enabled {
            wb.therapy_effect as f32
        } else {
            0.0
        };
        let target = wb.money_weight as f32 * f.strain
            + wb.housing_weight as f32 * f.housing
            + wb.legal_weight as f32 * f.legal
            + wb.job_loss_weight as f32 * f.job_loss
            + wb.hosting_weight as f32 * self.hosting_strain(m)
            - wb.support_weight as f32 * f.support
            - therapy;
        m.stress += wb.adapt_rate as f32 * (target.clamp(0.0, 1.0) - m.stress);
        if f.support > 0.0 && m.stress > wb.emotional_help_stress as f32 {
            self.record.help[Help::Emotional as usize] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Help, Housing, Migrant};
    use super::super::testkit::{days, migrant, scenario, today, world};
    use super::super::ties::{TieCounts, TieKind};

    /// One day of wellbeing for `m` on `t` with tie counts `ties`: the support, the new
    /// stress and the emotional help counted.
    fn live(sets: &[&str], m: Migrant, t: u16, ties: TieCounts) -> (f32, f32, u32) {
        let sc = scenario(sets);
        let mut sim = world(&sc, vec![m], 14);
        let day = today(&mut sim, t);
        let f = sim.factors(&m, &day, ties, false);
        let mut m = m;
        sim.wellbeing(&mut m, &f);
        (
            f.support,
            m.stress,
            sim.record.help[Help::Emotional as usize],
        )
    }

    #[test]
    fn support_from_ties_lowers_stress_relative_to_the_same_migrant_without_ties() {
        // Strain 0.8 in a stable flat, no legal pressure, no job loss: the target is
        // 0.5 × 0.8 − 0.2 × S and stress moves 0.1 of the way to it from 0.3.
        let mut m = migrant();
        (m.strain, m.stress) = (0.8, 0.3);
        let (s0, alone, _) = live(&[], m, days::EARLY, [0, 0, 0, 0]);
        let (s1, supported, _) = live(&[], m, days::EARLY, [1, 0, 2, 0]);
        assert_eq!(s0, 0.0);
        assert!((s1 - (1.0 / 4.0 + 2.0 / 8.0)).abs() < 1e-6, "support {s1}");
        assert!((alone - (0.3 + 0.1 * (0.4 - 0.3))).abs() < 1e-6, "{alone}");
        assert!(
            (supported - (0.3 + 0.1 * (0.3 - 0.3))).abs() < 1e-6,
            "{supported}"
        );
        // Without mutual aid only the ties at home support.
        let (home, _, _) = live(
            &["social.mutual_aid_enabled=false"],
            m,
            days::EARLY,
            [1, 0, 2, 0],
        );
        assert!((home - 0.25).abs() < 1e-6, "{home}");
        // Support full at 1, and counted as emotional help when stress stays high.
        m.stress = 0.9;
        let (full, _, helped) = live(&[], m, days::EARLY, [4, 2, 8, 0]);
        assert_eq!((full, helped), (1.0, 1));
    }

    #[test]
    fn housing_precarity_feeds_the_housing_factor() {
        let mut m = migrant();
        (m.housing, m.strain, m.stress) = (Housing::Hotel, 0.0, 0.0);
        let stress = |hotel: &str| {
            live(
                &[&format!("housing.precarity.hotel={hotel}")],
                m,
                days::EARLY,
                [0; TieKind::COUNT],
            )
            .1
        };
        // stress = adapt_rate × housing_weight × precarity
        assert!((stress("0.9") - 0.1 * 0.3 * 0.9).abs() < 1e-6);
        assert!((stress("0.2") - 0.1 * 0.3 * 0.2).abs() < 1e-6);
        let sc = scenario(&["housing.precarity.shelter=0.7"]);
        let mut sim = world(&sc, vec![m], 15);
        m.housing = Housing::Shelter;
        let day = today(&mut sim, days::EARLY);
        assert!((sim.factors(&m, &day, [0; TieKind::COUNT], false).housing - 0.7).abs() < 1e-6);
    }

    #[test]
    fn a_visa_free_stay_ending_soon_weighs_once_border_runs_are_banned() {
        let sc = scenario(&[]);
        let urgent = sc.legal.rvp_urgency_days as u16;
        let legal = |t: u16, left: u16| {
            let mut m = migrant();
            m.legal_until = t + left;
            let mut sim = world(&sc, vec![m], 16);
            let day = today(&mut sim, t);
            sim.factors(&m, &day, [0; TieKind::COUNT], false).legal
        };
        assert_eq!(legal(days::AFTER_BAN, urgent - 1), 1.0);
        assert_eq!(legal(days::AFTER_BAN, urgent), 0.0, "not yet soon");
        assert_eq!(
            legal(days::EARLY, 5),
            0.0,
            "border runs still renew the stay"
        );
    }

    #[test]
    fn hosting_guests_raises_the_host_s_stress_in_proportion_to_its_guests() {
        let sets = ["wellbeing.hosting_weight=0.4", "social.max_guests=2"];
        let stress = |guests: u8| {
            let mut m = migrant();
            (m.stress, m.guests) = (0.0, guests);
            live(&sets, m, days::EARLY, [0; TieKind::COUNT]).1
        };
        let (none, one, two) = (stress(0), stress(1), stress(2));
        assert!(one > none && two > one, "{none} {one} {two}");
        let sc = scenario(&sets);
        let step = sc.wellbeing.adapt_rate as f32 * 0.4 / 2.0;
        assert!((one - none - step).abs() < 1e-5, "{} vs {step}", one - none);
        // Without the cost, hosting changes nothing.
        let free = ["wellbeing.hosting_weight=0", "social.max_guests=2"];
        let mut m = migrant();
        (m.stress, m.guests) = (0.0, 2);
        let mut alone = m;
        alone.guests = 0;
        assert_eq!(
            live(&free, m, days::EARLY, [0; TieKind::COUNT]).1,
            live(&free, alone, days::EARLY, [0; TieKind::COUNT]).1
        );
    }
}
