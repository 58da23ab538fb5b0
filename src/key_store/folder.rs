//! «Путь к хранилищу ключей»: a folder the applicant chose, through the File System
//! Access API (Chromium-based browsers). Elsewhere the keys stay in the browser.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetFileOptions,
    FileSystemWritableFileStream,
};

use super::KeyStoreFailure;

/// A chosen folder, writable for as long as the page is open.
#[derive(Clone)]
pub struct Folder {
    handle: FileSystemDirectoryHandle,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFailure {
    /// The user closed the dialog.
    Cancelled,
    /// The browser cannot pick folders, or refused this one.
    Unavailable,
}

fn picker() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"showDirectoryPicker".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Whether this browser can write into a folder the user picks.
pub fn available() -> bool {
    picker().is_some()
}

impl Folder {
    /// Asks the user for a folder, writable. `showDirectoryPicker` is not in web-sys
    /// (it is a WICG draft), so it is called by name.
    pub async fn pick() -> Result<Self, PickFailure> {
        let picker = picker().ok_or(PickFailure::Unavailable)?;
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"mode".into(), &"readwrite".into());
        let _ = js_sys::Reflect::set(&options, &"id".into(), &"qoltanba-keys".into());
        let promise: js_sys::Promise = picker
            .call1(&web_sys::window().into(), &options)
            .map_err(|_| PickFailure::Unavailable)?
            .dyn_into()
            .map_err(|_| PickFailure::Unavailable)?;
        let handle = JsFuture::from(promise).await.map_err(|error| {
            let aborted = error
                .dyn_ref::<web_sys::DomException>()
                .is_some_and(|e| e.name() == "AbortError");
            if aborted {
                PickFailure::Cancelled
            } else {
                PickFailure::Unavailable
            }
        })?;
        let handle: FileSystemDirectoryHandle =
            handle.dyn_into().map_err(|_| PickFailure::Unavailable)?;
        Ok(Self::from_handle(handle))
    }

    /// Any directory handle: the tests use the browser's private file system.
    pub fn from_handle(handle: FileSystemDirectoryHandle) -> Self {
        Self {
            name: handle.name(),
            handle,
        }
    }

    async fn file(
        &self,
        name: &str,
        create: bool,
    ) -> Result<Option<FileSystemFileHandle>, KeyStoreFailure> {
        let options = FileSystemGetFileOptions::new();
        options.set_create(create);
        match JsFuture::from(self.handle.get_file_handle_with_options(name, &options)).await {
            Ok(file) => Ok(Some(file.unchecked_into())),
            Err(error) if is_not_found(&error) => Ok(None),
            Err(_) => Err(KeyStoreFailure::Folder),
        }
    }

    pub async fn write(&self, name: &str, bytes: &[u8]) -> Result<(), KeyStoreFailure> {
        let fail = |_: JsValue| KeyStoreFailure::Folder;
        let file = self
            .file(name, true)
            .await?
            .ok_or(KeyStoreFailure::Folder)?;
        let stream: FileSystemWritableFileStream = JsFuture::from(file.create_writable())
            .await
            .map_err(fail)?
            .unchecked_into();
        JsFuture::from(stream.write_with_u8_array(bytes).map_err(fail)?)
            .await
            .map_err(fail)?;
        JsFuture::from(stream.close()).await.map_err(fail)?;
        Ok(())
    }

    pub async fn read(&self, name: &str) -> Result<Option<String>, KeyStoreFailure> {
        let fail = |_: JsValue| KeyStoreFailure::Folder;
        let Some(file) = self.file(name, false).await? else {
            return Ok(None);
        };
        let file: web_sys::Blob = JsFuture::from(file.get_file())
            .await
            .map_err(fail)?
            .unchecked_into();
        let text = JsFuture::from(file.text()).await.map_err(fail)?;
        Ok(text.as_string())
    }

    pub async fn remove(&self, name: &str) -> Result<(), KeyStoreFailure> {
        match JsFuture::from(self.handle.remove_entry(name)).await {
            Ok(_) => Ok(()),
            Err(error) if is_not_found(&error) => Ok(()),
            Err(_) => Err(KeyStoreFailure::Folder),
        }
    }
}

fn is_not_found(error: &JsValue) -> bool {
    error
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "NotFoundError")
}
