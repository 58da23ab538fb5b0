//! Digital ID (steps 8–21 of the guide), one component per screen in the order of the
//! flow: sign-in, «Создать Digital ID», selfie, video liveness, PIN, document photos,
//! «Подтвердить документ», the account («Документы») and the consent.

pub mod account;
pub mod confirm_document;
pub mod consent;
pub mod create;
pub mod document;
pub mod liveness;
pub mod pin;
pub mod selfie;
pub mod sign_in;
