//! Runs of the model: one replicate from a scenario and a seed, or many in parallel.
//!
//! Every run's generator is derived from (scenario seed, replicate) alone, and each run is
//! single-threaded, so results are the same bits whatever the number of threads or the
//! order in which replicates finish. This module does no IO; progress is reported through
//! a callback.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::agents::{Migrant, MigrantId, NO_DAY, Status};
use crate::model::observe::DayRecord;
use crate::model::step::Sim;
use crate::model::ties::TieKind;
use crate::scenario::Scenario;

/// The generator of one run: ChaCha8 keyed by the seed, on the stream of the replicate.
pub fn run_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

/// Survival of one arrival cohort (arrivals of one calendar month).
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    /// The arrival month (`calendar::Date::month_index`: year × 12 + month − 1).
    pub month: i32,
    /// Share still in its first stay `7 * k` days after arrival, for k = 0.. while
    /// observable (a returnee who came back is counted from its first departure).
    pub share_present: Vec<f64>,
}

/// A node of the social network: a migrant, or a person outside the simulated population
/// known only as the k-th local or home tie of migrant `of` (k from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Migrant(u32),
    Local { of: u32, k: u16 },
    Home { of: u32, k: u16 },
    Abroad { of: u32, k: u16 },
}

/// One edge of the social network (`output::csv::edges` names the nodes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub source: Node,
    pub target: Node,
    pub kind: TieKind,
    pub strength: u8,
}

/// What a run records beyond the daily counts.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Days (0 = start) on which to record the network of present migrants.
    pub network_days: Vec<u32>,
}

/// Everything one replicate produced.
#[derive(Clone, Debug)]
pub struct RunResult {
    pub replicate: u32,
    pub days: Vec<DayRecord>,
    pub cohorts: Vec<Cohort>,
    pub agents: usize,
    /// Migrant-days actually simulated (present migrants summed over days).
    pub agent_days: u64,
    /// The network on each requested day: (day, edges).
    pub networks: Vec<(u32, Vec<Edge>)>,
    /// The scenario's panels (`observation.panels`), in the scenario's order.
    pub panels: Vec<PanelResult>,
}

/// Of the agents present at the end of a panel's date, where they are `horizon_days` later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PanelResult {
    pub present: u32,
    pub still_present: u32,
    pub moved_on: u32,
    pub returned: u32,
}

/// Runs one replicate. `on_day` is called after each simulated day.
pub fn run_replicate(sc: &Scenario, replicate: u32, on_day: &(dyn Fn() + Sync)) -> RunResult {
    run_replicate_with(sc, replicate, &RunOptions::default(), on_day)
}

/// Runs one replicate, recording what `opts` asks for.
pub fn run_replicate_with(
    sc: &Scenario,
    replicate: u32,
    opts: &RunOptions,
    on_day: &(dyn Fn() + Sync),
) -> RunResult {
    let mut networks = Vec::new();
    let mut sim = Sim::new(sc, run_rng(sc.seed, u64::from(replicate)));
    let n_days = sc.days();
    let mut days = Vec::with_capacity(n_days as usize);
    let mut agent_days = 0u64;
    // Each panel's migrants (those present at the end of its date), followed online so
    // that a returnee who came back is where it is at the horizon, not where it first went.
    let mut panels: Vec<Panel> = sc
        .observation
        .panels
        .iter()
        .map(|p| {
            let day = sc.day_of(p.date);
            Panel {
                day,
                until: day + p.horizon_days,
                members: Vec::new(),
                result: PanelResult::default(),
            }
        })
        .collect();
    for day in 0..n_days {
        sim.step(day);
        agent_days += sim.present() as u64;
        days.push(sim.record);
        if opts.network_days.contains(&day) {
            networks.push((day, network(&sim)));
        }
        for p in &mut panels {
            if day == p.day {
                p.members = sim.present_ids().to_vec();
                p.result.present = p.members.len() as u32;
            }
            if day == p.until {
                p.result = follow(&sim.agents, &p.members);
            }
        }
        on_day();
    }
    let cohorts = cohorts(sc, &sim);
    RunResult {
        replicate,
        days,
        cohorts,
        agents: sim.agents.len(),
        agent_days,
        networks,
        panels: panels.into_iter().map(|p| p.result).collect(),
    }
}

/// A panel in progress: its date and horizon (days), and the migrants present on its date.
struct Panel {
    day: u32,
    until: u32,
    members: Vec<u32>,
    result: PanelResult,
}

/// Where a panel's migrants are at the end of its horizon day: present (whether they never
/// left or came back), or gone, by where they went last.
fn follow(agents: &[Migrant], members: &[u32]) -> PanelResult {
    let mut p = PanelResult {
        present: members.len() as u32,
        ..PanelResult::default()
    };
    for &id in members {
        match agents[id as usize].status {
            Status::Returned => p.returned += 1,
            Status::MovedOn => p.moved_on += 1,
            _ => p.still_present += 1,
        }
    }
    p
}

/// The ties of present migrants; each co-migrant tie once.
fn network(sim: &Sim<'_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (i, m) in sim.agents.iter().enumerate() {
        if m.status != Status::Present {
            continue;
        }
        let (mut local, mut home, mut abroad) = (0, 0, 0);
        for t in sim.ties.of(MigrantId(i as u32)) {
            let target = match t.kind {
                TieKind::CoMigrant => {
                    let o = &sim.agents[t.other as usize];
                    // Only ties between present migrants, each written from its lower end.
                    if o.status != Status::Present || t.other < i as u32 {
                        continue;
                    }
                    Node::Migrant(t.other)
                }
                TieKind::Local => {
                    local += 1;
                    Node::Local {
                        of: i as u32,
                        k: local,
                    }
                }
                TieKind::Transnational => {
                    home += 1;
                    Node::Home {
                        of: i as u32,
                        k: home,
                    }
                }
                TieKind::Abroad => {
                    abroad += 1;
                    Node::Abroad {
                        of: i as u32,
                        k: abroad,
                    }
                }
            };
            edges.push(Edge {
                source: Node::Migrant(i as u32),
                target,
                kind: t.kind,
                strength: t.strength,
            });
        }
    }
    edges
}

/// Runs replicates `0..n` on `jobs` threads (0 = all cores); results in replicate order.
pub fn run_replicates(
    sc: &Scenario,
    n: u32,
    jobs: usize,
    on_day: &(dyn Fn() + Sync),
) -> Vec<RunResult> {
    run_replicates_with(sc, n, jobs, &RunOptions::default(), on_day)
}

/// As [`run_replicates`]; `first` applies to replicate 0 only (e.g. network snapshots).
pub fn run_replicates_with(
    sc: &Scenario,
    n: u32,
    jobs: usize,
    first: &RunOptions,
    on_day: &(dyn Fn() + Sync),
) -> Vec<RunResult> {
    run_replicates_each(n, jobs, first, &|_| sc, on_day)
}

/// Runs replicates `0..n` on `jobs` threads, replicate `r` on `scenario_of(r)` with the
/// random stream of replicate `r` whatever its parameters (an ensemble of parameter draws
/// shares its streams with the plain run: common random numbers); `first` applies to
/// replicate 0 only. Results in replicate order.
pub fn run_replicates_each<'s>(
    n: u32,
    jobs: usize,
    first: &RunOptions,
    scenario_of: &(dyn Fn(u32) -> &'s Scenario + Sync),
    on_day: &(dyn Fn() + Sync),
) -> Vec<RunResult> {
    let plain = RunOptions::default();
    with_threads(jobs, || {
        (0..n)
            .into_par_iter()
            .map(|r| {
                let opts = if r == 0 { first } else { &plain };
                run_replicate_with(scenario_of(r), r, opts, on_day)
            })
            .collect::<Vec<_>>()
    })
}

/// Runs `work` on a pool of `jobs` threads (0: all cores); on the global pool if such a
/// pool cannot be made. Results never depend on the number of threads.
pub fn with_threads<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

fn cohorts(sc: &Scenario, sim: &Sim<'_>) -> Vec<Cohort> {
    let last = sc.days() - 1;
    let mut by_month: Vec<(i32, Vec<u64>, Vec<u64>)> = Vec::new();
    for m in &sim.agents {
        if u32::from(m.arrival) > last {
            continue;
        }
        let month = sc.start.add_days(i64::from(m.arrival)).month_index();
        let entry = match by_month.iter().position(|e| e.0 == month) {
            Some(i) => &mut by_month[i],
            None => {
                by_month.push((month, Vec::new(), Vec::new()));
                by_month.last_mut().expect("just pushed")
            }
        };
        // Each cohort's curve stops where its last arrivals stop being observable, so the
        // share at every point is over the whole cohort.
        let month_end = {
            let d = sc.start.add_days(i64::from(m.arrival));
            let next =
                crate::calendar::Date::new(d.year + i32::from(d.month == 12), d.month % 12 + 1, 1)
                    .expect("valid");
            (sc.start.days_until(next) - 1).clamp(0, i64::from(last)) as u32
        };
        let observable = (last - month_end) / 7 + 1;
        let stay = if m.departed == NO_DAY {
            u32::MAX
        } else {
            u32::from(m.departed - m.arrival)
        };
        for k in 0..observable {
            let at = k as usize;
            if entry.1.len() <= at {
                entry.1.resize(at + 1, 0);
                entry.2.resize(at + 1, 0);
            }
            entry.1[at] += 1;
            if stay > 7 * k {
                entry.2[at] += 1;
            }
        }
    }
    by_month.sort_by_key(|e| e.0);
    by_month
        .into_iter()
        .map(|(month, seen, alive)| Cohort {
            month,
            share_present: seen
                .iter()
                .zip(&alive)
                .map(|(s, a)| *a as f64 / *s as f64)
                .collect(),
        })
        .collect()
}
