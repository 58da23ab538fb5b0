pub mod assistant;
pub mod face_camera;
pub mod field;
pub mod language_switch;
pub mod layout;
