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

/// The code an operator registers a phone with: unlike any other code, this one the
/// applicant reads aloud, to the operator on the video call only.
pub fn phone_registration_code(language: Language, code: &OtpCode) -> String {
    let code = code.as_str();
    match language {
        Language::Ru => format!("Qoltanba: код {code} для регистрации номера. Продиктуйте его только оператору НУЦ в видеозвонке."),
        Language::Kk => format!("Qoltanba: нөмірді тіркеу коды {code}. Оны тек бейнеқоңыраудағы ҰКО операторына айтыңыз."),
        Language::En => format!("Qoltanba: code {code} to register your number. Read it out only to the NCA operator on your video call."),
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

/// The first head confirmed an application: its certificates are issued.
pub fn application_confirmed(language: Language, number: &str) -> String {
    match language {
        Language::Ru => format!("Qoltanba: заявка {number} подтверждена, сертификаты выпущены. Установите их на странице «Проверка статуса заявки» в том же браузере."),
        Language::Kk => format!("Qoltanba: {number} өтінімі расталды, сертификаттар шығарылды. Оларды сол браузерде «Өтінім мәртебесін тексеру» бетінде орнатыңыз."),
        Language::En => format!("Qoltanba: application {number} is confirmed and its certificates issued. Install them on the application status page, in the same browser."),
    }
}

/// The first head rejected it; the reason is on the status page, not in an SMS.
pub fn application_rejected(language: Language, number: &str) -> String {
    match language {
        Language::Ru => format!("Qoltanba: первый руководитель отклонил заявку {number}. Причина — на странице «Проверка статуса заявки»."),
        Language::Kk => format!("Qoltanba: бірінші басшы {number} өтінімін қабылдамады. Себебі — «Өтінім мәртебесін тексеру» бетінде."),
        Language::En => format!("Qoltanba: the first head rejected application {number}. The reason is on the application status page."),
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
