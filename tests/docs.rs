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

#[test]
fn every_daily_column_is_in_the_readme() {
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
    let readme = read("README.md");
    for col in daily.lines().next().unwrap().split(',') {
        let documented = readme.contains(&format!("`{col}`"))
            || (col.starts_with("moved_on_to_") && readme.contains("`moved_on_to_<destination>`"));
        assert!(
            documented,
            "README.md does not document daily.csv column {col}"
        );
    }
}
