//! Social capital along ties (docs/MODEL.md §7.6.1–7.6.3, §7.6.5): tie decay, whether help
//! can flow and is given (balanced and generalized reciprocity), booking help, loans, and
//! information from ties who hold long-stay status.

use super::params::ParamReader;
use rand::RngExt;

use super::agents::{Help, Housing, Migrant, MigrantId, Status, online};
use super::step::{Sim, Today};
use super::ties::{EXTERNAL, TieCounts, TieKind};

#[derive(Clone, Debug)]
pub struct TiesParams {
    pub enabled: bool,
    pub max_per_agent: u32,
    pub transnational_initial: u32,
    pub transnational_decay_per_month: f64,
    pub decay_per_week: f64,
    pub chat_meeting_prob_per_day: f64,
    pub bed_prob_per_day: f64,
    /// Strength of each transnational tie given at arrival. (strength (1–255))
    pub strength_home: u8,
    /// Strength of the tie to a friend already in Kazakhstan at arrival (`profile.friends_in_kz_share`). (strength (1–255))
    pub strength_friend: u8,
    /// Strength of a tie formed in a service-centre queue (`social.queue_tie_prob`). (strength (1–255))
    pub strength_queue: u8,
    /// Strength of a tie formed when an online chat turns into a meeting. (strength (1–255))
    pub strength_chat: u8,
    /// Strength of the tie between two migrants who rent a flat together. (strength (1–255))
    pub strength_flatmate: u8,
    /// Strength of the local tie to a host who offers a room. (strength (1–255))
    pub strength_local_host: u8,
    /// Strength of the local tie to a landlord (`social.landlord_tie_prob`). (strength (1–255))
    pub strength_landlord: u8,
    /// Strength of the tie between two migrants who meet in a shelter. (strength (1–255))
    pub strength_shelter: u8,
    /// Strength of the local tie to a colleague at a new local job. (strength (1–255))
    pub strength_colleague: u8,
    /// Strength a tie gains each time help flows along it (capped at 255); a full tie list keeps its strongest ties. (strength)
    pub use_gain: u8,
    /// A co-migrant or local tie used within this many days does not decay. (days)
    pub in_use_days: u32,
}

impl TiesParams {
    /// Reads the `[ties]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> TiesParams {
        TiesParams {
            enabled: r.boolean("enabled"),
            max_per_agent: r.int("max_per_agent", 1, 64) as u32,
            transnational_initial: r.int("transnational_initial", 0, 16) as u32,
            transnational_decay_per_month: r.prob("transnational_decay_per_month"),
            decay_per_week: r.prob("decay_per_week"),
            chat_meeting_prob_per_day: r.prob("chat_meeting_prob_per_day"),
            bed_prob_per_day: r.prob("bed_prob_per_day"),
            strength_home: r.int("strength_home", 1, 255) as u8,
            strength_friend: r.int("strength_friend", 1, 255) as u8,
            strength_queue: r.int("strength_queue", 1, 255) as u8,
            strength_chat: r.int("strength_chat", 1, 255) as u8,
            strength_flatmate: r.int("strength_flatmate", 1, 255) as u8,
            strength_local_host: r.int("strength_local_host", 1, 255) as u8,
            strength_landlord: r.int("strength_landlord", 1, 255) as u8,
            strength_shelter: r.int("strength_shelter", 1, 255) as u8,
            strength_colleague: r.int("strength_colleague", 1, 255) as u8,
            use_gain: r.int("use_gain", 1, 255) as u8,
            in_use_days: r.int("in_use_days", 0, 3650) as u32,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SocialParams {
    pub mutual_aid_enabled: bool,
    pub information_enabled: bool,
    pub info_speedup: f64,
    pub info_fraud_factor: f64,
    pub money_help_enabled: bool,
    pub loan_kzt: f64,
    pub loan_prob_per_day: f64,
    pub emotional_support_enabled: bool,
    pub generalized_share: f64,
    pub balanced_limit: i64,
    pub max_guests: u32,
    pub queue_tie_prob: f64,
    pub landlord_tie_prob: f64,
    pub transnational_support_enabled: bool,
    /// Money strain above which a migrant asks ties for a loan. (0–1)
    pub loan_strain: f64,
    /// A co-migrant tie lends only with more than this many loans' worth of tenge. (loans)
    pub lender_reserve_loans: f64,
    /// Co-migrant and local ties that together give full emotional support. (ties)
    pub support_full_near: f64,
    /// Ties at home that together give full emotional support. (ties)
    pub support_full_home: f64,
    /// Share of uninformed buyers of an intermediary's package who buy it from an
    /// acquaintance (a co-migrant tie who holds no permit). (share)
    pub acquaintance_broker_share: f64,
    /// Multiplies the intermediary's fraud chance for a package bought from an acquaintance:
    /// trusted, not vetted. (multiplier)
    pub acquaintance_fraud_factor: f64,
    /// What each guest costs its host a day (food, utilities). (KZT/day)
    pub guest_cost_kzt_day: f64,
    /// A tie whose own money strain is above this takes in no guest. (0–1)
    pub host_max_strain: f64,
}

impl SocialParams {
    /// Reads the `[social]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> SocialParams {
        SocialParams {
            mutual_aid_enabled: r.boolean("mutual_aid_enabled"),
            information_enabled: r.boolean("information_enabled"),
            // Below 0 (down to s = 0.1) and above 1: wrong advice, so that information can
            // harm as well as help in counterfactual tests of the thesis (VALIDATION.md).
            info_speedup: r.num("info_speedup", -0.9, f64::INFINITY),
            info_fraud_factor: r.nonneg("info_fraud_factor"),
            money_help_enabled: r.boolean("money_help_enabled"),
            loan_kzt: r.nonneg("loan_kzt"),
            loan_prob_per_day: r.prob("loan_prob_per_day"),
            emotional_support_enabled: r.boolean("emotional_support_enabled"),
            generalized_share: r.prob("generalized_share"),
            balanced_limit: r.int("balanced_limit", 0, 100),
            max_guests: r.int("max_guests", 0, 50) as u32,
            queue_tie_prob: r.prob("queue_tie_prob"),
            landlord_tie_prob: r.prob("landlord_tie_prob"),
            transnational_support_enabled: r.boolean("transnational_support_enabled"),
            loan_strain: r.prob("loan_strain"),
            lender_reserve_loans: r.nonneg("lender_reserve_loans"),
            support_full_near: r.num("support_full_near", 0.1, 100.0),
            support_full_home: r.num("support_full_home", 0.1, 100.0),
            acquaintance_broker_share: r.prob("acquaintance_broker_share"),
            acquaintance_fraud_factor: r.nonneg("acquaintance_fraud_factor"),
            guest_cost_kzt_day: r.nonneg("guest_cost_kzt_day"),
            host_max_strain: r.prob("host_max_strain"),
        }
    }
}

/// Where a migrant's information on the bureaucracy comes from (`Sim::information`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Information {
    None,
    Channel,
    Tie,
}

impl Sim<'_> {
    /// Tie decay and online meetings. Returns the migrant's tie counts by kind.
    pub(super) fn social(&mut self, m: &mut Migrant, id: u32, today: &Today) -> TieCounts {
        let sc = self.sc;
        let ti = &sc.ties;
        if !ti.enabled {
            return [0; TieKind::COUNT];
        }
        let t = today.t;
        let me = MigrantId(id);
        if (u32::from(t) + id).is_multiple_of(7) {
            let weekly = ti.decay_per_week as f32;
            let transnational = (ti.transnational_decay_per_month / 4.35) as f32;
            // A colleague or a host is seen every day: those local ties are in use.
            let local_in_use = m.has_local_job() || m.housing == Housing::LocalHost;
            let rng = &mut self.rng;
            self.ties.decay(me, |tie| {
                let p = match tie.kind {
                    TieKind::Transnational | TieKind::Abroad => transnational,
                    TieKind::Local if local_in_use => 0.0,
                    _ if u32::from(t.saturating_sub(tie.last_used)) < ti.in_use_days => 0.0,
                    _ => weekly,
                };
                p == 0.0 || rng.random::<f32>() >= p
            });
        }
        self.online(m, id, today);
        if sc.social.money_help_enabled
            && self.aid_possible()
            && m.strain > sc.social.loan_strain as f32
        {
            self.ask_for_money(m, id, today);
        }
        self.ties.counts(me)
    }

    /// Where a migrant's information on the bureaucracy comes from (§7.6.2): a co-migrant
    /// tie who holds an RVP or VNZh (first: it has been through it), an information channel,
    /// or nowhere.
    pub(super) fn information(&self, m: &Migrant, id: u32) -> Information {
        let s = &self.sc.social;
        if !s.information_enabled {
            return Information::None;
        }
        let from_tie = s.mutual_aid_enabled
            && self.sc.ties.enabled
            && self
                .ties
                .of(MigrantId(id))
                .iter()
                .any(|t| t.other != EXTERNAL && self.agents[t.other as usize].legal.is_long_stay());
        if from_tie {
            Information::Tie
        } else if self.sc.online.enabled && m.online & online::INFO_CHANNEL != 0 {
            Information::Channel
        } else {
            Information::None
        }
    }

    /// Whether help can flow along ties at all.
    pub(super) fn aid_possible(&self) -> bool {
        self.sc.ties.enabled && self.sc.social.mutual_aid_enabled
    }

    /// Reciprocity: help is given freely (generalized, with probability `generalized_share`)
    /// or only to those who do not owe too much already (balanced).
    pub(super) fn agrees_to_help(&mut self, m: &Migrant) -> bool {
        let s = &self.sc.social;
        self.chance(s.generalized_share as f32) || i64::from(m.owed) <= s.balanced_limit
    }

    /// Books a help event: the record of who owes whom, the ties' use, the day's count.
    pub(super) fn helped(&mut self, m: &mut Migrant, helper: u32, id: u32, kind: Help, t: u16) {
        m.owed = m.owed.saturating_add(1);
        let h = &mut self.agents[helper as usize];
        h.owed = h.owed.saturating_sub(1);
        self.ties
            .touch(MigrantId(id), helper, t, self.sc.ties.use_gain);
        self.ties
            .touch(MigrantId(helper), id, t, self.sc.ties.use_gain);
        self.record.help[kind as usize] += 1;
    }

    /// A strained migrant asks a co-migrant tie with money to spare for a loan; the helper
    /// pays it from their own tenge.
    pub(super) fn ask_for_money(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let loan = self.sc.social.loan_kzt as f32;
        if !self.chance(self.sc.social.loan_prob_per_day as f32) {
            return;
        }
        let lender = self.ties.of(MigrantId(id)).iter().find_map(|tie| {
            if tie.other == EXTERNAL {
                return None;
            }
            let o = &self.agents[tie.other as usize];
            (o.status == Status::Present
                && o.kzt > self.sc.social.lender_reserve_loans as f32 * loan)
                .then_some(tie.other)
        });
        if let Some(lender) = lender
            && self.agrees_to_help(m)
        {
            self.agents[lender as usize].kzt -= loan;
            m.kzt += loan;
            self.helped(m, lender, id, Help::Money, today.t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Help, MigrantId};
    use super::super::testkit::{days, link, migrant, scenario, tie, today, with, world};
    use super::super::ties::TieKind;

    #[test]
    fn unused_ties_decay_on_the_weekly_day_and_ties_used_within_in_use_days_do_not() {
        let sc = scenario(&["ties.decay_per_week=1", "online.enabled=false"]);
        let in_use = sc.ties.in_use_days as u16;
        // Migrant 0 checks its ties on days with t % 7 == 0; day 35 is one, 36 is not.
        let (check, other) = (35, 36);
        assert!(check >= in_use && check % 7 == 0);
        let run = |t: u16, local_job: bool| {
            let mut m = migrant();
            m.local_kzt_day = if local_job { 10_000.0 } else { 0.0 };
            let mut sim = world(&sc, vec![m, migrant(), migrant()], 10);
            link(&mut sim, 0, 1, 0); // formed on day 0, never used
            link(&mut sim, 0, 2, check - in_use + 1); // formed within in_use_days
            sim.ties.add_external(MigrantId(0), TieKind::Local, 100, 0);
            let day = today(&mut sim, t);
            with(&mut sim, 0, |s, m| s.social(m, 0, &day))
        };
        let mut counts = run(check, false);
        assert_eq!(
            counts,
            [1, 0, 0, 0],
            "the old co-migrant and the unused local tie lapse"
        );
        counts = run(other, false);
        assert_eq!(counts, [2, 1, 0, 0], "no decay on other days");
        counts = run(check, true);
        assert_eq!(counts, [1, 1, 0, 0], "a local job keeps local ties in use");
        // The lapsed tie is gone on both ends.
        let mut sim = world(&sc, vec![migrant(), migrant()], 10);
        link(&mut sim, 0, 1, 0);
        let day = today(&mut sim, check);
        with(&mut sim, 0, |s, m| s.social(m, 0, &day));
        assert!(tie(&sim, 0, 1).is_none() && tie(&sim, 1, 0).is_none());
    }

    #[test]
    fn balanced_reciprocity_refuses_a_migrant_who_owes_more_than_the_balanced_limit() {
        let limit = 2;
        let sc = scenario(&[
            "social.generalized_share=0",
            &format!("social.balanced_limit={limit}"),
        ]);
        let mut sim = world(&sc, vec![migrant()], 11);
        let mut m = migrant();
        for _ in 0..100 {
            m.owed = limit;
            assert!(sim.agrees_to_help(&m), "owes exactly the limit");
            m.owed = limit + 1;
            assert!(!sim.agrees_to_help(&m), "owes more than the limit");
        }
        // Generalized reciprocity helps whatever the record.
        let sc = scenario(&["social.generalized_share=1", "social.balanced_limit=0"]);
        let mut sim = world(&sc, vec![migrant()], 11);
        m.owed = 100;
        assert!((0..100).all(|_| sim.agrees_to_help(&m)));
    }

    #[test]
    fn a_strained_migrant_borrows_a_loan_from_a_tie_with_more_than_the_lenders_reserve() {
        let sc = scenario(&[
            "social.loan_prob_per_day=1",
            "social.generalized_share=0",
            "online.enabled=false",
        ]);
        let loan = sc.social.loan_kzt as f32;
        let reserve = sc.social.lender_reserve_loans as f32 * loan;
        let strained = sc.social.loan_strain as f32 + 0.1;
        let borrow = |strain: f32, lender_kzt: f32| {
            let mut m = migrant();
            (m.strain, m.kzt) = (strain, 0.0);
            let mut lender = migrant();
            lender.kzt = lender_kzt;
            let mut sim = world(&sc, vec![m, lender], 12);
            link(&mut sim, 0, 1, 0);
            // Day 10: not migrant 0's weekly decay day.
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.social(m, 0, &day));
            sim
        };
        let sim = borrow(strained, reserve + 1.0);
        assert_eq!(sim.agents[0].kzt, loan);
        assert_eq!(sim.agents[1].kzt, reserve + 1.0 - loan);
        assert_eq!((sim.agents[0].owed, sim.agents[1].owed), (1, -1));
        assert_eq!(sim.record.help[Help::Money as usize], 1);
        assert_eq!(tie(&sim, 1, 0).map(|t| t.last_used), Some(days::EARLY));
        // A lender with no more than its reserve keeps it; an unstrained migrant does not ask.
        for (strain, kzt) in [(strained, reserve), (strained - 0.2, reserve * 10.0)] {
            let sim = borrow(strain, kzt);
            assert_eq!(sim.agents[0].kzt, 0.0, "strain {strain}, lender {kzt}");
            assert_eq!(sim.agents[1].kzt, kzt);
            assert_eq!(sim.record.help[Help::Money as usize], 0);
        }
    }
}
