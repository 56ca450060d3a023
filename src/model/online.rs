//! Online communities (docs/MODEL.md §7.6.4): open information channels, closed community
//! chats entered by invitation through ties, and chats that turn into meetings.

use super::params::ParamReader;
use rand::RngExt;

use super::agents::{Migrant, MigrantId, Status, online};
use super::step::{Sim, Today};
use super::ties::TieKind;

#[derive(Clone, Debug)]
pub struct OnlineParams {
    pub enabled: bool,
    pub info_join_prob_per_day: f64,
    pub community_initial_share: f64,
    pub community_invite_prob_per_day: f64,
    pub community_meeting_multiplier: f64,
    /// Daily chance a member drifts away from the community chat. (1/day)
    pub community_leave_prob_per_day: f64,
    /// Chance that what a channel says about an RVP application is wrong, so that an
    /// application built on it alone is refused. (share)
    pub wrong_info_prob: f64,
}

impl OnlineParams {
    /// Reads the `[online]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> OnlineParams {
        OnlineParams {
            enabled: r.boolean("enabled"),
            info_join_prob_per_day: r.prob("info_join_prob_per_day"),
            community_initial_share: r.prob("community_initial_share"),
            community_invite_prob_per_day: r.prob("community_invite_prob_per_day"),
            community_meeting_multiplier: r.nonneg("community_meeting_multiplier"),
            community_leave_prob_per_day: r.prob("community_leave_prob_per_day"),
            wrong_info_prob: r.prob("wrong_info_prob"),
        }
    }
}

impl Sim<'_> {
    /// Online communities: joining open channels, invitations to closed chats through ties,
    /// and chats that turn into meetings (new co-migrant ties).
    pub(super) fn online(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let on = &self.sc.online;
        if !on.enabled {
            return;
        }
        let t = today.t;
        if m.online & online::INFO_CHANNEL == 0 && self.chance(on.info_join_prob_per_day as f32) {
            m.online |= online::INFO_CHANNEL;
        }
        // Members invite co-migrant ties into their closed chat, at
        // `community_invite_prob_per_day` per tie and day; pushed from the member's side.
        if m.online & online::COMMUNITY != 0 && self.chance(on.community_leave_prob_per_day as f32)
        {
            m.online &= !online::COMMUNITY;
        }
        if m.online & online::COMMUNITY != 0 {
            let n = self.ties.counts(MigrantId(id))[TieKind::CoMigrant as usize];
            if n > 0 && self.chance(on.community_invite_prob_per_day as f32 * f32::from(n)) {
                let k = self.rng.random_range(0..usize::from(n));
                let invited = self
                    .ties
                    .of(MigrantId(id))
                    .iter()
                    .filter(|x| x.kind == TieKind::CoMigrant)
                    .nth(k)
                    .map(|x| x.other);
                // An invitation to a tie who has left changes nothing (MODEL.md §7.6.4).
                if let Some(other) = invited
                    && self.agents[other as usize].status == Status::Present
                {
                    self.agents[other as usize].online |= online::COMMUNITY;
                }
            }
        }
        let mut p = self.sc.ties.chat_meeting_prob_per_day as f32;
        if m.online & online::COMMUNITY != 0 {
            p *= on.community_meeting_multiplier as f32;
        }
        if self.chance(p)
            && let Some(other) = self.random_present_in(m.city, id)
        {
            self.ties.link(
                MigrantId(id),
                MigrantId(other),
                self.sc.ties.strength_chat,
                t,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{MigrantId, Status, online};
    use super::super::testkit::{days, link, migrant, scenario, share, today, with, world};
    use super::super::ties::TieKind;

    #[test]
    fn a_community_member_invites_a_co_migrant_tie_into_the_community_chat() {
        let sc = scenario(&[
            "online.community_invite_prob_per_day=1",
            "online.info_join_prob_per_day=0",
            "ties.chat_meeting_prob_per_day=0",
        ]);
        let invite = |member: bool| {
            let mut m = migrant();
            m.online = if member { online::COMMUNITY } else { 0 };
            let mut sim = world(&sc, vec![m, migrant(), migrant()], 13);
            link(&mut sim, 0, 1, 0);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.online(m, 0, &day));
            sim.agents.iter().map(|m| m.online).collect::<Vec<u8>>()
        };
        assert_eq!(
            invite(true),
            [online::COMMUNITY, online::COMMUNITY, 0],
            "the tie is invited, the stranger is not"
        );
        assert_eq!(invite(false), [0, 0, 0], "only members invite");
    }

    #[test]
    fn an_invitation_to_a_tie_who_has_left_changes_nothing() {
        let sc = scenario(&[
            "online.community_invite_prob_per_day=1",
            "online.info_join_prob_per_day=0",
            "ties.chat_meeting_prob_per_day=0",
        ]);
        let mut member = migrant();
        member.online = online::COMMUNITY;
        let mut gone = migrant();
        gone.status = Status::Returned;
        let mut sim = world(&sc, vec![member, gone], 13);
        link(&mut sim, 0, 1, 0);
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.online(m, 0, &day));
        assert_eq!(sim.agents[1].online, 0);
    }

    #[test]
    fn information_channels_are_joined_at_their_daily_rate() {
        let joined = |sets: &[&str]| {
            let sc = scenario(sets);
            share(4000, |seed| {
                let mut sim = world(&sc, vec![migrant()], seed);
                let day = today(&mut sim, days::EARLY);
                with(&mut sim, 0, |s, m| s.online(m, 0, &day));
                sim.agents[0].online & online::INFO_CHANNEL != 0
            })
        };
        let rate = joined(&["online.info_join_prob_per_day=0.3"]);
        assert!((rate - 0.3).abs() < 0.03, "joined {rate}");
        let off = joined(&["online.info_join_prob_per_day=0.3", "online.enabled=false"]);
        assert_eq!(off, 0.0);
    }

    #[test]
    fn chats_turn_into_meetings_more_often_for_community_members() {
        let sc = scenario(&[
            "ties.chat_meeting_prob_per_day=0.1",
            "online.community_meeting_multiplier=3",
            "online.info_join_prob_per_day=0",
        ]);
        let met = |member: bool| {
            share(6000, |seed| {
                let mut m = migrant();
                m.online = if member { online::COMMUNITY } else { 0 };
                let mut sim = world(&sc, vec![m, migrant()], seed);
                let day = today(&mut sim, days::EARLY);
                with(&mut sim, 0, |s, m| s.online(m, 0, &day));
                sim.ties.counts(MigrantId(0))[TieKind::CoMigrant as usize] == 1
            })
        };
        // One other migrant present: four picks among two find it with chance 1 - 1/16.
        let found = 1.0 - 0.5f64.powi(4);
        let (outsider, member) = (met(false), met(true));
        assert!(
            (outsider - 0.1 * found).abs() < 0.015,
            "outsider {outsider}"
        );
        assert!((member - 0.3 * found).abs() < 0.025, "member {member}");
    }

    #[test]
    fn a_community_member_drifts_away_at_the_leave_rate() {
        let sc = scenario(&[
            "online.community_leave_prob_per_day=0.25",
            "online.info_join_prob_per_day=0",
            "ties.chat_meeting_prob_per_day=0",
        ]);
        let left = share(8000, |seed| {
            let mut m = migrant();
            m.online = online::COMMUNITY;
            let mut sim = world(&sc, vec![m], seed);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.online(m, 0, &day));
            sim.agents[0].online & online::COMMUNITY == 0
        });
        assert!((left - 0.25).abs() < 0.02, "{left}");
    }
}
