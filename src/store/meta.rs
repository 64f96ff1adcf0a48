//! Facts about this device in the `meta` store: its id, its token, its kind and name once it is
//! enrolled, the advisor signed in on it, the next outbox seq, the pull cursor and the time of
//! the last successful sync.

use super::idb::{self, field, object, META, OUTBOX};
use super::{Store, StoreError};
use crate::device::{Enrolled, SignedIn};
use lane_domain::device::{DeviceKind, Enrolment};
use lane_domain::ids::AdvisorId;
use wasm_bindgen::JsValue;

pub(super) const DEVICE: &str = "device";
const TOKEN: &str = "token";
pub(super) const NEXT_SEQ: &str = "next_seq";
pub(super) const CURSOR: &str = "cursor";
const LAST_SYNC: &str = "last_sync";
const KIND: &str = "kind";
const NAME: &str = "name";
pub(super) const SESSION: &str = "session";

/// The meta store's facts, read at once (see [`Store::facts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub token: Option<String>,
    pub enrolled: Option<Enrolled>,
    pub session: Option<SignedIn>,
    pub last_sync: Option<f64>,
}

impl Store {
    /// This device's id, made on first open and kept with the data it names.
    pub async fn device(&self) -> Result<String, StoreError> {
        Ok(self.meta(DEVICE).await?.as_string().unwrap_or_default())
    }

    /// The bearer token the server gave this device, if it was enrolled.
    pub async fn token(&self) -> Result<Option<String>, StoreError> {
        Ok(self.meta(TOKEN).await?.as_string())
    }

    pub async fn set_token(&self, token: &str) -> Result<(), StoreError> {
        self.set_meta(TOKEN, &JsValue::from_str(token)).await
    }

    /// Where the next pull starts (0: from the beginning).
    pub async fn cursor(&self) -> Result<u64, StoreError> {
        Ok(self.meta(CURSOR).await?.as_f64().map_or(0, |n| n as u64))
    }

    pub async fn set_cursor(&self, cursor: u64) -> Result<(), StoreError> {
        self.set_meta(CURSOR, &JsValue::from_f64(cursor as f64)).await
    }

    /// When the last sync completed, in milliseconds since the epoch.
    pub async fn last_sync(&self) -> Result<Option<f64>, StoreError> {
        Ok(self.meta(LAST_SYNC).await?.as_f64())
    }

    pub async fn set_last_sync(&self, millis: f64) -> Result<(), StoreError> {
        self.set_meta(LAST_SYNC, &JsValue::from_f64(millis)).await
    }

    /// The server's last applied seq for this device. If this device's numbering is behind it
    /// (its storage was wiped) and nothing waits, numbering continues after it, so new changes are
    /// not taken for repeats of old ones.
    pub async fn note_server_seq(&self, last_seq: u64) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX, META], true)?;
        let work = async {
            let waiting = idb::store(&tx, OUTBOX)?.count().map_err(idb::failed)?;
            let meta = idb::store(&tx, META)?;
            let next = meta.get(&JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
            let waiting = idb::wait(&waiting).await?.as_f64().unwrap_or(0.0);
            let next = idb::wait(&next).await?.as_f64();
            if waiting == 0.0 && next.is_none_or(|n| n as u64 <= last_seq) {
                meta.put_with_key(&JsValue::from_f64((last_seq + 1) as f64), &JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
            }
            Ok(())
        };
        idb::finish(&tx, work.await).await
    }

    /// What the server enrolled this device as; `None` before enrolment.
    pub async fn enrolment(&self) -> Result<Option<Enrolled>, StoreError> {
        Ok(self.facts().await?.enrolled)
    }

    /// What the app needs of the meta store at start and for each sync, in one read.
    pub async fn facts(&self) -> Result<Facts, StoreError> {
        let tx = idb::transaction(&self.db, &[META], false)?;
        let meta = idb::store(&tx, META)?;
        let keys = meta.get_all_keys().map_err(idb::failed)?;
        let values = meta.get_all().map_err(idb::failed)?;
        let (keys, values) = (js_sys::Array::from(&idb::wait(&keys).await?), js_sys::Array::from(&idb::wait(&values).await?));
        let get = |name: &str| keys.iter().position(|key| key.as_string().as_deref() == Some(name)).map_or(JsValue::UNDEFINED, |at| values.get(at as u32));
        let token = get(TOKEN).as_string();
        let enrolled = match (get(KIND).as_string().as_deref().and_then(DeviceKind::from_tag), &token) {
            (Some(kind), Some(_)) => Some(Enrolled { device: get(DEVICE).as_string().unwrap_or_default(), kind, name: get(NAME).as_string().unwrap_or_default() }),
            _ => None,
        };
        let session = get(SESSION);
        let text = |name| field(&session, name).as_string();
        let session = match (text("advisor").and_then(|id| AdvisorId::parse(&id).ok()), text("name"), text("token")) {
            (Some(advisor), Some(name), Some(token)) => Some(SignedIn { advisor, name, token }),
            _ => None,
        };
        Ok(Facts { token, enrolled, session, last_sync: get(LAST_SYNC).as_f64() })
    }

    /// Keeps what the server answered an enrolment: the device's id (from now on in every
    /// mutation), token, kind and name, in one transaction. Any advisor's session ends. A device
    /// with nothing waiting numbers its changes from 1 again, as the server expects of a new device.
    pub async fn set_enrolment(&self, enrolment: &Enrolment) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[OUTBOX, META], true)?;
        let work = async {
            let waiting = idb::store(&tx, OUTBOX)?.count().map_err(idb::failed)?;
            let meta = idb::store(&tx, META)?;
            let put = |key: &str, value: &str| meta.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key)).map(drop).map_err(idb::failed);
            put(DEVICE, enrolment.device.as_str())?;
            put(TOKEN, &enrolment.token)?;
            put(KIND, enrolment.kind.tag())?;
            put(NAME, &enrolment.name)?;
            meta.delete(&JsValue::from_str(SESSION)).map_err(idb::failed)?;
            if idb::wait(&waiting).await?.as_f64() == Some(0.0) {
                meta.put_with_key(&JsValue::from_f64(1.0), &JsValue::from_str(NEXT_SEQ)).map_err(idb::failed)?;
            }
            Ok(())
        };
        idb::finish(&tx, work.await).await
    }

    /// The advisor signed in on this tablet, if any. Kept as a plain object (no JSON to parse).
    pub async fn session(&self) -> Result<Option<SignedIn>, StoreError> {
        Ok(self.facts().await?.session)
    }

    pub async fn set_session(&self, session: Option<&SignedIn>) -> Result<(), StoreError> {
        match session {
            Some(s) => {
                let stored = object(&[("advisor", s.advisor.as_str().into()), ("name", s.name.as_str().into()), ("token", s.token.as_str().into())]);
                self.set_meta(SESSION, &stored).await
            }
            None => {
                let tx = idb::transaction(&self.db, &[META], true)?;
                let deleted = idb::store(&tx, META).and_then(|m| m.delete(&JsValue::from_str(SESSION)).map(drop).map_err(idb::failed));
                idb::finish(&tx, deleted).await
            }
        }
    }

    async fn meta(&self, key: &str) -> Result<JsValue, StoreError> {
        let tx = idb::transaction(&self.db, &[META], false)?;
        idb::wait(&idb::store(&tx, META)?.get(&JsValue::from_str(key)).map_err(idb::failed)?).await
    }

    async fn set_meta(&self, key: &str, value: &JsValue) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[META], true)?;
        let written = idb::store(&tx, META).and_then(|meta| meta.put_with_key(value, &JsValue::from_str(key)).map(drop).map_err(idb::failed));
        idb::finish(&tx, written).await
    }
}
