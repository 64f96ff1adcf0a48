//! The device's copy of records, keyed `[type, id]`: what the server sent, or this device's own
//! newer edit. A local edit carries the seq of its latest change; while that change waits in the
//! outbox, pulled server copies do not replace it. Each record is kept as its own type's JSON
//! (without the `type` tag, which is in the key), with the server's version when pulled.
//!
//! Pulled records are stored as the server sent them, not parsed into `lane_domain::sync::Record`:
//! the store needs only their type and id, and typed (de)serialisation of every record kind
//! through that internally tagged enum costs about 80 KiB of brotli'd wasm. The browser parses
//! the page (`crate::js`); a screen reads the one type it shows (`record::<Visit>`). The tests
//! produce the pulls with the shared types.

use super::idb::{self, field, object, META, OUTBOX, RECORDS};
use super::meta::CURSOR;
use super::{encode_error, Store, StoreError};
use crate::js;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

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

    /// Every record of one type, by id. One that does not read as `T` is skipped.
    pub async fn records<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<T>, StoreError> {
        let all = self.all_json(kind).await?;
        Ok(all.iter().filter_map(|json| serde_json::from_str(json).ok()).collect())
    }

    /// Every record of one type, by id, as the browser parses it (for screens that read a field or
    /// two, without serde's code for the whole type).
    pub async fn records_js(&self, kind: &str) -> Result<Vec<JsValue>, StoreError> {
        Ok(self.all_json(kind).await?.iter().filter_map(|json| js::parse(json)).collect())
    }

    async fn all_json(&self, kind: &str) -> Result<Vec<String>, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS], false)?;
        // Array keys sort by their first element, then the second: [kind, ""] up to [kind, []]
        // (an array sorts after every string) is exactly this type's records.
        let (lower, upper) = (record_key(kind, ""), js_sys::Array::of2(&JsValue::from_str(kind), &js_sys::Array::new()));
        let range = web_sys::IdbKeyRange::bound(&lower, &upper).map_err(idb::failed)?;
        let all = idb::wait(&idb::store(&tx, RECORDS)?.get_all_with_key(&range).map_err(idb::failed)?).await?;
        Ok(js_sys::Array::from(&all).iter().filter_map(|entry| field(&entry, "json").as_string()).collect())
    }

    /// Stores records pulled from the server (each a `lane_domain::sync::Pulled` as parsed by the
    /// browser: `{"version":N,"record":{"type":…,"id":…,…}}`) and, in the same transaction, the
    /// cursor to pull from next. A record with a local change still waiting keeps the local copy.
    /// Returns how many records were written.
    pub async fn put_records(&self, records: &[JsValue], cursor: Option<u64>) -> Result<usize, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS, OUTBOX, META], true)?;
        let work = async {
            let store = idb::store(&tx, RECORDS)?;
            let outbox = idb::store(&tx, OUTBOX)?;
            let mut written = 0;
            for pulled in records {
                let record = js::field(pulled, "record");
                let (Some(kind), Some(id)) = (js::text(&record, "type"), js::text(&record, "id")) else {
                    return Err(StoreError::Failed("a pulled record without type and id".into()));
                };
                let key = record_key(&kind, &id);
                // Kept as its own type's JSON: the tag is in the key. (A copy: the caller's is left as it was.)
                let own = js_sys::Object::assign(&js_sys::Object::new(), record.unchecked_ref());
                let _ = js_sys::Reflect::delete_property(&own, &JsValue::from_str("type"));
                let json = js_sys::JSON::stringify(&own).map(String::from).map_err(idb::failed)?;
                let local_seq = field(&idb::wait(&store.get(&key).map_err(idb::failed)?).await?, "seq");
                if !local_seq.is_undefined() && !idb::wait(&outbox.get(&local_seq).map_err(idb::failed)?).await?.is_undefined() {
                    continue;
                }
                let entry = object(&[("json", json.into()), ("version", js::field(pulled, "version"))]);
                store.put_with_key(&entry, &key).map_err(idb::failed)?;
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
