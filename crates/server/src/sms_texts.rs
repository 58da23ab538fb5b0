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

/// An operator approved the document sent to moderation.
pub fn document_approved(language: Language) -> &'static str {
    match language {
        Language::Ru => "Qoltanba: оператор проверил и подтвердил ваш документ. Откройте Digital ID, чтобы продолжить.",
        Language::Kk => "Qoltanba: оператор құжатыңызды тексеріп, растады. Жалғастыру үшін Digital ID-ды ашыңыз.",
        Language::En => "Qoltanba: an operator checked and approved your document. Open Digital ID to continue.",
    }
}

/// An operator rejected it. The reason stays in the account: an SMS carries no
/// personal data, and anybody may read a phone's screen.
pub fn document_rejected(language: Language) -> &'static str {
    match language {
        Language::Ru => "Qoltanba: оператор отклонил ваш документ. Причина — в личном кабинете Digital ID.",
        Language::Kk => "Qoltanba: оператор құжатыңызды қабылдамады. Себебін Digital ID жеке кабинетінен қараңыз.",
        Language::En => "Qoltanba: an operator rejected your document. Open your Digital ID account to see the reason.",
    }
}
