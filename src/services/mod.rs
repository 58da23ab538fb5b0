//! The services of NCA's main page beside the applicant's wizard: «Личный кабинет»
//! (the first head confirms his organisation's applications), «Отзыв ключа ЭЦП» and
//! «Проверка ключа ЭЦП». Each works with a key store opened in the page.

pub mod cabinet;
pub mod key_check;
pub mod revocation;
