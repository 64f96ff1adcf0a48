//! Facts about this device in the `meta` store: its id, its token, the next outbox seq, the pull
//! cursor and the time of the last successful sync.

use super::idb::{self, META, OUTBOX};
use super::{Store, StoreError};
use wasm_bindgen::JsValue;

const DEVICE: &str = "device";
const TOKEN: &str = "token";
pub(super) const NEXT_SEQ: &str = "next_seq";
pub(super) const CURSOR: &str = "cursor";
const LAST_SYNC: &str = "last_sync";

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

    pub(super) async fn ensure_device(&self) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[META], true)?;
        let work = async {
            let meta = idb::store(&tx, META)?;
            let current = idb::wait(&meta.get(&JsValue::from_str(DEVICE)).map_err(idb::failed)?).await?;
            if current.is_undefined() {
                meta.put_with_key(&JsValue::from_str(&uuid_v4()), &JsValue::from_str(DEVICE)).map_err(idb::failed)?;
            }
            Ok(())
        };
        idb::finish(&tx, work.await).await
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

/// A random (version 4) UUID. `crypto.getRandomValues` works on plain http too, unlike
/// `crypto.randomUUID`, and a kiosk on a LAN may be served that way.
pub(super) fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).expect("crypto in every browser Lane supports");
    crypto.get_random_values_with_u8_array(&mut bytes).expect("16 random bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
