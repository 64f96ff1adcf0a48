//! The outbox: changes made on this device, numbered by a per-device seq, kept until the server
//! acknowledges them; and the changes it rejected, kept until the person fixes or discards them.

use super::idb::{self, field, object, META, OUTBOX, RECORDS, REJECTED};
use super::meta::{uuid_v4, NEXT_SEQ};
use super::records::record_key;
use super::{encode_error, exclusive, Store, StoreError};
use chrono::Utc;
use lane_domain::ids::{DeviceId, MutationId};
use lane_domain::sync::{Change, Mutation};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// A change committed on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub seq: u64,
    /// The mutation's id (a UUID), as the server will report it.
    pub id: String,
}

/// What the server did with one mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Rejected { code: String, message: String },
}

/// A change the server refused, with its reason, until the person deals with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub seq: u64,
    /// The mutation as it was sent (JSON).
    pub mutation: String,
    pub code: String,
    pub message: String,
}

impl Store {
    /// Saves a change: the record's new local state under `(kind, id)` and the [`Mutation`]
    /// carrying `change`, with the next seq, in one transaction. Returns once it is committed, so
    /// the UI may say "saved"; on any error nothing of it was written.
    pub async fn save(&self, kind: &str, id: &str, record: &impl Serialize, change: Change) -> Result<Saved, StoreError> {
        let record = serde_json::to_string(record).map_err(encode_error)?;
        let mutation_id = MutationId::parse(&uuid_v4()).map_err(|e| StoreError::Failed(e.to_string()))?;
        let key = record_key(kind, id);
        exclusive(&self.outbox_lock(), async {
            let tx = idb::transaction(&self.db, &[RECORDS, OUTBOX, META], true)?;
            let work = async {
                let meta = idb::store(&tx, META)?;
                let next = meta.get(&JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
                let device = meta.get(&JsValue::from_str("device")).map_err(idb::failed)?;
                let seq = idb::wait(&next).await?.as_f64().map_or(1, |n| n as u64);
                let device = idb::wait(&device).await?.as_string().unwrap_or_default();
                let device = DeviceId::parse(&device).map_err(|e| StoreError::Failed(e.to_string()))?;
                let at = Utc::now();
                let mutation = Mutation { id: mutation_id.clone(), device, seq, at, change };
                let json = serde_json::to_string(&mutation).map_err(encode_error)?;
                let entry = object(&[("json", json.into()), ("at", (at.timestamp_millis() as f64).into())]);
                // `add`, not `put`: a seq already taken aborts the change instead of replacing one.
                idb::store(&tx, OUTBOX)?.add_with_key(&entry, &seq_key(seq)).map_err(idb::failed)?;
                let local = object(&[("json", record.into()), ("seq", seq_key(seq))]);
                idb::store(&tx, RECORDS)?.put_with_key(&local, &key).map_err(idb::failed)?;
                meta.put_with_key(&seq_key(seq + 1), &JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
                Ok(Saved { seq, id: mutation_id.to_string() })
            };
            idb::finish(&tx, work.await).await
        })
        .await
    }

    /// How many changes wait for the server.
    pub async fn pending_count(&self) -> Result<u32, StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX], false)?;
        let count = idb::wait(&idb::store(&tx, OUTBOX)?.count().map_err(idb::failed)?).await?;
        Ok(count.as_f64().unwrap_or(0.0) as u32)
    }

    /// The oldest `limit` waiting changes, in seq order, as `(seq, mutation JSON)`.
    pub async fn pending(&self, limit: u32) -> Result<Vec<(u64, String)>, StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX], false)?;
        let outbox = idb::store(&tx, OUTBOX)?;
        let keys = outbox.get_all_keys_with_key_and_limit(&JsValue::NULL, limit).map_err(idb::failed)?;
        let values = outbox.get_all_with_key_and_limit(&JsValue::NULL, limit).map_err(idb::failed)?;
        let keys = js_sys::Array::from(&idb::wait(&keys).await?);
        let values = js_sys::Array::from(&idb::wait(&values).await?);
        Ok(keys.iter().zip(values.iter()).map(|(seq, entry)| (seq_of(&seq), field(&entry, "json").as_string().unwrap_or_default())).collect())
    }

    /// Records the server's answers: each answered mutation leaves the outbox; a rejected one moves
    /// to the rejected list with its reason. Entries without an answer stay. One transaction.
    pub async fn acknowledge(&self, outcomes: &[(u64, Outcome)]) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX, REJECTED], true)?;
        let work = async {
            let outbox = idb::store(&tx, OUTBOX)?;
            for (seq, outcome) in outcomes {
                let key = seq_key(*seq);
                if let Outcome::Rejected { code, message } = outcome {
                    let entry = idb::wait(&outbox.get(&key).map_err(idb::failed)?).await?;
                    if entry.is_undefined() {
                        continue; // another tab recorded it already
                    }
                    let rejected = object(&[("json", field(&entry, "json")), ("code", code.into()), ("message", message.into())]);
                    idb::store(&tx, REJECTED)?.put_with_key(&rejected, &key).map_err(idb::failed)?;
                }
                outbox.delete(&key).map_err(idb::failed)?;
            }
            Ok(())
        };
        idb::finish(&tx, work.await).await
    }

    /// The changes the server rejected, oldest first.
    pub async fn rejected(&self) -> Result<Vec<Rejected>, StoreError> {
        let tx = idb::transaction(&self.db, &[REJECTED], false)?;
        let store = idb::store(&tx, REJECTED)?;
        let keys = store.get_all_keys().map_err(idb::failed)?;
        let values = store.get_all().map_err(idb::failed)?;
        let keys = js_sys::Array::from(&idb::wait(&keys).await?);
        let values = js_sys::Array::from(&idb::wait(&values).await?);
        let text = |entry: &JsValue, name| field(entry, name).as_string().unwrap_or_default();
        Ok(keys
            .iter()
            .zip(values.iter())
            .map(|(seq, e)| Rejected { seq: seq_of(&seq), mutation: text(&e, "json"), code: text(&e, "code"), message: text(&e, "message") })
            .collect())
    }

    /// The person gave up a rejected change.
    pub async fn discard_rejected(&self, seq: u64) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[REJECTED], true)?;
        let deleted = idb::store(&tx, REJECTED).and_then(|s| s.delete(&seq_key(seq)).map(drop).map_err(idb::failed));
        idb::finish(&tx, deleted).await
    }
}

pub(super) fn seq_key(seq: u64) -> JsValue {
    JsValue::from_f64(seq as f64)
}

fn seq_of(key: &JsValue) -> u64 {
    key.as_f64().unwrap_or(0.0) as u64
}
