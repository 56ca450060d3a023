//! `relocant diff A B`: the resolved keys that differ between two scenarios (files, or run
//! directories' `scenario.toml`), each with its value and where it was set on either side.

use std::path::{Path, PathBuf};

use super::{Failure, load};
use crate::scenario::diag::{Loc, SourceMap};
use crate::scenario::doc::leaves;

/// `file:line` of a value, or where the built-in baseline sets it.
fn place(sources: &SourceMap, loc: Loc) -> String {
    let (line, _) = sources.line_col(loc.src, loc.start as usize);
    format!("{}:{line}", sources.name(loc.src))
}

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
    let (xa, xb) = (leaves(&la.resolved), leaves(&lb.resolved));
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    let side = |l: Option<&(String, String, Loc)>, s: &SourceMap| match l {
        Some((_, v, loc)) => format!("{v}  ({})", place(s, *loc)),
        None => "(absent)".to_string(),
    };
    while i < xa.len() || j < xb.len() {
        let (ka, kb) = (xa.get(i).map(|x| &x.0), xb.get(j).map(|x| &x.0));
        let (left, right) = match (ka, kb) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
                (Some(&xa[i - 1]), Some(&xb[j - 1]))
            }
            (Some(x), Some(y)) if x < y => {
                i += 1;
                (Some(&xa[i - 1]), None)
            }
            (Some(_), None) => {
                i += 1;
                (Some(&xa[i - 1]), None)
            }
            _ => {
                j += 1;
                (None, Some(&xb[j - 1]))
            }
        };
        if left.map(|x| &x.1) == right.map(|x| &x.1) {
            continue;
        }
        let key = left.or(right).map(|x| x.0.clone()).unwrap_or_default();
        out.push_str(&format!(
            "{key}\n  - {}\n  + {}\n",
            side(left, &la.sources),
            side(right, &lb.sources)
        ));
    }
    Ok(out)
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
