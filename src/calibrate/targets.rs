//! Calibration targets: observed figures on dates, read from a CSV file, and how the model
//! computes each of them from a run.
//!
//! A target key names a quantity and usually ends with the date it refers to
//! (`stock_in_kz_2022_10_04`); the `date` column says the same date (`2022-10-04`) or a month
//! (`2023-03`, read on its 15th day). [`QUANTITIES`] is the one list of quantities the model
//! can compute, with the sentence that documents each computation (the validation report
//! prints it). Reading is strict: every problem of the file is reported at once as
//! `path:line:col: message`, and a key the model cannot compute, or a date outside the run,
//! is an input error. This module runs no simulation; it only reads a `RunResult`.

use std::path::Path;

use crate::calendar::Date;
use crate::command::Failure;
use crate::engine::RunResult;
use crate::model::observe::{DayRecord, LONG_STAYER_DAYS};
use crate::scenario::diag::{Diagnostic, Loc, SourceMap, did_you_mean};
use crate::scenario::{Panel, Scenario};

/// What a target measures. Counts are persons (agents × `arrivals.persons_per_agent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Present in Kazakhstan at the end of the day.
    Stock,
    /// Cumulative departures (returns and onward moves, transit included).
    Exits,
    /// Cumulative arrivals.
    Arrivals,
    /// Cumulative returns to Russia.
    Returns,
    /// Cumulative onward moves to third countries.
    MovedOn,
    /// Present and integrated.
    Integrated,
    /// Cumulative IINs issued.
    IinIssued,
    /// Among those present who arrived at least 150 days before: share with RVP or VNZh.
    ShareLongStay,
    /// Among those present who arrived at least 150 days before: share with a local job
    /// found through a tie.
    ShareJobViaTie,
    /// Of those present on the date, the share returned to Russia within 365 days (a
    /// panel, `observation.panels`).
    PanelReturned,
    /// RVP grants (first grants and renewals, all routes) within a span of dates.
    RvpGranted,
    /// VNZh grants (both paths) within a calendar year.
    VnzhGranted,
}

/// How a target's key names its date: a day (`_2022_10_04`, optional), a span of days
/// (`_2023_01_01_to_2024_09_30`: counted from the first day to the date) or a calendar
/// year (`_2023`: counted within the year, dated its last day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dating {
    Day,
    Span,
    Year,
}

/// Whether a quantity is a count of persons or a share in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Persons,
    Share,
    /// Permits granted (a person may be counted at each grant).
    Permits,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Share => "share",
            Unit::Permits => "permits",
        }
    }
}

/// A quantity the model can compute: the key stem that names it in a targets file, its
/// unit and how it is computed from `daily.csv` columns (the same numbers as `DayRecord`).
pub struct QuantityInfo {
    pub quantity: Quantity,
    pub stem: &'static str,
    pub unit: Unit,
    pub dating: Dating,
    pub computation: &'static str,
}

/// Every quantity a target may name. Keys are `<stem>` or `<stem>_<YYYY_MM_DD>` (a day),
/// `<stem>_<YYYY_MM_DD>_to_<YYYY_MM_DD>` (a span) or `<stem>_<YYYY>` (a year).
pub const QUANTITIES: [QuantityInfo; 12] = [
    QuantityInfo {
        quantity: Quantity::Stock,
        stem: "stock_in_kz",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`present` on the date: arrivals since the start still in Kazakhstan at the end of the day (transit migrants not yet gone included)",
    },
    QuantityInfo {
        quantity: Quantity::Exits,
        stem: "exits_cum",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`moved_on + returned + reentries` on the date: every departure since the start (a returnee who came back and left again twice), transit and deportations included",
    },
    QuantityInfo {
        quantity: Quantity::Arrivals,
        stem: "arrivals_cum",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`arrived` on the date",
    },
    QuantityInfo {
        quantity: Quantity::Returns,
        stem: "returns_cum",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`returned` on the date (deportations included)",
    },
    QuantityInfo {
        quantity: Quantity::MovedOn,
        stem: "moved_on_cum",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`moved_on` on the date (transit included)",
    },
    QuantityInfo {
        quantity: Quantity::Integrated,
        stem: "integrated",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`integrated` on the date",
    },
    QuantityInfo {
        quantity: Quantity::IinIssued,
        stem: "iin_issued",
        unit: Unit::Persons,
        dating: Dating::Day,
        computation: "`iin_issued` on the date: IINs obtained since the start, by migrants who may have left since",
    },
    QuantityInfo {
        quantity: Quantity::ShareLongStay,
        stem: "share_long_stay_status_among_5plus_months",
        unit: Unit::Share,
        dating: Dating::Day,
        computation: "`long_stay_150d / present_150d` on the date: of those present who arrived at least 150 days before, the share holding an RVP or a VNZh",
    },
    QuantityInfo {
        quantity: Quantity::ShareJobViaTie,
        stem: "share_local_job_via_ties_among_5plus_months",
        unit: Unit::Share,
        dating: Dating::Day,
        computation: "`local_job_via_tie_150d / present_150d` on the date: of those present who arrived at least 150 days before, the share with a local job found through a tie",
    },
    QuantityInfo {
        quantity: Quantity::PanelReturned,
        stem: "share_returned_within_365d_among_present",
        unit: Unit::Share,
        dating: Dating::Day,
        computation: "`returned / present` of a 365-day panel on the date (`panel.csv`): of those present at the end of the day, the share who returned to Russia within 365 days (deportations included)",
    },
    QuantityInfo {
        quantity: Quantity::RvpGranted,
        stem: "rvp_granted_cum",
        unit: Unit::Permits,
        dating: Dating::Span,
        computation: "the rise of `rvp_granted_* + rvp_renewed` from the day before the span's first day to its last: RVP first grants and renewals, all routes, by migrants who may have left since",
    },
    QuantityInfo {
        quantity: Quantity::VnzhGranted,
        stem: "vnzh_granted",
        unit: Unit::Permits,
        dating: Dating::Year,
        computation: "the rise of `vnzh_granted_*` within the calendar year: VNZh grants, both paths",
    },
];

/// The day of the month on which a target dated by a month (`2023-03`) is read.
pub const MONTH_DAY: u8 = 15;

impl Quantity {
    pub fn info(self) -> &'static QuantityInfo {
        QUANTITIES
            .iter()
            .find(|q| q.quantity == self)
            .expect("every quantity is listed")
    }

    /// The first day on which the quantity is defined: a share among those present 150
    /// days needs someone to have been present that long.
    fn first_day(self) -> u32 {
        match self {
            Quantity::ShareLongStay | Quantity::ShareJobViaTie => u32::from(LONG_STAYER_DAYS),
            _ => 0,
        }
    }

    /// The quantity on one day of a run, in persons (counts) or as a share; a share with
    /// nobody to count is NaN.
    pub fn of(self, r: &DayRecord, persons_per_agent: u32) -> f64 {
        let k = f64::from(persons_per_agent);
        let share = |num: u32, den: u32| {
            if den == 0 {
                f64::NAN
            } else {
                f64::from(num) / f64::from(den)
            }
        };
        match self {
            Quantity::Stock => f64::from(r.present) * k,
            // Departures as the border counts them: a returnee who came back left once.
            Quantity::Exits => {
                (f64::from(r.moved_on) + f64::from(r.returned) + f64::from(r.reentries)) * k
            }
            Quantity::Arrivals => f64::from(r.arrived) * k,
            Quantity::Returns => f64::from(r.returned) * k,
            Quantity::MovedOn => f64::from(r.moved_on) * k,
            Quantity::Integrated => f64::from(r.integrated) * k,
            Quantity::IinIssued => f64::from(r.iin_issued) * k,
            Quantity::ShareLongStay => share(r.long_stay_150d, r.present_150d),
            Quantity::ShareJobViaTie => share(r.job_via_tie_150d, r.present_150d),
            // Cumulative here; a target reads the rise over its span or year.
            Quantity::RvpGranted => {
                (r.rvp_granted.iter().map(|&x| f64::from(x)).sum::<f64>()
                    + f64::from(r.rvp_renewed))
                    * k
            }
            Quantity::VnzhGranted => r.vnzh_granted.iter().map(|&x| f64::from(x)).sum::<f64>() * k,
            // Read from the run's panels, not from one day (`Target::observe`).
            Quantity::PanelReturned => f64::NAN,
        }
    }
}

/// One observed figure with its band.
#[derive(Clone, Debug)]
pub struct Target {
    pub key: String,
    pub quantity: Quantity,
    /// The date as written (`2022-10-04` or `2023-03`).
    pub date_text: String,
    /// The day the model is read on (the 15th for a month).
    pub date: Date,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// For a span or a year: the day whose cumulative count is subtracted (the day before
    /// the span starts).
    pub since: Option<Date>,
    date_loc: Loc,
}

/// The horizon of the panels targets read (`share_returned_within_365d_among_present`).
pub const PANEL_HORIZON_DAYS: u32 = 365;

impl Target {
    pub fn unit(&self) -> Unit {
        self.quantity.info().unit
    }

    /// The target's quantity in a run of `sc` (which must include the date and, for a
    /// panel, the panel: see [`Targets::prepare`]).
    pub fn observe(&self, sc: &Scenario, run: &RunResult) -> f64 {
        let k = sc.arrivals.persons_per_agent;
        if self.quantity == Quantity::PanelReturned {
            let i = sc
                .observation
                .panels
                .iter()
                .position(|p| p.date == self.date && p.horizon_days == PANEL_HORIZON_DAYS);
            return match i.map(|i| run.panels[i]) {
                Some(p) if p.present > 0 => f64::from(p.returned) / f64::from(p.present),
                _ => f64::NAN,
            };
        }
        let at = |d: Date| self.quantity.of(&run.days[sc.day_of(d) as usize], k);
        let value = at(self.date);
        match self.since {
            Some(before) if before >= sc.start => value - at(before),
            _ => value,
        }
    }

    /// The last day a run must reach to compute the target.
    pub fn last_day_needed(&self) -> Date {
        match self.quantity {
            Quantity::PanelReturned => self.date.add_days(i64::from(PANEL_HORIZON_DAYS)),
            _ => self.date,
        }
    }

    /// Whether the observed value is a bound (it sits on an edge of its band): any value
    /// inside the band fits it equally well.
    pub fn is_bound(&self) -> bool {
        self.value == self.high || self.value == self.low
    }

    /// The deviation of a simulated value from the observed one in units of the band on
    /// its side: 0 at the observed value, ±1 at the band's edges. NaN stays NaN.
    /// For a bound, 0 anywhere inside the band and the distance beyond its edge in units of
    /// the band's width outside.
    pub fn scaled_deviation(&self, simulated: f64) -> f64 {
        if self.is_bound() {
            let width = self.high - self.low;
            return if simulated > self.high {
                (simulated - self.high) / width
            } else if simulated < self.low {
                (simulated - self.low) / width
            } else if simulated.is_nan() {
                f64::NAN
            } else {
                0.0
            };
        }
        if simulated >= self.value {
            (simulated - self.value) / (self.high - self.value)
        } else {
            (simulated - self.value) / (self.value - self.low)
        }
    }

    /// Whether a value lies within the band (edges included).
    pub fn inside(&self, x: f64) -> bool {
        x >= self.low && x <= self.high
    }
}

/// The targets of one file, in file order.
#[derive(Clone, Debug)]
pub struct Targets {
    pub path: String,
    /// The file's text (its fingerprint is part of a calibration checkpoint).
    pub text: String,
    pub list: Vec<Target>,
    sources: SourceMap,
}

const REQUIRED: [&str; 6] = ["key", "date", "value", "low", "high", "unit"];

impl Targets {
    /// Reads a targets file; a missing file or any problem in it is bad input (exit 2).
    pub fn read(path: &Path) -> Result<Targets, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::Input(format!("cannot read targets `{}`: {e}", path.display()))
        })?;
        Targets::parse(&path.display().to_string(), &text)
    }

    /// Parses targets from CSV text; `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<Targets, Failure> {
        let mut sources = SourceMap::default();
        let src = sources.add(name.to_string(), text.to_string());
        let fail = |sources: &SourceMap, d: Vec<Diagnostic>| {
            Failure::Input(
                d.iter()
                    .map(|x| x.render(sources))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        let records = parse_csv(text).map_err(|(at, msg)| {
            fail(&sources, vec![Diagnostic::at(Loc::new(src, at..at), msg)])
        })?;
        let Some((header, rows)) = records.split_first() else {
            return Err(fail(
                &sources,
                vec![Diagnostic::at(
                    Loc::new(src, 0..0),
                    format!(
                        "empty targets file; expected a header {}",
                        REQUIRED.join(",")
                    ),
                )],
            ));
        };
        let mut problems = Vec::new();
        let mut col = [0usize; 6];
        for (i, name) in REQUIRED.iter().enumerate() {
            match header.iter().position(|c| c.text.trim() == *name) {
                Some(j) => col[i] = j,
                None => problems.push(Diagnostic::at(
                    Loc::new(src, header[0].start..header[0].start),
                    format!(
                        "the header lacks the column `{name}` (required: {})",
                        REQUIRED.join(", ")
                    ),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(fail(&sources, problems));
        }
        let mut list: Vec<Target> = Vec::new();
        for row in rows {
            let at = |i: usize| -> Loc {
                match row.get(col[i]) {
                    Some(c) => Loc::new(src, c.start..c.start + c.text.len()),
                    None => {
                        let last = row.last().expect("a record has a cell");
                        let end = last.start + last.text.len();
                        Loc::new(src, end..end)
                    }
                }
            };
            let cell = |i: usize| row.get(col[i]).map_or("", |c| c.text.trim());
            if row.len() < header.len() {
                problems.push(Diagnostic::at(
                    at(0),
                    format!(
                        "this row has {} columns, the header {}",
                        row.len(),
                        header.len()
                    ),
                ));
                continue;
            }
            let n = problems.len();
            let key = cell(0).to_string();
            let (quantity, since) = match quantity_of_key(&key) {
                Ok((q, _, since)) => (Some(q), since),
                Err(msg) => {
                    problems.push(Diagnostic::at(at(0), msg));
                    (None, None)
                }
            };
            if list.iter().any(|t| t.key == key) {
                problems.push(Diagnostic::at(at(0), format!("duplicate target `{key}`")));
            }
            let date_text = cell(1).to_string();
            let date = match parse_target_date(&date_text) {
                Some(d) => Some(d),
                None => {
                    problems.push(Diagnostic::at(
                        at(1),
                        format!(
                            "`date` must be a date (2022-10-04) or a month (2023-03), found \"{date_text}\""
                        ),
                    ));
                    None
                }
            };
            if let (Ok((_, Some(suffix), _)), Some(_)) = (quantity_of_key(&key), date)
                && suffix != date_text
            {
                problems.push(Diagnostic::at(
                    at(1),
                    format!(
                        "`date` {date_text} differs from the date in the key `{key}` ({suffix})"
                    ),
                ));
            }
            let mut number = |i: usize| -> f64 {
                match cell(i).parse::<f64>() {
                    Ok(x) if x.is_finite() => x,
                    _ => {
                        problems.push(Diagnostic::at(
                            at(i),
                            format!("`{}` must be a number, found \"{}\"", REQUIRED[i], cell(i)),
                        ));
                        f64::NAN
                    }
                }
            };
            let (value, low, high) = (number(2), number(3), number(4));
            if let Some(q) = quantity {
                let unit = q.info().unit;
                if cell(5) != unit.name() {
                    problems.push(Diagnostic::at(
                        at(5),
                        format!(
                            "`{key}` is measured in {}, but the unit says \"{}\"",
                            unit.name(),
                            cell(5)
                        ),
                    ));
                }
                if unit == Unit::Share {
                    for (i, x) in [(2, value), (3, low), (4, high)] {
                        if !(0.0..=1.0).contains(&x) && x.is_finite() {
                            problems.push(Diagnostic::at(
                                at(i),
                                format!("a share must be in [0, 1], found {x}"),
                            ));
                        }
                    }
                }
            }
            // A value on an edge of its band is a bound (an upper bound: `low` = value of 0
            // for counts); otherwise it lies strictly inside.
            if value.is_finite()
                && low.is_finite()
                && high.is_finite()
                && !(low <= value && value <= high && low < high)
            {
                problems.push(Diagnostic::at(
                    at(3),
                    format!(
                        "the band must hold the value: low <= value <= high with low < high (a value on an edge is a bound), found {low}, {value}, {high}"
                    ),
                ));
            }
            if problems.len() == n {
                list.push(Target {
                    key,
                    quantity: quantity.expect("checked"),
                    date_text,
                    date: date.expect("checked"),
                    value,
                    low,
                    high,
                    since,
                    date_loc: at(1),
                });
            }
        }
        if rows.is_empty() {
            problems.push(Diagnostic::at(
                Loc::new(src, text.len()..text.len()),
                "no targets after the header",
            ));
        }
        if !problems.is_empty() {
            return Err(fail(&sources, problems));
        }
        Ok(Targets {
            path: name.to_string(),
            text: text.to_string(),
            list,
            sources,
        })
    }

    /// Checks that the run of `sc` can compute every target: its date is in the run, and a
    /// share among those present five months is asked for at least 150 days after the start.
    pub fn check_run(&self, sc: &Scenario) -> Result<(), Failure> {
        let mut problems = Vec::new();
        for t in &self.list {
            if t.date >= sc.start && t.date <= sc.end && t.last_day_needed() > sc.end {
                problems.push(Diagnostic::at(
                    t.date_loc,
                    format!(
                        "target `{}` follows the migrants present on {} until {}, after the run's end ({})",
                        t.key,
                        t.date,
                        t.last_day_needed(),
                        sc.end
                    ),
                ));
            } else if t.date < sc.start || t.date > sc.end {
                problems.push(Diagnostic::at(
                    t.date_loc,
                    format!(
                        "target `{}` is read on {}, outside the run ({} to {})",
                        t.key, t.date, sc.start, sc.end
                    ),
                ));
            } else if sc.day_of(t.date) < t.quantity.first_day() {
                let first = sc.start.add_days(i64::from(t.quantity.first_day()));
                problems.push(Diagnostic::at(
                    t.date_loc,
                    format!(
                        "target `{}` is read on {}, but nobody has been present {} days before {first}",
                        t.key, t.date, LONG_STAYER_DAYS
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Failure::Input(
                problems
                    .iter()
                    .map(|d| d.render(&self.sources))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
    }

    /// The targets a run can compute before `split` (the last day they need is earlier),
    /// and the others, each as a set of its own; `None` when either would be empty.
    pub fn split_at(&self, split: Date) -> Option<(Targets, Targets)> {
        let part = |early: bool| {
            let mut t = self.clone();
            t.list.retain(|x| (x.last_day_needed() < split) == early);
            // The fingerprint of a part names the split too.
            t.text = format!(
                "{}\n# {} {split}",
                self.text,
                if early { "before" } else { "from" }
            );
            t
        };
        let (early, late) = (part(true), part(false));
        (!early.list.is_empty() && !late.list.is_empty()).then_some((early, late))
    }

    /// The latest day any target needs (a panel's date plus its horizon).
    pub fn last_date(&self) -> Date {
        self.list
            .iter()
            .map(|t| t.last_day_needed())
            .max()
            .expect("at least one target")
    }

    /// Makes a scenario's run compute the targets and no more: adds the 365-day panel of
    /// each panel target the scenario lacks, and shortens the run to end on the last day a
    /// target needs, when it ended later (dropping panels that would end after it). No
    /// target needs later days, and the model never looks ahead, so the figures up to that
    /// day follow the same distribution (not the same bits: fewer agents are drawn).
    pub fn prepare(&self, sc: &mut Scenario) {
        prepare_for(&[self], sc);
    }

    /// Every target's quantity in one run, in file order.
    pub fn observe(&self, sc: &Scenario, run: &RunResult) -> Vec<f64> {
        self.list.iter().map(|t| t.observe(sc, run)).collect()
    }

    /// The distance between simulated values and the targets: the root mean square of the
    /// band-scaled deviations ([`Target::scaled_deviation`]). Every value inside its band
    /// gives a distance of at most 1 (not conversely); a NaN value gives infinity.
    pub fn distance(&self, simulated: &[f64]) -> f64 {
        let mut sum = 0.0;
        for (t, x) in self.list.iter().zip(simulated) {
            let z = t.scaled_deviation(*x);
            if !z.is_finite() {
                return f64::INFINITY;
            }
            sum += z * z;
        }
        (sum / self.list.len() as f64).sqrt()
    }
}

/// [`Targets::prepare`] for several sets of targets read from the same runs: the run ends
/// on the last day any of them needs.
pub fn prepare_for(sets: &[&Targets], sc: &mut Scenario) {
    for t in sets.iter().flat_map(|s| &s.list) {
        let wanted = Panel {
            name: format!("target_{}", t.date),
            date: t.date,
            horizon_days: PANEL_HORIZON_DAYS,
        };
        let has = |p: &Panel| p.date == wanted.date && p.horizon_days == wanted.horizon_days;
        if t.quantity == Quantity::PanelReturned && !sc.observation.panels.iter().any(has) {
            sc.observation.panels.push(wanted);
        }
    }
    if let Some(last) = sets.iter().map(|s| s.last_date()).max()
        && last >= sc.start
        && last < sc.end
    {
        sc.end = last;
    }
    let end = sc.end;
    sc.observation
        .panels
        .retain(|p| p.date.add_days(i64::from(p.horizon_days)) <= end);
}

/// What a key names: the quantity, the date in the key if any (as `YYYY-MM-DD` or
/// `YYYY-MM`; a year's last day), and for a span or a year the day before it starts.
type KeyParts = (Quantity, Option<String>, Option<Date>);

fn quantity_of_key(key: &str) -> Result<KeyParts, String> {
    for q in &QUANTITIES {
        if key == q.stem && q.dating == Dating::Day {
            return Ok((q.quantity, None, None));
        }
        let Some(rest) = key.strip_prefix(q.stem).and_then(|r| r.strip_prefix('_')) else {
            continue;
        };
        match q.dating {
            Dating::Day => {
                let dashed = rest.replace('_', "-");
                if parse_target_date(&dashed).is_some() {
                    return Ok((q.quantity, Some(dashed), None));
                }
            }
            Dating::Span => {
                let days = rest
                    .split_once("_to_")
                    .map(|(a, b)| (a.replace('_', "-"), b.replace('_', "-")));
                if let Some((a, b)) = days
                    && let (Some(first), Some(last)) = (Date::parse(&a), Date::parse(&b))
                    && first <= last
                {
                    return Ok((q.quantity, Some(b), Some(first.add_days(-1))));
                }
            }
            Dating::Year => {
                if rest.len() == 4
                    && let Ok(year) = rest.parse::<i32>()
                    && let Some(before) = Date::new(year - 1, 12, 31)
                {
                    return Ok((q.quantity, Some(format!("{year}-12-31")), Some(before)));
                }
            }
        }
    }
    // Suggest from the key without a trailing date.
    let stem: Vec<&str> = key.split('_').collect();
    let cut = stem
        .iter()
        .rposition(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .map_or(0, |i| i + 1);
    let bare = stem[..cut].join("_");
    let mut msg = format!("the model cannot compute target `{key}`");
    if let Some(s) = did_you_mean(&bare, QUANTITIES.iter().map(|q| q.stem)) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    } else {
        let all: Vec<&str> = QUANTITIES.iter().map(|q| q.stem).collect();
        msg.push_str(&format!(
            "; a key is one of {} followed by its date (_YYYY_MM_DD, a span _YYYY_MM_DD_to_YYYY_MM_DD or a year _YYYY, as the quantity is dated)",
            all.join(", ")
        ));
    }
    Err(msg)
}

/// A target date: `YYYY-MM-DD`, or `YYYY-MM` read on the 15th.
fn parse_target_date(s: &str) -> Option<Date> {
    if s.len() == 7 {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        return Date::new(y.parse().ok()?, m.parse().ok()?, MONTH_DAY);
    }
    Date::parse(s)
}

/// One CSV cell and the byte offset where its text starts.
#[derive(Debug)]
pub(super) struct Cell {
    pub text: String,
    pub start: usize,
}

/// A small RFC 4180 reader that remembers where each cell starts, for located messages.
/// Quoted cells may hold commas, doubled quotes and newlines; blank lines are skipped.
pub(super) fn parse_csv(text: &str) -> Result<Vec<Vec<Cell>>, (usize, String)> {
    let bytes = text.as_bytes();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut records = Vec::new();
    let mut record: Vec<Cell> = Vec::new();
    loop {
        // At the start of a cell.
        let start = i;
        let mut cell = String::new();
        if i < bytes.len() && bytes[i] == b'"' {
            let open = i;
            i += 1;
            loop {
                match text[i..].find('"') {
                    None => return Err((open, "unterminated quoted cell".to_string())),
                    Some(k) => {
                        cell.push_str(&text[i..i + k]);
                        i += k + 1;
                        if i < bytes.len() && bytes[i] == b'"' {
                            cell.push('"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            if i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                return Err((i, "unexpected character after a closing quote".to_string()));
            }
            record.push(Cell {
                text: cell,
                start: start + 1,
            });
        } else {
            let end = text[i..]
                .find([',', '\n', '\r'])
                .map_or(bytes.len(), |k| i + k);
            record.push(Cell {
                text: text[i..end].to_string(),
                start,
            });
            i = end;
        }
        // After a cell: a comma, a line end or the end of the text.
        if i < bytes.len() && bytes[i] == b',' {
            i += 1;
            continue;
        }
        if i < bytes.len() && bytes[i] == b'\r' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'\n' {
            i += 1;
        }
        let blank = record.len() == 1 && record[0].text.trim().is_empty();
        if !blank {
            records.push(std::mem::take(&mut record));
        } else {
            record.clear();
        }
        if i >= bytes.len() {
            break;
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_keep_quotes_commas_and_positions() {
        let r = parse_csv("a,\"b, \"\"c\"\"\",d\r\n\n1,2,3").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][1].text, "b, \"c\"");
        assert_eq!(r[0][1].start, 3);
        assert_eq!(r[0][2].text, "d");
        assert_eq!(r[1][2].text, "3");
        assert_eq!(r[1][2].start, "a,\"b, \"\"c\"\"\",d\r\n\n1,2,".len());
        assert!(parse_csv("a,\"b").is_err());
    }

    #[test]
    fn keys_name_quantities_and_dates() {
        let (q, d, since) = quantity_of_key("stock_in_kz_2022_11_29").unwrap();
        assert_eq!(q, Quantity::Stock);
        assert_eq!(d.as_deref(), Some("2022-11-29"));
        assert_eq!(since, None);
        let (q, d, _) = quantity_of_key("share_long_stay_status_among_5plus_months").unwrap();
        assert_eq!(q, Quantity::ShareLongStay);
        assert_eq!(d, None);
        // A span counts from the day before its first day; a year, within the year.
        let (q, d, since) = quantity_of_key("rvp_granted_cum_2023_01_01_to_2024_09_30").unwrap();
        assert_eq!(q, Quantity::RvpGranted);
        assert_eq!(d.as_deref(), Some("2024-09-30"));
        assert_eq!(since, Date::new(2022, 12, 31));
        let (q, d, since) = quantity_of_key("vnzh_granted_2023").unwrap();
        assert_eq!(q, Quantity::VnzhGranted);
        assert_eq!(d.as_deref(), Some("2023-12-31"));
        assert_eq!(since, Date::new(2022, 12, 31));
        assert!(
            quantity_of_key("rvp_granted_cum").is_err(),
            "a span needs its dates"
        );
        assert!(quantity_of_key("rvp_granted_cum_2024_01_01_to_2023_01_01").is_err());
        assert!(quantity_of_key("vnzh_granted_2023_12_31").is_err());
        let e = quantity_of_key("stock_in_kaz_2022_11_29").unwrap_err();
        assert!(e.contains("did you mean `stock_in_kz`"), "{e}");
        assert!(quantity_of_key("stock_in_kz_2022_13_01").is_err());
    }

    #[test]
    fn a_bound_fits_anywhere_inside_its_band_and_is_scaled_by_its_width_outside() {
        let t = Targets::parse(
            "t.csv",
            "key,date,value,low,high,unit\nvnzh_granted_2023,2023-12-31,100,0,100,permits\n",
        )
        .unwrap();
        let t0 = &t.list[0];
        assert!(t0.is_bound());
        assert_eq!(t0.scaled_deviation(0.0), 0.0);
        assert_eq!(t0.scaled_deviation(60.0), 0.0);
        assert_eq!(t0.scaled_deviation(150.0), 0.5);
        assert!(
            Targets::parse(
                "t.csv",
                "key,date,value,low,high,unit\nvnzh_granted_2023,2023-12-31,100,100,100,permits\n",
            )
            .is_err()
        );
    }

    #[test]
    fn a_month_is_read_on_its_fifteenth() {
        assert_eq!(parse_target_date("2023-03"), Date::new(2023, 3, 15));
        assert_eq!(parse_target_date("2023-03-02"), Date::new(2023, 3, 2));
        assert_eq!(parse_target_date("2023-3"), None);
    }

    #[test]
    fn deviations_are_scaled_by_the_band_on_their_side() {
        let t = Targets::parse(
            "t.csv",
            "key,date,value,low,high,unit\nstock_in_kz_2022_10_04,2022-10-04,50,40,70,persons\n",
        )
        .unwrap();
        let t0 = &t.list[0];
        assert_eq!(t0.scaled_deviation(70.0), 1.0);
        assert_eq!(t0.scaled_deviation(45.0), -0.5);
        assert_eq!(t.distance(&[60.0]), 0.5);
        assert_eq!(t.distance(&[f64::NAN]), f64::INFINITY);
    }
}
