//! Small hand-built worlds for the processes' unit tests: the built-in baseline scenario
//! (with overrides), a handful of migrants set up by hand, a fixed seed.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::agents::{Housing, Legal, Migrant, MigrantId, NO_DAY, Status};
use super::step::{Sim, Today};
use super::ties::{Tie, TieStore};
use crate::scenario::{self, Scenario, Source};

/// The built-in baseline with `sets` (`dotted.key=value`) applied, at a scale that draws no
/// population of its own (the tests hand-build theirs), so a world is cheap to make.
pub fn scenario(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = std::iter::once("arrivals.persons_per_agent=1000000")
        .chain(sets.iter().copied())
        .map(String::from)
        .collect();
    scenario::load(Source::Builtin, &sets)
        .unwrap_or_else(|e| panic!("test scenario: {}", e.lines.join("\n")))
        .scenario
}

/// A present migrant in city 0, arrived on day 0, renting alone, with a month's money in
/// tenge and more in rubles, no job, no flags.
pub fn migrant() -> Migrant {
    Migrant {
        rub: 200_000.0,
        kzt: 300_000.0,
        remote_rub_day: 0.0,
        local_kzt_day: 0.0,
        family_rub_day: 0.0,
        stress: 0.3,
        strain: 0.0,
        arrival: 0,
        legal_until: 90,
        pending_until: NO_DAY,
        status_since: 0,
        housing_since: 0,
        job_lost: NO_DAY,
        integ_days: 0,
        departed: NO_DAY,
        flags: 0,
        status: Status::Present,
        legal: Legal::VisaFree,
        housing: Housing::RentAlone,
        reason: 0,
        city: 0,
        profession: 0,
        rvp_route: 0,
        dest: 0,
        age: 30,
        host: u32::MAX,
        guests: 0,
        online: 0,
        owed: 0,
    }
}

/// A run over exactly `migrants`, all present from day 0 in the order given.
pub fn world(sc: &Scenario, migrants: Vec<Migrant>, seed: u64) -> Sim<'_> {
    let mut sim = Sim::new(sc, ChaCha8Rng::seed_from_u64(seed));
    let n = migrants.len();
    sim.ties = TieStore::new(n, sc.ties.max_per_agent as usize);
    sim.agents = migrants;
    sim.active = (0..n as u32).collect();
    sim.next_arrival = n;
    sim
}

/// What a migrant's day reads on day `t` of `sim`'s world (after `begin_day`).
pub fn today(sim: &mut Sim<'_>, t: u16) -> Today {
    sim.world.begin_day(sim.sc, u32::from(t));
    sim.today(t)
}

/// Runs `f` on migrant `id` the way the schedule does: a copy, then written back.
pub fn with<R>(sim: &mut Sim<'_>, id: u32, f: impl FnOnce(&mut Sim<'_>, &mut Migrant) -> R) -> R {
    let mut m = sim.agents[id as usize];
    let r = f(sim, &mut m);
    sim.agents[id as usize] = m;
    r
}

/// Links migrants `a` and `b` by a co-migrant tie of strength 100 formed on day `day`.
pub fn link(sim: &mut Sim<'_>, a: u32, b: u32, day: u16) {
    assert!(sim.ties.link(MigrantId(a), MigrantId(b), 100, day));
}

/// The tie from `a` to migrant `b`, if there is one.
pub fn tie(sim: &Sim<'_>, a: u32, b: u32) -> Option<Tie> {
    sim.ties
        .of(MigrantId(a))
        .iter()
        .find(|t| t.other == b)
        .copied()
}

/// Day indexes of the baseline calendar (start 2022-09-21) used by the tests.
pub mod days {
    /// 2022-10-01: MIR blocked, border runs allowed, the ban not yet announced.
    pub const EARLY: u16 = 10;
    /// 2023-04-09: border runs banned, MIR limited.
    pub const AFTER_BAN: u16 = 200;
}

/// The share of `n` trials for which `f` (given a fresh world of one migrant and the
/// trial's index as seed) returns true.
pub fn share(n: u64, mut f: impl FnMut(u64) -> bool) -> f64 {
    (0..n).filter(|&i| f(i)).count() as f64 / n as f64
}
