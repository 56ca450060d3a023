//! The layering ARCHITECTURE.md promises, checked on the source: nothing but `main.rs`
//! depends on the command line (`cli.rs`), and the simulation core (`model`) depends on no
//! other part of the crate but the calendar: not on reading scenarios (`scenario`, which
//! reads TOML into the model's own parameter types), nor on commands, results or figures.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Lines of `file` that name module `module` of the crate (`crate::module`, or a
/// `use crate::{...}` group that lists it).
fn uses(file: &Path, module: &str) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap();
    let path = format!("crate::{module}");
    let grouped = |l: &str| {
        l.split_once("crate::{")
            .is_some_and(|(_, rest)| rest.split([',', '}', ' ', ':']).any(|w| w.trim() == module))
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, l)| {
            l.split(&path)
                .skip(1)
                .any(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
                || grouped(l)
        })
        .map(|(i, l)| format!("{}:{}: {}", file.display(), i + 1, l.trim()))
        .collect()
}

#[test]
fn no_module_imports_the_cli_and_the_model_imports_only_the_calendar() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 20, "found the sources");
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap();
        if rel != Path::new("cli.rs") && rel != Path::new("main.rs") {
            bad.extend(uses(f, "cli"));
        }
        if rel.starts_with("model") && !rel.ends_with("testkit.rs") {
            // The unit tests' hand-built worlds load the built-in scenario: test code only.
            for other in [
                "scenario",
                "cli",
                "command",
                "engine",
                "output",
                "plot",
                "sweep",
                "calibrate",
                "table",
                "progress",
                "stats",
            ] {
                bad.extend(uses(f, other));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports that break the layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_sees_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("x.rs");
    fs::write(
        &f,
        "use crate::cli::Failure;\nuse crate::{engine, cli};\nuse crate::client;\n// crate::model_x\n//! see crate::model\nlet x = crate::model::observe::N;\n",
    )
    .unwrap();
    assert_eq!(uses(&f, "cli").len(), 2);
    assert_eq!(uses(&f, "model").len(), 1);
}

/// The simulation core (`model`, `engine`) builds no display strings: labels, names of
/// network nodes and cohorts are made by `output` from plain data. Unit tests are exempt.
#[test]
fn the_core_builds_no_strings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("engine.rs")];
    sources(&root.join("model"), &mut files);
    let mut bad = Vec::new();
    for f in files.iter().filter(|f| !f.ends_with("testkit.rs")) {
        let text = fs::read_to_string(f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, l) in code.lines().enumerate() {
            let l = l.trim_start();
            if l.starts_with("//") {
                continue;
            }
            if ["format!(", ".to_string()", "String::from", "String::new"]
                .iter()
                .any(|p| l.contains(p))
            {
                bad.push(format!("{}:{}: {l}", f.display(), i + 1));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the core builds strings:\n{}",
        bad.join("\n")
    );
}
