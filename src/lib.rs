//! Qoltanba's single-page app: the applicant's wizard for remote EDS issuance.
//!
//! One module per wizard step under `steps/`, shared widgets under `components/`,
//! browser capabilities (camera, …) in their own modules, and every user-facing
//! error message in `messages`.

pub mod api;
pub mod app;
pub mod applications;
pub mod call;
pub mod camera;
pub mod clock;
pub mod components;
pub mod face;
pub mod key_store;
pub mod keys;
pub mod kiosk;
pub mod messages;
pub mod operator;
pub mod photo;
pub mod services;
pub mod speech;
pub mod steps;
pub mod wizard;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
