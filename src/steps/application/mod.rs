//! The application (steps 22–26 of the guide): the NCA user agreement, «Данные онлайн
//! заявки» where the browser makes the keys and sends only the requests, and
//! «ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!».

pub mod agreement;
pub mod form;
pub mod submitted;
