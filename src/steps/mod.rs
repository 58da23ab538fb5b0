//! One component per step of the applicant's wizard, in the order of the flow.

pub mod landing;
pub mod not_found;
pub mod webcam_check;
