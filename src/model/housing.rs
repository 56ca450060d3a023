//! Housing and the rent market (docs/MODEL.md §7.4): keeping or losing a place, the search
//! (a friend's bed, a flat alone or shared, a local host, a shelter), moving house.

use super::agents::{Help, Housing, Migrant, MigrantId, Status, flag};
use super::params::ParamReader;
use super::step::{NONE, Sim, Today};
use super::ties::{EXTERNAL, TieKind};

#[derive(Clone, Debug)]
pub struct HousingParams {
    pub enabled: bool,
    pub rent_elasticity: f64,
    pub rent_multiplier_max: f64,
    pub hotel_elasticity: f64,
    pub search_prob_per_day: f64,
    pub shared_preference: f64,
    pub deposit_months: f64,
    pub local_host_prob_per_day: f64,
    pub local_host_cost_share: f64,
    pub eviction_prob_per_day: f64,
    pub shelters_enabled: bool,
    pub shelter_max_days: u32,
    /// Renting alone needs wealth ≥ this × a month's rent × (1 + `housing.deposit_months`); sharing needs half of one such month. (months)
    pub alone_wealth_months: f64,
    /// A renter whose tenge falls below minus this many days of costs loses the flat (to a hotel). (days)
    pub eviction_debt_days: f64,
    /// The lowest vacancy factor of a full rental market (searching never stops entirely). (share)
    pub vacancy_min: f64,
    /// Money strain above which a searching migrant takes a free shelter bed. (0–1)
    pub shelter_strain: f64,
    /// How precarious each kind of housing feels (`Housing` order), 0 (stable) to 1
    /// (nowhere to sleep): the housing factor of wellbeing and decisions.
    pub precarity: [f64; 7],
    /// Daily chance that a stay at a friend's ends (the host's patience and space), 1/day.
    pub guest_leave_prob_per_day: f64,
    /// Daily chance that a stay with a local host ends, 1/day.
    pub host_leave_prob_per_day: f64,
}

impl HousingParams {
    /// Reads the `[housing]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> HousingParams {
        HousingParams {
            enabled: r.boolean("enabled"),
            rent_elasticity: r.nonneg("rent_elasticity"),
            rent_multiplier_max: r.num("rent_multiplier_max", 1.0, 100.0),
            hotel_elasticity: r.nonneg("hotel_elasticity"),
            search_prob_per_day: r.prob("search_prob_per_day"),
            shared_preference: r.prob("shared_preference"),
            deposit_months: r.nonneg("deposit_months"),
            local_host_prob_per_day: r.prob("local_host_prob_per_day"),
            local_host_cost_share: r.prob("local_host_cost_share"),
            eviction_prob_per_day: r.prob("eviction_prob_per_day"),
            shelters_enabled: r.boolean("shelters_enabled"),
            shelter_max_days: r.int("shelter_max_days", 1, 3650) as u32,
            alone_wealth_months: r.nonneg("alone_wealth_months"),
            eviction_debt_days: r.nonneg("eviction_debt_days"),
            vacancy_min: r.prob("vacancy_min"),
            shelter_strain: r.prob("shelter_strain"),
            precarity: {
                let t = r.table("precarity");
                let v = Housing::NAMES.map(|k| t.prob(k));
                t.finish();
                v
            },
            guest_leave_prob_per_day: r.prob("guest_leave_prob_per_day"),
            host_leave_prob_per_day: r.prob("host_leave_prob_per_day"),
        }
    }
}

impl Sim<'_> {
    pub(super) fn housing(&mut self, m: &mut Migrant, id: u32, today: &Today, cost: f32) {
        let sc = self.sc;
        let h = &sc.housing;
        let t = today.t;
        let city = m.city as usize;
        if !h.enabled {
            m.housing = Housing::RentAlone;
            return;
        }
        match m.housing {
            Housing::RentAlone | Housing::RentShared => {
                let mult = self.world.cities[city].rent_multiplier;
                if self.chance(h.eviction_prob_per_day as f32 * (mult - 1.0))
                    || m.kzt < -cost * h.eviction_debt_days as f32
                {
                    self.move_house(m, Housing::Hotel, t);
                }
            }
            Housing::Friends => {
                // Every week: is the friend still here and still renting? Every day: the
                // host's patience and space may run out (a rent-free stay does not last).
                let host_ok =
                    m.host != NONE && self.can_host(&self.agents[m.host as usize], m.city);
                if ((u32::from(t) + id).is_multiple_of(7) && !host_ok)
                    || self.chance(h.guest_leave_prob_per_day as f32)
                {
                    self.move_house(m, Housing::Hotel, t);
                }
            }
            Housing::LocalHost if self.chance(h.host_leave_prob_per_day as f32) => {
                self.move_house(m, Housing::Hotel, t);
            }
            Housing::Shelter if t.saturating_sub(m.housing_since) as u32 >= h.shelter_max_days => {
                self.world.cities[city].shelter_used -= 1;
                self.move_house(m, Housing::Hotel, t);
            }
            _ => {}
        }
        if m.housing.is_searching() {
            self.search_housing(m, id, today);
        }
        if m.housing == Housing::Hotel && m.kzt < 0.0 {
            self.move_house(m, Housing::None, t);
        }
        if matches!(
            m.housing,
            Housing::Hotel | Housing::None | Housing::RentAlone | Housing::RentShared
        ) {
            self.market_today[city] += 1;
        }
    }

    pub(super) fn search_housing(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let sc = self.sc;
        let h = &sc.housing;
        let t = today.t;
        let city = m.city as usize;
        let was_shelter = m.housing == Housing::Shelter;
        let leave_shelter = |sim: &mut Self| {
            if was_shelter {
                sim.world.cities[city].shelter_used -= 1;
            }
        };
        // 1. A bed at a friend's (help along a tie).
        if self.aid_possible()
            && self.chance(sc.ties.bed_prob_per_day as f32)
            && let Some(friend) = self.friend_with_room(id, m.city)
            && self.agrees_to_help(m)
        {
            leave_shelter(self);
            self.move_house(m, Housing::Friends, t);
            m.host = friend;
            self.agents[friend as usize].guests += 1;
            m.set(flag::HOUSED_VIA_TIE, true);
            self.helped(m, friend, id, Help::Bed, t);
            return;
        }
        // 2. A flat, alone or shared.
        let c = &self.world.cities[city];
        let stock = sc.cities[city].rental_stock / f64::from(sc.arrivals.persons_per_agent);
        let vacancy = (1.0 - f64::from(c.market) / stock.max(1.0)).clamp(h.vacancy_min, 1.0) as f32;
        let month_rent = c.rent_base_kzt_month as f32 * c.rent_multiplier;
        let w = self.wealth(m, today.fx);
        let share_cost = 0.5 * month_rent * (1.0 + h.deposit_months as f32);
        let can_share = w >= share_cost;
        if can_share && self.chance(h.search_prob_per_day as f32 * vacancy) {
            let can_alone =
                w >= h.alone_wealth_months as f32 * month_rent * (1.0 + h.deposit_months as f32);
            let share = !can_alone || self.chance(h.shared_preference as f32);
            if !share {
                leave_shelter(self);
                self.spend(m, month_rent * h.deposit_months as f32, today);
                self.move_house(m, Housing::RentAlone, t);
                self.landlord_tie(m, id, t);
                m.set(flag::HOUSED_VIA_TIE, false);
                return;
            }
            let waiting = self.world.cities[city].flatmate_waiting;
            // The waiting flatmate must still be here, still searching and still able to
            // pay its half: it pays under the same rules as the one who found the flat.
            let partner_ok = waiting != NONE && waiting != id && {
                let o = &self.agents[waiting as usize];
                o.status == Status::Present
                    && o.housing.is_searching()
                    && o.city == m.city
                    && self.wealth(o, today.fx) >= share_cost
            };
            if partner_ok {
                let half_deposit = 0.5 * month_rent * h.deposit_months as f32;
                leave_shelter(self);
                self.spend(m, half_deposit, today);
                self.move_house(m, Housing::RentShared, t);
                self.landlord_tie(m, id, t);
                m.set(flag::HOUSED_VIA_TIE, false);
                let mut o = self.agents[waiting as usize];
                if o.housing == Housing::Shelter {
                    self.world.cities[city].shelter_used -= 1;
                }
                self.spend(&mut o, half_deposit, today);
                self.move_house(&mut o, Housing::RentShared, t);
                o.set(flag::HOUSED_VIA_TIE, false);
                self.agents[waiting as usize] = o;
                self.world.cities[city].flatmate_waiting = NONE;
                if sc.ties.enabled {
                    self.ties.link(
                        MigrantId(id),
                        MigrantId(waiting),
                        sc.ties.strength_flatmate,
                        t,
                    );
                }
                return;
            }
            self.world.cities[city].flatmate_waiting = id;
        }
        // 3. A previously unknown local offers a room.
        let russian = sc.cities[city].russian_speaking_share as f32;
        if self.chance(h.local_host_prob_per_day as f32 * russian) {
            leave_shelter(self);
            self.move_house(m, Housing::LocalHost, t);
            if sc.ties.enabled {
                self.ties.add_external(
                    MigrantId(id),
                    TieKind::Local,
                    sc.ties.strength_local_host,
                    t,
                );
            }
            return;
        }
        // 4. A shelter bed when money runs short.
        if !was_shelter && m.strain > h.shelter_strain as f32 {
            let c = &mut self.world.cities[city];
            if c.shelter_used < c.shelter_capacity {
                c.shelter_used += 1;
                let previous = std::mem::replace(&mut c.shelter_last, id);
                self.move_house(m, Housing::Shelter, t);
                if sc.ties.enabled && previous != NONE && previous != id {
                    // Shelters' shared life and events create ties (seed).
                    self.ties.link(
                        MigrantId(id),
                        MigrantId(previous),
                        sc.ties.strength_shelter,
                        t,
                    );
                }
            }
        }
    }

    /// A co-migrant tie in the same city who rents and has room for a guest.
    pub(super) fn friend_with_room(&self, id: u32, city: u8) -> Option<u32> {
        let max_guests = self.sc.social.max_guests;
        self.ties.of(MigrantId(id)).iter().find_map(|t| {
            if t.other == EXTERNAL {
                return None;
            }
            let o = &self.agents[t.other as usize];
            // A tie short of money takes in nobody: a guest costs its host
            // (`social.guest_cost_kzt_day`, §7.6.2).
            let can_afford = o.strain <= self.sc.social.host_max_strain as f32;
            (self.can_host(o, city) && u32::from(o.guests) < max_guests && can_afford)
                .then_some(t.other)
        })
    }

    pub(super) fn can_host(&self, o: &Migrant, city: u8) -> bool {
        o.status == Status::Present
            && o.city == city
            && matches!(o.housing, Housing::RentAlone | Housing::RentShared)
    }

    /// The landlord of a new flat may become a local tie, more readily where Russian is spoken.
    pub(super) fn landlord_tie(&mut self, m: &Migrant, id: u32, t: u16) {
        if self.sc.ties.enabled {
            let russian = self.sc.cities[m.city as usize].russian_speaking_share as f32;
            if self.chance(self.sc.social.landlord_tie_prob as f32 * russian) {
                self.ties.add_external(
                    MigrantId(id),
                    TieKind::Local,
                    self.sc.ties.strength_landlord,
                    t,
                );
            }
        }
    }

    pub(super) fn move_house(&mut self, m: &mut Migrant, to: Housing, t: u16) {
        if m.host != NONE {
            let h = &mut self.agents[m.host as usize];
            h.guests = h.guests.saturating_sub(1);
            m.host = NONE;
        }
        m.housing = to;
        m.housing_since = t;
    }
}

#[cfg(test)]
mod flatmate_tests {
    use super::super::agents::{Housing, flag};
    use super::super::testkit::{days, migrant, scenario, today, with, world};

    /// Two migrants in hotels; the second waits for a flatmate, once housed through a tie.
    fn searchers(partner_kzt: f32) -> Vec<super::super::agents::Migrant> {
        let mut finder = migrant();
        finder.housing = Housing::Hotel;
        let mut partner = finder;
        partner.flags |= flag::HOUSED_VIA_TIE;
        (partner.kzt, partner.rub) = (partner_kzt, 0.0);
        vec![finder, partner]
    }

    const SHARING: [&str; 4] = [
        "housing.search_prob_per_day=1",
        "housing.shared_preference=1",
        "housing.local_host_prob_per_day=0",
        "ties.bed_prob_per_day=0",
    ];

    #[test]
    fn a_waiting_flatmate_pays_its_half_of_the_deposit_under_the_spending_rules() {
        let sc = scenario(&SHARING);
        let mut sim = world(&sc, searchers(1_000_000.0), 4);
        sim.world.cities[0].flatmate_waiting = 1;
        let day = today(&mut sim, days::EARLY);
        let c = &sim.world.cities[0];
        let half_deposit = 0.5
            * c.rent_base_kzt_month as f32
            * c.rent_multiplier
            * sc.housing.deposit_months as f32;
        with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
        let partner = sim.agents[1];
        assert_eq!(sim.agents[0].housing, Housing::RentShared);
        assert_eq!(partner.housing, Housing::RentShared);
        assert_eq!(partner.kzt, 1_000_000.0 - half_deposit);
        assert_eq!(partner.housing_since, days::EARLY);
    }

    #[test]
    fn a_waiting_flatmate_who_cannot_pay_its_half_does_not_move_in() {
        let sc = scenario(&SHARING);
        let mut sim = world(&sc, searchers(10.0), 4);
        sim.world.cities[0].flatmate_waiting = 1;
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
        assert_eq!(sim.agents[1].housing, Housing::Hotel);
        assert_eq!(sim.agents[1].kzt, 10.0, "nothing paid");
        assert_eq!(sim.agents[0].housing, Housing::Hotel);
        assert_eq!(
            sim.world.cities[0].flatmate_waiting, 0,
            "the finder now waits for a flatmate"
        );
    }

    #[test]
    fn a_waiting_flatmate_who_moves_in_is_not_counted_as_housed_through_a_tie() {
        let sc = scenario(&SHARING);
        let mut sim = world(&sc, searchers(1_000_000.0), 4);
        sim.world.cities[0].flatmate_waiting = 1;
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
        assert_eq!(sim.agents[1].housing, Housing::RentShared);
        assert!(!sim.agents[1].has(flag::HOUSED_VIA_TIE));
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::{Help, Housing, flag};
    use super::super::testkit::{days, link, migrant, scenario, tie, today, with, world};

    #[test]
    fn a_searching_migrant_moves_in_with_a_co_migrant_tie_who_rents() {
        let sc = scenario(&["ties.bed_prob_per_day=1", "social.generalized_share=0"]);
        let search = |host_guests: u8| {
            let mut guest = migrant();
            guest.housing = Housing::Hotel;
            let mut host = migrant();
            host.guests = host_guests;
            let mut sim = world(&sc, vec![guest, host], 4);
            link(&mut sim, 0, 1, 0);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
            sim
        };
        let sim = search(0);
        let (guest, host) = (sim.agents[0], sim.agents[1]);
        assert_eq!(guest.housing, Housing::Friends);
        assert_eq!(guest.host, 1);
        assert_eq!(guest.housing_since, days::EARLY);
        assert!(guest.has(flag::HOUSED_VIA_TIE));
        assert_eq!(host.guests, 1);
        assert_eq!(sim.record.help[Help::Bed as usize], 1);
        assert_eq!((guest.owed, host.owed), (1, -1), "the reciprocity records");
        for (a, b) in [(0, 1), (1, 0)] {
            let t = tie(&sim, a, b).expect("the tie");
            assert_eq!(t.last_used, days::EARLY, "used on both ends");
            assert_eq!(t.strength, 100 + sc.ties.use_gain);
        }
        // A host with a full flat takes nobody in.
        let full = search(sc.social.max_guests as u8);
        assert_ne!(full.agents[0].housing, Housing::Friends);
        assert_eq!(full.agents[1].guests, sc.social.max_guests as u8);
        assert_eq!(full.record.help[Help::Bed as usize], 0);
    }

    #[test]
    fn a_strained_migrant_who_cannot_rent_takes_a_free_shelter_bed() {
        let sc = scenario(&["housing.local_host_prob_per_day=0"]);
        let broke = |strain: f32| {
            let mut m = migrant();
            (m.housing, m.kzt, m.rub, m.strain) = (Housing::Hotel, 0.0, 0.0, strain);
            m
        };
        let above = sc.housing.shelter_strain as f32 + 0.05;
        let below = sc.housing.shelter_strain as f32 - 0.05;
        let mut sim = world(
            &sc,
            vec![broke(above), broke(below), broke(above), broke(above)],
            5,
        );
        let day = today(&mut sim, days::EARLY);
        sim.world.cities[0].shelter_capacity = 2;
        for id in 0..4 {
            with(&mut sim, id, |s, m| s.search_housing(m, id, &day));
        }
        let housing: Vec<Housing> = sim.agents.iter().map(|m| m.housing).collect();
        assert_eq!(
            housing,
            [
                Housing::Shelter,
                Housing::Hotel,
                Housing::Shelter,
                Housing::Hotel
            ],
            "strain decides, and the third strained migrant finds the beds taken"
        );
        assert_eq!(sim.world.cities[0].shelter_used, 2);
        // The two who met in the shelter are tied.
        assert_eq!(
            tie(&sim, 2, 0).map(|t| t.strength),
            Some(sc.ties.strength_shelter)
        );
    }

    #[test]
    fn renting_alone_needs_alone_wealth_months_of_rent_and_deposit_and_the_rest_share() {
        let sc = scenario(&[
            "housing.search_prob_per_day=1",
            "housing.shared_preference=0",
            "housing.local_host_prob_per_day=0",
        ]);
        let h = &sc.housing;
        let month = sc.cities[0].rent_kzt_month as f32;
        let alone = h.alone_wealth_months as f32 * month * (1.0 + h.deposit_months as f32);
        let deposit = month * h.deposit_months as f32;
        let searcher = |kzt: f32| {
            let mut m = migrant();
            (m.housing, m.kzt, m.rub) = (Housing::Hotel, kzt, 0.0);
            m
        };
        let mut sim = world(
            &sc,
            vec![
                searcher(alone),
                searcher(alone - 1.0),
                searcher(alone - 1.0),
            ],
            6,
        );
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
        assert_eq!(sim.agents[0].housing, Housing::RentAlone);
        assert_eq!(sim.agents[0].kzt, alone - deposit, "the deposit is paid");
        // Just short of it: the first waits for a flatmate, the second moves in with it.
        with(&mut sim, 1, |s, m| s.search_housing(m, 1, &day));
        assert_eq!(sim.agents[1].housing, Housing::Hotel);
        assert_eq!(sim.world.cities[0].flatmate_waiting, 1);
        with(&mut sim, 2, |s, m| s.search_housing(m, 2, &day));
        for id in [1, 2] {
            let m = sim.agents[id as usize];
            assert_eq!(m.housing, Housing::RentShared, "migrant {id}");
            assert_eq!(
                m.kzt,
                alone - 1.0 - 0.5 * deposit,
                "migrant {id}: half the deposit"
            );
        }
        assert_eq!(sim.world.cities[0].flatmate_waiting, u32::MAX);
        assert_eq!(
            tie(&sim, 1, 2).map(|t| t.strength),
            Some(sc.ties.strength_flatmate)
        );
    }
}

#[cfg(test)]
mod stay_tests {
    use super::super::agents::Housing;
    use super::super::testkit::{days, link, migrant, scenario, share, today, with, world};

    #[test]
    fn rent_free_stays_end_at_their_daily_rates() {
        let sc = scenario(&[
            "housing.guest_leave_prob_per_day=0.2",
            "housing.host_leave_prob_per_day=0.05",
        ]);
        // A guest at a friend who still rents in the same city, on a day that is not its
        // weekly check (so only patience can end the stay), and a migrant with a local host.
        let stay_ends = |housing: Housing| {
            share(4000, |seed| {
                let mut guest = migrant();
                (guest.housing, guest.host) = (housing, 1);
                let mut sim = world(&sc, vec![guest, migrant()], seed);
                sim.agents[1].guests = 1;
                let t = days::EARLY + 1; // (t + 0) is not a multiple of 7
                assert!(!u32::from(t).is_multiple_of(7));
                let day = today(&mut sim, t);
                with(&mut sim, 0, |s, m| s.housing(m, 0, &day, 0.0));
                sim.agents[0].housing != housing
            })
        };
        let friends = stay_ends(Housing::Friends);
        let host = stay_ends(Housing::LocalHost);
        assert!((friends - 0.2).abs() < 0.03, "friends {friends}");
        assert!((host - 0.05).abs() < 0.02, "host {host}");
    }

    #[test]
    fn a_guest_costs_its_host_and_a_tie_short_of_money_takes_in_nobody() {
        let sc = scenario(&["ties.bed_prob_per_day=1", "social.generalized_share=0"]);
        // The cost: each guest adds `social.guest_cost_kzt_day` to the host's day.
        let mut host = migrant();
        let sim = world(&sc, vec![host], 4);
        let alone = sim.daily_cost(&host);
        host.guests = 2;
        let with_guests = sim.daily_cost(&host);
        let per_guest = sc.social.guest_cost_kzt_day as f32;
        assert!((with_guests - alone - 2.0 * per_guest).abs() < 1e-3);

        // The refusal: a host under more money strain than `social.host_max_strain`.
        let search = |host_strain: f32| {
            let mut guest = migrant();
            guest.housing = Housing::Hotel;
            let mut host = migrant();
            host.strain = host_strain;
            let mut sim = world(&sc, vec![guest, host], 4);
            link(&mut sim, 0, 1, 0);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.search_housing(m, 0, &day));
            sim.agents[0].housing
        };
        let max = sc.social.host_max_strain as f32;
        assert_eq!(search(max), Housing::Friends);
        assert_ne!(search(max + 0.01), Housing::Friends, "a strained tie says no");
    }
}
