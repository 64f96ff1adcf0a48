//! The device's store (IndexedDB) and the sync engine against a fake server, in headless Chromium.
//! Each test opens a database of its own name, so tests do not see each other's data.

use lane_app::connection::{provide_connection, Connection, SyncProblem};
use lane_app::device::{Enrolled, SignedIn};
use lane_app::i18n::provide_i18n;
use lane_app::rejected_changes::RejectedChanges;
use lane_app::store::{LocalRecord, Outcome, Store, StoreError};
use lane_app::sync::{backoff, Answer, LocalFuture, SyncEngine, SyncError, SyncOptions, Transport, TransportError};
use lane_domain::catalogue::Advisor;
use lane_domain::customer::PersonName;
use lane_domain::device::{DeviceKind, Enrolment};
use lane_domain::ids::{AdvisorId, DeviceId, MutationId, VisitId};
use lane_domain::sync::{self, Change, Notice, PullResponse, Pulled, PushResponse, PushResult, Record, RejectCode, Rejection};
use lane_domain::visit::{VisitField, VisitState};
use leptos::prelude::*;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_name(test: &str) -> String {
    format!("lane-test-{test}-{}", js_sys::Math::random().to_bits())
}

async fn open(test: &str) -> (Store, String) {
    let name = fresh_name(test);
    (Store::open(&name).await.expect("the database opens"), name)
}

fn visit(note: &str) -> Value {
    json!({ "type": "visit", "id": "v1", "note": note })
}

/// A real change (the store and engine carry any; the fake server does not look inside).
fn change() -> Change {
    Change::AdvanceVisit { visit: VisitId::parse("v1").unwrap(), to: VisitState::InWorkshop }
}

/// A pulled advisor, made with the shared protocol types as the server makes it.
fn pulled_advisor(id: &str, name: &str, version: u64) -> Pulled {
    Pulled { version, record: Record::Advisor(Advisor { id: AdvisorId::parse(id).unwrap(), name: PersonName::parse(name).unwrap() }) }
}

/// The shared type on the wire, parsed as the engine parses a pull (`JSON.parse`).
fn on_the_wire(records: &[Pulled]) -> Vec<JsValue> {
    records.iter().map(|p| js_sys::JSON::parse(&serde_json::to_string(p).unwrap()).unwrap()).collect()
}

async fn seqs(store: &Store) -> Vec<u64> {
    store.pending(100).await.unwrap().into_iter().map(|(seq, _)| seq).collect()
}

#[wasm_bindgen_test]
async fn a_save_writes_the_record_and_its_outbox_entry() {
    let (store, _) = open("save").await;
    let device = store.device().await.unwrap();
    let saved = store.save("visit", "v1", &visit("first"), change()).await.unwrap();
    assert_eq!(saved.seq, 1);
    assert_eq!(store.pending_count().await.unwrap(), 1);
    let (seq, json) = store.pending(10).await.unwrap().remove(0);
    let mutation: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(seq, 1);
    assert_eq!(mutation["seq"], 1);
    assert_eq!(mutation["id"], saved.id.as_str());
    assert_eq!(mutation["device"], device.as_str());
    assert_eq!(mutation["change"], json!({ "type": "advance_visit", "visit": "v1", "to": "in_workshop" }));
    assert!(mutation["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(mutation.get("by"), None, "no advisor signed in");
    assert_eq!(store.record::<Value>("visit", "v1").await.unwrap(), Some(visit("first")));
    // With an advisor signed in, the change says who made it.
    let advisor = SignedIn { advisor: AdvisorId::parse("adv-1").unwrap(), name: "Li Na".into(), token: "t".into() };
    store.set_session(Some(&advisor)).await.unwrap();
    store.save("visit", "v1", &visit("second"), change()).await.unwrap();
    let (_, json) = store.pending(10).await.unwrap().remove(1);
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap()["by"], "adv-1");
}

/// Sets `meta.next_seq` behind the store's back, as a bug or a stale tab might.
async fn force_next_seq(name: &str, next: u32) {
    let script = js_sys::Function::new_with_args(
        "name, next",
        "return new Promise((ok, fail) => { const r = indexedDB.open(name); r.onerror = fail; r.onsuccess = () => {
            const db = r.result; const tx = db.transaction('meta', 'readwrite');
            tx.objectStore('meta').put(next, 'next_seq'); tx.onabort = fail; tx.oncomplete = () => { db.close(); ok(); }; }; })",
    );
    let promise = script.call2(&JsValue::NULL, &name.into(), &next.into()).unwrap();
    JsFuture::from(promise.unchecked_into::<js_sys::Promise>()).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_failing_save_leaves_neither_record_nor_outbox_entry() {
    let (store, name) = open("atomic").await;
    store.save("visit", "v1", &visit("kept"), change()).await.unwrap();
    force_next_seq(&name, 1).await;
    // seq 1 is taken: the outbox append fails, so the record write must be rolled back too.
    let error = store.save("visit", "v1", &visit("lost"), change()).await.unwrap_err();
    assert!(matches!(error, StoreError::Failed(ref detail) if detail.starts_with("ConstraintError")), "{error:?}");
    assert_eq!(store.record::<Value>("visit", "v1").await.unwrap(), Some(visit("kept")));
    assert_eq!(seqs(&store).await, vec![1]);
}

#[wasm_bindgen_test]
async fn seqs_are_contiguous_and_survive_a_reopen() {
    let (store, name) = open("reopen").await;
    for n in 0..3 {
        store.save("visit", &format!("v{n}"), &visit("x"), change()).await.unwrap();
    }
    drop(store);
    let again = Store::open(&name).await.unwrap();
    for n in 3..5 {
        again.save("visit", &format!("v{n}"), &visit("x"), change()).await.unwrap();
    }
    assert_eq!(seqs(&again).await, vec![1, 2, 3, 4, 5]);
}

#[wasm_bindgen_test]
async fn two_handles_never_assign_the_same_seq() {
    let name = fresh_name("tabs");
    let (a, b) = (Store::open(&name).await.unwrap(), Store::open(&name).await.unwrap());
    let tab = |store: Store, tab: &'static str| {
        wasm_bindgen_futures::future_to_promise(async move {
            for n in 0..10 {
                store.save("visit", &format!("{tab}{n}"), &visit(tab), change()).await.unwrap();
            }
            Ok(JsValue::UNDEFINED)
        })
    };
    let both = js_sys::Promise::all(&js_sys::Array::of2(&tab(a.clone(), "a"), &tab(b, "b")));
    JsFuture::from(both).await.unwrap();
    assert_eq!(seqs(&a).await, (1..=20).collect::<Vec<_>>());
}

#[wasm_bindgen_test]
async fn acknowledging_removes_only_the_answered_entries_and_keeps_rejections() {
    let (store, _) = open("ack").await;
    for n in 0..4 {
        store.save("visit", &format!("v{n}"), &visit("x"), change()).await.unwrap();
    }
    let slot_full = Outcome::Rejected { code: "slot_full".into(), message: "The 9:00 slot is full.".into() };
    store.acknowledge(&[(1, Outcome::Applied), (2, slot_full)]).await.unwrap();
    assert_eq!(seqs(&store).await, vec![3, 4]);
    let rejected = store.rejected().await.unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].seq, rejected[0].code.as_str()), (2, "slot_full"));
    assert_eq!(serde_json::from_str::<Value>(&rejected[0].mutation).unwrap()["seq"], 2);
    store.discard_rejected(2).await.unwrap();
    assert!(store.rejected().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn pulled_records_do_not_replace_a_local_change_still_waiting() {
    let (store, _) = open("pull").await;
    let local = json!({ "id": "a1", "name": "Local" });
    store.save("advisor", "a1", &local, change()).await.unwrap();
    let server = on_the_wire(&[pulled_advisor("a1", "Server", 3), pulled_advisor("a2", "Other", 4)]);
    assert_eq!(store.put_records(&server, Some(7)).await.unwrap(), 1);
    assert_eq!(store.record::<Value>("advisor", "a1").await.unwrap(), Some(local));
    assert_eq!(store.record::<Value>("advisor", "a2").await.unwrap(), Some(json!({ "id": "a2", "name": "Other" })));
    assert_eq!(store.cursor().await.unwrap(), 7);
    // Once the server has the change, its copy is the truth.
    store.acknowledge(&[(1, Outcome::Applied)]).await.unwrap();
    store.put_records(&server[..1], None).await.unwrap();
    let advisor = store.record::<Advisor>("advisor", "a1").await.unwrap().unwrap();
    assert_eq!(advisor.name.as_str(), "Server");
    let names: Vec<String> = store.records::<Advisor>("advisor").await.unwrap().into_iter().map(|a| a.name.to_string()).collect();
    assert_eq!(names, vec!["Server", "Other"]);
    assert!(store.records::<Advisor>("visit").await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_record_shows_the_servers_copy_again_once_its_last_waiting_change_is_answered() {
    let (store, _) = open("server-copy").await;
    store.put_records(&on_the_wire(&[pulled_advisor("a1", "Server 1", 1)]), Some(1)).await.unwrap();
    store.save("advisor", "a1", &json!({ "id": "a1", "name": "Local 1" }), change()).await.unwrap();
    store.save("advisor", "a1", &json!({ "id": "a1", "name": "Local 2" }), change()).await.unwrap();
    // A pull while the changes wait moves the cursor past the server's newer copy: it is kept
    // beside the device's edit, which stays on screen.
    assert_eq!(store.put_records(&on_the_wire(&[pulled_advisor("a1", "Server 2", 5)]), Some(5)).await.unwrap(), 0);
    let name = |store: Store| async move { store.record::<Value>("advisor", "a1").await.unwrap().map(|v| v["name"].as_str().unwrap().to_owned()) };
    assert_eq!(name(store.clone()).await.as_deref(), Some("Local 2"));
    assert_eq!(store.cursor().await.unwrap(), 5);
    // The first change answered: the second still waits, so the device's edit stays.
    assert_eq!(store.acknowledge(&[(1, Outcome::Applied)]).await.unwrap(), 0);
    assert_eq!(name(store.clone()).await.as_deref(), Some("Local 2"));
    // The last one refused (which does not change the server's version, so no pull would bring
    // the record again): the server's copy shows, not the refused edit.
    let refused = Outcome::Rejected { code: "not_allowed".into(), message: "No.".into() };
    assert_eq!(store.acknowledge(&[(2, refused.clone())]).await.unwrap(), 1);
    assert_eq!(name(store.clone()).await.as_deref(), Some("Server 2"));
    // Later pulls replace it as usual.
    store.put_records(&on_the_wire(&[pulled_advisor("a1", "Server 3", 6)]), Some(6)).await.unwrap();
    assert_eq!(name(store.clone()).await.as_deref(), Some("Server 3"));
    // An applied change stays on screen (the older server copy never shows again) until the
    // pull brings the server's result.
    store.save("advisor", "a1", &json!({ "id": "a1", "name": "Local 3" }), change()).await.unwrap();
    assert_eq!(store.acknowledge(&[(3, Outcome::Applied)]).await.unwrap(), 1);
    assert_eq!(name(store.clone()).await.as_deref(), Some("Local 3"));
    assert_eq!(store.versioned::<Value>("advisor", "a1").await.unwrap().unwrap().1, 6);
    store.put_records(&on_the_wire(&[pulled_advisor("a1", "Server 4", 8)]), Some(8)).await.unwrap();
    assert_eq!(name(store.clone()).await.as_deref(), Some("Server 4"));

    // A record made on this device has no server copy: refused, it goes; applied, it stays until
    // the pull brings the server's.
    store.save("visit", "new-1", &visit("made here"), change()).await.unwrap();
    store.save("visit", "new-2", &visit("made here"), change()).await.unwrap();
    assert_eq!(store.acknowledge(&[(4, refused), (5, Outcome::Applied)]).await.unwrap(), 2);
    assert_eq!(store.record::<Value>("visit", "new-1").await.unwrap(), None);
    assert_eq!(store.record::<Value>("visit", "new-2").await.unwrap(), Some(visit("made here")));
    assert_eq!(store.rejected().await.unwrap().iter().map(|r| r.seq).collect::<Vec<_>>(), vec![2, 4]);
}

#[wasm_bindgen_test]
async fn records_made_by_one_change_are_saved_and_answered_together() {
    let (store, _) = open("together").await;
    let made = |n: u32| {
        let records = [("customer", format!("c{n}"), json!({ "id": format!("c{n}") })), ("visit", format!("v{n}"), visit("walk-in"))];
        records.map(|(kind, id, record)| LocalRecord::of(kind, &id, &record).unwrap())
    };
    store.save_together(&made(1), change()).await.unwrap();
    store.save_together(&made(2), change()).await.unwrap();
    assert_eq!(seqs(&store).await, vec![1, 2]);
    assert_eq!(store.record::<Value>("customer", "c1").await.unwrap(), Some(json!({ "id": "c1" })));
    assert_eq!(store.record::<Value>("visit", "v2").await.unwrap(), Some(visit("walk-in")));
    // Refused, every record it made goes; applied, every one stays until a pull.
    let refused = Outcome::Rejected { code: "invalid".into(), message: "No.".into() };
    assert_eq!(store.acknowledge(&[(1, refused), (2, Outcome::Applied)]).await.unwrap(), 4);
    assert_eq!(store.record::<Value>("customer", "c1").await.unwrap(), None);
    assert_eq!(store.record::<Value>("visit", "v1").await.unwrap(), None);
    assert_eq!(store.record::<Value>("customer", "c2").await.unwrap(), Some(json!({ "id": "c2" })));
    assert_eq!(store.record::<Value>("visit", "v2").await.unwrap(), Some(visit("walk-in")));
}

#[wasm_bindgen_test]
async fn a_pulled_record_is_kept_as_its_own_type_without_the_tag() {
    let (store, _) = open("untagged").await;
    let device = DeviceId::parse("dev-1").unwrap();
    let notice = Notice {
        id: "n1".into(),
        to_device: device.clone(),
        visit: VisitId::parse("v1").unwrap(),
        field: VisitField::Concerns,
        by_device: device,
        at: chrono::Utc::now(),
    };
    // `Notice` denies unknown fields: it reads back only if the `type` tag was taken off.
    store.put_records(&on_the_wire(&[Pulled { version: 9, record: Record::Notice(notice.clone()) }]), None).await.unwrap();
    assert_eq!(store.record::<Notice>("notice", "n1").await.unwrap(), Some(notice));
}

#[wasm_bindgen_test]
async fn an_enrolment_keeps_the_servers_device_id_token_and_kind() {
    let (store, _) = open("enrol").await;
    assert_eq!(store.enrolment().await.unwrap(), None);
    store.note_server_seq(5).await.unwrap();
    let enrolment = Enrolment { device: DeviceId::parse("dev-9").unwrap(), kind: DeviceKind::Tablet, name: "Tablet 3".into(), token: "t9".into() };
    store.set_enrolment(&enrolment).await.unwrap();
    let expected = Enrolled { device: "dev-9".into(), kind: DeviceKind::Tablet, name: "Tablet 3".into() };
    assert_eq!(store.enrolment().await.unwrap(), Some(expected));
    assert_eq!(store.token().await.unwrap().as_deref(), Some("t9"));
    // A new device on the server: its numbering starts again at 1, with the server's device id.
    store.save("visit", "v1", &visit("x"), change()).await.unwrap();
    let mutation: Value = serde_json::from_str(&store.pending(1).await.unwrap()[0].1).unwrap();
    assert_eq!((mutation["device"].as_str(), mutation["seq"].as_u64()), (Some("dev-9"), Some(1)));

    let session = SignedIn { advisor: AdvisorId::parse("adv-1").unwrap(), name: "Li Na".into(), token: "s1".into() };
    store.set_session(Some(&session)).await.unwrap();
    assert_eq!(store.session().await.unwrap(), Some(session));
    store.set_session(None).await.unwrap();
    assert_eq!(store.session().await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn numbering_continues_after_the_servers_last_seq_when_storage_was_wiped() {
    let (store, _) = open("wiped").await;
    store.note_server_seq(41).await.unwrap();
    assert_eq!(store.save("visit", "v1", &visit("x"), change()).await.unwrap().seq, 42);
    // With changes waiting, the device's own numbering stands.
    store.note_server_seq(99).await.unwrap();
    assert_eq!(store.save("visit", "v1", &visit("x"), change()).await.unwrap().seq, 43);
}

#[wasm_bindgen_test]
async fn blobs_keep_their_bytes() {
    let (store, _) = open("blobs").await;
    store.put_blob("photo-1", &[0, 1, 2, 255]).await.unwrap();
    assert_eq!(store.blob("photo-1").await.unwrap(), Some(vec![0, 1, 2, 255]));
    assert_eq!(store.blob("photo-2").await.unwrap(), None);
}

/// Provoking a real `QuotaExceededError` needs a browser with a small quota; the mapping is
/// checked here, and the transaction rollback by the constraint test above.
#[wasm_bindgen_test]
fn a_quota_error_means_full() {
    assert_eq!(StoreError::from_dom("QuotaExceededError", "quota"), StoreError::Full);
    assert_eq!(StoreError::from_dom("DataError", "bad key"), StoreError::Failed("DataError: bad key".into()));
}

#[wasm_bindgen_test]
fn backoff_grows_with_full_jitter_up_to_a_minute() {
    assert_eq!(backoff(0, 0.5), Duration::from_millis(500));
    assert_eq!(backoff(3, 0.5), Duration::from_millis(4_000));
    assert_eq!(backoff(5, 0.0), Duration::ZERO);
    assert!(backoff(2, 0.999) < Duration::from_secs(4));
    assert_eq!(backoff(6, 1.0), Duration::from_secs(60));
    assert_eq!(backoff(u32::MAX, 1.0), Duration::from_secs(60));
    for attempt in 0..40 {
        assert!(backoff(attempt, 0.999) <= Duration::from_secs(60));
        assert!(backoff(attempt, 0.3) <= backoff(attempt + 1, 0.3));
    }
}

/// A server that applies each device seq once and in order (like the real one), and can lose
/// its answer, refuse, or reject chosen seqs.
#[derive(Default)]
struct FakeServer {
    applied: Vec<u64>,
    /// The id applied at each seq of `applied`.
    ids: Vec<String>,
    /// The next push takes only this many of its mutations (as the real server stops at a gap).
    take_only: Option<usize>,
    batches: Vec<usize>,
    lose_next_answer: bool,
    refuse: Option<(u16, String)>,
    reject: Vec<u64>,
    records: Vec<Pulled>,
    pulls: usize,
    /// Like a tablet's server: a push without an advisor's session is refused as a whole.
    require_session: bool,
    sessions: Vec<Option<String>>,
}

#[derive(Clone, Default)]
struct Fake(Rc<RefCell<FakeServer>>);

impl Transport for Fake {
    fn push(&self, token: &str, session: Option<&str>, body: JsValue) -> LocalFuture<Result<String, TransportError>> {
        assert_eq!(token, "token-1");
        let body = body.as_string().expect("the fake does not compress");
        let mut server = self.0.borrow_mut();
        server.sessions.push(session.map(str::to_owned));
        if server.require_session && session.is_none() {
            let body = json!({ "code": "sign_in_required", "message": "An advisor must sign in." }).to_string();
            return Box::pin(async move { Err(TransportError::Status { status: 403, body }) });
        }
        if let Some((status, body)) = server.refuse.clone() {
            return Box::pin(async move { Err(TransportError::Status { status, body }) });
        }
        let request: Value = serde_json::from_str(&body).unwrap();
        let mutations = request["mutations"].as_array().unwrap();
        server.batches.push(mutations.len());
        let mut results = Vec::new();
        let take = server.take_only.take().unwrap_or(usize::MAX);
        for mutation in mutations.iter().take(take) {
            let seq = mutation["seq"].as_u64().unwrap();
            let id = mutation["id"].as_str().unwrap().to_owned();
            let last = server.applied.last().copied().unwrap_or(0);
            // Like the real server: a mutation seen before gets its answer again; a new one is
            // taken only at `last_seq + 1`.
            let seen = server.ids.iter().position(|known| *known == id).map(|at| server.applied[at]);
            if let Some(first) = seen {
                assert_eq!(first, seq, "mutation {id} sent again under another seq");
            } else if seq == last + 1 {
                assert!(!server.applied.contains(&seq), "seq {seq} applied twice");
                server.applied.push(seq);
                server.ids.push(id);
            } else {
                break;
            }
            let outcome = if server.reject.contains(&seq) {
                sync::Outcome::Rejected { reason: Rejection { code: RejectCode::SlotFull, message: "full".into() } }
            } else {
                sync::Outcome::Applied { receipt: None }
            };
            results.push(PushResult { id: MutationId::parse(mutation["id"].as_str().unwrap()).unwrap(), seq, outcome });
        }
        let response = PushResponse { results, last_seq: server.applied.last().copied().unwrap_or(0) };
        let answer = serde_json::to_string(&response).unwrap();
        let lost = std::mem::take(&mut server.lose_next_answer);
        Box::pin(async move { if lost { Err(TransportError::Network("connection reset".into())) } else { Ok(answer) } })
    }

    fn pull(&self, _token: &str, cursor: u64, limit: u32) -> LocalFuture<Result<String, TransportError>> {
        let mut server = self.0.borrow_mut();
        server.pulls += 1;
        let from = (cursor as usize).min(server.records.len());
        let to = (from + limit as usize).min(server.records.len());
        let answer = PullResponse {
            records: server.records[from..to].to_vec(),
            cursor: to as u64,
            more: to < server.records.len(),
            last_seq: server.applied.last().copied().unwrap_or(0),
        };
        let answer = serde_json::to_string(&answer).unwrap();
        Box::pin(async move { Ok(answer) })
    }
}

async fn engine(test: &str, fake: &Fake, batch_max: u32) -> (SyncEngine, Connection, Owner) {
    let owner = Owner::new();
    let connection = owner.with(provide_connection);
    let options = SyncOptions { batch_max, pull_limit: 2, ..SyncOptions::default() };
    let engine = SyncEngine::new(&fresh_name(test), Box::new(fake.clone()), connection, options);
    engine.store().await.unwrap().set_token("token-1").await.unwrap();
    (engine, connection, owner)
}

async fn save_n(engine: &SyncEngine, n: usize) {
    for i in 0..n {
        engine.save("visit", &format!("v{i}"), &visit("x"), change()).await.unwrap();
    }
}

/// Lets the engine's spawned follow-up sync (after a save) finish.
async fn settle() {
    let pause = js_sys::Promise::new(&mut |ok, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 200).unwrap();
    });
    JsFuture::from(pause).await.unwrap();
}

/// A cycle of the test's own: one the engine began by itself (after a save, on its timer) ends
/// first, instead of making this one `Busy`.
async fn sync(engine: &SyncEngine) -> Result<(), SyncError> {
    for _ in 0..50 {
        match engine.sync_now().await {
            Err(SyncError::Busy) => settle().await,
            outcome => return outcome,
        }
    }
    Err(SyncError::Busy)
}

#[wasm_bindgen_test]
async fn the_engine_drains_the_outbox_in_batches_and_pulls_every_page() {
    let fake = Fake::default();
    fake.0.borrow_mut().records = (0..5).map(|i| pulled_advisor(&format!("s{i}"), &format!("Advisor {i}"), i + 1)).collect();
    fake.0.borrow_mut().refuse = Some((503, String::new())); // keep the saves' own syncs out of the way
    let (engine, connection, _owner) = engine("drain", &fake, 3).await;
    save_n(&engine, 7).await;
    settle().await;
    assert_eq!(connection.pending.get_untracked(), 7);
    fake.0.borrow_mut().refuse = None;
    sync(&engine).await.unwrap();
    {
        let server = fake.0.borrow();
        assert_eq!(server.applied, (1..=7).collect::<Vec<_>>());
        assert_eq!(server.batches, vec![3, 3, 1]);
        assert_eq!(server.pulls, 3);
    }
    let store = engine.store().await.unwrap();
    assert_eq!(store.cursor().await.unwrap(), 5);
    assert_eq!(store.record::<Value>("advisor", "s4").await.unwrap().unwrap()["name"], "Advisor 4");
    assert_eq!(connection.pending.get_untracked(), 0);
    assert!(connection.last_sync.get_untracked().is_some());
    assert_eq!(store.last_sync().await.unwrap(), connection.last_sync.get_untracked());
}

#[wasm_bindgen_test]
async fn a_push_answered_in_part_sends_the_rest_again_in_order() {
    let fake = Fake::default();
    fake.0.borrow_mut().refuse = Some((503, String::new()));
    let (engine, connection, _owner) = engine("partial", &fake, 3).await;
    save_n(&engine, 7).await;
    settle().await;
    {
        let mut server = fake.0.borrow_mut();
        server.refuse = None;
        server.take_only = Some(2);
    }
    sync(&engine).await.unwrap();
    let server = fake.0.borrow();
    // The batch after the first was read while it was on its way; it is not sent, as the server
    // stopped at 3: the rest goes again from 3.
    assert_eq!(server.batches, vec![3, 3, 2]);
    assert_eq!(server.applied, (1..=7).collect::<Vec<_>>());
    assert_eq!(connection.pending.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn a_lost_answer_is_retried_without_applying_anything_twice() {
    let fake = Fake::default();
    fake.0.borrow_mut().refuse = Some((503, String::new()));
    let (engine, connection, _owner) = engine("retry", &fake, 1000).await;
    save_n(&engine, 3).await;
    settle().await;
    {
        let mut server = fake.0.borrow_mut();
        server.refuse = None;
        server.lose_next_answer = true;
    }
    assert!(matches!(sync(&engine).await, Err(SyncError::Retry(_))));
    assert_eq!(fake.0.borrow().applied, vec![1, 2, 3], "applied, but the device never heard");
    assert_eq!(connection.pending.get_untracked(), 3);
    sync(&engine).await.unwrap();
    assert_eq!(fake.0.borrow().applied, vec![1, 2, 3]);
    assert_eq!(connection.pending.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn a_refused_device_stops_syncing_until_it_has_a_new_token() {
    let fake = Fake::default();
    let problem = json!({ "code": "device_revoked", "message": "This device was revoked." }).to_string();
    fake.0.borrow_mut().refuse = Some((401, problem));
    let (engine, connection, _owner) = engine("refused", &fake, 1000).await;
    save_n(&engine, 1).await;
    settle().await;
    let expected = SyncProblem::Refused { code: "device_revoked".into(), message: "This device was revoked.".into() };
    assert_eq!(connection.problem.get_untracked(), Some(expected));
    let tries = fake.0.borrow().batches.len();
    engine.kick();
    save_n(&engine, 1).await;
    settle().await;
    assert_eq!(fake.0.borrow().batches.len(), tries, "no request while stopped");
    assert_eq!(connection.pending.get_untracked(), 2);

    fake.0.borrow_mut().refuse = None;
    engine.set_token("token-1").await.unwrap();
    settle().await;
    assert_eq!(fake.0.borrow().applied, vec![1, 2]);
    assert_eq!(connection.problem.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn a_rejected_change_is_listed_with_its_reason_and_can_be_discarded() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("lane.language", "\"en\"").unwrap();
    let fake = Fake::default();
    fake.0.borrow_mut().reject = vec![2];
    let (engine, _connection, _owner) = engine("rejected", &fake, 1000).await;
    save_n(&engine, 3).await;
    settle().await;
    sync(&engine).await.unwrap();
    assert_eq!(engine.rejected().get_untracked().iter().map(|r| r.seq).collect::<Vec<_>>(), vec![2]);

    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let provided = engine.clone();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        provide_context(provided);
        view! { <RejectedChanges /> }
    });
    leptos::task::tick().await;
    assert_eq!(root.query_selector("li span").unwrap().unwrap().text_content().unwrap(), "That time slot is already full.");
    let button: web_sys::HtmlElement = root.query_selector("li button").unwrap().unwrap().unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Discard");
    button.click();
    settle().await;
    assert!(root.query_selector("li").unwrap().is_none());
    assert!(engine.store().await.unwrap().rejected().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_tablet_keeps_pulling_while_its_changes_wait_for_an_advisor_to_sign_in() {
    let fake = Fake::default();
    fake.0.borrow_mut().require_session = true;
    fake.0.borrow_mut().records = vec![pulled_advisor("adv-1", "Li Na", 1)];
    let (engine, connection, _owner) = engine("sign-in", &fake, 1000).await;
    save_n(&engine, 2).await;
    settle().await;
    assert_eq!(sync(&engine).await, Err(SyncError::SignInRequired));
    assert_eq!(connection.problem.get_untracked(), Some(SyncProblem::SignInRequired));
    assert_eq!(connection.pending.get_untracked(), 2);
    assert!(fake.0.borrow().applied.is_empty());
    // The pull went on: the sign-in screen lists the advisors it brought.
    let advisors = engine.store().await.unwrap().records::<Advisor>("advisor").await.unwrap();
    assert_eq!(advisors.len(), 1);
    assert!(engine.device().records.get_untracked() > 0);

    let session = SignedIn { advisor: advisors[0].id.clone(), name: "Li Na".into(), token: "session-1".into() };
    engine.set_session(Some(session.clone())).await.unwrap();
    settle().await;
    assert_eq!(fake.0.borrow().applied, vec![1, 2]);
    assert_eq!(fake.0.borrow().sessions.last().cloned().flatten().as_deref(), Some("session-1"));
    assert_eq!(connection.problem.get_untracked(), None);
    assert_eq!(engine.device().session.get_untracked(), Some(session));
}

/// The app compares the server's codes as text (`lane_app::js::code`); they must be the shared
/// enum's wire names.
#[wasm_bindgen_test]
fn the_codes_the_app_acts_on_are_the_shared_enums() {
    use lane_app::js::code;
    use lane_domain::api::ErrorCode;
    let name = |c: ErrorCode| serde_json::to_value(c).unwrap().as_str().unwrap().to_owned();
    assert_eq!(name(ErrorCode::SignInRequired), code::SIGN_IN_REQUIRED);
    assert_eq!(name(ErrorCode::WrongPin), code::WRONG_PIN);
    assert_eq!(name(ErrorCode::PinLocked), code::PIN_LOCKED);
    assert_eq!(name(ErrorCode::InvalidEnrolmentCode), code::INVALID_ENROLMENT_CODE);
    assert_eq!(name(ErrorCode::WrongDeviceKind), code::WRONG_DEVICE_KIND);
    assert_eq!(name(ErrorCode::Unauthorized), code::UNAUTHORIZED);
    assert_eq!(name(ErrorCode::DeviceRevoked), code::DEVICE_REVOKED);
}

#[wasm_bindgen_test]
async fn a_wiped_device_numbers_its_waiting_changes_after_the_servers_last_seq() {
    let fake = Fake::default();
    {
        // The server applied five changes of this device before its storage was wiped.
        let mut server = fake.0.borrow_mut();
        server.applied = (1..=5).collect();
        server.ids = (1..=5).map(|n| format!("before-the-wipe-{n}")).collect();
        server.refuse = Some((503, String::new())); // offline while the changes are made
        server.reject = vec![7];
    }
    let (engine, connection, _owner) = engine("wiped-renumber", &fake, 1000).await;
    let store = engine.store().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(engine.save("visit", &format!("v{i}"), &visit("x"), change()).await.unwrap().id);
    }
    settle().await;
    assert_eq!(seqs(&store).await, vec![1, 2, 3]);
    fake.0.borrow_mut().refuse = None;
    sync(&engine).await.unwrap();
    {
        let server = fake.0.borrow();
        // The first push was answered with nothing, the second carried the same ids after 5.
        assert_eq!(server.batches, vec![3, 3]);
        assert_eq!(server.applied, (1..=8).collect::<Vec<_>>());
        assert_eq!(server.ids[5..], ids[..]);
    }
    assert_eq!(connection.pending.get_untracked(), 0);
    // Seq 7 (the second change, of v1) was refused: listed under its new number, and v1, made
    // on this device, is gone; the applied ones stay.
    let rejected = store.rejected().await.unwrap();
    assert_eq!(rejected.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![7]);
    let mutation: Value = serde_json::from_str(&rejected[0].mutation).unwrap();
    assert_eq!((mutation["seq"].as_u64(), mutation["id"].as_str()), (Some(7), Some(ids[1].as_str())));
    assert_eq!(store.record::<Value>("visit", "v1").await.unwrap(), None);
    assert!(store.record::<Value>("visit", "v0").await.unwrap().is_some());
    assert!(store.record::<Value>("visit", "v2").await.unwrap().is_some());
    // New changes number on.
    assert_eq!(store.save("visit", "v3", &visit("x"), change()).await.unwrap().seq, 9);
}

#[wasm_bindgen_test]
async fn a_kiosk_keeps_no_copy_of_what_it_sends_nor_of_a_refusal_and_its_screen_learns_the_answer() {
    let fake = Fake::default();
    fake.0.borrow_mut().refuse = Some((503, String::new())); // the sends wait, as offline
    let (engine, connection, _owner) = engine("kiosk", &fake, 10).await;
    let enrolment = Enrolment { device: DeviceId::parse("kiosk-1").unwrap(), kind: DeviceKind::Kiosk, name: "Lobby".into(), token: "token-1".into() };
    engine.enrol(&enrolment).await.unwrap();
    let booked = engine.send(change()).await.unwrap();
    let refused = engine.send(change()).await.unwrap();
    settle().await;
    let store = engine.store().await.unwrap();
    assert!(store.records_js("visit").await.unwrap().is_empty(), "no record beside the outbox entry");
    assert_eq!(connection.pending.get_untracked(), 2);
    assert_eq!(engine.answer(booked.seq), None);

    {
        let mut server = fake.0.borrow_mut();
        server.refuse = None;
        server.reject = vec![refused.seq];
    }
    sync(&engine).await.unwrap();
    assert_eq!(engine.answer(booked.seq), Some(Answer::Applied { advisor_name: None }));
    assert_eq!(engine.answer(refused.seq), Some(Answer::Rejected { code: "slot_full".into() }));
    assert!(store.rejected().await.unwrap().is_empty(), "the server keeps the refusal for the staff, not the kiosk");
    assert!(store.pending(10).await.unwrap().is_empty());
    assert_eq!(connection.pending.get_untracked(), 0);
}
