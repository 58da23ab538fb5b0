//! The end-to-end harness: the real server (in this process, on a random port, with a
//! fresh SQLite file and the demo data), the SPA that trunk built into `dist/`, and
//! headless Chromium driven through Debian's chromedriver.

pub mod browser;
pub mod server;

pub use browser::{Browser, Camera};
pub use server::TestServer;

use std::path::PathBuf;

/// The repository's root, where `dist/` and `tests/fixtures/` are.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The fake-camera videos, generated on first use from the fixture photo.
pub fn videos() -> qoltanba_fixtures::Videos {
    qoltanba_fixtures::ensure_videos(&workspace_root().join("tests/fixtures/generated"))
        .expect("fixture videos can be generated")
}
