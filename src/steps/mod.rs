//! One component per step of the applicant's wizard, in the order of the flow.

pub mod accessibility;
pub mod applicant;
pub mod application;
pub mod digital_id;
pub mod landing;
pub mod not_found;
pub mod phone_code;
pub mod registered;
pub mod status;
pub mod video_call;
pub mod webcam_check;
