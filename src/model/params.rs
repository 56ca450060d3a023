//! The validated scenario: the model's input, plain data. `crate::scenario` reads TOML into
//! it; the model never sees TOML. Each process owns its parameters (`legal::LegalParams`,
//! …); this file gathers them with the run's frame (dates, seed), the population, the
//! cities, the destinations and the dated policy events. Units are in the field names or
//! comments; `docs/MODEL.md` §9 lists every parameter with its unit, default and source.

pub use super::decision::DecisionParams;
pub use super::housing::HousingParams;
pub use super::integration::IntegrationParams;
pub use super::labour::LabourParams;
pub use super::legal::LegalParams;
pub use super::mobility::MobilityParams;
pub use super::money::MoneyParams;
pub use super::online::OnlineParams;
pub use super::rvp::RvpRoute;
pub use super::ties_help::{SocialParams, TiesParams};
pub use super::wellbeing::WellbeingParams;
use crate::calendar::Date;

/// Where a process reads its parameters from. The scenario reader
/// (`scenario::read::Reader`) implements it with located errors and unknown-key checks, so
/// each process decodes its own parameters (`LegalParams::read`, …) beside their use while
/// the model never sees TOML. Each method reports a missing or out-of-range value and
/// returns a placeholder; the caller sees every problem at once.
pub trait ParamReader: Sized {
    fn boolean(&self, key: &str) -> bool;
    /// Any finite number.
    fn real(&self, key: &str) -> f64;
    /// A number in `[min, max]`.
    fn num(&self, key: &str, min: f64, max: f64) -> f64;
    /// A number in `[0, 1]`.
    fn prob(&self, key: &str) -> f64;
    /// A number ≥ 0.
    fn nonneg(&self, key: &str) -> f64;
    /// An integer in `[min, max]`.
    fn int(&self, key: &str, min: i64, max: i64) -> i64;
    /// The sub-table `key`; its unknown keys are reported by `finish`.
    fn table(&self, key: &str) -> Self;
    fn finish(self);

    /// A sub-table of non-negative numbers, one per name (`labour.profession_demand`, …).
    fn per_name<const N: usize>(&self, key: &str, names: [&str; N]) -> [f64; N] {
        let t = self.table(key);
        let v = names.map(|n| t.nonneg(n));
        t.finish();
        v
    }
}

/// The most onward destinations a scenario may name. Fixed, so the daily record
/// (`observe::DayRecord`) is plain data that is copied, not allocated, every day.
pub const MAX_DESTINATIONS: usize = 32;

/// The most cities a scenario may name, for the same reason (the daily record counts
/// migrants by city).
pub const MAX_CITIES: usize = 16;

pub const PROFESSIONS: [&str; 5] = ["it", "engineering", "medical", "other_skilled", "unskilled"];
pub const RVP_ROUTES: [&str; 4] = ["employment", "own_company", "family_study", "intermediary"];
pub const MIR_MODES: [&str; 3] = ["open", "limited", "blocked"];

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub start: Date,
    pub end: Date,
    pub replicates: u32,
    pub arrivals: Arrivals,
    pub profile: Profile,
    pub cities: Vec<City>,
    pub destinations: Vec<Destination>,
    pub legal: LegalParams,
    pub money: MoneyParams,
    pub mobility: MobilityParams,
    pub housing: HousingParams,
    pub labour: LabourParams,
    pub ties: TiesParams,
    pub social: SocialParams,
    pub online: OnlineParams,
    pub wellbeing: WellbeingParams,
    pub decisions: DecisionParams,
    pub integration: IntegrationParams,
    pub policy: Policy,
    pub observation: Observation,
}

impl Scenario {
    /// Number of simulated days, start and end included.
    pub fn days(&self) -> u32 {
        self.start.days_until(self.end) as u32 + 1
    }

    /// Day number (0 = start) of a date inside the run.
    pub fn day_of(&self, d: Date) -> u32 {
        self.start.days_until(d).max(0) as u32
    }
}

#[derive(Clone, Debug)]
pub struct Arrivals {
    /// Persons one agent stands for (1 = full scale).
    pub persons_per_agent: u32,
    /// Cumulative arrivals (persons) on dates, in date order; linear in between.
    pub anchors: Vec<(Date, f64)>,
    pub transit_share: f64,
    pub transit_days_min: u32,
    pub transit_days_max: u32,
}

#[derive(Clone, Debug)]
pub struct Profile {
    pub age_mean: f64,
    pub age_sd: f64,
    pub profession_shares: [f64; 5],
    pub kazakh_share: f64,
    pub english_share: f64,
    pub savings_rub_median: f64,
    pub savings_sigma: f64,
    pub cash_share: f64,
    pub remote_job_share: f64,
    pub remote_precarious_share: f64,
    pub remote_salary_rub_median: f64,
    pub remote_salary_sigma: f64,
    pub family_support_share: f64,
    pub family_support_rub_month: f64,
    pub crypto_share: f64,
    pub therapy_share: f64,
    pub friends_in_kz_share: f64,
    /// Stress of every migrant on arrival, 0..1.
    pub initial_stress: f64,
}

#[derive(Clone, Debug)]
pub struct City {
    pub name: String,
    pub arrival_share: f64,
    pub russian_speaking_share: f64,
    pub rent_kzt_month: f64,
    /// Flats (persons' worth of rental places) open to newcomers at base rent.
    pub rental_stock: f64,
    pub hotel_kzt_day: f64,
    pub shelter_beds: f64,
    pub wage_kzt_month: f64,
    pub labour_demand: f64,
    /// Local positions open to migrants (persons) when `labour.finite_jobs` is on.
    pub local_jobs: f64,
}

#[derive(Clone, Debug)]
pub struct Destination {
    pub name: String,
    pub weight: f64,
    pub transit_weight: f64,
    pub cost_kzt: f64,
}

/// What is observed besides the daily counts.
#[derive(Clone, Debug)]
pub struct Observation {
    /// Panels, in date order: of the migrants present at the end of `date`, where they are
    /// `horizon_days` later (the way panel surveys measure departures).
    pub panels: Vec<Panel>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub name: String,
    pub date: Date,
    pub horizon_days: u32,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub border_run_ban: Option<BorderRunBan>,
    /// MIR cards (cash withdrawals in Kazakhstan), stage by stage.
    pub mir: Vec<ChannelStage>,
    /// Transfers from a Russian bank to a Kazakh card, stage by stage.
    pub transfers: Vec<ChannelStage>,
    pub rvp: [RvpRoute; 4],
    pub rvp_fingerprinting: Option<(Date, u32)>,
    pub vnzh_skilled: Option<VnzhSkilled>,
    pub notification_required_for_card: bool,
    pub service_centre: Option<(Date, f64)>,
    pub shelters: Vec<ShelterChange>,
    pub rent_shocks: Vec<RentShock>,
    pub fx_shocks: Vec<FxShock>,
    pub mobilization_waves: Vec<MobilizationWave>,
    pub remote_pressure: Vec<RemotePressure>,
}

#[derive(Clone, Debug)]
pub struct BorderRunBan {
    pub announced: Date,
    pub date: Date,
}

/// A dated stage of a ruble channel (`policy.mir.<name>`, `policy.transfers.<name>`): from
/// `date` until the next stage the channel is open, limited to a monthly cap, or blocked.
#[derive(Clone, Debug)]
pub struct ChannelStage {
    pub name: String,
    /// When the stage becomes known (agents may act on it before `date`).
    pub announced: Date,
    pub date: Date,
    /// Index into [`MIR_MODES`] (the modes are the same for every channel).
    pub mode: usize,
    pub cap_rub_month: f64,
    /// Share lost on an exchange through the channel; `None` keeps the channel's
    /// `[money]` fee.
    pub fee: Option<f64>,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct VnzhSkilled {
    pub date: Date,
    pub professions: Vec<usize>,
    pub prob_per_day: f64,
}

#[derive(Clone, Debug)]
pub struct ShelterChange {
    pub name: String,
    pub date: Date,
    pub city: usize,
    pub beds: f64,
}

#[derive(Clone, Debug)]
pub struct RentShock {
    pub name: String,
    pub date: Date,
    /// `None` = every city.
    pub city: Option<usize>,
    pub factor: f64,
}

#[derive(Clone, Debug)]
pub struct FxShock {
    pub name: String,
    pub date: Date,
    pub factor: f64,
}

#[derive(Clone, Debug)]
pub struct MobilizationWave {
    pub name: String,
    pub date: Date,
    pub days: u32,
    pub arrivals: f64,
    pub fear: f64,
}

#[derive(Clone, Debug)]
pub struct RemotePressure {
    pub name: String,
    pub date: Date,
    pub multiplier: f64,
}
