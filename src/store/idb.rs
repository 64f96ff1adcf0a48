//! IndexedDB through raw web-sys: each request or transaction becomes a promise whose resolve and
//! reject functions are the event handlers themselves, so there is no closure per request.
//! (Chosen over the `idb` crate, which brings indexmap, num-traits and thiserror for a wrapper of
//! the same few calls.) Awaiting between requests keeps a transaction alive: the future resumes in
//! the microtask checkpoint of the success event, while the transaction is still active.

use super::StoreError;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent};

/// Bump with a new `if old < N` step in [`open`]; never change an earlier step.
const VERSION: u32 = 2;

pub const RECORDS: &str = "records";
pub const OUTBOX: &str = "outbox";
pub const REJECTED: &str = "rejected";
pub const BLOBS: &str = "blobs";
pub const META: &str = "meta";
/// Photos waiting to upload (and, once uploaded, marked so), by photo id; their bytes are in BLOBS.
pub const PHOTOS: &str = "photos";

pub async fn open(name: &str) -> Result<IdbDatabase, StoreError> {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or(StoreError::Unavailable)?;
    let request = factory.open_with_u32(name, VERSION).map_err(|_| StoreError::Unavailable)?;
    let upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new({
        let request = request.clone();
        move |event: IdbVersionChangeEvent| {
            let db: IdbDatabase = request.result().expect("open request has a result during upgrade").unchecked_into();
            if event.old_version() < 1.0 {
                for store in [RECORDS, OUTBOX, REJECTED, BLOBS, META] {
                    db.create_object_store(store).expect("a new store in a version change");
                }
                // The device's own id, made with the database and kept with the data it names
                // (an enrolment replaces it with the server's).
                if let Some(meta) = request.transaction().and_then(|tx| tx.object_store(META).ok()) {
                    let _ = meta.put_with_key(&JsValue::from_str(&crate::random::uuid_v4()), &JsValue::from_str(super::meta::DEVICE));
                }
            }
            if event.old_version() < 2.0 {
                db.create_object_store(PHOTOS).expect("a new store in a version change");
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
        // An older tab holds the database open at the old version: fail instead of hanging.
        request.set_onblocked(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    drop(upgrade);
    if let Err(event) = outcome {
        return Err(match field(&event, "type").as_string().as_deref() {
            Some("blocked") => StoreError::Blocked,
            _ => request.error().ok().flatten().map(StoreError::from).unwrap_or(StoreError::Unavailable),
        });
    }
    let db: IdbDatabase = request.result().map_err(failed)?.unchecked_into();
    // Another tab with a newer build wants to upgrade: let it, rather than block it forever.
    let closing = db.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || closing.close());
    db.set_onversionchange(Some(on_change.into_js_value().unchecked_ref()));
    Ok(db)
}

/// The result of one request.
pub async fn wait(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => request.result().map_err(failed),
        Err(_) => Err(request.error().ok().flatten().map(StoreError::from).unwrap_or_else(|| StoreError::Failed("request".into()))),
    }
}

/// The results of requests made together in one transaction, in order: they complete in the order
/// made, so waiting for the last is waiting for all (no await between them, no handler each).
pub async fn wait_all(requests: &[IdbRequest]) -> Result<Vec<JsValue>, StoreError> {
    let Some(last) = requests.last() else { return Ok(Vec::new()) };
    wait(last).await?;
    requests.iter().map(|r| r.result().map_err(failed)).collect()
}

/// Resolves when the transaction's `complete` fires: only then is the data on disk.
pub async fn committed(tx: &IdbTransaction) -> Result<(), StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onabort(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => Err(tx.error().map(StoreError::from).unwrap_or_else(|| StoreError::Failed("transaction aborted".into()))),
    }
}

pub fn transaction(db: &IdbDatabase, stores: &[&str], write: bool) -> Result<IdbTransaction, StoreError> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    let mode = if write { IdbTransactionMode::Readwrite } else { IdbTransactionMode::Readonly };
    db.transaction_with_str_sequence_and_mode(&names, mode).map_err(failed)
}

pub fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StoreError> {
    tx.object_store(name).map_err(failed)
}

/// A synchronous throw from an IndexedDB call (a closed database, a bad key, a full disk).
pub fn failed(error: JsValue) -> StoreError {
    match error.dyn_into::<DomException>() {
        Ok(exception) => exception.into(),
        Err(other) => StoreError::Failed(format!("{other:?}")),
    }
}

impl From<DomException> for StoreError {
    fn from(exception: DomException) -> Self {
        StoreError::from_dom(&exception.name(), &exception.message())
    }
}

pub use crate::js::{field, object};

/// Ends a readwrite transaction: rolled back if `outcome` is an error (so an early return never
/// commits half a change), else awaited until committed.
pub async fn finish<T>(tx: &IdbTransaction, outcome: Result<T, StoreError>) -> Result<T, StoreError> {
    match outcome {
        Ok(value) => committed(tx).await.map(|()| value),
        Err(error) => {
            let _ = tx.abort();
            Err(error)
        }
    }
}
