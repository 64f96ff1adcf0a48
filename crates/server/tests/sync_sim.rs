//! A deterministic, seeded simulation of sync: several tablets and the real server logic
//! (`push_batch`, `pull_page` over a real SQLite database) joined by a network that drops,
//! duplicates, delays and reorders requests; devices crash while answering, lose answers after
//! the server committed, and have their storage wiped. After the network heals every device
//! pushes and pulls until it is idle, and the invariants of ARCHITECTURE.md ("Sync") are checked
//! in the database and in the device models:
//!
//! 1. every mutation a device was told was applied is in `applied_mutations` exactly once, and its
//!    effect (its audit-log row, the visit's state) happened exactly once; no id is applied twice;
//! 2. every mutation saved and not wiped is, after healing, applied or rejected with a reason;
//! 3. after healing every device's records equal what a pull from cursor 0 gives it;
//! 4. per device, `applied_mutations` holds the seqs 1..=last_seq without gaps, and the mutations
//!    of one device (between wipes) were applied in the order they were made.
//!
//! The schedule is proptest's generated input; the run's seed is printed (and fixed unless
//! `SYNC_SIM_SEED` says otherwise), so a failure replays from its seed, and proptest prints the
//! shrunk schedule. `PROPTEST_CASES` changes the number of cases.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use lane_domain::appointment::{Appointment, BookingRequest, Concerns, ConfirmationCode, Transport};
use lane_domain::device::DeviceKind;
use lane_domain::ids::{AppointmentId, DeviceId, MutationId, ServiceTypeId, VisitId};
use lane_domain::sync::{Arrival, Change, CheckIn, Mutation, Outcome, PullQuery, PushResponse, Record};
use lane_domain::visit::{Parties, Visit, VisitEdit, VisitState};
use lane_domain::walkaround::KeyTag;
use lane_domain::Language;
use lane_server::audit::Actor;
use lane_server::auth::Device;
use lane_server::db::Db;
use lane_server::http::AppState;
use lane_server::sync::pull::pull_page;
use lane_server::sync::push::push_batch;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The fixed seed of the test command's run; `SYNC_SIM_SEED=n` explores (or replays) another.
const DEFAULT_SEED: u64 = 0x5eed_1a9e;
const DEFAULT_CASES: u32 = 1500;

// ---------------------------------------------------------------------------------------------
// The schedule.

#[derive(Debug, Clone, Copy)]
enum Fate {
    /// The request is lost before the server.
    Lost,
    /// Delivered, and the answer arrives.
    Delivered,
    /// Delivered twice (a retry by the network); the device reads the second answer.
    Twice,
    /// The server commits, then the answer is lost (or the server crashes before answering).
    AnswerLost,
    /// The device records the answers, then crashes before noting the server's last_seq.
    CrashWhileAnswering,
    /// Held in the network and delivered later, in any order; the device gives up waiting.
    Delayed,
}

#[derive(Debug, Clone)]
enum Step {
    /// A person makes a change: saved locally (record and outbox entry in one transaction).
    Write { dev: usize, what: u8, pick: u8 },
    /// The device pushes the oldest `batch` entries of its outbox.
    Push { dev: usize, batch: usize, fate: Fate },
    /// The network delivers one delayed request (chosen by `pick`); its answer reaches no one.
    Deliver { pick: usize },
    /// The device pulls one page.
    Pull { dev: usize, limit: u32 },
    /// The device's storage is wiped: outbox, records, cursor and seq counter are gone.
    Wipe { dev: usize },
}

#[derive(Debug, Clone)]
struct Schedule {
    devices: usize,
    steps: Vec<Step>,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        4 => Just(Fate::Delivered),
        1 => Just(Fate::Lost),
        1 => Just(Fate::Twice),
        2 => Just(Fate::AnswerLost),
        1 => Just(Fate::CrashWhileAnswering),
        2 => Just(Fate::Delayed),
    ]
}

fn step(devices: usize) -> impl Strategy<Value = Step> {
    let dev = 0..devices;
    prop_oneof![
        10 => (dev.clone(), any::<u8>(), any::<u8>()).prop_map(|(dev, what, pick)| Step::Write { dev, what, pick }),
        6 => (dev.clone(), prop_oneof![1..4usize, Just(usize::MAX)], fate()).prop_map(|(dev, batch, fate)| Step::Push { dev, batch, fate }),
        2 => any::<usize>().prop_map(|pick| Step::Deliver { pick }),
        4 => (dev.clone(), prop_oneof![1..6u32, Just(500u32)]).prop_map(|(dev, limit)| Step::Pull { dev, limit }),
        1 => dev.prop_map(|dev| Step::Wipe { dev }),
    ]
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (2..=4usize).prop_flat_map(|devices| {
        proptest::collection::vec(step(devices), 1..60).prop_map(move |steps| Schedule { devices, steps })
    })
}

// ---------------------------------------------------------------------------------------------
// The device: a model of the app's store and engine (src/store, src/sync/engine.rs).

type Key = (String, String);

struct Model {
    device: Device,
    actor: Actor,
    /// The next seq to give a change; `None` after a wipe (the store then starts at 1).
    next_seq: Option<u64>,
    /// Seq order; an entry leaves only on an applied or rejected answer.
    outbox: Vec<Mutation>,
    /// The server's copies as last pulled, with their versions.
    pulled: BTreeMap<Key, (u64, Value)>,
    /// This device's own edits, shown over the pulled copy while their mutation waits (by id).
    local: BTreeMap<Key, (MutationId, Value)>,
    cursor: u64,
    /// Increases at each wipe: mutations of one epoch must be applied in the order made.
    epoch: u32,
}

impl Model {
    fn visible(&self, key: &Key) -> Option<&Value> {
        self.local.get(key).map(|(_, v)| v).or_else(|| self.pulled.get(key).map(|(_, v)| v))
    }

    fn visible_all(&self) -> BTreeMap<Key, Value> {
        let mut all: BTreeMap<Key, Value> = self.pulled.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect();
        for (k, (_, v)) in &self.local {
            all.insert(k.clone(), v.clone());
        }
        all
    }

    fn of_type(&self, kind: &str) -> Vec<(Key, Record)> {
        let keys: BTreeSet<&Key> = self.pulled.keys().chain(self.local.keys()).filter(|k| k.0 == kind).collect();
        keys.into_iter().filter_map(|k| Some((k.clone(), serde_json::from_value(self.visible(k)?.clone()).ok()?))).collect()
    }

    /// `Store::acknowledge`: answered entries leave the outbox (a rejected one would be listed
    /// for the person); the device then shows the server's copy of the record again.
    fn acknowledge(&mut self, answered: &[MutationId]) {
        self.outbox.retain(|m| !answered.contains(&m.id));
        self.local.retain(|_, (id, _)| !answered.contains(id));
    }

    /// `Store::put_records`: a pulled record is the server's copy, kept beside the device's own
    /// edit while that edit's change waits (the device shows its edit until it is answered).
    fn put_record(&mut self, version: u64, value: Value) {
        self.pulled.insert(key_of(&value), (version, value));
    }

    /// `Store::note_server_seq`, and the renumbering a wiped device needs (ARCHITECTURE.md: "A
    /// device whose storage was wiped learns `last_seq` from any answer and numbers on from
    /// there"): when the server answered none of a batch because the outbox's numbers do not
    /// follow its last_seq, the waiting entries are numbered on from last_seq, in order.
    fn note_server_seq(&mut self, last_seq: u64, answered_none: bool) -> bool {
        if self.outbox.is_empty() {
            if self.next_seq.is_none_or(|n| n <= last_seq) {
                self.next_seq = Some(last_seq + 1);
            }
        } else if answered_none && self.outbox[0].seq != last_seq + 1 {
            for (i, m) in self.outbox.iter_mut().enumerate() {
                m.seq = last_seq + 1 + i as u64;
            }
            self.next_seq = Some(last_seq + 1 + self.outbox.len() as u64);
            return true;
        }
        false
    }
}

fn key_of(value: &Value) -> Key {
    let kind = value["type"].as_str().expect("a record has a type").to_owned();
    let id = value["id"].as_str().expect("a record has an id").to_owned();
    (kind, id)
}

// ---------------------------------------------------------------------------------------------
// What the simulation remembers to check the invariants.

#[derive(Default)]
struct Ledger {
    /// Every mutation made: (device, epoch, order made, the change).
    made: BTreeMap<String, (usize, u32, usize, Change)>,
    /// Mutations lost with a wiped outbox: they may or may not reach the server.
    wiped: BTreeSet<String>,
    /// The first answer a device received for a mutation.
    answers: BTreeMap<String, Outcome>,
    log: Vec<String>,
    stats: Stats,
}

/// What the cases exercised, summed over the run.
#[derive(Default, Debug, Clone, Copy)]
struct Stats {
    made: usize,
    applied: usize,
    rejected: usize,
    wiped: usize,
    wiped_but_applied: usize,
    renumbered: usize,
    stale_delivered: usize,
    duplicates: usize,
    notices: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.made += o.made;
        self.applied += o.applied;
        self.rejected += o.rejected;
        self.wiped += o.wiped;
        self.wiped_but_applied += o.wiped_but_applied;
        self.renumbered += o.renumbered;
        self.stale_delivered += o.stale_delivered;
        self.duplicates += o.duplicates;
        self.notices += o.notices;
    }
}

struct Sim {
    state: AppState,
    devices: Vec<Model>,
    /// Delayed requests, in flight: (device, the batch).
    network: Vec<(usize, Vec<Mutation>)>,
    ledger: Ledger,
    counter: usize,
    slots: [DateTime<Utc>; 2],
}

macro_rules! check {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

impl Sim {
    fn at(&self) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + Duration::seconds(self.counter as i64)
    }

    /// A person's change on device `dev`, saved with the next seq (as `Store::save`).
    fn write(&mut self, dev: usize, what: u8, pick: u8) {
        self.counter += 1;
        let n = self.counter;
        let model = &self.devices[dev];
        let pick = usize::from(pick);
        let (change, local): (Change, Option<(Key, Value)>) = match what % 20 {
            // Check a booked customer in: a new visit.
            0..=3 => {
                let appointments = model.of_type("appointment");
                let Some((_, Record::Appointment(appointment))) = appointments.get(pick % appointments.len().max(1)).cloned() else {
                    return;
                };
                let visit = VisitId::parse(&format!("visit-{dev}-{n}")).unwrap();
                let check_in = CheckIn {
                    visit: visit.clone(),
                    arrival: Arrival::Booked(appointment.id.clone()),
                    transport: appointment.transport,
                    concerns: appointment.concerns.clone(),
                    key_tag: None,
                    parties: None,
                };
                let local = local_visit(&appointment, &check_in, self.at());
                (Change::CheckIn(check_in), Some(local))
            }
            // A plain field edit, on the version this device last pulled.
            4..=12 => {
                let visits = model.of_type("visit");
                let Some((key, Record::Visit(visit))) = visits.get(pick % visits.len().max(1)).cloned() else { return };
                let edit = match what % 3 {
                    0 => VisitEdit::Diagnosis(format!("diagnosis {n}")),
                    1 => VisitEdit::KeyTag(Some(KeyTag::parse(&format!("K{n}")).unwrap())),
                    _ => VisitEdit::Concerns(Concerns::parse(&format!("concern {n}")).unwrap()),
                };
                let mut predicted = *visit.clone();
                if predicted.apply(edit.clone(), None).is_err() {
                    return; // the screen refuses it before saving
                }
                let base = model.pulled.get(&key).map_or(0, |(v, _)| *v);
                let change = Change::EditVisit { visit: visit.id.clone(), base, edit };
                (change, Some((key, serde_json::to_value(Record::Visit(Box::new(predicted))).unwrap())))
            }
            // A step of the visit: usually the next one, sometimes one the server must refuse.
            13..=16 => {
                let visits = model.of_type("visit");
                let Some((key, Record::Visit(visit))) = visits.get(pick % visits.len().max(1)).cloned() else { return };
                const STATES: [VisitState; 7] = [
                    VisitState::CheckedIn,
                    VisitState::WalkAroundDone,
                    VisitState::WrittenUpAndSigned,
                    VisitState::InWorkshop,
                    VisitState::QualityCheck,
                    VisitState::Ready,
                    VisitState::Delivered,
                ];
                let to = if what.is_multiple_of(2) { visit.state.next().unwrap_or(VisitState::Delivered) } else { STATES[(pick / 7) % 7] };
                let mut predicted = *visit.clone();
                predicted.state = to;
                let change = Change::AdvanceVisit { visit: visit.id.clone(), to };
                (change, Some((key, serde_json::to_value(Record::Visit(Box::new(predicted))).unwrap())))
            }
            // A booking made offline, in one of two slots that fill up.
            _ => {
                let appointment = AppointmentId::parse(&format!("appt-{dev}-{n}")).unwrap();
                let request = BookingRequest {
                    appointment: appointment.clone(),
                    code: code(n),
                    name: "Sim Customer".into(),
                    phone: format!("139{:08}", dev * 1000 + pick % 3),
                    email: None,
                    language: Language::English,
                    plate: "沪A12345".into(),
                    vin: None,
                    make: "Ford".into(),
                    model: "Focus".into(),
                    year: None,
                    mileage_km: None,
                    services: vec![ServiceTypeId::parse("svc-oil").unwrap()],
                    slot_start: self.slots[pick % 2],
                    transport: Transport::Wait,
                    concerns: String::new(),
                };
                // The device shows its booking as pending until the server confirms it.
                let local = json!({ "type": "appointment", "id": appointment.as_str(), "pending": true });
                (Change::BookAppointment(request), Some((key_of(&local), local)))
            }
        };
        let at = self.at();
        let model = &mut self.devices[dev];
        let seq = model.next_seq.unwrap_or(1);
        let id = MutationId::parse(&format!("m-{n}")).unwrap();
        let mutation = Mutation { id: id.clone(), device: model.device.id.clone(), seq, at, change: change.clone(), by: None };
        model.next_seq = Some(seq + 1);
        model.outbox.push(mutation);
        self.ledger.stats.made += 1;
        if let Some((key, value)) = local {
            model.local.insert(key, (id.clone(), value));
        }
        let order = self.ledger.made.len();
        self.ledger.log.push(format!("dev{dev} saves {id} seq {seq}: {}", describe(&change)));
        self.ledger.made.insert(id.to_string(), (dev, model.epoch, order, change));
    }

    /// The server's answer, as the device's engine takes it (`push_all`).
    fn take_answer(&mut self, dev: usize, batch: &[Mutation], response: &PushResponse, crash_before_note: bool) -> Result<(), String> {
        let model = &mut self.devices[dev];
        let mut answered = Vec::new();
        for result in &response.results {
            let Some(sent) = batch.iter().find(|m| m.seq == result.seq) else { break };
            check!(sent.id == result.id, "dev{dev}: the answer for seq {} names {} but {} was sent", result.seq, result.id, sent.id);
            if let Outcome::Rejected { reason } = &result.outcome {
                check!(!reason.message.trim().is_empty(), "dev{dev}: {} rejected without a reason", result.id);
            }
            match self.ledger.answers.get(result.id.as_str()) {
                Some(first) => check!(first == &result.outcome, "{}: answered {first:?} first, then {:?}", result.id, result.outcome),
                None => {
                    self.ledger.answers.insert(result.id.to_string(), result.outcome.clone());
                }
            }
            answered.push(result.id.clone());
        }
        self.ledger.log.push(format!("dev{dev} gets answers for {answered:?}, last_seq {}", response.last_seq));
        model.acknowledge(&answered);
        if !crash_before_note && model.note_server_seq(response.last_seq, answered.is_empty()) {
            self.ledger.stats.renumbered += 1;
            self.ledger.log.push(format!("dev{dev} renumbers its outbox after {}", response.last_seq));
        }
        Ok(())
    }

    async fn deliver(&mut self, dev: usize, batch: &[Mutation]) -> Result<PushResponse, String> {
        let model = &self.devices[dev];
        let response = push_batch(&self.state, &model.device, &model.actor, batch).await.map_err(|e| format!("push failed: {e:?}"))?;
        let ids: Vec<String> = batch.iter().map(|m| format!("{}@{}", m.id, m.seq)).collect();
        self.ledger.log.push(format!("server takes dev{dev} {ids:?} -> {} answers, last_seq {}", response.results.len(), response.last_seq));
        Ok(response)
    }

    async fn push(&mut self, dev: usize, batch: usize, fate: Fate) -> Result<(), String> {
        let outbox = &self.devices[dev].outbox;
        if outbox.is_empty() {
            return Ok(());
        }
        let sent: Vec<Mutation> = outbox.iter().take(batch).cloned().collect();
        match fate {
            Fate::Lost => self.ledger.log.push(format!("dev{dev} push of {} lost", sent.len())),
            Fate::Delayed => {
                self.ledger.log.push(format!("dev{dev} push of {} delayed", sent.len()));
                self.network.push((dev, sent));
            }
            Fate::AnswerLost => {
                self.deliver(dev, &sent).await?;
            }
            Fate::Delivered | Fate::CrashWhileAnswering => {
                let response = self.deliver(dev, &sent).await?;
                self.take_answer(dev, &sent, &response, matches!(fate, Fate::CrashWhileAnswering))?;
            }
            Fate::Twice => {
                let first = self.deliver(dev, &sent).await?;
                let second = self.deliver(dev, &sent).await?;
                self.ledger.stats.duplicates += 1;
                check!(
                    second.results.len() >= first.results.len() && second.results[..first.results.len()] == first.results[..],
                    "dev{dev}: a duplicate push got other answers: {first:?} then {second:?}"
                );
                self.take_answer(dev, &sent, &second, false)?;
            }
        }
        Ok(())
    }

    /// One page, as `pull_all` takes it: records, cursor and last_seq.
    async fn pull(&mut self, dev: usize, limit: u32) -> Result<bool, String> {
        // As the HTTP extractor does: the device row, with its last_seq, read as the request comes in.
        let last_seq: i64 = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1")
            .bind(self.devices[dev].device.id.as_str())
            .fetch_one(&self.state.db.pool)
            .await
            .map_err(|e| format!("reading the device: {e}"))?;
        self.devices[dev].device.last_seq = last_seq as u64;
        let model = &self.devices[dev];
        let cursor = model.cursor;
        let page = pull_page(&self.state, &model.device, PullQuery { cursor, limit: Some(limit) }).await.map_err(|e| format!("pull failed: {e:?}"))?;
        check!(page.cursor >= cursor, "dev{dev}: the cursor went back from {cursor} to {}", page.cursor);
        check!(!page.more || page.cursor > cursor, "dev{dev}: more=true but the cursor did not move");
        let model = &mut self.devices[dev];
        for pulled in &page.records {
            model.put_record(pulled.version, serde_json::to_value(&pulled.record).unwrap());
        }
        model.cursor = page.cursor;
        model.note_server_seq(page.last_seq, false);
        self.ledger.log.push(format!("dev{dev} pulls {} records from {cursor} to {}, more {}", page.records.len(), page.cursor, page.more));
        Ok(page.more)
    }

    async fn pull_all(&mut self, dev: usize, limit: u32) -> Result<(), String> {
        for _ in 0..10_000 {
            if !self.pull(dev, limit).await? {
                return Ok(());
            }
        }
        Err(format!("dev{dev}: the pull never ended"))
    }

    fn wipe(&mut self, dev: usize) {
        let model = &mut self.devices[dev];
        for m in model.outbox.drain(..) {
            self.ledger.wiped.insert(m.id.to_string());
            self.ledger.stats.wiped += 1;
        }
        model.next_seq = None;
        model.pulled.clear();
        model.local.clear();
        model.cursor = 0;
        model.epoch += 1;
        self.ledger.log.push(format!("dev{dev} is wiped"));
    }

    async fn run(&mut self, schedule: &Schedule) -> Result<(), String> {
        let t = std::time::Instant::now();
        for step in &schedule.steps {
            match *step {
                Step::Write { dev, what, pick } => self.write(dev, what, pick),
                Step::Push { dev, batch, fate } => self.push(dev, batch, fate).await?,
                Step::Deliver { pick } => {
                    if !self.network.is_empty() {
                        let (dev, batch) = self.network.remove(pick % self.network.len());
                        self.ledger.stats.stale_delivered += 1;
                        self.deliver(dev, &batch).await?;
                    }
                }
                Step::Pull { dev, limit } => {
                    self.pull(dev, limit).await?;
                }
                Step::Wipe { dev } => self.wipe(dev),
            }
        }
        let t1 = std::time::Instant::now();
        // The network heals: what is still in flight is lost, then every device syncs until idle.
        self.ledger.log.push(format!("heal: {} delayed requests lost", self.network.len()));
        self.network.clear();
        for dev in 0..self.devices.len() {
            for _ in 0..5 {
                if self.devices[dev].outbox.is_empty() {
                    break;
                }
                self.push(dev, usize::MAX, Fate::Delivered).await?;
            }
            check!(self.devices[dev].outbox.is_empty(), "dev{dev}: the outbox does not empty on a healed network: {:?}", self.devices[dev].outbox);
        }
        for dev in 0..self.devices.len() {
            self.pull_all(dev, 50).await?;
        }
        let t2 = std::time::Instant::now();
        let r = self.check().await;
        if std::env::var("SYNC_SIM_PROFILE").is_ok() {
            eprintln!("steps {:?} heal {:?} check {:?}", t1 - t, t2 - t1, t2.elapsed());
        }
        r
    }

    async fn check(&mut self) -> Result<(), String> {
        let pool = &self.state.db.pool;
        let rows: Vec<(String, i64, String, String)> =
            sqlx::query_as("SELECT device_id, seq, mutation_id, outcome FROM applied_mutations ORDER BY device_id, seq")
                .fetch_all(pool)
                .await
                .map_err(|e| e.to_string())?;
        let mut stored: BTreeMap<String, (String, u64, Outcome)> = BTreeMap::new();
        for (device, seq, id, outcome) in rows {
            let outcome: Outcome = serde_json::from_str(&outcome).map_err(|e| e.to_string())?;
            match outcome {
                Outcome::Applied { .. } => self.ledger.stats.applied += 1,
                Outcome::Rejected { .. } => self.ledger.stats.rejected += 1,
            }
            self.ledger.stats.wiped_but_applied += usize::from(self.ledger.wiped.contains(&id));
            check!(stored.insert(id.clone(), (device, seq as u64, outcome)).is_none(), "(1) {id} is in applied_mutations twice");
        }
        // (1) Acknowledged means applied (or rejected) exactly as answered.
        for (id, answer) in &self.ledger.answers {
            let Some((_, _, outcome)) = stored.get(id) else { return Err(format!("(1) {id} was answered {answer:?} but is not stored")) };
            check!(outcome == answer, "(1) {id} was answered {answer:?} but stored as {outcome:?}");
        }
        // (2) Saved and not wiped: answered by the end, with a reason if rejected.
        for (id, (dev, ..)) in &self.ledger.made {
            if self.ledger.wiped.contains(id) {
                continue;
            }
            check!(stored.contains_key(id), "(2) {id} of dev{dev} was saved and never applied or rejected");
            check!(self.ledger.answers.contains_key(id), "(2) {id} of dev{dev} was never acknowledged to its device");
        }
        for (id, (_, _, outcome)) in &stored {
            check!(self.ledger.made.contains_key(id), "(1) {id} is stored but no device made it");
            if let Outcome::Rejected { reason } = outcome {
                check!(!reason.message.trim().is_empty(), "(2) {id} was rejected without a reason");
            }
        }
        // (1) Each applied mutation's effect happened once, and nothing else did.
        let audit: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT action, record_id, detail FROM audit_log WHERE action IN ('visit.checked_in', 'visit.edited', 'visit.advanced', 'appointment.booked')",
        )
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?;
        let mut rows: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        let mut edits: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        for (action, record, detail) in &audit {
            *rows.entry((action, record)).or_default() += 1;
            *edits.entry((record, detail)).or_default() += i64::from(action == "visit.edited");
        }
        let visits: BTreeSet<String> =
            sqlx::query_scalar("SELECT id FROM visits").fetch_all(pool).await.map_err(|e| e.to_string())?.into_iter().collect();
        let mut advances: BTreeMap<String, i64> = BTreeMap::new();
        let mut applied = 0;
        for (id, (_, _, outcome)) in &stored {
            let expected = i64::from(matches!(outcome, Outcome::Applied { .. }));
            applied += expected;
            let count = |action: &str, record: &str| rows.get(&(action, record)).copied().unwrap_or(0);
            match &self.ledger.made[id].3 {
                Change::CheckIn(c) => {
                    let n = count("visit.checked_in", c.visit.as_str());
                    check!(n == expected, "(1) {id} ({outcome:?}): {n} check-in rows for {}", c.visit);
                    check!(visits.contains(c.visit.as_str()) == (expected == 1), "(1) {id} ({outcome:?}): visit {} exists: {}", c.visit, expected == 0);
                }
                Change::EditVisit { visit, edit, .. } => {
                    let detail = json!(edit).to_string();
                    let n = edits.get(&(visit.as_str(), detail.as_str())).copied().unwrap_or(0);
                    check!(n == expected, "(1) {id} ({outcome:?}): {n} audit rows of its edit");
                }
                Change::AdvanceVisit { visit, .. } => *advances.entry(visit.to_string()).or_default() += expected,
                Change::BookAppointment(b) => {
                    let n = count("appointment.booked", b.appointment.as_str());
                    check!(n == expected, "(1) {id} ({outcome:?}): {n} booking rows for {}", b.appointment);
                }
                // The simulation makes neither (it does not model signatures).
                Change::Sign(_) | Change::AmendOrder { .. } | Change::HandleFollowUp { .. } | Change::RecordVisit { .. } | Change::ClassifyCustomer { .. } => {}
            }
        }
        for (visit, expected) in &advances {
            let n = rows.get(&("visit.advanced", visit.as_str())).copied().unwrap_or(0);
            check!(n == *expected, "(1) visit {visit} advanced {n} times, {expected} advances applied");
        }
        check!(audit.len() as i64 == applied, "(1) {} effects in the audit log for {applied} applied mutations", audit.len());
        // (4) Per device: seqs 1..=last_seq, and one epoch's mutations applied in the order made.
        for (dev, model) in self.devices.iter().enumerate() {
            let last_seq: i64 =
                sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1").bind(model.device.id.as_str()).fetch_one(pool).await.map_err(|e| e.to_string())?;
            let mut seqs: Vec<(u64, &String)> =
                stored.iter().filter(|(_, (d, ..))| d == model.device.id.as_str()).map(|(id, (_, seq, _))| (*seq, id)).collect();
            seqs.sort();
            check!(
                seqs.iter().map(|(s, _)| *s).eq(1..=last_seq as u64),
                "(4) dev{dev}: applied seqs {:?} are not 1..={last_seq}",
                seqs.iter().map(|(s, _)| *s).collect::<Vec<_>>()
            );
            let mut last_order: BTreeMap<u32, (usize, &String)> = BTreeMap::new();
            for (_, id) in &seqs {
                let (_, epoch, order, _) = &self.ledger.made[*id];
                if let Some((before, other)) = last_order.get(epoch) {
                    check!(order > before, "(4) dev{dev}: {id} was applied after {other}, though made before it");
                }
                last_order.insert(*epoch, (*order, id));
            }
        }
        self.ledger.stats.notices += sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM notices").fetch_one(pool).await.map_err(|e| e.to_string())? as usize;
        // (3) Every device holds exactly the server's records: what a pull from cursor 0 gives
        // (done once, for the first device; the others differ only in their own notices).
        let mut shared = BTreeMap::new();
        let mut cursor = 0;
        loop {
            let page = pull_page(&self.state, &self.devices[0].device, PullQuery { cursor, limit: Some(1000) }).await.map_err(|e| format!("{e:?}"))?;
            for pulled in page.records {
                let value = serde_json::to_value(&pulled.record).unwrap();
                shared.insert(key_of(&value), value);
            }
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
        shared.retain(|(kind, _), _| kind != "notice");
        for (dev, model) in self.devices.iter().enumerate() {
            let mut server = shared.clone();
            let notices: Vec<String> =
                sqlx::query_scalar("SELECT body FROM notices WHERE device_id = $1").bind(model.device.id.as_str()).fetch_all(pool).await.map_err(|e| e.to_string())?;
            for body in notices {
                let value = serde_json::to_value(Record::Notice(serde_json::from_str(&body).map_err(|e| e.to_string())?)).unwrap();
                server.insert(key_of(&value), value);
            }
            let local = model.visible_all();
            for key in server.keys().chain(local.keys()).collect::<BTreeSet<_>>() {
                check!(
                    server.get(key) == local.get(key),
                    "(3) dev{dev} holds {key:?} as {:?}, the server as {:?}",
                    local.get(key),
                    server.get(key)
                );
            }
        }
        Ok(())
    }
}

/// The visit a device shows after checking a customer in, before the server answers.
fn local_visit(appointment: &Appointment, check_in: &CheckIn, at: DateTime<Utc>) -> (Key, Value) {
    let parties = Parties { customer: appointment.customer.clone(), vehicle: appointment.vehicle.clone(), advisor: appointment.advisor.clone() };
    let visit = Visit::check_in(check_in, Some(appointment.id.clone()), parties, at);
    let value = serde_json::to_value(Record::Visit(Box::new(visit))).unwrap();
    (key_of(&value), value)
}

/// A distinct confirmation code per booking.
fn code(mut n: usize) -> ConfirmationCode {
    const ALPHABET: &[u8] = b"ACDEFGHJKLMNPQRTUVWXY34679";
    let mut code = String::new();
    for _ in 0..6 {
        code.push(ALPHABET[n % ALPHABET.len()] as char);
        n /= ALPHABET.len();
    }
    ConfirmationCode::parse(&code).unwrap()
}

fn describe(change: &Change) -> String {
    match change {
        Change::CheckIn(c) => format!("check in {} as {}", match &c.arrival { Arrival::Booked(a) => a.to_string(), Arrival::WalkIn(_) => "walk-in".into() }, c.visit),
        Change::EditVisit { visit, base, edit } => format!("edit {visit} (base {base}) {}", json!(edit)),
        Change::AdvanceVisit { visit, to } => format!("advance {visit} to {to:?}"),
        Change::BookAppointment(b) => format!("book {} at {}", b.appointment, b.slot_start),
        Change::Sign(_) => "sign".into(),
        Change::AmendOrder { visit } => format!("amend the order of {visit}"),
        Change::HandleFollowUp { follow_up, .. } => format!("handle the call back {follow_up}"),
        Change::RecordVisit { visit, event } => format!("record on {visit} {}", json!(event)),
        Change::ClassifyCustomer { customer, class } => format!("class {customer} as {class:?}"),
    }
}

/// Two bookable slots a few days ahead (10:00 and 10:30 in Shanghai on a weekday), so that the
/// server's "that time has passed" never applies and the slots fill up.
fn slots() -> [DateTime<Utc>; 2] {
    let mut day = (Utc::now() + Duration::days(3)).date_naive();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Duration::days(1);
    }
    let ten = Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap());
    [ten, ten + Duration::minutes(30)]
}

// ---------------------------------------------------------------------------------------------
// The database: seeded once into a template file, copied for every case.

async fn template(dir: &Path) -> PathBuf {
    let db = Db::open(dir.join("seeded.db").to_str().unwrap()).await.unwrap();
    assert!(lane_server::seed::seed_if_empty(&db).await.unwrap());
    // One self-contained file (no WAL beside it) to copy for every case.
    let path = dir.join("template.db");
    sqlx::query(&format!("VACUUM INTO '{}'", path.display())).execute(&db.pool).await.unwrap();
    db.close().await;
    path
}

/// What every tablet holds after its first sync: the template's records, pulled once.
struct Snapshot {
    pulled: BTreeMap<Key, (u64, Value)>,
    cursor: u64,
}

async fn snapshot(template: &Path, dir: &Path) -> Snapshot {
    let (state, mut devices) = case_state(template, dir, 0, 1, None).await;
    let page = pull_page(&state, &devices[0].device, PullQuery { cursor: 0, limit: Some(1000) }).await.unwrap();
    assert!(!page.more);
    for pulled in &page.records {
        let value = serde_json::to_value(&pulled.record).unwrap();
        devices[0].pulled.insert(key_of(&value), (pulled.version, value));
    }
    state.db.close().await;
    Snapshot { pulled: std::mem::take(&mut devices[0].pulled), cursor: page.cursor }
}

async fn case_state(template: &Path, dir: &Path, case: usize, devices: usize, synced: Option<&Snapshot>) -> (AppState, Vec<Model>) {
    let case_dir = dir.join(format!("case-{case}"));
    std::fs::create_dir_all(&case_dir).unwrap();
    let path = case_dir.join("lane.db");
    std::fs::copy(template, &path).unwrap();
    let db = Db::open(path.to_str().unwrap()).await.unwrap();
    let mut models = Vec::new();
    for dev in 0..devices {
        let id = DeviceId::parse(&format!("tablet-{dev}")).unwrap();
        sqlx::query("INSERT INTO devices (id, dealership_id, kind, name, token_sha256, enrolled_at) VALUES ($1, 'demo', 'tablet', $2, $3, '2026-03-01T00:00:00Z')")
            .bind(id.as_str())
            .bind(format!("Tablet {dev}"))
            .bind(format!("token-of-{dev}"))
            .execute(&db.pool)
            .await
            .unwrap();
        models.push(Model {
            device: Device { id: id.clone(), kind: DeviceKind::Tablet, dealership: "demo".into(), last_seq: 0 },
            actor: Actor { device: Some(id.to_string()), advisor: Some("adv-1".into()) },
            next_seq: Some(1),
            outbox: Vec::new(),
            // An enrolled tablet has synced once before anyone uses it.
            pulled: synced.map(|s| s.pulled.clone()).unwrap_or_default(),
            local: BTreeMap::new(),
            cursor: synced.map_or(0, |s| s.cursor),
            epoch: 0,
        });
    }
    (AppState { db, admin_token: None }, models)
}

#[test]
fn sync_survives_a_faulty_network() {
    let seed = std::env::var("SYNC_SIM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED);
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_CASES);
    eprintln!("sync_sim: {cases} cases from seed {seed} (replay with SYNC_SIM_SEED={seed})");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // The cases' databases live in memory-backed storage where there is some: nothing needs fsync.
    let dir = if Path::new("/dev/shm").is_dir() { tempfile::tempdir_in("/dev/shm") } else { tempfile::tempdir() }.unwrap();
    let template = runtime.block_on(template(dir.path()));
    let snapshot = runtime.block_on(snapshot(&template, dir.path()));
    let slots = slots();
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let case = std::cell::Cell::new(0);
    let stats = std::cell::RefCell::new(Stats::default());
    let started = std::time::Instant::now();
    let result = runner.run(&schedule(), |schedule| {
        case.set(case.get() + 1);
        let case = case.get();
        let outcome = runtime.block_on(async {
            let t0 = std::time::Instant::now();
            let (state, devices) = case_state(&template, dir.path(), case, schedule.devices, Some(&snapshot)).await;
            let t1 = std::time::Instant::now();
            let mut sim = Sim { state, devices, network: Vec::new(), ledger: Ledger::default(), counter: 0, slots };
            let outcome = sim.run(&schedule).await.map_err(|e| format!("{e}\n--- trace ---\n{}", sim.ledger.log.join("\n")));
            let t2 = std::time::Instant::now();
            *stats.borrow_mut() += sim.ledger.stats;
            sim.state.db.close().await;
            let t3 = std::time::Instant::now();
            if std::env::var("SYNC_SIM_PROFILE").is_ok() {
                eprintln!("case {case}: setup {:?} run {:?} close {:?} steps {}", t1 - t0, t2 - t1, t3 - t2, schedule.steps.len());
            }
            outcome
        });
        let _ = std::fs::remove_dir_all(dir.path().join(format!("case-{case}")));
        outcome.map_err(TestCaseError::fail)
    });
    eprintln!("sync_sim: {} cases in {:.1?}: {:?}", case.get(), started.elapsed(), stats.borrow());
    if let Err(error) = result {
        panic!("sync_sim failed with seed {seed} (replay with SYNC_SIM_SEED={seed}): {error}");
    }
}
