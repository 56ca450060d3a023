//! Observation: what is counted each day (ODD "Observation", docs/MODEL.md §4.11). The step
//! fills a `DayRecord` (`DayRecord::count` for each migrant present at the end of the day);
//! the observation table `DAILY` lists every column of `daily.csv` with its unit, its
//! meaning and how it is computed from the record. That one table drives the file's header
//! and rows (`output::csv::daily`), README's column table (checked by `tests/docs.rs`) and
//! the column names the figures read, so adding a counter touches this file only.

use super::agents::{Help, Housing, Legal, Migrant, Reason, flag, online};
use super::integration::Component;
use super::money::RubleChannel;
use super::params::RVP_ROUTES;
use super::ties::{TieCounts, TieKind};

/// Counts in agents for one day. Stocks are of those present at the end of the day;
/// `left`, `moved_to`, `iin_issued`, `arrived`, `reentries` and the legal flows are
/// cumulative since the start. Persons are counted once, where they are:
/// `arrived = present + moved_on + returned` (a returnee who came back is present again).
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
    pub ties: [u64; TieKind::COUNT],
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
    /// Legal flows as the authorities count them, cumulative: RVP first grants by route,
    /// RVP refusals (fraud included), renewals, and RVPs lost at renewal (the ground gone);
    /// VNZh grants by path (regular, skilled).
    pub rvp_granted: [u32; 4],
    pub rvp_refused: u32,
    /// Bad packages among RVP applications (cumulative): an intermediary's fraud, and
    /// documents built on a channel's wrong advice (each refused at the decision).
    pub rvp_fraud: u32,
    pub rvp_wrong_info: u32,
    pub rvp_renewed: u32,
    pub rvp_lapsed: u32,
    pub vnzh_granted: [u32; 2],
    /// Visa-free stays that ended without extension (forced choices), overstays begun
    /// there, fines of overstayers caught, re-entries of returnees (cumulative).
    pub stays_ended: u32,
    pub overstays: u32,
    pub overstay_fines: u32,
    pub reentries: u32,
    /// Present migrants (who stay the day) with each component of the integration index.
    pub components: [u32; Component::COUNT],
    /// By city (index; entries past the scenario's cities stay 0): present and integrated
    /// at the end of the day; first arrivals, persons gone by the city they left (a
    /// returnee who came back is present again, in the city it left) and moves between
    /// cities into and out of each (cumulative), so for each city
    /// `arrived_in + moved_into = present_in + gone_from + moved_out_of`.
    pub present_in: [u32; MAX_CITIES],
    pub integrated_in: [u32; MAX_CITIES],
    pub arrived_in: [u32; MAX_CITIES],
    pub gone_from: [u32; MAX_CITIES],
    pub moved_into: [u32; MAX_CITIES],
    pub moved_out_of: [u32; MAX_CITIES],
    /// Moves between cities (cumulative; a migrant who moves twice counts twice).
    pub city_moves: u32,
    /// Present migrants by what their rubles depend on today (`RubleChannel`).
    pub channel: [u32; RubleChannel::COUNT],
}

/// The most onward destinations a scenario may name (fixed, so a record is plain data that
/// is copied, not allocated, every day).
pub use super::params::{MAX_CITIES, MAX_DESTINATIONS};

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
            ties: [0; TieKind::COUNT],
            housed_via_tie: 0,
            job_via_tie: 0,
            local_job: 0,
            help: [0; 5],
            online_info: 0,
            online_community: 0,
            present_150d: 0,
            long_stay_150d: 0,
            job_via_tie_150d: 0,
            rvp_granted: [0; 4],
            rvp_refused: 0,
            rvp_fraud: 0,
            rvp_wrong_info: 0,
            rvp_renewed: 0,
            rvp_lapsed: 0,
            vnzh_granted: [0; 2],
            stays_ended: 0,
            overstays: 0,
            overstay_fines: 0,
            reentries: 0,
            components: [0; Component::COUNT],
            present_in: [0; MAX_CITIES],
            integrated_in: [0; MAX_CITIES],
            arrived_in: [0; MAX_CITIES],
            gone_from: [0; MAX_CITIES],
            moved_into: [0; MAX_CITIES],
            moved_out_of: [0; MAX_CITIES],
            city_moves: 0,
            channel: [0; RubleChannel::COUNT],
        }
    }

    /// Clears the stocks, keeping the cumulative counts.
    pub fn clear_stocks(&mut self) {
        self.present = 0;
        self.integrated = 0;
        self.legal = [0; 5];
        self.housing = [0; 7];
        self.employment = [0; 4];
        self.ties = [0; TieKind::COUNT];
        self.housed_via_tie = 0;
        self.job_via_tie = 0;
        self.help = [0; 5];
        self.online_info = 0;
        self.online_community = 0;
        self.present_150d = 0;
        self.long_stay_150d = 0;
        self.job_via_tie_150d = 0;
        self.local_job = 0;
        self.components = [0; Component::COUNT];
        self.present_in = [0; MAX_CITIES];
        self.integrated_in = [0; MAX_CITIES];
        self.channel = [0; RubleChannel::COUNT];
    }

    /// Counts one migrant present at the end of the day: `ties` are its tie counts by kind,
    /// `channel` what its rubles depend on.
    pub fn count(&mut self, m: &Migrant, ties: TieCounts, channel: RubleChannel, t: u16) {
        let r = self;
        r.present += 1;
        r.channel[channel as usize] += 1;
        r.integrated += m.has(flag::INTEGRATED) as u32;
        r.present_in[m.city as usize] += 1;
        r.integrated_in[m.city as usize] += m.has(flag::INTEGRATED) as u32;
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

// ---- the observation table ---------------------------------------------------------

/// Whether a column is one column or a family of columns, one per category.
#[derive(Clone, Copy, Debug)]
pub enum Each {
    One,
    /// `name` is a prefix: one column per category name, in this order.
    Of(&'static [&'static str]),
    /// `name` is a prefix: one column per onward destination of the scenario.
    Destination,
    /// `name` is a prefix: one column per city of the scenario.
    City,
}

/// How a value is computed from the day's record (`usize`: the index in the family).
#[derive(Clone, Copy, Debug)]
pub enum Get {
    Replicate,
    Day,
    Date,
    /// A count of agents, written in persons (× `arrivals.persons_per_agent`).
    Persons(fn(&DayRecord, usize) -> u32),
    /// A sum over the migrants present, written as the mean per migrant present (rounded to
    /// 4 decimals; 0 on a day with nobody present).
    MeanPerPresent(fn(&DayRecord, usize) -> u64),
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The column's name, or the prefix of a family's names.
    pub name: &'static str,
    pub each: Each,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub get: Get,
}

const fn persons(
    name: &'static str,
    unit: &'static str,
    meaning: &'static str,
    get: fn(&DayRecord, usize) -> u32,
) -> Column {
    Column {
        name,
        each: Each::One,
        unit,
        meaning,
        get: Get::Persons(get),
    }
}

const fn family(
    prefix: &'static str,
    names: &'static [&'static str],
    unit: &'static str,
    meaning: &'static str,
    get: fn(&DayRecord, usize) -> u32,
) -> Column {
    Column {
        name: prefix,
        each: Each::Of(names),
        unit,
        meaning,
        get: Get::Persons(get),
    }
}

const STOCK: &str = "persons";
const CUMULATIVE: &str = "persons, cumulative";
const FLOW: &str = "persons, events of the day";
const MOVES: &str = "persons' moves, cumulative";

pub const LEGAL: Column = family(
    "legal_",
    &Legal::NAMES,
    STOCK,
    "those present by legal status (sum to `present`)",
    |r, i| r.legal[i],
);
pub const HOUSING: Column = family(
    "housing_",
    &Housing::NAMES,
    STOCK,
    "those present by housing (sum to `present`)",
    |r, i| r.housing[i],
);
pub const EMPLOYMENT: Column = family(
    "employed_",
    &["remote", "local", "both", "none"],
    STOCK,
    "those present by income from work (sum to `present`)",
    |r, i| r.employment[i],
);
pub const LEFT: Column = family(
    "left_",
    &Reason::NAMES,
    CUMULATIVE,
    "departures by reason (sum to `moved_on + returned`)",
    |r, i| r.left[i],
);
pub const TIES: Column = Column {
    name: "ties_",
    each: Each::Of(&TieKind::NAMES),
    unit: "ties per migrant present",
    meaning: "mean ties per present migrant, by kind",
    get: Get::MeanPerPresent(|r, i| r.ties[i]),
};
pub const HELP: Column = family(
    "help_",
    &Help::NAMES,
    FLOW,
    "help events of the day along ties, by kind (flows, not cumulative)",
    |r, i| r.help[i],
);

/// Every column of `daily.csv`, in file order.
pub const DAILY: &[Column] = &[
    Column {
        name: "replicate",
        each: Each::One,
        unit: "index",
        meaning: "replicate id (0-based)",
        get: Get::Replicate,
    },
    Column {
        name: "day",
        each: Each::One,
        unit: "days",
        meaning: "day since the start (0-based)",
        get: Get::Day,
    },
    Column {
        name: "date",
        each: Each::One,
        unit: "ISO date",
        meaning: "the day's date",
        get: Get::Date,
    },
    persons("arrived", CUMULATIVE, "arrivals", |r, _| r.arrived),
    persons(
        "present",
        STOCK,
        "in Kazakhstan at the end of the day (integrated included)",
        |r, _| r.present,
    ),
    persons(
        "integrated",
        STOCK,
        "present, with at least `integration.min_components` of the index's components (the `integration_` columns) held together `integration.hold_days`",
        |r, _| r.integrated,
    ),
    persons(
        "moved_on",
        CUMULATIVE,
        "migrants gone to a third country; `arrived = present + moved_on + returned`",
        |r, _| r.moved_on,
    ),
    persons(
        "returned",
        CUMULATIVE,
        "migrants gone back to Russia and not come back (deportations included); departures to Russia as events are `returned + reentries`",
        |r, _| r.returned,
    ),
    LEGAL,
    HOUSING,
    EMPLOYMENT,
    LEFT,
    persons("iin_issued", CUMULATIVE, "IINs obtained", |r, _| {
        r.iin_issued
    }),
    Column {
        name: "moved_on_to_",
        each: Each::Destination,
        unit: CUMULATIVE,
        meaning: "onward moves by destination (sum to `moved_on`)",
        get: Get::Persons(|r, i| r.moved_to[i]),
    },
    family(
        "channel_",
        &RubleChannel::NAMES,
        STOCK,
        "those present by what their rubles depend on today: the cheapest open channel from rubles to tenge (MIR card, transfer to a Kazakh card, crypto; §7.3), `cash` (no channel open, but border runs allowed: cash fetched on a crossing), `blocked` (rubles or ruble income but neither), `none` (no rubles to move) (sum to `present`)",
        |r, i| r.channel[i],
    ),
    Column {
        name: "present_in_",
        each: Each::City,
        unit: STOCK,
        meaning: "present by city (sum to `present`)",
        get: Get::Persons(|r, i| r.present_in[i]),
    },
    Column {
        name: "integrated_in_",
        each: Each::City,
        unit: STOCK,
        meaning: "integrated by city (sum to `integrated`)",
        get: Get::Persons(|r, i| r.integrated_in[i]),
    },
    Column {
        name: "arrived_in_",
        each: Each::City,
        unit: CUMULATIVE,
        meaning: "first arrivals by city (sum to `arrived`)",
        get: Get::Persons(|r, i| r.arrived_in[i]),
    },
    Column {
        name: "gone_from_",
        each: Each::City,
        unit: CUMULATIVE,
        meaning: "migrants gone (moved on or returned and not come back) by the city they left Kazakhstan from (sum to `moved_on + returned`; `arrived_in + moved_into = present_in + gone_from + moved_out_of`)",
        get: Get::Persons(|r, i| r.gone_from[i]),
    },
    Column {
        name: "moved_into_",
        each: Each::City,
        unit: MOVES,
        meaning: "moves between cities by the city moved to (sum to `city_moves`)",
        get: Get::Persons(|r, i| r.moved_into[i]),
    },
    Column {
        name: "moved_out_of_",
        each: Each::City,
        unit: MOVES,
        meaning: "moves between cities by the city left (sum to `city_moves`)",
        get: Get::Persons(|r, i| r.moved_out_of[i]),
    },
    persons(
        "city_moves",
        MOVES,
        "moves between cities in Kazakhstan (§7.11; a migrant who moves twice counts twice)",
        |r, _| r.city_moves,
    ),
    TIES,
    HELP,
    persons(
        "online_info_members",
        STOCK,
        "present members of an open information channel",
        |r, _| r.online_info,
    ),
    persons(
        "online_community_members",
        STOCK,
        "present members of a closed community chat",
        |r, _| r.online_community,
    ),
    persons(
        "housed_via_tie",
        STOCK,
        "present migrants in stable housing found through a tie",
        |r, _| r.housed_via_tie,
    ),
    persons(
        "local_job",
        STOCK,
        "present migrants with a local job",
        |r, _| r.local_job,
    ),
    persons(
        "local_job_via_tie",
        STOCK,
        "present migrants with a local job found through a tie",
        |r, _| r.job_via_tie,
    ),
    persons(
        "present_150d",
        STOCK,
        "present migrants who arrived at least 150 days (five months) ago (the paper's informants had been here more than five months)",
        |r, _| r.present_150d,
    ),
    persons(
        "long_stay_150d",
        STOCK,
        "of `present_150d`, those with RVP or VNZh",
        |r, _| r.long_stay_150d,
    ),
    persons(
        "local_job_via_tie_150d",
        STOCK,
        "of `present_150d`, those with a local job found through a tie",
        |r, _| r.job_via_tie_150d,
    ),
    family(
        "rvp_granted_",
        &RVP_ROUTES,
        CUMULATIVE,
        "RVP first grants by route",
        |r, i| r.rvp_granted[i],
    ),
    persons(
        "rvp_refused",
        CUMULATIVE,
        "RVP applications refused at the decision (fraud included)",
        |r, _| r.rvp_refused,
    ),
    persons(
        "rvp_fraud",
        CUMULATIVE,
        "RVP applications through an intermediary whose package was fraudulent (refused at the decision)",
        |r, _| r.rvp_fraud,
    ),
    persons(
        "rvp_wrong_info",
        CUMULATIVE,
        "RVP applications built on an information channel's wrong advice (refused at the decision)",
        |r, _| r.rvp_wrong_info,
    ),
    persons(
        "rvp_renewed",
        CUMULATIVE,
        "RVP renewals at the end of a term",
        |r, _| r.rvp_renewed,
    ),
    persons(
        "rvp_lapsed",
        CUMULATIVE,
        "RVPs lost at the end of a term because the ground is gone (back on the visa-free clock)",
        |r, _| r.rvp_lapsed,
    ),
    family(
        "vnzh_granted_",
        &["regular", "skilled"],
        CUMULATIVE,
        "VNZh grants by path (regular after the RVP years; simplified for skilled professions)",
        |r, i| r.vnzh_granted[i],
    ),
    persons(
        "stays_ended",
        CUMULATIVE,
        "visa-free stays that ended with no border run possible: the forced choice to overstay, return or move on (those who left are in `left_legal`)",
        |r, _| r.stays_ended,
    ),
    persons(
        "overstays",
        CUMULATIVE,
        "overstays begun at the end of a visa-free stay (those overstaying now are `legal_overstay`)",
        |r, _| r.overstays,
    ),
    persons(
        "overstay_fines",
        CUMULATIVE,
        "fines of overstayers caught (deportations are `left_deported`)",
        |r, _| r.overstay_fines,
    ),
    persons(
        "reentries",
        CUMULATIVE,
        "re-entries of returnees (each one; a returnee who came back is present, not returned; not in `arrived`)",
        |r, _| r.reentries,
    ),
    family(
        "integration_",
        &Component::NAMES,
        STOCK,
        "present migrants who have each component of the integration index today (legal: RVP or VNZh; housing: stable; income: a job; language: Kazakh, or Russian in a Russian-speaking city; local_ties; participation: a community chat)",
        |r, i| r.components[i],
    ),
];
