//! Telling glyphs apart: each cell is cut out along its line, scaled to the templates'
//! height and compared with each OCR-B template by correlation, among the characters
//! that ICAO 9303 allows at that place in the zone.

use crate::image::{Blob, Gray};
use crate::zone::{Line, TD1_CELLS};

/// The templates, rendered from OCR-B (see the crate's README for the layout and how to
/// make them again): an advance byte, then for each of `CHARS` four metric bytes (the
/// fixtures use them) and the 24 × 24 template: the glyph 24 px tall, its ink box
/// centred.
const GLYPHS: &[u8] = include_bytes!("glyphs.bin");
const CHARS: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
const WIDTH: usize = 24;
const HEIGHT: usize = 24;
const SIZE: usize = WIDTH * HEIGHT;
const RECORD: usize = 4 + SIZE;
/// How much a glyph's height unlike its kind's in this zone counts against a match, per
/// digit height.
const HEIGHT_WEIGHT: f32 = 1.5;
/// A glyph's box holds the rows and columns whose ink reaches this share: a thin stroke,
/// blurred, seldom reaches a half.
const EDGE: f32 = 0.4;

/// Which characters a place in the zone may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    /// Dates and check digits (a filler where a field is empty).
    Digits,
    /// Codes, states, sex and names.
    Letters,
    /// Document numbers and optional data.
    Any,
}

impl Charset {
    /// ICAO 9303's layout of TD1 (three lines of 30) and TD3 (two lines of 44).
    fn at(cells: usize, line: usize, cell: usize) -> Self {
        use Charset::{Any, Digits, Letters};
        if cells == TD1_CELLS {
            match (line, cell) {
                (0, 0..=4) | (1, 7) | (1, 15..=17) | (2, _) => Letters,
                (0, 14) | (1, 0..=6) | (1, 8..=14) | (1, 29) => Digits,
                _ => Any,
            }
        } else {
            match (line, cell) {
                (0, _) | (1, 10..=12) | (1, 20) => Letters,
                (1, 9) | (1, 13..=19) | (1, 21..=27) | (1, 42..=43) => Digits,
                _ => Any,
            }
        }
    }

    fn allows(self, c: u8) -> bool {
        match self {
            Self::Digits => c.is_ascii_digit() || c == b'<',
            Self::Letters => c.is_ascii_uppercase() || c == b'<',
            Self::Any => true,
        }
    }
}

/// A 24 × 24 picture with its mean taken away and scaled to length 1, so that a dot
/// product is the correlation.
struct Normalised([f32; SIZE]);

impl Normalised {
    /// `None` for a flat picture, which matches nothing.
    fn new(values: [f32; SIZE]) -> Option<Self> {
        let mean = values.iter().sum::<f32>() / SIZE as f32;
        let centred = values.map(|v| v - mean);
        let norm = centred.iter().map(|v| v * v).sum::<f32>().sqrt();
        (norm > 1e-3).then(|| Self(centred.map(|v| v / norm)))
    }

    fn correlation(&self, other: &Self) -> f32 {
        // Eight running sums rather than one, so that the compiler can use SIMD: this is
        // where the reader spends its time (cells × 9 shifts × 37 templates).
        let mut lanes = [0.0f32; 8];
        for (a, b) in self.0.chunks_exact(8).zip(other.0.chunks_exact(8)) {
            for lane in 0..8 {
                lanes[lane] += a[lane] * b[lane];
            }
        }
        lanes.iter().sum()
    }
}

/// The 37 templates, ready to compare.
pub struct Templates(Vec<(u8, Normalised)>);

impl Templates {
    pub fn new() -> Self {
        Self(
            CHARS
                .iter()
                .enumerate()
                .filter_map(|(i, &c)| {
                    let template = &GLYPHS[1 + i * RECORD + 4..][..SIZE];
                    let values = std::array::from_fn(|j| f32::from(template[j]) / 255.0);
                    Some((c, Normalised::new(values)?))
                })
                .collect(),
        )
    }

    /// The character among those `charset` allows that best matches any of the
    /// pictures, less `penalty`, and how well (a correlation, at most 1).
    fn classify(
        &self,
        pictures: &[Normalised],
        charset: Charset,
        penalty: impl Fn(u8) -> f32,
    ) -> (char, f32) {
        self.0
            .iter()
            .filter(|(c, _)| charset.allows(*c))
            .map(|(c, template)| {
                let shape = pictures
                    .iter()
                    .map(|p| p.correlation(template))
                    .fold(f32::MIN, f32::max);
                (char::from(*c), shape - penalty(*c))
            })
            .fold(
                ('<', f32::MIN),
                |best, this| if this.1 > best.1 { this } else { best },
            )
    }
}

/// Reads the zone's glyphs, line by line: the text and the mean match.
pub fn read(templates: &Templates, glyphs: &[Vec<Glyph>]) -> (String, f32) {
    let cells: Vec<(Charset, &Glyph, Vec<Normalised>)> = glyphs
        .iter()
        .enumerate()
        .flat_map(|(index, line)| {
            line.iter().enumerate().map(move |(cell, glyph)| {
                (
                    Charset::at(line.len(), index, cell),
                    glyph,
                    glyph.pictures(),
                )
            })
        })
        .collect();
    // First by shape alone, for the zone's own type: how tall its digits, capitals and
    // fillers stand. Where they differ (the templates' font prints digits taller than
    // capitals), a glyph's height then tells a 0 from an O that the shapes nearly tie.
    let first: Vec<char> = cells
        .iter()
        .map(|(charset, _, pictures)| templates.classify(pictures, *charset, |_| 0.0).0)
        .collect();
    let typical = |kind: fn(&char) -> bool| {
        let mut heights: Vec<f32> = cells
            .iter()
            .zip(&first)
            .filter(|(_, c)| kind(c))
            .map(|((_, glyph, _), _)| glyph.height)
            .collect();
        (!heights.is_empty()).then(|| percentile(&mut heights, 0.5))
    };
    let digits = typical(char::is_ascii_digit);
    let capitals = typical(char::is_ascii_uppercase);
    let fillers = typical(|&c| c == '<');
    let mut text = String::new();
    let mut total = 0.0;
    let per_line = glyphs.first().map_or(1, Vec::len);
    for (i, (charset, glyph, pictures)) in cells.iter().enumerate() {
        if i > 0 && i % per_line == 0 {
            text.push('\n');
        }
        let penalty = |c: u8| {
            let expected = match c {
                b'0'..=b'9' => digits,
                b'A'..=b'Z' => capitals,
                _ => fillers,
            };
            match (expected, digits) {
                (Some(expected), Some(unit)) => {
                    HEIGHT_WEIGHT * (glyph.height - expected).abs() / unit
                }
                _ => 0.0,
            }
        };
        let (c, matched) = templates.classify(pictures, *charset, penalty);
        text.push(c);
        total += matched;
    }
    (text, total / cells.len() as f32)
}

/// A cell cut out along its line, so that a tilted glyph stands upright: how much ink
/// covers each pixel, from the paper's grey (0) to the glyph's darkest (1). Grey levels
/// rather than black and white: a hard cut would thicken the strokes of a small or
/// blurred glyph until its holes close.
pub struct Glyph {
    width: usize,
    coverage: Vec<f32>,
    /// Where the glyph's blobs lie, ends exclusive: specks and neighbours stay out.
    blob_box: (usize, usize, usize, usize),
    /// The centre of its ink box, as the templates'.
    centre: (f32, f32),
    /// The ink box's height, finer than whole rows. Glyphs are compared at one height:
    /// in the templates' font digits stand taller than capitals, on documents they do
    /// not.
    height: f32,
}

impl Glyph {
    /// Cell `cell` of `line`; `None` when it holds no ink.
    pub fn cut(gray: &Gray, blobs: &[Blob], line: &Line, cell: usize) -> Option<Self> {
        let (cx, cy) = line.centre(cell);
        let norm = (1.0 + line.slope * line.slope).sqrt();
        let (cos, sin) = (1.0 / norm, line.slope / norm);
        let width = line.pitch.round() as usize;
        let height = (1.5 * line.height).round() as usize;
        let (half_w, half_h) = (width as f32 / 2.0, height as f32 / 2.0);
        // Between the photo and the patch: turned by the line's slope about the centre.
        let to_photo = |x: f32, y: f32| {
            let (u, v) = (x - half_w, y - half_h);
            (cx + u * cos - v * sin, cy + u * sin + v * cos)
        };
        let to_patch = |x: f32, y: f32| {
            let (dx, dy) = (x - cx, y - cy);
            (half_w + dx * cos + dy * sin, half_h - dx * sin + dy * cos)
        };
        let grey: Vec<f32> = (0..width * height)
            .map(|i| {
                let (x, y) = to_photo((i % width) as f32 + 0.5, (i / width) as f32 + 0.5);
                gray.at(x, y)
            })
            .collect();

        // The glyph's blobs: centred in the patch, more than specks.
        let min_pixels = (line.height * line.height / 40.0) as usize;
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for blob in blobs.iter().filter(|b| b.pixels >= min_pixels) {
            let (bx, by) = blob.centre();
            let (px, py) = to_patch(bx, by);
            if px < 0.0 || py < 0.0 || px >= width as f32 || py >= height as f32 {
                continue;
            }
            let corners = [
                (blob.x0, blob.y0),
                (blob.x1, blob.y0),
                (blob.x0, blob.y1),
                (blob.x1, blob.y1),
            ];
            for (x, y) in corners {
                let (px, py) = to_patch(x as f32, y as f32);
                (x0, y0, x1, y1) = (x0.min(px), y0.min(py), x1.max(px), y1.max(py));
            }
        }
        let clamp = |v: f32, end: usize| (v.max(0.0).round() as usize).min(end);
        let (x0, y0) = (clamp(x0, width), clamp(y0, height));
        let (x1, y1) = (clamp(x1, width), clamp(y1, height));
        if x0 >= x1 || y0 >= y1 {
            return None;
        }

        // The cell is mostly paper; the glyph's darkest twentieth is ink.
        let paper = percentile(&mut grey.clone(), 0.75);
        let mut inked: Vec<f32> = (y0..y1)
            .flat_map(|y| grey[y * width + x0..y * width + x1].iter().copied())
            .collect();
        let ink = percentile(&mut inked, 0.05);
        if paper - ink < 1.0 {
            return None;
        }
        let coverage: Vec<f32> = grey
            .iter()
            .map(|g| ((paper - g) / (paper - ink)).clamp(0.0, 1.0))
            .collect();
        let at = |x: usize, y: usize| coverage[y * width + x];
        let rows: Vec<usize> = (y0..y1)
            .filter(|&y| (x0..x1).any(|x| at(x, y) >= EDGE))
            .collect();
        let columns: Vec<usize> = (x0..x1)
            .filter(|&x| (y0..y1).any(|y| at(x, y) >= EDGE))
            .collect();
        let (&top, &bottom) = (rows.first()?, rows.last()?);
        let (&left, &right) = (columns.first()?, columns.last()?);
        // The top and bottom edges lie where the rows' strongest ink crosses `EDGE`,
        // between the centres of the last row in and the first out.
        let strongest = |y: Option<usize>| {
            y.filter(|y| (y0..y1).contains(y))
                .map_or(0.0, |y| (x0..x1).map(|x| at(x, y)).fold(0.0, f32::max))
        };
        let beyond = |inside: usize, outside: Option<usize>| {
            let (a, b) = (strongest(Some(inside)), strongest(outside));
            (a - EDGE) / (a - b).max(1e-3)
        };
        let top_edge = top as f32 + 0.5 - beyond(top, top.checked_sub(1));
        let bottom_edge = bottom as f32 + 0.5 + beyond(bottom, Some(bottom + 1));
        Some(Self {
            width,
            centre: (
                (left + right + 1) as f32 / 2.0,
                (top_edge + bottom_edge) / 2.0,
            ),
            height: bottom_edge - top_edge,
            blob_box: (x0, y0, x1, y1),
            coverage,
        })
    }

    /// The glyph as tall as the templates, its ink box centred, and moved by up to a
    /// template pixel each way: the box is only as exact as a pixel of the photo, and a
    /// stroke is three template pixels wide.
    fn pictures(&self) -> Vec<Normalised> {
        let scale = HEIGHT as f32 / self.height;
        let (x0, y0, x1, y1) = self.blob_box;
        let (x0, y0, x1, y1) = (x0 as f32, y0 as f32, x1 as f32, y1 as f32);
        let at = |x: usize, y: usize| self.coverage[y * self.width + x];
        // Coverage between pixel centres; none outside the glyph's blobs.
        let ink_at = |tx: f32, ty: f32| -> f32 {
            let x = self.centre.0 + (tx - WIDTH as f32 / 2.0) / scale;
            let y = self.centre.1 + (ty - HEIGHT as f32 / 2.0) / scale;
            if x < x0 || x >= x1 || y < y0 || y >= y1 {
                return 0.0;
            }
            let (fx, fy) = ((x - 0.5).max(x0), (y - 0.5).max(y0));
            let (px, py) = (fx as usize, fy as usize);
            let (nx, ny) = ((px + 1).min(x1 as usize - 1), (py + 1).min(y1 as usize - 1));
            let (ax, ay) = (fx - px as f32, fy - py as f32);
            let top = at(px, py) * (1.0 - ax) + at(nx, py) * ax;
            let bottom = at(px, ny) * (1.0 - ax) + at(nx, ny) * ax;
            top * (1.0 - ay) + bottom * ay
        };
        // Each template pixel is the mean coverage at 3 × 3 points in it.
        let sample: [f32; SIZE] = std::array::from_fn(|i| {
            let (tx, ty) = ((i % WIDTH) as f32, (i / WIDTH) as f32);
            let points = (0..9).map(|p| {
                let (px, py) = ((p % 3) as f32, (p / 3) as f32);
                ink_at(tx + (px + 0.5) / 3.0, ty + (py + 0.5) / 3.0)
            });
            points.sum::<f32>() / 9.0
        });
        (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
            .filter_map(|(dx, dy): (isize, isize)| {
                Normalised::new(std::array::from_fn(|i| {
                    let (x, y) = ((i % WIDTH) as isize - dx, (i / WIDTH) as isize - dy);
                    let inside =
                        (0..WIDTH as isize).contains(&x) && (0..HEIGHT as isize).contains(&y);
                    if inside {
                        sample[y as usize * WIDTH + x as usize]
                    } else {
                        0.0
                    }
                }))
            })
            .collect()
    }
}

/// The value below which `share` of the values lie.
fn percentile(values: &mut [f32], share: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((values.len() - 1) as f32 * share) as usize;
    *values.select_nth_unstable_by(rank, f32::total_cmp).1
}
