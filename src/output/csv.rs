//! The CSV and JSON contents of a run directory. Column names here are a contract that
//! charts, sweeps and users' scripts rely on; README.md documents them.

use std::fmt::Write;

use crate::engine::RunResult;
use crate::model::agents::{Help, Housing, Legal, Reason};
use crate::model::ties::TieKind;
use crate::scenario::Scenario;
use crate::stats::Summary;

/// `daily.csv`: one row per replicate and day, counts in persons.
pub fn daily(sc: &Scenario, runs: &[RunResult]) -> String {
    let k = u64::from(sc.arrivals.persons_per_agent);
    let mut out = String::new();
    let mut header = vec![
        "replicate",
        "day",
        "date",
        "arrived",
        "present",
        "integrated",
        "moved_on",
        "returned",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    header.extend(Legal::NAMES.iter().map(|n| format!("legal_{n}")));
    header.extend(Housing::NAMES.iter().map(|n| format!("housing_{n}")));
    header.extend(
        [
            "employed_remote",
            "employed_local",
            "employed_both",
            "employed_none",
        ]
        .map(String::from),
    );
    header.extend(Reason::NAMES.iter().map(|n| format!("left_{n}")));
    header.push("iin_issued".into());
    header.extend(
        sc.destinations
            .iter()
            .map(|d| format!("moved_on_to_{}", d.name)),
    );
    header.extend(TieKind::NAMES.iter().map(|n| format!("ties_{n}")));
    header.extend(Help::NAMES.iter().map(|n| format!("help_{n}")));
    header.extend(["online_info_members", "online_community_members"].map(String::from));
    header.extend(
        [
            "housed_via_tie",
            "local_job",
            "local_job_via_tie",
            "present_150d",
            "long_stay_150d",
            "local_job_via_tie_150d",
        ]
        .map(String::from),
    );
    out.push_str(&header.join(","));
    out.push('\n');
    for run in runs {
        for (day, r) in run.days.iter().enumerate() {
            let date = sc.start.add_days(day as i64);
            let _ = write!(out, "{},{day},{date}", run.replicate);
            let counts = [r.arrived, r.present, r.integrated, r.moved_on, r.returned]
                .into_iter()
                .chain(r.legal)
                .chain(r.housing)
                .chain(r.employment)
                .chain(r.left)
                .chain([r.iin_issued])
                .chain(r.moved_to.iter().copied().take(sc.destinations.len()));
            for c in counts {
                let _ = write!(out, ",{}", u64::from(c) * k);
            }
            for t in r.ties {
                let mean = if r.present > 0 {
                    t as f64 / f64::from(r.present)
                } else {
                    0.0
                };
                let _ = write!(out, ",{}", round4(mean));
            }
            for c in r
                .help
                .into_iter()
                .chain([r.online_info, r.online_community])
            {
                let _ = write!(out, ",{}", u64::from(c) * k);
            }
            for c in [
                r.housed_via_tie,
                r.local_job,
                r.job_via_tie,
                r.present_150d,
                r.long_stay_150d,
                r.job_via_tie_150d,
            ] {
                let _ = write!(out, ",{}", u64::from(c) * k);
            }
            out.push('\n');
        }
    }
    out
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// End-of-run figures of one replicate, by column name of `summary.csv`.
pub fn end_of_run(sc: &Scenario, run: &RunResult) -> Vec<(String, f64)> {
    let k = f64::from(sc.arrivals.persons_per_agent);
    let last = run.days.last().cloned().unwrap_or_default();
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
    v
}

/// `summary.csv`: a row per replicate, then mean, sd and 5/50/95% quantiles over them.
pub fn summary(sc: &Scenario, runs: &[RunResult]) -> String {
    let rows: Vec<Vec<(String, f64)>> = runs.iter().map(|r| end_of_run(sc, r)).collect();
    let names: Vec<String> = rows
        .first()
        .map(|r| r.iter().map(|c| c.0.clone()).collect())
        .unwrap_or_default();
    let mut out = format!("stat,replicate,{}\n", names.join(","));
    for (run, row) in runs.iter().zip(&rows) {
        let _ = write!(out, "replicate,{}", run.replicate);
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
        let _ = write!(out, "{stat},");
        for s in &columns {
            let _ = write!(out, ",{}", round6(get(s)));
        }
        out.push('\n');
    }
    out
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
                    "{},{},{},{}",
                    run.replicate,
                    c.label,
                    7 * k,
                    round6(*s)
                );
            }
        }
    }
    out
}

/// `events.csv`: the scenario's dated policy events, for charts.
pub fn events(labels: &[(crate::calendar::Date, String)]) -> String {
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

/// `network/edges_DATE.csv`: one row per tie, `source,target,kind,strength`.
pub fn edges(edges: &[crate::engine::Edge]) -> String {
    let mut out = String::from("source,target,kind,strength\n");
    for e in edges {
        let _ = writeln!(out, "{},{},{},{}", e.source, e.target, e.kind, e.strength);
    }
    out
}
