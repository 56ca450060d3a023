//! Helpers shared by the integration tests: driving the real binary, and (`runs`) scaled-down
//! runs of the shipped scenarios simulated once per test binary.
#![allow(dead_code)]

pub mod runs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn relocant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relocant"))
        .args(args)
        .current_dir(root())
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the relocant binary runs")
}

pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Writes a sweep file over the repository's baseline into `dir`.
pub fn sweep_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let base = root().join("scenarios/baseline.toml");
    let text = format!("base = {:?}\n{body}", base.display().to_string());
    let p = dir.join(format!("{name}.toml"));
    fs::write(&p, text).unwrap();
    p
}

/// Runs `relocant sweep FILE --out OUT --quiet EXTRA...`.
pub fn sweep(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    relocant(&args)
}

/// A tiny Sobol sweep (8 base samples × 4 = 32 runs of ~10 ms).
pub const SOBOL: &str = r#"
seed = 3
replicates = 1
design = "sobol"
samples = 8
[set]
arrivals.persons_per_agent = 400
[params]
decisions.money = { min = 1.0, max = 3.0 }
legal.visa_free_days = { min = 30, max = 180 }
"#;

/// A tiny Morris sweep (4 trajectories × 3 points).
pub const MORRIS: &str = r#"
seed = 3
replicates = 1
design = "morris"
trajectories = 4
[set]
arrivals.persons_per_agent = 400
[params]
decisions.money = { min = 1.0, max = 3.0 }
policy.border_run_ban.date = { min = 2023-01-27, max = 2023-12-31 }
"#;

/// Runs the sweep `body` into `dir/name` and then `relocant analyze` on it (with `extra`
/// options); returns the sweep directory.
pub fn sweep_and_analyze(dir: &Path, name: &str, body: &str, extra: &[&str]) -> PathBuf {
    let f = sweep_file(dir, name, body);
    let out = dir.join(format!("{name}-out"));
    ok(&sweep(&f, &out, &[]));
    let mut args = vec!["analyze", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(&relocant(&args));
    out
}

/// Pixels at 300 dpi of a length in millimetres.
pub fn px(mm: f64) -> u32 {
    (mm / 25.4 * 300.0).round() as u32
}

/// Decodes an RGB PNG, checks that it shows something (at least 2% of the pixels not white,
/// more than `min_colours` distinct colours) and returns its size.
pub fn check_png_ink(path: &Path, min_colours: usize) -> (u32, u32) {
    let decoder = png::Decoder::new(fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let ink = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    assert!(
        ink > pixels.len() / 50,
        "{}: only {ink} of {} pixels are not white",
        path.display(),
        pixels.len()
    );
    let mut colours = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > min_colours,
        "{}: {} colours",
        path.display(),
        colours.len()
    );
    (info.width, info.height)
}

/// Checks that a file is a PDF with the embedded font (text as text, not outlines).
pub fn check_pdf(path: &Path) {
    let bytes = fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "{}", path.display());
    assert!(
        bytes.len() > 5_000,
        "{}: {} bytes",
        path.display(),
        bytes.len()
    );
    assert!(
        String::from_utf8_lossy(&bytes).contains("FontFile2"),
        "{}: no embedded font",
        path.display()
    );
}

/// The text of every `<text>` element of an SVG, trimmed and unescaped.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let body = &chunk[chunk.find('>')? + 1..chunk.find("</text>")?];
            Some(
                body.trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// Checks `DIR/datapackage.json` against the CSV files in the directory (and in `daily/`,
/// `network/`, `out_of_sample/`): every file is a resource (or a part of one), and its
/// fields are exactly the file's columns, in order, each with a Frictionless type and a
/// description. Returns how many files it checked.
pub fn check_datapackage(dir: &Path) -> usize {
    let text = fs::read_to_string(dir.join("datapackage.json"))
        .unwrap_or_else(|e| panic!("{}: datapackage.json: {e}", dir.display()));
    let pkg: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(pkg["profile"], "tabular-data-package");
    let resources = pkg["resources"].as_array().unwrap();
    let mut checked = 0;
    for sub in ["", "daily", "network", "out_of_sample"] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".csv") || name.starts_with('.') {
                continue;
            }
            let rel = if sub.is_empty() {
                name
            } else {
                format!("{sub}/{name}")
            };
            let resource = resources
                .iter()
                .find(|r| {
                    r["path"] == rel.as_str()
                        || r["path"]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|p| p == rel.as_str()))
                })
                .unwrap_or_else(|| panic!("{rel} is not in {}/datapackage.json", dir.display()));
            let header = fs::read_to_string(e.path()).unwrap();
            let header: Vec<&str> = header.lines().next().unwrap_or("").split(',').collect();
            let fields = resource["schema"]["fields"].as_array().unwrap();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(names, header, "{rel}: fields and columns differ");
            for f in fields {
                let kind = f["type"].as_str().unwrap();
                assert!(
                    ["integer", "number", "string", "date", "boolean"].contains(&kind),
                    "{rel}: {f}"
                );
                assert!(
                    !f["description"].as_str().unwrap_or("").is_empty(),
                    "{rel}: column `{}` has no description",
                    f["name"]
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "{}: no CSV file", dir.display());
    // Parquet copies are resources too, with the columns their files hold.
    #[cfg(feature = "parquet")]
    for r in resources.iter().filter(|r| r["format"] == "parquet") {
        let path = dir.join(r["path"].as_str().unwrap());
        let names = relocant::output::parquet::column_names(&path).unwrap();
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, names, "{}", path.display());
        assert!(
            r["schema"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| !f["description"].as_str().unwrap_or("").is_empty())
        );
    }
    checked
}

/// Runs recorded in the journal of the sweep or experiment in `out` so far (whole `R`
/// lines; a line being written is not counted).
pub fn journaled(out: &Path) -> usize {
    let Ok(text) = fs::read(out.join("journal")) else {
        return 0;
    };
    let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    lines.pop(); // after the last newline: empty, or a line still being written
    lines.iter().filter(|l| l.starts_with(b"R ")).count()
}
