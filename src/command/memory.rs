//! How much memory a command will need, estimated before anything is allocated, so a
//! scenario of billions of persons or a hundred thousand replicates is refused with the
//! estimate (exit 2) instead of aborting the process or exhausting the machine.

use std::mem::size_of;

use super::Failure;
use crate::model::agents::Migrant;
use crate::model::observe::DayRecord;
use crate::model::population;
use crate::model::ties::Tie;
use crate::scenario::Scenario;

/// Bytes of one `daily.csv` row as text, generously (the file is built in memory before
/// it is written; a row of the baseline is about 700 bytes).
const DAILY_ROW_BYTES: f64 = 1500.0;

/// Bytes one agent takes while its replicate runs: its state, its tie slots and counts,
/// its place in the present list, its place among returnees who may come back and its
/// arrival day.
pub fn bytes_per_agent(sc: &Scenario) -> f64 {
    (size_of::<Migrant>()
        + sc.ties.max_per_agent as usize * size_of::<Tie>()
        + 4 // tie counts by kind
        + 4 // the present list
        + 12 // the returnees who may come back (`model::legal::Away`)
        + 2) as f64 // the arrival day
}

/// What a run of `replicates` replicates, `at_once` of them simulated at the same time,
/// needs: the populations in flight, and every replicate's daily records and daily rows.
pub fn run_bytes(sc: &Scenario, replicates: u32, at_once: usize) -> (f64, f64) {
    let agents = population::agents_needed(sc);
    let in_flight = agents * bytes_per_agent(sc) * at_once.max(1) as f64;
    let days = f64::from(sc.days());
    let results = f64::from(replicates) * days * (size_of::<DayRecord>() as f64 + DAILY_ROW_BYTES);
    (agents, in_flight + results)
}

/// Bytes a sweep keeps per run of its plan while it runs and finishes: the run's place in
/// the to-do list and the done bitmap, and its `runs.csv` row as text, generously.
const SWEEP_RUN_BYTES: f64 = 8.0 + 0.125 + 600.0;
/// Bytes per design point: its unit coordinates (per parameter) and its `points.csv` and
/// `design.csv` rows as text, generously.
const SWEEP_POINT_BYTES: f64 = 1500.0;

/// Refuses a sweep whose plan (`runs` runs over `points` design points of `params`
/// parameters) and the runs simulated at once (`jobs`) would need more than `limit_gib`
/// (default: the memory available). Checked before the plan's lists are made.
pub fn check_sweep(
    sc: &Scenario,
    runs: u64,
    points: u64,
    params: usize,
    jobs: super::Jobs,
    limit_gib: Option<f64>,
) -> Result<(), Failure> {
    let threads = jobs.threads();
    let (agents, in_flight) = run_bytes(sc, threads as u32, threads);
    let plan =
        runs as f64 * SWEEP_RUN_BYTES + points as f64 * (SWEEP_POINT_BYTES + 8.0 * params as f64);
    let bytes = in_flight + plan;
    refuse_beyond(bytes, limit_gib, |need, limit| {
        format!(
            "this sweep needs about {need} ({runs} runs over {points} design points, plus {threads} runs of {agents:.0} agents at once), more than the {limit}; lower `replicates` or `samples` in the sweep file, split it with --shard K/N, or pass --max-memory GIB"
        )
    })
}

/// Refuses `bytes` beyond `limit_gib` (default: the memory available; no check where the
/// system does not say): `message(need, limit)` names what is needed and the limit, e.g.
/// "23.1 GiB this machine has available".
fn refuse_beyond(
    bytes: f64,
    limit_gib: Option<f64>,
    message: impl FnOnce(String, String) -> String,
) -> Result<(), Failure> {
    let Some(limit) = limit_gib.map(|g| g * GIB).or_else(available) else {
        return Ok(());
    };
    if bytes <= limit {
        return Ok(());
    }
    let source = if limit_gib.is_some() {
        "allowed by --max-memory"
    } else {
        "this machine has available"
    };
    Err(Failure::Input(message(
        show(bytes),
        format!("{} {source}", show(limit)),
    )))
}

/// The memory the machine has available now (`MemAvailable`), where the system says.
fn available() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024.0)
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Bytes for people: GiB, or MiB below one GiB.
fn show(bytes: f64) -> String {
    if bytes >= GIB {
        format!("{:.1} GiB", bytes / GIB)
    } else {
        format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
    }
}

/// Refuses a run that would need more than `limit_gib` (default: the memory available),
/// or more agents than ids can number.
pub fn check_run(
    sc: &Scenario,
    replicates: u32,
    jobs: super::Jobs,
    limit_gib: Option<f64>,
) -> Result<(), Failure> {
    let at_once = jobs.threads().min(replicates as usize);
    let (agents, bytes) = run_bytes(sc, replicates, at_once);
    if agents >= f64::from(u32::MAX) {
        return Err(Failure::Input(format!(
            "the scenario has {agents:.3e} agents (arrivals / arrivals.persons_per_agent); at most {} can be simulated: raise arrivals.persons_per_agent",
            u32::MAX - 1
        )));
    }
    let per_agent = bytes_per_agent(sc);
    refuse_beyond(bytes, limit_gib, |need, limit| {
        format!(
            "this run needs about {need} ({agents:.0} agents × {per_agent:.0} bytes × {at_once} replicates at once, plus {replicates} replicates' daily results), more than the {limit}; raise arrivals.persons_per_agent, lower --replicates or --jobs, or pass --max-memory GIB"
        )
    })
}
