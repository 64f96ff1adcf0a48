//! Uploads the photos kept on this device, oldest first, one at a time, whenever it is online: on
//! start, on `online`, after a photo is taken, when an advisor signs in and on the engine's timer;
//! with the engine's backoff after a failure. A photo counts as uploaded only after the server's
//! 2xx (`PUT /api/photos/{id}` is idempotent, so a lost answer costs one more upload).

use super::{backoff, upload, SyncEngine, TransportError};
use crate::connection::Connection;
use crate::js;
use crate::store::{exclusive, PendingPhoto, Store, StoreError};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// As often as the sync engine's periodic sync.
const INTERVAL: Duration = Duration::from_secs(30);

/// The uploader, as context: `Clone` and `Send`; its state lives on the browser's one thread.
#[derive(Clone)]
pub struct PhotoUploads(SendWrapper<Rc<Inner>>);

struct Inner {
    engine: SyncEngine,
    connection: Connection,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    running: bool,
    again: bool,
    attempt: u32,
    retry_at: Option<f64>,
}

/// Why a round of uploads ended early.
enum Stop {
    /// Nothing to send with (no token, no advisor signed in, the device refused): the next
    /// prompt tries again, without backoff.
    Wait,
    /// The network, the server or the device's storage failed: retried with backoff (the sync
    /// engine shows what is wrong with the storage).
    Retry,
}

impl From<StoreError> for Stop {
    fn from(_: StoreError) -> Self {
        Stop::Retry
    }
}

/// Provides the uploader of `engine`'s store and starts it.
pub(super) fn provide(engine: SyncEngine, connection: Connection) {
    let uploads = PhotoUploads(SendWrapper::new(Rc::new(Inner { engine, connection, state: RefCell::default() })));
    provide_context(uploads.clone());
    uploads.start();
}

pub fn use_photo_uploads() -> PhotoUploads {
    expect_context::<PhotoUploads>()
}

impl PhotoUploads {
    fn start(&self) {
        let uploads = self.clone();
        std::mem::forget(window_event_listener(leptos::ev::online, move |_| uploads.kick()));
        let session = self.0.engine.device().session;
        let uploads = self.clone();
        // On start, and whenever an advisor signs in (their session goes with the uploads).
        Effect::new(move |_| {
            if session.with(Option::is_some) {
                uploads.kick();
            } else {
                uploads.refresh();
            }
        });
        let uploads = self.clone();
        set_interval(
            move || {
                if !uploads.0.state.borrow().retry_at.is_some_and(|at| at > js_sys::Date::now()) {
                    uploads.kick();
                }
            },
            INTERVAL,
        );
    }

    /// Uploads soon: now if idle, else right after the running round.
    pub fn kick(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            if state.running {
                state.again = true;
                return;
            }
            if !self.0.connection.online.try_get_untracked().unwrap_or(true) {
                drop(state);
                self.refresh();
                return;
            }
            state.running = true;
        }
        let uploads = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let outcome = uploads.upload_all().await;
                uploads.after(outcome);
                let again = std::mem::take(&mut uploads.0.state.borrow_mut().again);
                if !again {
                    break;
                }
            }
            uploads.0.state.borrow_mut().running = false;
        });
    }

    /// Shows how many photos wait.
    pub fn refresh(&self) {
        let uploads = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(store) = uploads.0.engine.store().await {
                uploads.count(&store).await;
            }
        });
    }

    async fn count(&self, store: &Store) {
        if let Ok(waiting) = store.photos_waiting().await {
            self.0.connection.photos_waiting.try_set(waiting.len() as u32);
        }
    }

    async fn upload_all(&self) -> Result<(), Stop> {
        let store = self.0.engine.store().await?;
        let facts = store.facts().await?;
        let token = facts.token.ok_or(Stop::Wait)?;
        let session = facts.session.map(|s| s.token);
        exclusive(&store.photo_lock(), async {
            // Read inside the lock: another tab may have uploaded some meanwhile.
            let waiting = store.photos_waiting().await?;
            self.0.connection.photos_waiting.try_set(waiting.len() as u32);
            for photo in waiting {
                self.upload_one(&store, &token, session.as_deref(), &photo).await?;
                self.count(&store).await;
            }
            Ok(())
        })
        .await
    }

    async fn upload_one(&self, store: &Store, token: &str, session: Option<&str>, photo: &PendingPhoto) -> Result<(), Stop> {
        let now = js_sys::Date::now();
        let Some(bytes) = store.photo_bytes(&photo.id).await? else {
            // The entry outlived its bytes (storage cleared by hand): nothing left to send.
            return Ok(store.photo_answered(&photo.id, now, Err("missing_on_device")).await?);
        };
        let url = format!(
            "/api/photos/{}?visit={}&taken_at={}",
            photo.id,
            photo.visit,
            String::from(js_sys::encode_uri_component(&photo.taken_at))
        );
        match upload(&url, token, session, &bytes, &photo.media_type).await {
            Ok(_) => Ok(store.photo_answered(&photo.id, now, Ok(())).await?),
            // The visit's check-in may not have reached the server yet; a timeout or a rate limit
            // passes; the device or its advisor may be signed in again.
            Err(TransportError::Status { status: 404 | 408 | 429, .. }) => Err(Stop::Retry),
            Err(TransportError::Status { status: 401 | 403, .. }) => Err(Stop::Wait),
            // Refused for good (not an image, too large, another photo's id): kept on the device,
            // not sent again.
            Err(TransportError::Status { status: 400..=499, body }) => {
                let code = js::parse(&body).and_then(|problem| js::text(&problem, "code")).unwrap_or_else(|| "refused".into());
                Ok(store.photo_answered(&photo.id, now, Err(&code)).await?)
            }
            Err(_) => Err(Stop::Retry),
        }
    }

    fn after(&self, outcome: Result<(), Stop>) {
        let mut state = self.0.state.borrow_mut();
        match outcome {
            Ok(()) | Err(Stop::Wait) => {
                state.attempt = 0;
                state.retry_at = None;
            }
            Err(Stop::Retry) => {
                let delay = backoff(state.attempt, js_sys::Math::random());
                state.attempt = state.attempt.saturating_add(1);
                state.retry_at = Some(js_sys::Date::now() + delay.as_millis() as f64);
                let uploads = self.clone();
                set_timeout(move || uploads.kick(), delay);
            }
        }
    }
}
