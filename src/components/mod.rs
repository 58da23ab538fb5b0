pub mod assistant;
pub mod call_media;
pub mod face_camera;
pub mod field;
pub mod key_file;
pub mod language_switch;
pub mod layout;
