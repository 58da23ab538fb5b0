//! How well the reader does across photo sizes, zone sizes, tilts and JPEG qualities,
//! and how long it takes: `cargo run --release -p qoltanba-mrz-ocr --example sweep`
//! (add `all` to list every photo, not only the misread ones). Misread characters show
//! as themselves among dots.

use std::time::Instant;

use qoltanba_fixtures::{document_jpeg, td1, td3, Document, Image, Shot};

fn main() {
    let all = std::env::args().nth(1).is_some_and(|a| a == "all");
    let names = "ZHAKSYBEKOVA<<AIGERIM<SERIK";
    let card = td1("049002145", "920724405673", "920724", 'F', "320301", names);
    let passport = td3("N12345678", "920724405673", "920724", 'F', "320301", names);
    let frames = [(2000, 1500), (1500, 2000), (1280, 960), (1024, 768)];
    let (mut misread, mut photos, mut slowest) = (0, 0, 0.0f32);
    for (document, zone) in [
        (Document::IdCardBack, card),
        (Document::PassportPage, passport),
    ] {
        let mut shots = vec![Shot::filling(document)];
        for (width, height) in frames {
            for share in [0.05, 0.075, 0.1] {
                let shot = Shot::zone_share(document, width, height, share);
                // Only where the whole document fits.
                if shot.document_width < 0.95 * width as f32 {
                    shots.push(shot);
                }
            }
        }
        for shot in shots {
            for tilt_degrees in [-3.0, -1.5, 0.0, 1.0, 2.0, 3.0] {
                for jpeg_quality in [50, 75, 90] {
                    let shot = Shot {
                        tilt_degrees,
                        jpeg_quality,
                        ..shot.clone()
                    };
                    let jpeg = document_jpeg(document, Some(&zone), &shot);
                    let photo = Image::from_jpeg(&jpeg).expect("the fixture is a JPEG");
                    let rgba = photo.rgba();
                    let start = Instant::now();
                    let read = qoltanba_mrz_ocr::read(&rgba, photo.width, photo.height);
                    let ms = start.elapsed().as_secs_f32() * 1000.0;
                    slowest = slowest.max(ms);
                    photos += 1;
                    let exact = read.as_deref() == Some(zone.as_str());
                    misread += usize::from(!exact);
                    if all || !exact {
                        let shown = read.map_or("nothing".into(), |text| {
                            let marked = text.chars().zip(zone.chars());
                            marked
                                .map(|(r, z)| if r == z { '.' } else { r })
                                .collect::<String>()
                                .replace('\n', "|")
                        });
                        println!(
                            "{document:?} {}×{} at {:.0} px, {tilt_degrees}°, q{jpeg_quality}: {ms:.0} ms {shown}",
                            shot.width, shot.height, shot.document_width
                        );
                    }
                }
            }
        }
    }
    println!("{misread} of {photos} photos misread; the slowest took {slowest:.0} ms");
}
