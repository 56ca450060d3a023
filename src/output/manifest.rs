//! `manifest.json`, the one writer of it: what wrote a result directory, how and with what
//! inputs. Every manifest has the same common fields — `program` ("relocant"), `version`,
//! `commit` (the source commit, `unknown` outside a git checkout), `command` (the
//! subcommand that wrote it), `command_line`, `started_utc`, `machine` (host, OS, CPU,
//! cores) and, from the command, `inputs` (every input file with its SHA-256) and
//! `scenario_sha256` (of the resolved scenario) — and then the fields of its
//! command (for `run`: the scenario's name, seed, replicates and the run's size and speed;
//! for `sweep`/`merge`: the plan and the status that `merge`, `analyze` and `plot` read; for
//! `calibrate`: the seed and how to reproduce it). README.md lists the fields.
//!
//! Keys are written in sorted order, one per line (pretty JSON), ending with a newline.

use std::io;
use std::path::Path;

use serde_json::{Map, Value};

use super::provenance::Input;
use super::write_file_atomically;

/// A manifest being assembled.
#[derive(Clone, Debug)]
pub struct Manifest {
    fields: Map<String, Value>,
}

impl Manifest {
    /// The common fields, for the subcommand `command` of this process.
    pub fn new(command: &str) -> Manifest {
        let mut fields = Map::new();
        fields.insert("program".into(), "relocant".into());
        fields.insert("version".into(), env!("CARGO_PKG_VERSION").into());
        fields.insert("commit".into(), super::provenance::COMMIT.into());
        fields.insert("command".into(), command.into());
        fields.insert(
            "command_line".into(),
            std::env::args().collect::<Vec<_>>().into(),
        );
        fields.insert(
            "started_utc".into(),
            super::provenance::started_utc().into(),
        );
        fields.insert("machine".into(), super::provenance::machine());
        Manifest { fields }
    }

    /// Records the input files (each with its SHA-256) and, when there is one, the SHA-256
    /// of the resolved scenario the results come from.
    pub fn inputs(mut self, inputs: &[Input], resolved_scenario: Option<&str>) -> Manifest {
        self.fields
            .insert("inputs".into(), super::provenance::inputs_json(inputs));
        if let Some(text) = resolved_scenario {
            self.fields.insert(
                "scenario_sha256".into(),
                super::provenance::sha256_hex(text.as_bytes()).into(),
            );
        }
        self
    }

    /// Adds (or replaces) the fields of a JSON object: the command's own.
    pub fn with(mut self, fields: Value) -> Manifest {
        if let Value::Object(m) = fields {
            self.fields.extend(m);
        }
        self
    }

    /// Keeps every field of an earlier manifest that this one does not have (a merged
    /// sweep keeps its shards' plan).
    pub fn keeping(mut self, earlier: &Value) -> Manifest {
        if let Value::Object(m) = earlier {
            for (k, v) in m {
                self.fields.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        self
    }

    /// The manifest as text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.fields).unwrap_or_default() + "\n"
    }

    /// The manifest as a (`manifest.json`, contents) pair for `write_dir_atomically`.
    pub fn file(&self) -> (String, Vec<u8>) {
        ("manifest.json".to_string(), self.to_json().into_bytes())
    }

    /// Writes `DIR/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        write_file_atomically(&dir.join("manifest.json"), self.to_json().as_bytes())
    }
}

/// `DIR/manifest.json`, if it is there and valid JSON.
pub fn read(dir: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}
