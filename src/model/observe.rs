//! Observation: what is counted each day (ODD "Observation"). Counting is separate from
//! stepping: the step fills a `DayRecord` and knows nothing of files.

use super::agents::{Migrant, Reason, flag, online};

/// Counts in agents for one day. Stocks are of those present at the end of the day;
/// `left`, `moved_to`, `iin_issued` and `arrived` are cumulative since the start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayRecord {
    pub arrived: u32,
    pub present: u32,
    pub integrated: u32,
    pub moved_on: u32,
    pub returned: u32,
    pub legal: [u32; 5],
    pub housing: [u32; 7],
    /// remote only, local only, both, none
    pub employment: [u32; 4],
    pub left: [u32; 8],
    pub iin_issued: u32,
    /// By destination index; entries past the scenario's destinations stay 0.
    pub moved_to: [u32; MAX_DESTINATIONS],
    /// Ties of present migrants by kind (sum, not mean).
    pub ties: [u64; 3],
    /// Present migrants housed through a tie / with a local job found through a tie / with a local job.
    pub housed_via_tie: u32,
    pub job_via_tie: u32,
    pub local_job: u32,
    /// Present migrants who arrived at least `LONG_STAYER_DAYS` ago (the paper's informants
    /// had been in Kazakhstan more than five months), and of them: with RVP or VNZh; with a
    /// local job found through a tie.
    /// Help events of the day by kind (`Help`): flows, not stocks.
    pub help: [u32; 5],
    /// Present members of an information channel / a community chat.
    pub online_info: u32,
    pub online_community: u32,
    pub present_150d: u32,
    pub long_stay_150d: u32,
    pub job_via_tie_150d: u32,
}

/// The most onward destinations a scenario may name (fixed, so a record is plain data that
/// is copied, not allocated, every day).
pub use super::params::MAX_DESTINATIONS;

/// Days in Kazakhstan that make a "long stayer" (five months), for the seed's proportions.
pub const LONG_STAYER_DAYS: u16 = 150;

impl Default for DayRecord {
    fn default() -> DayRecord {
        DayRecord::new()
    }
}

impl DayRecord {
    pub fn new() -> DayRecord {
        DayRecord {
            arrived: 0,
            present: 0,
            integrated: 0,
            moved_on: 0,
            returned: 0,
            legal: [0; 5],
            housing: [0; 7],
            employment: [0; 4],
            left: [0; 8],
            iin_issued: 0,
            moved_to: [0; MAX_DESTINATIONS],
            ties: [0; 3],
            housed_via_tie: 0,
            job_via_tie: 0,
            local_job: 0,
            help: [0; 5],
            online_info: 0,
            online_community: 0,
            present_150d: 0,
            long_stay_150d: 0,
            job_via_tie_150d: 0,
        }
    }

    /// Clears the stocks, keeping the cumulative counts.
    pub fn clear_stocks(&mut self) {
        self.present = 0;
        self.integrated = 0;
        self.legal = [0; 5];
        self.housing = [0; 7];
        self.employment = [0; 4];
        self.ties = [0; 3];
        self.housed_via_tie = 0;
        self.job_via_tie = 0;
        self.help = [0; 5];
        self.online_info = 0;
        self.online_community = 0;
        self.present_150d = 0;
        self.long_stay_150d = 0;
        self.job_via_tie_150d = 0;
        self.local_job = 0;
    }

    /// Counts one migrant present at the end of the day: `ties` are its tie counts by kind.
    pub fn count(&mut self, m: &Migrant, ties: [u8; 3], t: u16) {
        let r = self;
        r.present += 1;
        r.integrated += m.has(flag::INTEGRATED) as u32;
        r.legal[m.legal as usize] += 1;
        r.housing[m.housing as usize] += 1;
        let emp = match (m.has_remote_job(), m.has_local_job()) {
            (true, false) => 0,
            (false, true) => 1,
            (true, true) => 2,
            (false, false) => 3,
        };
        r.employment[emp] += 1;
        for (sum, n) in r.ties.iter_mut().zip(ties) {
            *sum += u64::from(n);
        }
        r.housed_via_tie += (m.has(flag::HOUSED_VIA_TIE) && m.housing.is_stable()) as u32;
        r.local_job += m.has_local_job() as u32;
        r.online_info += (m.online & online::INFO_CHANNEL != 0) as u32;
        r.online_community += (m.online & online::COMMUNITY != 0) as u32;
        let via_tie = m.has_local_job() && m.has(flag::JOB_VIA_TIE);
        r.job_via_tie += via_tie as u32;
        if t.saturating_sub(m.arrival) >= LONG_STAYER_DAYS {
            r.present_150d += 1;
            r.long_stay_150d += m.legal.is_long_stay() as u32;
            r.job_via_tie_150d += via_tie as u32;
        }
    }

    pub fn left_for(&self, r: Reason) -> u32 {
        self.left[r as usize]
    }
}
