//! Bureaucracy and legal clocks (docs/MODEL.md §7.2.1–7.2.3, §7.2.8): notification,
//! IIN, bank card, the visa-free clock and border runs, VNZh, overstay and deportation.
//! RVP applications are in `rvp`; the forced choice at the end of a stay in `decision`.

use super::params::ParamReader;
use rand::RngExt;

use super::agents::{
    Help, Housing, Legal, Migrant, MigrantId, NO_DAY, Reason, Status, flag, online,
};
use super::step::{Sim, Today};

#[derive(Clone, Debug)]
pub struct LegalParams {
    pub enabled: bool,
    pub visa_free_days: u32,
    pub border_run_cost_kzt: f64,
    pub notification_days: f64,
    pub iin_prob_per_day: f64,
    pub bank_card_prob_per_day: f64,
    pub rvp_seek_prob_per_day: f64,
    pub rvp_anticipation: f64,
    pub rvp_urgency_days: u32,
    pub rvp_validity_days: u32,
    pub vnzh_after_rvp_days: u32,
    pub vnzh_prob_per_day: f64,
    pub overstay_deport_prob_per_day: f64,
    /// Multiplies the RVP seek chance within `legal.rvp_urgency_days` of the stay's end once border runs are banned or the ban is announced. (factor)
    pub rvp_urgency_multiplier: f64,
    /// Legal pressure (§7.7) felt while an RVP application is pending. (0–1)
    pub pending_pressure: f64,
}

impl LegalParams {
    /// Reads the `[legal]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> LegalParams {
        LegalParams {
            enabled: r.boolean("enabled"),
            visa_free_days: r.int("visa_free_days", 1, 3650) as u32,
            border_run_cost_kzt: r.nonneg("border_run_cost_kzt"),
            notification_days: r.num("notification_days", 1.0, 365.0),
            iin_prob_per_day: r.prob("iin_prob_per_day"),
            bank_card_prob_per_day: r.prob("bank_card_prob_per_day"),
            rvp_seek_prob_per_day: r.prob("rvp_seek_prob_per_day"),
            rvp_anticipation: r.num("rvp_anticipation", 1.0, 1000.0),
            rvp_urgency_days: r.int("rvp_urgency_days", 0, 3650) as u32,
            rvp_validity_days: r.int("rvp_validity_days", 1, 3650) as u32,
            vnzh_after_rvp_days: r.int("vnzh_after_rvp_days", 1, 36500) as u32,
            vnzh_prob_per_day: r.prob("vnzh_prob_per_day"),
            overstay_deport_prob_per_day: r.prob("overstay_deport_prob_per_day"),
            rvp_urgency_multiplier: r.num("rvp_urgency_multiplier", 1.0, 100.0),
            pending_pressure: r.prob("pending_pressure"),
        }
    }
}

impl Sim<'_> {
    /// Notification, IIN, bank card, RVP and VNZh, legal expiry. Returns a forced departure.
    pub(super) fn bureaucracy(
        &mut self,
        m: &mut Migrant,
        id: u32,
        today: &Today,
    ) -> Option<(Status, Reason)> {
        let sc = self.sc;
        let lg = &sc.legal;
        let t = today.t;
        let policy = &today.policy;
        let slow = policy.bureaucracy_factor;
        if !m.has(flag::NOTIFIED)
            && m.housing != Housing::None
            && self.rng.random::<f32>() * lg.notification_days as f32 * slow < 1.0
        {
            m.set(flag::NOTIFIED, true);
        }
        // Information channels explain the steps (seed): they go faster for members.
        let channel = sc.social.information_enabled
            && sc.online.enabled
            && m.online & online::INFO_CHANNEL != 0;
        let info = if channel {
            1.0 + sc.social.info_speedup as f32
        } else {
            1.0
        };
        if !m.has(flag::IIN) && self.chance(lg.iin_prob_per_day as f32 * info / slow) {
            m.set(flag::IIN, true);
            self.record.iin_issued += 1;
            self.record.help[Help::Information as usize] += channel as u32;
            if sc.ties.enabled && self.chance(sc.social.queue_tie_prob as f32) {
                // A conversation in the queue at the service centre (seed).
                if let Some(other) = self.random_present_in(m.city, id) {
                    self.ties.link(
                        MigrantId(id),
                        MigrantId(other),
                        sc.ties.strength_queue,
                        today.t,
                    );
                }
            }
        }
        let card_allowed = m.has(flag::IIN)
            && (m.has(flag::NOTIFIED) || !sc.policy.notification_required_for_card);
        if card_allowed
            && !m.has(flag::BANK_CARD)
            && self.chance(lg.bank_card_prob_per_day as f32 * info / slow)
        {
            m.set(flag::BANK_CARD, true);
        }
        if !lg.enabled {
            return None;
        }
        match m.legal {
            Legal::VisaFree => {
                if t >= m.legal_until {
                    if policy.border_runs_allowed
                        && self.wealth(m, today.fx) >= lg.border_run_cost_kzt as f32
                    {
                        self.spend(m, lg.border_run_cost_kzt as f32, today);
                        m.legal_until = t.saturating_add(lg.visa_free_days as u16);
                    } else {
                        return self.forced_choice(m, today);
                    }
                } else {
                    self.seek_rvp(m, id, today);
                }
            }
            Legal::RvpPending => {
                if t >= m.pending_until {
                    self.decide_rvp(m, today);
                }
            }
            Legal::Rvp => {
                if t >= m.legal_until {
                    self.renew_rvp(m, today);
                } else {
                    let skilled = policy.vnzh_skilled_open
                        && sc.policy.vnzh_skilled.as_ref().is_some_and(|v| {
                            v.professions.contains(&(m.profession as usize))
                                && self.rng.random::<f64>() < v.prob_per_day / f64::from(slow)
                        });
                    let regular = t.saturating_sub(m.status_since) as u32 >= lg.vnzh_after_rvp_days
                        && self.chance(lg.vnzh_prob_per_day as f32);
                    if skilled || regular {
                        // A skilled grant is counted as such even when the regular path
                        // would also have granted it.
                        self.record.vnzh_granted[usize::from(skilled)] += 1;
                        m.legal = Legal::Vnzh;
                        m.status_since = t;
                        m.legal_until = NO_DAY;
                    }
                }
            }
            Legal::Vnzh => {}
            Legal::Overstay => {
                if self.chance(lg.overstay_deport_prob_per_day as f32) {
                    return Some((Status::Returned, Reason::Deported));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Legal, Reason, Status, flag};
    use super::super::testkit::{days, migrant, scenario, share, today, with, world};

    #[test]
    fn a_border_run_renews_the_visa_free_stay_and_costs_its_price_while_allowed() {
        let sc = scenario(&[]);
        let mut m = migrant();
        m.legal_until = days::EARLY;
        let mut sim = world(&sc, vec![m], 1);
        let day = today(&mut sim, days::EARLY);
        let left = with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day));
        let m = sim.agents[0];
        assert_eq!(left, None);
        assert_eq!(m.legal, Legal::VisaFree);
        assert_eq!(m.legal_until, days::EARLY + sc.legal.visa_free_days as u16);
        assert_eq!(m.kzt, migrant().kzt - sc.legal.border_run_cost_kzt as f32);
    }

    #[test]
    fn after_the_ban_an_ended_stay_forces_a_return_a_move_or_an_overstay() {
        // The logit over the three options: with the baseline's overstay constant the
        // migrant leaves; with a high one it mostly overstays. Never does an ended visa-free
        // stay go on.
        let choose = |overstay: &str| {
            let sc = scenario(&[&format!("decisions.overstay_constant={overstay}")]);
            let mut outcomes = [0; 3];
            for seed in 0..400 {
                let mut m = migrant();
                m.legal_until = days::AFTER_BAN;
                let mut sim = world(&sc, vec![m], seed);
                let day = today(&mut sim, days::AFTER_BAN);
                match with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day)) {
                    Some((Status::Returned, Reason::Legal)) => outcomes[0] += 1,
                    Some((Status::MovedOn, Reason::Legal)) => outcomes[1] += 1,
                    None if sim.agents[0].legal == Legal::Overstay => outcomes[2] += 1,
                    other => panic!("an ended stay must force a choice, got {other:?}"),
                }
            }
            outcomes
        };
        let baseline = choose("-2.0");
        assert!(baseline[0] > 0 && baseline[1] > 0, "{baseline:?}");
        let tempted = choose("20.0");
        assert!(tempted[2] > 390, "{tempted:?}");
    }

    #[test]
    fn overstayers_are_deported_at_the_daily_rate() {
        let sc = scenario(&["legal.overstay_deport_prob_per_day=0.25"]);
        let deported = share(4000, |seed| {
            let mut m = migrant();
            m.legal = Legal::Overstay;
            m.flags = flag::IIN | flag::NOTIFIED | flag::BANK_CARD;
            let mut sim = world(&sc, vec![m], seed);
            let day = today(&mut sim, days::AFTER_BAN);
            with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day))
                == Some((Status::Returned, Reason::Deported))
        });
        assert!((deported - 0.25).abs() < 0.03, "deported share {deported}");
    }
}
