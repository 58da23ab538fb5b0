//! Qoltanba's server: the registration and certification authority's API, the
//! simulated state registries and SMS gateway behind traits, and the host of the SPA.

pub mod api;
pub mod config;
pub mod demo;
pub mod error;
pub mod registries;
pub mod sms;
pub mod spa;
pub mod startup;
pub mod state;
