//! The world an agent lives in on a given day: the calendar, the exchange rate, the policy
//! state and the cities' markets (ODD "Entities": City, World, Policy).
//!
//! Policies are data: the scenario's dated events are compiled once into a timeline of
//! changes, applied at the start of each day. Agent code reads `PolicyState` and never
//! looks at dates.

use super::params::Scenario;
use crate::calendar::Date;

/// What a dated event changes.
#[derive(Clone, Debug)]
enum Change {
    BanAnnounced,
    BanEffective,
    Channel { channel: Channel, stage: StageTerms },
    ChannelAnnounced { channel: Channel, stage: StageTerms },
    Fingerprinting(u32),
    VnzhSkilled,
    ServiceCentre(f64),
    ShelterBeds { city: usize, beds: f64 },
    Rent { city: Option<usize>, factor: f64 },
    Fx(f64),
    Wave(f64),
    RemotePressure(f64),
}

/// The ruble channels whose terms change by dated stages (`policy.mir`, `policy.transfers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Mir,
    Transfers,
}

/// What a channel stage sets: mode (index into `MIR_MODES`), monthly cap, fee.
#[derive(Clone, Copy, Debug)]
struct StageTerms {
    mode: usize,
    cap_rub_month: f64,
    fee: f64,
}

/// A staged channel's terms on one day (docs/MODEL.md §7.3).
#[derive(Clone, Copy, Debug)]
pub struct ChannelState {
    /// Index into `MIR_MODES`: open, limited, blocked.
    pub mode: usize,
    /// RUB per day the channel yields when limited.
    pub cap_rub_day: f32,
    /// Share lost on an exchange.
    pub fee: f32,
    /// A tighter stage is announced and not yet in force: migrants move money early.
    pub tightening_ahead: bool,
}

impl ChannelState {
    fn open(fee: f64) -> ChannelState {
        ChannelState {
            mode: 0,
            cap_rub_day: 0.0,
            fee: fee as f32,
            tightening_ahead: false,
        }
    }

    /// RUB per day the channel yields today (infinite when open, 0 when blocked).
    pub fn rub_per_day(&self) -> f32 {
        match self.mode {
            0 => f32::INFINITY,
            1 => self.cap_rub_day,
            _ => 0.0,
        }
    }
}

/// The policy in force on one day.
#[derive(Clone, Debug)]
pub struct PolicyState {
    pub ban_announced: bool,
    pub border_runs_allowed: bool,
    /// Withdrawals from a MIR card in Kazakhstan.
    pub mir: ChannelState,
    /// Transfers from a Russian bank to a Kazakh card.
    pub transfers: ChannelState,
    pub rvp_extra_days: u32,
    pub vnzh_skilled_open: bool,
    /// Multiplies bureaucratic waiting times (a service centre lowers it).
    pub bureaucracy_factor: f32,
    pub remote_pressure: f32,
    pub fx_factor: f64,
}

impl PolicyState {
    fn channel_mut(&mut self, channel: Channel) -> &mut ChannelState {
        match channel {
            Channel::Mir => &mut self.mir,
            Channel::Transfers => &mut self.transfers,
        }
    }

    /// A staged channel is about to tighten: migrants move money into tenge while they can.
    pub fn channel_tightening_ahead(&self) -> bool {
        self.mir.tightening_ahead || self.transfers.tightening_ahead
    }
}

/// A city's market state, updated daily.
#[derive(Clone, Debug)]
pub struct CityState {
    pub rent_base_kzt_month: f64,
    pub rent_multiplier: f32,
    pub hotel_multiplier: f32,
    /// Agents' worth of shelter beds.
    pub shelter_capacity: u32,
    pub shelter_used: u32,
    /// Yesterday's agents in the rental market (renting or searching).
    pub market: u32,
    /// A migrant waiting for a flatmate (`u32::MAX` = none).
    pub flatmate_waiting: u32,
    pub shelter_last: u32,
    /// Local positions open to migrants by profession, in agents (fractional at coarse
    /// scales); infinite when `labour.finite_jobs` is off.
    pub jobs_capacity: [f32; 5],
    /// Agents holding a local job in this city, by profession.
    pub jobs_filled: [u32; 5],
}

impl CityState {
    /// The share of the city's local positions for `profession` still open, 0..1: scales
    /// every way of finding a local job (finite demand, docs/MODEL.md §7.5).
    pub fn vacancy(&self, profession: u8) -> f32 {
        let (capacity, filled) = (
            self.jobs_capacity[profession as usize],
            self.jobs_filled[profession as usize],
        );
        if capacity.is_infinite() {
            1.0
        } else if capacity <= 0.0 {
            0.0
        } else {
            (1.0 - filled as f32 / capacity).max(0.0)
        }
    }
}

pub struct World {
    pub day: u32,
    pub date: Date,
    pub policy: PolicyState,
    pub cities: Vec<CityState>,
    pub kzt_per_rub: f64,
    pub fear: f64,
    timeline: Vec<(u32, Change)>,
    next_change: usize,
    waves: Vec<(u32, f64)>,
    persons_per_agent: f64,
}

impl World {
    pub fn new(sc: &Scenario) -> World {
        let p = &sc.policy;
        let ppa = f64::from(sc.arrivals.persons_per_agent);
        let mut timeline: Vec<(u32, Change)> = Vec::new();
        let mut at = |d: Date, c: Change| timeline.push((sc.day_of(d), c));
        if let Some(b) = &p.border_run_ban {
            at(b.announced, Change::BanAnnounced);
            at(b.date, Change::BanEffective);
        }
        let staged = [
            (Channel::Mir, &p.mir, sc.money.mir_fee),
            (Channel::Transfers, &p.transfers, sc.money.kz_card_fee),
        ];
        for (channel, stages, default_fee) in staged {
            for m in stages {
                let stage = StageTerms {
                    mode: m.mode,
                    cap_rub_month: m.cap_rub_month,
                    fee: m.fee.unwrap_or(default_fee),
                };
                if m.announced < m.date {
                    at(m.announced, Change::ChannelAnnounced { channel, stage });
                }
                at(m.date, Change::Channel { channel, stage });
            }
        }
        if let Some((d, extra)) = p.rvp_fingerprinting {
            at(d, Change::Fingerprinting(extra));
        }
        if let Some(v) = &p.vnzh_skilled {
            at(v.date, Change::VnzhSkilled);
        }
        if let Some((d, f)) = p.service_centre {
            at(d, Change::ServiceCentre(f));
        }
        for s in &p.shelters {
            at(
                s.date,
                Change::ShelterBeds {
                    city: s.city,
                    beds: s.beds,
                },
            );
        }
        for r in &p.rent_shocks {
            at(
                r.date,
                Change::Rent {
                    city: r.city,
                    factor: r.factor,
                },
            );
        }
        for f in &p.fx_shocks {
            at(f.date, Change::Fx(f.factor));
        }
        for w in &p.mobilization_waves {
            at(w.date, Change::Wave(w.fear));
        }
        for r in &p.remote_pressure {
            at(r.date, Change::RemotePressure(r.multiplier));
        }
        // Stable sort: same-day changes keep the order above, which is deterministic.
        timeline.sort_by_key(|(d, _)| *d);

        // Each city's positions split by profession (`labour.profession_jobs`, as shares).
        let total: f64 = sc.labour.profession_jobs.iter().sum();
        let jobs_weights = sc
            .labour
            .profession_jobs
            .map(|w| if total > 0.0 { w / total } else { 0.0 });
        let cities = sc
            .cities
            .iter()
            .map(|c| CityState {
                rent_base_kzt_month: c.rent_kzt_month,
                rent_multiplier: 1.0,
                hotel_multiplier: 1.0,
                shelter_capacity: if sc.housing.shelters_enabled {
                    (c.shelter_beds / ppa).round() as u32
                } else {
                    0
                },
                shelter_used: 0,
                market: 0,
                flatmate_waiting: u32::MAX,
                shelter_last: u32::MAX,
                jobs_capacity: jobs_weights.map(|w| {
                    if sc.labour.finite_jobs {
                        (c.local_jobs * w / ppa) as f32
                    } else {
                        f32::INFINITY
                    }
                }),
                jobs_filled: [0; 5],
            })
            .collect();
        World {
            day: 0,
            date: sc.start,
            policy: PolicyState {
                ban_announced: false,
                border_runs_allowed: true,
                mir: ChannelState::open(sc.money.mir_fee),
                transfers: ChannelState::open(sc.money.kz_card_fee),
                rvp_extra_days: 0,
                vnzh_skilled_open: false,
                bureaucracy_factor: 1.0,
                remote_pressure: 1.0,
                fx_factor: 1.0,
            },
            cities,
            kzt_per_rub: 0.0,
            fear: 0.0,
            timeline,
            next_change: 0,
            waves: Vec::new(),
            persons_per_agent: ppa,
        }
    }

    /// Moves the world to `day`: applies the day's policy changes, the exchange rate, fear
    /// of mobilization and the cities' prices from yesterday's demand.
    pub fn begin_day(&mut self, sc: &Scenario, day: u32) {
        self.day = day;
        self.date = sc.start.add_days(i64::from(day));
        while let Some((d, change)) = self.timeline.get(self.next_change) {
            if *d > day {
                break;
            }
            let change = change.clone();
            self.apply(sc, change);
            self.next_change += 1;
        }
        self.kzt_per_rub = fx_on(&sc.money.kzt_per_rub, self.date) * self.policy.fx_factor;
        let d = &sc.decisions;
        let decay = |since: u32| 0.5f64.powf(f64::from(day - since) / d.fear_half_life_days);
        self.fear =
            d.fear_initial * decay(0) + self.waves.iter().map(|&(w, f)| f * decay(w)).sum::<f64>();
        let h = &sc.housing;
        for (c, city) in self.cities.iter_mut().zip(&sc.cities) {
            let pressure = if city.rental_stock > 0.0 {
                f64::from(c.market) * self.persons_per_agent / city.rental_stock
            } else {
                1.0
            };
            let cap = h.rent_multiplier_max;
            c.rent_multiplier = (1.0 + h.rent_elasticity * pressure).min(cap) as f32;
            c.hotel_multiplier = (1.0 + h.hotel_elasticity * pressure).min(cap) as f32;
        }
    }

    fn apply(&mut self, sc: &Scenario, change: Change) {
        let p = &mut self.policy;
        match change {
            Change::BanAnnounced => p.ban_announced = true,
            Change::BanEffective => {
                p.ban_announced = true;
                p.border_runs_allowed = false;
            }
            Change::Channel { channel, stage } => {
                *p.channel_mut(channel) = ChannelState {
                    mode: stage.mode,
                    cap_rub_day: (stage.cap_rub_month / 30.0) as f32,
                    fee: stage.fee as f32,
                    tightening_ahead: false,
                };
            }
            Change::ChannelAnnounced { channel, stage } => {
                // Tighter: a harder mode, or a lower cap in the limited mode.
                let c = p.channel_mut(channel);
                let cap = (stage.cap_rub_month / 30.0) as f32;
                c.tightening_ahead =
                    stage.mode > c.mode || (stage.mode == c.mode && c.mode == 1 && cap < c.cap_rub_day);
            }
            Change::Fingerprinting(extra) => p.rvp_extra_days = extra,
            Change::VnzhSkilled => p.vnzh_skilled_open = true,
            Change::ServiceCentre(f) => p.bureaucracy_factor = f as f32,
            Change::ShelterBeds { city, beds } => {
                if sc.housing.shelters_enabled {
                    self.cities[city].shelter_capacity =
                        (beds / self.persons_per_agent).round() as u32;
                }
            }
            Change::Rent { city, factor } => {
                for (i, c) in self.cities.iter_mut().enumerate() {
                    if city.is_none_or(|x| x == i) {
                        c.rent_base_kzt_month *= factor;
                    }
                }
            }
            Change::Fx(f) => p.fx_factor *= f,
            Change::Wave(fear) => self.waves.push((self.day, fear)),
            Change::RemotePressure(m) => p.remote_pressure = m as f32,
        }
    }
}

/// Tenge per ruble on a date: the month's value, or the nearest month at either end.
pub fn fx_on(series: &[(i32, f64)], date: Date) -> f64 {
    let m = date.month_index();
    match series.binary_search_by_key(&m, |s| s.0) {
        Ok(i) => series[i].1,
        Err(0) => series.first().map_or(1.0, |s| s.1),
        Err(i) => series[i - 1].1,
    }
}
