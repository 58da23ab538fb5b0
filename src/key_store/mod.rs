//! Where the applicant's keys wait between «Подать заявку» and «Загрузить
//! сертификаты», and where the key stores go: a folder chosen with the File System
//! Access API, or this browser (IndexedDB, then downloads) where there is none.
//!
//! A pending key is sealed (PKCS#8, PBES2) under a random secret of its own; the secret
//! is kept only in this browser, wrapped by a non-extractable AES-GCM key
//! (`secrets`). Copying the folder therefore copies nothing usable, and installation
//! must happen in this browser.
//!
//! A kiosk keeps nothing of anyone: there the key is sealed under a passphrase the
//! applicant sets and written to his removable media (`Place::Carried`), and the
//! installation is finished on his own computer by the application's number with the
//! same passphrase. Nothing of it stays in the kiosk's browser.

mod browser;
pub mod folder;
mod secrets;

use qoltanba_domain::{ApplicationNumber, KeyPurpose, KeyStorePassword};
use qoltanba_pki::key_store::KeyStoreFile;
use qoltanba_pki::{sealed, SigningKey};
use wasm_bindgen::JsValue;

pub use folder::Folder;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreFailure {
    #[error("the browser's storage is not available")]
    Storage,
    #[error("the folder could not be written or read")]
    Folder,
    /// Not in this folder or browser: another folder, or another browser.
    #[error("the key was not found")]
    KeyMissing,
    /// Its secret is gone (browser data cleared) or the file is damaged.
    #[error("the key cannot be opened")]
    KeyUnreadable,
    #[error("a certificate does not match its key")]
    KeyMismatch,
    /// A carried key did not open: the passphrase is not the one set at the kiosk.
    #[error("the passphrase does not open the keys")]
    WrongPassphrase,
}

impl From<idb::Error> for KeyStoreFailure {
    fn from(_: idb::Error) -> Self {
        Self::Storage
    }
}

/// What a page that handles keys reports: the keys here, or the server.
#[derive(Debug, Clone, PartialEq)]
pub enum KeysOrServer {
    Keys(KeyStoreFailure),
    Server(crate::api::ApiFailure),
}

impl From<KeyStoreFailure> for KeysOrServer {
    fn from(e: KeyStoreFailure) -> Self {
        Self::Keys(e)
    }
}

impl From<crate::api::ApiFailure> for KeysOrServer {
    fn from(e: crate::api::ApiFailure) -> Self {
        Self::Server(e)
    }
}

/// Where the keys are kept.
#[derive(Clone)]
pub enum Place {
    Folder(Folder),
    /// IndexedDB; the key stores are then downloaded.
    Browser,
    /// A kiosk's keys: in a folder on removable media, under the applicant's passphrase.
    Carried {
        folder: Folder,
        passphrase: KeyStorePassword,
    },
}

/// The key's identifier in hex: its certificate's Subject Key Identifier to be.
pub fn key_id(key: &SigningKey) -> String {
    qoltanba_pki::hex_upper(&qoltanba_pki::key_id(key.verifying_key()))
}

impl Place {
    /// Seals the key and keeps it here, its secret in this browser (or, carried, under
    /// the passphrase).
    pub async fn keep(&self, purpose: KeyPurpose, key: &SigningKey) -> Result<(), KeyStoreFailure> {
        let id = key_id(key);
        let name = purpose.pending_file_name(&id);
        if let Self::Carried { folder, passphrase } = self {
            let pem = sealed::seal_with_passphrase(key, passphrase.expose())
                .map_err(|_| KeyStoreFailure::Storage)?;
            return folder.write(&name, pem.as_bytes()).await;
        }
        let secret = sealed::new_secret().map_err(|_| KeyStoreFailure::Storage)?;
        let pem = sealed::seal(key, &secret).map_err(|_| KeyStoreFailure::Storage)?;
        secrets::keep(&id, &secret).await?;
        match self {
            Self::Folder(folder) | Self::Carried { folder, .. } => {
                folder.write(&name, pem.as_bytes()).await
            }
            Self::Browser => browser::put(&name, &pem).await,
        }
    }

    /// The pending key named by its certificate's key identifier.
    pub async fn take(&self, purpose: KeyPurpose, id: &str) -> Result<SigningKey, KeyStoreFailure> {
        let name = purpose.pending_file_name(id);
        let pem = match self {
            Self::Folder(folder) | Self::Carried { folder, .. } => folder.read(&name).await?,
            Self::Browser => browser::get(&name).await?,
        }
        .ok_or(KeyStoreFailure::KeyMissing)?;
        if let Self::Carried { passphrase, .. } = self {
            return sealed::open(&pem, passphrase.expose().as_bytes())
                .map_err(|_| KeyStoreFailure::WrongPassphrase);
        }
        let secret = secrets::get(id)
            .await?
            .ok_or(KeyStoreFailure::KeyUnreadable)?;
        sealed::open(&pem, &secret).map_err(|_| KeyStoreFailure::KeyUnreadable)
    }

    /// A kiosk's application: its request id (what lets a browser fetch the certificates)
    /// goes on the removable media too, sealed under the passphrase, named by the number.
    pub async fn carry_request(
        &self,
        number: &ApplicationNumber,
        request_id: &str,
    ) -> Result<(), KeyStoreFailure> {
        if let Self::Carried { folder, passphrase } = self {
            let pem = sealed::seal_text_with_passphrase(request_id, passphrase.expose())
                .map_err(|_| KeyStoreFailure::Storage)?;
            folder.write(&request_file(number), pem.as_bytes()).await?;
        }
        Ok(())
    }

    /// The request id a kiosk wrote with the carried keys.
    pub async fn carried_request(
        &self,
        number: &ApplicationNumber,
    ) -> Result<Option<String>, KeyStoreFailure> {
        let Self::Carried { folder, passphrase } = self else {
            return Ok(None);
        };
        let Some(pem) = folder.read(&request_file(number)).await? else {
            return Ok(None);
        };
        sealed::open_text(&pem, passphrase.expose().as_bytes())
            .map(Some)
            .map_err(|_| KeyStoreFailure::WrongPassphrase)
    }

    /// Writes an installed key store: into the folder, or as a download.
    pub async fn save(&self, file: &KeyStoreFile) -> Result<(), KeyStoreFailure> {
        match self {
            Self::Folder(folder) | Self::Carried { folder, .. } => {
                folder.write(&file.name, &file.bytes).await
            }
            Self::Browser => download(&file.name, &file.bytes),
        }
    }

    /// The pending key and its secret, once its key store is saved.
    pub async fn forget(&self, purpose: KeyPurpose, id: &str) -> Result<(), KeyStoreFailure> {
        let name = purpose.pending_file_name(id);
        match self {
            Self::Folder(folder) => folder.remove(&name).await?,
            Self::Browser => browser::delete(&name).await?,
            // No secret was kept for a carried key.
            Self::Carried { folder, .. } => return folder.remove(&name).await,
        }
        secrets::forget(id).await
    }
}

fn request_file(number: &ApplicationNumber) -> String {
    format!("{number}.request")
}

/// Saves bytes through the browser's download, as `name`.
fn download(name: &str, bytes: &[u8]) -> Result<(), KeyStoreFailure> {
    use wasm_bindgen::JsCast;
    let fail = |_: JsValue| KeyStoreFailure::Folder;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/x-pkcs12");
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(KeyStoreFailure::Folder)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| KeyStoreFailure::Folder)?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has its own reference to the blob by now.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
