//! Tables for papers from run directories' `summary.csv` (and `manifest.json` for the
//! scenario's name): end-of-run outcomes per scenario, as LaTeX (booktabs) and Markdown.
//!
//! Reads files only through `plot::data`, so figures and tables quote the same numbers;
//! writes nothing (the caller decides where the text goes).

use std::path::PathBuf;

use crate::plot::PlotError;
use crate::plot::data::{self, Interval, Summary};

/// The shares reported, as (summary column, column heading).
const SHARES: [(&str, &str); 4] = [
    ("share_integrated", "Integrated"),
    ("share_moved_on", "Moved on"),
    ("share_returned", "Returned"),
    ("share_present", "Present"),
];

struct Row {
    scenario: String,
    replicates: usize,
    arrived: f64,
    shares: Vec<Interval>,
}

fn rows(run_dirs: &[PathBuf]) -> Result<Vec<Row>, PlotError> {
    if run_dirs.is_empty() {
        return Err(PlotError::NotEnoughRuns { needed: 1, got: 0 });
    }
    let names = data::scenario_names(run_dirs)?;
    let mut columns = vec!["arrived"];
    columns.extend(SHARES.iter().map(|s| s.0));
    run_dirs
        .iter()
        .zip(names)
        .map(|(dir, scenario)| {
            let summary = Summary::read(dir, &columns)?;
            Ok(Row {
                scenario,
                replicates: summary.replicates.len(),
                arrived: summary.interval("arrived").mean,
                shares: SHARES
                    .iter()
                    .map(|(column, _)| summary.interval(column).scaled(100.0))
                    .collect(),
            })
        })
        .collect()
}

/// `41.2 [39.8, 42.9]`
fn interval_text(i: &Interval) -> String {
    format!("{:.1} [{:.1}, {:.1}]", i.mean, i.low, i.high)
}

/// Whole persons with thousands separated by `sep`.
fn thousands(value: f64, sep: &str) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(ch);
    }
    if value < -0.5 { format!("-{out}") } else { out }
}

/// The outcome table's headings and cells as plain text (persons with `,` between
/// thousands), for tables other than LaTeX and Markdown (the HTML report).
pub fn outcome_grid(run_dirs: &[PathBuf]) -> Result<(Vec<String>, Vec<Vec<String>>), PlotError> {
    let mut headings: Vec<String> = ["Scenario", "Replicates", "Arrived"]
        .map(String::from)
        .to_vec();
    headings.extend(SHARES.iter().map(|(_, h)| format!("{h} (%)")));
    let cells = rows(run_dirs)?
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.scenario.clone(),
                row.replicates.to_string(),
                thousands(row.arrived, ","),
            ];
            cells.extend(row.shares.iter().map(interval_text));
            cells
        })
        .collect();
    Ok((headings, cells))
}

/// Escapes LaTeX's special characters in text mode.
pub fn latex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str(r"\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str(r"\textasciitilde{}"),
            '^' => out.push_str(r"\textasciicircum{}"),
            _ => out.push(ch),
        }
    }
    out
}

fn markdown_escape(text: &str) -> String {
    text.replace('\\', r"\\").replace('|', r"\|")
}

/// End-of-run outcomes per scenario with 90% intervals, as LaTeX (booktabs) and Markdown strings.
///
/// One row per run directory: replicates, mean arrivals, and the shares of arrivals
/// integrated, moved on, returned and still present at the end of the run, each as
/// `mean [q05, q95]` in percent over replicates.
pub fn outcome_tables(
    run_dirs: &[PathBuf],
) -> Result<(String /*latex*/, String /*markdown*/), PlotError> {
    let rows = rows(run_dirs)?;

    let mut latex = String::new();
    latex.push_str("% Shares of arrivals at the end of the run: mean [5th, 95th percentile] over replicates.\n");
    latex.push_str("% Requires \\usepackage{booktabs}.\n");
    latex.push_str("\\begin{tabular}{lrr");
    latex.push_str(&"r".repeat(SHARES.len()));
    latex.push_str("}\n\\toprule\n");
    latex.push_str("Scenario & Replicates & Arrived");
    for (_, heading) in SHARES {
        latex.push_str(&format!(" & {heading} (\\%)"));
    }
    latex.push_str(" \\\\\n\\midrule\n");
    for row in &rows {
        latex.push_str(&format!(
            "{} & {} & {}",
            latex_escape(&row.scenario),
            row.replicates,
            thousands(row.arrived, "\\,")
        ));
        for share in &row.shares {
            latex.push_str(&format!(" & {}", interval_text(share)));
        }
        latex.push_str(" \\\\\n");
    }
    latex.push_str("\\bottomrule\n\\end{tabular}\n");

    let mut markdown = String::from("| Scenario | Replicates | Arrived |");
    for (_, heading) in SHARES {
        markdown.push_str(&format!(" {heading} (%) |"));
    }
    markdown.push_str("\n|:--|--:|--:|");
    markdown.push_str(&"--:|".repeat(SHARES.len()));
    markdown.push('\n');
    for row in &rows {
        markdown.push_str(&format!(
            "| {} | {} | {} |",
            markdown_escape(&row.scenario),
            row.replicates,
            thousands(row.arrived, ",")
        ));
        for share in &row.shares {
            markdown.push_str(&format!(" {} |", interval_text(share)));
        }
        markdown.push('\n');
    }
    markdown.push_str("\nShares of arrivals at the end of the run: mean [5th, 95th percentile] over replicates.\n");
    Ok((latex, markdown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_groups() {
        assert_eq!(latex_escape("a_b & 50%"), r"a\_b \& 50\%");
        assert_eq!(thousands(1234567.4, ","), "1,234,567");
        assert_eq!(thousands(999.0, ","), "999");
        assert_eq!(markdown_escape("a|b"), r"a\|b");
    }
}
