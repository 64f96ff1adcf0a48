//! The device's copy of records, keyed `[type, id]`. Each entry is `{json, version}`: the record
//! as the server last sent it (its own type's JSON, without the `type` tag, which is in the key),
//! with its version. While a change this device made to the record waits in the outbox, the entry
//! is `{json, seq, server, version}` instead: `json` is the device's own edit (shown), `seq` the
//! seq of its latest change, and `server`/`version` the server's copy, which pulls keep updating
//! beside it. When the server answers that latest change (`Store::acknowledge`), a refused one
//! gives way to the server's copy, so a change the server refused never stays in place; an
//! applied one stays shown, as of the older version, until the pull that follows brings the
//! server's result.
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
        Ok(self.versioned(kind, id).await?.map(|(record, _)| record))
    }

    /// The device's copy of one record, with the version of the server's copy it was made from (0
    /// for a record made here): the `base` of an edit.
    pub async fn versioned<T: DeserializeOwned>(&self, kind: &str, id: &str) -> Result<Option<(T, u64)>, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS], false)?;
        let found = idb::wait(&idb::store(&tx, RECORDS)?.get(&record_key(kind, id)).map_err(idb::failed)?).await?;
        let version = field(&found, "version").as_f64().map_or(0, |v| v as u64);
        match field(&found, "json").as_string() {
            Some(json) => serde_json::from_str(&json).map(|record| Some((record, version))).map_err(encode_error),
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

    /// Every record of one type as `(JSON shown, server version)` (0 without one), for the drain
    /// benchmark's edits (`crate::bench`).
    #[cfg(feature = "bench")]
    pub async fn versions(&self, kind: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let tx = idb::transaction(&self.db, &[RECORDS], false)?;
        let (lower, upper) = (record_key(kind, ""), js_sys::Array::of2(&JsValue::from_str(kind), &js_sys::Array::new()));
        let range = web_sys::IdbKeyRange::bound(&lower, &upper).map_err(idb::failed)?;
        let all = idb::wait(&idb::store(&tx, RECORDS)?.get_all_with_key(&range).map_err(idb::failed)?).await?;
        Ok(js_sys::Array::from(&all)
            .iter()
            .filter_map(|entry| Some((field(&entry, "json").as_string()?, field(&entry, "version").as_f64().unwrap_or(0.0) as u64)))
            .collect())
    }

    /// Stores records pulled from the server (each a `lane_domain::sync::Pulled` as parsed by the
    /// browser: `{"version":N,"record":{"type":…,"id":…,…}}`) and, in the same transaction, the
    /// cursor to pull from next. A record with a local change still waiting keeps showing the
    /// local copy; the server's is kept beside it. Returns how many shown records changed.
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
                let json: JsValue = js_sys::JSON::stringify(&own).map_err(idb::failed)?.into();
                let version = js::field(pulled, "version");
                let local = idb::wait(&store.get(&key).map_err(idb::failed)?).await?;
                let local_seq = field(&local, "seq");
                let entry = if !local_seq.is_undefined() && !idb::wait(&outbox.get(&local_seq).map_err(idb::failed)?).await?.is_undefined() {
                    object(&[("json", field(&local, "json")), ("seq", local_seq), ("server", json), ("version", version)])
                } else {
                    written += 1;
                    object(&[("json", json), ("version", version)])
                };
                store.put_with_key(&entry, &key).map_err(idb::failed)?;
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

/// The entry a save writes: the device's edit `json` as change `seq`, keeping the server's copy
/// that `before` (the entry it replaces, if any) holds or is.
pub(super) fn local_entry(json: &str, seq: JsValue, before: &JsValue) -> JsValue {
    let (server, version) = if before.is_undefined() {
        (JsValue::UNDEFINED, JsValue::UNDEFINED)
    } else if field(before, "seq").is_undefined() {
        (field(before, "json"), field(before, "version"))
    } else {
        (field(before, "server"), field(before, "version"))
    };
    object(&[("json", json.into()), ("seq", seq), ("server", server), ("version", version)])
}

/// What an entry shows once the server has answered its latest local change. Applied: the
/// device's own copy, which is what the server now holds, as of the server's version it was made
/// from, so the pull that follows replaces it with the server's (showing the older server copy
/// until then would take the edit back off the screen for a moment). Refused: the server's copy,
/// or nothing for a record made on this device.
pub(super) fn answered_entry(local: &JsValue, applied: bool) -> Option<JsValue> {
    let server = field(local, "server");
    if applied {
        Some(object(&[("json", field(local, "json")), ("version", field(local, "version"))]))
    } else if !server.is_undefined() {
        Some(object(&[("json", server), ("version", field(local, "version"))]))
    } else {
        None
    }
}

pub(super) fn record_key(kind: &str, id: &str) -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(kind), &JsValue::from_str(id)).into()
}
