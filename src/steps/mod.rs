//! One component per step of the applicant's wizard, in the order of the flow.

pub mod applicant;
pub mod landing;
pub mod liveness;
pub mod not_found;
pub mod phone_code;
pub mod registered;
pub mod selfie;
pub mod video_call;
pub mod webcam_check;
