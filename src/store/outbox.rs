//! The outbox: changes made on this device, numbered by a per-device seq, kept until the server
//! acknowledges them; and the changes it rejected, kept until the person fixes or discards them.

use super::idb::{self, field, object, META, OUTBOX, RECORDS, REJECTED};
use super::meta::{NEXT_SEQ, SESSION};
use crate::random::uuid_v4;
use super::records::{answered_entry, local_entry, record_key};
use super::{encode_error, exclusive, Store, StoreError};
use crate::js;
use chrono::Utc;
use lane_domain::ids::{AdvisorId, DeviceId, MutationId};
use lane_domain::sync::{Change, Mutation};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// A change committed on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub seq: u64,
    /// The mutation's id (a UUID), as the server will report it.
    pub id: String,
}

/// A record as this device now shows it, saved with the change that makes it so.
pub struct LocalRecord {
    kind: String,
    id: String,
    json: String,
}

impl LocalRecord {
    pub fn of(kind: &str, id: &str, record: &impl Serialize) -> Result<LocalRecord, StoreError> {
        Ok(LocalRecord::json(kind, id, serde_json::to_string(record).map_err(encode_error)?))
    }

    /// A record's JSON as the browser wrote it (for records read with `crate::js`).
    pub fn json(kind: &str, id: &str, json: String) -> LocalRecord {
        LocalRecord { kind: kind.to_owned(), id: id.to_owned(), json }
    }
}

/// The next push, read from the outbox ([`Store::batch`]).
pub struct Batch {
    /// Each change's seq and the keys of the records it changes (see [`keys_of`]).
    pub entries: Vec<(u64, js_sys::Array)>,
    /// The `PushRequest` JSON.
    pub body: js_sys::JsString,
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
    /// Saves a change: the record's new local state under `(kind, id)` (beside the server's copy,
    /// see `records.rs`) and the [`Mutation`] carrying `change`, with the next seq, in one
    /// transaction. Returns once it is committed, so the UI may say "saved"; on any error nothing
    /// of it was written.
    pub async fn save(&self, kind: &str, id: &str, record: &impl Serialize, change: Change) -> Result<Saved, StoreError> {
        self.save_together(&[LocalRecord::of(kind, id, record)?], change).await
    }

    /// [`Store::save`] for a change that makes several records at once (a walk-in registered on
    /// a tablet: the customer, the vehicle and the visit), all in the one transaction.
    pub async fn save_together(&self, records: &[LocalRecord], change: Change) -> Result<Saved, StoreError> {
        self.enqueue(records, change).await
    }

    /// Saves a change without keeping a copy of its record on this device: a kiosk's bookings
    /// and check-ins, whose customer must leave no trace for the next one. The outbox entry is
    /// the only copy, until the server acknowledges it.
    pub async fn send(&self, change: Change) -> Result<Saved, StoreError> {
        self.enqueue(&[], change).await
    }

    async fn enqueue(&self, records: &[LocalRecord], change: Change) -> Result<Saved, StoreError> {
        let mutation_id = MutationId::parse(&uuid_v4()).map_err(|e| StoreError::Failed(e.to_string()))?;
        exclusive(&self.outbox_lock(), async {
            let tx = idb::transaction(&self.db, &[RECORDS, OUTBOX, META], true)?;
            let work = async {
                let meta = idb::store(&tx, META)?;
                let next = meta.get(&JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
                let device = meta.get(&JsValue::from_str("device")).map_err(idb::failed)?;
                let session = meta.get(&JsValue::from_str(SESSION)).map_err(idb::failed)?;
                let store = idb::store(&tx, RECORDS)?;
                let keys: Vec<JsValue> = records.iter().map(|r| record_key(&r.kind, &r.id)).collect();
                let before = keys.iter().map(|key| store.get(key).map_err(idb::failed)).collect::<Result<Vec<_>, _>>()?;
                let seq = idb::wait(&next).await?.as_f64().map_or(1, |n| n as u64);
                let device = idb::wait(&device).await?.as_string().unwrap_or_default();
                // Who makes the change: the advisor signed in now (none on a kiosk).
                let by = js::text(&idb::wait(&session).await?, "advisor").and_then(|id| AdvisorId::parse(&id).ok());
                let before = idb::wait_all(&before).await?;
                let device = DeviceId::parse(&device).map_err(|e| StoreError::Failed(e.to_string()))?;
                let at = Utc::now();
                let mutation = Mutation { id: mutation_id.clone(), device, seq, at, change, by };
                let json = serde_json::to_string(&mutation).map_err(encode_error)?;
                // `keys`: the records it changes, to show the server's copies again once it is answered.
                let key_list: js_sys::Array = keys.iter().collect();
                let entry = object(&[("json", json.into()), ("at", (at.timestamp_millis() as f64).into()), ("keys", key_list.into())]);
                // `add`, not `put`: a seq already taken aborts the change instead of replacing one.
                idb::store(&tx, OUTBOX)?.add_with_key(&entry, &seq_key(seq)).map_err(idb::failed)?;
                for ((record, key), before) in records.iter().zip(&keys).zip(&before) {
                    store.put_with_key(&local_entry(&record.json, seq_key(seq), before), key).map_err(idb::failed)?;
                }
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

    /// The next push: the oldest waiting changes after seq `after` (from the start with `None`),
    /// at most `limit` and, past the first, at most `max_units` UTF-16 units of JSON, as the
    /// `PushRequest` body, built by the browser without copying the JSON through the wasm heap.
    pub async fn batch(&self, after: Option<u64>, limit: u32, max_units: u32) -> Result<Batch, StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX], false)?;
        let outbox = idb::store(&tx, OUTBOX)?;
        let range: JsValue = match after {
            Some(seq) => web_sys::IdbKeyRange::lower_bound_with_open(&seq_key(seq), true).map_err(idb::failed)?.into(),
            None => JsValue::NULL,
        };
        let keys = outbox.get_all_keys_with_key_and_limit(&range, limit).map_err(idb::failed)?;
        let values = outbox.get_all_with_key_and_limit(&range, limit).map_err(idb::failed)?;
        let keys = js_sys::Array::from(&idb::wait(&keys).await?);
        let values = js_sys::Array::from(&idb::wait(&values).await?);
        let (mutations, mut entries, mut units) = (js_sys::Array::new(), Vec::new(), 0);
        for (seq, entry) in keys.iter().zip(values.iter()) {
            let json = field(&entry, "json");
            units += json.dyn_ref::<js_sys::JsString>().map_or(0, |j| j.length()) + 1;
            if units > max_units && !entries.is_empty() {
                break;
            }
            mutations.push(&json);
            entries.push((seq_of(&seq), keys_of(&entry)));
        }
        let body = js_sys::JsString::from("{\"mutations\":[").concat(&mutations.join(",")).concat(&"]}".into());
        Ok(Batch { entries, body })
    }

    /// Records the server's answers: each answered mutation leaves the outbox; a rejected one moves
    /// to the rejected list with its reason. A record whose latest waiting change was answered
    /// shows the server's copy again. Entries without an answer stay. One transaction. Returns
    /// how many shown records changed.
    pub async fn acknowledge(&self, outcomes: &[(u64, Outcome)]) -> Result<usize, StoreError> {
        self.answered(outcomes, None, true).await
    }

    /// [`Store::acknowledge`] for a [`Batch`] just sent, whose entries' records are known: it need
    /// not read them again. Without `keep_rejected` (a kiosk) a rejected change is dropped: the
    /// server keeps it for the staff, and the next customer at the screen must not see it.
    pub async fn acknowledge_batch(&self, outcomes: &[(u64, Outcome)], batch: &Batch, keep_rejected: bool) -> Result<usize, StoreError> {
        self.answered(outcomes, Some(&batch.entries), keep_rejected).await
    }

    async fn answered(&self, outcomes: &[(u64, Outcome)], known: Option<&[(u64, js_sys::Array)]>, keep_rejected: bool) -> Result<usize, StoreError> {
        let (Some(low), Some(high)) = (outcomes.iter().map(|(s, _)| *s).min(), outcomes.iter().map(|(s, _)| *s).max()) else { return Ok(0) };
        let tx = idb::transaction(&self.db, &[OUTBOX, REJECTED, RECORDS], true)?;
        let work = async {
            let outbox = idb::store(&tx, OUTBOX)?;
            let records = idb::store(&tx, RECORDS)?;
            // Answers cover a run of seqs: which of it still waits (another tab may have recorded
            // some), and, unless the caller knows them, the entries themselves, in one read each.
            let range = web_sys::IdbKeyRange::bound(&seq_key(low), &seq_key(high)).map_err(idb::failed)?;
            let keys = outbox.get_all_keys_with_key(&range).map_err(idb::failed)?;
            let values = if known.is_none() { Some(outbox.get_all_with_key(&range).map_err(idb::failed)?) } else { None };
            let waiting: Vec<u64> = js_sys::Array::from(&idb::wait(&keys).await?).iter().map(|k| seq_of(&k)).collect();
            let values = match values {
                Some(values) => js_sys::Array::from(&idb::wait(&values).await?).iter().collect(),
                None => Vec::new(),
            };
            let entry = |seq: u64| waiting.binary_search(&seq).ok().and_then(|at| values.get(at).cloned());
            let records_of = |seq: u64| match known {
                Some(known) => known.binary_search_by_key(&seq, |(s, _)| *s).ok().map(|at| known[at].1.clone()),
                None => entry(seq).map(|e| keys_of(&e)),
            };
            // Each record's latest answered change, with whether it was applied.
            let mut latest: Vec<(String, u64, JsValue, bool)> = Vec::new();
            let mut answered = 0;
            for (seq, outcome) in outcomes {
                if waiting.binary_search(seq).is_err() {
                    continue; // another tab recorded it already
                }
                answered += 1;
                let key = seq_key(*seq);
                if let (true, Outcome::Rejected { code, message }) = (keep_rejected, outcome) {
                    let json = match entry(*seq) {
                        Some(entry) => field(&entry, "json"),
                        None => field(&idb::wait(&outbox.get(&key).map_err(idb::failed)?).await?, "json"),
                    };
                    let rejected = object(&[("json", json), ("code", code.into()), ("message", message.into())]);
                    idb::store(&tx, REJECTED)?.put_with_key(&rejected, &key).map_err(idb::failed)?;
                }
                for record in records_of(*seq).iter().flat_map(|keys| keys.iter()) {
                    let name = js_sys::JSON::stringify(&record).map(String::from).unwrap_or_default();
                    latest.push((name, *seq, record, *outcome == Outcome::Applied));
                }
            }
            // Every entry of the run answered (the usual case): one delete for all.
            if answered == waiting.len() {
                outbox.delete(&range).map_err(idb::failed)?;
            } else {
                for (seq, _) in outcomes {
                    outbox.delete(&seq_key(*seq)).map_err(idb::failed)?;
                }
            }
            // Each record's latest answered change: the last of its name (answers are in seq order).
            let latest: Vec<_> = latest.iter().enumerate().filter(|(at, (name, ..))| !latest[at + 1..].iter().any(|later| later.0 == *name)).map(|(_, l)| l).collect();
            let gets = latest.iter().map(|(_, _, key, _)| records.get(key).map_err(idb::failed)).collect::<Result<Vec<_>, _>>()?;
            let mut shown = 0;
            for ((_, seq, key, applied), local) in latest.into_iter().zip(idb::wait_all(&gets).await?) {
                if seq_of(&field(&local, "seq")) != *seq {
                    continue; // a later change of it still waits, or it was never this device's
                }
                match answered_entry(&local, *applied) {
                    Some(entry) => records.put_with_key(&entry, key).map(drop),
                    None => records.delete(key).map(drop),
                }
                .map_err(idb::failed)?;
                shown += 1;
            }
            Ok(shown)
        };
        idb::finish(&tx, work.await).await
    }

    /// Numbers the waiting changes on from the server's `last_seq`, keeping their order and ids,
    /// for a device whose numbering is not the server's (its storage was wiped, so it started
    /// again at 1): the server answers none of them, and would never. `first` is the seq the
    /// refused push started with: if the outbox no longer starts there, nothing changes (another
    /// tab got there first). One transaction; returns whether it renumbered.
    pub async fn renumber(&self, first: u64, last_seq: u64) -> Result<bool, StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX, RECORDS, META], true)?;
        let work = async {
            let outbox = idb::store(&tx, OUTBOX)?;
            let records = idb::store(&tx, RECORDS)?;
            let keys = outbox.get_all_keys().map_err(idb::failed)?;
            let values = outbox.get_all().map_err(idb::failed)?;
            let keys = js_sys::Array::from(&idb::wait(&keys).await?);
            let values = js_sys::Array::from(&idb::wait(&values).await?);
            if keys.length() == 0 || seq_of(&keys.get(0)) != first || first == last_seq + 1 {
                return Ok(false);
            }
            outbox.clear().map_err(idb::failed)?;
            // Old seq to new, for the records that point at their latest change.
            let mut moved: Vec<(u64, u64)> = Vec::with_capacity(keys.length() as usize);
            for (i, (old, entry)) in keys.iter().zip(values.iter()).enumerate() {
                let seq = last_seq + 1 + i as u64;
                let mutation = js::parse(&field(&entry, "json").as_string().unwrap_or_default()).ok_or_else(|| StoreError::Failed("an outbox entry that is not JSON".into()))?;
                js_sys::Reflect::set(&mutation, &JsValue::from_str("seq"), &seq_key(seq)).map_err(idb::failed)?;
                let json: JsValue = js_sys::JSON::stringify(&mutation).map_err(idb::failed)?.into();
                js_sys::Reflect::set(&entry, &JsValue::from_str("json"), &json).map_err(idb::failed)?;
                outbox.add_with_key(&entry, &seq_key(seq)).map_err(idb::failed)?;
                moved.push((seq_of(&old), seq));
            }
            let renumbered = |local: &JsValue| {
                let old = field(local, "seq").as_f64()? as u64;
                moved.binary_search_by_key(&old, |(o, _)| *o).ok().map(|at| moved[at].1)
            };
            // Each record that points at its latest change follows it.
            let keys = records.get_all_keys().map_err(idb::failed)?;
            let values = records.get_all().map_err(idb::failed)?;
            let keys = js_sys::Array::from(&idb::wait(&keys).await?);
            let values = js_sys::Array::from(&idb::wait(&values).await?);
            for (key, local) in keys.iter().zip(values.iter()) {
                if let Some(seq) = renumbered(&local) {
                    js_sys::Reflect::set(&local, &JsValue::from_str("seq"), &seq_key(seq)).map_err(idb::failed)?;
                    records.put_with_key(&local, &key).map_err(idb::failed)?;
                }
            }
            let next = last_seq + 1 + moved.len() as u64;
            idb::store(&tx, META)?.put_with_key(&seq_key(next), &JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
            Ok(true)
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

/// The keys of the records an outbox entry changes: `keys`, or the single `key` of an entry
/// written before a change could make several records.
fn keys_of(entry: &JsValue) -> js_sys::Array {
    let keys = field(entry, "keys");
    if keys.is_array() {
        return keys.unchecked_into();
    }
    let key = field(entry, "key");
    if key.is_undefined() { js_sys::Array::new() } else { js_sys::Array::of1(&key) }
}
