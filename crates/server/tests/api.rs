//! The JSON API end to end, through the real router, on SQLite and on PostgreSQL: enrolment and
//! revocation, advisor PINs, the kiosk's narrow door, sync push and pull, bad input and the
//! OpenAPI document. Every refusal is checked three ways: the status, the problem's stable
//! `code`, and that the database did not change.
//!
//! Each scenario is an `async fn(Lane)`; `on_both_databases!` turns it into a `sqlite` and a
//! `postgres` test (the latter returns early when `LANE_TEST_POSTGRES_URL` is unset).

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use common::{app_on, body_bytes, postgres_url, TestApp};
use lane_domain::appointment::{BookingRequest, Concerns, ConfirmationCode, Transport};
use lane_domain::customer::{Customer, PersonName};
use lane_domain::document::Document;
use lane_domain::follow_up::{CallOutcome, CustomerClass, FollowUpCall};
use lane_domain::workshop::{CheckStage, ContactChannel, ContactPurpose, CustomerContact, Handover, QualityCheck, VisitEvent};
use lane_domain::pickup::Handback;
use lane_domain::ids::{AdvisorId, AppointmentId, CustomerId, DeviceId, JobLineId, MutationId, ServiceTypeId, SignatureId, VehicleId, VisitId};
use lane_domain::jobs::{AddedWork, Answer, Channel, Decision, Estimate, JobItem, JobLine};
use lane_domain::readings::{DistanceUnit, DropOffReadings, FuelEighths, Odometer, PickupReadings};
use lane_domain::signature::{DocumentKind, Draft, Point, Signer, SignerRole, Stroke, Strokes};
use lane_domain::vehicle::Vehicle;
use lane_domain::walkaround::Belongings;
use lane_domain::{Currency, Money};
use lane_domain::sync::{Arrival, Change, CheckIn, Mutation, ProposedParties};
use lane_domain::visit::{Visit, VisitEdit, VisitState};
use lane_domain::Language;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use tower::ServiceExt;

const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
const SHANGHAI: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

macro_rules! on_both_databases {
    ($($scenario:ident),+ $(,)?) => {$(
        mod $scenario {
            #[tokio::test]
            async fn sqlite() {
                super::$scenario(super::Lane::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                match super::Lane::postgres().await {
                    Some(lane) => super::$scenario(lane).await,
                    None => eprintln!("LANE_TEST_POSTGRES_URL not set: PostgreSQL not tested here (the test command always sets it)"),
                }
            }
        }
    )+};
}

on_both_databases!(
    enrolment_codes_are_one_time_and_revocation_locks_the_device_out,
    the_admin_api_needs_the_configured_token,
    device_endpoints_refuse_a_missing_or_unknown_token,
    advisors_sign_in_with_their_pin_and_are_locked_after_five_wrong_ones,
    the_kiosk_sees_the_catalogue_and_free_slots_only,
    kiosk_lookups_are_masked_and_rate_limited,
    returning_customers_are_recognised_by_plate_and_whole_phone,
    kiosks_pull_no_customer_data_and_may_not_edit_visits,
    a_booking_is_applied_once_however_often_it_is_pushed,
    pushes_stop_at_a_gap_and_refuse_other_devices_and_missing_sign_ins,
    a_visit_follows_its_state_machine,
    a_signed_order_is_checked_frozen_and_verifiable,
    after_drop_off_the_visit_runs_to_delivery_by_its_records,
    a_full_slot_refuses_the_next_booking,
    check_ins_say_who_comes_and_walk_ins_go_to_the_least_busy_advisor,
    a_walk_in_registered_on_a_tablet_keeps_its_ids_and_its_advisor,
    a_change_made_offline_is_credited_to_who_made_it,
    a_kiosks_refused_change_is_kept_for_staff,
    concurrent_pushes_never_overbook_a_slot_nor_apply_a_mutation_twice,
    the_last_edit_wins_and_the_overwritten_device_is_told,
    pull_pages_walk_every_record_exactly_once,
    bad_input_is_a_json_problem_and_changes_nothing,
    the_openapi_document_lists_every_route,
    photos_are_stored_once_with_their_capture_time_and_read_back,
);

// ---------------------------------------------------------------------------------------------
// The app, requests and replies
// ---------------------------------------------------------------------------------------------

/// A seeded app whose admin API answers to [`ADMIN_TOKEN`].
struct Lane {
    app: TestApp,
}

impl Lane {
    async fn sqlite() -> Lane {
        Lane::seeded(app_on(None, Some(ADMIN_TOKEN)).await).await
    }

    async fn postgres() -> Option<Lane> {
        let url = postgres_url().await?;
        Some(Lane::seeded(app_on(Some(&url), Some(ADMIN_TOKEN)).await).await)
    }

    async fn seeded(app: TestApp) -> Lane {
        assert!(lane_server::seed::seed_if_empty(&app.db).await.unwrap());
        Lane { app }
    }

    async fn send(&self, call: Call) -> Reply {
        send_to(&self.app.router, call).await
    }

    async fn scalar(&self, sql: &str) -> String {
        let row: Option<String> = sqlx::query_scalar(sql).fetch_optional(&self.app.db.pool).await.unwrap();
        row.unwrap_or_default()
    }

    /// Changes a stored row behind the server's back, as an attacker or a broken disk would.
    async fn exec(&self, sql: &str) {
        sqlx::query(sql).execute(&self.app.db.pool).await.unwrap();
    }

    async fn count(&self, sql_from_where: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {sql_from_where}")).fetch_one(&self.app.db.pool).await.unwrap()
    }

    /// Everything a refused request must leave as it was: the rows of every table, and the
    /// columns that requests update in place.
    async fn fingerprint(&self) -> BTreeMap<String, String> {
        let pool = &self.app.db.pool;
        let mut state = BTreeMap::new();
        for table in [
            "devices",
            "enrolment_codes",
            "advisor_sessions",
            "kiosk_lookups",
            "customers",
            "vehicles",
            "appointments",
            "appointment_services",
            "visits",
            "signatures",
            "record_versions",
            "applied_mutations",
            "notices",
            "kiosk_follow_ups",
            "audit_log",
        ] {
            state.insert(table.to_owned(), common::count(&self.app.db, table).await.to_string());
        }
        let rows = |sql: &'static str| async move {
            let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(pool).await.unwrap();
            format!("{rows:?}")
        };
        state.insert("sync_clock".into(), rows("SELECT 'version', CAST(version AS TEXT) FROM sync_clock").await);
        state.insert(
            "devices.state".into(),
            rows("SELECT id, CAST(last_seq AS TEXT) || ' ' || COALESCE(revoked_at, '-') FROM devices ORDER BY id").await,
        );
        state.insert("enrolment_codes.used".into(), rows("SELECT code_sha256, COALESCE(used_at, '-') FROM enrolment_codes ORDER BY code_sha256").await);
        state.insert("advisor_sessions.ended".into(), rows("SELECT token_sha256, COALESCE(ended_at, '-') FROM advisor_sessions ORDER BY token_sha256").await);
        state.insert(
            "advisors.pins".into(),
            rows("SELECT id, CAST(failed_pins AS TEXT) || ' ' || COALESCE(locked_until, '-') FROM advisors ORDER BY id").await,
        );
        state.insert("appointments.status".into(), rows("SELECT id, status FROM appointments ORDER BY id").await);
        state.insert("visits.body".into(), rows("SELECT id, body FROM visits ORDER BY id").await);
        state
    }

    async fn assert_unchanged(&self, before: &BTreeMap<String, String>, what: &str) {
        let after = self.fingerprint().await;
        for (key, value) in before {
            assert_eq!(&after[key], value, "{what} changed `{key}`");
        }
    }

    /// The local day of the seeded appointments.
    async fn demo_day(&self) -> NaiveDate {
        let slot = self.scalar("SELECT slot_start FROM appointments WHERE id = 'demo-appt-0'").await;
        slot.parse::<DateTime<Utc>>().unwrap().with_timezone(&SHANGHAI).date_naive()
    }

    /// A slot on the first open day after the demo day, where nothing is booked yet.
    async fn quiet_slot(&self, local_time: &str) -> DateTime<Utc> {
        let mut day = self.demo_day().await + Duration::days(1);
        if day.weekday() == Weekday::Sun {
            day += Duration::days(1);
        }
        let time = NaiveTime::parse_from_str(local_time, "%H:%M").unwrap();
        day.and_time(time).and_local_timezone(SHANGHAI).single().unwrap().with_timezone(&Utc)
    }
}

/// A request being built: `Call::get(uri).bearer(token)`.
struct Call {
    method: Method,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Call {
    fn get(uri: &str) -> Call {
        Call { method: Method::GET, uri: uri.to_owned(), headers: Vec::new(), body: Vec::new() }
    }

    fn post(uri: &str, body: &Value) -> Call {
        Call::post_raw(uri, serde_json::to_vec(body).unwrap()).header("content-type", "application/json")
    }

    /// A POST with exactly these bytes and no content type.
    fn post_raw(uri: &str, body: Vec<u8>) -> Call {
        Call { method: Method::POST, uri: uri.to_owned(), headers: Vec::new(), body }
    }

    fn header(mut self, name: &str, value: &str) -> Call {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn bearer(self, token: &str) -> Call {
        self.header("authorization", &format!("Bearer {token}"))
    }

    fn admin(self) -> Call {
        self.bearer(ADMIN_TOKEN)
    }

    /// As this device: its token, and its advisor session if one is signed in.
    fn by(self, device: &Device) -> Call {
        let call = self.bearer(&device.token);
        match &device.session {
            Some(session) => call.header("lane-advisor-session", session),
            None => call,
        }
    }
}

struct Reply {
    status: StatusCode,
    content_type: String,
    text: String,
    json: Value,
}

/// The raw response, for bodies that are not text (photos).
async fn respond(router: &axum::Router, call: Call) -> axum::http::Response<Body> {
    let mut request = Request::builder().method(call.method).uri(&call.uri);
    for (name, value) in &call.headers {
        request = request.header(name, value);
    }
    router.clone().oneshot(request.body(Body::from(call.body)).unwrap()).await.unwrap()
}

async fn send_to(router: &axum::Router, call: Call) -> Reply {
    let response = respond(router, call).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let text = String::from_utf8(body_bytes(response).await).unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, content_type, text, json }
}

impl Reply {
    #[track_caller]
    fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        &self.json
    }

    /// A JSON problem with this status and code, and a message a person can act on.
    #[track_caller]
    fn expect_problem(&self, status: StatusCode, code: &str) -> &str {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.content_type, "application/json", "{}", self.text);
        let problem = self.json.as_object().unwrap_or_else(|| panic!("not a JSON object: {}", self.text));
        let keys: &[&str] = if code == "wrong_pin" { &["attempts_left", "code", "message"] } else { &["code", "message"] };
        assert_eq!(problem.keys().collect::<Vec<_>>(), keys, "{}", self.text);
        assert_eq!(problem["code"], code, "{}", self.text);
        let message = problem["message"].as_str().unwrap();
        assert!(!message.trim().is_empty(), "{}", self.text);
        message
    }
}

// ---------------------------------------------------------------------------------------------
// Devices, advisors, sync
// ---------------------------------------------------------------------------------------------

/// An enrolled device, and on a tablet the advisor session it sends along, if any.
#[derive(Clone)]
struct Device {
    id: String,
    token: String,
    session: Option<String>,
}

async fn enrolment_code(lane: &Lane, kind: &str, name: &str) -> String {
    let reply = lane.send(Call::post("/api/admin/enrolment-codes", &json!({ "kind": kind, "name": name })).admin()).await;
    reply.expect(StatusCode::CREATED)["code"].as_str().unwrap().to_owned()
}

async fn enrol(lane: &Lane, kind: &str) -> Device {
    let code = enrolment_code(lane, kind, &format!("Test {kind}")).await;
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": code }))).await;
    let enrolment = reply.expect(StatusCode::CREATED);
    assert_eq!(enrolment["kind"], kind);
    Device { id: enrolment["device"].as_str().unwrap().to_owned(), token: enrolment["token"].as_str().unwrap().to_owned(), session: None }
}

async fn sign_in(lane: &Lane, tablet: &Device, advisor: &str, pin: &str) -> Reply {
    lane.send(Call::post("/api/advisors/sign-in", &json!({ "advisor": advisor, "pin": pin })).by(tablet)).await
}

/// A tablet with `advisor` signed in.
async fn tablet_for(lane: &Lane, advisor: &str, pin: &str) -> Device {
    let mut tablet = enrol(lane, "tablet").await;
    let reply = sign_in(lane, &tablet, advisor, pin).await;
    tablet.session = Some(reply.expect(StatusCode::CREATED)["token"].as_str().unwrap().to_owned());
    tablet
}

fn mutation(device: &Device, seq: u64, change: Change) -> Mutation {
    Mutation {
        id: MutationId::parse(&uuid::Uuid::new_v4().to_string()).unwrap(),
        device: DeviceId::parse(&device.id).unwrap(),
        seq,
        at: Utc::now(),
        change,
        by: None,
    }
}

async fn push(lane: &Lane, device: &Device, mutations: &[Mutation]) -> Reply {
    lane.send(Call::post("/api/sync/push", &json!({ "mutations": mutations })).by(device)).await
}

/// Pushes and returns the results, which must cover the whole batch.
async fn push_all(lane: &Lane, device: &Device, mutations: &[Mutation]) -> Vec<Value> {
    let reply = push(lane, device, mutations).await;
    let results = reply.expect(StatusCode::OK)["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), mutations.len(), "{}", reply.text);
    results
}

async fn pull(lane: &Lane, device: &Device, cursor: u64, limit: u32) -> Value {
    lane.send(Call::get(&format!("/api/sync/pull?cursor={cursor}&limit={limit}")).by(device)).await.expect(StatusCode::OK).clone()
}

#[track_caller]
fn assert_applied(result: &Value) {
    assert_eq!(result["outcome"], "applied", "{result}");
}

#[track_caller]
fn assert_rejected(result: &Value, code: &str) {
    assert_eq!(result["outcome"], "rejected", "{result}");
    assert_eq!(result["reason"]["code"], code, "{result}");
    assert!(!result["reason"]["message"].as_str().unwrap().is_empty(), "{result}");
}

/// A valid booking of `slot`; `n` makes the customer, car and codes distinct.
fn booking(slot: DateTime<Utc>, n: u32) -> BookingRequest {
    let random = *uuid::Uuid::new_v4().as_bytes();
    BookingRequest {
        appointment: AppointmentId::parse(&uuid::Uuid::new_v4().to_string()).unwrap(),
        code: ConfirmationCode::from_random(random[..6].try_into().unwrap()),
        name: format!("Test Customer {n}"),
        phone: format!("1390000{n:04}"),
        email: None,
        language: Language::English,
        plate: format!("沪G{n:05}"),
        vin: None,
        make: "Volkswagen".into(),
        model: "Golf".into(),
        year: Some(2020),
        mileage_km: None,
        services: vec![ServiceTypeId::parse("svc-oil").unwrap()],
        slot_start: slot,
        transport: Transport::Wait,
        concerns: "Noise from the front".into(),
    }
}

fn check_in(visit: &str, appointment: &str) -> Change {
    Change::CheckIn(CheckIn {
        visit: VisitId::parse(visit).unwrap(),
        arrival: Arrival::Booked(AppointmentId::parse(appointment).unwrap()),
        transport: Transport::Wait,
        concerns: Concerns::parse("Service due").unwrap(),
        key_tag: None,
        parties: None,
    })
}

fn edit_diagnosis(visit: &str, base: u64, text: &str) -> Change {
    Change::EditVisit { visit: VisitId::parse(visit).unwrap(), base, edit: VisitEdit::Diagnosis(text.into()) }
}

fn advance(visit: &str, to: VisitState) -> Change {
    Change::AdvanceVisit { visit: VisitId::parse(visit).unwrap(), to }
}

fn record_types(page: &Value) -> BTreeSet<String> {
    page["records"].as_array().unwrap().iter().map(|r| r["record"]["type"].as_str().unwrap().to_owned()).collect()
}

/// The bytes gzip-compressed, by the same tower-http layer the server compresses with.
async fn gzip(bytes: Vec<u8>) -> Vec<u8> {
    let service = tower::ServiceBuilder::new().layer(tower_http::compression::CompressionLayer::new().compress_when(tower_http::compression::predicate::SizeAbove::new(0))).service_fn(move |_: Request<Body>| {
        let bytes = bytes.clone();
        async move { Ok::<_, std::convert::Infallible>(axum::http::Response::new(Body::from(bytes))) }
    });
    let response = service.oneshot(Request::get("/").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// 1. Enrolment and revocation
// ---------------------------------------------------------------------------------------------

async fn enrolment_codes_are_one_time_and_revocation_locks_the_device_out(lane: Lane) {
    let code = enrolment_code(&lane, "tablet", "Tablet 3").await;
    assert_eq!(code.len(), 9, "{code}");
    assert_eq!(&code[4..5], "-", "{code}");

    // Typed in lower case and without the dash, as people do.
    let typed = code.replace('-', "").to_lowercase();
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": typed }))).await;
    let enrolment = reply.expect(StatusCode::CREATED).clone();
    assert_eq!(enrolment["kind"], "tablet");
    assert_eq!(enrolment["name"], "Tablet 3");
    let tablet = Device { id: enrolment["device"].as_str().unwrap().into(), token: enrolment["token"].as_str().unwrap().into(), session: None };
    assert_eq!(lane.count(&format!("audit_log WHERE action = 'device.enrolled' AND record_id = '{}'", tablet.id)).await, 1);
    // Only the token's digest is stored.
    assert_eq!(lane.count(&format!("devices WHERE token_sha256 = '{}'", tablet.token)).await, 0);

    // The token works.
    lane.send(Call::get("/api/kiosk/catalogue").by(&tablet)).await.expect(StatusCode::OK);
    lane.send(Call::get("/api/sync/pull").by(&tablet)).await.expect(StatusCode::OK);

    // The code is one-time, however it is typed.
    let before = lane.fingerprint().await;
    for again in [code.clone(), typed] {
        let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": again }))).await;
        reply.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment_code");
    }
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": "AAAA-AAAA" }))).await;
    reply.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment_code");
    lane.assert_unchanged(&before, "re-using an enrolment code").await;

    // A kiosk code typed on a tablet's screen is refused and stays usable on the kiosk.
    let kiosk_code = enrolment_code(&lane, "kiosk", "Lobby kiosk 3").await;
    let before = lane.fingerprint().await;
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": kiosk_code, "kind": "tablet" }))).await;
    reply.expect_problem(StatusCode::CONFLICT, "wrong_device_kind");
    lane.assert_unchanged(&before, "a kiosk code typed on a tablet").await;
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": kiosk_code, "kind": "kiosk" }))).await;
    assert_eq!(reply.expect(StatusCode::CREATED)["kind"], "kiosk");

    // An expired code is refused too.
    let expired = enrolment_code(&lane, "kiosk", "Old kiosk").await;
    sqlx::query("UPDATE enrolment_codes SET expires_at = '2020-01-01T00:00:00.000Z' WHERE used_at IS NULL").execute(&lane.app.db.pool).await.unwrap();
    let before = lane.fingerprint().await;
    let reply = lane.send(Call::post("/api/devices/enrol", &json!({ "code": expired }))).await;
    reply.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment_code");
    lane.assert_unchanged(&before, "an expired enrolment code").await;

    // A session signed in on the tablet ends with the revocation.
    let session = sign_in(&lane, &tablet, "adv-1", "1111").await.expect(StatusCode::CREATED)["token"].as_str().unwrap().to_owned();
    let signed_in = Device { session: Some(session), ..tablet.clone() };
    let kiosk = enrol(&lane, "kiosk").await;

    // Revoking an unknown device is a 404 and changes nothing.
    let before = lane.fingerprint().await;
    lane.send(Call::post_raw("/api/admin/devices/no-such-device/revoke", Vec::new()).admin())
        .await
        .expect_problem(StatusCode::NOT_FOUND, "not_found");
    lane.assert_unchanged(&before, "revoking an unknown device").await;

    let reply = lane.send(Call::post_raw(&format!("/api/admin/devices/{}/revoke", tablet.id), Vec::new()).admin()).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    assert_eq!(lane.count(&format!("audit_log WHERE action = 'device.revoked' AND record_id = '{}'", tablet.id)).await, 1);
    assert_eq!(lane.count(&format!("advisor_sessions WHERE device_id = '{}' AND ended_at IS NULL", tablet.id)).await, 0);

    // The revoked token is refused everywhere, with a code of its own; nothing is written.
    let before = lane.fingerprint().await;
    for call in [
        Call::get("/api/kiosk/catalogue").by(&tablet),
        Call::get("/api/sync/pull").by(&tablet),
        Call::post("/api/sync/push", &json!({ "mutations": [] })).by(&signed_in),
        Call::post("/api/advisors/sign-in", &json!({ "advisor": "adv-1", "pin": "1111" })).by(&tablet),
    ] {
        lane.send(call).await.expect_problem(StatusCode::UNAUTHORIZED, "device_revoked");
    }
    // Revoking twice: there is no unrevoked device of that id.
    lane.send(Call::post_raw(&format!("/api/admin/devices/{}/revoke", tablet.id), Vec::new()).admin())
        .await
        .expect_problem(StatusCode::NOT_FOUND, "not_found");
    lane.assert_unchanged(&before, "a revoked device's requests").await;

    // The other device is unaffected.
    lane.send(Call::get("/api/kiosk/catalogue").by(&kiosk)).await.expect(StatusCode::OK);

    // The admin's list shows them all (with the kiosk set up after the wrong screen), the
    // revoked one with the time.
    let list = lane.send(Call::get("/api/admin/devices").admin()).await.expect(StatusCode::OK).clone();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let listed = |id: &str| list.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id} not listed: {list:?}")).clone();
    let revoked = listed(&tablet.id);
    assert_eq!(revoked["kind"], "tablet");
    assert_eq!(revoked["name"], "Tablet 3");
    let revoked_at: DateTime<Utc> = revoked["revoked_at"].as_str().expect("revoked_at is set").parse().unwrap();
    assert!(revoked_at <= Utc::now());
    assert!(revoked["enrolled_at"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap() <= revoked_at);
    assert_eq!(listed(&kiosk.id)["revoked_at"], Value::Null);
    assert_eq!(listed(&kiosk.id)["kind"], "kiosk");
}

async fn the_admin_api_needs_the_configured_token(lane: Lane) {
    let tablet = enrol(&lane, "tablet").await;
    let admin_calls = |bearer: Option<&str>| {
        let calls = [
            Call::post("/api/admin/enrolment-codes", &json!({ "kind": "kiosk", "name": "Lobby" })),
            Call::get("/api/admin/devices"),
            Call::post_raw(&format!("/api/admin/devices/{}/revoke", tablet.id), Vec::new()),
        ];
        calls.map(|call| match bearer {
            Some(token) => call.bearer(token),
            None => call,
        })
    };

    let before = lane.fingerprint().await;
    // A wrong token, no token, a device's token: 401.
    for bearer in [Some("wrong-admin-token"), None, Some(tablet.token.as_str()), Some("")] {
        for call in admin_calls(bearer) {
            lane.send(call).await.expect_problem(StatusCode::UNAUTHORIZED, "unauthorized");
        }
    }
    // A server started without LANE_ADMIN_TOKEN has no admin API at all, whatever is sent.
    let without_admin = lane.app.router_with_admin_token(None);
    for bearer in [Some(ADMIN_TOKEN), Some("anything"), None] {
        for call in admin_calls(bearer) {
            send_to(&without_admin, call).await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    // An empty admin token (`LANE_ADMIN_TOKEN=` or `--admin-token ""`) disables the admin API;
    // it must not admit an empty bearer token.
    for configured in ["", "  "] {
        let misconfigured = lane.app.router_with_admin_token(Some(configured));
        for bearer in [Some(""), Some(configured), Some("x"), None] {
            for call in admin_calls(bearer) {
                send_to(&misconfigured, call).await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
            }
        }
    }
    lane.assert_unchanged(&before, "refused admin calls").await;

    // A name is 1 to 60 characters.
    for name in ["", "   ", "x".repeat(61).as_str()] {
        let reply = lane.send(Call::post("/api/admin/enrolment-codes", &json!({ "kind": "kiosk", "name": name })).admin()).await;
        reply.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    }
    let reply = lane.send(Call::post("/api/admin/enrolment-codes", &json!({ "kind": "phone", "name": "Mine" })).admin()).await;
    reply.expect_problem(StatusCode::BAD_REQUEST, "bad_request");
    lane.assert_unchanged(&before, "invalid enrolment codes").await;
}

// ---------------------------------------------------------------------------------------------
// 2. Tokens
// ---------------------------------------------------------------------------------------------

async fn device_endpoints_refuse_a_missing_or_unknown_token(lane: Lane) {
    let kiosk = enrol(&lane, "kiosk").await;
    let before = lane.fingerprint().await;
    let authorizations = [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some("Bearer not-a-token".to_owned()),
        Some(format!("Basic {}", kiosk.token)),
        Some(format!("bearer{}", kiosk.token)),
        Some(format!("Bearer {}x", kiosk.token)),
        Some(ADMIN_TOKEN.to_owned()),
        Some(format!("Bearer {ADMIN_TOKEN}")),
    ];
    for authorization in &authorizations {
        let calls = [
            Call::get("/api/sync/pull"),
            Call::get("/api/kiosk/catalogue"),
            Call::get("/api/kiosk/slots?day=2026-11-24"),
            Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": "K7M4QX" })),
            Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345", "phone": "13800138001" })),
            Call::post("/api/sync/push", &json!({ "mutations": [] })),
            Call::post("/api/advisors/sign-in", &json!({ "advisor": "adv-1", "pin": "1111" })),
            Call::post_raw("/api/advisors/sign-out", Vec::new()),
        ];
        for call in calls {
            let uri = call.uri.clone();
            let call = match authorization {
                Some(value) => call.header("authorization", value),
                None => call,
            };
            let reply = lane.send(call).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri} with {authorization:?}: {}", reply.text);
            reply.expect_problem(StatusCode::UNAUTHORIZED, "unauthorized");
        }
    }
    lane.assert_unchanged(&before, "requests without a valid token").await;
}

// ---------------------------------------------------------------------------------------------
// 3. Advisor PINs
// ---------------------------------------------------------------------------------------------

async fn advisors_sign_in_with_their_pin_and_are_locked_after_five_wrong_ones(lane: Lane) {
    let tablet = enrol(&lane, "tablet").await;

    let session = sign_in(&lane, &tablet, "adv-1", "1111").await.expect(StatusCode::CREATED).clone();
    assert_eq!(session["advisor"], "adv-1");
    assert!(session["token"].as_str().unwrap().len() >= 32);
    let expires: DateTime<Utc> = session["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires > Utc::now() + Duration::hours(1));
    assert_eq!(lane.count("audit_log WHERE action = 'advisor.signed_in' AND advisor_id = 'adv-1'").await, 1);

    // Wrong PINs count down; each is refused without a session or an audit entry.
    let rows = |state: &BTreeMap<String, String>| {
        let mut state = state.clone();
        state.remove("advisors.pins");
        state
    };
    let before = lane.fingerprint().await;
    for (pin, left) in [("1111", 4), ("0000", 3), ("12", 2), ("11111", 1)] {
        let reply = sign_in(&lane, &tablet, "adv-2", pin).await;
        let message = reply.expect_problem(StatusCode::UNAUTHORIZED, "wrong_pin");
        assert!(message.contains(&format!("{left} attempts left")), "{message}");
        assert_eq!(reply.json["attempts_left"], left);
    }
    assert_eq!(rows(&lane.fingerprint().await), rows(&before), "a wrong PIN adds no session and no audit entry");
    assert_eq!(lane.scalar("SELECT CAST(failed_pins AS TEXT) FROM advisors WHERE id = 'adv-2'").await, "4");

    // The fifth locks the advisor, and the lock is in the audit log.
    let audit = lane.count("audit_log").await;
    let reply = sign_in(&lane, &tablet, "adv-2", "9999").await;
    let message = reply.expect_problem(StatusCode::LOCKED, "pin_locked");
    assert!(message.contains("locked until"), "{message}");
    assert_eq!(lane.count("audit_log").await, audit + 1);
    assert_eq!(lane.count("audit_log WHERE action = 'advisor.locked' AND advisor_id = 'adv-2' AND record_id = 'adv-2'").await, 1);
    let until: DateTime<Utc> = lane.scalar("SELECT locked_until FROM advisors WHERE id = 'adv-2'").await.parse().unwrap();
    assert!(until > Utc::now() + Duration::minutes(10));

    // While locked even the right PIN is refused, on this tablet or another; nothing changes.
    let other = enrol(&lane, "tablet").await;
    let before = lane.fingerprint().await;
    for (device, pin) in [(&tablet, "2222"), (&other, "2222"), (&tablet, "0000")] {
        sign_in(&lane, device, "adv-2", pin).await.expect_problem(StatusCode::LOCKED, "pin_locked");
    }
    lane.assert_unchanged(&before, "sign-ins of a locked advisor").await;

    // The others are not locked out by it.
    sign_in(&lane, &other, "adv-3", "3333").await.expect(StatusCode::CREATED);

    // A kiosk never signs advisors in, not even with the right PIN.
    let kiosk = enrol(&lane, "kiosk").await;
    let before = lane.fingerprint().await;
    sign_in(&lane, &kiosk, "adv-4", "4444").await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    sign_in(&lane, &kiosk, "adv-4", "0000").await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    lane.assert_unchanged(&before, "a kiosk signing in").await;

    // Signing out ends the session: it no longer lets the tablet push.
    let mut signed_in = tablet.clone();
    signed_in.session = Some(session["token"].as_str().unwrap().to_owned());
    let reply = lane.send(Call::post_raw("/api/advisors/sign-out", Vec::new()).by(&signed_in)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let before = lane.fingerprint().await;
    push(&lane, &signed_in, &[]).await.expect_problem(StatusCode::FORBIDDEN, "sign_in_required");
    lane.send(Call::post_raw("/api/advisors/sign-out", Vec::new()).by(&signed_in))
        .await
        .expect_problem(StatusCode::FORBIDDEN, "sign_in_required");
    lane.assert_unchanged(&before, "an ended session").await;
}

// ---------------------------------------------------------------------------------------------
// 4. The kiosk
// ---------------------------------------------------------------------------------------------

async fn the_kiosk_sees_the_catalogue_and_free_slots_only(lane: Lane) {
    let kiosk = enrol(&lane, "kiosk").await;
    let catalogue = lane.send(Call::get("/api/kiosk/catalogue").by(&kiosk)).await.expect(StatusCode::OK).clone();
    let ids: BTreeSet<&str> = catalogue.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, BTreeSet::from(["svc-oil", "svc-10k", "svc-brakes", "svc-tyres", "svc-ac", "svc-diag"]));

    let day = lane.demo_day().await;
    let slots = lane.send(Call::get(&format!("/api/kiosk/slots?day={day}")).by(&kiosk)).await.expect(StatusCode::OK).clone();
    assert_eq!(slots["day"], day.to_string());
    let now = Utc::now();
    let opens = day.and_hms_opt(8, 0, 0).unwrap().and_local_timezone(SHANGHAI).unwrap().with_timezone(&Utc);
    let mut previous = None;
    for slot in slots["slots"].as_array().unwrap() {
        let start: DateTime<Utc> = slot["start"].as_str().unwrap().parse().unwrap();
        assert!(start > now, "a past slot is offered: {slot}");
        assert_eq!((start - opens).num_minutes() % 30, 0, "{slot}");
        assert!((1..=3).contains(&slot["room"].as_u64().unwrap()), "{slot}");
        assert!(previous.is_none_or(|p| p < start), "slots are earliest first");
        previous = Some(start);
    }
    // The day after is entirely in the future: every slot of its hours with room is offered.
    let next = lane.quiet_slot("08:00").await.with_timezone(&SHANGHAI).date_naive();
    let slots = lane.send(Call::get(&format!("/api/kiosk/slots?day={next}")).by(&kiosk)).await.expect(StatusCode::OK).clone();
    let expected = if next.weekday() == Weekday::Sat { 16 } else { 20 };
    assert_eq!(slots["slots"].as_array().unwrap().len(), expected, "{slots}");
    assert!(slots["slots"].as_array().unwrap().iter().all(|s| s["room"] == 3), "{slots}");

    // A closed day (Sunday), and a day long past: no slots, same shape.
    let mut sunday = day;
    while sunday.weekday() != Weekday::Sun {
        sunday += Duration::days(1);
    }
    for closed in [sunday, day - Duration::days(400)] {
        let slots = lane.send(Call::get(&format!("/api/kiosk/slots?day={closed}")).by(&kiosk)).await.expect(StatusCode::OK).clone();
        assert_eq!(slots, json!({ "day": closed.to_string(), "slots": [] }));
    }

    // The day is required, as a date, and nothing else is taken.
    for query in ["", "?day=tomorrow", "?day=2026-02-30", format!("?day={day}&advisor=adv-1").as_str()] {
        lane.send(Call::get(&format!("/api/kiosk/slots{query}")).by(&kiosk)).await.expect_problem(StatusCode::BAD_REQUEST, "bad_request");
    }
}

async fn kiosk_lookups_are_masked_and_rate_limited(lane: Lane) {
    let kiosk = enrol(&lane, "kiosk").await;
    let code = lane.scalar("SELECT confirmation_code FROM appointments WHERE id = 'demo-appt-0'").await;
    let lookup = |body: Value| Call::post("/api/kiosk/lookup", &body).by(&kiosk);

    let by_code = lane.send(lookup(json!({ "by": "code", "code": code.to_lowercase() }))).await;
    let booking = by_code.expect(StatusCode::OK)["booking"].clone();
    assert_eq!(booking["appointment"], "demo-appt-0");
    assert_eq!(booking["code"], code);
    assert_eq!(booking["name_masked"], "王*");
    assert_eq!(booking["plate_masked"], "•••345");
    assert_eq!(booking["advisor_name"], "Li Na");
    assert_eq!(booking["services"], json!(["svc-10k"]));
    // How they get on and what they said is wrong are theirs to confirm or correct at check-in.
    assert_eq!(booking["transport"], "wait");
    assert_eq!(booking["concerns"], "保养到期");
    assert_eq!(booking.as_object().unwrap().len(), 9, "nothing else: {booking}");
    for secret in ["13800138001", "王芳", "沪A12345", "A12345", "demo-cust", "demo-veh", "Passat"] {
        assert!(!by_code.text.contains(secret), "the kiosk's answer shows {secret}: {}", by_code.text);
    }

    // By plate, as typed with a space, and the phone's last four digits.
    let by_plate = lane.send(lookup(json!({ "by": "plate", "plate": "沪a 12345", "phone_last4": "8001" }))).await;
    assert_eq!(by_plate.expect(StatusCode::OK)["booking"], booking);
    assert!(!by_plate.text.contains("13800138001"));

    // A miss has the same shape, and is counted.
    let before = lane.count("kiosk_lookups WHERE hit = FALSE").await;
    let misses = [
        json!({ "by": "code", "code": "AAAAAA" }),
        json!({ "by": "code", "code": "not a code" }),
        json!({ "by": "plate", "plate": "沪A12345", "phone_last4": "0000" }),
        json!({ "by": "plate", "plate": "沪A12345", "phone_last4": "80a1" }),
        json!({ "by": "plate", "plate": "沪A12345", "phone_last4": "%" }),
        json!({ "by": "plate", "plate": "沪B67890", "phone_last4": "8001" }),
    ];
    for miss in &misses {
        let reply = lane.send(lookup(miss.clone())).await;
        assert_eq!(reply.json, json!({ "booking": null }), "{miss}");
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(lane.count("kiosk_lookups WHERE hit = FALSE").await, before + misses.len() as i64);

    // A tablet sees bookings through sync, not through lookups.
    let tablet = enrol(&lane, "tablet").await;
    let before = lane.fingerprint().await;
    let reply = lane.send(Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": code })).by(&tablet)).await;
    reply.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    lane.assert_unchanged(&before, "a tablet's lookup").await;

    // The tenth miss within the window is the last one answered.
    for n in misses.len()..10 {
        let reply = lane.send(lookup(json!({ "by": "code", "code": "AAAAAA" }))).await;
        assert_eq!(reply.expect(StatusCode::OK), &json!({ "booking": null }), "miss {n}");
    }
    let before = lane.fingerprint().await;
    for body in [json!({ "by": "code", "code": "CCCCCC" }), json!({ "by": "code", "code": code })] {
        lane.send(lookup(body)).await.expect_problem(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    }
    lane.assert_unchanged(&before, "rate-limited lookups").await;

    // The limit is the kiosk's own: another kiosk still finds bookings.
    let other = enrol(&lane, "kiosk").await;
    let reply = lane.send(Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": code })).by(&other)).await;
    assert_eq!(reply.expect(StatusCode::OK)["booking"]["appointment"], "demo-appt-0");
}

async fn returning_customers_are_recognised_by_plate_and_whole_phone(lane: Lane) {
    let kiosk = enrol(&lane, "kiosk").await;
    let returning = |plate: &str, phone: &str| Call::post("/api/kiosk/returning", &json!({ "plate": plate, "phone": phone })).by(&kiosk);

    // A hit: the plate and phone as typed, with spaces; the form is pre-filled with the rest.
    let hit = lane.send(returning("沪a 12345", "138 0013 8001")).await;
    let expected = json!({ "customer": {
        "name": "王芳", "email": null, "language": "zh-CN", "make": "Volkswagen", "model": "Passat", "year": 2021, "vin": null,
    } });
    assert_eq!(hit.expect(StatusCode::OK), &expected);
    for typed in ["13800138001", "A12345", "demo-cust", "demo-veh", "K7M4QX"] {
        assert!(!hit.text.contains(typed), "the answer repeats {typed}: {}", hit.text);
    }
    assert_eq!(lane.count(&format!("kiosk_lookups WHERE device_id = '{}' AND hit = TRUE", kiosk.id)).await, 1);

    // A file with an email and a VIN, made by an earlier booking, gives them back.
    let mut booked = booking(lane.quiet_slot("10:30").await, 21);
    booked.email = Some("ji-woo@example.com".into());
    booked.vin = Some("WVWZZZ1JZXW000001".into());
    assert_applied(&push_all(&lane, &kiosk, &[mutation(&kiosk, 1, Change::BookAppointment(booked.clone()))]).await[0]);
    let reply = lane.send(returning(&booked.plate, &booked.phone)).await;
    assert_eq!(
        reply.expect(StatusCode::OK),
        &json!({ "customer": {
            "name": "Test Customer 21", "email": "ji-woo@example.com", "language": "en", "make": "Volkswagen", "model": "Golf", "year": 2020,
            "vin": "WVWZZZ1JZXW000001",
        } })
    );

    // Misses have the same shape, and count against the kiosk: another customer's phone with this
    // plate, this phone with another customer's plate, a near number, the last four only, and
    // text that is no plate or no phone number.
    let misses = [
        ("沪A12345", "13911112222"),
        ("沪B67890", "13800138001"),
        ("沪A12345", "13800138002"),
        ("沪A12345", "8001"),
        ("沪A12345!", "13800138001"),
        ("沪A12345", "138-0013-800x"),
        ("", ""),
    ];
    let before = lane.count(&format!("kiosk_lookups WHERE device_id = '{}' AND hit = FALSE", kiosk.id)).await;
    for (plate, phone) in misses {
        let reply = lane.send(returning(plate, phone)).await;
        assert_eq!(reply.expect(StatusCode::OK), &json!({ "customer": null }), "{plate} {phone}");
    }
    assert_eq!(lane.count(&format!("kiosk_lookups WHERE device_id = '{}' AND hit = FALSE", kiosk.id)).await, before + misses.len() as i64);

    // A tablet sees customers through sync, not through the kiosk's door.
    let tablet = enrol(&lane, "tablet").await;
    let before = lane.fingerprint().await;
    let reply = lane.send(Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345", "phone": "13800138001" })).by(&tablet)).await;
    reply.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    lane.assert_unchanged(&before, "a tablet's returning-customer lookup").await;

    // The limit is shared with booking lookups: seven misses here and three there make ten, and
    // then neither kind is answered, not even a hit.
    for n in misses.len()..10 {
        let reply = lane.send(Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": "AAAAAA" })).by(&kiosk)).await;
        assert_eq!(reply.expect(StatusCode::OK), &json!({ "booking": null }), "miss {n}");
    }
    let before = lane.fingerprint().await;
    lane.send(returning("沪A12345", "13800138001")).await.expect_problem(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    lane.send(Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": "K7M4QX" })).by(&kiosk))
        .await
        .expect_problem(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    lane.assert_unchanged(&before, "rate-limited lookups").await;

    // Misses of returning customers alone fill the limit of a booking lookup too.
    let other = enrol(&lane, "kiosk").await;
    for n in 0..10 {
        let reply = lane.send(Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345", "phone": "0000000" })).by(&other)).await;
        assert_eq!(reply.expect(StatusCode::OK), &json!({ "customer": null }), "miss {n}");
    }
    let before = lane.fingerprint().await;
    lane.send(Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": "K7M4QX" })).by(&other))
        .await
        .expect_problem(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    lane.assert_unchanged(&before, "a lookup after ten returning-customer misses").await;
}

async fn kiosks_pull_no_customer_data_and_may_not_edit_visits(lane: Lane) {
    let kiosk = enrol(&lane, "kiosk").await;

    // A kiosk books (its own customer is created), but never pulls a customer back.
    let slot = lane.quiet_slot("10:00").await;
    let results = push_all(&lane, &kiosk, &[mutation(&kiosk, 1, Change::BookAppointment(booking(slot, 1)))]).await;
    assert_applied(&results[0]);
    assert_eq!(results[0]["receipt"]["type"], "booked");

    let page = pull(&lane, &kiosk, 0, 1000).await;
    assert_eq!(page["more"], false);
    assert_eq!(record_types(&page), BTreeSet::from(["advisor".to_owned(), "service_type".to_owned()]));
    assert_eq!(page["records"].as_array().unwrap().len(), 10, "4 advisors and 6 services");
    assert_eq!(page["last_seq"], 1);
    for secret in ["13800138001", "13900000001", "王芳", "沪A12345", "Test Customer"] {
        assert!(!page.to_string().contains(secret), "a kiosk pulled {secret}");
    }

    // A kiosk may book and check in, nothing else: the rest is answered, refused, and recorded
    // as answered so it is not sent again; the visit is untouched.
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 1, check_in("visit-k", "demo-appt-0"))]).await[0]);
    let before = lane.fingerprint().await;
    let refused = [
        mutation(&kiosk, 2, edit_diagnosis("visit-k", 0, "Written on a kiosk")),
        mutation(&kiosk, 3, advance("visit-k", VisitState::WalkAroundDone)),
    ];
    let results = push_all(&lane, &kiosk, &refused).await;
    for result in &results {
        assert_rejected(result, "forbidden");
    }
    let after = lane.fingerprint().await;
    assert_eq!(after["visits.body"], before["visits.body"]);
    assert_eq!(after["audit_log"], before["audit_log"]);
    assert_eq!(after["record_versions"], before["record_versions"]);
    assert_eq!(after["applied_mutations"], (before["applied_mutations"].parse::<i64>().unwrap() + 2).to_string());
}

// ---------------------------------------------------------------------------------------------
// 5. Sync
// ---------------------------------------------------------------------------------------------

async fn a_booking_is_applied_once_however_often_it_is_pushed(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let slot = lane.quiet_slot("11:30").await;
    let request = booking(slot, 7);
    let batch = [mutation(&tablet, 1, Change::BookAppointment(request.clone()))];

    let reply = push(&lane, &tablet, &batch).await;
    let first = reply.expect(StatusCode::OK).clone();
    assert_eq!(first["last_seq"], 1);
    let result = &first["results"][0];
    assert_eq!(result["id"], batch[0].id.as_str());
    assert_eq!(result["seq"], 1);
    assert_applied(result);
    assert_eq!(result["receipt"]["type"], "booked");
    let advisor = result["receipt"]["advisor"].as_str().unwrap().to_owned();
    assert!(advisor.starts_with("adv-"), "{result}");
    assert!(!result["receipt"]["advisor_name"].as_str().unwrap().is_empty());

    let id = request.appointment.as_str();
    assert_eq!(lane.count(&format!("appointments WHERE id = '{id}' AND status = 'booked' AND advisor_id = '{advisor}'")).await, 1);
    assert_eq!(lane.count(&format!("audit_log WHERE action = 'appointment.booked' AND record_id = '{id}' AND advisor_id = 'adv-1'")).await, 1);
    assert_eq!(lane.count(&format!("customers WHERE phone = '{}'", request.phone)).await, 1);

    // The same batch again, as after a lost answer: the same answers, nothing doubled.
    let before = lane.fingerprint().await;
    for _ in 0..2 {
        let again = push(&lane, &tablet, &batch).await.expect(StatusCode::OK).clone();
        assert_eq!(again, first);
    }
    lane.assert_unchanged(&before, "a repeated push").await;

    // The tablet pulls its booking back, with the advisor the server chose.
    let page = pull(&lane, &tablet, 0, 1000).await;
    let booked = page["records"].as_array().unwrap().iter().find(|r| r["record"]["id"] == id).expect("the booking is pulled");
    assert_eq!(booked["record"]["type"], "appointment");
    assert_eq!(booked["record"]["advisor"], advisor.as_str());
    assert_eq!(booked["record"]["status"], "booked");
    assert_eq!(page["last_seq"], 1);

    // The same booking under a new mutation id is refused as existing, not booked twice.
    let results = push_all(&lane, &tablet, &[mutation(&tablet, 2, Change::BookAppointment(request.clone()))]).await;
    assert_rejected(&results[0], "already_exists");
    assert_eq!(lane.count(&format!("appointments WHERE id = '{id}'")).await, 1);

    // A slot in the past, and a time that is not a slot start, are refused.
    let past = booking(lane.quiet_slot("11:00").await - Duration::days(30), 8);
    let mut off_grid = booking(lane.quiet_slot("11:10").await, 9);
    off_grid.services = vec![ServiceTypeId::parse("svc-ac").unwrap()];
    let mut unknown_service = booking(slot, 10);
    unknown_service.services = vec![ServiceTypeId::parse("svc-nope").unwrap()];
    let mut invalid = booking(slot, 11);
    invalid.phone = "12".into();
    invalid.make = " ".into();
    let before = lane.fingerprint().await;
    let results = push_all(
        &lane,
        &tablet,
        &[
            mutation(&tablet, 3, Change::BookAppointment(past)),
            mutation(&tablet, 4, Change::BookAppointment(off_grid)),
            mutation(&tablet, 5, Change::BookAppointment(unknown_service)),
            mutation(&tablet, 6, Change::BookAppointment(invalid)),
        ],
    )
    .await;
    assert_rejected(&results[0], "slot_full");
    assert_rejected(&results[1], "invalid");
    assert_rejected(&results[2], "invalid");
    assert_rejected(&results[3], "invalid");
    let message = results[3]["reason"]["message"].as_str().unwrap();
    assert!(message.contains("make"), "every field to fix is named: {message}");
    let after = lane.fingerprint().await;
    for table in ["appointments", "customers", "vehicles", "audit_log", "record_versions"] {
        assert_eq!(after[table], before[table], "a refused booking wrote to {table}");
    }
}

async fn pushes_stop_at_a_gap_and_refuse_other_devices_and_missing_sign_ins(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let other = tablet_for(&lane, "adv-2", "2222").await;

    // A gap in the numbering: the results stop before it, and nothing after it is applied.
    let batch = [
        mutation(&tablet, 1, check_in("visit-gap-1", "demo-appt-0")),
        mutation(&tablet, 2, edit_diagnosis("visit-gap-1", 0, "Seen at once")),
        mutation(&tablet, 4, check_in("visit-gap-2", "demo-appt-1")),
    ];
    let reply = push(&lane, &tablet, &batch).await.expect(StatusCode::OK).clone();
    assert_eq!(reply["last_seq"], 2);
    let results = reply["results"].as_array().unwrap();
    assert_eq!(results.iter().map(|r| r["seq"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    results.iter().for_each(assert_applied);
    assert_eq!(lane.count("visits WHERE id = 'visit-gap-2'").await, 0);
    assert_eq!(lane.scalar("SELECT status FROM appointments WHERE id = 'demo-appt-1'").await, "booked");

    // Only the gap again: no results, nothing recorded.
    let before = lane.fingerprint().await;
    let reply = push(&lane, &tablet, &batch[2..]).await.expect(StatusCode::OK).clone();
    assert_eq!(reply, json!({ "results": [], "last_seq": 2 }));
    // A number already used by another mutation is a gap too.
    let reused = [mutation(&tablet, 2, check_in("visit-gap-3", "demo-appt-2"))];
    assert_eq!(push(&lane, &tablet, &reused).await.expect(StatusCode::OK), &json!({ "results": [], "last_seq": 2 }));
    lane.assert_unchanged(&before, "mutations after a gap").await;

    // A mutation that names another device refuses the whole batch.
    let mixed = [mutation(&tablet, 3, check_in("visit-gap-2", "demo-appt-1")), mutation(&other, 4, check_in("visit-gap-4", "demo-appt-2"))];
    let before = lane.fingerprint().await;
    push(&lane, &tablet, &mixed).await.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    push(&lane, &other, &mixed[..1]).await.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    lane.assert_unchanged(&before, "a push naming another device").await;

    // A tablet without an advisor signed in: nothing is recorded, the outbox waits.
    let signed_out = Device { session: None, ..tablet.clone() };
    let foreign_session = Device { session: other.session.clone(), ..tablet.clone() };
    let made_up = Device { session: Some("not-a-session".into()), ..tablet.clone() };
    for device in [&signed_out, &foreign_session, &made_up] {
        push(&lane, device, &mixed[..1]).await.expect_problem(StatusCode::FORBIDDEN, "sign_in_required");
        push(&lane, device, &[]).await.expect_problem(StatusCode::FORBIDDEN, "sign_in_required");
    }
    lane.assert_unchanged(&before, "a push without a sign-in").await;
    assert_eq!(lane.count("visits WHERE id = 'visit-gap-2'").await, 0);

    // Once signed in, the rest goes through in order.
    let results = push_all(&lane, &tablet, &mixed[..1]).await;
    assert_applied(&results[0]);
    let devices = lane.send(Call::get("/api/admin/devices").admin()).await.expect(StatusCode::OK).clone();
    let listed = devices.as_array().unwrap().iter().find(|d| d["id"] == tablet.id.as_str()).unwrap().clone();
    assert_eq!(listed["last_seq"], 3);
    assert!(listed["last_seen_at"].is_string());
    assert_eq!(pull(&lane, &tablet, 0, 1).await["last_seq"], 3);
}

async fn a_visit_follows_its_state_machine(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let mut seq = 0;
    let mut next = |change: Change| {
        seq += 1;
        mutation(&tablet, seq, change)
    };

    // Check-in opens the visit and marks the booking arrived.
    let results = push_all(&lane, &tablet, &[next(check_in("visit-1", "demo-appt-0"))]).await;
    assert_applied(&results[0]);
    assert_eq!(lane.scalar("SELECT status FROM appointments WHERE id = 'demo-appt-0'").await, "arrived");
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-1'").await, "checked_in");
    assert_eq!(lane.scalar("SELECT appointment_id FROM visits WHERE id = 'visit-1'").await, "demo-appt-0");
    assert_eq!(lane.count("audit_log WHERE action = 'visit.checked_in' AND record_id = 'visit-1' AND advisor_id = 'adv-1'").await, 1);

    // The same booking cannot arrive twice, nor the same visit open twice.
    let before = lane.fingerprint().await;
    let results = push_all(&lane, &tablet, &[next(check_in("visit-2", "demo-appt-0")), next(check_in("visit-1", "demo-appt-1"))]).await;
    assert_rejected(&results[0], "invalid_transition");
    assert_rejected(&results[1], "already_exists");
    let results = push_all(&lane, &tablet, &[next(check_in("visit-3", "no-such-appointment"))]).await;
    assert_rejected(&results[0], "not_found");
    let after = lane.fingerprint().await;
    for key in ["visits", "visits.body", "appointments.status", "audit_log", "record_versions"] {
        assert_eq!(after[key], before[key], "a refused check-in changed {key}");
    }

    // A plain field edit.
    let results = push_all(&lane, &tablet, &[next(edit_diagnosis("visit-1", 0, "  Front pads worn to 2 mm  "))]).await;
    assert_applied(&results[0]);
    let body: Value = serde_json::from_str(&lane.scalar("SELECT body FROM visits WHERE id = 'visit-1'").await).unwrap();
    assert_eq!(body["diagnosis"], "Front pads worn to 2 mm");
    let results = push_all(&lane, &tablet, &[next(edit_diagnosis("no-such-visit", 0, "x"))]).await;
    assert_rejected(&results[0], "not_found");

    // Steps that are not next, or whose conditions are not met, are refused and change nothing.
    let before = lane.fingerprint().await;
    let results = push_all(
        &lane,
        &tablet,
        &[
            next(advance("visit-1", VisitState::Ready)),
            next(advance("visit-1", VisitState::WrittenUpAndSigned)),
            next(advance("visit-1", VisitState::CheckedIn)),
            next(advance("visit-1", VisitState::Delivered)),
        ],
    )
    .await;
    for result in &results {
        assert_rejected(result, "invalid_transition");
    }
    let after = lane.fingerprint().await;
    assert_eq!(after["visits.body"], before["visits.body"]);
    assert_eq!(after["audit_log"], before["audit_log"]);

    let results = push_all(&lane, &tablet, &[next(advance("visit-1", VisitState::WalkAroundDone))]).await;
    assert_applied(&results[0]);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-1'").await, "walk_around_done");

    // Writing up is the customer's signature on the order, not a step of its own.
    let before = lane.fingerprint().await;
    let results = push_all(&lane, &tablet, &[next(advance("visit-1", VisitState::WrittenUpAndSigned))]).await;
    assert_rejected(&results[0], "invalid_transition");
    assert!(results[0]["reason"]["message"].as_str().unwrap().contains("signature"), "{}", results[0]);
    let after = lane.fingerprint().await;
    assert_eq!(after["visits.body"], before["visits.body"]);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-1'").await, "walk_around_done");

    // What the tablet pulls is the state the server kept.
    let page = pull(&lane, &tablet, 0, 1000).await;
    let visit = page["records"].as_array().unwrap().iter().find(|r| r["record"]["id"] == "visit-1").unwrap();
    assert_eq!(visit["record"]["type"], "visit");
    assert_eq!(visit["record"]["state"], "walk_around_done");
    assert_eq!(visit["record"]["diagnosis"], "Front pads worn to 2 mm");
    assert_eq!(visit["record"]["advisor"], "adv-1");
    assert_eq!(page["last_seq"], seq);
}

/// Signs the drop-off order built from the visit, its customer and vehicle as the tablet pulled
/// them, as the app does; `prepare` first changes the visit, so a test can sign what the server
/// must refuse.
async fn sign_order(lane: &Lane, tablet: &Device, visit: &str, prepare: fn(&mut Visit)) -> Change {
    sign(lane, tablet, visit, DocumentKind::DropOffOrder, prepare).await
}

/// The customer's signature on the visit's next document of `kind`, as a tablet makes it from
/// what it pulled (changed by `prepare`: what the device believes).
async fn sign(lane: &Lane, tablet: &Device, visit: &str, kind: DocumentKind, prepare: fn(&mut Visit)) -> Change {
    let page = pull(lane, tablet, 0, 1000).await;
    let record = |kind: &str, id: &str| -> Value {
        page["records"].as_array().unwrap().iter().find(|r| r["record"]["type"] == kind && r["record"]["id"] == id).unwrap()["record"].clone()
    };
    let mut visit: Visit = serde_json::from_value(record("visit", visit)).unwrap();
    let customer: Customer = serde_json::from_value(record("customer", visit.customer.as_str())).unwrap();
    let vehicle: Vehicle = serde_json::from_value(record("vehicle", visit.vehicle.as_str())).unwrap();
    prepare(&mut visit);
    let next = Document::next(kind, &visit, &customer, &vehicle).unwrap();
    let points = (0..30).map(|i| Point { x: 1000 + i * 250, y: 5000 + (i % 5) * 100, t: u32::from(i) * 4, pressure: 0 }).collect();
    let signed = Draft::new(kind, visit.id.clone(), next.version, next.document)
        .sign(
            "I have read this order and sign it electronically.",
            Signer { name: customer.name.clone(), role: SignerRole::Customer },
            Strokes::new(vec![Stroke { points }]).unwrap(),
            DeviceId::parse(&tablet.id).unwrap(),
            Utc::now(),
            SignatureId::parse(&uuid::Uuid::new_v4().to_string()).unwrap(),
        )
        .unwrap();
    Change::Sign(signed.signature().clone())
}

fn oil_change() -> JobLine {
    JobLine {
        id: JobLineId::parse("line-1").unwrap(),
        description: "Oil and filter".into(),
        service_type: None,
        item: JobItem::Labour,
        quantity_milli: 1000,
        unit_price: Money::new(58_000, Currency::Cny),
        added: None,
    }
}

async fn verification(lane: &Lane, tablet: &Device, id: &SignatureId) -> Value {
    lane.send(Call::get(&format!("/api/signatures/{id}/verification")).by(tablet)).await.expect(StatusCode::OK).clone()
}

/// What a device might believe: the walk-around done and a line on the order.
fn as_if_ready(visit: &mut Visit) {
    visit.state = VisitState::WalkAroundDone;
    if visit.job_lines.is_empty() {
        visit.job_lines.push(oil_change());
    }
}

async fn a_signed_order_is_checked_frozen_and_verifiable(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let mut seq = 0;
    let mut next = |change: Change| {
        seq += 1;
        mutation(&tablet, seq, change)
    };
    let edit = |edit: VisitEdit| Change::EditVisit { visit: VisitId::parse("visit-s").unwrap(), base: 0, edit };
    assert_applied(&push_all(&lane, &tablet, &[next(check_in("visit-s", "demo-appt-0"))]).await[0]);
    let results = push_all(
        &lane,
        &tablet,
        &[
            next(edit(VisitEdit::DropOffReadings(DropOffReadings {
                odometer: Odometer { value: 42_000, unit: DistanceUnit::Km },
                fuel: FuelEighths::new(5).unwrap(),
                correction_reason: None,
            }))),
            next(edit(VisitEdit::Belongings(Belongings { items: vec!["Child seat".into()], valuables_reminder_confirmed: true }))),
            next(edit(VisitEdit::Estimate(Estimate { cost: Money::new(58_000, Currency::Cny), minutes: 60, margin_percent: 10 }))),
        ],
    )
    .await;
    results.iter().for_each(assert_applied);

    // Not before the walk-around is done, nor without a job line.
    let early = sign_order(&lane, &tablet, "visit-s", as_if_ready).await;
    assert_rejected(&push_all(&lane, &tablet, &[next(early)]).await[0], "invalid_transition");
    assert_applied(&push_all(&lane, &tablet, &[next(advance("visit-s", VisitState::WalkAroundDone))]).await[0]);
    let no_lines = sign_order(&lane, &tablet, "visit-s", as_if_ready).await;
    let refused = push_all(&lane, &tablet, &[next(no_lines)]).await;
    assert_rejected(&refused[0], "invalid");
    assert!(refused[0]["reason"]["message"].as_str().unwrap().contains("job line"), "{}", refused[0]);
    assert_eq!(lane.count("signatures").await, 0);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-s'").await, "walk_around_done");
    assert_applied(&push_all(&lane, &tablet, &[next(edit(VisitEdit::JobLines(vec![oil_change()])))]).await[0]);

    // A signature over another content than the server's order is refused and writes nothing.
    let other = sign_order(&lane, &tablet, "visit-s", |visit| visit.diagnosis = "Something else".into()).await;
    assert_rejected(&push_all(&lane, &tablet, &[next(other)]).await[0], "document_mismatch");
    assert_eq!(lane.count("signatures").await, 0);

    let before = lane.fingerprint().await;
    let good = sign_order(&lane, &tablet, "visit-s", |_| {}).await;
    let Change::Sign(signature) = &good else { unreachable!() };
    let id = signature.id.clone();
    assert_applied(&push_all(&lane, &tablet, &[next(good.clone())]).await[0]);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-s'").await, "written_up_and_signed");
    assert_eq!(lane.count("audit_log WHERE action = 'signature.added'").await, 1);
    assert_ne!(lane.fingerprint().await["signatures"], before["signatures"]);

    // Frozen: a signed field cannot change, and the order cannot be signed twice.
    let refused = push_all(&lane, &tablet, &[next(edit(VisitEdit::Estimate(Estimate { cost: Money::new(1, Currency::Cny), minutes: 1, margin_percent: 0 })))]).await;
    assert_rejected(&refused[0], "order_signed");
    let again = sign_order(&lane, &tablet, "visit-s", as_if_ready).await;
    assert_rejected(&push_all(&lane, &tablet, &[next(again)]).await[0], "already_exists");

    // The stored signature verifies; one changed byte of the stored order, or of the visit, does not.
    let verdict = verification(&lane, &tablet, &id).await;
    assert_eq!(verdict["holds"], true, "{verdict}");
    assert_eq!(verdict["problem"], Value::Null);
    let document = lane.scalar(&format!("SELECT document FROM signatures WHERE id = '{id}'")).await;
    assert!(document.contains("\"42000\"") || document.contains(":42000"), "{document}");
    let tampered = document.replacen("42000", "42001", 1);
    lane.exec(&format!("UPDATE signatures SET document = '{}' WHERE id = '{id}'", tampered.replace('\'', "''"))).await;
    let verdict = verification(&lane, &tablet, &id).await;
    assert_eq!(verdict["holds"], false, "{verdict}");
    assert_eq!(verdict["problem"], "document_changed");
    lane.exec(&format!("UPDATE signatures SET document = '{}' WHERE id = '{id}'", document.replace('\'', "''"))).await;
    assert_eq!(verification(&lane, &tablet, &id).await["holds"], true);
    let body = lane.scalar("SELECT body FROM visits WHERE id = 'visit-s'").await;
    lane.exec(&format!("UPDATE visits SET body = '{}' WHERE id = 'visit-s'", body.replacen("42000", "41000", 1).replace('\'', "''"))).await;
    assert_eq!(verification(&lane, &tablet, &id).await["problem"], "document_changed");
    lane.exec(&format!("UPDATE visits SET body = '{}' WHERE id = 'visit-s'", body.replace('\'', "''"))).await;

    // Amended before the workshop: the next version opens, is changed, and is signed again; the
    // first signature still proves what it covered.
    assert_applied(&push_all(&lane, &tablet, &[next(Change::AmendOrder { visit: VisitId::parse("visit-s").unwrap() })]).await[0]);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-s'").await, "walk_around_done");
    assert_eq!(lane.count("audit_log WHERE action = 'visit.order_amended'").await, 1);
    let concerns = edit(VisitEdit::Concerns(Concerns::parse("Service due, and a rattle at the back").unwrap()));
    assert_applied(&push_all(&lane, &tablet, &[next(concerns)]).await[0]);
    let first = verification(&lane, &tablet, &id).await;
    assert_eq!((first["holds"].clone(), first["superseded"].clone()), (json!(true), json!(true)), "{first}");
    let mut stale = sign_order(&lane, &tablet, "visit-s", |_| {}).await;
    let Change::Sign(old_version) = &mut stale else { unreachable!() };
    old_version.document.version = 1;
    assert_rejected(&push_all(&lane, &tablet, &[next(stale)]).await[0], "already_exists");
    let second = sign_order(&lane, &tablet, "visit-s", |_| {}).await;
    let Change::Sign(signature) = &second else { unreachable!() };
    let (second_id, version) = (signature.id.clone(), signature.document.version);
    assert_eq!(version, 2);
    assert_applied(&push_all(&lane, &tablet, &[next(second)]).await[0]);
    assert_eq!(lane.scalar("SELECT state FROM visits WHERE id = 'visit-s'").await, "written_up_and_signed");
    let verdict = verification(&lane, &tablet, &second_id).await;
    assert_eq!((verdict["holds"].clone(), verdict["superseded"].clone()), (json!(true), json!(false)), "{verdict}");
    assert_eq!(lane.count("signatures WHERE visit_id = 'visit-s'").await, 2);
    // In the workshop, the order is no longer amended: more work is added work.
    assert_applied(&push_all(&lane, &tablet, &[next(hand_over("visit-s"))]).await[0]);
    let late = push_all(&lane, &tablet, &[next(Change::AmendOrder { visit: VisitId::parse("visit-s").unwrap() })]).await;
    assert_rejected(&late[0], "invalid_transition");
    assert!(late[0]["reason"]["message"].as_str().unwrap().contains("added job lines"), "{}", late[0]);

    // Only tablets check signatures; an unknown one is a JSON 404.
    let kiosk = enrol(&lane, "kiosk").await;
    lane.send(Call::get(&format!("/api/signatures/{id}/verification")).by(&kiosk)).await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    lane.send(Call::get("/api/signatures/no-such/verification").by(&tablet)).await.expect_problem(StatusCode::NOT_FOUND, "not_found");
}

fn hand_over(visit: &str) -> Change {
    let handover = Handover::new(PersonName::parse("Tech Li").unwrap(), Utc::now());
    Change::RecordVisit { visit: VisitId::parse(visit).unwrap(), event: VisitEvent::HandedOver { handover } }
}

fn added_line(id: &str, price: i64) -> JobLine {
    let added = AddedWork { reason: "Found in the workshop".into(), safety: true, extra_minutes: 30, decision: Decision::Pending };
    JobLine { id: JobLineId::parse(id).unwrap(), description: format!("Added {id}"), unit_price: Money::new(price, Currency::Cny), added: Some(added), ..oil_change() }
}

async fn after_drop_off_the_visit_runs_to_delivery_by_its_records(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let mut seq = 0;
    let mut next = |change: Change| {
        seq += 1;
        mutation(&tablet, seq, change)
    };
    let id = VisitId::parse("visit-w").unwrap();
    let edit = |edit: VisitEdit| Change::EditVisit { visit: VisitId::parse("visit-w").unwrap(), base: 0, edit };
    let event = |event: VisitEvent| Change::RecordVisit { visit: VisitId::parse("visit-w").unwrap(), event };
    let state = || lane.scalar("SELECT state FROM visits WHERE id = 'visit-w'");
    let visit = || async { serde_json::from_str::<Visit>(&lane.scalar("SELECT body FROM visits WHERE id = 'visit-w'").await).unwrap() };
    let now = Utc::now();
    let wang = || PersonName::parse("Wang").unwrap();
    assert_applied(&push_all(&lane, &tablet, &[next(check_in("visit-w", "demo-appt-0"))]).await[0]);
    let results = push_all(
        &lane,
        &tablet,
        &[
            next(edit(VisitEdit::DropOffReadings(DropOffReadings {
                odometer: Odometer { value: 42_000, unit: DistanceUnit::Km },
                fuel: FuelEighths::new(5).unwrap(),
                correction_reason: None,
            }))),
            next(edit(VisitEdit::Belongings(Belongings { items: vec!["Child seat".into()], valuables_reminder_confirmed: true }))),
            next(edit(VisitEdit::JobLines(vec![oil_change()]))),
            next(edit(VisitEdit::Estimate(Estimate { cost: Money::new(58_000, Currency::Cny), minutes: 60, margin_percent: 10 }))),
            next(advance("visit-w", VisitState::WalkAroundDone)),
        ],
    )
    .await;
    results.iter().for_each(assert_applied);
    assert_applied(&push_all(&lane, &tablet, &[next(sign_order(&lane, &tablet, "visit-w", |_| {}).await)]).await[0]);

    // Signing for pickup before the car is ready is refused, and so is skipping the workshop.
    let before = lane.fingerprint().await;
    let early = sign(&lane, &tablet, "visit-w", DocumentKind::PickupAcceptance, |v| {
        v.state = VisitState::Ready;
        v.pickup = Some(PickupReadings { odometer: Odometer { value: 42_003, unit: DistanceUnit::Km }, fuel: FuelEighths::new(5).unwrap(), note: None });
        v.handback = Handback { new_marks: vec![], returned: vec!["Child seat".into()], keys_returned: true };
    })
    .await;
    let refused = push_all(&lane, &tablet, &[next(early), next(advance("visit-w", VisitState::InWorkshop))]).await;
    assert_rejected(&refused[0], "invalid_transition");
    assert!(refused[0]["reason"]["message"].as_str().unwrap().contains("not ready"), "{}", refused[0]);
    assert_rejected(&refused[1], "invalid_transition");
    let after = lane.fingerprint().await;
    assert_eq!((after["visits.body"].clone(), after["signatures"].clone()), (before["visits.body"].clone(), before["signatures"].clone()));

    // The hand-over, to the nearest ten minutes; then added work: one declined by phone with a
    // note, one approved by the customer's signature, which cannot be answered again.
    assert_applied(&push_all(&lane, &tablet, &[next(hand_over("visit-w"))]).await[0]);
    assert_eq!(state().await, "in_workshop");
    assert_eq!(visit().await.handover.unwrap().at().timestamp() % 600, 0);
    let lines = vec![oil_change(), added_line("line-a", 12_000), added_line("line-b", 30_000)];
    let declined = Decision::Declined(Answer { at: now, by: wang(), channel: Channel::Phone, note: "Not this time".into() });
    let results = push_all(
        &lane,
        &tablet,
        &[
            next(edit(VisitEdit::JobLines(lines))),
            next(event(VisitEvent::Answered { line: JobLineId::parse("line-b").unwrap(), decision: declined})),
        ],
    )
    .await;
    results.iter().for_each(assert_applied);
    let approval = sign(&lane, &tablet, "visit-w", DocumentKind::AddedWorkApproval, |_| {}).await;
    let Change::Sign(approval_signature) = &approval else { unreachable!() };
    assert_eq!(approval_signature.document.version, 1);
    assert_applied(&push_all(&lane, &tablet, &[next(approval.clone())]).await[0]);
    let v = visit().await;
    assert_eq!((v.approvals_signed, v.job_lines.iter().filter(|l| l.is_charged()).count()), (1, 2));
    let twice = Decision::Approved(Answer { at: now, by: wang(), channel: Channel::Phone, note: "Yes".into() });
    let refused = push_all(
        &lane,
        &tablet,
        &[
            next(event(VisitEvent::Answered { line: JobLineId::parse("line-a").unwrap(), decision: twice.clone()})),
            next(event(VisitEvent::Answered { line: JobLineId::parse("line-b").unwrap(), decision: twice})),
            next(approval.clone()),
        ],
    )
    .await;
    for result in &refused[..2] {
        assert_rejected(result, "invalid");
        assert!(result["reason"]["message"].as_str().unwrap().contains("already answered"), "{result}");
    }
    assert_rejected(&refused[2], "already_exists");

    // The quality checks in their order, the wash, and ready with the pickup notice.
    let check = |stage| VisitEvent::Checked { check: QualityCheck { stage, by: PersonName::parse("Lead Park").unwrap(), at: now, passed: true, note: String::new() } };
    let notice = CustomerContact { purpose: ContactPurpose::PickupNotice, at: now, channel: ContactChannel::Phone, said: "Ready at five".into(), new_promised_at: None };
    let results = push_all(
        &lane,
        &tablet,
        &[
            next(event(VisitEvent::WorkFinished { at: now })),
            next(event(check(CheckStage::TeamLead))),
            next(event(check(CheckStage::Technician))),
            next(event(check(CheckStage::TeamLead))),
            next(event(check(CheckStage::FinalInspection))),
            next(event(VisitEvent::Ready { notice: notice.clone() })),
            next(event(VisitEvent::Washed { at: now })),
            next(event(VisitEvent::Ready { notice })),
        ],
    )
    .await;
    let outcomes: Vec<&str> = results.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["applied", "rejected", "applied", "applied", "applied", "rejected", "applied", "applied"]);
    assert!(results[1]["reason"]["message"].as_str().unwrap().contains("Technician check comes first"), "{}", results[1]);
    assert!(results[5]["reason"]["message"].as_str().unwrap().contains("wash"), "{}", results[5]);
    assert_eq!(state().await, "ready");

    // Pickup readings: never below drop-off, and a long way needs a note.
    let reading = |km: u32, note: Option<&str>| edit(VisitEdit::PickupReadings(PickupReadings { odometer: Odometer { value: km, unit: DistanceUnit::Km }, fuel: FuelEighths::new(4).unwrap(), note: note.map(str::to_owned) }));
    let results = push_all(&lane, &tablet, &[next(reading(41_990, None)), next(reading(42_050, None)), next(reading(42_050, Some("Road test to the tyre centre")))]).await;
    assert_rejected(&results[0], "invalid");
    assert!(results[0]["reason"]["message"].as_str().unwrap().contains("lower than the drop-off"), "{}", results[0]);
    assert_rejected(&results[1], "invalid");
    assert!(results[1]["reason"]["message"].as_str().unwrap().contains("add a note"), "{}", results[1]);
    assert_applied(&results[2]);

    // Everything handed back, the customer signs, and the car is delivered.
    let unticked = sign(&lane, &tablet, "visit-w", DocumentKind::PickupAcceptance, |v| {
        v.handback = Handback { new_marks: vec![], returned: vec!["Child seat".into()], keys_returned: true };
    })
    .await;
    let refused = push_all(&lane, &tablet, &[next(unticked)]).await;
    assert_rejected(&refused[0], "invalid");
    assert!(refused[0]["reason"]["message"].as_str().unwrap().contains("Child seat"), "{}", refused[0]);
    let handback = Handback { new_marks: vec![], returned: vec!["Child seat".into()], keys_returned: true };
    assert_applied(&push_all(&lane, &tablet, &[next(edit(VisitEdit::Handback(handback)))]).await[0]);
    let pickup = sign(&lane, &tablet, "visit-w", DocumentKind::PickupAcceptance, |_| {}).await;
    let Change::Sign(pickup_signature) = &pickup else { unreachable!() };
    assert_applied(&push_all(&lane, &tablet, &[next(pickup.clone())]).await[0]);
    assert_eq!(state().await, "delivered");
    let document = lane.scalar(&format!("SELECT document FROM signatures WHERE id = '{}'", pickup_signature.id)).await;
    assert!(document.contains(r#""declined":[{"id":"line-b""#), "{document}");
    let verdict = verification(&lane, &tablet, &pickup_signature.id).await;
    assert_eq!((verdict["holds"].clone(), verdict["superseded"].clone()), (json!(true), json!(false)), "{verdict}");
    assert_eq!(verification(&lane, &tablet, &approval_signature.id).await["holds"], true);
    assert_rejected(&push_all(&lane, &tablet, &[next(pickup)]).await[0], "already_exists");

    // Follow-up: a call before delivery is refused; one after is logged; the customer is classed.
    let call = |at: DateTime<Utc>| event(VisitEvent::FollowUpCalled { call: FollowUpCall { at, by: wang(), outcome: CallOutcome::Satisfied, note: String::new() } });
    let results = push_all(&lane, &tablet, &[next(call(now - Duration::days(1))), next(call(now + Duration::days(3)))]).await;
    assert_rejected(&results[0], "invalid");
    assert_applied(&results[1]);
    assert_eq!(visit().await.follow_up.len(), 1);
    let customer = CustomerId::parse(&lane.scalar("SELECT customer_id FROM visits WHERE id = 'visit-w'").await).unwrap();
    let results = push_all(&lane, &tablet, &[next(Change::ClassifyCustomer { customer, class: Some(CustomerClass::A) })]).await;
    assert_applied(&results[0]);
    assert_eq!(lane.scalar("SELECT class FROM customers WHERE id IN (SELECT customer_id FROM visits WHERE id = 'visit-w')").await, "A");
    let page = pull(&lane, &tablet, 0, 1000).await;
    let pulled = page["records"].as_array().unwrap().iter().find(|r| r["record"]["type"] == "customer" && r["record"]["class"] == "A");
    assert!(pulled.is_some(), "the class reaches the tablets");
    assert_eq!(lane.count(&format!("audit_log WHERE record_id = '{id}' AND action = 'visit.recorded'")).await, 9);
}

async fn a_full_slot_refuses_the_next_booking(lane: Lane) {
    // Capacity 4 a slot with 15 % slack: 3 bookable, 1 per advisor.
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let slot = lane.quiet_slot("11:00").await;
    let day = slot.with_timezone(&SHANGHAI).date_naive();
    let bookings: Vec<Mutation> = (1..=3).map(|n| mutation(&tablet, u64::from(n), Change::BookAppointment(booking(slot, n)))).collect();
    let results = push_all(&lane, &tablet, &bookings).await;
    let advisors: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            assert_applied(r);
            r["receipt"]["advisor"].as_str().unwrap()
        })
        .collect();
    assert_eq!(advisors.len(), 3, "one visit per advisor in a slot: {results:?}");

    // The slot is no longer offered.
    let slots = lane.send(Call::get(&format!("/api/kiosk/slots?day={day}")).by(&tablet)).await.expect(StatusCode::OK).clone();
    let starts: Vec<DateTime<Utc>> = slots["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().parse().unwrap()).collect();
    assert!(!starts.contains(&slot), "{slots}");
    assert!(starts.contains(&(slot + Duration::minutes(30))), "{slots}");

    let before = lane.fingerprint().await;
    let results = push_all(&lane, &tablet, &[mutation(&tablet, 4, Change::BookAppointment(booking(slot, 4)))]).await;
    assert_rejected(&results[0], "slot_full");
    let after = lane.fingerprint().await;
    for table in ["appointments", "appointment_services", "customers", "vehicles", "audit_log", "record_versions", "sync_clock"] {
        assert_eq!(after[table], before[table], "a refused booking wrote to {table}");
    }
    assert_eq!(lane.count(&format!("appointments WHERE slot_start = '{}'", slot.format("%Y-%m-%dT%H:%M:%S%.3fZ"))).await, 3);

    // The next slot still takes it.
    let results = push_all(&lane, &tablet, &[mutation(&tablet, 5, Change::BookAppointment(booking(slot + Duration::minutes(30), 5)))]).await;
    assert_applied(&results[0]);
}

async fn check_ins_say_who_comes_and_walk_ins_go_to_the_least_busy_advisor(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let kiosk = enrol(&lane, "kiosk").await;
    // One instant for every arrival "today", so the test cannot straddle a local midnight.
    let now = Utc::now();
    let at = |mut m: Mutation, at: DateTime<Utc>| {
        m.at = at;
        m
    };
    let walk_in = |visit: &str, n: u32| {
        Change::CheckIn(CheckIn {
            visit: VisitId::parse(visit).unwrap(),
            arrival: Arrival::WalkIn(Box::new(booking(now, n))),
            transport: Transport::Wait,
            concerns: Concerns::parse("Warning light").unwrap(),
            key_tag: None,
            parties: None,
        })
    };
    let receipt = |advisor: Value, name: Value| json!({ "type": "checked_in", "advisor": advisor, "advisor_name": name });

    // A booked arrival is received by the booking's advisor, and the answer says who.
    let results = push_all(
        &lane,
        &tablet,
        &[
            at(mutation(&tablet, 1, check_in("visit-b0", "demo-appt-0")), now),
            at(mutation(&tablet, 2, check_in("visit-b1", "demo-appt-1")), now),
            // Checked in two days ago and still open: not today's load.
            at(mutation(&tablet, 3, check_in("visit-b2", "demo-appt-2")), now - Duration::days(2)),
        ],
    )
    .await;
    results.iter().for_each(assert_applied);
    assert_eq!(results[0]["receipt"], receipt(json!("adv-1"), json!("Li Na")));
    assert_eq!(results[1]["receipt"], receipt(json!("adv-2"), json!("Kim Min-jun")));
    assert_eq!(results[2]["receipt"], receipt(json!("adv-3"), json!("Zhang Wei")));

    // Today adv-1 and adv-2 have one open visit each, adv-3 and adv-4 none: the tie goes to the
    // lower id. Then adv-4 is the only one without.
    let results = push_all(&lane, &kiosk, &[at(mutation(&kiosk, 1, walk_in("visit-w1", 31)), now), at(mutation(&kiosk, 2, walk_in("visit-w2", 32)), now)]).await;
    results.iter().for_each(assert_applied);
    assert_eq!(results[0]["receipt"], receipt(json!("adv-3"), json!("Zhang Wei")));
    assert_eq!(results[1]["receipt"], receipt(json!("adv-4"), json!("Sarah Miller")));
    assert_eq!(lane.scalar("SELECT advisor_id FROM visits WHERE id = 'visit-w1'").await, "adv-3");
    assert_eq!(lane.scalar("SELECT advisor_id FROM visits WHERE id = 'visit-w2'").await, "adv-4");

    // A delivered visit no longer keeps its advisor busy.
    sqlx::query("UPDATE visits SET state = 'delivered' WHERE id = 'visit-b1'").execute(&lane.app.db.pool).await.unwrap();
    let results = push_all(&lane, &kiosk, &[at(mutation(&kiosk, 3, walk_in("visit-w3", 33)), now)]).await;
    assert_eq!(results[0]["receipt"], receipt(json!("adv-2"), json!("Kim Min-jun")));

    // With no advisor active the customer is still checked in; the desk takes them.
    sqlx::query("UPDATE advisors SET active = FALSE").execute(&lane.app.db.pool).await.unwrap();
    let results = push_all(&lane, &kiosk, &[at(mutation(&kiosk, 4, walk_in("visit-w4", 34)), now)]).await;
    assert_applied(&results[0]);
    assert_eq!(results[0]["receipt"], receipt(Value::Null, Value::Null));
    assert_eq!(lane.count("visits WHERE id = 'visit-w4' AND advisor_id IS NULL").await, 1);

    // The tablet pulls the walk-ins with the advisors they were given.
    let page = pull(&lane, &tablet, 0, 1000).await;
    let advisor_of = |id: &str| page["records"].as_array().unwrap().iter().find(|r| r["record"]["id"] == id).unwrap()["record"]["advisor"].clone();
    assert_eq!(advisor_of("visit-w1"), "adv-3");
    assert_eq!(advisor_of("visit-w3"), "adv-2");
    assert_eq!(advisor_of("visit-w4"), Value::Null);
}

async fn a_walk_in_registered_on_a_tablet_keeps_its_ids_and_its_advisor(lane: Lane) {
    // adv-4 signs in on the tablet; the least busy advisor today would be adv-1.
    let tablet = tablet_for(&lane, "adv-4", "4444").await;
    let walk_in = |visit: &str, request: BookingRequest, customer: &str, vehicle: &str| {
        Change::CheckIn(CheckIn {
            visit: VisitId::parse(visit).unwrap(),
            arrival: Arrival::WalkIn(Box::new(request)),
            transport: Transport::DropOff,
            concerns: Concerns::parse("Rattle at the back").unwrap(),
            key_tag: None,
            parties: Some(ProposedParties { customer: CustomerId::parse(customer).unwrap(), vehicle: VehicleId::parse(vehicle).unwrap() }),
        })
    };
    let now = Utc::now();
    let first = walk_in("visit-t1", booking(now, 41), "cust-new-41", "veh-new-41");
    push_all(&lane, &tablet, &[mutation(&tablet, 1, first)]).await.iter().for_each(assert_applied);
    assert_eq!(lane.scalar("SELECT advisor_id FROM visits WHERE id = 'visit-t1'").await, "adv-4");
    assert_eq!(lane.scalar("SELECT customer_id FROM visits WHERE id = 'visit-t1'").await, "cust-new-41");
    assert_eq!(lane.scalar("SELECT vehicle_id FROM visits WHERE id = 'visit-t1'").await, "veh-new-41");
    assert_eq!(lane.scalar("SELECT phone FROM customers WHERE id = 'cust-new-41'").await, "13900000041");

    // The same customer again, from a tablet that did not know them, with another car: the
    // customer keeps their file; the car's proposed id is taken by another record, so it gets
    // a fresh one.
    let mut again = booking(now, 41);
    again.plate = "沪G77777".into();
    let second = walk_in("visit-t2", again, "cust-other", "veh-new-41");
    push_all(&lane, &tablet, &[mutation(&tablet, 2, second)]).await.iter().for_each(assert_applied);
    assert_eq!(lane.scalar("SELECT customer_id FROM visits WHERE id = 'visit-t2'").await, "cust-new-41");
    assert_eq!(lane.count("customers WHERE id = 'cust-other'").await, 0);
    let vehicle = lane.scalar("SELECT vehicle_id FROM visits WHERE id = 'visit-t2'").await;
    assert_ne!(vehicle, "veh-new-41");
    assert_eq!(lane.scalar(&format!("SELECT plate FROM vehicles WHERE id = '{vehicle}'")).await, "沪G77777");
    assert_eq!(lane.count("vehicles WHERE customer_id = 'cust-new-41'").await, 2);
}

async fn a_change_made_offline_is_credited_to_who_made_it(lane: Lane) {
    // Li Na edits offline, the tablet locks, and Kim Min-jun signs in: the push is his session's.
    let li_na = tablet_for(&lane, "adv-1", "1111").await;
    let made = |seq: u64, by: &str, visit: &str| Mutation { by: Some(AdvisorId::parse(by).unwrap()), ..mutation(&li_na, seq, check_in(visit, &format!("demo-appt-{seq}"))) };
    let hers = made(1, "adv-1", "visit-c1");
    lane.send(Call::post("/api/advisors/sign-out", &json!({})).by(&li_na)).await.expect(StatusCode::NO_CONTENT);
    let session = sign_in(&lane, &li_na, "adv-2", "2222").await.expect(StatusCode::CREATED)["token"].as_str().unwrap().to_owned();
    let kim = Device { session: Some(session), ..li_na.clone() };
    // Zhang Wei never signed in on this tablet: a claim for him is not believed.
    let forged = made(2, "adv-3", "visit-c2");
    push_all(&lane, &kim, &[hers, forged]).await.iter().for_each(assert_applied);
    let who = |visit: &str| format!("SELECT advisor_id FROM audit_log WHERE action = 'visit.checked_in' AND record_id = '{visit}'");
    assert_eq!(lane.scalar(&who("visit-c1")).await, "adv-1");
    assert_eq!(lane.scalar(&who("visit-c2")).await, "adv-2");
}

fn follow_ups(page: &Value) -> Vec<Value> {
    page["records"].as_array().unwrap().iter().filter(|r| r["record"]["type"] == "kiosk_follow_up").map(|r| r["record"].clone()).collect()
}

async fn a_kiosks_refused_change_is_kept_for_staff(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let kiosk = enrol(&lane, "kiosk").await;
    let slot = lane.quiet_slot("15:00").await;
    let filled: Vec<Mutation> = (1..=3).map(|n| mutation(&tablet, u64::from(n), Change::BookAppointment(booking(slot, n)))).collect();
    push_all(&lane, &tablet, &filled).await.iter().for_each(assert_applied);

    // The kiosk's booking waited offline while the slot filled: refused, and kept for staff.
    let mut request = booking(slot, 4);
    request.name = "陈静".into();
    request.phone = "139 0000 0004".into();
    request.services = vec![ServiceTypeId::parse("svc-oil").unwrap(), ServiceTypeId::parse("svc-ac").unwrap()];
    let late = mutation(&kiosk, 1, Change::BookAppointment(request.clone()));
    let before = lane.fingerprint().await;
    let reply = push(&lane, &kiosk, std::slice::from_ref(&late)).await.expect(StatusCode::OK).clone();
    assert_rejected(&reply["results"][0], "slot_full");
    let after = lane.fingerprint().await;
    for key in ["appointments", "appointment_services", "appointments.status", "customers", "vehicles", "visits", "notices"] {
        assert_eq!(after[key], before[key], "a refused kiosk booking changed {key}");
    }
    let more = |key: &str| (before[key].parse::<i64>().unwrap() + 1).to_string();
    for key in ["kiosk_follow_ups", "audit_log", "record_versions", "applied_mutations"] {
        assert_eq!(after[key], more(key), "{key}: the follow-up is the one thing written");
    }
    assert_eq!(lane.count(&format!("audit_log WHERE action = 'kiosk_follow_up.created' AND device_id = '{}'", kiosk.id)).await, 1);

    // A tablet pulls it: who, how to reach them, what they asked for, why it was refused.
    let page = pull(&lane, &tablet, 0, 1000).await;
    let found = follow_ups(&page);
    assert_eq!(found.len(), 1, "{found:?}");
    let follow_up = &found[0];
    assert_eq!(
        follow_up,
        &json!({
            "type": "kiosk_follow_up",
            "id": follow_up["id"],
            "device": kiosk.id,
            "device_name": "Test kiosk",
            "at": late.at,
            "reason": reply["results"][0]["reason"],
            "name": "陈静",
            "phone": "139 0000 0004",
            "plate": request.plate,
            "slot_start": slot,
            "services": ["svc-oil", "svc-ac"],
        })
    );
    assert!(!follow_up["id"].as_str().unwrap().is_empty());

    // The kiosk never pulls it, nor anything of the customer in it.
    let kiosk_page = pull(&lane, &kiosk, 0, 1000).await;
    assert!(follow_ups(&kiosk_page).is_empty(), "{kiosk_page}");
    for secret in ["陈静", "139 0000 0004", request.plate.as_str()] {
        assert!(!kiosk_page.to_string().contains(secret), "a kiosk pulled {secret}");
    }

    // The push retried after a lost answer: the same answer, no second follow-up.
    let before = lane.fingerprint().await;
    assert_eq!(push(&lane, &kiosk, std::slice::from_ref(&late)).await.expect(StatusCode::OK), &reply);
    lane.assert_unchanged(&before, "a retried refused push").await;

    // A refused booked check-in names the booking's customer; one of a booking that does not
    // exist has nothing to name but the reason.
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 4, check_in("visit-f0", "demo-appt-0"))]).await[0]);
    let results = push_all(&lane, &kiosk, &[mutation(&kiosk, 2, check_in("visit-f1", "demo-appt-0")), mutation(&kiosk, 3, check_in("visit-f2", "no-such-booking"))]).await;
    assert_rejected(&results[0], "invalid_transition");
    assert_rejected(&results[1], "not_found");
    assert_eq!(lane.count("visits WHERE id IN ('visit-f1', 'visit-f2')").await, 0);
    let found = follow_ups(&pull(&lane, &tablet, page["cursor"].as_u64().unwrap(), 1000).await);
    assert_eq!(found.len(), 2, "{found:?}");
    let demo_slot: DateTime<Utc> = lane.scalar("SELECT slot_start FROM appointments WHERE id = 'demo-appt-0'").await.parse().unwrap();
    assert_eq!(
        (&found[0]["name"], &found[0]["phone"], &found[0]["plate"], &found[0]["reason"]["code"]),
        (&json!("王芳"), &json!("13800138001"), &json!("沪A12345"), &json!("invalid_transition"))
    );
    assert_eq!(found[0]["slot_start"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap(), demo_slot);
    assert_eq!(found[0]["services"], json!(["svc-10k"]));
    assert_eq!(
        (&found[1]["name"], &found[1]["phone"], &found[1]["plate"], &found[1]["slot_start"], &found[1]["services"], &found[1]["reason"]["code"]),
        (&json!(""), &json!(""), &json!(""), &Value::Null, &json!([]), &json!("not_found"))
    );

    // A tablet's own refusal is read by the person who made it: no follow-up, nothing written.
    let before = lane.fingerprint().await;
    let results = push_all(&lane, &tablet, &[mutation(&tablet, 5, Change::BookAppointment(booking(slot, 5)))]).await;
    assert_rejected(&results[0], "slot_full");
    let after = lane.fingerprint().await;
    for key in ["kiosk_follow_ups", "appointments", "customers", "vehicles", "audit_log", "record_versions", "sync_clock"] {
        assert_eq!(after[key], before[key], "a tablet's refused booking changed {key}");
    }

    // Called back: marked handled by the advisor signed in, with what was agreed; once only, with
    // a note, and never from a kiosk.
    let id = follow_up["id"].as_str().unwrap().to_owned();
    let handle = |note: &str| Change::HandleFollowUp { follow_up: id.clone(), note: note.into() };
    let results = push_all(&lane, &tablet, &[mutation(&tablet, 6, handle("  ")), mutation(&tablet, 7, handle("Rebooked for 16:00 the same day"))]).await;
    assert_rejected(&results[0], "invalid");
    assert_applied(&results[1]);
    assert_rejected(&push_all(&lane, &tablet, &[mutation(&tablet, 8, handle("Again"))]).await[0], "already_exists");
    let reply = push(&lane, &kiosk, &[mutation(&kiosk, 4, handle("From the lobby"))]).await.expect(StatusCode::OK).clone();
    assert_rejected(&reply["results"][0], "forbidden");
    let handled = follow_ups(&pull(&lane, &tablet, 0, 1000).await).into_iter().find(|f| f["id"] == id.as_str()).unwrap();
    assert_eq!((&handled["handled"]["by"], &handled["handled"]["note"]), (&json!("adv-1"), &json!("Rebooked for 16:00 the same day")));
    assert_eq!(lane.count("audit_log WHERE action = 'kiosk_follow_up.handled'").await, 1);
}

async fn concurrent_pushes_never_overbook_a_slot_nor_apply_a_mutation_twice(lane: Lane) {
    // Four kiosks book the same slot, which takes three, at the same moment.
    let slot = lane.quiet_slot("14:00").await;
    let (a, b, c, d) = (enrol(&lane, "kiosk").await, enrol(&lane, "kiosk").await, enrol(&lane, "kiosk").await, enrol(&lane, "kiosk").await);
    let book = |kiosk: &Device, n: u32| [mutation(kiosk, 1, Change::BookAppointment(booking(slot, n)))];
    let (ma, mb, mc, md) = (book(&a, 1), book(&b, 2), book(&c, 3), book(&d, 4));
    let (ra, rb, rc, rd) = tokio::join!(push(&lane, &a, &ma), push(&lane, &b, &mb), push(&lane, &c, &mc), push(&lane, &d, &md));
    let outcomes: Vec<Value> = [ra, rb, rc, rd].iter().map(|r| r.expect(StatusCode::OK)["results"][0].clone()).collect();
    let applied = outcomes.iter().filter(|r| r["outcome"] == "applied").count();
    assert_eq!(applied, 3, "{outcomes:?}");
    assert_rejected(outcomes.iter().find(|r| r["outcome"] == "rejected").unwrap(), "slot_full");
    assert_eq!(lane.count(&format!("appointments WHERE slot_start = '{}'", slot.format("%Y-%m-%dT%H:%M:%S%.3fZ"))).await, 3);
    let advisors = lane.count(&format!("(SELECT DISTINCT advisor_id FROM appointments WHERE slot_start = '{}') AS a", slot.format("%Y-%m-%dT%H:%M:%S%.3fZ"))).await;
    assert_eq!(advisors, 3, "one visit per advisor in a slot");

    // A retry racing the original push: one application, the same answer to both.
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let batch = [
        mutation(&tablet, 1, Change::BookAppointment(booking(slot + Duration::minutes(30), 5))),
        mutation(&tablet, 2, check_in("visit-race", "demo-appt-0")),
    ];
    let Change::BookAppointment(booked) = &batch[0].change else { unreachable!() };
    let (first, second) = tokio::join!(push(&lane, &tablet, &batch), push(&lane, &tablet, &batch));
    assert_eq!(first.expect(StatusCode::OK), second.expect(StatusCode::OK));
    first.json["results"].as_array().unwrap().iter().for_each(assert_applied);
    assert_eq!(lane.count(&format!("appointments WHERE id = '{}'", booked.appointment)).await, 1);
    assert_eq!(lane.count("visits WHERE id = 'visit-race'").await, 1);
    assert_eq!(lane.count(&format!("applied_mutations WHERE device_id = '{}'", tablet.id)).await, 2);
}

async fn the_last_edit_wins_and_the_overwritten_device_is_told(lane: Lane) {
    let first = tablet_for(&lane, "adv-1", "1111").await;
    let second = tablet_for(&lane, "adv-2", "2222").await;
    assert_applied(&push_all(&lane, &first, &[mutation(&first, 1, check_in("visit-lww", "demo-appt-0"))]).await[0]);

    // Both edit the diagnosis offline, from the same (no) version; the second applied wins.
    assert_applied(&push_all(&lane, &first, &[mutation(&first, 2, edit_diagnosis("visit-lww", 0, "Brake pads"))]).await[0]);
    let at = Utc::now();
    let mut late = mutation(&second, 1, edit_diagnosis("visit-lww", 0, "Brake discs"));
    late.at = at;
    assert_applied(&push_all(&lane, &second, &[late]).await[0]);

    let notices = |page: &Value| -> Vec<Value> {
        page["records"].as_array().unwrap().iter().filter(|r| r["record"]["type"] == "notice").map(|r| r["record"].clone()).collect()
    };
    let page = pull(&lane, &first, 0, 1000).await;
    let visit = page["records"].as_array().unwrap().iter().find(|r| r["record"]["id"] == "visit-lww").unwrap();
    assert_eq!(visit["record"]["diagnosis"], "Brake discs");
    let told = notices(&page);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["to_device"], first.id.as_str());
    assert_eq!(told[0]["by_device"], second.id.as_str());
    assert_eq!(told[0]["visit"], "visit-lww");
    assert_eq!(told[0]["field"], "diagnosis");
    assert_eq!(told[0]["at"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap(), at);

    // The winner, and any other device, is not told.
    assert!(notices(&pull(&lane, &second, 0, 1000).await).is_empty());
    let kiosk = enrol(&lane, "kiosk").await;
    assert!(notices(&pull(&lane, &kiosk, 0, 1000).await).is_empty());

    // An edit made after seeing the other's value overwrites nothing unseen: no notice. Nor does
    // a device overwriting its own value.
    let seen = visit["version"].as_u64().unwrap();
    let page_cursor = page["cursor"].as_u64().unwrap();
    assert_applied(&push_all(&lane, &first, &[mutation(&first, 3, edit_diagnosis("visit-lww", seen, "Brake discs and pads"))]).await[0]);
    assert_applied(&push_all(&lane, &first, &[mutation(&first, 4, edit_diagnosis("visit-lww", 0, "Brake discs and pads, rear too"))]).await[0]);
    assert_eq!(lane.count("notices").await, 1);
    assert!(notices(&pull(&lane, &second, 0, 1000).await).is_empty());
    assert!(notices(&pull(&lane, &first, page_cursor, 1000).await).is_empty());

    // Edits of other fields do not conflict.
    let transport = Change::EditVisit { visit: VisitId::parse("visit-lww").unwrap(), base: 0, edit: VisitEdit::Transport(Transport::Loaner) };
    assert_applied(&push_all(&lane, &second, &[mutation(&second, 2, transport)]).await[0]);
    assert_eq!(lane.count("notices").await, 1);
}

async fn pull_pages_walk_every_record_exactly_once(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 1, check_in("visit-p", "demo-appt-3"))]).await[0]);

    let everything = pull(&lane, &tablet, 0, 1000).await;
    assert_eq!(everything["more"], false);
    let all: Vec<(String, String)> = everything["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["record"]["type"].as_str().unwrap().to_owned(), r["record"]["id"].as_str().unwrap().to_owned()))
        .collect();
    // 4 advisors, 6 services, 8 customers, 8 vehicles, 8 appointments, the visit.
    assert_eq!(all.len(), 35, "{all:?}");
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), all.len(), "each record once, at its latest version");
    assert_eq!(record_types(&everything), ["advisor", "appointment", "customer", "service_type", "vehicle", "visit"].map(String::from).into());
    // The default page holds them all too.
    assert_eq!(lane.send(Call::get("/api/sync/pull").by(&tablet)).await.expect(StatusCode::OK), &everything);

    let mut walked = Vec::new();
    let mut cursor = 0;
    let mut pages = 0;
    loop {
        let page = pull(&lane, &tablet, cursor, 5).await;
        pages += 1;
        let records = page["records"].as_array().unwrap();
        assert!(records.len() <= 5);
        let mut last = cursor;
        for record in records {
            let version = record["version"].as_u64().unwrap();
            assert!(version > last, "versions rise within and across pages");
            last = version;
            walked.push((record["record"]["type"].as_str().unwrap().to_owned(), record["record"]["id"].as_str().unwrap().to_owned()));
        }
        assert_eq!(page["cursor"].as_u64().unwrap(), last);
        if page["more"] == false {
            break;
        }
        assert_eq!(records.len(), 5, "a page with more after it is full");
        cursor = last;
        assert!(pages < 100);
    }
    assert_eq!(walked, all);
    assert_eq!(pages, all.len().div_ceil(5));

    // Past the end: nothing, and the cursor stays.
    let end = everything["cursor"].as_u64().unwrap();
    let page = pull(&lane, &tablet, end, 5).await;
    assert_eq!(page["records"], json!([]));
    assert_eq!(page["cursor"], end);
    assert_eq!(page["more"], false);

    // A change moves the record to the end: a device continuing from its cursor gets only it.
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 2, edit_diagnosis("visit-p", 0, "Tyres"))]).await[0]);
    let page = pull(&lane, &tablet, end, 5).await;
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{page}");
    assert_eq!(records[0]["record"]["id"], "visit-p");
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input
// ---------------------------------------------------------------------------------------------

async fn bad_input_is_a_json_problem_and_changes_nothing(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    let kiosk = enrol(&lane, "kiosk").await;
    let good = serde_json::to_value(mutation(&tablet, 1, edit_diagnosis("visit-x", 0, "x"))).unwrap();
    let with = |path: &[&str], value: Value| {
        let mut mutation = good.clone();
        let mut target = &mut mutation;
        for key in &path[..path.len() - 1] {
            target = &mut target[*key];
        }
        target[path[path.len() - 1]] = value;
        json!({ "mutations": [mutation] })
    };
    let before = lane.fingerprint().await;

    let raw = |uri: &str, body: &str| Call::post_raw(uri, body.as_bytes().to_vec()).header("content-type", "application/json");
    let bad_requests = [
        // Malformed JSON.
        raw("/api/sync/push", "{\"mutations\": ["),
        raw("/api/sync/push", ""),
        raw("/api/sync/push", "mutations"),
        raw("/api/kiosk/lookup", "{'by': 'code'}"),
        raw("/api/devices/enrol", "{\"code\": \"AAAA-AAAA\"} trailing"),
        // Wrong types.
        Call::post("/api/sync/push", &json!({ "mutations": 5 })),
        Call::post("/api/sync/push", &json!([])),
        Call::post("/api/sync/push", &with(&["seq"], json!("1"))),
        Call::post("/api/sync/push", &with(&["seq"], json!(-1))),
        Call::post("/api/sync/push", &with(&["at"], json!("yesterday"))),
        Call::post("/api/sync/push", &with(&["change", "base"], json!(null))),
        Call::post("/api/sync/push", &with(&["change", "edit", "value"], json!(42))),
        Call::post("/api/devices/enrol", &json!({ "code": 12345678 })),
        Call::post("/api/advisors/sign-in", &json!({ "advisor": "adv-1", "pin": 1111 })),
        // Invalid values of validated types.
        Call::post("/api/sync/push", &with(&["id"], json!("has spaces"))),
        Call::post("/api/sync/push", &with(&["change", "type"], json!("delete_everything"))),
        Call::post("/api/sync/push", &with(&["change", "edit", "field"], json!("price"))),
        Call::post("/api/advisors/sign-in", &json!({ "advisor": "", "pin": "1111" })),
        // Missing fields.
        Call::post("/api/sync/push", &json!({})),
        Call::post("/api/devices/enrol", &json!({})),
        Call::post("/api/kiosk/lookup", &json!({ "code": "K7M4QX" })),
        Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345" })),
        Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345", "phone": 13800138001_u64 })),
        // Unknown fields, at every level.
        Call::post("/api/sync/push", &json!({ "mutations": [], "force": true })),
        Call::post("/api/sync/push", &with(&["priority"], json!(1))),
        Call::post("/api/sync/push", &with(&["change", "edit", "note"], json!("x"))),
        Call::post("/api/devices/enrol", &json!({ "code": "AAAA-AAAA", "device_name": "tablet" })),
        Call::post("/api/devices/enrol", &json!({ "code": "AAAA-AAAA", "kind": "phone" })),
        Call::post("/api/advisors/sign-in", &json!({ "advisor": "adv-1", "pin": "1111", "remember": true })),
        Call::post("/api/kiosk/lookup", &json!({ "by": "code", "code": "K7M4QX", "name": "王芳" })),
        Call::post("/api/kiosk/returning", &json!({ "plate": "沪A12345", "phone": "13800138001", "name": "王芳" })),
    ];
    for call in bad_requests {
        let what = format!("{} {}", call.uri, String::from_utf8_lossy(&call.body));
        let device = if call.uri.starts_with("/api/kiosk/") { &kiosk } else { &tablet };
        let reply = lane.send(call.by(device)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{what}: {}", reply.text);
        reply.expect_problem(StatusCode::BAD_REQUEST, "bad_request");
    }

    // Unknown fields inside a change, where the change's type decides the fields.
    let mut booking_with_extra = serde_json::to_value(mutation(&tablet, 1, Change::BookAppointment(booking(Utc::now(), 1)))).unwrap();
    booking_with_extra["change"]["discount"] = json!(100);
    let mut edit_with_extra = good.clone();
    edit_with_extra["change"]["force"] = json!(true);
    let mut advance_with_extra = serde_json::to_value(mutation(&tablet, 1, advance("visit-x", VisitState::Ready))).unwrap();
    advance_with_extra["change"]["skip_checks"] = json!(true);
    let mut check_in_with_extra = serde_json::to_value(mutation(&tablet, 1, check_in("visit-x", "demo-appt-0"))).unwrap();
    check_in_with_extra["change"]["vip"] = json!(true);
    for mutation in [booking_with_extra, edit_with_extra, advance_with_extra, check_in_with_extra] {
        let reply = lane.send(Call::post("/api/sync/push", &json!({ "mutations": [mutation] })).by(&tablet)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{mutation}: {}", reply.text);
        reply.expect_problem(StatusCode::BAD_REQUEST, "bad_request");
    }

    // Not JSON, or not said to be.
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let call = Call::post_raw("/api/sync/push", b"{\"mutations\":[]}".to_vec()).by(&tablet);
        let call = match content_type {
            Some(value) => call.header("content-type", value),
            None => call,
        };
        lane.send(call).await.expect_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    lane.send(Call::post_raw("/api/devices/enrol", b"{\"code\":\"AAAA-AAAA\"}".to_vec()))
        .await
        .expect_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");

    // Over 8 MiB, with and without a declared length.
    let mut big = b"{\"mutations\":[],\"pad\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 8 * 1024 * 1024 + 1));
    big.extend(b"\"}");
    let length = big.len().to_string();
    for declared in [true, false] {
        let call = Call::post_raw("/api/sync/push", big.clone()).header("content-type", "application/json").by(&tablet);
        let call = if declared { call.header("content-length", &length) } else { call };
        lane.send(call).await.expect_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }

    // The limit holds for what a gzip body inflates to; a small gzip body is read as usual.
    let bomb = gzip(big.clone()).await;
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let call = Call::post_raw("/api/sync/push", bomb).header("content-type", "application/json").header("content-encoding", "gzip");
    lane.send(call.by(&tablet)).await.expect_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let small = gzip(b"{\"mutations\":[]}".to_vec()).await;
    let call = Call::post_raw("/api/sync/push", small).header("content-type", "application/json").header("content-encoding", "gzip");
    assert_eq!(lane.send(call.by(&tablet)).await.expect(StatusCode::OK), &json!({ "results": [], "last_seq": 0 }));
    let call = Call::post_raw("/api/sync/push", b"{\"mutations\":[]}".to_vec()).header("content-type", "application/json; charset=utf-8");
    lane.send(call.by(&tablet)).await.expect(StatusCode::OK);

    // More than 1000 mutations in one push.
    let many: Vec<Mutation> = (1..=1001).map(|seq| mutation(&tablet, seq, edit_diagnosis("visit-x", 0, "x"))).collect();
    let message = push(&lane, &tablet, &many).await.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid").to_owned();
    assert!(message.contains("1000"), "{message}");

    // Pull: unknown parameters and malformed numbers are 400, out-of-range limits 422.
    for query in ["since=3", "cursor=1&limit=5&x=1", "cursor=-1", "cursor=abc", "limit=ten", "cursor=99999999999999999999"] {
        let reply = lane.send(Call::get(&format!("/api/sync/pull?{query}")).by(&tablet)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text);
        reply.expect_problem(StatusCode::BAD_REQUEST, "bad_request");
    }
    for query in ["limit=0", "limit=5000", "limit=1001", "cursor=18446744073709551615"] {
        let reply = lane.send(Call::get(&format!("/api/sync/pull?{query}")).by(&tablet)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.text);
        reply.expect_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    }
    lane.send(Call::get("/api/sync/pull?limit=1000").by(&tablet)).await.expect(StatusCode::OK);

    // Wrong methods and paths are problems too.
    lane.send(Call::get("/api/sync/push").by(&tablet)).await.expect_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    lane.send(Call::post("/api/sync/pull", &json!({})).by(&tablet)).await.expect_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    lane.send(Call::get("/api/sync").by(&tablet)).await.expect_problem(StatusCode::NOT_FOUND, "not_found");

    lane.assert_unchanged(&before, "bad input").await;
}

// ---------------------------------------------------------------------------------------------
// 7. OpenAPI
// ---------------------------------------------------------------------------------------------

async fn the_openapi_document_lists_every_route(lane: Lane) {
    let reply = lane.send(Call::get("/api/openapi.json")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "application/json");
    let doc = &reply.json;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Lane API");
    assert_eq!(doc["servers"], json!([{ "url": "/api" }]));

    let listed: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| operations.as_object().unwrap().keys().map(move |method| (method.clone(), format!("/api{path}"))))
        .collect();
    let served: BTreeSet<(String, String)> = [
        ("get", "/api/health"),
        ("post", "/api/admin/enrolment-codes"),
        ("post", "/api/devices/enrol"),
        ("get", "/api/admin/devices"),
        ("post", "/api/admin/devices/{id}/revoke"),
        ("post", "/api/advisors/sign-in"),
        ("post", "/api/advisors/sign-out"),
        ("get", "/api/kiosk/catalogue"),
        ("get", "/api/kiosk/slots"),
        ("post", "/api/kiosk/lookup"),
        ("post", "/api/kiosk/returning"),
        ("post", "/api/sync/push"),
        ("get", "/api/sync/pull"),
        ("put", "/api/photos/{id}"),
        ("get", "/api/photos/{id}"),
        ("get", "/api/signatures/{id}/verification"),
    ]
    .into_iter()
    .map(|(method, path)| (method.to_owned(), path.to_owned()))
    .collect();
    assert_eq!(listed, served);

    // Each listed operation is routed (an answer other than 404/405), and the method next to it is not.
    for (method, path) in &listed {
        let uri = path.replace("{id}", "some-device");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let reply = send_to(&lane.app.router, Call { method: method.clone(), uri: uri.clone(), headers: Vec::new(), body: Vec::new() }).await;
        assert!(![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&reply.status), "{method} {uri}: {}", reply.text);
        let other = if method == Method::POST { Method::GET } else { Method::POST };
        let reply = send_to(&lane.app.router, Call { method: other.clone(), uri: uri.clone(), headers: Vec::new(), body: Vec::new() }).await;
        reply.expect_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }

    // The security schemes, and which operations need which.
    let schemes = &doc["components"]["securitySchemes"];
    for scheme in ["device", "admin"] {
        assert_eq!(schemes[scheme]["type"], "http", "{scheme}");
        assert_eq!(schemes[scheme]["scheme"].as_str().map(str::to_lowercase).as_deref(), Some("bearer"), "{scheme}");
    }
    let security = |method: &str, path: &str| doc["paths"][path][method]["security"].clone();
    for (method, path) in
        [("get", "/sync/pull"), ("post", "/sync/push"), ("post", "/kiosk/lookup"), ("post", "/kiosk/returning"), ("get", "/kiosk/catalogue"), ("post", "/advisors/sign-in")]
    {
        assert_eq!(security(method, path), json!([{ "device": [] }]), "{method} {path}");
    }
    for (method, path) in [("get", "/admin/devices"), ("post", "/admin/enrolment-codes"), ("post", "/admin/devices/{id}/revoke")] {
        assert_eq!(security(method, path), json!([{ "admin": [] }]), "{method} {path}");
    }
    assert_eq!(security("post", "/devices/enrol"), Value::Null);

    // The problem shape and every error code are documented.
    let codes: BTreeSet<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    for code in ["unauthorized", "device_revoked", "sign_in_required", "wrong_pin", "pin_locked", "invalid_enrolment_code", "rate_limited", "payload_too_large"] {
        assert!(codes.contains(code), "{code} missing from {codes:?}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    for schema in [
        "PushRequest",
        "PushResponse",
        "PullResponse",
        "Mutation",
        "Change",
        "BookingRequest",
        "LookupRequest",
        "LookupResponse",
        "BookingSummary",
        "ReturningRequest",
        "ReturningResponse",
        "ReturningCustomer",
        "Receipt",
        "KioskFollowUp",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
    let schema = |name: &str| doc["components"]["schemas"][name].to_string();
    assert!(schema("Receipt").contains("checked_in"), "{}", schema("Receipt"));
    assert!(schema("Record").contains("kiosk_follow_up"), "{}", schema("Record"));
    for field in ["transport", "concerns"] {
        assert!(doc["components"]["schemas"]["BookingSummary"]["properties"][field].is_object(), "BookingSummary.{field} missing");
    }
}

// ---------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------

/// Bytes that start like a JPEG (the server reads only the magic), distinct by `n`.
fn jpeg(n: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend(std::iter::repeat_n(n, 2048));
    bytes
}

fn put_photo(id: &str, visit: &str, taken_at: &str, bytes: Vec<u8>) -> Call {
    Call { method: Method::PUT, uri: format!("/api/photos/{id}?visit={visit}&taken_at={taken_at}"), headers: Vec::new(), body: bytes }
        .header("content-type", "image/jpeg")
}

async fn photos_are_stored_once_with_their_capture_time_and_read_back(lane: Lane) {
    let tablet = tablet_for(&lane, "adv-1", "1111").await;
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 1, check_in("visit-1", "demo-appt-0"))]).await[0]);
    let taken = "2026-11-24T09:30:00.250Z";

    // Stored with the device's capture time, its digest, and an audit row.
    let reply = lane.send(put_photo("ph-1", "visit-1", taken, jpeg(1)).by(&tablet)).await;
    let stored = reply.expect(StatusCode::CREATED).clone();
    assert_eq!(stored["id"], "ph-1");
    assert_eq!(stored["visit"], "visit-1");
    assert_eq!(stored["taken_at"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap(), taken.parse::<DateTime<Utc>>().unwrap());
    assert_eq!(stored["byte_length"], 2052);
    assert_eq!(stored["sha256"], lane_domain::signature::Sha256::of(&jpeg(1)).to_string());
    assert_eq!(lane.scalar("SELECT taken_at FROM photos WHERE id = 'ph-1'").await, taken);
    assert_eq!(lane.count("audit_log WHERE action = 'photo.uploaded' AND record_id = 'ph-1' AND advisor_id = 'adv-1'").await, 1);

    // The same bytes again (a retry whose answer was lost): the same answer, nothing new.
    let before = lane.fingerprint().await;
    let again = lane.send(put_photo("ph-1", "visit-1", taken, jpeg(1)).by(&tablet)).await;
    assert_eq!(again.expect(StatusCode::OK)["sha256"], stored["sha256"]);
    lane.assert_unchanged(&before, "a repeated photo").await;
    assert_eq!(lane.count("photos").await, 1);

    // Other bytes under the same id, or the same bytes for another visit: a conflict.
    let reply = lane.send(put_photo("ph-1", "visit-1", taken, jpeg(2)).by(&tablet)).await;
    reply.expect_problem(StatusCode::CONFLICT, "conflict");
    assert_applied(&push_all(&lane, &tablet, &[mutation(&tablet, 2, check_in("visit-2", "demo-appt-1"))]).await[0]);
    let before_other_visit = lane.fingerprint().await;
    let reply = lane.send(put_photo("ph-1", "visit-2", taken, jpeg(1)).by(&tablet)).await;
    reply.expect_problem(StatusCode::CONFLICT, "conflict");
    lane.assert_unchanged(&before_other_visit, "a conflicting photo").await;

    // Refusals change nothing.
    let kiosk = enrol(&lane, "kiosk").await;
    let signed_out = Device { session: None, ..tablet.clone() };
    let mut too_large = jpeg(3);
    too_large.resize(lane_domain::photo::MAX_PHOTO_BYTES + 1, 0);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([0; 64]);
    let count = lane.count("photos").await;
    for (call, status, code) in [
        (put_photo("ph-2", "no-such-visit", taken, jpeg(3)).by(&tablet), StatusCode::NOT_FOUND, "not_found"),
        (put_photo("ph-2", "visit-1", taken, b"GIF89a not a photo".to_vec()).by(&tablet), StatusCode::BAD_REQUEST, "bad_request"),
        (put_photo("ph-2", "visit-1", taken, Vec::new()).by(&tablet), StatusCode::BAD_REQUEST, "bad_request"),
        (put_photo("ph-2", "visit-1", taken, too_large).by(&tablet), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (put_photo("ph-2", "visit-1", "yesterday", jpeg(3)).by(&tablet), StatusCode::BAD_REQUEST, "bad_request"),
        (put_photo("ph%202", "visit-1", taken, jpeg(3)).by(&tablet), StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        (Call { uri: "/api/photos/ph-2".into(), ..put_photo("ph-2", "visit-1", taken, jpeg(3)) }.by(&tablet), StatusCode::BAD_REQUEST, "bad_request"),
        (put_photo("ph-2", "visit-1", taken, jpeg(3)).by(&kiosk), StatusCode::FORBIDDEN, "forbidden"),
        (put_photo("ph-2", "visit-1", taken, jpeg(3)).by(&signed_out), StatusCode::FORBIDDEN, "sign_in_required"),
        (put_photo("ph-2", "visit-1", taken, jpeg(3)), StatusCode::UNAUTHORIZED, "unauthorized"),
    ] {
        let uri = call.uri.clone();
        lane.send(call).await.expect_problem(status, code);
        assert_eq!(lane.count("photos").await, count, "{uri}");
    }
    assert_eq!(lane.count("audit_log WHERE action = 'photo.uploaded'").await, 1);
    // A PNG is a photo too.
    lane.send(put_photo("ph-3", "visit-1", taken, png.clone()).by(&tablet)).await.expect(StatusCode::CREATED);

    // Read back byte for byte by a tablet (signed in or not), with its type; never by a kiosk.
    for (id, bytes, media_type) in [("ph-1", jpeg(1), "image/jpeg"), ("ph-3", png, "image/png")] {
        let response = respond(&lane.app.router, Call::get(&format!("/api/photos/{id}")).by(&signed_out)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], media_type);
        assert_eq!(body_bytes(response).await, bytes);
    }
    lane.send(Call::get("/api/photos/ph-1").by(&kiosk)).await.expect_problem(StatusCode::FORBIDDEN, "forbidden");
    lane.send(Call::get("/api/photos/ph-9").by(&tablet)).await.expect_problem(StatusCode::NOT_FOUND, "not_found");
}
