//! Temporary residence permits (docs/MODEL.md §7.2.4–7.2.7): seeking an RVP, the four
//! routes and their quotas, fraud by intermediaries, the decision, the term and renewal.

use rand::RngExt;

use super::agents::{Help, Legal, Migrant, NO_DAY, flag};
use super::step::{Sim, Today};

#[derive(Clone, Debug)]
pub struct RvpRoute {
    pub open: bool,
    pub fee_kzt: f64,
    pub docs_days: f64,
    pub processing_days: f64,
    pub approval_prob: f64,
    pub fraud_prob: f64,
    pub eligible_share: f64,
    /// Applications accepted per 30 days (persons); 0 = no quota.
    pub quota_per_month: f64,
    /// Months of living costs a migrant must have beyond the fee to take this route (paid
    /// routes: own company, intermediary; the grounds-based routes ignore it).
    pub reserve_months: f64,
}

pub(super) const EMPLOYMENT: usize = 0;
pub(super) const OWN_COMPANY: usize = 1;
pub(super) const FAMILY_STUDY: usize = 2;
pub(super) const INTERMEDIARY: usize = 3;

impl Sim<'_> {
    pub(super) fn seek_rvp(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let sc = self.sc;
        let lg = &sc.legal;
        if !(m.has(flag::IIN) && m.has(flag::NOTIFIED)) {
            return;
        }
        let policy = &today.policy;
        let mut p = lg.rvp_seek_prob_per_day as f32;
        if policy.ban_announced {
            p *= lg.rvp_anticipation as f32;
        }
        let near_end = m.legal_until.saturating_sub(today.t) as u32 <= lg.rvp_urgency_days;
        if near_end && (!policy.border_runs_allowed || policy.ban_announced) {
            p *= lg.rvp_urgency_multiplier as f32;
        }
        // Information (from a tie who holds long-stay status, or a channel) makes an
        // application `1 + info_speedup` times as likely (less likely when the advice is
        // wrong, below 0); the ties are read only when the draw falls where it matters.
        let speedup = 1.0 + sc.social.info_speedup as f32;
        let p_informed = speedup * p;
        let u = self.rng.random::<f32>();
        if u >= p.max(p_informed) {
            return;
        }
        let informed = self.informed(m, id);
        if u >= if informed { p_informed } else { p } {
            return;
        }
        let w = self.wealth(m, today.fx);
        let month_cost = 30.0 * sc.money.living_kzt_day as f32;
        let routes = &sc.policy.rvp;
        let eligible = |r: usize| -> bool {
            let route = &routes[r];
            route.open
                && match r {
                    EMPLOYMENT => m.has_local_job(),
                    FAMILY_STUDY => m.has(flag::FAMILY_GROUND),
                    _ => w >= route.fee_kzt as f32 + route.reserve_months as f32 * month_cost,
                }
        };
        let open = |r: usize| eligible(r) && self.quota_used[r] < self.quota_cap[r];
        // A ground the migrant has (a local job, family or study) comes first; otherwise a
        // paid route: a company of one's own or an intermediary, the cheaper more often
        // (chosen with weights 1 / fee).
        let paid: [bool; 2] = [open(OWN_COMPANY), open(INTERMEDIARY)];
        let route = if open(EMPLOYMENT) {
            EMPLOYMENT
        } else if open(FAMILY_STUDY) {
            FAMILY_STUDY
        } else {
            match paid {
                [true, true] => {
                    let w = |r: usize| 1.0 / (routes[r].fee_kzt as f32).max(1.0);
                    let (a, b) = (w(OWN_COMPANY), w(INTERMEDIARY));
                    if self.rng.random::<f32>() * (a + b) < a {
                        OWN_COMPANY
                    } else {
                        INTERMEDIARY
                    }
                }
                [true, false] => OWN_COMPANY,
                [false, true] => INTERMEDIARY,
                [false, false] => return,
            }
        };
        let r = &routes[route];
        self.spend(m, r.fee_kzt as f32, today);
        let info = if informed { 1.0 / speedup } else { 1.0 };
        self.record.help[Help::Information as usize] += informed as u32;
        let days = ((r.docs_days as f32 * info + r.processing_days as f32)
            * policy.bureaucracy_factor
            + policy.rvp_extra_days as f32)
            .round()
            .max(1.0);
        m.legal = Legal::RvpPending;
        m.rvp_route = route as u8;
        m.pending_until = today.t.saturating_add(days as u16);
        self.quota_used[route] += 1;
        m.set(flag::RVP_FRAUD_HIT, false);
        if route == INTERMEDIARY {
            // Information through ties lets migrants vet intermediaries (seed).
            let fraud = r.fraud_prob as f32
                * if informed {
                    sc.social.info_fraud_factor as f32
                } else {
                    1.0
                };
            if self.chance(fraud) {
                m.set(flag::RVP_FRAUD_HIT, true);
            }
        }
    }

    pub(super) fn decide_rvp(&mut self, m: &mut Migrant, today: &Today) {
        let r = &self.sc.policy.rvp[m.rvp_route as usize];
        let approved = !m.has(flag::RVP_FRAUD_HIT) && self.chance(r.approval_prob as f32);
        if approved {
            self.record.rvp_granted[m.rvp_route as usize] += 1;
            m.legal = Legal::Rvp;
            m.status_since = today.t;
            m.legal_until = today
                .t
                .saturating_add(self.sc.legal.rvp_validity_days as u16);
        } else {
            self.record.rvp_refused += 1;
            // Back on the visa-free clock, which may already have run out.
            m.legal = Legal::VisaFree;
            m.legal_until = m.legal_until.max(today.t.saturating_add(1));
        }
        m.pending_until = NO_DAY;
    }

    pub(super) fn renew_rvp(&mut self, m: &mut Migrant, today: &Today) {
        let r = &self.sc.policy.rvp[m.rvp_route as usize];
        let keeps_ground = match m.rvp_route as usize {
            EMPLOYMENT => m.has_local_job(),
            FAMILY_STUDY => true,
            // A company must show turnover: an income (assumption).
            OWN_COMPANY => {
                (m.has_local_job() || m.has_remote_job())
                    && self.wealth(m, today.fx) >= r.fee_kzt as f32
            }
            _ => self.wealth(m, today.fx) >= r.fee_kzt as f32,
        };
        if keeps_ground {
            self.record.rvp_renewed += 1;
            if m.rvp_route as usize != EMPLOYMENT && m.rvp_route as usize != FAMILY_STUDY {
                self.spend(m, r.fee_kzt as f32, today);
            }
            m.legal_until = today
                .t
                .saturating_add(self.sc.legal.rvp_validity_days as u16);
        } else {
            self.record.rvp_lapsed += 1;
            m.legal = Legal::VisaFree;
            m.legal_until = today.t.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Legal, flag};
    use super::super::testkit::{days, migrant, scenario, today, with, world};
    use super::{EMPLOYMENT, INTERMEDIARY, OWN_COMPANY};

    fn ready() -> super::super::agents::Migrant {
        let mut m = migrant();
        m.flags = flag::IIN | flag::NOTIFIED;
        m.legal_until = days::AFTER_BAN + 80;
        m
    }

    #[test]
    fn a_migrant_with_a_local_job_applies_by_the_employment_route() {
        let sc = scenario(&["legal.rvp_seek_prob_per_day=1"]);
        let mut m = ready();
        m.local_kzt_day = 10_000.0;
        let mut sim = world(&sc, vec![m], 2);
        let day = today(&mut sim, days::AFTER_BAN);
        with(&mut sim, 0, |s, m| s.seek_rvp(m, 0, &day));
        assert_eq!(sim.agents[0].legal, Legal::RvpPending);
        assert_eq!(sim.agents[0].rvp_route as usize, EMPLOYMENT);
        assert!(sim.agents[0].pending_until > days::AFTER_BAN);
    }

    #[test]
    fn a_used_up_quota_stops_applications_by_its_route() {
        let sc = scenario(&["legal.rvp_seek_prob_per_day=1"]);
        let mut m = ready();
        m.local_kzt_day = 10_000.0;
        // No money for a paid route: the employment route is the only one.
        (m.kzt, m.rub) = (0.0, 0.0);
        let mut sim = world(&sc, vec![m, m], 2);
        sim.quota_cap[EMPLOYMENT] = 1;
        let day = today(&mut sim, days::AFTER_BAN);
        with(&mut sim, 0, |s, m| s.seek_rvp(m, 0, &day));
        with(&mut sim, 1, |s, m| s.seek_rvp(m, 1, &day));
        assert_eq!(sim.agents[0].legal, Legal::RvpPending);
        assert_eq!(sim.agents[1].legal, Legal::VisaFree, "the quota is used up");
    }

    #[test]
    fn a_paid_route_needs_the_fee_and_its_reserve_of_living_costs() {
        let sc = scenario(&["legal.rvp_seek_prob_per_day=1"]);
        let month = 30.0 * sc.money.living_kzt_day as f32;
        let route = &sc.policy.rvp[OWN_COMPANY];
        let need = route.fee_kzt as f32 + route.reserve_months as f32 * month;
        let apply = |kzt: f32| {
            let mut m = ready();
            (m.kzt, m.rub) = (kzt, 0.0);
            let mut sim = world(&sc, vec![m], 3);
            let day = today(&mut sim, days::AFTER_BAN);
            with(&mut sim, 0, |s, m| s.seek_rvp(m, 0, &day));
            sim.agents[0]
        };
        let poor = apply(need - 1.0);
        assert!(
            poor.legal == Legal::VisaFree
                || poor.rvp_route as usize == INTERMEDIARY
                    && need - 1.0 >= sc.policy.rvp[INTERMEDIARY].fee_kzt as f32 + month,
            "without the reserve the own-company route stays closed"
        );
        let rich = apply(need + 1.0);
        assert_eq!(rich.legal, Legal::RvpPending);
        assert_eq!(rich.rvp_route as usize, OWN_COMPANY);
        assert_eq!(
            rich.kzt,
            need + 1.0 - route.fee_kzt as f32,
            "the fee is paid"
        );
    }

    #[test]
    fn rvp_decisions_and_renewals_are_counted_as_the_authorities_count_them() {
        let sc = scenario(&["policy.rvp.employment.approval_prob=1"]);
        let mut m = ready();
        (m.legal, m.rvp_route, m.local_kzt_day) = (Legal::RvpPending, EMPLOYMENT as u8, 9.0);
        let mut fraud = m;
        fraud.flags |= flag::RVP_FRAUD_HIT;
        let mut sim = world(&sc, vec![m, fraud], 5);
        let day = today(&mut sim, days::AFTER_BAN);
        with(&mut sim, 0, |s, m| s.decide_rvp(m, &day));
        with(&mut sim, 1, |s, m| s.decide_rvp(m, &day));
        assert_eq!(sim.record.rvp_granted, [1, 0, 0, 0]);
        assert_eq!(sim.record.rvp_refused, 1, "a fraudulent package is refused");
        // At the end of the term: the job holder renews, the one who lost it lapses.
        sim.agents[1] = sim.agents[0];
        sim.agents[1].local_kzt_day = 0.0;
        with(&mut sim, 0, |s, m| s.renew_rvp(m, &day));
        with(&mut sim, 1, |s, m| s.renew_rvp(m, &day));
        assert_eq!((sim.record.rvp_renewed, sim.record.rvp_lapsed), (1, 1));
        assert_eq!(sim.agents[1].legal, Legal::VisaFree);
    }
}
