//! One simulated day (ODD "Process overview and scheduling").
//!
//! `Sim::step` is the schedule, read top to bottom: arrivals, then each present migrant in
//! arrival order lives the day through bureaucracy, money, housing, labour, social life,
//! wellbeing and the decision to stay, return or move on; then the day is recorded.
//! Scarce goods (shelter beds, a waiting flatmate, quota places) go first come, first
//! served in arrival order. Nothing here allocates or does IO.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::agents::{
    Help, Housing, Legal, Migrant, MigrantId, NO_DAY, Reason, Status, flag, online,
};
use super::observe::{DayRecord, LONG_STAYER_DAYS};
use super::population;
use super::ties::{EXTERNAL, TieKind, TieStore};
use super::world::{PolicyState, World};
use crate::scenario::Scenario;

const NONE: u32 = u32::MAX;
const EMPLOYMENT: usize = 0;
const OWN_COMPANY: usize = 1;
const FAMILY_STUDY: usize = 2;
const INTERMEDIARY: usize = 3;
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
    rng: ChaCha8Rng,
    /// Present migrants, in arrival order.
    active: Vec<u32>,
    next_arrival: usize,
    /// Today's record; cumulative fields carry over from day to day.
    pub record: DayRecord,
    /// RVP approvals per route in the current 30-day quota window.
    quota_used: [u32; 4],
    quota_cap: [u32; 4],
    /// Rental demand per city counted today, for tomorrow's prices.
    market_today: Vec<u32>,
    /// The newcomer term of the utilities by days since arrival (a table, not an exp a day).
    newcomer: Vec<f32>,
    cheapest_destination: f32,
    /// Where today's pass over `active` stands: `active[..pass_kept]` are the migrants
    /// already processed who stayed, `active[pass_next..]` those still to live the day (the
    /// one living it first). Between the two lie stale entries. Outside the pass both are 0.
    pass_kept: usize,
    pass_next: usize,
}

/// What weighs on one migrant today (see `Sim::factors`).
struct Factors {
    strain: f32,
    legal: f32,
    housing: f32,
    job_loss: f32,
    family: f32,
    support: f32,
    local_ties: f32,
    newcomer: f32,
    afford: bool,
}

/// Everything a migrant's day needs to read besides its own state.
struct Today {
    t: u16,
    policy: PolicyState,
    fx: f32,
    mir_rub_day: f32,
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

    /// Present migrants today.
    pub fn present(&self) -> usize {
        self.active.len()
    }

    /// Simulates day `day` and leaves its counts in `self.record`.
    pub fn step(&mut self, day: u32) {
        self.world.begin_day(self.sc, day);
        if day.is_multiple_of(30) {
            self.quota_used = [0; 4];
        }
        self.arrivals(day as u16);
        self.record.clear_stocks();
        self.market_today.iter_mut().for_each(|m| *m = 0);
        let today = Today {
            t: day as u16,
            policy: self.world.policy.clone(),
            fx: self.world.kzt_per_rub as f32,
            mir_rub_day: self.world.mir_rub_per_day(),
        };
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
            let transit = self.agents[id as usize].has(flag::TRANSIT);
            if sc.online.enabled
                && !transit
                && self.rng.random_bool(sc.online.community_initial_share)
            {
                self.agents[id as usize].online |= online::COMMUNITY;
            }
            let m = &self.agents[id as usize];
            if sc.ties.enabled && !m.has(flag::TRANSIT) {
                let transnational = if sc.social.transnational_support_enabled {
                    sc.ties.transnational_initial
                } else {
                    0
                };
                for _ in 0..transnational {
                    self.ties
                        .add_external(MigrantId(id), TieKind::Transnational, 200, t);
                }
                if self.rng.random_bool(sc.profile.friends_in_kz_share) {
                    let city = self.agents[id as usize].city;
                    if let Some(friend) = self.random_present_in(city, id) {
                        self.ties.link(MigrantId(id), MigrantId(friend), 200, t);
                    }
                }
            }
            self.active.push(id);
        }
    }

    /// A random present migrant in `city` other than `me`, uniform over the migrants present
    /// at this moment (processed today and stayed, or still to be processed), or none: a
    /// few picks over the whole population, kept if they fall in the city.
    fn random_present_in(&mut self, city: u8, me: u32) -> Option<u32> {
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
                self.count(&m, [0; 3], today.t);
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
            self.count(&m, tie_counts, today.t);
        }
        self.agents[id as usize] = m;
    }

    // ---- bureaucracy ------------------------------------------------------------------

    /// Notification, IIN, bank card, RVP and VNZh, legal expiry. Returns a forced departure.
    fn bureaucracy(&mut self, m: &mut Migrant, id: u32, today: &Today) -> Option<(Status, Reason)> {
        let sc = self.sc;
        let lg = &sc.legal;
        let t = today.t;
        let policy = &today.policy;
        let slow = policy.bureaucracy_factor;
        if !m.has(flag::NOTIFIED)
            && m.housing != Housing::None
            && self.rng.random::<f32>() * lg.notification_days as f32 * slow < 1.0
        {
            m.set(flag::NOTIFIED, true);
        }
        // Information channels explain the steps (seed): they go faster for members.
        let channel = sc.social.information_enabled
            && sc.online.enabled
            && m.online & online::INFO_CHANNEL != 0;
        let info = if channel {
            1.0 + sc.social.info_speedup as f32
        } else {
            1.0
        };
        if !m.has(flag::IIN) && self.chance(lg.iin_prob_per_day as f32 * info / slow) {
            m.set(flag::IIN, true);
            self.record.iin_issued += 1;
            self.record.help[Help::Information as usize] += channel as u32;
            if sc.ties.enabled && self.chance(sc.social.queue_tie_prob as f32) {
                // A conversation in the queue at the service centre (seed).
                if let Some(other) = self.random_present_in(m.city, id) {
                    self.ties.link(MigrantId(id), MigrantId(other), 80, today.t);
                }
            }
        }
        let card_allowed = m.has(flag::IIN)
            && (m.has(flag::NOTIFIED) || !sc.policy.notification_required_for_card);
        if card_allowed
            && !m.has(flag::BANK_CARD)
            && self.chance(lg.bank_card_prob_per_day as f32 * info / slow)
        {
            m.set(flag::BANK_CARD, true);
        }
        if !lg.enabled {
            return None;
        }
        match m.legal {
            Legal::VisaFree => {
                if t >= m.legal_until {
                    if policy.border_runs_allowed
                        && self.wealth(m, today.fx) >= lg.border_run_cost_kzt as f32
                    {
                        self.spend(m, lg.border_run_cost_kzt as f32, today);
                        m.legal_until = t.saturating_add(lg.visa_free_days as u16);
                    } else {
                        return self.forced_choice(m, today);
                    }
                } else {
                    self.seek_rvp(m, id, today);
                }
            }
            Legal::RvpPending => {
                if t >= m.pending_until {
                    self.decide_rvp(m, today);
                }
            }
            Legal::Rvp => {
                if t >= m.legal_until {
                    self.renew_rvp(m, today);
                } else {
                    let skilled = policy.vnzh_skilled_open
                        && sc.policy.vnzh_skilled.as_ref().is_some_and(|v| {
                            v.professions.contains(&(m.profession as usize))
                                && self.rng.random::<f64>() < v.prob_per_day / f64::from(slow)
                        });
                    let regular = t.saturating_sub(m.status_since) as u32 >= lg.vnzh_after_rvp_days
                        && self.chance(lg.vnzh_prob_per_day as f32);
                    if skilled || regular {
                        m.legal = Legal::Vnzh;
                        m.status_since = t;
                        m.legal_until = NO_DAY;
                    }
                }
            }
            Legal::Vnzh => {}
            Legal::Overstay => {
                if self.chance(lg.overstay_deport_prob_per_day as f32) {
                    return Some((Status::Returned, Reason::Deported));
                }
            }
        }
        None
    }

    /// The legal stay has ended: overstay, return or move on (a logit over the three).
    fn forced_choice(&mut self, m: &mut Migrant, today: &Today) -> Option<(Status, Reason)> {
        let d = &self.sc.decisions;
        let f = self.factors(m, today, [0; 3], true);
        let (v_ret, v_move) = self.utilities(m, &f);
        let v_ret = v_ret - d.return_constant as f32;
        let v_move = v_move - d.move_constant as f32;
        let (e_o, e_r, e_m) = (
            (d.overstay_constant as f32).exp(),
            v_ret.exp(),
            v_move.exp(),
        );
        let u = self.rng.random::<f32>() * (e_o + e_r + e_m);
        if u < e_o {
            m.legal = Legal::Overstay;
            None
        } else if u < e_o + e_r {
            Some((Status::Returned, Reason::Legal))
        } else {
            Some((Status::MovedOn, Reason::Legal))
        }
    }

    fn seek_rvp(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let sc = self.sc;
        let lg = &sc.legal;
        if !(m.has(flag::IIN) && m.has(flag::NOTIFIED)) {
            return;
        }
        let policy = &today.policy;
        let mut p = lg.rvp_seek_prob_per_day as f32;
        if policy.ban_announced {
            p *= lg.rvp_anticipation as f32;
        }
        let near_end = m.legal_until.saturating_sub(today.t) as u32 <= lg.rvp_urgency_days;
        if near_end && (!policy.border_runs_allowed || policy.ban_announced) {
            p *= 3.0;
        }
        // Information (from a tie who holds long-stay status, or a channel) makes an
        // application `1 + info_speedup` times as likely; the ties are read only when the
        // draw falls in the range where it matters.
        let speedup = 1.0 + sc.social.info_speedup as f32;
        let u = self.rng.random::<f32>();
        if u >= speedup * p {
            return;
        }
        let informed = self.informed(m, id);
        if u >= p && !informed {
            return;
        }
        let w = self.wealth(m, today.fx);
        let month_cost = 30.0 * sc.money.living_kzt_day as f32;
        let routes = &sc.policy.rvp;
        let eligible = |r: usize| -> bool {
            let route = &routes[r];
            route.open
                && match r {
                    EMPLOYMENT => m.has_local_job(),
                    FAMILY_STUDY => m.has(flag::FAMILY_GROUND),
                    OWN_COMPANY => w >= route.fee_kzt as f32 + 2.0 * month_cost,
                    _ => w >= route.fee_kzt as f32 + month_cost,
                }
        };
        let open = |r: usize| eligible(r) && self.quota_used[r] < self.quota_cap[r];
        // A ground the migrant has (a local job, family or study) comes first; otherwise a
        // paid route: a company of one's own or an intermediary, the cheaper more often
        // (chosen with weights 1 / fee).
        let paid: [bool; 2] = [open(OWN_COMPANY), open(INTERMEDIARY)];
        let route = if open(EMPLOYMENT) {
            EMPLOYMENT
        } else if open(FAMILY_STUDY) {
            FAMILY_STUDY
        } else {
            match paid {
                [true, true] => {
                    let w = |r: usize| 1.0 / (routes[r].fee_kzt as f32).max(1.0);
                    let (a, b) = (w(OWN_COMPANY), w(INTERMEDIARY));
                    if self.rng.random::<f32>() * (a + b) < a {
                        OWN_COMPANY
                    } else {
                        INTERMEDIARY
                    }
                }
                [true, false] => OWN_COMPANY,
                [false, true] => INTERMEDIARY,
                [false, false] => return,
            }
        };
        let r = &routes[route];
        self.spend(m, r.fee_kzt as f32, today);
        let info = if informed { 1.0 / speedup } else { 1.0 };
        self.record.help[Help::Information as usize] += informed as u32;
        let days = ((r.docs_days as f32 * info + r.processing_days as f32)
            * policy.bureaucracy_factor
            + policy.rvp_extra_days as f32)
            .round()
            .max(1.0);
        m.legal = Legal::RvpPending;
        m.rvp_route = route as u8;
        m.pending_until = today.t.saturating_add(days as u16);
        self.quota_used[route] += 1;
        m.set(flag::RVP_FRAUD_HIT, false);
        if route == INTERMEDIARY {
            // Information through ties lets migrants vet intermediaries (seed).
            let fraud = r.fraud_prob as f32
                * if informed {
                    sc.social.info_fraud_factor as f32
                } else {
                    1.0
                };
            if self.chance(fraud) {
                m.set(flag::RVP_FRAUD_HIT, true);
            }
        }
    }

    fn decide_rvp(&mut self, m: &mut Migrant, today: &Today) {
        let r = &self.sc.policy.rvp[m.rvp_route as usize];
        let approved = !m.has(flag::RVP_FRAUD_HIT) && self.chance(r.approval_prob as f32);
        if approved {
            m.legal = Legal::Rvp;
            m.status_since = today.t;
            m.legal_until = today
                .t
                .saturating_add(self.sc.legal.rvp_validity_days as u16);
        } else {
            // Back on the visa-free clock, which may already have run out.
            m.legal = Legal::VisaFree;
            m.legal_until = m.legal_until.max(today.t.saturating_add(1));
        }
        m.pending_until = NO_DAY;
    }

    fn renew_rvp(&mut self, m: &mut Migrant, today: &Today) {
        let r = &self.sc.policy.rvp[m.rvp_route as usize];
        let keeps_ground = match m.rvp_route as usize {
            EMPLOYMENT => m.has_local_job(),
            FAMILY_STUDY => true,
            _ => self.wealth(m, today.fx) >= r.fee_kzt as f32,
        };
        if keeps_ground {
            if m.rvp_route as usize != EMPLOYMENT && m.rvp_route as usize != FAMILY_STUDY {
                self.spend(m, r.fee_kzt as f32, today);
            }
            m.legal_until = today
                .t
                .saturating_add(self.sc.legal.rvp_validity_days as u16);
        } else {
            m.legal = Legal::VisaFree;
            m.legal_until = today.t.saturating_add(1);
        }
    }

    /// Whether information reaches this migrant: an information channel, or a co-migrant tie
    /// who already holds long-stay status (information flows along ties).
    fn informed(&self, m: &Migrant, id: u32) -> bool {
        let s = &self.sc.social;
        if !s.information_enabled {
            return false;
        }
        if self.sc.online.enabled && m.online & online::INFO_CHANNEL != 0 {
            return true;
        }
        s.mutual_aid_enabled
            && self.sc.ties.enabled
            && self
                .ties
                .of(MigrantId(id))
                .iter()
                .any(|t| t.other != EXTERNAL && self.agents[t.other as usize].legal.is_long_stay())
    }

    // ---- money ------------------------------------------------------------------------

    /// Income, transfers through the open channels, costs. Returns today's cost in KZT.
    fn money(&mut self, m: &mut Migrant, today: &Today) -> f32 {
        let sc = self.sc;
        let cost = self.daily_cost(m);
        if !sc.money.enabled {
            m.strain = 0.0;
            return cost;
        }
        m.rub += m.remote_rub_day;
        if sc.money.family_transfers_enabled && sc.social.transnational_support_enabled {
            m.rub += m.family_rub_day;
        }
        m.kzt += m.local_kzt_day - cost;
        let runway = sc.money.runway_days as f32 * cost.max(1.0);
        // Before an announced MIR block or limit takes effect, migrants move more rubles
        // into tenge while they still can (anticipation).
        let target = if today.policy.mir_tightening_ahead {
            sc.money.anticipation_multiplier as f32 * runway
        } else {
            runway
        };
        if m.kzt < 0.5 * target && m.rub > 0.0 {
            let mut want_kzt = target - m.kzt;
            for (cap_rub, fee) in self.channels(m, today) {
                if want_kzt <= 0.0 || m.rub <= 0.0 {
                    break;
                }
                let rub = (want_kzt / (today.fx * (1.0 - fee)))
                    .min(cap_rub)
                    .min(m.rub);
                m.rub -= rub;
                let got = rub * today.fx * (1.0 - fee);
                m.kzt += got;
                want_kzt -= got;
            }
        }
        let reachable_rub: f32 = self
            .channels(m, today)
            .map(|(cap, _)| cap * sc.money.runway_days as f32)
            .sum::<f32>()
            .min(m.rub.max(0.0));
        let reachable = m.kzt + reachable_rub * today.fx;
        m.strain = (1.0 - reachable / runway).clamp(0.0, 1.0);
        cost
    }

    /// Open channels from rubles to tenge for this migrant: (RUB per day, fee), cheapest first.
    fn channels(&self, m: &Migrant, today: &Today) -> impl Iterator<Item = (f32, f32)> + use<> {
        let mo = &self.sc.money;
        let mir = (today.mir_rub_day, mo.mir_fee as f32);
        let card = (
            if mo.kz_card_enabled && m.has(flag::BANK_CARD) {
                f32::INFINITY
            } else {
                0.0
            },
            mo.kz_card_fee as f32,
        );
        let crypto = (
            if mo.crypto_enabled && m.has(flag::CRYPTO) {
                f32::INFINITY
            } else {
                0.0
            },
            mo.crypto_fee as f32,
        );
        [mir, card, crypto].into_iter().filter(|c| c.0 > 0.0)
    }

    fn daily_cost(&self, m: &Migrant) -> f32 {
        let sc = self.sc;
        let living = sc.money.living_kzt_day as f32;
        let c = &self.world.cities[m.city as usize];
        let rent_day = c.rent_base_kzt_month as f32 / 30.0;
        let housing = if !sc.housing.enabled {
            rent_day
        } else {
            match m.housing {
                Housing::Hotel => {
                    sc.cities[m.city as usize].hotel_kzt_day as f32 * c.hotel_multiplier
                }
                Housing::RentAlone => rent_day * c.rent_multiplier,
                Housing::RentShared => 0.5 * rent_day * c.rent_multiplier,
                Housing::LocalHost => sc.housing.local_host_cost_share as f32 * rent_day,
                Housing::Friends | Housing::Shelter | Housing::None => 0.0,
            }
        };
        living + housing
    }

    /// Money a migrant can reach now, in KZT (tenge plus rubles at today's rate); without
    /// the money mechanism, money never limits anyone.
    fn wealth(&self, m: &Migrant, fx: f32) -> f32 {
        if self.sc.money.enabled {
            m.kzt + m.rub.max(0.0) * fx
        } else {
            f32::INFINITY
        }
    }

    fn spend(&mut self, m: &mut Migrant, kzt: f32, today: &Today) {
        if !self.sc.money.enabled {
            return;
        }
        m.kzt -= kzt;
        if m.kzt < 0.0 {
            // Cover the gap from rubles through whatever channel is open.
            for (cap, fee) in self.channels(m, today) {
                let rub = (-m.kzt / (today.fx * (1.0 - fee)))
                    .min(m.rub)
                    .min(cap * 30.0);
                m.rub -= rub;
                m.kzt += rub * today.fx * (1.0 - fee);
                if m.kzt >= 0.0 {
                    break;
                }
            }
        }
    }

    // ---- housing ----------------------------------------------------------------------

    fn housing(&mut self, m: &mut Migrant, id: u32, today: &Today, cost: f32) {
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
                    || m.kzt < -cost * 30.0
                {
                    self.move_house(m, Housing::Hotel, t);
                }
            }
            Housing::Friends => {
                // Every week: is the friend still here and still renting?
                let host_ok =
                    m.host != NONE && self.can_host(&self.agents[m.host as usize], m.city);
                if (u32::from(t) + id).is_multiple_of(7) && !host_ok {
                    self.move_house(m, Housing::Hotel, t);
                }
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

    fn search_housing(&mut self, m: &mut Migrant, id: u32, today: &Today) {
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
        let vacancy = (1.0 - f64::from(c.market) / stock.max(1.0)).clamp(0.05, 1.0) as f32;
        let month_rent = c.rent_base_kzt_month as f32 * c.rent_multiplier;
        let w = self.wealth(m, today.fx);
        let can_share = w >= 0.5 * month_rent * (1.0 + h.deposit_months as f32);
        if can_share && self.chance(h.search_prob_per_day as f32 * vacancy) {
            let can_alone = w >= 3.0 * month_rent * (1.0 + h.deposit_months as f32);
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
            let partner_ok = waiting != NONE && waiting != id && {
                let o = &self.agents[waiting as usize];
                o.status == Status::Present && o.housing.is_searching() && o.city == m.city
            };
            if partner_ok {
                leave_shelter(self);
                self.spend(m, 0.5 * month_rent * h.deposit_months as f32, today);
                self.move_house(m, Housing::RentShared, t);
                self.landlord_tie(m, id, t);
                m.set(flag::HOUSED_VIA_TIE, false);
                let o = &mut self.agents[waiting as usize];
                if o.housing == Housing::Shelter {
                    self.world.cities[city].shelter_used -= 1;
                }
                o.housing = Housing::RentShared;
                o.housing_since = t;
                o.kzt -= 0.5 * month_rent * h.deposit_months as f32;
                self.world.cities[city].flatmate_waiting = NONE;
                if sc.ties.enabled {
                    self.ties.link(MigrantId(id), MigrantId(waiting), 160, t);
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
                self.ties
                    .add_external(MigrantId(id), TieKind::Local, 160, t);
            }
            return;
        }
        // 4. A shelter bed when money runs short.
        if !was_shelter && m.strain > 0.5 {
            let c = &mut self.world.cities[city];
            if c.shelter_used < c.shelter_capacity {
                c.shelter_used += 1;
                let previous = std::mem::replace(&mut c.shelter_last, id);
                self.move_house(m, Housing::Shelter, t);
                if sc.ties.enabled && previous != NONE && previous != id {
                    // Shelters' shared life and events create ties (seed).
                    self.ties.link(MigrantId(id), MigrantId(previous), 120, t);
                }
            }
        }
    }

    /// A co-migrant tie in the same city who rents and has room for a guest.
    fn friend_with_room(&self, id: u32, city: u8) -> Option<u32> {
        let max_guests = self.sc.social.max_guests;
        self.ties.of(MigrantId(id)).iter().find_map(|t| {
            if t.other == EXTERNAL {
                return None;
            }
            let o = &self.agents[t.other as usize];
            (self.can_host(o, city) && u32::from(o.guests) < max_guests).then_some(t.other)
        })
    }

    fn can_host(&self, o: &Migrant, city: u8) -> bool {
        o.status == Status::Present
            && o.city == city
            && matches!(o.housing, Housing::RentAlone | Housing::RentShared)
    }

    /// The landlord of a new flat may become a local tie, more readily where Russian is spoken.
    fn landlord_tie(&mut self, m: &Migrant, id: u32, t: u16) {
        if self.sc.ties.enabled {
            let russian = self.sc.cities[m.city as usize].russian_speaking_share as f32;
            if self.chance(self.sc.social.landlord_tie_prob as f32 * russian) {
                self.ties
                    .add_external(MigrantId(id), TieKind::Local, 120, t);
            }
        }
    }

    /// Whether help can flow along ties at all.
    fn aid_possible(&self) -> bool {
        self.sc.ties.enabled && self.sc.social.mutual_aid_enabled
    }

    /// Reciprocity: help is given freely (generalized, with probability `generalized_share`)
    /// or only to those who do not owe too much already (balanced).
    fn agrees_to_help(&mut self, m: &Migrant) -> bool {
        let s = &self.sc.social;
        self.chance(s.generalized_share as f32) || i64::from(m.owed) <= s.balanced_limit
    }

    /// Books a help event: the record of who owes whom, the ties' use, the day's count.
    fn helped(&mut self, m: &mut Migrant, helper: u32, id: u32, kind: Help, t: u16) {
        m.owed = m.owed.saturating_add(1);
        let h = &mut self.agents[helper as usize];
        h.owed = h.owed.saturating_sub(1);
        self.ties.touch(MigrantId(id), helper, t);
        self.ties.touch(MigrantId(helper), id, t);
        self.record.help[kind as usize] += 1;
    }

    fn move_house(&mut self, m: &mut Migrant, to: Housing, t: u16) {
        if m.host != NONE {
            let h = &mut self.agents[m.host as usize];
            h.guests = h.guests.saturating_sub(1);
            m.host = NONE;
        }
        m.housing = to;
        m.housing_since = t;
    }

    // ---- labour -----------------------------------------------------------------------

    fn labour(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let sc = self.sc;
        let lb = &sc.labour;
        if !lb.enabled {
            return;
        }
        let t = today.t;
        if m.has_remote_job() {
            let mut h = lb.remote_loss_prob_per_day as f32 * today.policy.remote_pressure;
            if m.has(flag::PRECARIOUS) {
                h *= lb.precarious_multiplier as f32;
            }
            if t.saturating_sub(m.arrival) as u32 > lb.tax_residency_days {
                h *= lb.tax_residency_multiplier as f32;
            }
            if self.chance(h) {
                m.remote_rub_day = 0.0;
                m.job_lost = t;
            }
        }
        if m.has_local_job() {
            if self.chance(lb.local_loss_prob_per_day as f32) {
                m.local_kzt_day = 0.0;
                m.job_lost = t;
                m.set(flag::JOB_VIA_TIE, false);
            } else if lb.referrals_enabled && self.aid_possible() {
                self.refer_a_job(m, id, t);
            }
            return;
        }
        let intensity = search_intensity(m);
        let p_formal = self.formal_job_rate(m) * intensity;
        // Locals (colleagues, hosts, landlords) refer jobs too; co-migrants with a job refer
        // them from their side (`refer_a_job`).
        let p_ref = if lb.referrals_enabled && self.aid_possible() {
            lb.referral_prob_per_tie as f32
                * f32::from(self.ties.counts(MigrantId(id))[TieKind::Local as usize])
                * intensity
        } else {
            0.0
        };
        let u = self.rng.random::<f32>();
        if u < p_formal + p_ref {
            self.take_local_job(m, id, u >= p_formal, t);
        }
    }

    /// Daily chance of finding a local job by formal search: demand for the profession in
    /// the city, and language.
    fn formal_job_rate(&self, m: &Migrant) -> f32 {
        let lb = &self.sc.labour;
        let city = &self.sc.cities[m.city as usize];
        let kazakh = if m.has(flag::KAZAKH) {
            lb.kazakh_bonus as f32
        } else {
            0.0
        };
        let lang = (city.russian_speaking_share as f32 + kazakh).min(1.0);
        lb.local_job_prob_per_day as f32
            * lb.profession_demand[m.profession as usize] as f32
            * city.labour_demand as f32
            * lang
    }

    /// A migrant with a local job passes an opening to a co-migrant tie in the same city who
    /// has none: at `referral_prob_per_tie` per tie and day. Pushed from the helper's side,
    /// so only a referral that happens reads another migrant's state.
    fn refer_a_job(&mut self, m: &Migrant, id: u32, t: u16) {
        let n = self.ties.counts(MigrantId(id))[TieKind::CoMigrant as usize];
        if n == 0 || !self.chance(self.sc.labour.referral_prob_per_tie as f32 * f32::from(n)) {
            return;
        }
        let k = self.rng.random_range(0..usize::from(n));
        let Some(other) = self
            .ties
            .of(MigrantId(id))
            .iter()
            .filter(|x| x.kind == TieKind::CoMigrant)
            .nth(k)
            .map(|x| x.other)
        else {
            return;
        };
        let mut o = self.agents[other as usize];
        if o.status == Status::Present
            && o.city == m.city
            && !o.has_local_job()
            && !o.has(flag::TRANSIT)
        {
            // The referred migrant takes it as eagerly as they search.
            if self.chance(search_intensity(&o)) {
                self.take_local_job(&mut o, other, true, t);
                self.agents[other as usize] = o;
                self.ties.touch(MigrantId(id), other, t);
                self.ties.touch(MigrantId(other), id, t);
            }
        }
    }

    fn take_local_job(&mut self, m: &mut Migrant, id: u32, via_tie: bool, t: u16) {
        let lb = &self.sc.labour;
        let city = &self.sc.cities[m.city as usize];
        let wage = city.wage_kzt_month as f32 * lb.profession_wage[m.profession as usize] as f32;
        m.local_kzt_day = wage / 30.0 * (0.8 + 0.4 * self.rng.random::<f32>());
        m.set(flag::JOB_VIA_TIE, via_tie);
        self.record.help[Help::Job as usize] += via_tie as u32;
        if self.sc.ties.enabled {
            // A colleague: a local tie.
            self.ties
                .add_external(MigrantId(id), TieKind::Local, 120, t);
        }
    }

    // ---- social -----------------------------------------------------------------------

    /// Tie decay and online meetings. Returns the migrant's tie counts by kind.
    fn social(&mut self, m: &mut Migrant, id: u32, today: &Today) -> [u8; 3] {
        let sc = self.sc;
        let ti = &sc.ties;
        if !ti.enabled {
            return [0; 3];
        }
        let t = today.t;
        let me = MigrantId(id);
        if (u32::from(t) + id).is_multiple_of(7) {
            let weekly = ti.decay_per_week as f32;
            let transnational = (ti.transnational_decay_per_month / 4.35) as f32;
            // A colleague or a host is seen every day: those local ties are in use.
            let local_in_use = m.has_local_job() || m.housing == Housing::LocalHost;
            let rng = &mut self.rng;
            self.ties.decay(me, |tie| {
                let p = match tie.kind {
                    TieKind::Transnational => transnational,
                    TieKind::Local if local_in_use => 0.0,
                    _ if t.saturating_sub(tie.last_used) < 30 => 0.0,
                    _ => weekly,
                };
                p == 0.0 || rng.random::<f32>() >= p
            });
        }
        self.online(m, id, today);
        if sc.social.money_help_enabled && self.aid_possible() && m.strain > 0.7 {
            self.ask_for_money(m, id, today);
        }
        self.ties.counts(me)
    }

    /// Online communities: joining open channels, invitations to closed chats through ties,
    /// and chats that turn into meetings (new co-migrant ties).
    fn online(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let on = &self.sc.online;
        if !on.enabled {
            return;
        }
        let t = today.t;
        if m.online & online::INFO_CHANNEL == 0 && self.chance(on.info_join_prob_per_day as f32) {
            m.online |= online::INFO_CHANNEL;
        }
        // Members invite co-migrant ties into their closed chat, at
        // `community_invite_prob_per_day` per tie and day; pushed from the member's side.
        if m.online & online::COMMUNITY != 0 {
            let n = self.ties.counts(MigrantId(id))[TieKind::CoMigrant as usize];
            if n > 0 && self.chance(on.community_invite_prob_per_day as f32 * f32::from(n)) {
                let k = self.rng.random_range(0..usize::from(n));
                let invited = self
                    .ties
                    .of(MigrantId(id))
                    .iter()
                    .filter(|x| x.kind == TieKind::CoMigrant)
                    .nth(k)
                    .map(|x| x.other);
                if let Some(other) = invited {
                    self.agents[other as usize].online |= online::COMMUNITY;
                }
            }
        }
        let mut p = self.sc.ties.chat_meeting_prob_per_day as f32;
        if m.online & online::COMMUNITY != 0 {
            p *= on.community_meeting_multiplier as f32;
        }
        if self.chance(p)
            && let Some(other) = self.random_present_in(m.city, id)
        {
            self.ties.link(MigrantId(id), MigrantId(other), 100, t);
        }
    }

    /// A strained migrant asks a co-migrant tie with money to spare for a loan; the helper
    /// pays it from their own tenge.
    fn ask_for_money(&mut self, m: &mut Migrant, id: u32, today: &Today) {
        let loan = self.sc.social.loan_kzt as f32;
        if !self.chance(self.sc.social.loan_prob_per_day as f32) {
            return;
        }
        let lender = self.ties.of(MigrantId(id)).iter().find_map(|tie| {
            if tie.other == EXTERNAL {
                return None;
            }
            let o = &self.agents[tie.other as usize];
            (o.status == Status::Present && o.kzt > 4.0 * loan).then_some(tie.other)
        });
        if let Some(lender) = lender
            && self.agrees_to_help(m)
        {
            self.agents[lender as usize].kzt -= loan;
            m.kzt += loan;
            self.helped(m, lender, id, Help::Money, today.t);
        }
    }

    // ---- wellbeing --------------------------------------------------------------------

    fn wellbeing(&mut self, m: &mut Migrant, f: &Factors) {
        let wb = &self.sc.wellbeing;
        if !wb.enabled {
            m.stress = 0.0;
            return;
        }
        // Online therapy reaches migrants through their ties in Russia (seed).
        let therapy = if m.has(flag::THERAPY) && self.sc.social.transnational_support_enabled {
            wb.therapy_effect as f32
        } else {
            0.0
        };
        let target = wb.money_weight as f32 * f.strain
            + wb.housing_weight as f32 * f.housing
            + wb.legal_weight as f32 * f.legal
            + wb.job_loss_weight as f32 * f.job_loss
            - wb.support_weight as f32 * f.support
            - therapy;
        m.stress += wb.adapt_rate as f32 * (target.clamp(0.0, 1.0) - m.stress);
        if f.support > 0.0 && m.stress > 0.4 {
            self.record.help[Help::Emotional as usize] += 1;
        }
    }

    /// What weighs on a migrant today, each on a 0..1 scale: read once, used by wellbeing,
    /// the decision and the reason code.
    fn factors(&self, m: &Migrant, today: &Today, ties: [u8; 3], forced: bool) -> Factors {
        let days_here = today.t.saturating_sub(m.arrival);
        let lb = &self.sc.labour;
        let tax = m.has_remote_job() && u32::from(days_here) > lb.tax_residency_days;
        Factors {
            strain: m.strain,
            legal: if forced {
                1.0
            } else {
                self.legal_pressure(m, today)
            },
            housing: m.housing.precarity(),
            job_loss: self.recent_job_loss(m, today),
            family: (tax as u8 as f32 * 0.7 + (ties[2] as f32 / 3.0).min(1.0) * 0.3).min(1.0),
            support: self.support(ties),
            local_ties: ((ties[0] + ties[1]) as f32 / 3.0).min(1.0),
            newcomer: self.newcomer[usize::from(days_here).min(self.newcomer.len() - 1)],
            afford: self.wealth(m, today.fx) >= self.cheapest_destination,
        }
    }

    /// Emotional support from ties, 0..1: co-migrants and locals (mutual aid) and ties at home.
    fn support(&self, ties: [u8; 3]) -> f32 {
        let s = &self.sc.social;
        let near = if s.mutual_aid_enabled && s.emotional_support_enabled {
            (ties[0] + ties[1]) as f32 / 4.0
        } else {
            0.0
        };
        let home = if s.transnational_support_enabled && s.emotional_support_enabled {
            ties[2] as f32 / 8.0
        } else {
            0.0
        };
        (near + home).min(1.0)
    }

    /// 1 when the legal stay ends soon with no way to extend it, or has ended.
    fn legal_pressure(&self, m: &Migrant, today: &Today) -> f32 {
        let lg = &self.sc.legal;
        if !lg.enabled {
            return 0.0;
        }
        match m.legal {
            Legal::Overstay => 1.0,
            Legal::RvpPending => 0.3,
            Legal::VisaFree => {
                let p = &today.policy;
                let soon = (m.legal_until.saturating_sub(today.t) as u32) < lg.rvp_urgency_days;
                if soon && (!p.border_runs_allowed || p.ban_announced) {
                    1.0
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    fn recent_job_loss(&self, m: &Migrant, today: &Today) -> f32 {
        let mem = self.sc.wellbeing.job_loss_memory_days;
        (m.job_lost != NO_DAY && (today.t.saturating_sub(m.job_lost) as u32) < mem) as u8 as f32
    }

    // ---- decisions --------------------------------------------------------------------

    /// Utilities of returning and of moving on, relative to staying (0).
    fn utilities(&self, m: &Migrant, f: &Factors) -> (f32, f32) {
        let d = &self.sc.decisions;
        let shared = d.stress as f32 * m.stress
            + d.legal as f32 * f.legal
            + d.housing as f32 * f.housing
            + d.job_loss as f32 * f.job_loss
            - d.ties as f32 * f.local_ties
            - d.local_job as f32 * m.has_local_job() as u8 as f32
            - d.integrated as f32 * m.has(flag::INTEGRATED) as u8 as f32
            + f.newcomer;
        let v_ret = d.return_constant as f32
            + shared
            + d.money as f32 * f.strain
            + d.family_pull as f32 * f.family
            - d.fear as f32 * self.world.fear as f32 * self.draft_age_weight(m);
        let v_move = d.move_constant as f32
            + shared
            + d.move_wealth as f32 * if f.afford { 1.0 } else { -3.0 }
            + d.english as f32 * m.has(flag::ENGLISH) as u8 as f32;
        (v_ret, v_move)
    }

    /// Fear of mobilization weighs fully on migrants of draft age, less on older ones.
    fn draft_age_weight(&self, m: &Migrant) -> f32 {
        let d = &self.sc.decisions;
        if f64::from(m.age) <= d.fear_age_max {
            1.0
        } else {
            d.fear_older_factor as f32
        }
    }

    fn decide(&mut self, m: &Migrant, f: &Factors) -> Option<(Status, Reason)> {
        if !self.sc.decisions.enabled {
            return None;
        }
        let (v_ret, v_move) = self.utilities(m, f);
        let (e_r, e_m) = (fast_exp(v_ret), fast_exp(v_move));
        let u = self.rng.random::<f32>() * (1.0 + e_r + e_m);
        let status = if u < e_r {
            Status::Returned
        } else if u < e_r + e_m {
            Status::MovedOn
        } else {
            return None;
        };
        Some((status, self.reason(m, f, status)))
    }

    /// The reason code: the largest push term of the chosen option's utility.
    fn reason(&self, m: &Migrant, f: &Factors, status: Status) -> Reason {
        let d = &self.sc.decisions;
        let returning = status == Status::Returned;
        let terms = [
            (
                Reason::Money,
                if returning {
                    d.money as f32 * f.strain
                } else {
                    0.0
                },
            ),
            (Reason::Legal, d.legal as f32 * f.legal),
            (Reason::JobLoss, d.job_loss as f32 * f.job_loss),
            (Reason::Stress, d.stress as f32 * m.stress),
            (Reason::Housing, d.housing as f32 * f.housing),
            (
                Reason::Family,
                if returning {
                    d.family_pull as f32 * f.family
                } else {
                    0.0
                },
            ),
        ];
        terms
            .iter()
            .fold((Reason::Stress, f32::MIN), |best, &(r, v)| {
                if v > best.1 { (r, v) } else { best }
            })
            .0
    }

    fn pick_destination(&mut self, wealth: f32, transit: bool) -> u8 {
        let dests = &self.sc.destinations;
        let weight = |i: usize| -> f32 {
            let x = &dests[i];
            let w = if transit { x.transit_weight } else { x.weight } as f32;
            if transit || wealth >= x.cost_kzt as f32 {
                w
            } else {
                0.0
            }
        };
        let total: f32 = (0..dests.len()).map(weight).sum();
        if total <= 0.0 {
            // Nothing affordable: the cheapest destination.
            return (0..dests.len())
                .min_by(|&a, &b| dests[a].cost_kzt.total_cmp(&dests[b].cost_kzt))
                .unwrap_or(0) as u8;
        }
        let mut u = self.rng.random::<f32>() * total;
        for i in 0..dests.len() {
            let w = weight(i);
            if u < w {
                return i as u8;
            }
            u -= w;
        }
        (dests.len() - 1) as u8
    }

    fn depart(
        &mut self,
        m: &mut Migrant,
        id: u32,
        status: Status,
        reason: Reason,
        dest: u8,
        t: u16,
    ) {
        if m.host != NONE {
            let h = &mut self.agents[m.host as usize];
            h.guests = h.guests.saturating_sub(1);
            m.host = NONE;
        }
        m.status = status;
        m.reason = reason as u8;
        m.departed = t;
        self.record.left[reason as usize] += 1;
        let city = m.city as usize;
        if m.housing == Housing::Shelter {
            self.world.cities[city].shelter_used -= 1;
        }
        if self.world.cities[city].flatmate_waiting == id {
            self.world.cities[city].flatmate_waiting = NONE;
        }
        match status {
            Status::MovedOn => {
                m.dest = dest;
                self.record.moved_on += 1;
                self.record.moved_to[dest as usize] += 1;
            }
            _ => self.record.returned += 1,
        }
    }

    // ---- integration and counting -----------------------------------------------------

    fn integration(&mut self, m: &mut Migrant, ties: [u8; 3]) {
        let ig = &self.sc.integration;
        let holds = m.legal.is_long_stay()
            && m.housing.is_stable()
            && (m.has_local_job() || m.has_remote_job())
            && u32::from(ties[1]) >= ig.min_local_ties;
        m.integ_days = if holds {
            m.integ_days.saturating_add(1)
        } else {
            0
        };
        m.set(
            flag::INTEGRATED,
            holds && u32::from(m.integ_days) >= ig.hold_days,
        );
    }

    fn count(&mut self, m: &Migrant, ties: [u8; 3], t: u16) {
        let r = &mut self.record;
        r.present += 1;
        r.integrated += m.has(flag::INTEGRATED) as u32;
        r.legal[m.legal as usize] += 1;
        r.housing[m.housing as usize] += 1;
        let emp = match (m.has_remote_job(), m.has_local_job()) {
            (true, false) => 0,
            (false, true) => 1,
            (true, true) => 2,
            (false, false) => 3,
        };
        r.employment[emp] += 1;
        for (sum, n) in r.ties.iter_mut().zip(ties) {
            *sum += u64::from(n);
        }
        r.housed_via_tie += (m.has(flag::HOUSED_VIA_TIE) && m.housing.is_stable()) as u32;
        r.local_job += m.has_local_job() as u32;
        r.online_info += (m.online & online::INFO_CHANNEL != 0) as u32;
        r.online_community += (m.online & online::COMMUNITY != 0) as u32;
        let via_tie = m.has_local_job() && m.has(flag::JOB_VIA_TIE);
        r.job_via_tie += via_tie as u32;
        if t.saturating_sub(m.arrival) >= LONG_STAYER_DAYS {
            r.present_150d += 1;
            r.long_stay_150d += m.legal.is_long_stay() as u32;
            r.job_via_tie_150d += via_tie as u32;
        }
    }

    #[inline]
    fn chance(&mut self, p: f32) -> bool {
        p > 0.0 && self.rng.random::<f32>() < p
    }
}

/// How eagerly a migrant looks for a local job: less while a remote job pays.
fn search_intensity(m: &Migrant) -> f32 {
    if m.has_remote_job() { 0.3 } else { 1.0 }
}

/// e^x to about 3e-4 relative error, for choice probabilities: 2^(x log2 e) with the
/// fraction by its degree-5 Taylor polynomial. Far cheaper than `expf` in the daily loop.
#[inline]
fn fast_exp(x: f32) -> f32 {
    let y = (x * std::f32::consts::LOG2_E).clamp(-126.0, 126.0);
    // floor without a libm call: truncate, then step down for negative fractions.
    let t = y as i32;
    let whole = if (t as f32) > y { t - 1 } else { t } as f32;
    let f = y - whole;
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_1 + f * (0.009_618_1 + f * 0.001_333_4))));
    p * f32::from_bits(((whole as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::fast_exp;

    #[test]
    fn fast_exp_is_close_to_exp() {
        let mut x = -30.0f32;
        while x < 10.0 {
            let rel = (fast_exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 3e-4, "x={x} rel={rel}");
            x += 0.013;
        }
    }
}
