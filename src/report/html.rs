//! The page: a self-contained HTML document built section by section. Everything it shows
//! is inside the one file — figures as inline SVG, the figures' font (DejaVu Sans, the one
//! the figure files embed) as a data URL — so it reads the same offline, on any machine,
//! and on paper (a print style sheet keeps figures and table rows whole).

use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Standard base64 (RFC 4648, with padding), for the font's data URL.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
p.lead { color: #555; margin-top: 0; }
nav ol { columns: 2; font-size: 0.95rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; white-space: nowrap; }
td:last-child { white-space: normal; }
th { border-bottom: 2px solid #999; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; }
figure { margin: 1.2rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #555; margin-top: 0.3rem; }
pre { background: #f6f6f6; padding: 0.6rem; font-size: 0.78rem; overflow-x: auto; white-space: pre-wrap; }
code { font-size: 0.9em; }
.note { color: #555; font-size: 0.85rem; }
.miss { color: #a00; font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  pre { white-space: pre-wrap; }
}
"#;

/// A table's cells: a heading row and body rows (as text; numbers are right-aligned).
pub struct Table {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A CSV file's text as a table; `limit` rows at most (the rest counted in a note).
    pub fn from_csv(text: &str, limit: usize) -> Result<(Table, usize), csv::Error> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headings = reader.headers()?.iter().map(str::to_owned).collect();
        let mut rows = Vec::new();
        let mut more = 0;
        for r in reader.records() {
            let r = r?;
            if rows.len() < limit {
                rows.push(r.iter().map(str::to_owned).collect());
            } else {
                more += 1;
            }
        }
        Ok((Table { headings, rows }, more))
    }

    /// The table turned by a quarter: one row per column (the first column's values become
    /// the headings), for files with few rows and many columns such as `summary_stats.csv`.
    pub fn transposed(&self) -> Table {
        let mut headings = vec![self.headings.first().cloned().unwrap_or_default()];
        headings.extend(
            self.rows
                .iter()
                .map(|r| r.first().cloned().unwrap_or_default()),
        );
        let rows = (1..self.headings.len())
            .map(|c| {
                let mut row = vec![self.headings[c].clone()];
                row.extend(
                    self.rows
                        .iter()
                        .map(|r| r.get(c).cloned().unwrap_or_default()),
                );
                row
            })
            .collect();
        Table { headings, rows }
    }
}

/// A decimal cell shortened for reading (the files keep every digit): four significant
/// digits below 100, whole numbers above; other cells unchanged.
fn readable(cell: &str) -> String {
    match cell.parse::<f64>() {
        Ok(x) if cell.contains('.') && x.is_finite() => {
            let digits = if x.abs() >= 100.0 {
                0
            } else {
                (3 - x.abs().log10().floor().max(-6.0) as i32).max(0) as usize
            };
            format!("{x:.digits$}")
        }
        _ => cell.to_owned(),
    }
}

fn is_number(text: &str) -> bool {
    let t = text.trim().trim_end_matches('%').replace(',', "");
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// The document, written section by section.
pub struct Page {
    title: String,
    subtitle: String,
    contents: Vec<(String, String)>,
    body: String,
}

impl Page {
    pub fn new(title: &str, subtitle: &str) -> Page {
        Page {
            title: title.to_owned(),
            subtitle: subtitle.to_owned(),
            contents: Vec::new(),
            body: String::new(),
        }
    }

    /// A numbered section (listed in the contents), anchored as `id`.
    pub fn section(&mut self, id: &str, heading: &str) {
        self.contents.push((id.to_owned(), heading.to_owned()));
        let _ = writeln!(
            self.body,
            "<h2 id=\"{}\">{}</h2>",
            escape(id),
            escape(heading)
        );
    }

    pub fn subsection(&mut self, heading: &str) {
        let _ = writeln!(self.body, "<h3>{}</h3>", escape(heading));
    }

    /// A paragraph of plain text.
    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
    }

    /// A note in smaller type; `alarm` marks it as a failure (e.g. a target missed).
    pub fn note(&mut self, text: &str, alarm: bool) {
        let class = if alarm { "note miss" } else { "note" };
        let _ = writeln!(self.body, "<p class=\"{class}\">{}</p>", escape(text));
    }

    pub fn table(&mut self, t: &Table) {
        self.body
            .push_str("<div class=\"wide\"><table>\n<thead><tr>");
        for h in &t.headings {
            let _ = write!(self.body, "<th>{}</th>", escape(h));
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for r in &t.rows {
            self.body.push_str("<tr>");
            for cell in r {
                let class = if is_number(cell) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(self.body, "<td{class}>{}</td>", escape(&readable(cell)));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody></table></div>\n");
    }

    /// A CSV file's contents as a table, at most `limit` rows (a note says how many more).
    pub fn csv_table(&mut self, name: &str, text: &str, limit: usize) {
        match Table::from_csv(text, limit) {
            Ok((t, more)) => {
                self.table(&t);
                if more > 0 {
                    self.note(&format!("… and {more} more rows in {name}."), false);
                }
            }
            Err(e) => self.note(&format!("{name} cannot be read: {e}"), true),
        }
    }

    /// A figure: the SVG document inline (its XML declaration dropped) with a caption.
    pub fn figure(&mut self, svg: &str, caption: &str) {
        let start = svg.find("<svg").unwrap_or(0);
        let _ = writeln!(
            self.body,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
            svg[start..].trim_end(),
            escape(caption)
        );
    }

    /// Preformatted text (a scenario file, a manifest).
    pub fn preformatted(&mut self, text: &str) {
        let _ = writeln!(self.body, "<pre>{}</pre>", escape(text));
    }

    /// The whole document.
    pub fn finish(self) -> String {
        let mut out = String::with_capacity(self.body.len() + 1_200_000);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n@font-face {{ font-family: \"DejaVu Sans\"; \
             src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n{STYLE}</style>\n\
             </head>\n<body>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n<nav><ol>\n",
            escape(&self.title),
            base64(crate::plot::FONT_BYTES),
            escape(&self.title),
            escape(&self.subtitle),
        );
        for (id, heading) in &self.contents {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(id),
                escape(heading)
            );
        }
        out.push_str("</ol></nav>\n");
        out.push_str(&self.body);
        out.push_str("</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_shortened_for_reading_and_other_cells_kept() {
        assert_eq!(readable("44466.666667"), "44467");
        assert_eq!(readable("0.101061"), "0.1011");
        assert_eq!(readable("0.000572"), "0.0005720");
        assert_eq!(readable("12.3456"), "12.35");
        assert_eq!(readable("440000"), "440000");
        assert_eq!(readable("2023-07-01"), "2023-07-01");
        assert_eq!(readable("41.2 [39.8, 42.9]"), "41.2 [39.8, 42.9]");
        assert_eq!(readable("NaN"), "NaN");
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn text_is_escaped_everywhere_it_is_written() {
        let mut p = Page::new("a <b> & \"c\"", "sub");
        p.section("s", "<script>");
        p.paragraph("x < y");
        p.csv_table("t.csv", "h<1>,n\n<i>,3\n", 10);
        let html = p.finish();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<td>&lt;i&gt;</td><td class=\"num\">3</td>"));
        assert!(html.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
    }

    #[test]
    fn a_long_csv_is_cut_with_a_note_and_a_wide_one_turns() {
        let mut text = String::from("stat,a,b\n");
        for i in 0..30 {
            text.push_str(&format!("s{i},{i},{}\n", 2 * i));
        }
        let (t, more) = Table::from_csv(&text, 25).unwrap();
        assert_eq!((t.rows.len(), more), (25, 5));
        let turned = t.transposed();
        assert_eq!(turned.headings[..3], ["stat", "s0", "s1"]);
        assert_eq!(turned.rows[1][..3], ["b", "0", "2"]);
    }
}
