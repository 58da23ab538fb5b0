//! Renders the 37 glyphs of the zone from the OCR-B font into `src/glyphs.bin` (the
//! layout is in the crate's README). Run once, when the templates should change:
//!
//! ```sh
//! apt-get install fonts-ocr-b
//! cargo run -p qoltanba-mrz-ocr --example make_glyphs -- [font.otf] [out.bin]
//! ```

use std::error::Error;
use std::path::PathBuf;

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};

const CHARS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
const TEMPLATE_WIDTH: usize = 24;
const TEMPLATE_HEIGHT: usize = 24;
/// Pixels per em of the master rendering: large enough that rounding the ink box to
/// whole pixels does not matter.
const MASTER_PX: f32 = 1200.0;

/// One glyph rendered large: coverage 0..1 over its pixel box, placed relative to the
/// pen position on the baseline (y grows downwards).
struct Master {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    coverage: Vec<f32>,
}

impl Master {
    /// The box of the pixels at least half covered, as a binarised photo sees the ink.
    fn ink_box(&self) -> (usize, usize, usize, usize) {
        let inked = |x: usize, y: usize| self.coverage[y * self.width + x] >= 0.5;
        let rows: Vec<usize> = (0..self.height)
            .filter(|&y| (0..self.width).any(|x| inked(x, y)))
            .collect();
        let cols: Vec<usize> = (0..self.width)
            .filter(|&x| (0..self.height).any(|y| inked(x, y)))
            .collect();
        (
            cols[0],
            rows[0],
            cols[cols.len() - 1] + 1,
            rows[rows.len() - 1] + 1,
        )
    }

    /// The glyph scaled to `TEMPLATE_HEIGHT` pixels tall, its ink box centred: each
    /// template pixel is the mean coverage of the master pixels whose centres fall
    /// inside it.
    fn template(&self) -> Vec<u8> {
        let (x0, y0, x1, y1) = self.ink_box();
        let scale = TEMPLATE_HEIGHT as f32 / (y1 - y0) as f32;
        let (cx, cy) = ((x0 + x1) as f32 / 2.0, (y0 + y1) as f32 / 2.0);
        let mut sum = vec![0.0f32; TEMPLATE_WIDTH * TEMPLATE_HEIGHT];
        for y in 0..self.height {
            for x in 0..self.width {
                let tx = TEMPLATE_WIDTH as f32 / 2.0 + (x as f32 + 0.5 - cx) * scale;
                let ty = TEMPLATE_HEIGHT as f32 / 2.0 + (y as f32 + 0.5 - cy) * scale;
                if (0.0..TEMPLATE_WIDTH as f32).contains(&tx)
                    && (0.0..TEMPLATE_HEIGHT as f32).contains(&ty)
                {
                    sum[ty as usize * TEMPLATE_WIDTH + tx as usize] +=
                        self.coverage[y * self.width + x];
                }
            }
        }
        // A template pixel holds 1 / scale² master pixels.
        sum.iter()
            .map(|s| (s * scale * scale * 255.0).round().min(255.0) as u8)
            .collect()
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let font_path = args
        .next()
        .unwrap_or_else(|| "/usr/share/fonts/opentype/ocr-b/OCRB.otf".into());
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join("glyphs.bin")
    });
    let font = FontVec::try_from_vec(std::fs::read(&font_path)?)?;
    let scale = PxScale::from(MASTER_PX);

    let mut advance = None;
    let mut masters = Vec::new();
    for c in CHARS.chars() {
        let id = font.glyph_id(c);
        // OCR-B is monospaced: every glyph of the zone has the same advance.
        let this_advance = font.as_scaled(scale).h_advance(id);
        assert!(advance.is_none_or(|a: f32| (a - this_advance).abs() < 0.5));
        advance = Some(this_advance);
        let outlined = font
            .outline_glyph(id.with_scale_and_position(scale, point(0.0, 0.0)))
            .ok_or(format!("the font has no outline for {c:?}"))?;
        let bounds = outlined.px_bounds();
        let (width, height) = (bounds.width() as usize, bounds.height() as usize);
        let mut coverage = vec![0.0; width * height];
        outlined.draw(|x, y, c| coverage[y as usize * width + x as usize] = c);
        masters.push(Master {
            left: bounds.min.x as i32,
            top: bounds.min.y as i32,
            width,
            height,
            coverage,
        });
    }

    // Metrics are in hundredths of the line: from the highest ink of any glyph to the
    // lowest.
    let ink = |m: &Master| {
        let (x0, y0, x1, y1) = m.ink_box();
        let (x0, y0) = (m.left + x0 as i32, m.top + y0 as i32);
        (x0, y0, m.left + x1 as i32, m.top + y1 as i32)
    };
    let line_top = masters.iter().map(|m| ink(m).1).min().unwrap_or(0);
    let line_bottom = masters.iter().map(|m| ink(m).3).max().unwrap_or(0);
    let unit = (line_bottom - line_top) as f32 / 100.0;
    let hundredths = |v: f32| -> Result<u8, String> {
        let v = (v / unit).round();
        if (0.0..=255.0).contains(&v) {
            Ok(v as u8)
        } else {
            Err(format!("a metric does not fit a byte: {v}"))
        }
    };

    let mut bytes = vec![hundredths(advance.unwrap_or(0.0))?];
    for (c, master) in CHARS.chars().zip(&masters) {
        let (x0, y0, x1, y1) = ink(master);
        bytes.push(hundredths(x0 as f32)?);
        bytes.push(hundredths((y0 - line_top) as f32)?);
        bytes.push(hundredths((x1 - x0) as f32)?);
        bytes.push(hundredths((y1 - y0) as f32)?);
        let template = master.template();
        eprintln!("{c}");
        for row in template.chunks(TEMPLATE_WIDTH) {
            let shades: String = row
                .iter()
                .map(|&v| [' ', '.', '+', '#'][usize::from(v) * 4 / 256])
                .collect();
            eprintln!("  |{shades}|");
        }
        bytes.extend(template);
    }
    std::fs::write(&out, &bytes)?;
    println!("{} bytes to {}", bytes.len(), out.display());
    Ok(())
}
