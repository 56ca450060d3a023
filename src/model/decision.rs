//! Decisions (docs/MODEL.md §7.8, §7.2.9): the daily choice to stay, return or move on (a
//! logit over utilities), the forced choice when the legal stay ends, the reason code, the
//! destination and the departure itself.

use super::params::ParamReader;
use rand::RngExt;

use super::agents::{Housing, Legal, Migrant, MigrantId, NO_DAY, Reason, Status, flag};
use super::step::{NONE, Sim, Today};
use super::ties::TieKind;
use super::wellbeing::Factors;

#[derive(Clone, Debug)]
pub struct DecisionParams {
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
    /// Weight of the tax-residency pressure on a remote job in the family factor. (weight)
    pub family_tax_weight: f64,
    /// Weight of ties at home in the family factor (the factor is capped at 1). (weight)
    pub family_ties_weight: f64,
    /// Ties at home that pull fully. (ties)
    pub family_ties_full: f64,
    /// Co-migrant and local ties that hold fully (the `decisions.ties` term). (ties)
    pub local_ties_full: f64,
    /// When no destination is affordable the move-wealth term is −this × `decisions.move_wealth` (+1 × it when one is). (factor)
    pub unaffordable_penalty: f64,
    /// Weight of ties abroad (co-migrants who moved on: information and invitations) in the utility of moving on. (weight)
    pub ties_abroad: f64,
    /// Ties abroad that pull fully. (ties)
    pub ties_abroad_full: f64,
}

impl DecisionParams {
    /// Reads the `[decisions]` table of a scenario (docs/MODEL.md §9).
    pub fn read(r: &impl ParamReader) -> DecisionParams {
        DecisionParams {
            enabled: r.boolean("enabled"),
            return_constant: r.real("return_constant"),
            move_constant: r.real("move_constant"),
            newcomer: r.real("newcomer"),
            newcomer_days: r.num("newcomer_days", 0.001, 1e6),
            money: r.real("money"),
            stress: r.real("stress"),
            legal: r.real("legal"),
            housing: r.real("housing"),
            family_pull: r.real("family_pull"),
            job_loss: r.real("job_loss"),
            ties: r.real("ties"),
            local_job: r.real("local_job"),
            integrated: r.real("integrated"),
            fear: r.real("fear"),
            fear_initial: r.nonneg("fear_initial"),
            fear_half_life_days: r.num("fear_half_life_days", 0.001, 1e6),
            fear_age_max: r.num("fear_age_max", 0.0, 120.0),
            fear_older_factor: r.prob("fear_older_factor"),
            move_wealth: r.real("move_wealth"),
            english: r.real("english"),
            overstay_constant: r.real("overstay_constant"),
            family_tax_weight: r.prob("family_tax_weight"),
            family_ties_weight: r.prob("family_ties_weight"),
            family_ties_full: r.num("family_ties_full", 0.1, 100.0),
            local_ties_full: r.num("local_ties_full", 0.1, 100.0),
            unaffordable_penalty: r.nonneg("unaffordable_penalty"),
            ties_abroad: r.nonneg("ties_abroad"),
            ties_abroad_full: r.num("ties_abroad_full", 0.1, 100.0),
        }
    }
}

impl Sim<'_> {
    /// Utilities of returning and of moving on, relative to staying (0).
    pub(super) fn utilities(&self, m: &Migrant, f: &Factors) -> (f32, f32) {
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
            + d.move_wealth as f32
                * if f.afford {
                    1.0
                } else {
                    -(d.unaffordable_penalty as f32)
                }
            + d.english as f32 * m.has(flag::ENGLISH) as u8 as f32
            + d.ties_abroad as f32 * f.abroad;
        (v_ret, v_move)
    }

    /// Fear of mobilization weighs fully on migrants of draft age, less on older ones.
    pub(super) fn draft_age_weight(&self, m: &Migrant) -> f32 {
        let d = &self.sc.decisions;
        if f64::from(m.age) <= d.fear_age_max {
            1.0
        } else {
            d.fear_older_factor as f32
        }
    }

    pub(super) fn decide(&mut self, m: &Migrant, f: &Factors) -> Option<(Status, Reason)> {
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

    /// The legal stay has ended: overstay, return or move on (a logit over the three).
    /// Each option is worth its utility in the daily choice less that choice's constant:
    /// the constants are the reluctance to leave on a given day rather than a later one,
    /// which a choice that must be made today does not have; staying, worth 0 every day,
    /// becomes overstaying, worth `decisions.overstay_constant`. Ties count as every day.
    /// The utilities are computed with legal pressure 1 (an overstayer's), so that term
    /// is the push of living without status (docs/MODEL.md §7.2.9).
    pub(super) fn forced_choice(
        &mut self,
        m: &mut Migrant,
        id: u32,
        today: &Today,
    ) -> Option<(Status, Reason)> {
        let d = &self.sc.decisions;
        self.record.stays_ended += 1;
        let ties = if self.sc.ties.enabled {
            self.ties.counts(MigrantId(id))
        } else {
            [0; TieKind::COUNT]
        };
        let f = self.factors(m, today, ties, true);
        let (v_ret, v_move) = self.utilities(m, &f);
        let v_ret = v_ret - d.return_constant as f32;
        let v_move = v_move - d.move_constant as f32;
        let e_o = if self.sc.legal.overstay_enabled {
            (d.overstay_constant as f32).exp()
        } else {
            0.0
        };
        let (e_r, e_m) = (v_ret.exp(), v_move.exp());
        let u = self.rng.random::<f32>() * (e_o + e_r + e_m);
        if u < e_o {
            m.legal = Legal::Overstay;
            self.record.overstays += 1;
            None
        } else if u < e_o + e_r {
            Some((Status::Returned, Reason::Legal))
        } else {
            Some((Status::MovedOn, Reason::Legal))
        }
    }

    /// The reason code: the largest push term of the chosen option's utility.
    pub(super) fn reason(&self, m: &Migrant, f: &Factors, status: Status) -> Reason {
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

    pub(super) fn pick_destination(&mut self, wealth: f32, transit: bool) -> u8 {
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

    pub(super) fn depart(
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
        // The position opens for someone else; the migrant's ties here become ties home
        // or abroad for those who stay (docs/MODEL.md §7.6.1).
        self.leave_local_job(m);
        if self.sc.ties.enabled {
            let becomes = match status {
                Status::MovedOn => TieKind::Abroad,
                _ => TieKind::Transnational,
            };
            self.ties.leave(MigrantId(id), becomes);
        }
        m.status = status;
        m.reason = reason as u8;
        if m.departed == NO_DAY {
            m.departed = t;
        }
        self.record.left[reason as usize] += 1;
        let city = m.city as usize;
        self.record.gone_from[city] += 1;
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
            _ => {
                self.record.returned += 1;
                self.schedule_reentry(m, id, reason, t);
            }
        }
    }
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
    use super::super::agents::{Migrant, Reason, Status};
    use super::super::testkit::{days, migrant, scenario, today, world};
    use super::super::ties::TieKind;
    use super::super::wellbeing::Factors;
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

    /// Factors with every push at 0 (and a destination within reach).
    fn calm() -> Factors {
        Factors {
            strain: 0.0,
            legal: 0.0,
            housing: 0.0,
            job_loss: 0.0,
            family: 0.0,
            support: 0.0,
            local_ties: 0.0,
            abroad: 0.0,
            newcomer: 0.0,
            afford: true,
        }
    }

    #[test]
    fn fear_of_mobilization_weighs_less_on_migrants_older_than_fear_age_max() {
        let sc = scenario(&["decisions.fear_older_factor=0.5"]);
        let d = &sc.decisions;
        let mut sim = world(&sc, vec![migrant()], 17);
        today(&mut sim, days::EARLY);
        let fear = sim.world.fear as f32;
        assert!(fear > 0.5, "fear early on {fear}");
        let at = |age: f64| {
            let mut m = migrant();
            m.age = age as u8;
            sim.utilities(&m, &calm())
        };
        let (young, limit, old) = (at(20.0), at(d.fear_age_max), at(d.fear_age_max + 1.0));
        assert_eq!(young, limit, "full fear up to fear_age_max");
        let gap = old.0 - young.0;
        let want = d.fear as f32 * fear * (1.0 - 0.5);
        assert!((gap - want).abs() < 1e-5, "returning: {gap} vs {want}");
        assert_eq!(old.1, young.1, "fear does not touch moving on");
    }

    #[test]
    fn an_unaffordable_onward_move_lowers_the_utility_of_moving_on_by_penalty_times_move_wealth() {
        let sc = scenario(&[]);
        let d = &sc.decisions;
        let cheapest = sc
            .destinations
            .iter()
            .map(|x| x.cost_kzt as f32)
            .fold(f32::INFINITY, f32::min);
        let mut sim = world(&sc, vec![migrant()], 18);
        let day = today(&mut sim, days::EARLY);
        let with_kzt = |kzt: f32| {
            let mut m = migrant();
            (m.kzt, m.rub) = (kzt, 0.0);
            let f = sim.factors(&m, &day, [0; TieKind::COUNT], false);
            (f.afford, sim.utilities(&m, &f))
        };
        let (can, (ret_a, move_a)) = with_kzt(cheapest);
        let (cannot, (ret_b, move_b)) = with_kzt(cheapest - 1.0);
        assert!(can && !cannot);
        assert_eq!(ret_a, ret_b, "returning does not depend on it");
        let want = d.move_wealth as f32 * (1.0 + d.unaffordable_penalty as f32);
        assert!(
            ((move_a - move_b) - want).abs() < 1e-5,
            "{move_a} - {move_b} vs {want}"
        );
    }

    #[test]
    fn the_reason_code_is_the_largest_push_term() {
        // decisions.job_loss equal to decisions.legal × 0.5: a tie between the two.
        let sc = scenario(&["decisions.job_loss=1.25"]);
        let sim = world(&sc, vec![migrant()], 19);
        let mut m: Migrant = migrant();
        m.stress = 0.3; // stress term 0.6
        let reason = |m: &Migrant, f: Factors, s: Status| sim.reason(m, &f, s);
        let f = || Factors {
            strain: 0.5,  // money 1.0 (returning only)
            legal: 0.6,   // 1.5
            housing: 0.9, // 0.9
            ..calm()
        };
        assert_eq!(reason(&m, f(), Status::Returned), Reason::Legal);
        let f = || Factors {
            strain: 1.0, // money 2.0 when returning, 0 when moving on
            housing: 0.9,
            ..calm()
        };
        assert_eq!(reason(&m, f(), Status::Returned), Reason::Money);
        assert_eq!(reason(&m, f(), Status::MovedOn), Reason::Housing);
        let family = Factors {
            family: 1.0,
            ..calm()
        };
        assert_eq!(reason(&m, family, Status::Returned), Reason::Family);
        assert_eq!(reason(&m, calm(), Status::MovedOn), Reason::Stress);
        // Ties go to the earlier term of the list; with nothing pushing, money.
        let tie = Factors {
            legal: 0.5,
            job_loss: 1.0,
            ..calm()
        };
        assert_eq!(reason(&m, tie, Status::Returned), Reason::Legal);
        m.stress = 0.0;
        assert_eq!(reason(&m, calm(), Status::Returned), Reason::Money);
        assert_eq!(reason(&m, calm(), Status::MovedOn), Reason::Money);
    }

    #[test]
    fn ties_abroad_raise_the_utility_of_moving_on_and_nothing_else() {
        let sc = scenario(&["decisions.ties_abroad=1.5", "decisions.ties_abroad_full=2"]);
        let mut sim = world(&sc, vec![migrant()], 17);
        today(&mut sim, days::AFTER_BAN);
        let m = migrant();
        let (r0, m0) = sim.utilities(&m, &calm());
        let mut one = calm();
        one.abroad = 0.5;
        let (r1, m1) = sim.utilities(&m, &one);
        assert_eq!(r1, r0, "ties abroad do not touch returning");
        assert!((m1 - m0 - 0.75).abs() < 1e-6, "{m1} - {m0}");
        // The factor: ties abroad over ties_abroad_full, capped at 1.
        let day = today(&mut sim, days::AFTER_BAN);
        let f = sim.factors(&m, &day, [0, 0, 0, 1], false);
        assert_eq!(f.abroad, 0.5);
        let f = sim.factors(&m, &day, [0, 0, 0, 5], false);
        assert_eq!(f.abroad, 1.0);
    }
}
