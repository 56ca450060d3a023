//! The data dictionary of a result directory: `datapackage.json` in the Frictionless
//! Tabular Data Package format, listing each CSV file and each of its columns with type,
//! unit and description, and the scale and the scenario's hash as package properties.
//!
//! It is generated, never written by hand: the columns are read from the headers of the
//! files actually written, and described from the one observation table
//! (`model::observe::DAILY`) for daily series and from the table of result columns below
//! for the others. Files of one folder with the same header (a sweep's `daily/run-*.csv`)
//! are one resource with several paths.

use std::io;
use std::path::Path;

use serde_json::{Value, json};

use super::columns::{DAILY, Each, Get};
use super::write_file_atomically;
use crate::model::agents::Reason;

/// One column: Frictionless type, unit and description.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub kind: &'static str,
    pub unit: String,
    pub description: String,
}

fn field(kind: &'static str, unit: &str, description: impl Into<String>) -> Option<Field> {
    Some(Field {
        kind,
        unit: unit.to_string(),
        description: description.into(),
    })
}

/// A column of `daily.csv` (or of a sweep's daily series), from the observation table.
fn daily_field(name: &str) -> Option<Field> {
    for c in DAILY {
        let (category, matches) = match c.each {
            Each::One => (None, c.name == name),
            Each::Of(names) => {
                let cat = name.strip_prefix(c.name).filter(|n| names.contains(n));
                (cat, cat.is_some())
            }
            Each::Destination | Each::City => {
                let cat = name.strip_prefix(c.name).filter(|n| !n.is_empty());
                (cat, cat.is_some())
            }
        };
        if !matches {
            continue;
        }
        let kind = match c.get {
            Get::Replicate | Get::Day | Get::Persons(_) => "integer",
            Get::Date => "date",
            Get::MeanPerPresent(_) => "number",
        };
        let description = match category {
            Some(cat) => format!("{} — category `{cat}`", c.meaning),
            None => c.meaning.to_string(),
        };
        return field(kind, c.unit, description);
    }
    None
}

/// An end-of-run outcome (`summary.csv`, a sweep's `runs.csv` and `points.csv`, an
/// experiment's `outcomes.csv`); `number` because statistics over replicates are written in
/// the same columns.
fn outcome_field(name: &str) -> Option<Field> {
    let persons = |what: &str| field("number", "persons", what.to_string());
    match name {
        "arrived" => persons("arrivals by the date (cumulative)"),
        "present" => persons("in Kazakhstan at the end of the date"),
        "integrated" => persons("present and integrated (MODEL.md §7.9) at the end of the date"),
        "moved_on" => persons("gone to a third country by the date (cumulative)"),
        "returned" => persons(
            "gone back to Russia by the date and not come back (departures to Russia as events: returned + reentries)",
        ),
        "iin_issued" => persons("IINs (Kazakh tax numbers) issued by the date (cumulative)"),
        "reentries" => {
            persons("re-entries of returnees by the date (cumulative; each one; not in `arrived`)")
        }
        _ => {
            if let Some(what) = name.strip_prefix("share_") {
                return field(
                    "number",
                    "fraction of arrivals",
                    format!("`{what}` as a share of those arrived by the date"),
                );
            }
            let reason = name.strip_prefix("left_")?;
            Reason::NAMES.contains(&reason).then_some(())?;
            persons(&format!(
                "departures whose main reason was `{reason}`, by the date (cumulative)"
            ))
        }
    }
}

/// A scenario parameter's column (a dotted key) in designs, runs, draws and posteriors.
fn parameter_field(name: &str) -> Option<Field> {
    if let Some(key) = name.strip_suffix(":unit") {
        return field(
            "number",
            "unit interval",
            format!("the design point's coordinate for `{key}`, in [0, 1]"),
        );
    }
    name.contains('.').then_some(())?;
    field(
        "number",
        "the key's unit (docs/MODEL.md §9)",
        format!("value of the scenario parameter `{name}`"),
    )
}

/// The description of `column` of the result file `file` (relative path), if it is known.
pub fn describe(file: &str, column: &str) -> Option<Field> {
    let stem = Path::new(file)
        .file_stem()
        .map_or("", |s| s.to_str().unwrap_or(""));
    let folder = Path::new(file)
        .parent()
        .and_then(|p| p.to_str())
        .unwrap_or("");
    let int = |u: &str, d: &str| field("integer", u, d);
    let num = |u: &str, d: &str| field("number", u, d);
    let text = |d: &str| field("string", "", d);
    let date = |d: &str| field("date", "ISO date", d);
    let known = match (folder, stem, column) {
        // A sweep's daily series: the run, then daily.csv's columns.
        ("daily", _, "run") => int("index", "the sweep's run (runs.csv `run`)"),
        ("daily", _, c) => daily_field(c),
        ("", "daily", c) => daily_field(c),
        ("", "summary_stats", "stat") => {
            text("the statistic over replicates: mean, sd, q05, q50, q95")
        }
        ("", "summary", "replicate") => int("index", "replicate id (0-based)"),
        ("", "cohorts", "replicate") | ("", "panel", "replicate") => {
            int("index", "replicate id (0-based)")
        }
        ("", "cohorts", "cohort") => text("arrival month (YYYY-MM)"),
        ("", "cohorts", "days_since_arrival") => int("days", "days since arrival (every 7)"),
        ("", "cohorts", "share_present") => num(
            "fraction of the cohort",
            "share of the cohort still in Kazakhstan that many days after arrival",
        ),
        ("", "panel", "panel") => text("the panel's name (`observation.panels.<name>`)"),
        ("", "panel", "date") => date("the day whose present migrants the panel follows"),
        ("", "panel", "horizon_days") => int("days", "how long the panel follows them"),
        ("", "panel", "present") => int("persons", "present at the end of `date`"),
        ("", "panel", "still_present") => int("persons", "of those, still present at the horizon"),
        ("", "panel", "moved_on") => int("persons", "of those, moved on by the horizon"),
        ("", "panel", "returned") => int("persons", "of those, returned by the horizon"),
        ("", "daily_long", "replicate") => int("index", "replicate id (0-based)"),
        ("", "daily_long", "date") => date("the day's date"),
        ("", "daily_long", "variable") => {
            text("a column of daily.csv (its unit and meaning: that column in this data package)")
        }
        ("", "daily_long", "value") => num("the variable's unit", "the variable's value that day"),
        ("", "events", "date") => date("date of a policy event of the scenario"),
        ("", "events", "label") => text("the event, as figures label it"),
        ("network", _, "source") => text("a migrant (`m<id>`)"),
        ("network", _, "target") => text(
            "a migrant (`m<id>`) or a person outside the population: `local:<id>:<k>`, `home:<id>:<k>`, `abroad:<id>:<k>`",
        ),
        ("network", _, "kind") => text("the tie's kind: co_migrant, local, transnational, abroad"),
        ("network", _, "strength") => int("0–255", "the tie's strength"),
        ("", "draws", "draw") => int("index", "the draw (replicate r runs draw r mod draws)"),
        ("" | "out_of_sample", "draws" | "posterior", "particle") => {
            int("index", "the posterior particle")
        }
        ("" | "out_of_sample", "draws" | "posterior", "weight") => num(
            "weight",
            "the particle's importance weight in the posterior",
        ),
        ("" | "out_of_sample", "posterior", "distance") => num(
            "band-scaled RMS",
            "the particle's distance to the targets (MODEL.md §11)",
        ),
        ("" | "out_of_sample", "posterior", c) if c.starts_with("sim_") => num(
            "the target's unit",
            &format!("the particle's simulated value of target `{}`", &c[4..]),
        ),
        ("" | "out_of_sample", "posterior_summary", c) => match c {
            "parameter" => text("the calibrated scenario key"),
            "prior" => text("the prior: uniform or log-uniform"),
            "prior_min" | "prior_max" => num("the key's unit", "the prior's range"),
            "mean" => num("the key's unit", "the posterior's weighted mean"),
            "q05" | "q50" | "q95" => num("the key's unit", "a weighted posterior quantile"),
            "calibrated" => num("the key's unit", "the value written to calibrated.toml"),
            _ => None,
        },
        ("" | "out_of_sample", "generations", c) => match c {
            "generation" => int("index", "ABC-SMC generation"),
            "epsilon" => num("band-scaled RMS", "the generation's tolerance"),
            "proposals" => int("count", "parameter sets proposed"),
            "simulations" => int("count", "runs simulated"),
            "acceptance" => num("fraction", "accepted / proposals"),
            "ess" => num("particles", "effective sample size of the weights"),
            "min_distance" | "median_distance" => {
                num("band-scaled RMS", "distance of the accepted particles")
            }
            _ => None,
        },
        ("" | "out_of_sample", "fit" | "holdout_fit", c) => match c {
            "target" => text("the target's key (README, Calibration)"),
            "date" => text("the target's date: a day, a month (YYYY-MM) or a span's end"),
            "day" => date("the day of the run the target is read on"),
            "unit" => text("the target's unit"),
            "observed" | "low" | "high" => {
                num("the target's unit", "the observed value and its band")
            }
            "sim_mean" | "sim_q05" | "sim_q95" => num(
                "the target's unit",
                "the simulated mean and 5%/95% quantiles over replicates",
            ),
            "inside" => field(
                "boolean",
                "",
                "whether the simulated mean is inside the band",
            ),
            "relative_difference" => num("fraction", "|sim_mean − observed| / observed"),
            _ => None,
        },
        ("" | "out_of_sample", "fit_summary" | "holdout_fit_summary", c) => match c {
            "targets" => int("count", "targets in the table"),
            "inside" => int("count", "targets whose simulated mean is inside the band"),
            "mean_relative_difference" => num("fraction", "mean of relative_difference"),
            _ => None,
        },
        ("", "design", "point") | ("", "runs" | "points", "point") => {
            int("index", "the design point")
        }
        ("", "runs", "run") => int("index", "the sweep's run (point × replicates + replicate)"),
        ("", "runs", "replicate") => int("index", "the replicate at its design point"),
        ("", "runs", "seed") => int("seed", "the run's scenario seed"),
        ("", "points", "stat") => text("the statistic over replicates: mean, sd, q05, q50, q95"),
        ("", "sensitivity", c) => match c {
            "outcome" => text("the outcome (a column of runs.csv)"),
            "parameter" => text("the varied scenario key"),
            "measure" => text("S1, ST (Sobol) or mu, mu_star, sigma (Morris)"),
            "estimate" => num("index", "the index's estimate"),
            "ci_low" | "ci_high" => num("index", "its 95% bootstrap interval"),
            _ => None,
        },
        ("", "effects", c) => match c {
            "arm" => text("the arm's name in the experiment file"),
            "label" => text("the arm's label"),
            "group" => text("the resource family the arm removes"),
            "outcome" => text("the outcome (a column of summary.csv)"),
            "date" => date("the date the outcome is read on"),
            "base_mean" | "arm_mean" => num(
                "the outcome's unit",
                "the outcome's mean over replicates in the base arm / this arm",
            ),
            "difference" => num("the outcome's unit", "mean over replicates of arm − base"),
            "difference_q05" | "difference_q95" => num(
                "the outcome's unit",
                "5% and 95% quantiles over replicates of arm − base",
            ),
            "same_sign_share" => num(
                "fraction of replicates",
                "share of replicates whose difference has the mean's sign",
            ),
            "replicates" => int("count", "replicates per arm"),
            _ => None,
        },
        ("", "outcomes", "arm") => text("the arm's name (`base` for the base scenario)"),
        ("", "outcomes", "replicate") => int("index", "replicate id (0-based)"),
        ("", "outcomes", "draw") => int("index", "the posterior draw (empty without a posterior)"),
        ("", "outcomes", "date") => date("the date the outcomes are read on"),
        _ => None,
    };
    known
        .or_else(|| match stem {
            "summary" | "summary_stats" | "runs" | "points" | "outcomes" => outcome_field(column),
            _ => None,
        })
        .or_else(|| match stem {
            "design" | "runs" | "points" | "draws" | "posterior" => parameter_field(column),
            _ => None,
        })
}

/// The files ending in `ext` (`.csv`, `.parquet`) of a result directory and of its
/// folders `subs`, as relative paths sorted by name within each folder (temporaries and
/// other hidden files left out): the one scan of a result directory.
pub fn result_files(dir: &Path, subs: &[&str], ext: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rel in std::iter::once("").chain(subs.iter().copied()) {
        let Ok(entries) = std::fs::read_dir(dir.join(rel)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(ext) && !n.starts_with('.'))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| {
            if rel.is_empty() {
                n
            } else {
                format!("{rel}/{n}")
            }
        }));
    }
    out
}

/// The CSV files of a result directory (its own and one folder down), as relative paths.
fn csv_files(dir: &Path) -> Vec<String> {
    result_files(dir, &["daily", "network", "out_of_sample"], ".csv")
}

fn header_of(path: &Path) -> io::Result<Vec<String>> {
    use std::io::BufRead;
    let mut line = String::new();
    io::BufReader::new(std::fs::File::open(path)?).read_line(&mut line)?;
    Ok(crate::sweep::results::split_csv(
        line.trim_end_matches(['\n', '\r']),
    ))
}

/// A resource's name: lowercase letters, digits, `-`, `_`, `.`.
fn resource_name(path: &str) -> String {
    path.trim_end_matches(".csv")
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' | '.' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}

/// The schema fields of the columns `header` of the table `file`.
fn fields(file: &str, header: &[String]) -> Vec<Value> {
    header
        .iter()
        .map(|c| {
            let f = describe(file, c).unwrap_or(Field {
                kind: "string",
                unit: String::new(),
                description: String::new(),
            });
            let mut v = json!({"name": c, "type": f.kind, "description": f.description});
            if !f.unit.is_empty() {
                v["unit"] = f.unit.into();
            }
            v
        })
        .collect()
}

/// The Parquet files of a result directory (its own and in `network/`) with their columns.
#[cfg(feature = "parquet")]
fn parquet_files(dir: &Path) -> io::Result<Vec<(String, Vec<String>)>> {
    result_files(dir, &["network"], ".parquet")
        .into_iter()
        .map(|rel| {
            let header = super::parquet::column_names(&dir.join(&rel))?;
            Ok((rel, header))
        })
        .collect()
}

#[cfg(not(feature = "parquet"))]
fn parquet_files(_dir: &Path) -> io::Result<Vec<(String, Vec<String>)>> {
    Ok(Vec::new())
}

/// The data package of `dir` (see the module's description).
pub fn datapackage(dir: &Path) -> io::Result<Value> {
    let manifest = super::manifest::read(dir).unwrap_or(Value::Null);
    let mut resources: Vec<(String, Vec<String>, Vec<String>)> = Vec::new(); // folder, paths, header
    for rel in csv_files(dir) {
        let header = header_of(&dir.join(&rel))?;
        let folder = Path::new(&rel)
            .parent()
            .map_or(String::new(), |p| p.display().to_string());
        // Files of one folder with one header are parts of one resource.
        match resources
            .iter_mut()
            .find(|r| !folder.is_empty() && r.0 == folder && r.2 == header)
        {
            Some(r) => r.1.push(rel),
            None => resources.push((folder, vec![rel], header)),
        }
    }
    let mut resources: Vec<Value> = resources
        .into_iter()
        .map(|(folder, paths, header)| {
            let first = &paths[0];
            let fields = fields(first, &header);
            let name = if paths.len() > 1 {
                resource_name(&folder)
            } else {
                resource_name(first)
            };
            json!({
                "name": name,
                "path": if paths.len() == 1 { Value::from(first.clone()) } else { Value::from(paths) },
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "missingValues": [""]},
            })
        })
        .collect();
    // Parquet copies (`--format parquet|both`): described like the CSV table they copy.
    for (rel, header) in parquet_files(dir)? {
        let csv = if rel == "daily.parquet" && header.first().is_some_and(|c| c == "run") {
            "daily/run.csv".to_string()
        } else {
            rel.replace(".parquet", ".csv")
        };
        resources.push(json!({
            "name": resource_name(&rel.replace(".parquet", "-parquet")),
            "path": rel,
            "profile": "tabular-data-resource",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": {"fields": fields(&csv, &header)},
        }));
    }
    let scale = manifest["persons_per_agent"].as_u64().or_else(|| {
        let text = std::fs::read_to_string(dir.join("scenario.toml")).ok()?;
        let t: toml::Table = text.parse().ok()?;
        t.get("arrivals")?
            .get("persons_per_agent")?
            .as_integer()
            .map(|x| x as u64)
    });
    Ok(json!({
        "profile": "tabular-data-package",
        "name": resource_name(&format!(
            "relocant-{}",
            manifest["command"].as_str().unwrap_or("result")
        )),
        "description": "Results written by relocant; README.md describes every file.",
        "relocant_version": env!("CARGO_PKG_VERSION"),
        "persons_per_agent": scale,
        "scenario_sha256": manifest["scenario_sha256"],
        "resources": resources,
    }))
}

/// Writes `DIR/datapackage.json` (atomically) for the files now in `dir`.
pub fn write_datapackage(dir: &Path) -> io::Result<()> {
    let v = datapackage(dir)?;
    let text = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    write_file_atomically(&dir.join("datapackage.json"), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_columns_are_described_from_the_observation_table() {
        let f = describe("daily.csv", "legal_rvp").unwrap();
        assert_eq!(f.kind, "integer");
        assert!(f.description.contains("category `rvp`"), "{f:?}");
        assert_eq!(describe("daily.csv", "date").unwrap().kind, "date");
        assert!(describe("daily.csv", "no_such_column").is_none());
        assert_eq!(
            describe("daily/run-0001.csv", "present"),
            describe("daily.csv", "present")
        );
    }

    #[test]
    fn outcomes_and_parameters_are_described_wherever_they_appear() {
        for file in ["summary.csv", "runs.csv", "points.csv", "outcomes.csv"] {
            assert!(describe(file, "share_integrated").is_some(), "{file}");
            assert!(describe(file, "left_family").is_some(), "{file}");
        }
        assert!(describe("runs.csv", "decisions.money").is_some());
        assert!(describe("design.csv", "decisions.money:unit").is_some());
        assert!(describe("posterior.csv", "sim_stock_in_kz_2022_10_04").is_some());
        assert!(describe("summary.csv", "left_nowhere").is_none());
    }
}
