//! The migrant: the model's one kind of agent (ODD "Entities, state variables").
//!
//! State is a plain `Copy` struct of small fields, one cache line per migrant, held in one
//! array indexed by `MigrantId`. Ties live apart in `ties::TieStore`.

/// Index of a migrant in the population arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MigrantId(pub u32);

/// Where a migrant is in the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    NotArrived,
    Present,
    MovedOn,
    Returned,
}

/// Legal status while in Kazakhstan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Legal {
    VisaFree,
    RvpPending,
    Rvp,
    Vnzh,
    Overstay,
}

impl Legal {
    pub const ALL: [Legal; 5] = [
        Legal::VisaFree,
        Legal::RvpPending,
        Legal::Rvp,
        Legal::Vnzh,
        Legal::Overstay,
    ];
    pub const NAMES: [&'static str; 5] = ["visa_free", "rvp_pending", "rvp", "vnzh", "overstay"];

    pub fn is_long_stay(self) -> bool {
        matches!(self, Legal::Rvp | Legal::Vnzh)
    }
}

/// Housing tactic (seed: four tactics plus hotels and none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Housing {
    Hotel,
    RentAlone,
    RentShared,
    Friends,
    LocalHost,
    Shelter,
    None,
}

impl Housing {
    pub const NAMES: [&'static str; 7] = [
        "hotel",
        "rent_alone",
        "rent_shared",
        "friends",
        "local_host",
        "shelter",
        "none",
    ];

    /// Housing a migrant is still looking to replace.
    pub fn is_searching(self) -> bool {
        matches!(self, Housing::Hotel | Housing::None | Housing::Shelter)
    }

    pub fn is_stable(self) -> bool {
        matches!(
            self,
            Housing::RentAlone | Housing::RentShared | Housing::Friends | Housing::LocalHost
        )
    }
}

/// Why a migrant left: the largest term of the chosen option's utility, or the event that
/// forced the departure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Reason {
    Transit,
    Money,
    Legal,
    JobLoss,
    Stress,
    Housing,
    Family,
    Deported,
}

impl Reason {
    pub const NAMES: [&'static str; 8] = [
        "transit", "money", "legal", "job_loss", "stress", "housing", "family", "deported",
    ];
}

/// Bit flags of facts that are either true or false for a migrant.
pub mod flag {
    pub const TRANSIT: u16 = 1 << 0;
    pub const NOTIFIED: u16 = 1 << 1;
    pub const IIN: u16 = 1 << 2;
    pub const BANK_CARD: u16 = 1 << 3;
    pub const CRYPTO: u16 = 1 << 4;
    pub const THERAPY: u16 = 1 << 5;
    pub const PRECARIOUS: u16 = 1 << 6;
    pub const KAZAKH: u16 = 1 << 7;
    pub const FAMILY_GROUND: u16 = 1 << 8;
    pub const JOB_VIA_TIE: u16 = 1 << 9;
    pub const HOUSED_VIA_TIE: u16 = 1 << 10;
    pub const INTEGRATED: u16 = 1 << 11;
    /// Caught overstaying and fined once: the next catch deports (a repeated offence).
    pub const FINED: u16 = 1 << 12;
    /// The pending RVP application is bound to be refused: a fraudulent package from an
    /// intermediary, or documents built on wrong advice from a chat (§7.2.6).
    pub const BAD_PACKAGE: u16 = 1 << 13;
    pub const ENGLISH: u16 = 1 << 14;
}

/// Online community membership bits (`Migrant::online`).
pub mod online {
    /// An open information channel (Telegram: notification, IIN, border runs, medicine).
    pub const INFO_CHANNEL: u8 = 1 << 0;
    /// A closed community chat, entered by invitation through a tie.
    pub const COMMUNITY: u8 = 1 << 1;
}

/// Kinds of help that flow along ties, for counting (`DayRecord::help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Help {
    Bed,
    Job,
    Information,
    Money,
    Emotional,
}

impl Help {
    pub const NAMES: [&'static str; 5] = ["bed", "job", "information", "money", "emotional"];
}

/// Sentinel for "no day set" in day fields.
pub const NO_DAY: u16 = u16::MAX;

/// The hot state of one migrant: one 64-byte cache line (aligned so that reading a
/// migrant never touches two lines), read and written every day while present.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
pub struct Migrant {
    /// Rubles in Russian accounts.
    pub rub: f32,
    /// Tenge in hand or in a Kazakh account.
    pub kzt: f32,
    /// Remote salary, RUB per day (0 = none).
    pub remote_rub_day: f32,
    /// Local wage, KZT per day (0 = no local job).
    pub local_kzt_day: f32,
    /// Family transfers, RUB per day.
    pub family_rub_day: f32,
    /// Stress, 0 to 1.
    pub stress: f32,
    /// Money strain of the last day, 0 to 1 (kept for the reason code and wellbeing).
    pub strain: f32,
    pub arrival: u16,
    /// Last day of the current legal stay (visa-free clock, RVP term).
    pub legal_until: u16,
    /// Day a pending procedure completes (transit departure, RVP or VNZh decision).
    pub pending_until: u16,
    /// Day the current status (RVP) or housing spell started, for VNZh and shelters.
    pub status_since: u16,
    pub housing_since: u16,
    /// Day of the last job loss.
    pub job_lost: u16,
    /// Consecutive days all integration conditions held.
    pub integ_days: u16,
    /// Day of the first departure (`NO_DAY` while never departed); a returnee who comes
    /// back keeps it, so survival curves follow the first stay.
    pub departed: u16,
    pub flags: u16,
    pub status: Status,
    pub legal: Legal,
    pub housing: Housing,
    pub reason: u8,
    pub city: u8,
    pub profession: u8,
    pub rvp_route: u8,
    /// Destination index for those who moved on.
    pub dest: u8,
    pub age: u8,
    /// The migrant whose flat this one stays at (`u32::MAX` = none).
    pub host: u32,
    /// Migrants staying at this migrant's flat through a tie.
    pub guests: u8,
    /// Online community membership (`online::*` bits).
    pub online: u8,
    /// Help received minus help given (balanced reciprocity), saturating.
    pub owed: i8,
}

impl Migrant {
    #[inline]
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    #[inline]
    pub fn set(&mut self, f: u16, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }

    pub fn has_local_job(&self) -> bool {
        self.local_kzt_day > 0.0
    }

    pub fn has_remote_job(&self) -> bool {
        self.remote_rub_day > 0.0
    }
}

const _: () = assert!(std::mem::size_of::<Migrant>() == 64);
