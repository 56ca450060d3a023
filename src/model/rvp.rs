//! Temporary residence permits (docs/MODEL.md §7.2.4–7.2.7): seeking an RVP, the four
//! routes and their quotas, fraud by intermediaries, the decision, the term and renewal.

use rand::RngExt;

use super::agents::{Help, Legal, Migrant, MigrantId, NO_DAY, flag};
use super::ties::TieKind;
use super::ties_help::Information;
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
        let source = self.information(m, id);
        let informed = source != Information::None;
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
        // A package is bad (refused at the decision) if the intermediary cheats, or if the
        // documents follow a channel's wrong advice with no tie who has been through it.
        let so = &sc.social;
        let bad_package = if route == INTERMEDIARY {
            let factor = match source {
                Information::Tie | Information::Channel => so.info_fraud_factor as f32,
                // Bought from an acquaintance (a co-migrant tie without a permit): trusted,
                // not vetted.
                Information::None
                    if so.acquaintance_broker_share > 0.0
                        && self.aid_possible()
                        && self.ties.counts(MigrantId(id))[TieKind::CoMigrant as usize] > 0
                        && self.chance(so.acquaintance_broker_share as f32) =>
                {
                    so.acquaintance_fraud_factor as f32
                }
                Information::None => 1.0,
            };
            let fraud = self.chance(r.fraud_prob as f32 * factor);
            self.record.rvp_fraud += fraud as u32;
            fraud
        } else {
            false
        };
        let wrong = source == Information::Channel && self.chance(sc.online.wrong_info_prob as f32);
        self.record.rvp_wrong_info += wrong as u32;
        m.set(flag::BAD_PACKAGE, bad_package || wrong);
    }

    pub(super) fn decide_rvp(&mut self, m: &mut Migrant, today: &Today) {
        let r = &self.sc.policy.rvp[m.rvp_route as usize];
        let approved = !m.has(flag::BAD_PACKAGE) && self.chance(r.approval_prob as f32);
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
    use super::super::agents::{Legal, flag, online};
    use super::super::testkit::{days, link, migrant, scenario, share, today, with, world};
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
        fraud.flags |= flag::BAD_PACKAGE;
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

    /// A ready migrant (IIN, notification) on the intermediary route only (no job, no
    /// family ground, own company closed), with `ties` co-migrant ties of whom the first
    /// `with_permit` hold an RVP; the share of `n` applications with a fraudulent package.
    fn fraud_share(sets: &[&str], ties: u32, with_permit: u32) -> f64 {
        let mut all = vec!["legal.rvp_seek_prob_per_day=1", "policy.rvp.own_company.open=false"];
        all.extend_from_slice(sets);
        let sc = scenario(&all);
        share(3000, |seed| {
            let mut others = vec![ready()];
            for k in 0..ties {
                let mut o = migrant();
                o.legal = if k < with_permit { Legal::Rvp } else { Legal::VisaFree };
                others.push(o);
            }
            let mut sim = world(&sc, others, seed);
            for k in 0..ties {
                link(&mut sim, 0, k + 1, 0);
            }
            let day = today(&mut sim, days::AFTER_BAN);
            with(&mut sim, 0, |s, m| s.seek_rvp(m, 0, &day));
            assert_eq!(sim.agents[0].rvp_route as usize, INTERMEDIARY);
            assert_eq!(sim.record.rvp_fraud, u32::from(sim.agents[0].has(flag::BAD_PACKAGE)));
            sim.agents[0].has(flag::BAD_PACKAGE)
        })
    }

    #[test]
    fn a_package_bought_from_an_acquaintance_is_riskier_and_one_vetted_by_a_permit_holder_safer() {
        let so = ["online.enabled=false", "social.acquaintance_broker_share=1"];
        let sc = scenario(&so);
        let base = sc.policy.rvp[INTERMEDIARY].fraud_prob;
        let (alone, acquaintance, vetted) = (
            fraud_share(&so, 0, 0),
            fraud_share(&so, 1, 0),
            fraud_share(&so, 1, 1),
        );
        let near = |got: f64, want: f64| (got - want).abs() < 0.03;
        assert!(near(alone, base), "no tie: {alone} vs {base}");
        let factor = sc.social.acquaintance_fraud_factor;
        assert!(near(acquaintance, base * factor), "acquaintance: {acquaintance}");
        let vetting = sc.social.info_fraud_factor;
        assert!(near(vetted, base * vetting), "vetted: {vetted}");
        // Without acquaintance brokers a tie without a permit changes nothing.
        let none = ["online.enabled=false", "social.acquaintance_broker_share=0"];
        assert!(near(fraud_share(&none, 1, 0), base));
    }

    #[test]
    fn wrong_chat_advice_spoils_an_application_built_on_a_channel_alone() {
        let sc = scenario(&["legal.rvp_seek_prob_per_day=1", "online.wrong_info_prob=1"]);
        let apply = |permit_holder: bool| {
            let mut m = ready();
            m.local_kzt_day = 10_000.0; // the employment route: no fraud there
            m.online = online::INFO_CHANNEL;
            let mut friend = migrant();
            friend.legal = if permit_holder { Legal::Rvp } else { Legal::VisaFree };
            let mut sim = world(&sc, vec![m, friend], 2);
            link(&mut sim, 0, 1, 0);
            let day = today(&mut sim, days::AFTER_BAN);
            with(&mut sim, 0, |s, m| s.seek_rvp(m, 0, &day));
            assert_eq!(sim.agents[0].legal, Legal::RvpPending);
            with(&mut sim, 0, |s, m| s.decide_rvp(m, &day));
            sim
        };
        let spoiled = apply(false);
        assert_eq!(spoiled.record.rvp_wrong_info, 1);
        assert_eq!(spoiled.record.rvp_refused, 1, "the wrong package is refused");
        assert_eq!(spoiled.agents[0].legal, Legal::VisaFree);
        // A tie who has been through it is believed first: the channel's advice is not used.
        let checked = apply(true);
        assert_eq!(checked.record.rvp_wrong_info, 0);
    }
}
