//! Effects of an experiment's arms: for each arm, outcome and date, the replicate-by-
//! replicate difference from the base arm (common random numbers and the same parameter
//! draw in both, so each difference is one draw of the effect), summarised by its mean,
//! 90% interval and the share of replicates with the mean's sign; and the tables of them.

use std::fmt::Write;

use crate::calendar::Date;
use crate::stats::Summary;

/// One arm's effect on one outcome at one date.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// Index of the arm (0 is the base arm, which has no effect row).
    pub arm: usize,
    pub outcome: usize,
    pub date: usize,
    pub base_mean: f64,
    pub arm_mean: f64,
    /// Mean over replicates of (arm − base).
    pub difference: f64,
    pub q05: f64,
    pub q95: f64,
    /// Share of replicates whose difference has the sign of the mean difference (for a
    /// mean of exactly zero: the share of zero differences).
    pub same_sign: f64,
}

/// `values[arm][replicate][date * outcomes + outcome]`, as the runs recorded them.
pub fn compute(values: &[Vec<Vec<f64>>], outcomes: usize, dates: usize) -> Vec<Effect> {
    let mut out = Vec::new();
    let Some(base) = values.first() else {
        return out;
    };
    for (arm, runs) in values.iter().enumerate().skip(1) {
        for outcome in 0..outcomes {
            for date in 0..dates {
                let k = date * outcomes + outcome;
                let diffs: Vec<f64> = runs.iter().zip(base).map(|(a, b)| a[k] - b[k]).collect();
                let s = Summary::of(&diffs);
                let sign = s.mean.signum() * f64::from(u8::from(s.mean != 0.0));
                let same = diffs
                    .iter()
                    .filter(|d| {
                        let ds = d.signum() * f64::from(u8::from(**d != 0.0));
                        ds == sign
                    })
                    .count();
                let mean =
                    |v: &[Vec<f64>]| v.iter().map(|r| r[k]).sum::<f64>() / v.len().max(1) as f64;
                out.push(Effect {
                    arm,
                    outcome,
                    date,
                    base_mean: mean(base),
                    arm_mean: mean(runs),
                    difference: s.mean,
                    q05: s.q05,
                    q95: s.q95,
                    same_sign: same as f64 / diffs.len().max(1) as f64,
                });
            }
        }
    }
    out
}

/// The names the tables need.
pub struct Names<'a> {
    /// Arm names, labels and groups; index 0 is the base arm.
    pub arms: Vec<(String, String, String)>,
    pub outcomes: &'a [String],
    pub dates: &'a [Date],
    pub replicates: u32,
}

/// The CSV header of `effects.csv`.
pub const EFFECTS_HEADER: &str = "arm,label,group,outcome,date,base_mean,arm_mean,difference,difference_q05,difference_q95,same_sign_share,replicates";

fn csv_field(s: &str) -> String {
    crate::sweep::spec::csv_field(s)
}

/// `effects.csv`: one row per arm, outcome and date.
pub fn csv(effects: &[Effect], n: &Names<'_>) -> String {
    let mut out = format!("{EFFECTS_HEADER}\n");
    for e in effects {
        let (name, label, group) = &n.arms[e.arm];
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(name),
            csv_field(label),
            csv_field(group),
            n.outcomes[e.outcome],
            n.dates[e.date],
            e.base_mean,
            e.arm_mean,
            e.difference,
            e.q05,
            e.q95,
            e.same_sign,
            n.replicates
        );
    }
    out
}

/// A value for people: shares in percentage points, counts rounded.
fn show(outcome: &str, x: f64) -> String {
    if outcome.starts_with("share_") {
        format!("{:+.1}", 100.0 * x)
    } else {
        format!("{:+.0}", x)
    }
}

fn unit(outcome: &str) -> &'static str {
    if outcome.starts_with("share_") {
        "pp"
    } else {
        "persons"
    }
}

/// The effects of one outcome at one date.
fn rows(effects: &[Effect], outcome: usize, date: usize) -> impl Iterator<Item = &Effect> {
    effects
        .iter()
        .filter(move |e| e.outcome == outcome && e.date == date)
}

/// `effects.md`: per outcome and date, a table of the arms' differences from the base.
pub fn markdown(effects: &[Effect], n: &Names<'_>) -> String {
    let mut out = String::new();
    for (o, outcome) in n.outcomes.iter().enumerate() {
        for (d, date) in n.dates.iter().enumerate() {
            let base = rows(effects, o, d).next().map_or(0.0, |e| e.base_mean);
            let _ = writeln!(
                out,
                "**{outcome} on {date}** (base arm: {}; differences in {} over {} replicates)\n",
                show(outcome, base).trim_start_matches('+'),
                unit(outcome),
                n.replicates
            );
            out.push_str("| arm | resource | difference from base | 90% interval | same sign |\n|---|---|---|---|---|\n");
            for e in rows(effects, o, d) {
                let (_, label, group) = &n.arms[e.arm];
                let _ = writeln!(
                    out,
                    "| {label} | {group} | {} | [{}, {}] | {:.0}% |",
                    show(outcome, e.difference),
                    show(outcome, e.q05),
                    show(outcome, e.q95),
                    100.0 * e.same_sign
                );
            }
            out.push('\n');
        }
    }
    out
}

fn tex_escape(s: &str) -> String {
    s.replace('\\', "\\textbackslash{}")
        .replace('&', "\\&")
        .replace('%', "\\%")
        .replace('_', "\\_")
        .replace('#', "\\#")
        .replace('$', "\\$")
}

/// `effects.tex`: the same tables for LaTeX (booktabs).
pub fn latex(effects: &[Effect], n: &Names<'_>) -> String {
    let mut out = String::from("% Written by relocant experiment; needs \\usepackage{booktabs}.\n");
    for (o, outcome) in n.outcomes.iter().enumerate() {
        for (d, date) in n.dates.iter().enumerate() {
            let _ = writeln!(
                out,
                "\\begin{{table}}\n\\centering\n\\caption{{Effect of each arm on {} on {date}: difference from the base arm ({}), mean and 90\\% interval over {} replicates.}}\n\\begin{{tabular}}{{llrrr}}\n\\toprule\nArm & Resource & Difference & 90\\% interval & Same sign \\\\\n\\midrule",
                tex_escape(outcome),
                unit(outcome),
                n.replicates
            );
            for e in rows(effects, o, d) {
                let (_, label, group) = &n.arms[e.arm];
                let _ = writeln!(
                    out,
                    "{} & {} & ${}$ & $[{}, {}]$ & {:.0}\\% \\\\",
                    tex_escape(label),
                    tex_escape(group),
                    show(outcome, e.difference),
                    show(outcome, e.q05),
                    show(outcome, e.q95),
                    100.0 * e.same_sign
                );
            }
            out.push_str("\\bottomrule\n\\end{tabular}\n\\end{table}\n\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_paired_by_replicate() {
        // Base: 0.5, 0.6, 0.7; the arm is 0.1 lower in every replicate: a sure effect even
        // though the replicates spread more than the effect.
        let base = vec![vec![0.5], vec![0.6], vec![0.7]];
        let arm = vec![vec![0.4], vec![0.5], vec![0.6]];
        let e = compute(&[base, arm], 1, 1);
        assert_eq!(e.len(), 1);
        assert!((e[0].difference + 0.1).abs() < 1e-12);
        assert!(e[0].q95 < 0.0, "{:?}", e[0]);
        assert_eq!(e[0].same_sign, 1.0);
        assert!((e[0].base_mean - 0.6).abs() < 1e-12);
    }

    #[test]
    fn the_same_sign_share_counts_disagreeing_replicates() {
        let base = vec![vec![0.0]; 4];
        let arm = vec![vec![1.0], vec![1.0], vec![1.0], vec![-1.0]];
        let e = compute(&[base, arm], 1, 1);
        assert_eq!(e[0].same_sign, 0.75);
        assert!(e[0].difference > 0.0 && e[0].q05 < 0.0);
    }
}
