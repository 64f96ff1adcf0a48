//! The sync engine: pushes the outbox and pulls server records, on start, when the network comes
//! back, after each change and on a timer, backing off on failure. The transport is a trait so
//! the engine runs in tests against a fake server. The JSON on the wire is `lane_domain::sync`'s.
//! Photos go beside it, one request each (`photos.rs`).

mod backoff;
mod engine;
mod http;
mod photos;

pub use backoff::backoff;
pub use engine::{provide_sync, use_sync, Answer, SyncEngine, SyncError, SyncOptions};
pub use http::{fetch, upload, HttpTransport};
pub use photos::{use_photo_uploads, PhotoUploads};

use std::future::Future;
use wasm_bindgen::JsValue;
use std::pin::Pin;

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Carries request bodies to the server and its answers back, as JSON text.
pub trait Transport {
    /// Makes a `PushRequest` (JSON text, kept as the browser's string: it can be megabytes) ready
    /// to send, e.g. compressed; the engine does this while the previous push is on its way.
    fn prepare(&self, body: js_sys::JsString) -> LocalFuture<JsValue> {
        Box::pin(async move { body.into() })
    }
    /// `POST /api/sync/push` with a `PushRequest` as [`Transport::prepare`] made it; on a tablet
    /// with the advisor's session token (the `lane-advisor-session` header).
    fn push(&self, token: &str, session: Option<&str>, body: JsValue) -> LocalFuture<Result<String, TransportError>>;
    /// `GET /api/sync/pull?cursor=…&limit=…`.
    fn pull(&self, token: &str, cursor: u64, limit: u32) -> LocalFuture<Result<String, TransportError>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No answer (offline, server down, connection cut): retried with backoff.
    Network(String),
    /// An answer other than 2xx, with its body (a JSON `Problem` for 4xx).
    Status { status: u16, body: String },
}

/// Every record of one type on this device, each read by `read` (`None` skips it), in the
/// store's order (by id); read again after every pull that brought records. `None` until read.
pub fn use_records<T: Send + Sync + 'static>(kind: &'static str, read: fn(&wasm_bindgen::JsValue) -> Option<T>) -> leptos::prelude::Signal<Option<Vec<T>>> {
    use leptos::prelude::*;
    let sync = use_sync();
    let device = sync.device();
    let records = RwSignal::new(None);
    Effect::new(move |_| {
        device.records.track();
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(store) = sync.store().await else { return };
            let all = store.records_js(kind).await.unwrap_or_default();
            records.try_set(Some(all.iter().filter_map(read).collect::<Vec<T>>()));
        });
    });
    records.into()
}
