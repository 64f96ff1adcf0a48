//! The engine provided as context: owns the store handle, the timers and the retry state, and
//! keeps the connection indicator and the rejected list up to date.

use super::backoff::backoff;
use super::wire::{Problem, PullPage, PushResponse};
use super::{HttpTransport, Transport, TransportError};
use crate::connection::{Connection, SyncProblem};
use crate::store::{exclusive, Outcome, Rejected, Saved, Store, StoreError, DATABASE};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

pub struct SyncOptions {
    /// Most mutations in one push.
    pub batch_max: u32,
    /// A push stops adding mutations past this many bytes of JSON (one always goes).
    pub batch_bytes: usize,
    pub pull_limit: u32,
    /// How often to sync when nothing else prompts it.
    pub interval: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { batch_max: 1000, batch_bytes: 4 << 20, pull_limit: 500, interval: Duration::from_secs(30) }
    }
}

/// Why a sync cycle ended early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// This device has no token yet: nothing is sent until it is enrolled.
    NoToken,
    /// A cycle is already running in this tab.
    Busy,
    /// The server refused the request as a whole (4xx): no retry until [`SyncEngine::set_token`].
    Stopped { code: String, message: String },
    /// Network, server or answer trouble: retried with backoff.
    Retry(String),
    Store(StoreError),
}

impl From<StoreError> for SyncError {
    fn from(error: StoreError) -> Self {
        SyncError::Store(error)
    }
}

/// `Clone` and `Send` for context; the state inside lives on the browser's one thread.
#[derive(Clone)]
pub struct SyncEngine(SendWrapper<Rc<Inner>>);

struct Inner {
    database: String,
    store: RefCell<Option<Store>>,
    transport: Box<dyn Transport>,
    connection: Connection,
    rejected: RwSignal<Vec<Rejected>>,
    options: SyncOptions,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    running: bool,
    again: bool,
    attempt: u32,
    /// While a backoff wait runs, the periodic timer leaves it alone.
    retry_at: Option<f64>,
    stopped: bool,
}

/// Provides the app's engine (database "lane", HTTP transport) and starts it.
pub fn provide_sync(connection: Connection) -> SyncEngine {
    let engine = SyncEngine::new(DATABASE, Box::new(HttpTransport), connection, SyncOptions::default());
    provide_context(engine.clone());
    engine.start();
    engine
}

pub fn use_sync() -> SyncEngine {
    expect_context::<SyncEngine>()
}

impl SyncEngine {
    pub fn new(database: &str, transport: Box<dyn Transport>, connection: Connection, options: SyncOptions) -> Self {
        SyncEngine(SendWrapper::new(Rc::new(Inner {
            database: database.to_owned(),
            store: RefCell::new(None),
            transport,
            connection,
            rejected: RwSignal::new(Vec::new()),
            options,
            state: RefCell::default(),
        })))
    }

    /// The changes the server rejected, for the person to see and fix or discard.
    pub fn rejected(&self) -> RwSignal<Vec<Rejected>> {
        self.0.rejected
    }

    /// The store, opened on first use.
    pub async fn store(&self) -> Result<Store, StoreError> {
        if let Some(store) = self.0.store.borrow().clone() {
            return Ok(store);
        }
        let store = Store::open(&self.0.database).await?;
        *self.0.store.borrow_mut() = Some(store.clone());
        Ok(store)
    }

    /// Saves a change durably (see [`Store::save`]), then syncs soon. Only after `Ok` may the UI
    /// say the change is saved.
    pub async fn save(&self, kind: &str, id: &str, record: &impl Serialize, change: &impl Serialize) -> Result<Saved, StoreError> {
        let saved = match self.store().await {
            Ok(store) => store.save(kind, id, record, change).await,
            Err(error) => Err(error),
        };
        match &saved {
            Ok(_) => {
                if self.0.connection.problem.try_get_untracked().flatten() == Some(SyncProblem::StorageFull) {
                    self.0.connection.problem.try_set(None);
                }
                self.refresh().await;
                self.kick();
            }
            Err(error) => self.show_store_error(error),
        }
        saved
    }

    /// Drops a rejected change from the list.
    pub async fn discard(&self, seq: u64) -> Result<(), StoreError> {
        self.store().await?.discard_rejected(seq).await?;
        self.refresh().await;
        Ok(())
    }

    /// Stores the device's new token and lifts a stop caused by the old one.
    pub async fn set_token(&self, token: &str) -> Result<(), StoreError> {
        self.store().await?.set_token(token).await?;
        self.0.state.borrow_mut().stopped = false;
        self.0.connection.problem.try_set(None);
        self.kick();
        Ok(())
    }

    /// Opens the store, shows what waits, and syncs now, on every `online` event and on a timer.
    pub fn start(&self) {
        let engine = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match engine.store().await {
                Ok(store) => {
                    let last = store.last_sync().await.ok().flatten();
                    engine.0.connection.last_sync.try_set(last);
                    engine.refresh().await;
                    engine.kick();
                }
                Err(error) => engine.show_store_error(&error),
            }
        });
        let engine = self.clone();
        std::mem::forget(window_event_listener(leptos::ev::online, move |_| engine.kick()));
        let engine = self.clone();
        set_interval(
            move || {
                let waiting = engine.0.state.borrow().retry_at.is_some_and(|at| at > js_sys::Date::now());
                if !waiting {
                    engine.kick();
                }
            },
            self.0.options.interval,
        );
    }

    /// Syncs soon: now if idle, else right after the running cycle.
    pub fn kick(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            if state.stopped || !self.0.connection.online.try_get_untracked().unwrap_or(true) {
                return;
            }
            if state.running {
                state.again = true;
                return;
            }
        }
        let engine = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let _ = engine.sync_now().await;
                let again = std::mem::take(&mut engine.0.state.borrow_mut().again);
                if !again {
                    break;
                }
            }
        });
    }

    /// One cycle: push every waiting change in batches, then pull until the server has no more;
    /// then schedules a retry or records a stop. Holds the sync Web Lock, so one tab of the
    /// device syncs at a time.
    pub async fn sync_now(&self) -> Result<(), SyncError> {
        if std::mem::replace(&mut self.0.state.borrow_mut().running, true) {
            return Err(SyncError::Busy);
        }
        self.0.connection.syncing.try_set(true);
        let outcome = self.cycle().await;
        self.0.connection.syncing.try_set(false);
        self.0.state.borrow_mut().running = false;
        self.refresh().await;
        self.after(outcome.clone());
        outcome
    }

    async fn cycle(&self) -> Result<(), SyncError> {
        let store = self.store().await?;
        let token = store.token().await?.ok_or(SyncError::NoToken)?;
        exclusive(&store.sync_lock(), async {
            self.push_all(&store, &token).await?;
            self.pull_all(&store, &token).await?;
            let now = js_sys::Date::now();
            store.set_last_sync(now).await?;
            self.0.connection.last_sync.try_set(Some(now));
            Ok(())
        })
        .await
    }

    async fn push_all(&self, store: &Store, token: &str) -> Result<(), SyncError> {
        loop {
            let pending = store.pending(self.0.options.batch_max).await?;
            let batch = take_batch(&pending, self.0.options.batch_bytes);
            if batch.is_empty() {
                return Ok(());
            }
            let mutations: Vec<&str> = batch.iter().map(|(_, json)| json.as_str()).collect();
            let body = format!("{{\"mutations\":[{}]}}", mutations.join(","));
            let answer = self.0.transport.push(token, body).await.map_err(refusal)?;
            let response: PushResponse = parse(&answer)?;
            let outcomes: Vec<(u64, Outcome)> = response
                .results
                .into_iter()
                .take_while(|result| batch.iter().any(|(seq, _)| *seq == result.seq))
                .map_while(|result| match (result.outcome.as_str(), result.reason) {
                    ("applied", _) => Some((result.seq, Outcome::Applied)),
                    ("rejected", reason) => {
                        let (code, message) = reason.map_or_else(Default::default, |r| (r.code, r.message));
                        Some((result.seq, Outcome::Rejected { code, message }))
                    }
                    _ => None,
                })
                .collect();
            if outcomes.is_empty() {
                return Err(SyncError::Retry("the server answered none of the batch".into()));
            }
            store.acknowledge(&outcomes).await?;
            store.note_server_seq(response.last_seq).await?;
            self.refresh().await;
        }
    }

    async fn pull_all(&self, store: &Store, token: &str) -> Result<(), SyncError> {
        loop {
            let cursor = store.cursor().await?;
            let answer = self.0.transport.pull(token, cursor, self.0.options.pull_limit).await.map_err(refusal)?;
            let page: PullPage = parse(&answer)?;
            store.put_records(&page.records, Some(page.cursor)).await?;
            store.note_server_seq(page.last_seq).await?;
            if !page.more {
                return Ok(());
            }
            if page.cursor == cursor {
                return Err(SyncError::Retry("the server said more but did not move the cursor".into()));
            }
        }
    }

    /// Schedules what follows a cycle: nothing, a backoff retry, or a stop the person must see.
    fn after(&self, outcome: Result<(), SyncError>) {
        let mut state = self.0.state.borrow_mut();
        match outcome {
            Ok(()) => {
                state.attempt = 0;
                state.retry_at = None;
                if matches!(self.0.connection.problem.try_get_untracked().flatten(), Some(SyncProblem::Refused { .. })) {
                    self.0.connection.problem.try_set(None);
                }
            }
            Err(SyncError::NoToken | SyncError::Busy) => {}
            Err(SyncError::Stopped { code, message }) => {
                state.stopped = true;
                self.0.connection.problem.try_set(Some(SyncProblem::Refused { code, message }));
            }
            Err(error) => {
                if let SyncError::Store(error) = &error {
                    self.show_store_error(error);
                }
                let delay = backoff(state.attempt, js_sys::Math::random());
                state.attempt = state.attempt.saturating_add(1);
                state.retry_at = Some(js_sys::Date::now() + delay.as_millis() as f64);
                let engine = self.clone();
                set_timeout(move || engine.kick(), delay);
            }
        }
    }

    /// Brings the waiting count and the rejected list up to date from the store.
    async fn refresh(&self) {
        let Ok(store) = self.store().await else { return };
        if let Ok(count) = store.pending_count().await {
            self.0.connection.pending.try_set(count);
        }
        if let Ok(rejected) = store.rejected().await {
            self.0.rejected.try_set(rejected);
        }
    }

    fn show_store_error(&self, error: &StoreError) {
        let problem = match error {
            StoreError::Full => SyncProblem::StorageFull,
            StoreError::Unavailable | StoreError::Blocked | StoreError::Closed => SyncProblem::StorageUnavailable,
            StoreError::Failed(_) => return,
        };
        self.0.connection.problem.try_set(Some(problem));
    }
}

/// The oldest waiting changes up to the byte budget; at least one, however large.
fn take_batch(pending: &[(u64, String)], max_bytes: usize) -> &[(u64, String)] {
    let mut bytes = 0;
    let fits = pending.iter().take_while(|(_, json)| {
        bytes += json.len() + 1;
        bytes <= max_bytes
    });
    &pending[..fits.count().max(pending.len().min(1))]
}

fn parse<T: serde::de::DeserializeOwned>(answer: &str) -> Result<T, SyncError> {
    serde_json::from_str(answer).map_err(|error| SyncError::Retry(format!("an answer that is not the sync API's: {error}")))
}

/// 4xx (but timeouts and rate limits) stops the engine; the rest is worth a retry.
fn refusal(error: TransportError) -> SyncError {
    match error {
        TransportError::Status { status, body } if (400..500).contains(&status) && status != 408 && status != 429 => {
            let problem = serde_json::from_str::<Problem>(&body).unwrap_or(Problem { code: format!("http_{status}"), message: body });
            SyncError::Stopped { code: problem.code, message: problem.message }
        }
        TransportError::Status { status, .. } => SyncError::Retry(format!("the server answered {status}")),
        TransportError::Network(detail) => SyncError::Retry(detail),
    }
}
