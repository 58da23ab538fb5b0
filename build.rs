//! Generates the `i18n` module from `locales/*.json` (leptos_i18n 0.6 does it at build time),
//! so a key missing in any language is a build error, not a blank label.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    // Russian first: it is the guide's language and the default for egov.kz users.
    // `interpolate_display`: error messages with values are built as strings in one place.
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("ru")?
        .add_locale("kk")?
        .add_locale("en")?
        .parse_options(options);
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
