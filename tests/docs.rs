//! The docs stay in step with the code: every scenario key of the baseline is documented in
//! docs/MODEL.md, and every daily.csv column in README.md.

use std::path::Path;

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn keys(prefix: &str, t: &toml::Table, out: &mut Vec<String>) {
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            // The monthly exchange-rate series is documented as one table.
            toml::Value::Table(sub) if path != "money.kzt_per_rub" && !sub.is_empty() => {
                keys(&path, sub, out)
            }
            _ => out.push(path),
        }
    }
}

#[test]
fn every_baseline_key_is_in_the_model_description() {
    let baseline: toml::Table = read("scenarios/baseline.toml")
        .parse()
        .expect("baseline parses");
    let model = read("docs/MODEL.md");
    let mut all = Vec::new();
    keys("", &baseline, &mut all);
    let missing: Vec<&String> = all
        .iter()
        .filter(|k| !model.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/MODEL.md does not document: {missing:?}"
    );
}

/// README's `daily.csv` table is the observation table's, between two markers. Run the
/// test with `RELOCANT_BLESS=1` to rewrite it after changing `src/output/columns.rs`.
#[test]
fn the_readme_column_table_is_the_observation_table() {
    const BEGIN: &str = "<!-- daily-columns: generated from src/output/columns.rs; RELOCANT_BLESS=1 cargo test --release --test docs rewrites it -->\n";
    const END: &str = "<!-- /daily-columns -->";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = read("README.md");
    let start = readme.find(BEGIN).expect("README has the begin marker") + BEGIN.len();
    let stop = start
        + readme[start..]
            .find(END)
            .expect("README has the end marker");
    let table = relocant::output::columns::markdown_table();
    if std::env::var_os("RELOCANT_BLESS").is_some() {
        let text = format!("{}{table}{}", &readme[..start], &readme[stop..]);
        std::fs::write(&path, text).unwrap();
        return;
    }
    assert_eq!(
        readme[start..stop],
        table,
        "README.md's daily.csv table is stale: run RELOCANT_BLESS=1 cargo test --release --test docs"
    );
}

#[test]
fn every_daily_csv_column_is_in_the_observation_table() {
    let sc = relocant::scenario::load(
        relocant::scenario::Source::Builtin,
        &[
            "replicates=1".into(),
            "arrivals.persons_per_agent=1000".into(),
        ],
    )
    .expect("baseline loads")
    .scenario;
    let daily = relocant::output::csv::daily(&sc, &[]);
    let header: Vec<&str> = daily.lines().next().unwrap().split(',').collect();
    assert!(header.len() > 40, "{header:?}");
    for col in &header {
        assert!(
            relocant::output::columns::is_daily_column(col),
            "daily.csv column {col} is not in the observation table"
        );
    }
    assert!(!relocant::output::columns::is_daily_column(
        "legal_nonsense"
    ));
}

#[test]
fn the_validation_report_holds_the_thesis_experiment_of_the_shipped_file() {
    let report = read("docs/VALIDATION.md");
    let begin = report
        .find("<!-- begin experiment:thesis -->")
        .expect("VALIDATION.md has the thesis section (relocant experiment --report)");
    let section = &report[begin..report.find("<!-- end experiment:thesis -->").unwrap()];
    assert!(
        section.contains(
            "cargo run --release -- experiment scenarios/experiments/thesis.toml --report docs/VALIDATION.md"
        ),
        "the section states the command that writes it"
    );
    assert!(section.contains("**Finding.**"));
    // Every arm of the shipped file is in its tables, under its label.
    let thesis: toml::Table = read("scenarios/experiments/thesis.toml").parse().unwrap();
    let arms = thesis["arms"].as_table().unwrap();
    assert_eq!(arms.len(), 10);
    for (name, arm) in arms {
        let label = arm["label"].as_str().unwrap();
        assert!(
            section.contains(&format!("| {label} |")),
            "{name} ({label}) missing"
        );
    }
    // The shipped ablations are its social-capital arms, on the calibrated scenario.
    for (name, arm) in arms.iter().filter(|a| a.1.get("scenario").is_some()) {
        let file = arm["scenario"].as_str().unwrap().trim_start_matches("../");
        let text = read(&format!("scenarios/{file}"));
        assert!(
            text.contains("base = \"../calibrated.toml\""),
            "{name}: {file}"
        );
    }
}
