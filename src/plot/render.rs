//! Turning one drawn figure into its three files: `NAME.svg` (as drawn), `NAME.pdf`
//! (vector, converted by svg2pdf with the embedded font) and `NAME.png` (rasterised by
//! resvg at 300 dpi). PDF and PNG both come from the SVG, so the three always agree.
//!
//! Every file is written atomically (`output::write_file_atomically`), so a reader never
//! sees half a figure.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea, SVGBackend, WHITE};
use resvg::{tiny_skia, usvg};

use super::PlotError;
use super::style::{self, DPI, Theme};

pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type DrawError = DrawingAreaErrorKind<std::io::Error>;

/// Draws a figure with `draw` and writes `NAME.svg`, `NAME.png` and `NAME.pdf` into
/// `out_dir`. Returns the paths written.
///
/// `draw` returns how many pixels its charts fall short of their minimum height; the
/// figure is then drawn once more, that much taller, so a long header never squeezes the
/// data.
pub fn write_figure(
    out_dir: &Path,
    name: &str,
    theme: &Theme,
    draw: impl Fn(&Area, &Theme) -> Result<i32, DrawError>,
) -> Result<Vec<PathBuf>, PlotError> {
    style::register_fonts();
    let draw_error = |message: String| PlotError::Draw {
        figure: name.to_owned(),
        message,
    };
    let (mut svg, mut theme) = (String::new(), theme.clone());
    for attempt in 0..2 {
        svg.clear();
        let shortfall = {
            let root =
                SVGBackend::with_string(&mut svg, (theme.width, theme.height)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| draw_error(e.to_string()))?;
            let shortfall = draw(&root, &theme).map_err(|e| draw_error(e.to_string()))?;
            root.present().map_err(|e| draw_error(e.to_string()))?;
            shortfall
        };
        if shortfall <= 0 || attempt == 1 {
            break;
        }
        theme = theme.taller(shortfall);
    }
    let svg = with_physical_size(&svg, &theme)
        .ok_or_else(|| draw_error("unexpected SVG header".into()))?;

    let tree = usvg::Tree::from_str(&svg, &usvg_options())
        .map_err(|e| draw_error(format!("cannot read back the SVG: {e}")))?;
    let pdf = svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        // Page size in points = SVG size in CSS pixels * 72 / 96, i.e. the physical size.
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| draw_error(format!("PDF conversion failed: {e}")))?;
    let png = rasterise(&tree, &theme).map_err(draw_error)?;

    std::fs::create_dir_all(out_dir).map_err(|source| PlotError::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    let mut written = Vec::with_capacity(3);
    for (ext, bytes) in [("svg", svg.as_bytes()), ("png", &png), ("pdf", &pdf)] {
        let path = out_dir.join(format!("{name}.{ext}"));
        crate::output::write_file_atomically(&path, bytes).map_err(|source| PlotError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// plotters writes `width="W" height="H"` in pixels; a paper needs the physical size, so
/// the root element gets millimetres (the viewBox keeps the drawing's pixel units).
fn with_physical_size(svg: &str, theme: &Theme) -> Option<String> {
    let pixels = format!(r#"width="{}" height="{}""#, theme.width, theme.height);
    let mm = |v: f64| {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let physical = format!(
        r#"width="{}mm" height="{}mm""#,
        mm(theme.width_mm),
        mm(theme.height_mm)
    );
    let header_end = svg.find('>')?;
    svg[..header_end]
        .contains(&pixels)
        .then(|| svg.replacen(&pixels, &physical, 1))
}

/// usvg options whose font database holds only the embedded font, under its own name and
/// as the generic `sans-serif`, so no system font is ever looked for.
fn usvg_options() -> usvg::Options<'static> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fontdb = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(style::FONT_BYTES.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    });
    usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fontdb.clone(),
        ..usvg::Options::default()
    }
}

/// Renders the SVG tree at the theme's pixel size on white and encodes it as an RGB PNG
/// that records its resolution (300 dpi), so page-layout programs place it at print size.
fn rasterise(tree: &usvg::Tree, theme: &Theme) -> Result<Vec<u8>, String> {
    let mut pixmap = tiny_skia::Pixmap::new(theme.width, theme.height)
        .ok_or_else(|| "empty image size".to_owned())?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let scale = theme.width as f32 / tree.size().width();
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );

    // The background is opaque, so premultiplied RGBA equals plain RGBA: drop alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, theme.width, theme.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (DPI / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
