//! Reads the machine-readable zone (ICAO 9303) from a photo of an identity document. For
//! now only its glyph templates, `glyphs.bin` (see the README).
