//! The validated scenario: plain data the engine reads. Units are in the field names or
//! comments; `docs/MODEL.md` lists every parameter with its default and source.

use crate::calendar::Date;

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
    pub legal: Legal,
    pub money: Money,
    pub housing: Housing,
    pub labour: Labour,
    pub ties: Ties,
    pub social: Social,
    pub online: Online,
    pub wellbeing: Wellbeing,
    pub decisions: Decisions,
    pub integration: Integration,
    pub policy: Policy,
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
}

#[derive(Clone, Debug)]
pub struct Destination {
    pub name: String,
    pub weight: f64,
    pub transit_weight: f64,
    pub cost_kzt: f64,
}

#[derive(Clone, Debug)]
pub struct Legal {
    pub enabled: bool,
    pub visa_free_days: u32,
    pub border_run_cost_kzt: f64,
    pub notification_days: f64,
    pub iin_prob_per_day: f64,
    pub bank_card_prob_per_day: f64,
    pub rvp_seek_prob_per_day: f64,
    pub rvp_anticipation: f64,
    pub rvp_urgency_days: u32,
    pub rvp_validity_days: u32,
    pub vnzh_after_rvp_days: u32,
    pub vnzh_prob_per_day: f64,
    pub overstay_deport_prob_per_day: f64,
}

#[derive(Clone, Debug)]
pub struct Money {
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
    /// Multiplies the money a migrant moves into tenge while a tighter MIR regime is announced.
    pub anticipation_multiplier: f64,
}

#[derive(Clone, Debug)]
pub struct Housing {
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
}

#[derive(Clone, Debug)]
pub struct Labour {
    pub enabled: bool,
    pub remote_loss_prob_per_day: f64,
    pub precarious_multiplier: f64,
    pub tax_residency_days: u32,
    pub tax_residency_multiplier: f64,
    pub local_job_prob_per_day: f64,
    pub profession_demand: [f64; 5],
    pub profession_wage: [f64; 5],
    pub kazakh_bonus: f64,
    pub local_loss_prob_per_day: f64,
    pub referrals_enabled: bool,
    pub referral_prob_per_tie: f64,
}

#[derive(Clone, Debug)]
pub struct Ties {
    pub enabled: bool,
    pub max_per_agent: u32,
    pub transnational_initial: u32,
    pub transnational_decay_per_month: f64,
    pub decay_per_week: f64,
    pub chat_meeting_prob_per_day: f64,
    pub bed_prob_per_day: f64,
}

#[derive(Clone, Debug)]
pub struct Social {
    pub mutual_aid_enabled: bool,
    pub information_enabled: bool,
    pub info_speedup: f64,
    pub info_fraud_factor: f64,
    pub money_help_enabled: bool,
    pub loan_kzt: f64,
    pub loan_prob_per_day: f64,
    pub emotional_support_enabled: bool,
    pub generalized_share: f64,
    pub balanced_limit: i64,
    pub max_guests: u32,
    pub queue_tie_prob: f64,
    pub landlord_tie_prob: f64,
    pub transnational_support_enabled: bool,
}

#[derive(Clone, Debug)]
pub struct Online {
    pub enabled: bool,
    pub info_join_prob_per_day: f64,
    pub community_initial_share: f64,
    pub community_invite_prob_per_day: f64,
    pub community_meeting_multiplier: f64,
}

#[derive(Clone, Debug)]
pub struct Wellbeing {
    pub enabled: bool,
    pub adapt_rate: f64,
    pub money_weight: f64,
    pub housing_weight: f64,
    pub legal_weight: f64,
    pub job_loss_weight: f64,
    pub job_loss_memory_days: u32,
    pub support_weight: f64,
    pub therapy_effect: f64,
}

#[derive(Clone, Debug)]
pub struct Decisions {
    pub enabled: bool,
    pub return_constant: f64,
    pub move_constant: f64,
    pub newcomer: f64,
    pub newcomer_days: f64,
    pub money: f64,
    pub stress: f64,
    pub legal: f64,
    pub housing: f64,
    pub family_pull: f64,
    pub job_loss: f64,
    pub ties: f64,
    pub local_job: f64,
    pub integrated: f64,
    pub fear: f64,
    pub fear_initial: f64,
    pub fear_half_life_days: f64,
    pub fear_age_max: f64,
    pub fear_older_factor: f64,
    pub move_wealth: f64,
    pub english: f64,
    pub overstay_constant: f64,
}

#[derive(Clone, Debug)]
pub struct Integration {
    pub hold_days: u32,
    pub min_local_ties: u32,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub border_run_ban: Option<BorderRunBan>,
    pub mir: Vec<MirStage>,
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

#[derive(Clone, Debug)]
pub struct MirStage {
    pub name: String,
    /// When the stage becomes known (agents may act on it before `date`).
    pub announced: Date,
    pub date: Date,
    /// Index into [`MIR_MODES`].
    pub mode: usize,
    pub cap_rub_month: f64,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct RvpRoute {
    pub open: bool,
    pub fee_kzt: f64,
    pub docs_days: f64,
    pub processing_days: f64,
    pub approval_prob: f64,
    pub fraud_prob: f64,
    pub eligible_share: f64,
    /// Approvals per 30 days (persons); 0 = no quota.
    pub quota_per_month: f64,
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
