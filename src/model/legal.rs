//! Bureaucracy and legal clocks (docs/MODEL.md §7.2.1–7.2.3, §7.2.8–7.2.10): notification,
//! IIN, bank card, the visa-free clock and border runs, VNZh, overstay, fines and
//! deportation, and re-entry of returnees (the 90-in-180 window after the border-run ban).
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
    /// Daily chance an overstayer is caught (fined; deported on a second catch or with
    /// `deport_prob_when_caught`). (1/day)
    pub overstay_caught_prob_per_day: f64,
    /// Whether overstaying is an option of the forced choice (§7.2.9). (switch)
    pub overstay_enabled: bool,
    /// Fine paid when an overstayer is caught. (KZT)
    pub overstay_fine_kzt: f64,
    /// Chance that a first catch already ends in deportation. (share)
    pub deport_prob_when_caught: f64,
    /// Days a deported migrant may not enter Kazakhstan. (days)
    pub deport_entry_ban_days: u32,
    /// Whether returnees may come back (§7.2.10). (switch)
    pub reentry_enabled: bool,
    /// The window of the 90-in-180 rule: once border runs are banned a returnee must have
    /// been out `window_days − visa_free_days` days before entering again. (days)
    pub window_days: u32,
    /// Daily chance that a returnee who may enter comes back (the second wave). (1/day)
    pub reentry_prob_per_day: f64,
    /// The same for a returnee who left because the legal stay ended (reason `legal`). (1/day)
    pub reentry_legal_prob_per_day: f64,
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
            overstay_caught_prob_per_day: r.prob("overstay_caught_prob_per_day"),
            overstay_enabled: r.boolean("overstay_enabled"),
            overstay_fine_kzt: r.nonneg("overstay_fine_kzt"),
            deport_prob_when_caught: r.prob("deport_prob_when_caught"),
            deport_entry_ban_days: r.int("deport_entry_ban_days", 0, 36500) as u32,
            reentry_enabled: r.boolean("reentry_enabled"),
            window_days: r.int("window_days", 0, 3650) as u32,
            reentry_prob_per_day: r.prob("reentry_prob_per_day"),
            reentry_legal_prob_per_day: r.prob("reentry_legal_prob_per_day"),
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
                        self.bring_cash(m, today.fx);
                        m.legal_until = t.saturating_add(lg.visa_free_days as u16);
                    } else {
                        return self.forced_choice(m, id, today);
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
                // Caught: a fine each time; deportation on a second catch (a repeated
                // offence) or, with `deport_prob_when_caught`, already on the first.
                if self.chance(lg.overstay_caught_prob_per_day as f32) {
                    self.record.overstay_fines += 1;
                    self.spend(m, lg.overstay_fine_kzt as f32, today);
                    if m.has(flag::FINED) || self.chance(lg.deport_prob_when_caught as f32) {
                        return Some((Status::Returned, Reason::Deported));
                    }
                    m.set(flag::FINED, true);
                }
            }
        }
        None
    }

    /// A migrant returns to Russia on day `t` (called by `depart`): draws when it may come
    /// back. The wait is geometric in the days on which it may enter (a daily chance
    /// `reentry_prob_per_day`, or `reentry_legal_prob_per_day` after a legal departure,
    /// drawn once here rather than every day); a deported migrant may not enter for
    /// `deport_entry_ban_days`. Returnees who would not come back within the run are not
    /// kept.
    pub(super) fn schedule_reentry(&mut self, m: &Migrant, id: u32, reason: Reason, t: u16) {
        let lg = &self.sc.legal;
        if !lg.reentry_enabled {
            return;
        }
        let p = if reason == Reason::Legal {
            lg.reentry_legal_prob_per_day
        } else {
            lg.reentry_prob_per_day
        };
        if p <= 0.0 || m.has(flag::TRANSIT) {
            return;
        }
        let u = 1.0 - self.rng.random::<f64>(); // in (0, 1]
        let wait = if p >= 1.0 {
            0.0
        } else {
            (u.ln() / (1.0 - p).ln()).floor()
        };
        let min_out = if reason == Reason::Deported {
            lg.deport_entry_ban_days
        } else {
            0
        };
        let horizon = f64::from(self.sc.days());
        if wait >= horizon || f64::from(min_out) >= horizon {
            return;
        }
        self.away.push(Away {
            id,
            left: t,
            min_out: min_out as u16,
            wait: wait as u16,
        });
    }

    /// Re-entries of the day (after the day's arrivals): every returnee who may enter today
    /// counts down its wait and, at 0, comes back to the city it left with a new visa-free
    /// clock. Once border runs are banned, entering needs `window_days − visa_free_days`
    /// days out (the 90-in-180 rule). Returnees are taken in the order they left.
    pub(super) fn reentries(&mut self, t: u16) {
        let lg = &self.sc.legal;
        let window_out = lg.window_days.saturating_sub(lg.visa_free_days);
        let runs_allowed = self.world.policy.border_runs_allowed || !lg.enabled;
        let mut kept = 0;
        for k in 0..self.away.len() {
            let mut a = self.away[k];
            let out = u32::from(t.saturating_sub(a.left));
            let may_enter =
                out >= 1 && out >= u32::from(a.min_out) && (runs_allowed || out >= window_out);
            if may_enter && a.wait == 0 {
                self.reenter(a.id, t);
                continue;
            }
            if may_enter {
                a.wait -= 1;
            }
            self.away[kept] = a;
            kept += 1;
        }
        self.away.truncate(kept);
    }

    /// A returnee enters again: present, on a new visa-free clock, in a hotel, without a
    /// local job or its notification, with cash brought on the way in (§7.3); money, IIN,
    /// card, memberships and ties to people
    /// outside the population are as it left them; days here still count from the first
    /// arrival (so the newcomer term does not return).
    fn reenter(&mut self, id: u32, t: u16) {
        let sc = self.sc;
        let m = &mut self.agents[id as usize];
        m.status = Status::Present;
        m.legal = Legal::VisaFree;
        m.legal_until = t.saturating_add(sc.legal.visa_free_days as u16);
        m.pending_until = NO_DAY;
        m.status_since = t;
        m.housing = Housing::Hotel;
        m.housing_since = t;
        m.integ_days = 0;
        m.strain = 0.0;
        m.stress = sc.profile.initial_stress as f32;
        for f in [
            flag::NOTIFIED,
            flag::INTEGRATED,
            flag::JOB_VIA_TIE,
            flag::HOUSED_VIA_TIE,
            flag::BAD_PACKAGE,
            flag::FINED,
        ] {
            m.set(f, false);
        }
        // Persons, not departures: the returnee is present again, so it leaves `returned`
        // and its reason's `left_<reason>` (departures as events are these plus
        // `reentries`).
        self.record.reentries += 1;
        self.record.returned -= 1;
        self.record.left[m.reason as usize] -= 1;
        self.record.gone_from[m.city as usize] -= 1;
        let mut m = *m;
        self.bring_cash(&mut m, self.world.kzt_per_rub as f32);
        self.agents[id as usize] = m;
        self.active.push(id);
    }
}

/// A returnee who may come back: who, the day it left, the days it must stay out whatever
/// the rules (a deportation's entry ban), and the days on which it may enter that it will
/// still let pass.
#[derive(Clone, Copy, Debug)]
pub(super) struct Away {
    pub id: u32,
    pub left: u16,
    pub min_out: u16,
    pub wait: u16,
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Legal, MigrantId, Reason, Status, flag};
    use super::super::step::Sim;
    use super::super::testkit::{days, migrant, scenario, share, today, with, world};
    use super::super::ties::TieKind;

    #[test]
    fn a_border_run_renews_the_visa_free_stay_and_costs_its_price_while_allowed() {
        let run = |cash: &str| {
            let sc = scenario(&[cash]);
            let mut m = migrant();
            m.legal_until = days::EARLY;
            let mut sim = world(&sc, vec![m], 1);
            let day = today(&mut sim, days::EARLY);
            let left = with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day));
            let m = sim.agents[0];
            assert_eq!(left, None);
            assert_eq!(m.legal, Legal::VisaFree);
            assert_eq!(m.legal_until, days::EARLY + sc.legal.visa_free_days as u16);
            (sc.legal.border_run_cost_kzt as f32, m)
        };
        let (cost, m) = run("money.cash_enabled=false");
        assert_eq!(m.kzt, migrant().kzt - cost);
        assert_eq!(m.rub, migrant().rub);
        // The trip is also a chance to bring cash: rubles turn into tenge (§7.3).
        let (_, m) = run("money.cash_enabled=true");
        assert!(m.rub < migrant().rub && m.kzt > migrant().kzt - cost, "{m:?}");
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
    fn overstayers_are_caught_at_the_daily_rate() {
        let sc = scenario(&[
            "legal.overstay_caught_prob_per_day=0.25",
            "legal.deport_prob_when_caught=1",
        ]);
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

    #[test]
    fn a_caught_overstayer_pays_the_fine_and_is_deported_at_the_second_catch() {
        let sc = scenario(&[
            "legal.overstay_caught_prob_per_day=1",
            "legal.deport_prob_when_caught=0",
        ]);
        let mut m = migrant();
        m.legal = Legal::Overstay;
        let mut sim = world(&sc, vec![m], 4);
        let day = today(&mut sim, days::AFTER_BAN);
        let first = with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day));
        assert_eq!(first, None, "a first catch is a fine");
        assert!(sim.agents[0].has(flag::FINED));
        assert_eq!(sim.agents[0].kzt, m.kzt - sc.legal.overstay_fine_kzt as f32);
        let second = with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day));
        assert_eq!(second, Some((Status::Returned, Reason::Deported)));
        assert_eq!(sim.record.overstay_fines, 2, "fined at each catch");
    }

    /// Share of `n` migrants (built by `setup`) whose ended stay turns into an overstay.
    fn overstay_share(sets: &[&str], n: u64, setup: impl Fn(&mut Sim<'_>)) -> f64 {
        let sc = scenario(sets);
        share(n, |seed| {
            let mut m = migrant();
            m.legal_until = days::AFTER_BAN;
            let mut sim = world(&sc, vec![m], seed);
            setup(&mut sim);
            let day = today(&mut sim, days::AFTER_BAN);
            with(&mut sim, 0, |s, m| s.bureaucracy(m, 0, &day));
            sim.agents[0].legal == Legal::Overstay
        })
    }

    #[test]
    fn ties_here_make_an_overstay_more_likely_and_the_switch_removes_it() {
        let alone = overstay_share(&[], 4000, |_| {});
        let held = overstay_share(&[], 4000, |sim| {
            for _ in 0..3 {
                sim.ties
                    .add_external(MigrantId(0), TieKind::Local, 100, days::EARLY);
            }
        });
        assert!(alone > 0.0, "overstaying is an option: {alone}");
        assert!(held > 1.5 * alone, "ties hold: {held} vs {alone}");
        let off = overstay_share(
            &[
                "legal.overstay_enabled=false",
                "decisions.overstay_constant=20",
            ],
            500,
            |_| {},
        );
        assert_eq!(off, 0.0);
    }

    /// The first day on or after `from` (up to `to`) on which migrant 0, who returned to
    /// Russia on day `left` for `reason`, is present again.
    fn back_on(sets: &[&str], reason: Reason, left: u16, to: u16) -> Option<u16> {
        let sc = scenario(sets);
        let mut sim = world(&sc, vec![migrant()], 9);
        let day = today(&mut sim, left);
        with(&mut sim, 0, |s, m| {
            s.depart(m, 0, Status::Returned, reason, 0, day.t)
        });
        sim.active.clear();
        for t in left + 1..=to {
            today(&mut sim, t);
            sim.reentries(t);
            if sim.agents[0].status == Status::Present {
                let m = sim.agents[0];
                assert_eq!(m.legal, Legal::VisaFree);
                assert_eq!(m.legal_until, t + sc.legal.visa_free_days as u16);
                assert_eq!(m.departed, left, "the first departure is kept");
                assert_eq!(sim.record.reentries, 1);
                assert_eq!(sim.active, [0]);
                return Some(t);
            }
        }
        None
    }

    #[test]
    fn after_the_ban_a_returnee_comes_back_only_after_the_rest_of_the_180_day_window() {
        let sure = ["legal.reentry_legal_prob_per_day=1"];
        // Border runs allowed: back the next day. Banned: 180 − 90 = 90 days out first.
        assert_eq!(
            back_on(&sure, Reason::Legal, days::EARLY, 300),
            Some(days::EARLY + 1)
        );
        assert_eq!(
            back_on(&sure, Reason::Legal, days::AFTER_BAN, 400),
            Some(days::AFTER_BAN + 90)
        );
        let wider = [
            "legal.reentry_legal_prob_per_day=1",
            "legal.window_days=200",
        ];
        assert_eq!(
            back_on(&wider, Reason::Legal, days::AFTER_BAN, 400),
            Some(days::AFTER_BAN + 110)
        );
        // Other returnees come back at their own (here: no) rate; none without re-entry.
        let other = [
            "legal.reentry_prob_per_day=0",
            "legal.reentry_legal_prob_per_day=1",
        ];
        assert_eq!(back_on(&other, Reason::Money, days::EARLY, 400), None);
        let off = [
            "legal.reentry_enabled=false",
            "legal.reentry_legal_prob_per_day=1",
        ];
        assert_eq!(back_on(&off, Reason::Legal, days::EARLY, 400), None);
    }

    #[test]
    fn a_deported_migrant_stays_out_for_its_entry_ban() {
        let banned = [
            "legal.reentry_prob_per_day=1",
            "legal.deport_entry_ban_days=150",
        ];
        assert_eq!(
            back_on(&banned, Reason::Deported, days::EARLY, 400),
            Some(days::EARLY + 150)
        );
        let baseline = ["legal.reentry_prob_per_day=1"];
        assert_eq!(back_on(&baseline, Reason::Deported, days::EARLY, 800), None);
    }

    #[test]
    fn the_daily_chance_of_coming_back_sets_the_mean_wait() {
        // A geometric wait in the days on which entering is allowed: mean (1 − p) / p.
        let sc = scenario(&["legal.reentry_prob_per_day=0.05"]);
        let mut sim = world(&sc, vec![migrant(); 2000], 21);
        let day = today(&mut sim, days::EARLY);
        for id in 0..2000 {
            with(&mut sim, id, |s, m| {
                s.depart(m, id, Status::Returned, Reason::Money, 0, day.t)
            });
        }
        let waits: Vec<f64> = sim.away.iter().map(|a| f64::from(a.wait)).collect();
        let mean = waits.iter().sum::<f64>() / waits.len() as f64;
        assert!(waits.len() > 1990, "almost all come back within the run");
        assert!((mean - 19.0).abs() < 1.5, "mean wait {mean}");
    }
}
