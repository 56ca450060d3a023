//! Typed, checked reading of a merged scenario tree.
//!
//! A `Reader` walks one table: every key the decoding code asks for is marked as known, so
//! that when the table is finished the keys nobody asked for are reported as unknown, with
//! "did you mean" from the known ones. Problems are collected, never returned early, so a
//! user sees every mistake at once.

use crate::model::params::ParamReader;
use std::cell::RefCell;

use super::diag::{Diagnostic, Loc, did_you_mean};
use super::doc::{Entry, Node, Table, Value};
use crate::calendar::Date;

/// Collects the problems found while decoding.
#[derive(Default)]
pub struct Problems {
    pub list: RefCell<Vec<Diagnostic>>,
}

impl Problems {
    pub fn push(&self, loc: Loc, msg: impl Into<String>) {
        self.list.borrow_mut().push(Diagnostic::at(loc, msg));
    }

    /// How many problems have been found so far.
    pub fn count(&self) -> usize {
        self.list.borrow().len()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list.into_inner()
    }
}

/// Reads the keys of one table.
pub struct Reader<'t> {
    pub path: String,
    pub loc: Loc,
    table: Option<&'t Table>,
    known: RefCell<Vec<String>>,
    pub problems: &'t Problems,
}

impl<'t> Reader<'t> {
    pub fn root(node: &'t Node, problems: &'t Problems) -> Reader<'t> {
        Reader::new(String::new(), node, problems)
    }

    /// A reader of `node`, a table whose keys are named `path.KEY` in messages.
    pub fn new(path: String, node: &'t Node, problems: &'t Problems) -> Reader<'t> {
        let table = match &node.value {
            Value::Table(t) => Some(t),
            other => {
                problems.push(
                    node.loc,
                    format!("[{path}] must be a table, found {}", other.type_name()),
                );
                None
            }
        };
        Reader {
            path,
            loc: node.loc,
            table,
            known: RefCell::new(Vec::new()),
            problems,
        }
    }

    fn full(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The entry for `key`, marking it as known; a missing key is reported.
    pub fn entry(&self, key: &str) -> Option<&'t Entry> {
        self.known.borrow_mut().push(key.to_string());
        let e = self.table.and_then(|t| t.get(key));
        if e.is_none() && self.table.is_some() {
            self.problems
                .push(self.loc, format!("missing key `{}`", self.full(key)));
        }
        e
    }

    /// The entry for `key` if there is one, marking it as known: for optional keys.
    pub fn optional(&self, key: &str) -> Option<&'t Entry> {
        self.known.borrow_mut().push(key.to_string());
        self.table.and_then(|t| t.get(key))
    }

    /// Whether the table has `key` (without reporting anything).
    pub fn has(&self, key: &str) -> bool {
        self.table.is_some_and(|t| t.contains_key(key))
    }

    /// Ends reading: reports keys that were never asked for.
    pub fn finish(self) {
        let Some(t) = self.table else { return };
        let known = self.known.borrow();
        for (k, e) in t {
            if !known.iter().any(|n| n == k) {
                let mut msg = format!("unknown key `{}`", self.full(k));
                if let Some(s) = did_you_mean(k, known.iter().map(String::as_str)) {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                } else if !known.is_empty() {
                    let list: Vec<&str> = known.iter().map(String::as_str).collect();
                    msg.push_str(&format!("; expected one of: {}", list.join(", ")));
                }
                self.problems.push(e.key_loc, msg);
            }
        }
    }

    /// A nested table that may be left out (then it reads as empty).
    pub fn optional_table(&self, key: &str) -> Reader<'t> {
        self.nested(key, self.optional(key))
    }

    /// A nested table.
    pub fn table(&self, key: &str) -> Reader<'t> {
        self.nested(key, self.entry(key))
    }

    /// A reader of the table at `key`, or an empty one when there is none.
    fn nested(&self, key: &str, entry: Option<&'t Entry>) -> Reader<'t> {
        match entry {
            Some(e) => Reader::new(self.full(key), &e.node, self.problems),
            None => Reader {
                path: self.full(key),
                loc: self.loc,
                table: None,
                known: RefCell::default(),
                problems: self.problems,
            },
        }
    }

    /// The entries of a table whose keys are names chosen by the user (cities, MIR stages…).
    pub fn named(&self, key: &str) -> Vec<(String, Loc, Reader<'t>)> {
        let Some(e) = self.entry(key) else {
            return Vec::new();
        };
        match &e.node.value {
            Value::Table(t) => t
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.key_loc,
                        Reader::new(format!("{}.{k}", self.full(key)), &v.node, self.problems),
                    )
                })
                .collect(),
            other => {
                self.problems.push(
                    e.node.loc,
                    format!(
                        "`{}` must be a table, found {}",
                        self.full(key),
                        other.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// This table's own entries, when their keys are names chosen by the user.
    pub fn named_tables_here(&self) -> Vec<(String, Loc, Reader<'t>)> {
        let Some(t) = self.table else {
            return Vec::new();
        };
        t.iter()
            .map(|(k, v)| {
                self.known.borrow_mut().push(k.clone());
                (
                    k.clone(),
                    v.key_loc,
                    Reader::new(self.full(k), &v.node, self.problems),
                )
            })
            .collect()
    }

    /// Number-valued entries of a table whose keys are chosen by the user.
    pub fn named_numbers(&self, key: &str, min: f64, max: f64) -> Vec<(String, Loc, f64)> {
        let Some(e) = self.entry(key) else {
            return Vec::new();
        };
        let Value::Table(t) = &e.node.value else {
            self.problems
                .push(e.node.loc, format!("`{}` must be a table", self.full(key)));
            return Vec::new();
        };
        t.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.key_loc,
                    self.check_number(&format!("{}.{k}", self.full(key)), &v.node, min, max),
                )
            })
            .collect()
    }

    fn check_number(&self, name: &str, node: &Node, min: f64, max: f64) -> f64 {
        let x = match node.value {
            Value::Float(f) => f,
            Value::Int(i) => i as f64,
            ref other => {
                self.problems.push(
                    node.loc,
                    format!("`{name}` must be a number, found {}", other.type_name()),
                );
                return min.max(0.0).min(max);
            }
        };
        if !x.is_finite() || x < min || x > max {
            let range = match (min, max) {
                (0.0, 1.0) => "a probability in [0, 1]".to_string(),
                (0.0, f64::INFINITY) => "a non-negative number".to_string(),
                (a, f64::INFINITY) => format!("a number >= {a}"),
                (a, b) => format!("a number in [{a}, {b}]"),
            };
            self.problems
                .push(node.loc, format!("`{name}` must be {range}, found {x}"));
            return min.max(0.0).min(max);
        }
        x
    }

    pub fn num(&self, key: &str, min: f64, max: f64) -> f64 {
        match self.entry(key) {
            Some(e) => self.check_number(&self.full(key), &e.node, min, max),
            None => min.max(0.0).min(max),
        }
    }

    /// A probability in [0, 1].
    pub fn prob(&self, key: &str) -> f64 {
        self.num(key, 0.0, 1.0)
    }

    /// A non-negative amount (money, capacity, days, rates).
    pub fn nonneg(&self, key: &str) -> f64 {
        self.num(key, 0.0, f64::INFINITY)
    }

    /// A float for which any finite value is meaningful (utility coefficients).
    pub fn real(&self, key: &str) -> f64 {
        self.num(key, f64::MIN, f64::MAX)
    }

    /// A whole number in [min, max].
    pub fn int(&self, key: &str, min: i64, max: i64) -> i64 {
        let Some(e) = self.entry(key) else { return min };
        match e.node.value {
            Value::Int(i) if (min..=max).contains(&i) => i,
            Value::Int(i) => {
                let range = if max == i64::MAX {
                    format!(">= {min}")
                } else {
                    format!("in [{min}, {max}]")
                };
                self.problems.push(
                    e.node.loc,
                    format!(
                        "`{}` must be a whole number {range}, found {i}",
                        self.full(key)
                    ),
                );
                min
            }
            ref other => {
                self.problems.push(
                    e.node.loc,
                    format!(
                        "`{}` must be a whole number, found {}",
                        self.full(key),
                        other.type_name()
                    ),
                );
                min
            }
        }
    }

    pub fn boolean(&self, key: &str) -> bool {
        let Some(e) = self.entry(key) else {
            return false;
        };
        match e.node.value {
            Value::Bool(b) => b,
            ref other => {
                self.problems.push(
                    e.node.loc,
                    format!(
                        "`{}` must be true or false, found {}",
                        self.full(key),
                        other.type_name()
                    ),
                );
                false
            }
        }
    }

    pub fn string(&self, key: &str) -> String {
        let Some(e) = self.entry(key) else {
            return String::new();
        };
        match &e.node.value {
            Value::Str(s) => s.clone(),
            other => {
                self.problems.push(
                    e.node.loc,
                    format!(
                        "`{}` must be a string, found {}",
                        self.full(key),
                        other.type_name()
                    ),
                );
                String::new()
            }
        }
    }

    /// One of a fixed set of words; returns its index.
    pub fn choice(&self, key: &str, choices: &[&str]) -> usize {
        let Some(e) = self.entry(key) else { return 0 };
        let Value::Str(s) = &e.node.value else {
            self.problems.push(
                e.node.loc,
                format!(
                    "`{}` must be one of {}, found {}",
                    self.full(key),
                    quoted(choices),
                    e.node.value.type_name()
                ),
            );
            return 0;
        };
        match choices.iter().position(|c| c == s) {
            Some(i) => i,
            None => {
                let mut msg = format!(
                    "`{}` must be one of {}, found \"{s}\"",
                    self.full(key),
                    quoted(choices)
                );
                if let Some(m) = did_you_mean(s, choices.iter().copied()) {
                    msg.push_str(&format!("; did you mean \"{m}\"?"));
                }
                self.problems.push(e.node.loc, msg);
                0
            }
        }
    }

    /// A list of words from a fixed set; returns their indices.
    pub fn choices(&self, key: &str, choices: &[&str]) -> Vec<usize> {
        let Some(e) = self.entry(key) else {
            return Vec::new();
        };
        let Value::Array(items) = &e.node.value else {
            self.problems.push(
                e.node.loc,
                format!("`{}` must be an array of strings", self.full(key)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for it in items {
            match &it.value {
                Value::Str(s) => match choices.iter().position(|c| c == s) {
                    Some(i) => out.push(i),
                    None => {
                        let mut msg = format!(
                            "unknown value \"{s}\" in `{}`; expected one of {}",
                            self.full(key),
                            quoted(choices)
                        );
                        if let Some(m) = did_you_mean(s, choices.iter().copied()) {
                            msg = format!(
                                "unknown value \"{s}\" in `{}`; did you mean \"{m}\"?",
                                self.full(key)
                            );
                        }
                        self.problems.push(it.loc, msg);
                    }
                },
                other => self.problems.push(
                    it.loc,
                    format!(
                        "`{}` must contain strings, found {}",
                        self.full(key),
                        other.type_name()
                    ),
                ),
            }
        }
        out
    }

    /// A date, written as a TOML date (2023-01-27) or a string ("2023-01-27"); `None` (with
    /// the problem reported) if it is missing or not a date, so no check runs on a stand-in.
    pub fn date(&self, key: &str) -> Option<(Date, Loc)> {
        let e = self.entry(key)?;
        let d = match &e.node.value {
            Value::Date(d) => Some(*d),
            Value::Str(s) => Date::parse(s),
            _ => None,
        };
        if d.is_none() {
            self.problems.push(
                e.node.loc,
                format!(
                    "`{}` must be a date such as 2023-01-27, found {}",
                    self.full(key),
                    describe(&e.node)
                ),
            );
        }
        d.map(|d| (d, e.node.loc))
    }

    pub fn loc_of(&self, key: &str) -> Loc {
        self.table
            .and_then(|t| t.get(key))
            .map_or(self.loc, |e| e.node.loc)
    }
}

fn describe(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => format!("\"{s}\""),
        other => other.type_name().to_string(),
    }
}

/// `"a", "b", "c"`: a list of words as messages quote them.
pub fn quoted(choices: &[&str]) -> String {
    choices
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scenario reader is where the model's processes read their parameters from.
impl ParamReader for Reader<'_> {
    fn boolean(&self, key: &str) -> bool {
        Reader::boolean(self, key)
    }
    fn real(&self, key: &str) -> f64 {
        Reader::real(self, key)
    }
    fn num(&self, key: &str, min: f64, max: f64) -> f64 {
        Reader::num(self, key, min, max)
    }
    fn prob(&self, key: &str) -> f64 {
        Reader::prob(self, key)
    }
    fn nonneg(&self, key: &str) -> f64 {
        Reader::nonneg(self, key)
    }
    fn int(&self, key: &str, min: i64, max: i64) -> i64 {
        Reader::int(self, key, min, max)
    }
    fn table(&self, key: &str) -> Self {
        Reader::table(self, key)
    }
    fn finish(self) {
        Reader::finish(self)
    }
}
