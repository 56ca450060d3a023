//! One simulated day (ODD "Process overview and scheduling", docs/MODEL.md §3).
//!
//! `Sim::step` is the schedule, read top to bottom: arrivals, then each present migrant in
//! arrival order lives the day (`live_one_day`) through bureaucracy, money, a move between
//! cities, housing, labour, social life, wellbeing and the decision to stay, return or move
//! on; then the day is recorded. Each process is one file beside this one (`legal`, `rvp`,
//! `money`, `mobility`, `housing`, `labour`, `ties_help`, `online`, `wellbeing`,
//! `decision`, `integration`); this file holds the run's state, the schedule and the
//! random picks they share. Scarce goods (shelter beds, a waiting flatmate, quota places)
//! go first come, first served in arrival order. Nothing here allocates or does IO.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::agents::{Migrant, MigrantId, Reason, Status, flag, online};
use super::legal::Away;
use super::observe::DayRecord;
use super::params::Scenario;
use super::population;
use super::ties::{TieKind, TieStore};
use super::world::{PolicyState, World};

/// RVP quotas count applications per 30-day window from day 0 (the rule counts per month;
/// not a parameter).
const QUOTA_WINDOW_DAYS: u32 = 30;

/// "No migrant" in id fields (a host, a waiting flatmate).
pub(super) const NONE: u32 = u32::MAX;
/// Picks a random encounter tries before giving up: bounds the work of a pick (not a
/// behavioural parameter: in a city with a share `s` of the present migrants an encounter
/// happens with chance 1 - (1 - s)^4: 87% for Almaty's 40% of arrivals, 19% for a 5% city).
const CITY_PICK_TRIES: usize = 4;

/// A run in progress: the population, its ties, the world and the cumulative counts.
pub struct Sim<'s> {
    pub sc: &'s Scenario,
    pub agents: Vec<Migrant>,
    pub ties: TieStore,
    pub world: World,
    pub(super) rng: ChaCha8Rng,
    /// Present migrants, in arrival order.
    pub(super) active: Vec<u32>,
    pub(super) next_arrival: usize,
    /// Today's record; cumulative fields carry over from day to day.
    pub record: DayRecord,
    /// RVP applications accepted per route in the current 30-day quota window (the quota
    /// limits applications, not approvals).
    pub(super) quota_used: [u32; 4],
    pub(super) quota_cap: [u32; 4],
    /// Rental demand per city counted today, for tomorrow's prices.
    pub(super) market_today: Vec<u32>,
    /// The newcomer term of the utilities by days since arrival (a table, not an exp a day).
    pub(super) newcomer: Vec<f32>,
    pub(super) cheapest_destination: f32,
    /// Where today's pass over `active` stands: `active[..pass_kept]` are the migrants
    /// already processed who stayed, `active[pass_next..]` those still to live the day (the
    /// one living it first). Between the two lie stale entries. Outside the pass both are 0.
    pub(super) pass_kept: usize,
    pub(super) pass_next: usize,
    /// Returnees who will come back within the run, in the order they left (§7.2.10).
    /// Each migrant is here at most once, so the capacity reserved for the whole
    /// population means it never grows during a step.
    pub(super) away: Vec<Away>,
}

/// Everything a migrant's day needs to read besides its own state.
pub(super) struct Today {
    pub t: u16,
    pub policy: PolicyState,
    pub fx: f32,
    /// The day-to-day ruble channels with today's terms, cheapest first.
    pub channels: super::money::ChannelTerms,
}

impl<'s> Sim<'s> {
    pub fn new(sc: &'s Scenario, mut rng: ChaCha8Rng) -> Sim<'s> {
        let arrivals = population::arrival_days(sc);
        let agents = population::draw(sc, &arrivals, &mut rng);
        let ties = TieStore::new(agents.len(), sc.ties.max_per_agent as usize);
        let ppa = f64::from(sc.arrivals.persons_per_agent);
        let quota_cap = std::array::from_fn(|r| {
            let q = sc.policy.rvp[r].quota_per_month;
            if q > 0.0 {
                ((q / ppa).round() as u32).max(1)
            } else {
                u32::MAX
            }
        });
        Sim {
            sc,
            active: Vec::with_capacity(agents.len()),
            away: Vec::with_capacity(agents.len()),
            market_today: vec![0; sc.cities.len()],
            agents,
            ties,
            world: World::new(sc),
            rng,
            next_arrival: 0,
            record: DayRecord::new(),
            quota_used: [0; 4],
            quota_cap,
            newcomer: (0..=sc.days())
                .map(|t| {
                    (sc.decisions.newcomer * (-f64::from(t) / sc.decisions.newcomer_days).exp())
                        as f32
                })
                .collect(),
            cheapest_destination: sc
                .destinations
                .iter()
                .map(|d| d.cost_kzt as f32)
                .fold(f32::INFINITY, f32::min),
            pass_kept: 0,
            pass_next: 0,
        }
    }

    /// What every migrant's day reads besides its own state (after `World::begin_day`).
    pub(super) fn today(&self, t: u16) -> Today {
        Today {
            t,
            policy: self.world.policy.clone(),
            fx: self.world.kzt_per_rub as f32,
            channels: super::money::channel_terms(self.sc, &self.world.policy),
        }
    }

    /// Present migrants today.
    pub fn present(&self) -> usize {
        self.active.len()
    }

    /// The ids of the migrants present at the end of the day, in processing order.
    pub fn present_ids(&self) -> &[u32] {
        &self.active
    }

    /// Simulates day `day` and leaves its counts in `self.record`.
    pub fn step(&mut self, day: u32) {
        self.world.begin_day(self.sc, day);
        if day.is_multiple_of(QUOTA_WINDOW_DAYS) {
            self.quota_used = [0; 4];
        }
        self.arrivals(day as u16);
        self.reentries(day as u16);
        self.record.clear_stocks();
        self.market_today.iter_mut().for_each(|m| *m = 0);
        let today = self.today(day as u16);
        // Live the day and drop those who left in the same pass (the migrant is still in
        // cache here; a second pass would read every migrant again).
        let mut kept = 0;
        for k in 0..self.active.len() {
            let id = self.active[k];
            (self.pass_kept, self.pass_next) = (kept, k);
            self.live_one_day(id, &today);
            if self.agents[id as usize].status == Status::Present {
                self.active[kept] = id;
                kept += 1;
            }
        }
        self.active.truncate(kept);
        (self.pass_kept, self.pass_next) = (0, 0);
        for (c, m) in self.world.cities.iter_mut().zip(&self.market_today) {
            c.market = *m;
        }
    }

    fn arrivals(&mut self, t: u16) {
        while self.next_arrival < self.agents.len() && self.agents[self.next_arrival].arrival <= t {
            let id = self.next_arrival as u32;
            self.next_arrival += 1;
            let sc = self.sc;
            let m = &mut self.agents[id as usize];
            m.status = Status::Present;
            m.legal_until = t.saturating_add(sc.legal.visa_free_days as u16);
            self.record.arrived += 1;
            self.record.arrived_in[m.city as usize] += 1;
            let transit = self.agents[id as usize].has(flag::TRANSIT);
            if sc.online.enabled
                && !transit
                && self.rng.random_bool(sc.online.community_initial_share)
            {
                self.agents[id as usize].online |= online::COMMUNITY;
            }
            let m = &self.agents[id as usize];
            if sc.ties.enabled && !m.has(flag::TRANSIT) {
                // Family and friends at home exist whether or not help flows from them
                // (`social.transnational_support_enabled` switches the help off, not the
                // pull of home).
                for _ in 0..sc.ties.transnational_initial {
                    self.ties.add_external(
                        MigrantId(id),
                        TieKind::Transnational,
                        sc.ties.strength_home,
                        t,
                    );
                }
                if self.rng.random_bool(sc.profile.friends_in_kz_share) {
                    let city = self.agents[id as usize].city;
                    if let Some(friend) = self.random_present_in(city, id) {
                        self.ties.link(
                            MigrantId(id),
                            MigrantId(friend),
                            sc.ties.strength_friend,
                            t,
                        );
                    }
                }
            }
            self.active.push(id);
        }
    }

    /// A random present migrant in `city` other than `me`, uniform over the migrants present
    /// at this moment (processed today and stayed, or still to be processed), or none: a
    /// few picks over the whole population, kept if they fall in the city.
    pub(super) fn random_present_in(&mut self, city: u8, me: u32) -> Option<u32> {
        let (kept, next) = (self.pass_kept, self.pass_next);
        let present = kept + (self.active.len() - next);
        if present == 0 {
            return None;
        }
        for _ in 0..CITY_PICK_TRIES {
            let i = self.rng.random_range(0..present);
            let j = self.active[if i < kept { i } else { next + (i - kept) }];
            let o = &self.agents[j as usize];
            if j != me && o.city == city && !o.has(flag::TRANSIT) {
                return Some(j);
            }
        }
        None
    }

    fn live_one_day(&mut self, id: u32, today: &Today) {
        let mut m = self.agents[id as usize];
        if m.has(flag::TRANSIT) {
            if today.t >= m.pending_until {
                let dest = self.pick_destination(f32::INFINITY, true);
                self.depart(&mut m, id, Status::MovedOn, Reason::Transit, dest, today.t);
            } else {
                let channel = self.ruble_channel(&m, today);
                self.record.count(&m, [0; TieKind::COUNT], channel, today.t);
            }
            self.agents[id as usize] = m;
            return;
        }
        let departure = self.bureaucracy(&mut m, id, today);
        if let Some((status, reason)) = departure {
            let dest = self.pick_destination(self.wealth(&m, today.fx), false);
            self.depart(&mut m, id, status, reason, dest, today.t);
            self.agents[id as usize] = m;
            return;
        }
        let cost = self.money(&mut m, today);
        self.mobility(&mut m, id, today);
        self.housing(&mut m, id, today, cost);
        self.labour(&mut m, id, today);
        let tie_counts = self.social(&mut m, id, today);
        let factors = self.factors(&m, today, tie_counts, false);
        self.wellbeing(&mut m, &factors);
        if let Some((status, reason)) = self.decide(&m, &factors) {
            let dest = self.pick_destination(self.wealth(&m, today.fx), false);
            self.depart(&mut m, id, status, reason, dest, today.t);
        } else {
            self.integration(&mut m, tie_counts);
            let channel = self.ruble_channel(&m, today);
            self.record.count(&m, tie_counts, channel, today.t);
        }
        self.agents[id as usize] = m;
    }

    #[inline]
    pub(super) fn chance(&mut self, p: f32) -> bool {
        p > 0.0 && self.rng.random::<f32>() < p
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{migrant, scenario, world};

    #[test]
    fn random_picks_are_uniform_over_the_migrants_present_mid_pass() {
        // Mid-pass: 0, 1 and 2 have lived the day and 1 left; 3 lives it now; 4 and 5 wait.
        // `active` is then [0, 2, 2, 3, 4, 5] with two kept. Before the fix, 2 was picked
        // twice as often as the others and the departed 1 could not be told apart.
        let sc = scenario(&[]);
        let mut sim = world(&sc, vec![migrant(); 6], 7);
        sim.active = vec![0, 2, 2, 3, 4, 5];
        (sim.pass_kept, sim.pass_next) = (2, 3);
        let mut seen = [0u32; 6];
        for _ in 0..40_000 {
            // Four tries can all land on the picker itself (1 in 625): no encounter then.
            if let Some(j) = sim.random_present_in(0, 3) {
                seen[j as usize] += 1;
            }
        }
        let draws: u32 = seen.iter().sum();
        assert_eq!(seen[1], 0, "the departed migrant is never picked");
        assert_eq!(seen[3], 0, "nor the one picking");
        for j in [0, 2, 4, 5] {
            let share = f64::from(seen[j]) / f64::from(draws);
            assert!((share - 0.25).abs() < 0.01, "migrant {j}: share {share}");
        }
    }

    #[test]
    fn random_picks_keep_to_the_city() {
        let sc = scenario(&[]);
        let mut far = migrant();
        far.city = 1;
        let mut sim = world(&sc, vec![migrant(), far, migrant()], 3);
        for _ in 0..1000 {
            assert_ne!(sim.random_present_in(0, 0), Some(1));
            assert_eq!(
                sim.random_present_in(1, 1),
                None,
                "nobody else lives in city 1"
            );
        }
    }

    #[test]
    fn job_counts_and_ties_stay_consistent_with_who_is_present_through_a_run() {
        use super::super::agents::Status;
        use super::super::ties::EXTERNAL;
        use rand::SeedableRng;
        // A small whole run: every path that takes, loses or leaves a job, and every
        // departure, must keep the city counts and the network in step with the migrants.
        let sc = scenario(&["arrivals.persons_per_agent=400"]);
        let mut sim = super::Sim::new(&sc, rand_chacha::ChaCha8Rng::seed_from_u64(11));
        let mut departed_with_ties = 0;
        for day in 0..sc.days() {
            sim.step(day);
            if day % 50 != 49 {
                continue;
            }
            for (c, city) in sim.world.cities.iter().enumerate() {
                for (p, filled) in city.jobs_filled.iter().enumerate() {
                    let holders = sim
                        .agents
                        .iter()
                        .filter(|m| {
                            m.status == Status::Present
                                && m.city as usize == c
                                && m.profession as usize == p
                                && m.has_local_job()
                        })
                        .count();
                    assert_eq!(*filled as usize, holders, "city {c}, profession {p}, day {day}");
                }
            }
            for (i, m) in sim.agents.iter().enumerate() {
                for t in sim.ties.of(super::MigrantId(i as u32)) {
                    if t.other == EXTERNAL {
                        continue;
                    }
                    assert_eq!(
                        m.status,
                        Status::Present,
                        "a departed migrant keeps a co-migrant tie"
                    );
                    let o = &sim.agents[t.other as usize];
                    assert_eq!(
                        o.status,
                        Status::Present,
                        "a tie to a departed migrant on day {day}"
                    );
                }
                if m.status != Status::Present && m.status != Status::NotArrived {
                    departed_with_ties += 1;
                }
            }
        }
        assert!(departed_with_ties > 0, "the run had departures");
        assert!(
            sim.record.ties[super::TieKind::Abroad as usize] > 0,
            "onward moves left ties abroad"
        );
    }
}
