//! Online communities (docs/MODEL.md §7.6.4): open information channels, closed community
//! chats entered by invitation through ties, and chats that turn into meetings.

use super::params::ParamReader;
use rand::RngExt;

use super::agents::{Migrant, MigrantId, online};
use super::step::{Sim, Today};
use super::ties::TieKind;

#[derive(Clone, Debug)]
pub struct OnlineParams {
    pub enabled: bool,
    pub info_join_prob_per_day: f64,
    pub community_initial_share: f64,
    pub community_invite_prob_per_day: f64,
    pub community_meeting_multiplier: f64,
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
                if let Some(other) = invited {
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
