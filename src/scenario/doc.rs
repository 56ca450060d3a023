//! The raw stage of scenario input: TOML documents as trees whose every key and value
//! remembers the file and byte span it came from.
//!
//! Owns parsing (syntax only), `base` inheritance (tables merge, everything else is
//! replaced), `--set` overrides and writing a tree back as TOML. It knows nothing of what
//! the keys mean; that is `decode`'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::diag::{Diagnostic, Loc, SourceMap};
use crate::calendar::Date;

/// A value with the place it was written.
#[derive(Clone, Debug)]
pub struct Node {
    pub loc: Loc,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(Date),
    Array(Vec<Node>),
    Table(Table),
}

/// A key of a table with the place the key itself was written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key_loc: Loc,
    pub node: Node,
}

pub type Table = BTreeMap<String, Entry>;

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Date(_) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

/// Parses one TOML text registered in `sources` as source `src`.
pub fn parse(sources: &SourceMap, src: u32) -> Result<Node, Vec<Diagnostic>> {
    let text = sources.text(src);
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                Diagnostic::at(Loc::new(src, span), first_line(e.message()))
            })
            .collect());
    }
    let loc = Loc::new(src, doc.span());
    let mut problems = Vec::new();
    let table = convert_table(doc.into_inner(), src, &mut problems);
    if problems.is_empty() {
        Ok(Node {
            loc,
            value: Value::Table(table),
        })
    } else {
        Err(problems)
    }
}

fn first_line(msg: &str) -> String {
    msg.lines()
        .next()
        .unwrap_or("syntax error")
        .trim()
        .to_string()
}

fn convert_table(t: DeTable<'_>, src: u32, problems: &mut Vec<Diagnostic>) -> Table {
    let mut out = Table::new();
    for (k, v) in t {
        let key_loc = Loc::new(src, k.span());
        let node = convert(v.span(), v.into_inner(), src, problems);
        out.insert(k.into_inner().into_owned(), Entry { key_loc, node });
    }
    out
}

fn convert(
    span: std::ops::Range<usize>,
    v: DeValue<'_>,
    src: u32,
    problems: &mut Vec<Diagnostic>,
) -> Node {
    let loc = Loc::new(src, span);
    let value = match v {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let digits = digits.trim_start_matches("0x").trim_start_matches("0o");
            let digits = digits.trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => {
                    problems.push(Diagnostic::at(loc, "integer out of range"));
                    Value::Int(0)
                }
            }
        }
        DeValue::Float(f) => {
            let s: String = f.as_str().chars().filter(|c| *c != '_').collect();
            let x = match s.trim_start_matches('+') {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                t => t.parse().unwrap_or(f64::NAN),
            };
            Value::Float(x)
        }
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) if dt.offset.is_none() => {
                match Date::new(i32::from(d.year), d.month, d.day) {
                    Some(date) => Value::Date(date),
                    None => {
                        problems.push(Diagnostic::at(loc, "invalid calendar date"));
                        Value::Str(dt.to_string())
                    }
                }
            }
            _ => {
                problems.push(Diagnostic::at(
                    loc,
                    "expected a plain date such as 2023-01-27, found a date-time",
                ));
                Value::Str(dt.to_string())
            }
        },
        DeValue::Array(a) => Value::Array(
            a.into_iter()
                .map(|e| {
                    let sp = e.span();
                    convert(sp, e.into_inner(), src, problems)
                })
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(convert_table(t, src, problems)),
    };
    Node { loc, value }
}

/// Lays `over` on top of `under`: tables merge key by key, any other value replaces.
pub fn merge(under: &mut Node, over: Node) {
    match (&mut under.value, over.value) {
        (Value::Table(a), Value::Table(b)) => {
            for (k, e) in b {
                match a.get_mut(&k) {
                    Some(existing) => {
                        existing.key_loc = e.key_loc;
                        merge(&mut existing.node, e.node);
                    }
                    None => {
                        a.insert(k, e);
                    }
                }
            }
        }
        (_, value) => {
            under.loc = over.loc;
            under.value = value;
        }
    }
}

/// The name of an override's source in messages (`--set:1:5: …`).
pub const SET_SOURCE: &str = "--set";

/// The largest scenario file read (bytes): far above any real scenario.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// Why an input file could not be read as text.
pub enum InputError {
    /// Missing, not a regular file, too big, or unreadable: "cannot read {what} `path`: …".
    Unreadable(String),
    /// Not UTF-8: the message gives `path:line:col` of the first bad byte.
    NotUtf8(String),
}

impl From<InputError> for String {
    fn from(e: InputError) -> String {
        match e {
            InputError::Unreadable(m) | InputError::NotUtf8(m) => m,
        }
    }
}

/// Reads an input file (a scenario, sweep, experiment or posterior file, `what` in
/// messages) as UTF-8 text. Only regular files of at most `max_bytes`: `/dev/zero` would be
/// read forever and a FIFO would block forever.
pub fn read_input(path: &Path, what: &str, max_bytes: u64) -> Result<String, InputError> {
    let readable = std::fs::metadata(path).and_then(|m| {
        if !m.is_file() {
            Err(std::io::Error::other("not a regular file"))
        } else if m.len() > max_bytes {
            Err(std::io::Error::other(format!(
                "{} bytes, more than a {what} file may have ({max_bytes})",
                m.len()
            )))
        } else {
            Ok(())
        }
    });
    let bytes = readable.and_then(|()| std::fs::read(path)).map_err(|e| {
        InputError::Unreadable(format!("cannot read {what} `{}`: {e}", path.display()))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        // Locate the first bad byte: line and column (in characters) before it.
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = std::str::from_utf8(good).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        InputError::NotUtf8(format!(
            "{}:{line}:{col}: not valid UTF-8 (a {what} file is UTF-8 text)",
            path.display()
        ))
    })
}

/// A `base` of this name with no such file beside the scenario is the built-in baseline.
pub const BUILTIN_BASE_NAME: &str = "baseline.toml";

/// Loads a scenario file and, recursively, the files it names as `base` (paths relative to
/// the file that names them). Returns the merged tree of the chain, most basic first, with
/// `base` keys removed. Detects missing files and loops.
pub fn load_chain(sources: &mut SourceMap, path: &Path) -> Result<Node, Vec<Diagnostic>> {
    let mut chain: Vec<PathBuf> = Vec::new();
    load_rec(sources, path, None, &mut chain)
}

fn load_rec(
    sources: &mut SourceMap,
    path: &Path,
    named_at: Option<Loc>,
    chain: &mut Vec<PathBuf>,
) -> Result<Node, Vec<Diagnostic>> {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if chain.contains(&canonical) {
        let cycle: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| p.display().to_string())
            .collect();
        let msg = format!("`base` forms a loop: {}", cycle.join(" -> "));
        return Err(vec![located(named_at, msg)]);
    }
    let text = match read_input(path, "scenario", MAX_SCENARIO_BYTES) {
        Ok(t) => t,
        Err(InputError::Unreadable(msg)) => return Err(vec![located(named_at, msg)]),
        Err(InputError::NotUtf8(msg)) => return Err(vec![Diagnostic::bare(msg)]),
    };
    let src = sources.add(path.display().to_string(), text);
    let mut node = parse(sources, src)?;
    chain.push(canonical);
    let base = match &mut node.value {
        Value::Table(t) => t.remove("base"),
        _ => None,
    };
    let result = match base {
        None => Ok(node),
        Some(Entry {
            node: Node {
                loc,
                value: Value::Str(rel),
            },
            ..
        }) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let beside = dir.join(&rel);
            // `base = "baseline.toml"` with no such file beside the scenario means the
            // built-in baseline, which lies under every scenario already.
            let mut merged = if rel == BUILTIN_BASE_NAME && !beside.exists() {
                Node {
                    loc,
                    value: Value::Table(Table::new()),
                }
            } else {
                load_rec(sources, &beside, Some(loc), chain)?
            };
            merge(&mut merged, node);
            Ok(merged)
        }
        Some(e) => Err(vec![Diagnostic::at(
            e.node.loc,
            format!(
                "`base` must be a file path string, found {}",
                e.node.value.type_name()
            ),
        )]),
    };
    chain.pop();
    result
}

fn located(loc: Option<Loc>, msg: String) -> Diagnostic {
    match loc {
        Some(l) => Diagnostic::at(l, msg),
        None => Diagnostic::bare(msg),
    }
}

/// The most dotted parts a `--set` key may have.
pub const MAX_KEY_DEPTH: usize = 16;

/// Applies `dotted.key=value` to the tree. The value is read as TOML (so dates, numbers,
/// booleans and quoted strings keep their type); anything TOML cannot read is a string.
pub fn apply_set(
    sources: &mut SourceMap,
    root: &mut Node,
    assignment: &str,
) -> Result<(), Diagnostic> {
    let src = sources.add(SET_SOURCE.to_string(), assignment.to_string());
    let whole = Loc::new(src, 0..assignment.len());
    let Some((path, raw)) = assignment.split_once('=') else {
        return Err(Diagnostic::at(whole, "expected `dotted.key=value`"));
    };
    // A key deeper than any scenario key is a mistake; refusing it early also bounds the
    // recursion that merging a patch into the tree does.
    let depth = path.split('.').count();
    if depth > MAX_KEY_DEPTH {
        return Err(Diagnostic::at(
            Loc::new(src, 0..path.len()),
            format!(
                "a --set key has at most {MAX_KEY_DEPTH} dotted parts (scenario keys have at most 4), this one has {depth}"
            ),
        ));
    }
    // Byte spans of each key and of the value in the untrimmed text, for exact columns.
    let mut keys: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    let mut offset = 0;
    for part in path.split('.') {
        let lead = part.len() - part.trim_start().len();
        let key = part.trim();
        keys.push((key, offset + lead..offset + lead + key.len()));
        offset += part.len() + 1;
    }
    if keys.iter().any(|(k, _)| k.is_empty()) {
        return Err(Diagnostic::at(
            whole,
            format!("`{}` is not a dotted key", path.trim()),
        ));
    }
    let value_start = path.len() + 1 + (raw.len() - raw.trim_start().len());
    let vloc = Loc::new(src, value_start..assignment.len());
    let value = match DeValue::parse(raw.trim()) {
        Ok(v) => {
            let mut problems = Vec::new();
            let n = convert(0..0, v.into_inner(), src, &mut problems);
            if let Some(p) = problems.into_iter().next() {
                return Err(Diagnostic::at(vloc, p.message));
            }
            relocate(n, vloc)
        }
        Err(_) => Node {
            loc: vloc,
            value: Value::Str(raw.trim().to_string()),
        },
    };
    let mut patch = value;
    for (key, span) in keys.iter().rev() {
        let key_loc = Loc::new(src, span.clone());
        let mut t = Table::new();
        t.insert(
            key.to_string(),
            Entry {
                key_loc,
                node: patch,
            },
        );
        patch = Node {
            loc: whole,
            value: Value::Table(t),
        };
    }
    merge(root, patch);
    Ok(())
}

fn relocate(mut n: Node, loc: Loc) -> Node {
    n.loc = loc;
    match &mut n.value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                *item = relocate(item.clone(), loc);
            }
        }
        Value::Table(t) => {
            for e in t.values_mut() {
                e.key_loc = loc;
                e.node = relocate(e.node.clone(), loc);
            }
        }
        _ => {}
    }
    n
}

/// Writes a tree back as TOML text (comments are not kept; values are).
pub fn to_toml(root: &Node) -> String {
    let value = to_toml_value(root);
    toml::to_string(&value).unwrap_or_default()
}

/// Every leaf of a resolved tree as (dotted key, value as TOML text, where it was set), in
/// key order; arrays are leaves.
pub fn leaves(root: &Node) -> Vec<(String, String, Loc)> {
    fn walk(prefix: &str, n: &Node, out: &mut Vec<(String, String, Loc)>) {
        match &n.value {
            Value::Table(t) => {
                for (k, e) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, &e.node, out);
                }
            }
            _ => out.push((prefix.to_string(), to_toml_value(n).to_string(), n.loc)),
        }
    }
    let mut out = Vec::new();
    walk("", root, &mut out);
    out
}

fn to_toml_value(n: &Node) -> toml::Value {
    match &n.value {
        Value::Str(s) => toml::Value::String(s.clone()),
        Value::Int(i) => toml::Value::Integer(*i),
        Value::Float(f) => toml::Value::Float(*f),
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Date(d) => toml::Value::Datetime(toml::value::Datetime {
            date: Some(toml::value::Date {
                year: d.year as u16,
                month: d.month,
                day: d.day,
            }),
            time: None,
            offset: None,
        }),
        Value::Array(a) => toml::Value::Array(a.iter().map(to_toml_value).collect()),
        Value::Table(t) => {
            let mut m = toml::map::Map::new();
            for (k, e) in t {
                m.insert(k.clone(), to_toml_value(&e.node));
            }
            toml::Value::Table(m)
        }
    }
}
