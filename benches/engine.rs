//! Benchmark of a full-scale single run of the built-in baseline (~440k agents, 833 days).
//!
//! `cargo bench` runs it. It times the work in-process, excluding scenario loading and
//! population drawing, takes the median of several runs and reports simulated migrant-days
//! per second (present migrants summed over days: the work actually done) and nominal
//! agent-days per second (all agents times all days), plus peak memory per agent.
//! `RELOCANT_BENCH_RUNS` sets the number of runs (default 3); `RELOCANT_BENCH_SETS` adds
//! `--set`-style overrides separated by spaces (e.g. "ties.enabled=false");
//! `RELOCANT_BENCH_SCENARIO` names a scenario file to time instead of the built-in baseline
//! (e.g. `scenarios/scale/x10.toml`, 4.4 million agents).
//!
//! The **streaming floor** (issue 15) runs in the same process right after: a loop with no
//! model work that reads and writes each present migrant's hot state (`Migrant`, one
//! 64-byte line) once per day — the same present migrant-days, in the same order of ids
//! (arrival order) — over an array as large as the population. relocant's time is reported
//! as a ratio to it: how far the model is from the cost of merely touching its hot state.

use std::time::Instant;

use relocant::engine::run_rng;
use relocant::model::step::Sim;
use relocant::scenario::{self, Source};

fn main() {
    let runs: usize = std::env::var("RELOCANT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let sets: Vec<String> = std::env::var("RELOCANT_BENCH_SETS")
        .map(|v| v.split_whitespace().map(String::from).collect())
        .unwrap_or_default();
    let file = std::env::var("RELOCANT_BENCH_SCENARIO").ok();
    let source = file
        .as_deref()
        .map_or(Source::Builtin, |f| Source::File(std::path::Path::new(f)));
    let loaded = scenario::load(source, &sets).unwrap_or_else(|e| panic!("{e}"));
    let sc = &loaded.scenario;
    let days = sc.days();
    let mut times = Vec::new();
    let mut simulated = 0u64;
    let mut agents = 0usize;
    // Each day's present ids as a range of arrival order: first and one-past-last id of
    // those present, and how many (the floor streams exactly that many, from the first).
    let mut windows: Vec<(u32, u32)> = Vec::new();
    for r in 0..runs {
        let mut sim = Sim::new(sc, run_rng(sc.seed, r as u64));
        agents = sim.agents.len();
        simulated = 0;
        windows.clear();
        let start = Instant::now();
        for day in 0..days {
            sim.step(day);
            simulated += sim.present() as u64;
            if r == 0 {
                let ids = sim.present_ids();
                windows.push((ids.first().copied().unwrap_or(0), ids.len() as u32));
            }
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let floor = streaming_floor(agents, &windows, runs);
    let nominal = agents as u64 * u64::from(days);
    println!(
        "relocant engine benchmark: {} {}, {agents} agents x {days} days, {runs} runs",
        file.as_deref().unwrap_or("baseline"),
        sets.join(" ")
    );
    println!(
        "  median wall time per run      {median:.3} s (min {:.3}, max {:.3})",
        times[0],
        times[times.len() - 1]
    );
    println!(
        "  simulated migrant-days/s      {:.2} M ({} present migrant-days per run)",
        simulated as f64 / median / 1e6,
        simulated
    );
    println!(
        "  nominal agent-days/s          {:.2} M (agents x days)",
        nominal as f64 / median / 1e6
    );
    println!(
        "  streaming floor               {floor:.3} s per run: relocant takes {:.2} x the floor",
        median / floor
    );
    if let Some(kb) = peak_rss_kb() {
        println!(
            "  peak memory                   {:.0} MB, {:.0} bytes per agent",
            kb as f64 / 1024.0,
            kb as f64 * 1024.0 / agents as f64
        );
    }
}

/// One migrant's hot state as the floor sees it: a 64-byte line, like `Migrant`.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([u64; 8]);

/// The median time of `runs` passes of the floor loop: on each day, the `n` lines from the
/// day's first present id on are read whole and written back (one word changed), the
/// least a day of the model must do with each present migrant's hot state. The lines are
/// contiguous where the model's present ids have gaps (those who left), so the floor is
/// if anything faster than any layout the model could reach.
fn streaming_floor(agents: usize, windows: &[(u32, u32)], runs: usize) -> f64 {
    let mut lines = vec![Line([1; 8]); agents.max(1)];
    let mut times = Vec::new();
    let mut check = 0u64;
    for _ in 0..runs {
        let start = Instant::now();
        for &(first, n) in windows {
            let from = (first as usize).min(agents.saturating_sub(n as usize));
            for line in &mut lines[from..from + n as usize] {
                let sum = line.0.iter().fold(0u64, |a, w| a.wrapping_add(*w));
                line.0[0] = line.0[0].wrapping_add(sum & 1);
                check = check.wrapping_add(sum);
            }
        }
        times.push(start.elapsed().as_secs_f64());
    }
    // The sum is kept so the compiler cannot drop the loop.
    std::hint::black_box(check);
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Peak resident memory of this process (Linux), in KB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
