//! Photos taken on this device: the bytes in `blobs` (key `photo/<id>`) and an entry in `photos`
//! saying for which visit, when it was taken, and whether the server has it yet. Both are written
//! in one transaction; an entry is only ever marked uploaded, never deleted, so the device keeps
//! showing its photos offline and loses none before the server answered 2xx.

use super::idb::{self, field, object, BLOBS, PHOTOS};
use super::{Store, StoreError};
use lane_domain::ids::{PhotoId, VisitId};
use lane_domain::signature::Sha256;
use wasm_bindgen::JsValue;

/// A photo kept on this device, as the upload sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingPhoto {
    pub id: PhotoId,
    pub visit: VisitId,
    /// When it was taken by the device's clock, UTC RFC 3339 with milliseconds (sorts as text).
    pub taken_at: String,
    pub byte_length: u32,
    pub sha256: Sha256,
    pub media_type: String,
}

/// Where a photo's bytes are kept in `blobs`.
pub fn photo_key(id: &PhotoId) -> String {
    format!("photo/{id}")
}

impl Store {
    /// Keeps a photo's bytes and its upload entry together: either both are stored or neither.
    pub async fn keep_photo(&self, photo: &PendingPhoto, bytes: &[u8]) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[BLOBS, PHOTOS], true)?;
        let written = (|| {
            let buffer = js_sys::Uint8Array::from(bytes).buffer();
            idb::store(&tx, BLOBS)?.put_with_key(&buffer, &JsValue::from_str(&photo_key(&photo.id))).map_err(idb::failed)?;
            let entry = object(&[
                ("id", photo.id.as_str().into()),
                ("visit", photo.visit.as_str().into()),
                ("taken_at", photo.taken_at.as_str().into()),
                ("byte_length", photo.byte_length.into()),
                ("sha256", photo.sha256.as_str().into()),
                ("media_type", photo.media_type.as_str().into()),
            ]);
            idb::store(&tx, PHOTOS)?.put_with_key(&entry, &JsValue::from_str(photo.id.as_str())).map(drop).map_err(idb::failed)
        })();
        idb::finish(&tx, written).await
    }

    /// The photos the server does not have yet (nor refused), oldest first.
    pub async fn photos_waiting(&self) -> Result<Vec<PendingPhoto>, StoreError> {
        let tx = idb::transaction(&self.db, &[PHOTOS], false)?;
        let all = idb::wait(&idb::store(&tx, PHOTOS)?.get_all().map_err(idb::failed)?).await?;
        let mut waiting: Vec<PendingPhoto> = js_sys::Array::from(&all)
            .iter()
            .filter(|entry| field(entry, "uploaded_at").is_undefined() && field(entry, "refused").is_undefined())
            .filter_map(|entry| read(&entry))
            .collect();
        waiting.sort_by(|a, b| (&a.taken_at, a.id.as_str()).cmp(&(&b.taken_at, b.id.as_str())));
        Ok(waiting)
    }

    /// A photo's bytes, if this device has them.
    pub async fn photo_bytes(&self, id: &PhotoId) -> Result<Option<Vec<u8>>, StoreError> {
        self.blob(&photo_key(id)).await
    }

    /// Marks a photo as the server answered: `Ok` stored (at `millis`), `Err(code)` refused for
    /// good. Either way it no longer waits; its bytes stay on the device.
    pub async fn photo_answered(&self, id: &PhotoId, millis: f64, answer: Result<(), &str>) -> Result<(), StoreError> {
        let tx = idb::transaction(&self.db, &[PHOTOS], true)?;
        let work = async {
            let photos = idb::store(&tx, PHOTOS)?;
            let key = JsValue::from_str(id.as_str());
            let entry = idb::wait(&photos.get(&key).map_err(idb::failed)?).await?;
            if entry.is_undefined() {
                return Ok(());
            }
            let (name, value) = match answer {
                Ok(()) => ("uploaded_at", JsValue::from_f64(millis)),
                Err(code) => ("refused", JsValue::from_str(code)),
            };
            js_sys::Reflect::set(&entry, &name.into(), &value).map_err(idb::failed)?;
            photos.put_with_key(&entry, &key).map(drop).map_err(idb::failed)
        };
        idb::finish(&tx, work.await).await
    }

    /// The name of the Web Lock that makes one tab at a time upload this database's photos.
    pub fn photo_lock(&self) -> String {
        format!("{}-photos", self.name)
    }
}

fn read(entry: &JsValue) -> Option<PendingPhoto> {
    let text = |name| field(entry, name).as_string();
    Some(PendingPhoto {
        id: PhotoId::parse(&text("id")?).ok()?,
        visit: VisitId::parse(&text("visit")?).ok()?,
        taken_at: text("taken_at")?,
        byte_length: field(entry, "byte_length").as_f64()? as u32,
        sha256: Sha256::parse(&text("sha256")?).ok()?,
        media_type: text("media_type")?,
    })
}
