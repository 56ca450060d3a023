//! Moves between cities (docs/MODEL.md §7.11): a migrant who is not settled where it is
//! now and then compares its city with the others (jobs, language, rent, ties there) and
//! moves to a clearly better one, leaving its housing and local job behind. Legal status,
//! remote job, money, ties and online membership go with it. Nothing here allocates.

use super::agents::{Housing, Migrant, MigrantId, Status, flag};
use super::labour::search_intensity;
use super::params::{MAX_CITIES, ParamReader};
use super::step::{NONE, Sim, Today};
use super::ties::{EXTERNAL, TieKind};

#[derive(Clone, Debug)]
pub struct MobilityParams {
    /// Migrants may move between cities (§7.11). (switch)
    pub enabled: bool,
    /// Daily chance that a migrant who might move compares the cities. (1/day)
    pub consider_prob_per_day: f64,
    /// Money strain above which a migrant with a local job and a stable home still
    /// considers moving. (0–1)
    pub strain_threshold: f64,
    /// Days over which a migrant weighs its chance of finding a local job in a city. (days)
    pub job_horizon_days: f64,
    /// Weights of the terms of a city's attractiveness. (weight)
    pub job_weight: f64,
    pub language_weight: f64,
    pub rent_weight: f64,
    pub ties_weight: f64,
    /// Co-migrant ties present in a city that pull fully. (ties)
    pub ties_full: f64,
    /// The best other city must be more attractive than the migrant's own by more than
    /// this. (attractiveness, 0 to the sum of the weights)
    pub margin: f64,
    /// Ticket and first days of a move, paid by the spending rules of §7.3; a migrant who
    /// cannot reach it does not move. (KZT)
    pub move_cost_kzt: f64,
}

impl MobilityParams {
    /// Reads the `[mobility]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> MobilityParams {
        MobilityParams {
            enabled: r.boolean("enabled"),
            consider_prob_per_day: r.prob("consider_prob_per_day"),
            strain_threshold: r.prob("strain_threshold"),
            job_horizon_days: r.num("job_horizon_days", 1.0, 3650.0),
            job_weight: r.nonneg("job_weight"),
            language_weight: r.nonneg("language_weight"),
            rent_weight: r.nonneg("rent_weight"),
            ties_weight: r.nonneg("ties_weight"),
            ties_full: r.num("ties_full", 0.001, 1000.0),
            margin: r.nonneg("margin"),
            move_cost_kzt: r.nonneg("move_cost_kzt"),
        }
    }
}

impl Sim<'_> {
    /// A migrant's move between cities today, if any (after money, before housing: a mover
    /// searches for housing and a job in its new city the same day).
    pub(super) fn mobility(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let mb = &self.sc.mobility;
        if !mb.enabled || self.sc.cities.len() < 2 || !self.might_move(m) {
            return;
        }
        if !self.chance(mb.consider_prob_per_day as f32) {
            return;
        }
        let wealth = self.wealth(m, today.fx);
        if wealth < mb.move_cost_kzt as f32 {
            return;
        }
        let ties = self.ties_by_city(id);
        let here = m.city as usize;
        let own = self.attractiveness(m, here, wealth, &ties);
        // The most attractive other city; the first in scenario order on a tie.
        let mut best: Option<(usize, f32)> = None;
        for c in (0..self.sc.cities.len()).filter(|&c| c != here) {
            let a = self.attractiveness(m, c, wealth, &ties);
            if best.is_none_or(|(_, b)| a > b) {
                best = Some((c, a));
            }
        }
        if let Some((to, a)) = best
            && a - own > mb.margin as f32
        {
            self.move_city(m, id, to as u8, today);
        }
    }

    /// Whether a migrant is unsettled enough to consider moving: not integrated (yesterday's
    /// flag), and without a local job, under money strain or without a stable home.
    pub(super) fn might_move(&self, m: &Migrant) -> bool {
        let strained = m.strain > self.sc.mobility.strain_threshold as f32;
        !m.has(flag::INTEGRATED) && (!m.has_local_job() || strained || m.housing.is_searching())
    }

    /// How attractive city `c` is to migrant `m` with `wealth` (KZT) and `ties` co-migrant
    /// ties present in each city: weighted job prospects, language, rent and ties (§7.11).
    pub(super) fn attractiveness(
        &self,
        m: &Migrant,
        c: usize,
        wealth: f32,
        ties: &[u8; MAX_CITIES],
    ) -> f32 {
        let sc = self.sc;
        let mb = &sc.mobility;
        let here = c == m.city as usize;
        let job = if !sc.labour.enabled {
            0.0
        } else if here && m.has_local_job() {
            1.0
        } else {
            // The chance of a local job by formal search within the horizon, as if it
            // lived in `c` (labour's own rate: demand, language, open positions).
            let there = Migrant {
                city: c as u8,
                ..*m
            };
            let rate = self.formal_job_rate(&there) * search_intensity(m, &sc.labour);
            1.0 - (-rate * mb.job_horizon_days as f32).exp()
        };
        let language = if m.has(flag::KAZAKH) {
            1.0
        } else {
            sc.cities[c].russian_speaking_share as f32
        };
        let h = &sc.housing;
        let city = &self.world.cities[c];
        let month_rent = city.rent_base_kzt_month as f32 * city.rent_multiplier;
        let alone = h.alone_wealth_months as f32 * month_rent * (1.0 + h.deposit_months as f32);
        let rent = if alone > 0.0 {
            (wealth / alone).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let ties = (f32::from(ties[c]) / mb.ties_full as f32).min(1.0);
        mb.job_weight as f32 * job
            + mb.language_weight as f32 * language
            + mb.rent_weight as f32 * rent
            + mb.ties_weight as f32 * ties
    }

    /// The migrant's co-migrant ties present in each city.
    fn ties_by_city(&self, id: u32) -> [u8; MAX_CITIES] {
        let mut n = [0u8; MAX_CITIES];
        for t in self.ties.of(MigrantId(id)) {
            if t.other == EXTERNAL || t.kind != TieKind::CoMigrant {
                continue;
            }
            let o = &self.agents[t.other as usize];
            if o.status == Status::Present && !o.has(flag::TRANSIT) {
                let k = &mut n[o.city as usize];
                *k = k.saturating_add(1);
            }
        }
        n
    }

    /// Moves migrant `id` to city `to`: it pays the move, releases what held it in its city
    /// as a departure does (a shelter bed, the waiting-flatmate slot, a place at a host's,
    /// its local job; its own guests find out at their weekly check, §7.4) and arrives in a
    /// hotel, searching, with no notification at its new address.
    pub(super) fn move_city(&mut self, m: &mut Migrant, id: u32, to: u8, today: &Today) {
        let from = m.city as usize;
        let c = &mut self.world.cities[from];
        if m.housing == Housing::Shelter {
            c.shelter_used -= 1;
        }
        if c.flatmate_waiting == id {
            c.flatmate_waiting = NONE;
        }
        self.move_house(m, Housing::Hotel, today.t);
        // Leaving the job frees its position in the city left (not a job loss).
        self.leave_local_job(m);
        self.spend(m, self.sc.mobility.move_cost_kzt as f32, today);
        m.city = to;
        m.set(flag::HOUSED_VIA_TIE, false);
        // The stay is notified by address: the new host notifies again (§7.2.1).
        m.set(flag::NOTIFIED, false);
        // The integration index starts again in the new city.
        m.integ_days = 0;
        self.record.moved_out_of[from] += 1;
        self.record.moved_into[usize::from(to)] += 1;
        self.record.city_moves += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Housing, Migrant, flag};
    use super::super::testkit::{days, link, migrant, scenario, share, today, with, world};
    use super::super::ties::TieKind;

    /// Every migrant considers moving every day and moves for any advantage.
    const EAGER: [&str; 2] = ["mobility.consider_prob_per_day=1", "mobility.margin=0"];

    /// The city a migrant of city `from` ends in after one day's mobility step.
    fn after_one_day(sets: &[&str], m: Migrant, setup: impl Fn(&mut super::Sim<'_>)) -> u8 {
        let sc = scenario(sets);
        let mut sim = world(&sc, vec![m], 3);
        setup(&mut sim);
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.mobility(m, 0, &day));
        sim.agents[0].city
    }

    /// City indexes of the baseline: almaty, astana, shymkent, karaganda, uralsk, other.
    const ALMATY: u8 = 0;
    const SHYMKENT: u8 = 2;
    const KARAGANDA: u8 = 3;

    fn in_city(city: u8) -> Migrant {
        let mut m = migrant();
        m.city = city;
        m.housing = Housing::Hotel;
        m
    }

    #[test]
    fn a_city_with_jobs_and_russian_speakers_draws_migrants_from_one_without() {
        // Shymkent: few Russian speakers, low demand. With its positions all taken and
        // Karaganda's open, a jobless migrant in Shymkent goes, and none comes back.
        let full = |sim: &mut super::Sim<'_>| {
            sim.world.cities[SHYMKENT as usize].jobs_capacity = [0.0; 5];
        };
        let to = after_one_day(&EAGER, in_city(SHYMKENT), full);
        assert_ne!(to, SHYMKENT, "it leaves the city without jobs");
        let back = after_one_day(&EAGER, in_city(to), full);
        assert_eq!(back, to, "and does not go back");
    }

    #[test]
    fn a_migrant_moves_only_when_another_city_beats_its_own_by_more_than_the_margin() {
        let full = |sim: &mut super::Sim<'_>| {
            sim.world.cities[SHYMKENT as usize].jobs_capacity = [0.0; 5];
        };
        let m = in_city(SHYMKENT);
        let sc = scenario(&[]);
        let mut sim = world(&sc, vec![m], 1);
        full(&mut sim);
        let day = today(&mut sim, days::EARLY);
        let w = sim.wealth(&m, day.fx);
        let none = [0; super::MAX_CITIES];
        let own = sim.attractiveness(&m, SHYMKENT as usize, w, &none);
        let best = (0..sc.cities.len())
            .filter(|&c| c != SHYMKENT as usize)
            .map(|c| sim.attractiveness(&m, c, w, &none))
            .fold(f32::MIN, f32::max);
        let gap = best - own;
        assert!(gap > 0.1, "Shymkent without jobs is the worst city: {gap}");
        let below = format!("mobility.margin={}", gap - 0.01);
        let above = format!("mobility.margin={}", gap + 0.01);
        let eager = "mobility.consider_prob_per_day=1";
        assert_ne!(after_one_day(&[eager, &below], m, full), SHYMKENT);
        assert_eq!(after_one_day(&[eager, &above], m, full), SHYMKENT);
    }

    #[test]
    fn co_migrant_ties_in_another_city_pull_and_ties_here_hold() {
        // Only ties count: a migrant alone in Almaty follows its three friends to Karaganda.
        let ties_only = [
            "mobility.consider_prob_per_day=1",
            "mobility.margin=0.5",
            "mobility.job_weight=0",
            "mobility.language_weight=0",
            "mobility.rent_weight=0",
        ];
        let sc = scenario(&ties_only);
        let mut friends = vec![in_city(ALMATY)];
        friends.extend([in_city(KARAGANDA); 3]);
        let mut sim = world(&sc, friends.clone(), 5);
        for f in 1..4 {
            link(&mut sim, 0, f, days::EARLY);
        }
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.mobility(m, 0, &day));
        assert_eq!(sim.agents[0].city, KARAGANDA, "ties pull");
        // With as many friends where it is, it stays.
        friends.extend([in_city(ALMATY); 3]);
        let mut sim = world(&sc, friends, 5);
        for f in 1..7 {
            link(&mut sim, 0, f, days::EARLY);
        }
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.mobility(m, 0, &day));
        assert_eq!(sim.agents[0].city, ALMATY, "ties hold");
    }

    #[test]
    fn only_the_unsettled_consider_moving_at_the_daily_rate() {
        let sc = scenario(&["mobility.consider_prob_per_day=1"]);
        let sim = world(&sc, vec![], 1);
        let mut settled = migrant();
        settled.local_kzt_day = 10_000.0;
        assert!(!sim.might_move(&settled), "a job, a flat, no strain");
        let mut strained = settled;
        strained.strain = 0.9;
        assert!(sim.might_move(&strained));
        let mut in_hotel = settled;
        in_hotel.housing = Housing::Hotel;
        assert!(sim.might_move(&in_hotel));
        assert!(sim.might_move(&migrant()), "no local job");
        let mut integrated = migrant();
        integrated.flags |= flag::INTEGRATED;
        assert!(!sim.might_move(&integrated));
        // Those who might move compare the cities on about consider_prob_per_day of days.
        let rate = 0.2;
        let sets = ["mobility.consider_prob_per_day=0.2", "mobility.margin=0"];
        let sc = scenario(&sets);
        let moved = share(4000, |seed| {
            let mut sim = world(&sc, vec![in_city(SHYMKENT)], seed);
            sim.world.cities[SHYMKENT as usize].jobs_capacity = [0.0; 5];
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.mobility(m, 0, &day));
            sim.agents[0].city != SHYMKENT
        });
        assert!((moved - rate).abs() < 0.02, "moved {moved}");
    }

    #[test]
    fn a_move_is_paid_and_releases_the_housing_and_job_of_the_city_left() {
        let sc = scenario(&EAGER);
        let mut mover = in_city(SHYMKENT);
        mover.housing = Housing::Friends;
        mover.host = 1;
        mover.local_kzt_day = 0.0;
        mover.flags |= flag::NOTIFIED | flag::HOUSED_VIA_TIE | flag::IIN;
        mover.rub = 0.0;
        let mut host = in_city(SHYMKENT);
        host.housing = Housing::RentAlone;
        host.guests = 1;
        let mut sim = world(&sc, vec![mover, host], 8);
        sim.world.cities[SHYMKENT as usize].jobs_capacity = [0.0; 5];
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.mobility(m, 0, &day));
        let m = sim.agents[0];
        assert_ne!(m.city, SHYMKENT);
        assert_eq!(m.kzt, mover.kzt - sc.mobility.move_cost_kzt as f32, "paid");
        assert_eq!((m.housing, m.host), (Housing::Hotel, super::NONE));
        assert_eq!(sim.agents[1].guests, 0, "the host's place is free");
        assert!(!m.has(flag::NOTIFIED) && !m.has(flag::HOUSED_VIA_TIE));
        assert!(m.has(flag::IIN), "documents go along");
        assert_eq!(sim.record.city_moves, 1);
        assert_eq!(sim.record.moved_out_of[SHYMKENT as usize], 1);
        assert_eq!(sim.record.moved_into[m.city as usize], 1);
    }

    #[test]
    fn a_mover_frees_its_local_job_shelter_bed_and_flatmate_slot() {
        let sc = scenario(&EAGER);
        let mut m = in_city(SHYMKENT);
        m.housing = Housing::Shelter;
        let mut sim = world(&sc, vec![m], 2);
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.take_local_job(m, 0, false, day.t));
        let c = &mut sim.world.cities[SHYMKENT as usize];
        (c.shelter_used, c.flatmate_waiting) = (1, 0);
        let to = with(&mut sim, 0, |s, m| {
            s.move_city(m, 0, KARAGANDA, &day);
            m.city
        });
        assert_eq!(to, KARAGANDA);
        let c = &sim.world.cities[SHYMKENT as usize];
        assert_eq!(
            (c.shelter_used, c.flatmate_waiting, c.jobs_filled),
            (0, super::NONE, [0; 5])
        );
        let m = sim.agents[0];
        assert!(!m.has_local_job() && m.housing == Housing::Hotel);
        assert_eq!(m.job_lost, migrant().job_lost, "leaving is not a job loss");
        assert!(
            sim.ties.counts(super::MigrantId(0))[TieKind::Local as usize] > 0,
            "ties go along"
        );
    }

    #[test]
    fn a_mover_who_returns_is_gone_from_the_city_it_moved_to_and_comes_back_there() {
        use super::super::agents::{Reason, Status};
        let sc = scenario(&["legal.reentry_legal_prob_per_day=1"]);
        let mut sim = world(&sc, vec![in_city(SHYMKENT)], 4);
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| {
            s.move_city(m, 0, KARAGANDA, &day);
            s.depart(m, 0, Status::Returned, Reason::Legal, 0, day.t);
        });
        let (k, s) = (KARAGANDA as usize, SHYMKENT as usize);
        let r = &sim.record;
        assert_eq!((r.gone_from[k], r.gone_from[s]), (1, 0));
        assert_eq!((r.moved_out_of[s], r.moved_into[k]), (1, 1));
        sim.active.clear();
        today(&mut sim, days::EARLY + 1);
        sim.reentries(days::EARLY + 1);
        assert_eq!(sim.agents[0].status, Status::Present);
        assert_eq!(sim.agents[0].city, KARAGANDA);
        assert_eq!(
            sim.record.gone_from[k], 0,
            "present again where it left from"
        );
    }

    #[test]
    fn a_migrant_who_cannot_pay_the_move_stays_and_the_switch_stops_all_moves() {
        let full = |sim: &mut super::Sim<'_>| {
            sim.world.cities[SHYMKENT as usize].jobs_capacity = [0.0; 5];
        };
        let mut poor = in_city(SHYMKENT);
        (poor.kzt, poor.rub) = (1000.0, 0.0);
        assert_eq!(after_one_day(&EAGER, poor, full), SHYMKENT);
        let off = [
            "mobility.enabled=false",
            "mobility.consider_prob_per_day=1",
            "mobility.margin=0",
        ];
        assert_eq!(after_one_day(&off, in_city(SHYMKENT), full), SHYMKENT);
    }
}
