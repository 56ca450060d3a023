//! Benchmark of a full-scale single run of the built-in baseline (~440k agents, 833 days).
//!
//! `cargo bench` runs it. It times the work in-process, excluding scenario loading and
//! population drawing, takes the median of several runs and reports simulated migrant-days
//! per second (present migrants summed over days: the work actually done) and nominal
//! agent-days per second (all agents times all days), plus peak memory per agent.
//! `RELOCANT_BENCH_RUNS` sets the number of runs (default 3); `RELOCANT_BENCH_SETS` adds
//! `--set`-style overrides separated by spaces (e.g. "ties.enabled=false").

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
    let loaded = scenario::load(Source::Builtin, &sets).unwrap_or_else(|e| panic!("{e}"));
    let sc = &loaded.scenario;
    let days = sc.days();
    let mut times = Vec::new();
    let mut simulated = 0u64;
    let mut agents = 0usize;
    for r in 0..runs {
        let mut sim = Sim::new(sc, run_rng(sc.seed, r as u64));
        agents = sim.agents.len();
        simulated = 0;
        let start = Instant::now();
        for day in 0..days {
            sim.step(day);
            simulated += sim.present() as u64;
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let nominal = agents as u64 * u64::from(days);
    println!(
        "relocant engine benchmark: baseline {}, {agents} agents x {days} days, {runs} runs",
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
    if let Some(kb) = peak_rss_kb() {
        println!(
            "  peak memory                   {:.0} MB, {:.0} bytes per agent",
            kb as f64 / 1024.0,
            kb as f64 * 1024.0 / agents as f64
        );
    }
}

/// Peak resident memory of this process (Linux), in KB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
