//! `relocant merge DIR...`: joins the finished shards of a sweep into one sweep directory,
//! after checking that they come from the same plan and that every run is present exactly
//! once (naming the missing and duplicated ones otherwise).
//!
//! Rows are indexed by (file, offset) and copied in run order, so memory holds an index
//! entry per run, never the rows; `points.csv` is computed from the merged rows exactly as
//! a single-machine sweep computes it, so both give the same bytes.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::MergeArgs;
use super::journal;
use super::results;
use crate::command::Failure;
use crate::output::{self, AtomicFile, manifest::Manifest, write_file_atomically};

fn io_err(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Runtime(format!("{}: {e}", what.display()))
}

/// "3, 7, 10-14": a sorted list of run numbers, with ranges.
pub fn ranges(xs: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < xs.len() && out.len() < 30 {
        let mut j = i;
        while j + 1 < xs.len() && xs[j + 1] == xs[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}-{}", xs[i], xs[j])
        } else {
            xs[i].to_string()
        });
        i = j + 1;
    }
    if i < xs.len() {
        out.push("...".into());
    }
    out.join(", ")
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    args.format
        .get()
        .check_available()
        .map_err(Failure::Input)?;
    let started = Instant::now();
    let dirs = &args.dirs;
    let mut seen = std::collections::HashSet::new();
    for d in dirs {
        if !seen.insert(fs::canonicalize(d).unwrap_or_else(|_| d.clone())) {
            return Err(Failure::Input(format!("{} is named twice", d.display())));
        }
    }
    let mut manifests = Vec::new();
    for d in dirs {
        let Some(m) = output::manifest::read(d) else {
            return Err(Failure::Input(format!(
                "{} is not a sweep directory (no readable manifest.json)",
                d.display()
            )));
        };
        if m["status"] != "complete" {
            let shard = m["shard"]
                .as_str()
                .map_or(String::new(), |s| format!(" --shard {s}"));
            return Err(Failure::Input(format!(
                "{} is not finished; finish it with `relocant sweep {} --resume{shard} --out ...`",
                d.display(),
                m["sweep_file"].as_str().unwrap_or("SWEEP.toml")
            )));
        }
        manifests.push(m);
    }
    let first = &manifests[0];
    for (d, m) in dirs.iter().zip(&manifests).skip(1) {
        if m["fingerprint"] != first["fingerprint"] {
            return Err(Failure::Input(format!(
                "{} comes from a different sweep than {} (their plans differ)",
                d.display(),
                dirs[0].display()
            )));
        }
    }
    let runs = first["runs"].as_u64().unwrap_or(0);
    let k = first["params"].as_array().map_or(0, Vec::len);
    let out = match args.out.dir() {
        Some(o) => o.to_path_buf(),
        None => common_parent(dirs).ok_or_else(|| {
            Failure::Input(
                "the directories have no common parent; say where to write with --out".into(),
            )
        })?,
    };
    // A merged sweep already there is a result: replaced only when asked.
    if out.join("runs.csv").exists() && !args.force.is_set() {
        return Err(Failure::Input(format!(
            "{} already holds a merged sweep (runs.csv); pass --force to replace it",
            out.display()
        )));
    }
    // Index every row: (file, offset, length) by run.
    let mut files: Vec<File> = Vec::new();
    let mut index: Vec<(u32, u64, u32)> = vec![(u32::MAX, 0, 0); runs as usize];
    let mut header: Option<String> = None;
    let mut duplicates: Vec<String> = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        let path = d.join("runs.csv");
        let f = File::open(&path).map_err(io_err(&path))?;
        let mut r = BufReader::new(f.try_clone().map_err(io_err(&path))?);
        files.push(f);
        let mut line = String::new();
        let mut offset = r.read_line(&mut line).map_err(io_err(&path))? as u64;
        let this_header = line.trim_end().to_string();
        let fields = this_header.split(',').count();
        let mut rows = 0u64;
        loop {
            line.clear();
            let n = r.read_line(&mut line).map_err(io_err(&path))?;
            if n == 0 {
                break;
            }
            let row = line.trim_end_matches('\n');
            // runs.csv holds numbers only (no quoted cells), so commas count its fields.
            let n_fields = row.split(',').count();
            if n_fields != fields {
                return Err(Failure::Input(format!(
                    "{}:{}: this row has {n_fields} fields, the header {fields}",
                    path.display(),
                    rows + 2
                )));
            }
            let run: u64 = row
                .split(',')
                .next()
                .and_then(|x| x.parse().ok())
                .filter(|r| *r < runs)
                .ok_or_else(|| {
                    Failure::Input(format!(
                        "{}: a row without a valid run number",
                        path.display()
                    ))
                })?;
            let slot = &mut index[run as usize];
            if slot.0 == u32::MAX {
                *slot = (i as u32, offset, row.len() as u32);
            } else if duplicates.len() < 20 {
                duplicates.push(if slot.0 as usize == i {
                    format!("run {run} is twice in {}", d.join("runs.csv").display())
                } else {
                    format!(
                        "run {run} is in both {} and {}",
                        dirs[slot.0 as usize].display(),
                        d.display()
                    )
                });
            } else {
                duplicates.push(String::new());
            }
            offset += n as u64;
            rows += 1;
        }
        if rows > 0 {
            match &header {
                None => header = Some(this_header),
                Some(h) if *h != this_header => {
                    return Err(Failure::Input(format!(
                        "{} has other columns than the other shards",
                        path.display()
                    )));
                }
                Some(_) => {}
            }
        }
    }
    let missing: Vec<u64> = (0..runs)
        .filter(|r| index[*r as usize].0 == u32::MAX)
        .collect();
    if !duplicates.is_empty() || !missing.is_empty() {
        let mut msg: Vec<String> = Vec::new();
        let extra = duplicates.iter().filter(|d| d.is_empty()).count();
        msg.extend(duplicates.into_iter().filter(|d| !d.is_empty()));
        if extra > 0 {
            msg.push(format!("... and {extra} more duplicated runs"));
        }
        if !missing.is_empty() {
            let read: Vec<String> = dirs
                .iter()
                .map(|d| d.join("runs.csv").display().to_string())
                .collect();
            msg.push(format!(
                "{} of {runs} runs are missing: {} (none of {} holds them)",
                missing.len(),
                ranges(&missing),
                read.join(", ")
            ));
            // With shards of one split, name the shards that would hold them.
            let ns: Vec<u64> = manifests
                .iter()
                .filter_map(|m| m["shard"].as_str())
                .filter_map(|s| s.split_once('/').and_then(|(_, n)| n.parse().ok()))
                .collect();
            if ns.len() == manifests.len() && ns.windows(2).all(|w| w[0] == w[1]) {
                let n = ns[0];
                let mut shards: Vec<u64> = missing.iter().map(|r| r % n + 1).collect();
                shards.sort();
                shards.dedup();
                let names: Vec<String> = shards.iter().map(|k| format!("{k}/{n}")).collect();
                msg.push(format!("missing shards: {}", names.join(", ")));
            }
        }
        return Err(Failure::Input(msg.join("\n")));
    }
    let header = header.unwrap_or_default();
    // Only now that every shard checked out: nothing is created for a refused merge.
    fs::create_dir_all(&out).map_err(io_err(&out))?;
    results::write(
        &out,
        &header,
        0..runs,
        &mut |run| {
            let (f, off, len) = index[run as usize];
            journal::read_at(&files[f as usize], off, len)
        },
        Some(k),
    )
    .map_err(io_err(&out))?;

    // The plan's files are the same in every shard: take the first's.
    for name in ["sweep.toml", "scenario.toml", "design.csv"] {
        let from = dirs[0].join(name);
        let to = out.join(name);
        if from != to && from.exists() {
            let bytes = fs::read(&from).map_err(io_err(&from))?;
            write_file_atomically(&to, &bytes).map_err(io_err(&to))?;
        }
    }
    let linked = link_daily(dirs, &out)?;
    Manifest::new("merge")
        .with(serde_json::json!({
            "status": "complete",
            "shard": null,
            "runs_in_shard": runs,
            "merged_from": dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
            "daily": linked > 0,
            "wall_seconds": started.elapsed().as_secs_f64(),
            "runs_this_invocation": 0,
            "runs_per_minute": 0,
        }))
        .keeping(first)
        .write(&out)
        .map_err(io_err(&out.join("manifest.json")))?;
    crate::output::tables::write(&out, args.format.get()).map_err(io_err(&out))?;
    crate::output::dictionary::write_datapackage(&out).map_err(io_err(&out))?;
    if args.plots.plots() {
        super::draw_figures(&out, crate::plot::plot_heatmaps);
    }
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: merged {} directories ({runs} runs) into {}",
            dirs.len(),
            out.display()
        );
    }
    Ok(())
}

/// The parent directory all `dirs` share, if any.
fn common_parent(dirs: &[PathBuf]) -> Option<PathBuf> {
    let parents: Vec<PathBuf> = dirs
        .iter()
        .map(|d| {
            let abs = fs::canonicalize(d).unwrap_or_else(|_| d.clone());
            abs.parent().map(Path::to_path_buf)
        })
        .collect::<Option<_>>()?;
    parents
        .windows(2)
        .all(|w| w[0] == w[1])
        .then(|| parents[0].clone())
}

/// Hard-links (or copies) the shards' daily files into `out/daily`; returns how many.
fn link_daily(dirs: &[PathBuf], out: &Path) -> Result<usize, Failure> {
    let mut n = 0;
    for d in dirs {
        let Ok(entries) = fs::read_dir(d.join("daily")) else {
            continue;
        };
        let target = out.join("daily");
        fs::create_dir_all(&target).map_err(io_err(&target))?;
        for e in entries.flatten() {
            let name = e.file_name();
            if output::temporary_owner(&name.to_string_lossy()).is_some() {
                continue;
            }
            let to = target.join(&name);
            if to.exists() {
                n += 1;
                continue;
            }
            if fs::hard_link(e.path(), &to).is_err() {
                // Another file system: copy under a temporary name, then rename.
                File::open(e.path())
                    .and_then(|mut from| {
                        let mut f = AtomicFile::create(&to)?;
                        std::io::copy(&mut from, &mut f)?;
                        f.commit()
                    })
                    .map_err(io_err(&to))?;
            }
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_lists_collapse_into_ranges() {
        assert_eq!(ranges(&[1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10");
    }
}
