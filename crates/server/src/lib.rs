//! Qoltanba's server: the registration and certification authority's API, the
//! simulated state registries and SMS gateway behind traits, and the host of the SPA.

pub mod api;
pub mod applications;
pub mod argon;
pub mod audit;
pub mod biometrics;
pub mod ca;
pub mod cabinet;
pub mod calls;
pub mod config;
pub mod demo;
pub mod digital_id;
pub mod document_photo;
pub mod error;
pub mod face_check;
pub mod iin_locks;
pub mod moderation;
pub mod one_time_codes;
pub mod operators;
pub mod phone_check;
pub mod phone_registration;
pub mod registries;
pub mod retention;
pub mod secret;
pub mod session_cookie;
pub mod sms;
pub mod sms_texts;
pub mod spa;
pub mod startup;
pub mod state;
pub mod vault;
