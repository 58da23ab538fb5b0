//! The words of every SMS, in the user's language, in one place.

use qoltanba_domain::api::Language;
use qoltanba_domain::OtpCode;

pub fn one_time_code(language: Language, code: &OtpCode) -> String {
    let code = code.as_str();
    match language {
        Language::Ru => format!("Qoltanba: одноразовый пароль {code}. Никому не сообщайте его."),
        Language::Kk => format!("Qoltanba: бір реттік құпиясөз {code}. Оны ешкімге айтпаңыз."),
        Language::En => format!("Qoltanba: one-time code {code}. Do not share it with anyone."),
    }
}
