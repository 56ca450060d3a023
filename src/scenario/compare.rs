//! Two resolved scenarios compared key by key: the keys whose values differ, each with its
//! value and the file and line that set it on either side (`relocant diff`, and the
//! "differences from the baseline" of `relocant report`).

use super::Loaded;
use super::diag::{Loc, SourceMap};
use super::doc::leaves;

/// One side of a difference: the value as TOML text and `file:line` where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub value: String,
    pub place: String,
}

/// A key whose resolved value differs (`None`: absent on that side).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub key: String,
    pub left: Option<Side>,
    pub right: Option<Side>,
}

fn side(sources: &SourceMap, (_, value, loc): &(String, String, Loc)) -> Side {
    let (line, _) = sources.line_col(loc.src, loc.start as usize);
    Side {
        value: value.clone(),
        place: format!("{}:{line}", sources.name(loc.src)),
    }
}

/// The keys whose resolved values differ between `a` and `b`, in key order.
pub fn differences(a: &Loaded, b: &Loaded) -> Vec<Difference> {
    let (xa, xb) = (leaves(&a.resolved), leaves(&b.resolved));
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < xa.len() || j < xb.len() {
        let (left, right) = match (xa.get(i), xb.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (Some(x), Some(y))
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                (Some(x), None)
            }
            (Some(x), None) => {
                i += 1;
                (Some(x), None)
            }
            (_, y) => {
                j += 1;
                (None, y)
            }
        };
        if left.map(|x| &x.1) == right.map(|x| &x.1) {
            continue;
        }
        out.push(Difference {
            key: left.or(right).map(|x| x.0.clone()).unwrap_or_default(),
            left: left.map(|x| side(&a.sources, x)),
            right: right.map(|x| side(&b.sources, x)),
        });
    }
    out
}
