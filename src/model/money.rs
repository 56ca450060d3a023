//! Money and channels (docs/MODEL.md §7.3): income, transfers from Russia through the open
//! channels (MIR, transfers to a Kazakh card, crypto, cash carried across the border),
//! daily costs, spending and money strain.

use super::agents::{Housing, Migrant, flag};
use super::params::ParamReader;
use super::step::{Sim, Today};

#[derive(Clone, Debug)]
pub struct MoneyParams {
    pub enabled: bool,
    /// Monthly average tenge per ruble, by month index (`Date::month_index`), in order.
    pub kzt_per_rub: Vec<(i32, f64)>,
    pub living_kzt_day: f64,
    pub runway_days: f64,
    pub mir_fee: f64,
    pub kz_card_enabled: bool,
    pub kz_card_fee: f64,
    pub crypto_enabled: bool,
    pub crypto_fee: f64,
    pub family_transfers_enabled: bool,
    /// Cash carried across the border (on arrival, a border run, a re-entry).
    pub cash_enabled: bool,
    /// The most rubles' worth of cash a migrant carries on one crossing. (RUB)
    pub cash_cap_rub_trip: f64,
    /// Share lost changing carried cash into tenge.
    pub cash_fee: f64,
    /// Multiplies the money a migrant moves into tenge while a tighter MIR regime is announced.
    pub anticipation_multiplier: f64,
    /// Rubles are moved into tenge when the tenge in hand falls below this share of the target (runway, or the anticipation target). (share)
    pub topup_threshold: f64,
    /// A payment larger than the tenge in hand is covered from rubles, up to this many days of a capped channel's daily limit. (days)
    pub gap_cover_days: f64,
}

impl MoneyParams {
    /// Reads the `[money]` table of a scenario (docs/MODEL.md §9), all but the exchange-rate
    /// series (input data the scenario reader checks against the run's dates).
    pub fn read(r: &impl ParamReader) -> MoneyParams {
        MoneyParams {
            kzt_per_rub: Vec::new(),
            enabled: r.boolean("enabled"),
            living_kzt_day: r.nonneg("living_kzt_day"),
            runway_days: r.num("runway_days", 1.0, 3650.0),
            mir_fee: r.prob("mir_fee"),
            kz_card_enabled: r.boolean("kz_card_enabled"),
            kz_card_fee: r.prob("kz_card_fee"),
            crypto_enabled: r.boolean("crypto_enabled"),
            crypto_fee: r.prob("crypto_fee"),
            family_transfers_enabled: r.boolean("family_transfers_enabled"),
            cash_enabled: r.boolean("cash_enabled"),
            cash_cap_rub_trip: r.nonneg("cash_cap_rub_trip"),
            cash_fee: r.prob("cash_fee"),
            anticipation_multiplier: r.num("anticipation_multiplier", 1.0, 100.0),
            topup_threshold: r.prob("topup_threshold"),
            gap_cover_days: r.num("gap_cover_days", 1.0, 365.0),
        }
    }
}

/// Where a migrant's rubles turn into tenge (`channel_<name>` columns of `daily.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RubleChannel {
    Mir,
    KzCard,
    Crypto,
    /// No channel open from day to day, but the migrant may still cross the border and
    /// come back with cash (border runs allowed).
    Cash,
    Blocked,
    None,
}

impl RubleChannel {
    pub const COUNT: usize = 6;
    pub const NAMES: [&'static str; 6] = ["mir", "kz_card", "crypto", "cash", "blocked", "none"];
}

/// The day-to-day channels with today's terms, cheapest first (`Today::channels`):
/// (channel, RUB per day, fee). Which of them a migrant may use is decided per migrant.
pub(super) type ChannelTerms = [(RubleChannel, f32, f32); 3];

/// Today's terms of the day-to-day channels, cheapest first (a stable order on ties: MIR,
/// Kazakh card, crypto). Computed once a day.
pub(super) fn channel_terms(sc: &super::params::Scenario, policy: &super::world::PolicyState) -> ChannelTerms {
    let mo = &sc.money;
    let mut terms = [
        (RubleChannel::Mir, policy.mir.rub_per_day(), policy.mir.fee),
        (RubleChannel::KzCard, policy.transfers.rub_per_day(), policy.transfers.fee),
        (RubleChannel::Crypto, f32::INFINITY, mo.crypto_fee as f32),
    ];
    terms.sort_by(|a, b| a.2.total_cmp(&b.2));
    terms
}

impl Sim<'_> {
    /// Income, transfers through the open channels, costs. Returns today's cost in KZT.
    pub(super) fn money(&mut self, m: &mut Migrant, today: &Today) -> f32 {
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
        let target = if today.policy.channel_tightening_ahead() {
            sc.money.anticipation_multiplier as f32 * runway
        } else {
            runway
        };
        if m.kzt < sc.money.topup_threshold as f32 * target && m.rub > 0.0 {
            let mut want_kzt = target - m.kzt;
            for (_, cap_rub, fee) in self.channels(m, today) {
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
            .map(|(_, cap, _)| cap * sc.money.runway_days as f32)
            .sum::<f32>()
            .min(m.rub.max(0.0));
        let reachable = m.kzt + reachable_rub * today.fx;
        m.strain = (1.0 - reachable / runway).clamp(0.0, 1.0);
        cost
    }

    /// Open channels from rubles to tenge for this migrant: (channel, RUB per day, fee), in
    /// the order they are tried (cheapest first). MIR needs nothing (everyone is assumed to
    /// hold a MIR card), transfers need a Kazakh card, crypto the CRYPTO flag.
    pub(super) fn channels(
        &self,
        m: &Migrant,
        today: &Today,
    ) -> impl Iterator<Item = (RubleChannel, f32, f32)> + use<> {
        let mo = &self.sc.money;
        let usable = [
            true,
            mo.kz_card_enabled && m.has(flag::BANK_CARD),
            mo.crypto_enabled && m.has(flag::CRYPTO),
        ];
        today.channels.into_iter().filter(move |c| {
            let i = match c.0 {
                RubleChannel::Mir => 0,
                RubleChannel::KzCard => 1,
                _ => 2,
            };
            usable[i] && c.1 > 0.0
        })
    }

    /// Carrying cash across the border (arrival aside, which `population::draw` handles): on
    /// a border run or a re-entry a migrant short of tenge brings rubles' worth of cash, up
    /// to `money.cash_cap_rub_trip`, and changes it at `money.cash_fee` (§7.3).
    pub(super) fn bring_cash(&self, m: &mut Migrant, fx: f32) {
        let mo = &self.sc.money;
        if !mo.enabled || !mo.cash_enabled || m.rub <= 0.0 {
            return;
        }
        let target = mo.runway_days as f32 * self.daily_cost(m).max(1.0);
        if m.kzt >= target {
            return;
        }
        let fee = mo.cash_fee as f32;
        let rub = ((target - m.kzt) / (fx * (1.0 - fee)))
            .min(mo.cash_cap_rub_trip as f32)
            .min(m.rub);
        m.rub -= rub;
        m.kzt += rub * fx * (1.0 - fee);
    }

    /// What the migrant's rubles depend on today (observed, §4.11): the first open channel,
    /// `Blocked` if it has rubles (savings, a ruble salary or transfers from home) and no
    /// channel is open, `None` if it has no rubles to move.
    pub(super) fn ruble_channel(&self, m: &Migrant, today: &Today) -> RubleChannel {
        let mo = &self.sc.money;
        let transfers = mo.family_transfers_enabled
            && self.sc.social.transnational_support_enabled
            && m.family_rub_day > 0.0;
        if !mo.enabled || (m.rub <= 0.0 && m.remote_rub_day <= 0.0 && !transfers) {
            return RubleChannel::None;
        }
        let can_cross = mo.cash_enabled && today.policy.border_runs_allowed;
        match self.channels(m, today).next() {
            Some(c) => c.0,
            None if can_cross => RubleChannel::Cash,
            None => RubleChannel::Blocked,
        }
    }

    pub(super) fn daily_cost(&self, m: &Migrant) -> f32 {
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
        // Guests taken in through ties eat at their host's expense (§7.6.2).
        let guests = f32::from(m.guests) * sc.social.guest_cost_kzt_day as f32;
        living + housing + guests
    }

    /// Money a migrant can reach now, in KZT (tenge plus rubles at today's rate); without
    /// the money mechanism, money never limits anyone.
    pub(super) fn wealth(&self, m: &Migrant, fx: f32) -> f32 {
        if self.sc.money.enabled {
            m.kzt + m.rub.max(0.0) * fx
        } else {
            f32::INFINITY
        }
    }

    pub(super) fn spend(&mut self, m: &mut Migrant, kzt: f32, today: &Today) {
        if !self.sc.money.enabled {
            return;
        }
        m.kzt -= kzt;
        if m.kzt < 0.0 {
            // Cover the gap from rubles through whatever channel is open.
            for (_, cap, fee) in self.channels(m, today) {
                let rub = (-m.kzt / (today.fx * (1.0 - fee)))
                    .min(m.rub)
                    .min(cap * self.sc.money.gap_cover_days as f32);
                m.rub -= rub;
                m.kzt += rub * today.fx * (1.0 - fee);
                if m.kzt >= 0.0 {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agents::flag;
    use super::super::testkit::{days, migrant, scenario, today, with, world};

    /// A day's cost of the test migrant (renting alone in city 0 at base rent), from the
    /// scenario rather than from `daily_cost`, and the runway it wants in reach.
    fn cost_and_runway(sc: &super::super::params::Scenario) -> (f32, f32) {
        let c = sc.money.living_kzt_day as f32 + sc.cities[0].rent_kzt_month as f32 / 30.0;
        (c, sc.money.runway_days as f32 * c)
    }

    #[test]
    fn money_strain_rises_as_the_money_a_migrant_can_reach_runs_out() {
        let sc = scenario(&[]);
        let (c, runway) = cost_and_runway(&sc);
        // Tenge after today's cost: a full runway, half of it, a quarter, nothing.
        let strain = |left: f32| {
            let mut m = migrant();
            (m.kzt, m.rub) = (left + c, 0.0);
            let mut sim = world(&sc, vec![m], 1);
            let day = today(&mut sim, days::EARLY);
            let cost = with(&mut sim, 0, |s, m| s.money(m, &day));
            assert!((cost - c).abs() < 1e-2, "cost {cost} vs {c}");
            sim.agents[0].strain
        };
        let got = [runway, runway / 2.0, runway / 4.0, 0.0].map(strain);
        for (s, want) in got.iter().zip([0.0, 0.5, 0.75, 1.0]) {
            assert!((s - want).abs() < 1e-4, "strain {got:?}");
        }
        assert_eq!(strain(-runway), 1.0, "strain is clamped at 1");
    }

    #[test]
    fn a_payment_beyond_the_tenge_in_hand_is_covered_from_rubles_through_a_bank_card() {
        // MIR is blocked early on: only the Kazakh card is open, at its fee.
        let sc = scenario(&[]);
        let pay = |flags: u16| {
            let mut m = migrant();
            (m.kzt, m.rub, m.flags) = (10_000.0, 200_000.0, flags);
            let mut sim = world(&sc, vec![m], 1);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.spend(m, 40_000.0, &day));
            (sim.agents[0], day.fx)
        };
        let (card, fx) = pay(flag::BANK_CARD);
        assert!(card.kzt.abs() < 0.5, "the gap is closed: {}", card.kzt);
        let rub = 30_000.0 / (fx * (1.0 - sc.money.kz_card_fee as f32));
        assert!(
            (card.rub - (200_000.0 - rub)).abs() < 0.5,
            "rubles left {}",
            card.rub
        );
        let (none, _) = pay(0);
        assert_eq!(none.kzt, -30_000.0, "no open channel: a debt");
        assert_eq!(none.rub, 200_000.0);
    }

    #[test]
    fn with_mir_blocked_and_no_card_or_crypto_the_rubles_stay_out_of_reach() {
        // Transfers without a cap, so one top-up can fill the runway.
        let sc = scenario(&["policy.transfers.cbr_limit.mode=open"]);
        let (c, runway) = cost_and_runway(&sc);
        let day_of = |flags: u16| {
            let mut m = migrant();
            // A quarter of a runway in tenge after today's cost, plenty in rubles.
            (m.kzt, m.rub, m.flags) = (runway / 4.0 + c, 1_000_000.0, flags);
            let mut sim = world(&sc, vec![m], 1);
            let day = today(&mut sim, days::EARLY);
            with(&mut sim, 0, |s, m| s.money(m, &day));
            sim.agents[0]
        };
        let stuck = day_of(0);
        assert!(
            (stuck.strain - 0.75).abs() < 1e-4,
            "strain {}",
            stuck.strain
        );
        assert_eq!(stuck.rub, 1_000_000.0, "nothing was exchanged");
        for open in [flag::BANK_CARD, flag::CRYPTO] {
            let m = day_of(open);
            assert_eq!(m.strain, 0.0, "flags {open}: the rubles are in reach");
            assert!(m.rub < 1_000_000.0, "flags {open}: tenge topped up");
            assert!(m.kzt > runway * 0.99, "flags {open}: kzt {}", m.kzt);
        }
    }

    #[test]
    fn a_transfer_stage_caps_and_prices_what_reaches_a_kazakh_card() {
        // MIR is blocked early on; only the card is open, limited to 30 000 RUB a month
        // (1 000 a day) at a 10% fee by the stage in force.
        let sc = scenario(&[
            "policy.transfers.cbr_limit.cap_rub_month=30000",
            "policy.transfers.cbr_limit.fee=0.1",
        ]);
        let mut m = migrant();
        (m.kzt, m.rub, m.flags) = (0.0, 1_000_000.0, flag::BANK_CARD);
        let mut sim = world(&sc, vec![m], 1);
        let day = today(&mut sim, days::EARLY);
        let cost = with(&mut sim, 0, |s, m| s.money(m, &day));
        let m = sim.agents[0];
        assert!((m.rub - 999_000.0).abs() < 0.5, "one day's cap: {}", m.rub);
        let got = 1_000.0 * day.fx * 0.9;
        assert!((m.kzt - (got - cost)).abs() < 0.5, "kzt {}", m.kzt);
        // Strain counts what the capped channel brings within a runway's days.
        let runway = sc.money.runway_days as f32 * cost;
        let reach = m.kzt + 1_000.0 * sc.money.runway_days as f32 * day.fx;
        assert!((m.strain - (1.0 - reach / runway)).abs() < 1e-4, "strain {}", m.strain);

        // A blocked transfer stage closes the card: nothing moves.
        let sc = scenario(&["policy.transfers.cbr_limit.mode=blocked"]);
        let mut sim = world(&sc, vec![m], 1);
        let day = today(&mut sim, days::EARLY);
        with(&mut sim, 0, |s, m| s.money(m, &day));
        assert_eq!(sim.agents[0].rub, m.rub, "no channel open");
    }

    #[test]
    fn cash_carried_across_the_border_tops_tenge_up_to_the_cap_at_its_fee() {
        let sc = scenario(&["money.cash_cap_rub_trip=50000"]);
        let (_, runway) = cost_and_runway(&sc);
        let mut m = migrant();
        (m.kzt, m.rub) = (0.0, 1_000_000.0);
        let sim = world(&sc, vec![m], 1);
        let fx = 7.0;
        let mut carried = m;
        sim.bring_cash(&mut carried, fx);
        assert_eq!(carried.rub, 950_000.0, "the cap binds");
        let fee = sc.money.cash_fee as f32;
        assert!((carried.kzt - 50_000.0 * fx * (1.0 - fee)).abs() < 0.5);

        // Enough for the runway: only what is missing is carried.
        let mut rich = m;
        rich.kzt = runway - 1_000.0;
        sim.bring_cash(&mut rich, fx);
        assert!((rich.kzt - runway).abs() < 0.5, "kzt {}", rich.kzt);

        let off = scenario(&["money.cash_enabled=false"]);
        let sim = world(&off, vec![m], 1);
        let mut none = m;
        sim.bring_cash(&mut none, fx);
        assert_eq!((none.kzt, none.rub), (m.kzt, m.rub), "no cash channel");
    }
}
