//! The engine provided as context: owns the store handle, the timers and the retry state, and
//! keeps the connection indicator and the rejected list up to date.

use super::backoff::backoff;
use super::{HttpTransport, Transport, TransportError};
use crate::connection::{Connection, SyncProblem};
use crate::device::{Device, Enrolled, SignedIn};
use crate::js;
use crate::store::{exclusive, Batch, LocalRecord, Outcome, Rejected, Saved, Store, StoreError, DATABASE};
use lane_domain::device::{DeviceKind, Enrolment};
use lane_domain::sync::Change;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::Serialize;
use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

pub struct SyncOptions {
    /// Most mutations in one push.
    pub batch_max: u32,
    /// Most mutations in a cycle's first push: a small one keeps the server busy while the device
    /// reads the next, larger batch from its storage, instead of leaving it idle meanwhile.
    pub first_batch: u32,
    /// A push stops adding mutations past this much JSON (one always goes), in UTF-16 units: at
    /// most 3 bytes each in UTF-8, so the default keeps a push under the server's 8 MiB.
    pub batch_bytes: u32,
    pub pull_limit: u32,
    /// How often to sync when nothing else prompts it.
    pub interval: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { batch_max: 1000, first_batch: 250, batch_bytes: 2_500_000, pull_limit: 500, interval: Duration::from_secs(30) }
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
    /// A tablet's push needs an advisor signed in: the outbox waits (pulls go on) until one is.
    SignInRequired,
    /// Network, server or answer trouble: retried with backoff.
    Retry(String),
    Store(StoreError),
}

impl From<StoreError> for SyncError {
    fn from(error: StoreError) -> Self {
        SyncError::Store(error)
    }
}

/// What the server answered for one change, for a screen that still shows it (a kiosk's
/// confirmation). Only the latest [`ANSWERS_KEPT`] are kept, and only in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// With the name of the advisor who receives the customer, when the server named one.
    Applied { advisor_name: Option<String> },
    Rejected { code: String },
}

const ANSWERS_KEPT: usize = 20;

/// `Clone` and `Send` for context; the state inside lives on the browser's one thread.
#[derive(Clone)]
pub struct SyncEngine(SendWrapper<Rc<Inner>>);

struct Inner {
    database: String,
    store: RefCell<Option<Store>>,
    transport: Box<dyn Transport>,
    connection: Connection,
    device: Device,
    rejected: RwSignal<Vec<Rejected>>,
    answers: RwSignal<Vec<(u64, Answer)>>,
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

/// Provides the app's engine (database "lane", HTTP transport) and its [`Device`], and starts it.
pub fn provide_sync(connection: Connection) -> SyncEngine {
    let engine = SyncEngine::new(DATABASE, Box::new(HttpTransport), connection, SyncOptions::default());
    provide_context(engine.clone());
    #[cfg(feature = "bench")]
    crate::bench::keep(engine.clone());
    engine.start();
    super::photos::provide(engine.clone(), connection);
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
            device: Device::new(),
            rejected: RwSignal::new(Vec::new()),
            answers: RwSignal::new(Vec::new()),
            options,
            state: RefCell::default(),
        })))
    }

    /// What this device is and who is signed in on it.
    pub fn device(&self) -> Device {
        self.0.device
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
    pub async fn save(&self, kind: &str, id: &str, record: &impl Serialize, change: Change) -> Result<Saved, StoreError> {
        match LocalRecord::of(kind, id, record) {
            Ok(record) => self.save_together(&[record], change).await,
            Err(error) => {
                self.show_store_error(&error);
                Err(error)
            }
        }
    }

    /// [`Store::save_together`], then syncs soon.
    pub async fn save_together(&self, records: &[LocalRecord], change: Change) -> Result<Saved, StoreError> {
        let saved = match self.store().await {
            Ok(store) => store.save_together(records, change).await,
            Err(error) => Err(error),
        };
        self.saved(&saved).await;
        saved
    }

    async fn saved(&self, saved: &Result<Saved, StoreError>) {
        match saved {
            Ok(_) => {
                if self.0.connection.problem.try_get_untracked().flatten() == Some(SyncProblem::StorageFull) {
                    self.0.connection.problem.try_set(None);
                }
                self.refresh().await;
                self.kick();
            }
            Err(error) => self.show_store_error(error),
        }
    }

    /// Saves a change that keeps no record on this device (see [`Store::send`]), then syncs soon.
    pub async fn send(&self, change: Change) -> Result<Saved, StoreError> {
        let saved = match self.store().await {
            Ok(store) => store.send(change).await,
            Err(error) => Err(error),
        };
        self.saved(&saved).await;
        saved
    }

    /// The server's answer to the change saved as `seq`, once it came (while this app runs).
    pub fn answer(&self, seq: u64) -> Option<Answer> {
        self.0.answers.with(|answers| answers.iter().find(|(s, _)| *s == seq).map(|(_, answer)| answer.clone()))
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
        self.resume();
        Ok(())
    }

    /// Keeps this device's enrolment (see [`Store::set_enrolment`]) and starts syncing with it.
    pub async fn enrol(&self, enrolment: &Enrolment) -> Result<(), StoreError> {
        let store = self.store().await?;
        store.set_enrolment(enrolment).await?;
        self.0.device.session.try_set(None);
        let enrolled = Enrolled { device: enrolment.device.to_string(), kind: enrolment.kind, name: enrolment.name.clone() };
        self.0.device.enrolled.try_set(Some(enrolled));
        self.resume();
        Ok(())
    }

    /// Keeps the advisor's session (or ends it, with `None`); waiting changes go out with it.
    pub async fn set_session(&self, session: Option<SignedIn>) -> Result<(), StoreError> {
        self.store().await?.set_session(session.as_ref()).await?;
        let signed_in = session.is_some();
        self.0.device.session.try_set(session);
        if signed_in {
            self.resume();
        }
        Ok(())
    }

    /// Lifts a stop or a wait for sign-in, and syncs.
    fn resume(&self) {
        self.0.state.borrow_mut().stopped = false;
        self.0.connection.problem.try_set(None);
        self.kick();
    }

    /// Opens the store, shows what waits, and syncs now, on every `online` event and on a timer.
    pub fn start(&self) {
        let engine = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match engine.store().await {
                Ok(store) => {
                    let device = engine.0.device;
                    let facts = store.facts().await.ok();
                    device.enrolled.try_set(facts.as_ref().and_then(|f| f.enrolled.clone()));
                    device.session.try_set(facts.as_ref().and_then(|f| f.session.clone()));
                    device.loaded.try_set(true);
                    engine.0.connection.last_sync.try_set(facts.and_then(|f| f.last_sync));
                    engine.refresh().await;
                    engine.kick();
                }
                Err(error) => {
                    engine.0.device.loaded.try_set(true);
                    engine.show_store_error(&error);
                }
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
        bench_mark!("cycle");
        let store = self.store().await?;
        let facts = store.facts().await?;
        let (token, session) = (facts.token.ok_or(SyncError::NoToken)?, facts.session);
        bench_mark!("facts");
        exclusive(&store.sync_lock(), async {
            // Waiting for a sign-in holds back the outbox only: pulls go on (the sign-in screen
            // lists the advisors that the pull brings).
            let pushed = match self.push_all(&store, &token, session.as_ref().map(|s| s.token.as_str())).await {
                Err(SyncError::SignInRequired) => {
                    // The session ended on the server (signed out elsewhere, or the tablet was
                    // re-enrolled): the advisor signs in again. Unless one signed in meanwhile.
                    let sent = session.as_ref().map(|s| s.token.as_str());
                    if sent.is_some() && store.session().await?.as_ref().map(|s| s.token.as_str()) == sent {
                        store.set_session(None).await?;
                        self.0.device.session.try_set(None);
                    }
                    Err(SyncError::SignInRequired)
                }
                other => other,
            };
            if let Err(error) = &pushed {
                if *error != SyncError::SignInRequired {
                    return pushed;
                }
            }
            self.pull_all(&store, &token).await?;
            let now = js_sys::Date::now();
            store.set_last_sync(now).await?;
            self.0.connection.last_sync.try_set(Some(now));
            pushed
        })
        .await
    }

    /// Pushes every waiting change, oldest first, one request at a time (the server takes a
    /// device's changes only in seq order). While the server works on one batch, the next is read
    /// from the outbox and the previous one's answers are stored.
    async fn push_all(&self, store: &Store, token: &str, session: Option<&str>) -> Result<(), SyncError> {
        let (limit, units) = (self.0.options.batch_max, self.0.options.batch_bytes);
        let mut renumbered = false;
        bench_mark!("locked");
        // Answers received but not yet stored: stored while the next push is on its way.
        let mut unstored: Option<Answers> = None;
        let transport = &self.0.transport;
        // The next batch, read and made ready to send (compressed).
        let ready = |after: Option<u64>, limit: u32| async move {
            let batch = store.batch(after, limit, units).await?;
            let wire = transport.prepare(batch.body.clone()).await;
            Ok::<_, StoreError>((batch, wire))
        };
        let mut next = ready(None, limit.min(self.0.options.first_batch.max(1))).await?;
        loop {
            let (batch, wire) = next;
            let Some(&(first, _)) = batch.entries.first() else {
                return match unstored.take() {
                    Some(answers) => self.store_answers(store, answers).await,
                    None => Ok(()),
                };
            };
            bench_mark!("body");
            let after = batch.entries.last().map(|(seq, _)| *seq);
            let pushed = transport.push(token, session, wire);
            let stored = async {
                match unstored.take() {
                    Some(answers) => self.store_answers(store, answers).await,
                    None => Ok(()),
                }
            };
            let (answer, (following, stored)) = both(pushed, async { (ready(after, limit).await, stored.await) }).await;
            stored?;
            let answer = answer.map_err(refusal)?;
            bench_mark!("answer");
            // A `lane_domain::sync::PushResponse`, read with `JSON.parse` (see `crate::js`): each
            // result is `{"id","seq","outcome":"applied"|"rejected","receipt"?|"reason"?}`.
            let response = js::parse(&answer).ok_or_else(not_the_api)?;
            let last_seq = js::count(&response, "last_seq").ok_or_else(not_the_api)?;
            let mut outcomes: Vec<(u64, Outcome)> = Vec::new();
            let mut answers: Vec<(u64, Answer)> = Vec::new();
            for result in js::items(&response, "results") {
                let Some(seq) = js::count(&result, "seq").filter(|seq| batch.entries.binary_search_by_key(seq, |(s, _)| *s).is_ok()) else { break };
                let reason = js::field(&result, "reason");
                let outcome = match js::text(&result, "outcome").as_deref() {
                    Some("applied") => Outcome::Applied,
                    Some("rejected") => Outcome::Rejected {
                        code: js::text(&reason, "code").unwrap_or_default(),
                        message: js::text(&reason, "message").unwrap_or_default(),
                    },
                    _ => break,
                };
                answers.push((seq, match &outcome {
                    Outcome::Applied => Answer::Applied { advisor_name: js::text(&js::field(&result, "receipt"), "advisor_name") },
                    Outcome::Rejected { code, .. } => Answer::Rejected { code: code.clone() },
                }));
                outcomes.push((seq, outcome));
            }
            if outcomes.is_empty() {
                // None answered: the outbox's numbers do not follow the server's `last_seq` (this
                // device's storage was wiped and it numbered from 1 again). Number on from there,
                // once per cycle, and push again.
                if !renumbered && first != last_seq + 1 && store.renumber(first, last_seq).await? {
                    renumbered = true;
                    next = ready(None, limit).await?;
                    continue;
                }
                return Err(SyncError::Retry("the server answered none of the batch".into()));
            }
            self.0.answers.try_update(|kept| {
                kept.extend(answers);
                let over = kept.len().saturating_sub(ANSWERS_KEPT);
                kept.drain(..over);
            });
            let complete = outcomes.len() == batch.entries.len();
            unstored = Some((outcomes, batch, last_seq));
            if complete {
                next = following?;
            } else {
                // The server stopped partway: store what it answered, then send the rest again.
                if let Some(answers) = unstored.take() {
                    self.store_answers(store, answers).await?;
                }
                next = ready(None, limit).await?;
            }
        }
    }

    /// Stores a push's answers (see [`Store::acknowledge_batch`]) and what the server said of
    /// this device's numbering.
    async fn store_answers(&self, store: &Store, (outcomes, batch, last_seq): Answers) -> Result<(), SyncError> {
        bench_mark!("storing");
        let kiosk = self.0.device.enrolled.with_untracked(|e| e.as_ref().is_some_and(|e| e.kind == DeviceKind::Kiosk));
        if store.acknowledge_batch(&outcomes, &batch, !kiosk).await? > 0 {
            self.0.device.records.try_update(|n| *n = n.wrapping_add(1));
        }
        #[cfg(feature = "bench")]
        crate::bench::acknowledged();
        store.note_server_seq(last_seq).await?;
        self.refresh().await;
        Ok(())
    }

    async fn pull_all(&self, store: &Store, token: &str) -> Result<(), SyncError> {
        loop {
            let cursor = store.cursor().await?;
            let answer = self.0.transport.pull(token, cursor, self.0.options.pull_limit).await.map_err(refusal)?;
            // A `lane_domain::sync::PullResponse`: `{"records":[{"version","record"}],"cursor","more","last_seq"}`.
            let page = js::parse(&answer).ok_or_else(not_the_api)?;
            let (Some(next), Some(more), Some(last_seq)) = (js::count(&page, "cursor"), js::flag(&page, "more"), js::count(&page, "last_seq")) else {
                return Err(not_the_api());
            };
            if store.put_records(&js::items(&page, "records"), Some(next)).await? > 0 {
                self.0.device.records.try_update(|n| *n = n.wrapping_add(1));
            }
            store.note_server_seq(last_seq).await?;
            if !more {
                return Ok(());
            }
            if next == cursor {
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
                if matches!(self.0.connection.problem.try_get_untracked().flatten(), Some(SyncProblem::Refused { .. } | SyncProblem::SignInRequired)) {
                    self.0.connection.problem.try_set(None);
                }
            }
            Err(SyncError::NoToken | SyncError::Busy) => {}
            Err(SyncError::SignInRequired) => {
                // No backoff: the sign-in resumes at once, and the periodic sync keeps pulling.
                state.attempt = 0;
                state.retry_at = None;
                self.0.connection.problem.try_set(Some(SyncProblem::SignInRequired));
            }
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

/// A push's answers, the batch they answer and the server's `last_seq`.
type Answers = (Vec<(u64, Outcome)>, Batch, u64);

/// Runs two futures at once (on this one thread) and waits for both.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut first, mut second) = (None, None);
    poll_fn(|cx| {
        if first.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(cx) {
                first = Some(value);
            }
        }
        if second.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(cx) {
                second = Some(value);
            }
        }
        if first.is_some() && second.is_some() {
            Poll::Ready((first.take().expect("ready"), second.take().expect("ready")))
        } else {
            Poll::Pending
        }
    })
    .await
}

fn not_the_api() -> SyncError {
    SyncError::Retry("an answer that is not the sync API's".into())
}

/// 4xx (but timeouts and rate limits) stops the engine, except a tablet's wait for sign-in; the
/// rest is worth a retry.
fn refusal(error: TransportError) -> SyncError {
    match error {
        TransportError::Status { status, body } if (400..500).contains(&status) && status != 408 && status != 429 => {
            // A `lane_domain::api::Problem`: `{"code","message"}`.
            let problem = js::parse(&body).unwrap_or_default();
            match (js::text(&problem, "code"), js::text(&problem, "message")) {
                (Some(code), _) if code == js::code::SIGN_IN_REQUIRED => SyncError::SignInRequired,
                (Some(code), Some(message)) => SyncError::Stopped { code, message },
                _ => SyncError::Stopped { code: format!("http_{status}"), message: body },
            }
        }
        TransportError::Status { status, .. } => SyncError::Retry(format!("the server answered {status}")),
        TransportError::Network(detail) => SyncError::Retry(detail),
    }
}
