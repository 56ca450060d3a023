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
