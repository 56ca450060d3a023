//! The observation table as people read it: README's column table and the figures' legend
//! labels. The table itself (names, units, meanings, how each value is computed) is
//! `model::observe::DAILY`; this module only renders it.

pub use crate::model::observe::{
    Column, DAILY, EMPLOYMENT, Each, Get, HELP, HOUSING, LEFT, LEGAL, TIES,
};

/// The categories a scenario names itself: its onward destinations and its cities, in
/// the scenario's order (the order of the record's arrays).
#[derive(Debug, Default)]
pub struct ScenarioNames<'a> {
    pub destinations: Vec<&'a str>,
    pub cities: Vec<&'a str>,
}

impl ScenarioNames<'_> {
    pub fn of(sc: &crate::model::params::Scenario) -> ScenarioNames<'_> {
        ScenarioNames {
            destinations: sc.destinations.iter().map(|d| d.name.as_str()).collect(),
            cities: sc.cities.iter().map(|c| c.name.as_str()).collect(),
        }
    }

    /// The categories of a family that the scenario names (empty for the others).
    pub fn of_family(&self, each: Each) -> &[&str] {
        match each {
            Each::Destination => &self.destinations,
            Each::City => &self.cities,
            Each::One | Each::Of(_) => &[],
        }
    }
}

/// The names entry `c` gives in `daily.csv`, for a scenario with these names.
pub fn names(c: &Column, scenario: &ScenarioNames) -> Vec<String> {
    match c.each {
        Each::One => vec![c.name.to_string()],
        Each::Of(names) => names.iter().map(|n| format!("{}{n}", c.name)).collect(),
        Each::Destination | Each::City => scenario
            .of_family(c.each)
            .iter()
            .map(|n| format!("{}{n}", c.name))
            .collect(),
    }
}

/// How entry `c` is named in documentation: each column, `prefix<destination>` or
/// `prefix<city>`.
pub fn documented_names(c: &Column) -> Vec<String> {
    match c.each {
        Each::Destination => vec![format!("{}<destination>", c.name)],
        Each::City => vec![format!("{}<city>", c.name)],
        _ => names(c, &ScenarioNames::default()),
    }
}

/// Legend labels of the families' categories, in the family's order; a family or category
/// not listed is shown by its name with spaces.
const LABELS: &[(&str, &[&str])] = &[
    (
        "legal_",
        &[
            "visa-free stay",
            "RVP applied",
            "RVP (temporary residence)",
            "VNZh (permanent residence)",
            "overstay",
        ],
    ),
    (
        "housing_",
        &[
            "hotel",
            "renting alone",
            "renting shared",
            "with friends",
            "local host",
            "shelter",
            "no housing",
        ],
    ),
    (
        "employed_",
        &[
            "remote work",
            "local job",
            "remote and local",
            "not employed",
        ],
    ),
    (
        "left_",
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
    ),
    ("ties_", &["co-migrants", "locals", "transnational"]),
];

/// The documentation table of `daily.csv` (Markdown), as README.md shows it.
pub fn markdown_table() -> String {
    let mut out = String::from("| column | unit | meaning |\n| --- | --- | --- |\n");
    for c in DAILY {
        let names: Vec<String> = documented_names(c)
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
        Each::Destination | Each::City => name.len() > c.name.len() && name.starts_with(c.name),
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
        .and_then(|i| LABELS.iter().find(|(p, _)| *p == prefix)?.1.get(i))
        .map_or_else(|| name.replace('_', " "), |l| (*l).to_string())
}
