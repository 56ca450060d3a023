//! The look shared by every figure: the embedded font, the Okabe–Ito colours with a fixed
//! colour per outcome and per scenario index, and sizes in print units.
//!
//! Figures are drawn in pixels of the 300 dpi PNG, so every size here is converted from
//! points or millimetres at the physical column width. Nothing in this module reads files.

use std::sync::Once;

use plotters::style::{FontStyle, RGBAColor, RGBColor, register_font};

use super::ColumnWidth;

/// DejaVu Sans 2.37 (licence in `assets/fonts/LICENSE-DejaVu.txt`), embedded so that text
/// renders the same on a machine without any system fonts.
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name written into the SVG. It is a CSS font list, so an SVG viewer uses
/// DejaVu Sans where it has it and its own sans-serif otherwise; plotters only uses it as
/// the key under which [`FONT_BYTES`] is registered.
pub const FONT: &str = "DejaVu Sans, sans-serif";

/// Registers the embedded font with plotters (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for name in [FONT, "sans-serif"] {
            // The bytes are a valid TrueType font checked by the tests; failure would only
            // mean text cannot be measured, which the drawing calls then report as errors.
            let _ = register_font(name, FontStyle::Normal, FONT_BYTES);
        }
    });
}

/// Printed resolution of the PNG files.
pub const DPI: f64 = 300.0;

/// Pixels (at [`DPI`]) per typographic point.
pub fn pt(points: f64) -> f64 {
    points * DPI / 72.0
}

/// Pixels (at [`DPI`]) per millimetre, rounded.
pub fn mm(millimetres: f64) -> i32 {
    (millimetres / 25.4 * DPI).round() as i32
}

// Okabe & Ito (2008), "Color universal design": distinguishable with any common form of
// colour-vision deficiency.
pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
/// Neutral grey for "none" categories.
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// An eighth categorical colour, after the seven Okabe–Ito hues (black is too heavy as
/// an area fill).
pub const DARK_GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// Axis lines, tick labels and event markers.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const EVENT_LINE: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
/// Event names in a numbered key, a step lighter than the numbers.
pub const EVENT_KEY: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// The end-of-run outcomes of arrivals, each with one colour in every figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Present,
    Integrated,
    MovedOn,
    Returned,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Present,
        Outcome::Integrated,
        Outcome::MovedOn,
        Outcome::Returned,
    ];

    pub fn colour(self) -> RGBColor {
        match self {
            Outcome::Present => BLUE,
            Outcome::Integrated => BLUISH_GREEN,
            Outcome::MovedOn => ORANGE,
            Outcome::Returned => VERMILLION,
        }
    }

    /// The column name in `daily.csv` (the stock of persons).
    pub fn column(self) -> &'static str {
        match self {
            Outcome::Present => "present",
            Outcome::Integrated => "integrated",
            Outcome::MovedOn => "moved_on",
            Outcome::Returned => "returned",
        }
    }

    /// The column name in `summary.csv` (share of arrivals).
    pub fn share_column(self) -> &'static str {
        match self {
            Outcome::Present => "share_present",
            Outcome::Integrated => "share_integrated",
            Outcome::MovedOn => "share_moved_on",
            Outcome::Returned => "share_returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Present => "present",
            Outcome::Integrated => "integrated",
            Outcome::MovedOn => "moved on",
            Outcome::Returned => "returned",
        }
    }
}

/// Scenario `index` (0 is the baseline) has this colour in every comparison figure.
pub fn scenario_colour(index: usize) -> RGBColor {
    const SCENARIOS: [RGBColor; 8] = [
        BLACK,
        BLUE,
        ORANGE,
        BLUISH_GREEN,
        VERMILLION,
        REDDISH_PURPLE,
        SKY_BLUE,
        YELLOW,
    ];
    SCENARIOS[index % SCENARIOS.len()]
}

/// Colours for the categories of one stacked or multi-line chart, in column order.
/// A category named `none` (or `*_none`) is grey so that "nothing" never looks like data.
pub fn category_colours(names: &[String]) -> Vec<RGBColor> {
    const CYCLE: [RGBColor; 8] = [
        SKY_BLUE,
        BLUE,
        BLUISH_GREEN,
        ORANGE,
        REDDISH_PURPLE,
        VERMILLION,
        YELLOW,
        DARK_GREY,
    ];
    let mut next = 0;
    names
        .iter()
        .map(|name| {
            if name == "none" || name.ends_with("_none") {
                GREY
            } else {
                next += 1;
                CYCLE[(next - 1) % CYCLE.len()]
            }
        })
        .collect()
}

/// A sequential, colour-blind-safe ramp (viridis, dark to light, without the palest
/// yellow that would vanish on white), sampled at `t` in 0..=1.
pub fn sequential(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 6] = [
        (0x44, 0x01, 0x54),
        (0x41, 0x44, 0x87),
        (0x2A, 0x78, 0x8E),
        (0x22, 0xA8, 0x84),
        (0x7A, 0xD1, 0x51),
        (0xC2, 0xDF, 0x23),
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A translucent version of `colour`, for uncertainty bands.
pub fn band(colour: RGBColor) -> RGBAColor {
    RGBAColor(colour.0, colour.1, colour.2, 0.2)
}

/// Sizes of one figure at its print width, in PNG pixels.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Print size.
    pub width_mm: f64,
    pub height_mm: f64,
    /// Pixel size at [`DPI`].
    pub width: u32,
    pub height: u32,
    /// Tick labels, legend entries.
    pub text: f64,
    /// Axis titles.
    pub axis_title: f64,
    /// Event labels.
    pub small: f64,
    pub title: f64,
    /// Data lines.
    pub line: u32,
    /// Axis lines, event lines, whiskers' caps.
    pub thin: u32,
    pub tick: i32,
    /// General padding between elements.
    pub pad: i32,
    /// Left and right outer margins.
    pub margin: i32,
    /// The least height of a chart's plotting area; figures grow taller to keep it.
    pub min_plot: i32,
}

impl Theme {
    /// Sizes for a figure `height_mm` tall at `width`'s print width.
    pub fn new(width: &ColumnWidth, height_mm: f64) -> Self {
        let width_mm = width.millimetres();
        // plotters sizes fonts by line height: 1 em in the SVG is `size / 1.24`.
        let font = |points: f64| pt(points) * 1.24;
        let single = matches!(width, ColumnWidth::Single);
        Self {
            width_mm,
            height_mm,
            width: mm(width_mm) as u32,
            height: mm(height_mm) as u32,
            text: font(if single { 7.5 } else { 8.0 }),
            axis_title: font(if single { 8.0 } else { 8.5 }),
            small: font(if single { 6.5 } else { 7.0 }),
            title: font(if single { 9.0 } else { 10.0 }),
            line: pt(1.25).round() as u32,
            thin: pt(0.6).round().max(1.0) as u32,
            tick: pt(3.0).round() as i32,
            pad: pt(3.0).round() as i32,
            margin: pt(8.0).round() as i32,
            min_plot: mm(if single { 35.0 } else { 45.0 }),
        }
    }

    /// The same sizes on a canvas `extra` pixels taller.
    pub fn taller(&self, extra: i32) -> Self {
        let height = self.height + extra.max(0) as u32;
        Self {
            height,
            height_mm: f64::from(height) / DPI * 25.4,
            ..self.clone()
        }
    }
}
