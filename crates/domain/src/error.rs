/// A stable, machine-readable name for an error, such as `"iin.check_digit"`.
///
/// The server puts it in its JSON errors and the SPA maps it to a message in the
/// user's language, so wording can change without breaking either side.
pub trait ErrorCode {
    fn code(&self) -> &'static str;
}
