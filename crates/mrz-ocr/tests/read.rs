//! The reader on photos of documents drawn by the fixtures: the zone in OCR-B on a card
//! or a passport page, with a guilloche, other text, blur, noise, uneven light and JPEG.

use qoltanba_domain::mrz::{Mrz, MrzFormat};
use qoltanba_fixtures::{document_jpeg, td1, td3, Document, Image, Shot};
use time::macros::date;

fn card_zone() -> String {
    td1(
        "049002145",
        "920724405673",
        "920724",
        'F',
        "320301",
        "ZHAKSYBEKOVA<<AIGERIM<SERIK",
    )
}

fn passport_zone() -> String {
    td3(
        "N12345678",
        "920724405673",
        "920724",
        'F',
        "320301",
        "ZHAKSYBEKOVA<<AIGERIM<SERIK",
    )
}

/// What the reader makes of a photo, decoded from its JPEG as the browser would.
fn read(document: Document, zone: Option<&str>, shot: &Shot) -> Option<String> {
    let photo = Image::from_jpeg(&document_jpeg(document, zone, shot)).unwrap();
    qoltanba_mrz_ocr::read(&photo.rgba(), photo.width, photo.height)
}

/// Deterministic numbers in 0..1.
fn random(seed: u32) -> impl FnMut() -> f32 {
    let mut state = seed;
    move || {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 8) as f32 / (1 << 24) as f32
    }
}

#[test]
fn a_clean_card_reads_exactly_and_parses() {
    let zone = card_zone();
    let card = Document::IdCardBack;
    let text = read(card, Some(&zone), &Shot::filling(card)).unwrap();
    assert_eq!(text, zone);
    let mrz = Mrz::parse(&text, date!(2026 - 01 - 01)).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td1);
    assert_eq!(mrz.document_number, "049002145");
}

#[test]
fn a_card_tilted_2_degrees_at_jpeg_75_reads_exactly() {
    let zone = card_zone();
    let card = Document::IdCardBack;
    let shot = Shot {
        tilt_degrees: 2.0,
        jpeg_quality: 75,
        ..Shot::filling(card)
    };
    assert_eq!(read(card, Some(&zone), &shot), Some(zone));
}

#[test]
fn a_small_card_in_a_large_photo_reads_exactly() {
    // A phone's portrait photo, the card turned the other way, its zone 5 % of the
    // height: the reader shrinks the photo and reads glyphs about 15 px tall.
    let zone = card_zone();
    let shot = Shot {
        tilt_degrees: -3.0,
        jpeg_quality: 75,
        ..Shot::zone_share(Document::IdCardBack, 1500, 2000, 0.05)
    };
    assert_eq!(read(Document::IdCardBack, Some(&zone), &shot), Some(zone));
}

#[test]
fn a_passport_page_reads_exactly_and_parses() {
    let zone = passport_zone();
    let page = Document::PassportPage;
    let text = read(page, Some(&zone), &Shot::filling(page)).unwrap();
    assert_eq!(text, zone);
    let mrz = Mrz::parse(&text, date!(2026 - 01 - 01)).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert_eq!(mrz.document_number, "N12345678");
}

#[test]
fn a_card_without_a_zone_reads_nothing() {
    let card = Document::IdCardBack;
    assert_eq!(read(card, None, &Shot::filling(card)), None);
}

#[test]
fn noise_reads_nothing() {
    // Blotches of every size, like a photo of anything: sums of waves, plus grain.
    let (width, height) = (800, 600);
    let mut random = random(12345);
    let waves: Vec<[f32; 4]> = (0..40)
        .map(|_| {
            let amplitude = 10.0 + random() * 30.0;
            [random() * 0.3, random() * 0.3, random() * 6.3, amplitude]
        })
        .collect();
    let mut rgba = Vec::with_capacity(width * height * 4);
    for y in 0..height {
        for x in 0..width {
            let wave: f32 = waves
                .iter()
                .map(|[fx, fy, phase, amplitude]| {
                    amplitude * (fx * x as f32 + fy * y as f32 + phase).sin()
                })
                .sum();
            let v = (128.0 + wave + 60.0 * (random() - 0.5)).clamp(0.0, 255.0) as u8;
            rgba.extend([v, v, v, 255]);
        }
    }
    assert_eq!(qoltanba_mrz_ocr::read(&rgba, width, height), None);
}

#[test]
fn lines_of_blots_read_nothing() {
    // Three lines of 30 dark shapes where a zone would be: bars, ovals and crosses
    // are found as a zone, but match no glyph well enough.
    let (width, height) = (856, 540);
    let mut rgba = vec![230; width * height * 4];
    let mut random = random(99);
    for line in 0..3 {
        let cy = 400 + line * 42;
        for cell in 0..30 {
            let cx = 60 + cell * 25;
            let (w, h) = (
                6 + (random() * 12.0) as usize,
                20 + (random() * 8.0) as usize,
            );
            let shape = (random() * 3.0) as u32;
            for y in cy - h / 2..cy + h / 2 {
                for x in cx - w / 2..cx + w / 2 {
                    let (dx, dy) = (x as f32 - cx as f32, y as f32 - cy as f32);
                    let (rx, ry) = (2.0 * dx / w as f32, 2.0 * dy / h as f32);
                    let inked = match shape {
                        0 => true,
                        1 => rx * rx + ry * ry < 1.0,
                        _ => dx.abs() < 2.0 || dy.abs() < 2.0,
                    };
                    if inked {
                        rgba[4 * (y * width + x)..][..3].copy_from_slice(&[30, 30, 30]);
                    }
                }
            }
        }
    }
    assert_eq!(qoltanba_mrz_ocr::read(&rgba, width, height), None);
}

#[test]
fn a_photo_that_is_not_rgba_of_its_size_reads_nothing() {
    assert_eq!(qoltanba_mrz_ocr::read(&[0; 12], 2, 2), None);
    assert_eq!(qoltanba_mrz_ocr::read(&[], 0, 0), None);
}
