//! Integration (docs/MODEL.md §7.9): an index of six components (legal status, housing,
//! income, language, local ties, participation), each observed on its own; a migrant counts
//! as integrated once at least `min_components` of them have held together for `hold_days`.
//! No component is required by itself, so switching one channel off lowers integration
//! only as far as migrants then miss enough of the others.

use super::agents::{Migrant, flag, online};
use super::params::ParamReader;
use super::step::Sim;
use super::ties::{TieCounts, TieKind};

/// The components of the integration index, in column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Component {
    /// An RVP or a VNZh.
    Legal,
    /// A flat (rented alone or shared) or a stable room at a friend's or a local host's.
    Housing,
    /// A job, local or remote.
    Income,
    /// Speaks the city's language: Kazakh, or Russian in a city where at least
    /// `integration.language_share` speak it.
    Language,
    /// At least `integration.min_local_ties` ties to locals.
    LocalTies,
    /// Takes part in a migrant community (a closed community chat).
    Participation,
}

impl Component {
    pub const COUNT: usize = 6;
    pub const NAMES: [&'static str; Component::COUNT] = [
        "legal",
        "housing",
        "income",
        "language",
        "local_ties",
        "participation",
    ];
}

#[derive(Clone, Debug)]
pub struct IntegrationParams {
    pub hold_days: u32,
    pub min_local_ties: u32,
    /// Components of the index that must hold together. (components, 1–6)
    pub min_components: u32,
    /// A Russian speaker has the language component in a city where at least this share
    /// speaks Russian. (share)
    pub language_share: f64,
}

impl IntegrationParams {
    /// Reads the `[integration]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> IntegrationParams {
        IntegrationParams {
            hold_days: r.int("hold_days", 0, 3650) as u32,
            min_local_ties: r.int("min_local_ties", 0, 64) as u32,
            min_components: r.int("min_components", 1, Component::COUNT as i64) as u32,
            language_share: r.prob("language_share"),
        }
    }
}

impl Sim<'_> {
    /// Which components of the index hold for `m` today.
    pub(super) fn components(&self, m: &Migrant, ties: TieCounts) -> [bool; Component::COUNT] {
        let ig = &self.sc.integration;
        let city = &self.sc.cities[m.city as usize];
        [
            m.legal.is_long_stay(),
            m.housing.is_stable(),
            m.has_local_job() || m.has_remote_job(),
            m.has(flag::KAZAKH) || city.russian_speaking_share >= ig.language_share,
            u32::from(ties[TieKind::Local as usize]) >= ig.min_local_ties,
            m.online & online::COMMUNITY != 0,
        ]
    }

    /// Updates the index of a migrant who stays today and counts its components.
    pub(super) fn integration(&mut self, m: &mut Migrant, ties: TieCounts) {
        let ig = &self.sc.integration;
        let parts = self.components(m, ties);
        let held = parts.iter().filter(|&&p| p).count() as u32;
        let holds = held >= ig.min_components;
        m.integ_days = if holds {
            m.integ_days.saturating_add(1)
        } else {
            0
        };
        m.set(
            flag::INTEGRATED,
            holds && u32::from(m.integ_days) >= ig.hold_days,
        );
        for (n, p) in self.record.components.iter_mut().zip(parts) {
            *n += p as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Housing, Legal, Migrant, flag, online};
    use super::super::testkit::{migrant, scenario, world};
    use super::super::ties::TieCounts;
    use super::Component;

    /// A migrant who meets every component in city 0 (Russian-speaking): an RVP, a flat, a
    /// local job, a community chat (and, with `ONE_LOCAL`, a local tie).
    fn settled() -> Migrant {
        let mut m = migrant();
        (m.legal, m.housing, m.local_kzt_day) = (Legal::Rvp, Housing::RentAlone, 10_000.0);
        m.online = online::COMMUNITY;
        m
    }

    const ONE_LOCAL: TieCounts = [0, 1, 0, 0];

    fn days_of(
        sim: &mut super::Sim<'_>,
        mut m: Migrant,
        ties: TieCounts,
        n: usize,
    ) -> Vec<(u16, bool)> {
        (0..n)
            .map(|_| {
                sim.integration(&mut m, ties);
                (m.integ_days, m.has(flag::INTEGRATED))
            })
            .collect()
    }

    #[test]
    fn integration_needs_min_components_held_for_hold_days_and_no_component_by_itself() {
        let sc = scenario(&[
            "integration.hold_days=3",
            "integration.min_local_ties=1",
            "integration.min_components=5",
        ]);
        assert!(sc.cities[0].russian_speaking_share >= sc.integration.language_share);
        let mut sim = world(&sc, vec![migrant()], 20);
        assert_eq!(
            days_of(&mut sim, settled(), ONE_LOCAL, 4),
            [(1, false), (2, false), (3, true), (4, true)]
        );
        // Each component missing alone still leaves five: integration goes on.
        let mut visa_free = settled();
        visa_free.legal = Legal::RvpPending;
        let mut hotel = settled();
        hotel.housing = Housing::Hotel;
        let mut jobless = settled();
        jobless.local_kzt_day = 0.0;
        let mut offline = settled();
        offline.online = 0;
        let mut far = settled();
        let shymkent = sc.cities.iter().position(|c| c.name == "shymkent");
        far.city = shymkent.expect("the baseline has Shymkent") as u8;
        assert!(
            sc.cities[far.city as usize].russian_speaking_share < sc.integration.language_share,
            "few speak Russian in Shymkent"
        );
        for (what, m, ties) in [
            ("no long-stay status", visa_free, ONE_LOCAL),
            ("no stable housing", hotel, ONE_LOCAL),
            ("no income", jobless, ONE_LOCAL),
            ("no community", offline, ONE_LOCAL),
            ("not the city's language", far, ONE_LOCAL),
            ("only co-migrant and home ties", settled(), [5, 0, 5, 0]),
        ] {
            assert_eq!(days_of(&mut sim, m, ties, 3)[2], (3, true), "{what}");
        }
        // Two missing: no count at all.
        let mut two = settled();
        (two.legal, two.online) = (Legal::VisaFree, 0);
        assert_eq!(days_of(&mut sim, two, ONE_LOCAL, 5), [(0, false); 5]);
        // Speaking Kazakh gives the language component anywhere.
        let mut kazakh = far;
        kazakh.flags |= flag::KAZAKH;
        let parts = sim.components(&kazakh, ONE_LOCAL);
        assert!(parts[Component::Language as usize]);
        assert!(!sim.components(&far, ONE_LOCAL)[Component::Language as usize]);
    }

    #[test]
    fn each_component_is_counted_among_those_who_stay() {
        let sc = scenario(&["integration.min_local_ties=1"]);
        let mut sim = world(&sc, vec![migrant()], 22);
        let mut m = settled();
        sim.integration(&mut m, ONE_LOCAL);
        let mut jobless = settled();
        jobless.local_kzt_day = 0.0;
        sim.integration(&mut jobless, [0; 4]);
        assert_eq!(sim.record.components, [2, 2, 1, 2, 1, 2]);
    }

    #[test]
    fn breaking_the_index_resets_the_count_and_integration_is_lost_at_once() {
        let sc = scenario(&[
            "integration.hold_days=3",
            "integration.min_local_ties=2",
            "integration.min_components=6",
        ]);
        let mut sim = world(&sc, vec![migrant()], 21);
        let two_local = [0, 2, 0, 0];
        let mut m = settled();
        for _ in 0..5 {
            sim.integration(&mut m, two_local);
        }
        assert!(m.has(flag::INTEGRATED));
        // A local tie lapses for a day: below min_local_ties, five of six.
        sim.integration(&mut m, ONE_LOCAL);
        assert_eq!((m.integ_days, m.has(flag::INTEGRATED)), (0, false));
        // Held again: three more days before integration.
        for want in [(1, false), (2, false), (3, true)] {
            sim.integration(&mut m, two_local);
            assert_eq!((m.integ_days, m.has(flag::INTEGRATED)), want);
        }
        m.housing = Housing::Shelter;
        sim.integration(&mut m, two_local);
        assert_eq!((m.integ_days, m.has(flag::INTEGRATED)), (0, false));
    }
}
