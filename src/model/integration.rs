//! Integration (docs/MODEL.md §7.9): a migrant counts as integrated once long-stay status,
//! stable housing, a job and local ties have held together for `hold_days`.

use super::agents::{Migrant, flag};
use super::params::ParamReader;
use super::step::Sim;

#[derive(Clone, Debug)]
pub struct IntegrationParams {
    pub hold_days: u32,
    pub min_local_ties: u32,
}

impl IntegrationParams {
    /// Reads the `[integration]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> IntegrationParams {
        IntegrationParams {
            hold_days: r.int("hold_days", 0, 3650) as u32,
            min_local_ties: r.int("min_local_ties", 0, 64) as u32,
        }
    }
}

impl Sim<'_> {
    pub(super) fn integration(&mut self, m: &mut Migrant, ties: [u8; 3]) {
        let ig = &self.sc.integration;
        let holds = m.legal.is_long_stay()
            && m.housing.is_stable()
            && (m.has_local_job() || m.has_remote_job())
            && u32::from(ties[1]) >= ig.min_local_ties;
        m.integ_days = if holds {
            m.integ_days.saturating_add(1)
        } else {
            0
        };
        m.set(
            flag::INTEGRATED,
            holds && u32::from(m.integ_days) >= ig.hold_days,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Housing, Legal, Migrant, flag};
    use super::super::testkit::{migrant, scenario, world};

    /// A migrant who meets every condition: an RVP, a flat, a local job.
    fn settled() -> Migrant {
        let mut m = migrant();
        (m.legal, m.housing, m.local_kzt_day) = (Legal::Rvp, Housing::RentAlone, 10_000.0);
        m
    }

    const ONE_LOCAL: [u8; 3] = [0, 1, 0];

    #[test]
    fn integration_needs_long_stay_status_stable_housing_a_job_and_local_ties_held_for_hold_days() {
        let sc = scenario(&["integration.hold_days=3", "integration.min_local_ties=1"]);
        let mut sim = world(&sc, vec![migrant()], 20);
        let days_of = |sim: &mut super::Sim<'_>, mut m: Migrant, ties: [u8; 3], n: usize| {
            (0..n)
                .map(|_| {
                    sim.integration(&mut m, ties);
                    (m.integ_days, m.has(flag::INTEGRATED))
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            days_of(&mut sim, settled(), ONE_LOCAL, 4),
            [(1, false), (2, false), (3, true), (4, true)]
        );
        // A remote job is an income too; a VNZh is long-stay; a friend's bed is stable.
        let mut m = settled();
        (m.local_kzt_day, m.remote_rub_day) = (0.0, 3_000.0);
        (m.legal, m.housing) = (Legal::Vnzh, Housing::Friends);
        assert_eq!(days_of(&mut sim, m, ONE_LOCAL, 3)[2], (3, true));
        // Each condition missing alone keeps the count at 0.
        let mut visa_free = settled();
        visa_free.legal = Legal::RvpPending;
        let mut hotel = settled();
        hotel.housing = Housing::Hotel;
        let mut jobless = settled();
        jobless.local_kzt_day = 0.0;
        for (what, m, ties) in [
            ("no long-stay status", visa_free, ONE_LOCAL),
            ("no stable housing", hotel, ONE_LOCAL),
            ("no income", jobless, ONE_LOCAL),
            ("only co-migrant and home ties", settled(), [5, 0, 5]),
        ] {
            assert_eq!(days_of(&mut sim, m, ties, 5), [(0, false); 5], "{what}");
        }
    }

    #[test]
    fn breaking_one_condition_resets_the_count_and_integration_is_lost_at_once() {
        let sc = scenario(&["integration.hold_days=3", "integration.min_local_ties=2"]);
        let mut sim = world(&sc, vec![migrant()], 21);
        let two_local = [0, 2, 0];
        let mut m = settled();
        for _ in 0..5 {
            sim.integration(&mut m, two_local);
        }
        assert!(m.has(flag::INTEGRATED));
        // A local tie lapses for a day: below min_local_ties.
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
