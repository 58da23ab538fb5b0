//! Reads the machine-readable zone (ICAO 9303) from a photo of an identity document, in
//! the browser or natively, with no model: ink is found against its local light,
//! glyph-sized blobs are chained into lines, the lowest lines of 30 or 44 evenly spaced
//! cells are the zone, and each cell, cut out along its line in grey levels, is matched
//! against the 37 OCR-B glyphs. What it returns is only text: the domain's `Mrz::parse`
//! checks it, and the user corrects a misread line by hand.

mod glyphs;
mod image;
mod zone;

use glyphs::{Glyph, Templates};
use image::Gray;

/// Below this mean match the "zone" is something else: clean photos match about 0.9,
/// glyphs 10 px tall about 0.6 to 0.7, and three lines of 30 blots about 0.5.
const MIN_MEAN_MATCH: f32 = 0.6;

/// Reads the machine-readable zone from a photo of a document side (RGBA, row-major).
/// Returns the zone's lines joined by '\n' (3×30 for TD1, 2×44 for TD3) when it finds
/// text lines of one of those shapes; `None` when there is no zone it can read.
pub fn read(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    if width == 0 || height == 0 || rgba.len() != width * height * 4 {
        return None;
    }
    let gray = Gray::from_rgba(rgba, width, height);
    let binary = gray.binarise();
    let blobs = binary.blobs();
    let lines = zone::find(&blobs, binary.height)?;
    // Every cell of a zone holds a glyph: an empty one means this is no zone.
    let cells = lines
        .iter()
        .map(|line| {
            (0..line.cells)
                .map(|k| Glyph::cut(&gray, &blobs, line, k))
                .collect::<Option<Vec<_>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    let (text, mean_match) = glyphs::read(&Templates::new(), &cells);
    (mean_match >= MIN_MEAN_MATCH).then_some(text)
}
