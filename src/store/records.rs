//! The device's copy of records, keyed `[type, id]`: what the server sent, or this device's own
//! newer edit. A local edit carries the seq of its latest change; while that change waits in the
//! outbox, pulled server copies do not replace it.

use super::idb::{self, field, object, META, OUTBOX, RECORDS};
use super::meta::CURSOR;
use super::{encode_error, Store, StoreError};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::JsValue;

impl Store {
    /// The device's copy of one record.
    pub async fn record<T: DeserializeOwned>(&self, kind: &str, id: &str) -> Result<Option<T>, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS], false)?;
        let found = idb::wait(&idb::store(&tx, RECORDS)?.get(&record_key(kind, id)).map_err(idb::failed)?).await?;
        match field(&found, "json").as_string() {
            Some(json) => serde_json::from_str(&json).map(Some).map_err(encode_error),
            None => Ok(None),
        }
    }

    /// Stores records pulled from the server (each an object with `type` and `id`) and, in the same
    /// transaction, the cursor to pull from next. A record with a local change still waiting keeps
    /// the local copy. Returns how many records were written.
    pub async fn put_records(&self, records: &[Value], cursor: Option<u64>) -> Result<usize, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS, OUTBOX, META], true)?;
        let work = async {
            let store = idb::store(&tx, RECORDS)?;
            let outbox = idb::store(&tx, OUTBOX)?;
            let mut written = 0;
            for record in records {
                let (Some(kind), Some(id)) = (record["type"].as_str(), record["id"].as_str()) else {
                    return Err(StoreError::Failed(format!("a pulled record without type and id: {record}")));
                };
                let key = record_key(kind, id);
                let local_seq = field(&idb::wait(&store.get(&key).map_err(idb::failed)?).await?, "seq");
                if !local_seq.is_undefined() && !idb::wait(&outbox.get(&local_seq).map_err(idb::failed)?).await?.is_undefined() {
                    continue;
                }
                store.put_with_key(&object(&[("json", record.to_string().into())]), &key).map_err(idb::failed)?;
                written += 1;
            }
            if let Some(cursor) = cursor {
                let meta = idb::store(&tx, META)?;
                meta.put_with_key(&JsValue::from_f64(cursor as f64), &JsValue::from_str(CURSOR)).map_err(idb::failed)?;
            }
            Ok(written)
        };
        idb::finish(&tx, work.await).await
    }
}

pub(super) fn record_key(kind: &str, id: &str) -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(kind), &JsValue::from_str(id)).into()
}
