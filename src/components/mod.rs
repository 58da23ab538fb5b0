pub mod assistant;
pub mod field;
pub mod language_switch;
pub mod layout;
