//! Diagnostics for bad input: every problem carries the file, line and column it points at
//! and prints like a compiler message, `path:line:col: message`. Scenario, sweep and params
//! files all report through here.

use std::fmt;

/// The source texts a scenario was assembled from, so that byte spans can be turned into
/// lines and columns when a problem is reported.
#[derive(Default, Debug, Clone)]
pub struct SourceMap {
    files: Vec<(String, String)>,
}

impl SourceMap {
    pub fn add(&mut self, name: String, text: String) -> u32 {
        self.files.push((name, text));
        (self.files.len() - 1) as u32
    }

    /// Every source as (name, text), in the order added.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(n, t)| (n.as_str(), t.as_str()))
    }

    pub fn name(&self, src: u32) -> &str {
        &self.files[src as usize].0
    }

    pub fn text(&self, src: u32) -> &str {
        &self.files[src as usize].1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, src: u32, offset: usize) -> (usize, usize) {
        let text = self.text(src);
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..]
            .chars()
            .filter(|c| *c != '\u{feff}')
            .count()
            + 1;
        (line, col)
    }
}

/// Of several places that together make a problem, the first one a user wrote (the built-in
/// baseline is source 0), so the message points at what the user can change.
pub fn prefer_user(locs: &[Loc]) -> Loc {
    locs.iter().copied().find(|l| l.src != 0).unwrap_or(locs[0])
}

/// Where a key or value was written: a source and a byte span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub src: u32,
    pub start: u32,
    pub end: u32,
}

impl Loc {
    pub fn new(src: u32, span: std::ops::Range<usize>) -> Loc {
        Loc {
            src,
            start: span.start as u32,
            end: span.end as u32,
        }
    }
}

/// One problem with the input.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub loc: Option<Loc>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            loc: Some(loc),
            message: message.into(),
        }
    }

    pub fn bare(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            loc: None,
            message: message.into(),
        }
    }

    pub fn render(&self, sources: &SourceMap) -> String {
        match self.loc {
            Some(loc) => {
                let (line, col) = sources.line_col(loc.src, loc.start as usize);
                format!("{}:{line}:{col}: {}", sources.name(loc.src), self.message)
            }
            None => self.message.clone(),
        }
    }
}

/// Every problem found in a scenario, rendered and ready to print.
#[derive(Debug, Clone)]
pub struct ScenarioErrors {
    pub lines: Vec<String>,
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// Renders problems in the order of the files and places they point at (those without a
/// place last): the one way every input file (scenario, sweep, params) reports its problems.
pub fn report(sources: &SourceMap, mut problems: Vec<Diagnostic>) -> ScenarioErrors {
    problems.sort_by_key(|x| x.loc.map_or((u32::MAX, 0), |l| (l.src, l.start)));
    ScenarioErrors {
        lines: problems.iter().map(|x| x.render(sources)).collect(),
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (word.len().max(c.len()) / 3).max(1)
        + usize::from(c.contains(word) || word.contains(c)) * 8;
    (d <= limit).then_some(c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["shelter_beds", "rent_kzt_month", "russian_speaking_share"];
        assert_eq!(did_you_mean("shelter_bed", keys), Some("shelter_beds"));
        assert_eq!(did_you_mean("rent_kzt_mnth", keys), Some("rent_kzt_month"));
        assert_eq!(did_you_mean("population", keys), None);
    }

    #[test]
    fn line_and_column_are_one_based() {
        let mut s = SourceMap::default();
        let id = s.add("a.toml".into(), "x = 1\ny = 2\n".into());
        assert_eq!(s.line_col(id, 0), (1, 1));
        assert_eq!(s.line_col(id, 6), (2, 1));
        assert_eq!(s.line_col(id, 10), (2, 5));
    }
}
