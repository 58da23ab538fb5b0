//! Finding the zone: blobs the size of glyphs are chained into text lines, the lines
//! with 30 or 44 cells of one pitch are kept, and the lowest 3 × 30 or 2 × 44 lines that
//! sit one above the other, parallel and aligned, are the zone.

use crate::image::Blob;

/// How many cells a line of each format has.
pub const TD1_CELLS: usize = 30;
pub const TD3_CELLS: usize = 44;

/// A line of the zone. Cell `k`'s centre is at x = `x0` + `pitch` · k, on the centre
/// line y = `y0` + `slope` · x (a tilted photo has a slope).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub cells: usize,
    pub x0: f32,
    pub pitch: f32,
    pub y0: f32,
    pub slope: f32,
    /// The height of its tall glyphs.
    pub height: f32,
}

impl Line {
    pub fn centre(&self, cell: usize) -> (f32, f32) {
        let x = self.x0 + self.pitch * cell as f32;
        (x, self.y0 + self.slope * x)
    }

    fn middle(&self) -> (f32, f32) {
        self.centre(self.cells / 2)
    }
}

/// The zone's lines, top to bottom, or `None` when no lines fit.
pub fn find(blobs: &[Blob], image_height: usize) -> Option<Vec<Line>> {
    // Glyphs: not specks, not large shapes, not long strokes; two touching glyphs pass.
    let mut glyphs: Vec<Blob> = blobs
        .iter()
        .filter(|b| {
            let (w, h) = (b.width(), b.height());
            h >= 6 && b.pixels >= 12 && h * 6 <= image_height && w * 2 <= h * 5
        })
        .copied()
        .collect();
    glyphs.sort_by(|a, b| a.centre().0.total_cmp(&b.centre().0));
    let mut lines: Vec<Line> = chains(&glyphs)
        .iter()
        .filter_map(|chain| fit(chain))
        .collect();
    lines.sort_by(|a, b| a.middle().1.total_cmp(&b.middle().1));
    // From the bottom up: the zone is the lowest text on the document.
    (0..lines.len()).rev().find_map(|last| {
        let count = if lines[last].cells == TD1_CELLS { 3 } else { 2 };
        let zone = lines.get((last + 1).checked_sub(count)?..=last)?;
        stacked(zone).then(|| zone.to_vec())
    })
}

/// Chains of glyphs, left to right: each glyph is linked to the nearest one to its right
/// that is about as tall and on the same line, within two cells (one glyph may be lost).
fn chains(glyphs: &[Blob]) -> Vec<Vec<Blob>> {
    let mut next: Vec<Option<usize>> = vec![None; glyphs.len()];
    for (i, a) in glyphs.iter().enumerate() {
        let (ax, ay) = a.centre();
        let ah = a.height() as f32;
        // A neighbour at most 1 / 0.6 as tall lies within 2.4 × that height.
        next[i] = (i + 1..glyphs.len())
            .take_while(|&j| glyphs[j].centre().0 - ax <= 4.0 * ah)
            .find(|&j| {
                let b = &glyphs[j];
                let (bx, by) = b.centre();
                let (bh, tall) = (b.height() as f32, ah.max(b.height() as f32));
                bx > ax
                    && bx - ax <= 2.4 * tall
                    && (by - ay).abs() <= 0.35 * tall
                    && ah.min(bh) >= 0.6 * tall
            });
    }
    // Where two glyphs chose the same one, the nearer keeps it: glyphs go left to
    // right, so that is the last to choose.
    let mut previous: Vec<Option<usize>> = vec![None; glyphs.len()];
    for (i, &n) in next.iter().enumerate() {
        if let Some(n) = n {
            previous[n] = Some(i);
        }
    }
    (0..glyphs.len())
        .filter(|&i| previous[i].is_none())
        .map(|start| {
            let mut chain = vec![glyphs[start]];
            let mut at = start;
            while let Some(n) = next[at].filter(|&n| previous[n] == Some(at)) {
                chain.push(glyphs[n]);
                at = n;
            }
            chain
        })
        .filter(|chain| chain.len() >= 20)
        .collect()
}

/// The line through a chain, when its glyphs sit on 30 or 44 cells of one pitch.
fn fit(chain: &[Blob]) -> Option<Line> {
    let xs: Vec<f32> = chain.iter().map(|b| b.centre().0).collect();
    let mut steps: Vec<f32> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    steps.sort_by(f32::total_cmp);
    let rough_pitch = steps[steps.len() / 2];
    // Each glyph's cell, counted step by step: a step is rounded to whole cells far more
    // safely than a distance across the whole line.
    let mut cells = vec![0usize];
    for w in xs.windows(2) {
        let last = cells[cells.len() - 1];
        cells.push(last + ((w[1] - w[0]) / rough_pitch).round() as usize);
    }
    let count = cells[cells.len() - 1] + 1;
    if count != TD1_CELLS && count != TD3_CELLS {
        return None;
    }
    let ks: Vec<f32> = cells.iter().map(|&k| k as f32).collect();
    let (x0, pitch) = least_squares(&ks, &xs);
    let off_cell = ks
        .iter()
        .zip(&xs)
        .filter(|&(&k, &x)| (x - x0 - pitch * k).abs() > 0.3 * pitch)
        .count();
    if off_cell * 10 > chain.len() {
        return None;
    }
    let mut heights: Vec<f32> = chain.iter().map(|b| b.height() as f32).collect();
    heights.sort_by(f32::total_cmp);
    // The median of the taller half: letters and digits, not fillers or broken pieces.
    let height = heights[heights.len() * 3 / 4];
    let (ys, centres): (Vec<f32>, Vec<f32>) = chain
        .iter()
        .filter(|b| b.height() as f32 >= 0.6 * height)
        .map(|b| (b.centre().1, b.centre().0))
        .unzip();
    let (y0, slope) = least_squares(&centres, &ys);
    Some(Line {
        cells: count,
        x0,
        pitch,
        y0,
        slope,
        height,
    })
}

/// Whether the lines, top to bottom, are one zone: the same format and pitch, parallel,
/// starting at the same place, evenly and closely spaced.
fn stacked(lines: &[Line]) -> bool {
    let first = &lines[0];
    let spacings: Vec<f32> = lines
        .windows(2)
        .map(|w| w[1].middle().1 - w[0].middle().1)
        .collect();
    let same = lines.iter().all(|line| {
        line.cells == first.cells
            && (line.pitch / first.pitch - 1.0).abs() < 0.1
            && (line.slope - first.slope).abs() < 0.03
            && (line.x0 - first.x0).abs() < first.pitch
    });
    let close = spacings
        .iter()
        .all(|&s| (1.2 * first.height..3.5 * first.height).contains(&s));
    let even = spacings
        .iter()
        .all(|&s| (s / spacings[0] - 1.0).abs() < 0.2);
    same && close && even
}

/// The straight line y = a + b·x through the points, by least squares: (a, b).
fn least_squares(x: &[f32], y: &[f32]) -> (f32, f32) {
    let n = x.len() as f32;
    let (mx, my) = (x.iter().sum::<f32>() / n, y.iter().sum::<f32>() / n);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (&x, &y) in x.iter().zip(y) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
    }
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - b * mx, b)
}
