//! The observation table: every column of `daily.csv` with its unit, its meaning and how it
//! is computed from the day's record (`model::observe::DayRecord`). This one list drives the
//! file's header and rows (`csv::daily`), README's column table (kept in step by
//! `tests/docs.rs`) and the column names the figures read. Adding a counter to the output
//! is one entry here (and its count in `DayRecord`).

use crate::model::agents::{Help, Housing, Legal, Reason};
use crate::model::observe::DayRecord;
use crate::model::ties::TieKind;

/// Whether a column is one column or a family of columns, one per category.
#[derive(Clone, Copy, Debug)]
pub enum Each {
    One,
    /// `name` is a prefix: one column per category name, in this order.
    Of(&'static [&'static str]),
    /// `name` is a prefix: one column per onward destination of the scenario.
    Destination,
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
    /// Legend labels of a family's categories, in order (empty: the names with spaces).
    pub labels: &'static [&'static str],
    pub get: Get,
}

impl Column {
    /// The names this entry gives in `daily.csv`, for a scenario with these destinations.
    pub fn names<'a>(&self, destinations: &'a [&'a str]) -> Vec<String> {
        match self.each {
            Each::One => vec![self.name.to_string()],
            Each::Of(names) => names.iter().map(|n| format!("{}{n}", self.name)).collect(),
            Each::Destination => destinations
                .iter()
                .map(|n| format!("{}{n}", self.name))
                .collect(),
        }
    }

    /// How the entry is named in documentation: each column, or `prefix<destination>`.
    pub fn documented_names(&self) -> Vec<String> {
        match self.each {
            Each::Destination => vec![format!("{}<destination>", self.name)],
            _ => self.names(&[]),
        }
    }
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
        labels: &[],
        get: Get::Persons(get),
    }
}

const fn family(
    prefix: &'static str,
    names: &'static [&'static str],
    labels: &'static [&'static str],
    unit: &'static str,
    meaning: &'static str,
    get: fn(&DayRecord, usize) -> u32,
) -> Column {
    Column {
        name: prefix,
        each: Each::Of(names),
        unit,
        meaning,
        labels,
        get: Get::Persons(get),
    }
}

const STOCK: &str = "persons";
const CUMULATIVE: &str = "persons, cumulative";
const FLOW: &str = "persons, events of the day";

pub const LEGAL: Column = family(
    "legal_",
    &Legal::NAMES,
    &[
        "visa-free stay",
        "RVP applied",
        "RVP (temporary residence)",
        "VNZh (permanent residence)",
        "overstay",
    ],
    STOCK,
    "those present by legal status (sum to `present`)",
    |r, i| r.legal[i],
);
pub const HOUSING: Column = family(
    "housing_",
    &Housing::NAMES,
    &[
        "hotel",
        "renting alone",
        "renting shared",
        "with friends",
        "local host",
        "shelter",
        "no housing",
    ],
    STOCK,
    "those present by housing (sum to `present`)",
    |r, i| r.housing[i],
);
pub const EMPLOYMENT: Column = family(
    "employed_",
    &["remote", "local", "both", "none"],
    &[
        "remote work",
        "local job",
        "remote and local",
        "not employed",
    ],
    STOCK,
    "those present by income from work (sum to `present`)",
    |r, i| r.employment[i],
);
pub const LEFT: Column = family(
    "left_",
    &Reason::NAMES,
    &[
        "moved on (transit)",
        "money",
        "legal status",
        "job loss",
        "stress",
        "housing",
        "family",
        "deported",
    ],
    CUMULATIVE,
    "departures by reason (sum to `moved_on + returned`)",
    |r, i| r.left[i],
);
pub const TIES: Column = Column {
    name: "ties_",
    each: Each::Of(&TieKind::NAMES),
    unit: "ties per migrant present",
    meaning: "mean ties per present migrant, by kind",
    labels: &["co-migrants", "locals", "transnational"],
    get: Get::MeanPerPresent(|r, i| r.ties[i]),
};
pub const HELP: Column = family(
    "help_",
    &Help::NAMES,
    &[],
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
        labels: &[],
        get: Get::Replicate,
    },
    Column {
        name: "day",
        each: Each::One,
        unit: "days",
        meaning: "day since the start (0-based)",
        labels: &[],
        get: Get::Day,
    },
    Column {
        name: "date",
        each: Each::One,
        unit: "ISO date",
        meaning: "the day's date",
        labels: &[],
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
        "present, with RVP or VNZh, stable housing, an income and local ties, held `integration.hold_days`",
        |r, _| r.integrated,
    ),
    persons(
        "moved_on",
        CUMULATIVE,
        "departures to a third country; `arrived = present + moved_on + returned`",
        |r, _| r.moved_on,
    ),
    persons("returned", CUMULATIVE, "departures to Russia", |r, _| {
        r.returned
    }),
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
        labels: &[],
        get: Get::Persons(|r, i| r.moved_to[i]),
    },
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
];

/// The documentation table of `daily.csv` (Markdown), as README.md shows it.
pub fn markdown_table() -> String {
    let mut out = String::from("| column | unit | meaning |\n| --- | --- | --- |\n");
    for c in DAILY {
        let names: Vec<String> = c
            .documented_names()
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            names.join(", "),
            c.unit,
            c.meaning
        ));
    }
    out
}

/// A column of this name in the table (families included), for readers that check names.
pub fn is_daily_column(name: &str) -> bool {
    DAILY.iter().any(|c| match c.each {
        Each::One => c.name == name,
        Each::Of(names) => name
            .strip_prefix(c.name)
            .is_some_and(|n| names.contains(&n)),
        Each::Destination => name.len() > c.name.len() && name.starts_with(c.name),
    })
}

/// The legend label of column `column` of the family `prefix` (the category's name with
/// spaces when the table gives no label, or for a category it does not know).
pub fn category_label(prefix: &str, column: &str) -> String {
    let name = column.strip_prefix(prefix).unwrap_or(column);
    DAILY
        .iter()
        .find(|c| c.name == prefix)
        .and_then(|c| match c.each {
            Each::Of(names) => names.iter().position(|n| *n == name),
            _ => None,
        })
        .and_then(|i| DAILY.iter().find(|c| c.name == prefix)?.labels.get(i))
        .map_or_else(|| name.replace('_', " "), |l| (*l).to_string())
}
