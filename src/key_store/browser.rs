//! IndexedDB: the wrapping key, the wrapped secrets, and the sealed keys of applicants
//! without a folder. One small database, opened per call: these are a handful of
//! operations per application.

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

use super::KeyStoreFailure;

const DATABASE: &str = "qoltanba-keys";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy)]
pub enum Store {
    Wrapping,
    Secrets,
    Pending,
}

impl Store {
    const ALL: [Self; 3] = [Self::Wrapping, Self::Secrets, Self::Pending];

    fn name(self) -> &'static str {
        match self {
            Self::Wrapping => "wrapping",
            Self::Secrets => "secrets",
            Self::Pending => "pending",
        }
    }
}

async fn open() -> Result<Database, KeyStoreFailure> {
    let mut request = Factory::new()?.open(DATABASE, Some(VERSION))?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            for store in Store::ALL {
                // Out-of-line keys: the records are a CryptoKey, objects and strings.
                let _ = database.create_object_store(store.name(), ObjectStoreParams::new());
            }
        }
    });
    Ok(request.await?)
}

pub async fn read(store: Store, key: &str) -> Result<Option<JsValue>, KeyStoreFailure> {
    let database = open().await?;
    let transaction = database.transaction(&[store.name()], TransactionMode::ReadOnly)?;
    let value = transaction
        .object_store(store.name())?
        .get(JsValue::from_str(key))?
        .await?;
    transaction.await?;
    database.close();
    Ok(value)
}

pub async fn write(store: Store, key: &str, value: &JsValue) -> Result<(), KeyStoreFailure> {
    let database = open().await?;
    let transaction = database.transaction(&[store.name()], TransactionMode::ReadWrite)?;
    transaction
        .object_store(store.name())?
        .put(value, Some(&JsValue::from_str(key)))?
        .await?;
    transaction.commit()?.await?;
    database.close();
    Ok(())
}

pub async fn delete_in(store: Store, key: &str) -> Result<(), KeyStoreFailure> {
    let database = open().await?;
    let transaction = database.transaction(&[store.name()], TransactionMode::ReadWrite)?;
    transaction
        .object_store(store.name())?
        .delete(JsValue::from_str(key))?
        .await?;
    transaction.commit()?.await?;
    database.close();
    Ok(())
}

/// A sealed key kept in the browser, by its file name.
pub async fn put(name: &str, pem: &str) -> Result<(), KeyStoreFailure> {
    write(Store::Pending, name, &JsValue::from_str(pem)).await
}

pub async fn get(name: &str) -> Result<Option<String>, KeyStoreFailure> {
    Ok(read(Store::Pending, name)
        .await?
        .and_then(|v| v.as_string()))
}

pub async fn delete(name: &str) -> Result<(), KeyStoreFailure> {
    delete_in(Store::Pending, name).await
}
