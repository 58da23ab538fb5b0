//! The photo as the reader sees it: grey levels at a working size, which pixels are
//! ink, and the ink's connected blobs.

/// Photos are brought down to at most this many pixels on their longer side: a zone of
/// 5 % of the height still has glyphs over 10 px tall, and the work stays small.
const WORKING_SIDE: usize = 1600;

/// Grey levels, row-major.
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    /// Luma from RGBA, shrunk by averaging whole blocks of source pixels when the photo
    /// is larger than the working size.
    pub fn from_rgba(rgba: &[u8], width: usize, height: usize) -> Self {
        let scale = (width.max(height) as f32 / WORKING_SIDE as f32).max(1.0);
        let (w, h) = (
            ((width as f32 / scale) as usize).max(1),
            ((height as f32 / scale) as usize).max(1),
        );
        // Which working column (or row) each source column (or row) adds to.
        let target = |i: usize, n: usize| ((i as f32 / scale) as usize).min(n - 1);
        let columns: Vec<usize> = (0..width).map(|x| target(x, w)).collect();
        let mut sums = vec![0u32; w * h];
        let mut counts = vec![0u32; w * h];
        for (y, row) in rgba.chunks_exact(4 * width).enumerate() {
            let offset = target(y, h) * w;
            for (p, &x) in row.chunks_exact(4).zip(&columns) {
                let luma = 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
                sums[offset + x] += luma >> 8;
                counts[offset + x] += 1;
            }
        }
        Self {
            width: w,
            height: h,
            pixels: sums
                .iter()
                .zip(&counts)
                .map(|(&s, &n)| (s / n) as u8)
                .collect(),
        }
    }

    /// The grey level between pixel centres; the edge continues outside.
    pub fn at(&self, x: f32, y: f32) -> f32 {
        let (fx, fy) = ((x - 0.5).max(0.0), (y - 0.5).max(0.0));
        let (x0, y0) = (
            (fx as usize).min(self.width - 1),
            (fy as usize).min(self.height - 1),
        );
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
        let at = |x: usize, y: usize| f32::from(self.pixels[y * self.width + x]);
        let top = at(x0, y0) * (1.0 - ax) + at(x1, y0) * ax;
        let bottom = at(x0, y1) * (1.0 - ax) + at(x1, y1) * ax;
        top * (1.0 - ay) + bottom * ay
    }

    /// Ink is what is clearly darker than its surroundings (Bradley's adaptive
    /// threshold): uneven light and coloured paper shift the local mean, not the answer.
    pub fn binarise(&self) -> Binary {
        let (w, h) = (self.width, self.height);
        // The window spans several glyphs, so a glyph's own ink does not raise the bar.
        let radius = (w.max(h) / 50).max(7);
        // Sums over [0, x) × [0, y).
        let mut integral = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0;
            for x in 0..w {
                row += u32::from(self.pixels[y * w + x]);
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        let mut ink = vec![false; w * h];
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(h));
            let (top, bottom) = (&integral[y0 * (w + 1)..], &integral[y1 * (w + 1)..]);
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
                let sum = bottom[x1] + top[x0] - top[x1] - bottom[x0];
                let area = ((x1 - x0) * (y1 - y0)) as u32;
                let value = u32::from(self.pixels[y * w + x]) * area;
                // 15 % darker than the mean, and by more than sensor noise.
                ink[y * w + x] = value * 100 < sum * 85 && value + 16 * area < sum;
            }
        }
        Binary {
            width: w,
            height: h,
            ink,
        }
    }
}

/// Which pixels are ink.
pub struct Binary {
    pub width: usize,
    pub height: usize,
    pub ink: Vec<bool>,
}

/// A connected blob of ink (8-neighbourhood): its box, ends exclusive, and its size.
#[derive(Debug, Clone, Copy)]
pub struct Blob {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
    pub pixels: usize,
}

impl Blob {
    pub fn width(&self) -> usize {
        self.x1 - self.x0
    }

    pub fn height(&self) -> usize {
        self.y1 - self.y0
    }

    pub fn centre(&self) -> (f32, f32) {
        (
            (self.x0 + self.x1) as f32 / 2.0,
            (self.y0 + self.y1) as f32 / 2.0,
        )
    }
}

impl Binary {
    /// Every blob, by flood fill.
    pub fn blobs(&self) -> Vec<Blob> {
        let (w, h) = (self.width, self.height);
        let mut seen = vec![false; w * h];
        let mut blobs = Vec::new();
        let mut stack = Vec::new();
        for start in 0..w * h {
            if !self.ink[start] || seen[start] {
                continue;
            }
            seen[start] = true;
            stack.push(start);
            let (sx, sy) = (start % w, start / w);
            let mut blob = Blob {
                x0: sx,
                y0: sy,
                x1: sx + 1,
                y1: sy + 1,
                pixels: 0,
            };
            while let Some(i) = stack.pop() {
                let (x, y) = (i % w, i / w);
                blob.x0 = blob.x0.min(x);
                blob.x1 = blob.x1.max(x + 1);
                blob.y1 = blob.y1.max(y + 1);
                blob.pixels += 1;
                for ny in y.saturating_sub(1)..(y + 2).min(h) {
                    for nx in x.saturating_sub(1)..(x + 2).min(w) {
                        let j = ny * w + nx;
                        if self.ink[j] && !seen[j] {
                            seen[j] = true;
                            stack.push(j);
                        }
                    }
                }
            }
            blobs.push(blob);
        }
        blobs
    }
}
