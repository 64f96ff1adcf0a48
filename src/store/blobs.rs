//! Photo and signature bytes, stored as `ArrayBuffer`: Safari has failed to store `Blob`s in
//! IndexedDB in several versions.

use super::idb::{self, BLOBS};
use super::{Store, StoreError};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

impl Store {
    pub async fn put_blob(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[BLOBS], true)?;
        let buffer = Uint8Array::from(bytes).buffer();
        let written = idb::store(&tx, BLOBS).and_then(|s| s.put_with_key(&buffer, &JsValue::from_str(key)).map(drop).map_err(idb::failed));
        idb::finish(&tx, written).await
    }

    pub async fn blob(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = idb::transaction(&self.db, &[BLOBS], false)?;
        let found = idb::wait(&idb::store(&tx, BLOBS)?.get(&JsValue::from_str(key)).map_err(idb::failed)?).await?;
        Ok(found.dyn_into::<ArrayBuffer>().ok().map(|buffer| Uint8Array::new(&buffer).to_vec()))
    }
}
