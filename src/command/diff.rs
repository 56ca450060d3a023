//! `relocant diff A B`: the resolved keys that differ between two scenarios (files, or run
//! directories' `scenario.toml`), each with its value and where it was set on either side.

use std::path::{Path, PathBuf};

use super::{Failure, load};
use crate::scenario::compare::{self, Side};

/// The scenario a path names: a scenario file, or a run directory's resolved scenario.
fn scenario_file(p: &Path) -> PathBuf {
    if p.is_dir() {
        p.join("scenario.toml")
    } else {
        p.to_path_buf()
    }
}

/// The differences as text, one block per key, in key order; empty when there are none.
pub fn differences(a: &Path, b: &Path) -> Result<String, Failure> {
    let (la, lb) = (
        load(Some(&scenario_file(a)), &[])?,
        load(Some(&scenario_file(b)), &[])?,
    );
    let side = |s: &Option<Side>| match s {
        Some(s) => format!("{}  ({})", s.value, s.place),
        None => "(absent)".to_string(),
    };
    Ok(compare::differences(&la, &lb)
        .iter()
        .map(|d| format!("{}\n  - {}\n  + {}\n", d.key, side(&d.left), side(&d.right)))
        .collect())
}

/// `relocant diff A B`.
pub fn diff(a: &Path, b: &Path) -> Result<(), Failure> {
    let d = differences(a, b)?;
    if d.is_empty() {
        println!("no differences");
    } else {
        print!("{d}");
    }
    Ok(())
}
