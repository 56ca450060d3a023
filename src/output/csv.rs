//! The CSV and JSON contents of a run directory. Column names here are a contract that
//! charts, sweeps and users' scripts rely on; README.md documents them.

use std::fmt::Write;

use super::columns::{self, DAILY, Each, Get};
use crate::calendar::Date;
use crate::engine::RunResult;
use crate::model::agents::Reason;
use crate::model::observe::DayRecord;
use crate::model::params::MIR_MODES;
use crate::scenario::Scenario;
use crate::stats::Summary;

/// `daily.csv`: one row per replicate and day, its columns those of the observation table
/// (`columns::DAILY`), counts in persons.
pub fn daily(sc: &Scenario, runs: &[RunResult]) -> String {
    let k = u64::from(sc.arrivals.persons_per_agent);
    let named = columns::ScenarioNames::of(sc);
    let header: Vec<String> = DAILY
        .iter()
        .flat_map(|c| columns::names(c, &named))
        .collect();
    let mut out = header.join(",");
    out.push('\n');
    for run in runs {
        for (day, r) in run.days.iter().enumerate() {
            let mut first = true;
            for c in DAILY {
                let n = match c.each {
                    Each::One => 1,
                    Each::Of(names) => names.len(),
                    Each::Destination | Each::City => named.of_family(c.each).len(),
                };
                for i in 0..n {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    let _ = match c.get {
                        Get::Replicate => write!(out, "{}", run.replicate),
                        Get::Day => write!(out, "{day}"),
                        Get::Date => write!(out, "{}", sc.start.add_days(day as i64)),
                        Get::Persons(f) => write!(out, "{}", u64::from(f(r, i)) * k),
                        Get::MeanPerPresent(f) => {
                            let mean = if r.present > 0 {
                                f(r, i) as f64 / f64::from(r.present)
                            } else {
                                0.0
                            };
                            write!(out, "{}", round4(mean))
                        }
                    };
                }
            }
            out.push('\n');
        }
    }
    out
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A CSV table as JSON: an array of objects, one per row, keyed by the header; numbers as
/// numbers (non-finite ones as strings), `true`/`false` as booleans, empty cells as null.
pub fn to_json(csv: &str) -> serde_json::Value {
    use serde_json::Value;
    let mut lines = csv.lines();
    let header = crate::sweep::results::split_csv(lines.next().unwrap_or(""));
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cells = crate::sweep::results::split_csv(l);
            let obj: serde_json::Map<String, Value> = header
                .iter()
                .zip(cells)
                .map(|(h, c)| {
                    let v = if c.is_empty() {
                        Value::Null
                    } else if let Some(n) = c
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .and_then(serde_json::Number::from_f64)
                    {
                        if let Ok(i) = c.parse::<i64>() {
                            Value::from(i)
                        } else {
                            Value::Number(n)
                        }
                    } else if c == "true" || c == "false" {
                        Value::Bool(c == "true")
                    } else {
                        Value::String(c)
                    };
                    (h.clone(), v)
                })
                .collect();
            Value::Object(obj)
        })
        .collect();
    Value::Array(rows)
}

/// Prints one JSON document on stdout (`--json`): the summary a command would print as text.
pub fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// `daily_long.csv`: the daily series in long form, `replicate,date,variable,value`, one
/// row per replicate, day and column of `daily.csv` (whose text it is made from, so the
/// values are the same to the digit).
pub fn daily_long(daily_csv: &str) -> String {
    let mut lines = daily_csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name);
    let (Some(rep), Some(date)) = (at("replicate"), at("date")) else {
        return String::from("replicate,date,variable,value\n");
    };
    let day = at("day");
    let mut out = String::from("replicate,date,variable,value\n");
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        for (i, (name, value)) in header.iter().zip(&cells).enumerate() {
            if i == rep || i == date || Some(i) == day {
                continue;
            }
            let _ = writeln!(out, "{},{},{name},{value}", cells[rep], cells[date]);
        }
    }
    out
}

/// End-of-run figures of one replicate, by column name of `summary.csv`.
pub fn end_of_run(sc: &Scenario, run: &RunResult) -> Vec<(String, f64)> {
    outcomes_on(sc, &run.days.last().cloned().unwrap_or_default())
}

/// The outcomes (as in `summary.csv`) at the end of one day: persons and shares of those
/// arrived so far (each person counted once, where it is: present, moved on or returned).
pub fn outcomes_on(sc: &Scenario, last: &DayRecord) -> Vec<(String, f64)> {
    let k = f64::from(sc.arrivals.persons_per_agent);
    let arrived = f64::from(last.arrived) * k;
    let share = |x: u32| {
        if arrived > 0.0 {
            f64::from(x) * k / arrived
        } else {
            0.0
        }
    };
    let mut v: Vec<(String, f64)> = vec![
        ("arrived".into(), arrived),
        ("present".into(), f64::from(last.present) * k),
        ("integrated".into(), f64::from(last.integrated) * k),
        ("moved_on".into(), f64::from(last.moved_on) * k),
        ("returned".into(), f64::from(last.returned) * k),
        ("share_present".into(), share(last.present)),
        ("share_integrated".into(), share(last.integrated)),
        ("share_moved_on".into(), share(last.moved_on)),
        ("share_returned".into(), share(last.returned)),
    ];
    for (i, n) in Reason::NAMES.iter().enumerate() {
        v.push((format!("left_{n}"), f64::from(last.left[i]) * k));
    }
    v.push(("iin_issued".into(), f64::from(last.iin_issued) * k));
    v.push(("reentries".into(), f64::from(last.reentries) * k));
    v
}

/// `summary.csv` (a row per replicate) and `summary_stats.csv` (mean, sd and 5/50/95%
/// quantiles over replicates): two tables, so no column changes type between rows.
pub fn summary(sc: &Scenario, runs: &[RunResult]) -> (String, String) {
    let rows: Vec<Vec<(String, f64)>> = runs.iter().map(|r| end_of_run(sc, r)).collect();
    let names: Vec<String> = rows
        .first()
        .map(|r| r.iter().map(|c| c.0.clone()).collect())
        .unwrap_or_default();
    let mut out = format!("replicate,{}\n", names.join(","));
    let mut stats = format!("stat,{}\n", names.join(","));
    for (run, row) in runs.iter().zip(&rows) {
        let _ = write!(out, "{}", run.replicate);
        for (_, x) in row {
            let _ = write!(out, ",{}", round6(*x));
        }
        out.push('\n');
    }
    let columns: Vec<Summary> = (0..names.len())
        .map(|c| Summary::of(&rows.iter().map(|r| r[c].1).collect::<Vec<_>>()))
        .collect();
    for (stat, get) in [
        ("mean", (|s: &Summary| s.mean) as fn(&Summary) -> f64),
        ("sd", |s| s.sd),
        ("q05", |s| s.q05),
        ("q50", |s| s.q50),
        ("q95", |s| s.q95),
    ] {
        let _ = write!(stats, "{stat}");
        for s in &columns {
            let _ = write!(stats, ",{}", round6(get(s)));
        }
        stats.push('\n');
    }
    (out, stats)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `cohorts.csv`: survival by arrival month, every 7 days since arrival.
pub fn cohorts(runs: &[RunResult]) -> String {
    let mut out = String::from("replicate,cohort,days_since_arrival,share_present\n");
    for run in runs {
        for c in &run.cohorts {
            for (k, s) in c.share_present.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{},{:04}-{:02},{},{}",
                    run.replicate,
                    c.month.div_euclid(12),
                    c.month.rem_euclid(12) + 1,
                    7 * k,
                    round6(*s)
                );
            }
        }
    }
    out
}

/// The scenario's dated policy events as (date, label) for `events.csv` and the charts, in
/// date order. Announcements of channel stages are not labelled (the stage itself is).
pub fn event_labels(sc: &Scenario) -> Vec<(Date, String)> {
    let p = &sc.policy;
    let spaced = |name: &str| name.replace('_', " ");
    let mut labels: Vec<(Date, String)> = Vec::new();
    if let Some(b) = &p.border_run_ban {
        labels.push((b.announced, "border-run ban announced".into()));
        labels.push((b.date, "border-run ban".into()));
    }
    for (channel, stages) in [("MIR", &p.mir), ("transfers", &p.transfers)] {
        for m in stages {
            let label = if m.label.is_empty() {
                format!("{channel} {}", MIR_MODES[m.mode])
            } else {
                m.label.clone()
            };
            labels.push((m.date, label));
        }
    }
    if let Some((d, _)) = p.rvp_fingerprinting {
        labels.push((d, "RVP fingerprinting".into()));
    }
    if let Some(v) = &p.vnzh_skilled {
        labels.push((v.date, "skilled VNZh".into()));
    }
    if let Some((d, _)) = p.service_centre {
        labels.push((d, "service centre".into()));
    }
    for s in &p.shelters {
        labels.push((s.date, format!("shelters: {}", spaced(&s.name))));
    }
    for r in &p.rent_shocks {
        labels.push((r.date, format!("rent: {}", spaced(&r.name))));
    }
    for f in &p.fx_shocks {
        labels.push((f.date, format!("exchange rate: {}", spaced(&f.name))));
    }
    for w in &p.mobilization_waves {
        labels.push((w.date, format!("mobilization wave: {}", spaced(&w.name))));
    }
    for r in &p.remote_pressure {
        labels.push((r.date, "remote-work pressure".into()));
    }
    // Stable sort: same-day events keep the order above.
    labels.sort_by_key(|(d, _)| *d);
    labels
}

/// `panel.csv`: for each replicate and panel of the scenario, of those present at the end of
/// `date`, how many are still present, moved on or returned `horizon_days` later (persons).
pub fn panel(sc: &Scenario, runs: &[RunResult]) -> String {
    let k = u64::from(sc.arrivals.persons_per_agent);
    let mut out =
        String::from("replicate,panel,date,horizon_days,present,still_present,moved_on,returned\n");
    for run in runs {
        for (p, r) in sc.observation.panels.iter().zip(&run.panels) {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                run.replicate,
                p.name,
                p.date,
                p.horizon_days,
                u64::from(r.present) * k,
                u64::from(r.still_present) * k,
                u64::from(r.moved_on) * k,
                u64::from(r.returned) * k
            );
        }
    }
    out
}

/// `events.csv`: the scenario's dated policy events, for charts.
pub fn events(labels: &[(Date, String)]) -> String {
    let mut out = String::from("date,label\n");
    for (d, l) in labels {
        let _ = writeln!(out, "{d},{}", quote(l));
    }
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `network/edges_DATE.csv`: one row per tie, `source,target,kind,strength`. Migrants are
/// `m<id>`; people outside the simulated population are `local:<id>:<k>` / `home:<id>:<k>`
/// (the k-th such tie of migrant id).
pub fn edges(edges: &[crate::engine::Edge]) -> String {
    use crate::engine::Node;
    let name = |n: Node| match n {
        Node::Migrant(i) => format!("m{i}"),
        Node::Local { of, k } => format!("local:{of}:{k}"),
        Node::Home { of, k } => format!("home:{of}:{k}"),
        Node::Abroad { of, k } => format!("abroad:{of}:{k}"),
    };
    let mut out = String::from("source,target,kind,strength\n");
    for e in edges {
        let _ = writeln!(
            out,
            "{},{},{},{}",
            name(e.source),
            name(e.target),
            crate::model::ties::TieKind::NAMES[e.kind as usize],
            e.strength
        );
    }
    out
}
