//! Today's board (DOMAIN.md step 2): customers waiting since they checked in, longest first, with
//! the client's one-minute rule shown; visits under way; bookings still expected, which the
//! advisor can check in from the tablet. Everything comes from the tablet's synced records, so the
//! board works offline. Search by plate, name or confirmation code. A car in the workshop shows
//! the next deadline the domain derives (`Visit::next_deadline`), highlighted when at risk, and a
//! late job (`Visit::is_late`) a prompt to tell the customer before the promised time.

use crate::fields::{aria, text};
use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::random;
use crate::sync::{use_records, use_sync};
use lane_domain::ids::{AppointmentId, VisitId};
use lane_domain::sync::{Arrival, Change, CheckIn};
use lane_domain::visit::{Parties, Visit};
use lane_domain::workshop::{Deadline, DeadlineKind};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// The client's rule: a customer who checked in is attended within a minute.
const ATTEND_WITHIN_MS: f64 = 60_000.0;

#[derive(Clone, PartialEq)]
struct Row {
    /// The visit, once the customer checked in.
    visit: Option<String>,
    appointment: Option<String>,
    customer: String,
    vehicle: String,
    state: String,
    /// Check-in time for a visit, the slot for a booking.
    at: f64,
    code: String,
    concerns: String,
    /// The visit's JSON while the car is in the workshop, read with serde by its row: its
    /// deadlines are the domain's to derive. (Kept as text so comparing rows stays cheap.)
    record: Option<String>,
}

fn read_visit(record: &JsValue) -> Option<Row> {
    let state = js::text(record, "state")?;
    let in_workshop = state == "in_workshop" || state == "quality_check";
    let json = || js_sys::JSON::stringify(record).ok().map(String::from);
    (state != "delivered").then(|| Row {
        record: if in_workshop { json() } else { None },
        visit: js::text(record, "id"),
        appointment: js::text(record, "appointment"),
        customer: js::text(record, "customer").unwrap_or_default(),
        vehicle: js::text(record, "vehicle").unwrap_or_default(),
        state,
        at: format::millis(&js::text(record, "checked_in_at").unwrap_or_default()),
        code: String::new(),
        concerns: js::text(record, "concerns").unwrap_or_default(),
    })
}

fn read_booking(record: &JsValue) -> Option<Row> {
    (js::text(record, "status")? == "booked").then(|| Row {
        record: None,
        visit: None,
        appointment: js::text(record, "id"),
        customer: js::text(record, "customer").unwrap_or_default(),
        vehicle: js::text(record, "vehicle").unwrap_or_default(),
        state: String::new(),
        at: format::millis(&js::text(record, "slot_start").unwrap_or_default()),
        code: js::text(record, "code").unwrap_or_default(),
        concerns: js::text(record, "concerns").unwrap_or_default(),
    })
}

fn read_named(record: &JsValue) -> Option<(String, String)> {
    let name = js::text(record, "name").or_else(|| {
        let plate = js::text(record, "plate")?;
        Some(format!("{plate} · {} {}", js::text(record, "make").unwrap_or_default(), js::text(record, "model").unwrap_or_default()))
    })?;
    Some((js::text(record, "id")?, name))
}

/// Milliseconds now, ticking every few seconds so waiting times move on.
pub(crate) fn clock() -> ReadSignal<f64> {
    let (now, set_now) = signal(js_sys::Date::now());
    if let Ok(timer) = set_interval_with_handle(move || { set_now.try_set(js_sys::Date::now()); }, Duration::from_secs(5)) {
        on_cleanup(move || timer.clear());
    }
    now
}

#[component]
pub fn Board() -> impl IntoView {
    let i18n = use_i18n();
    let visits = use_records("visit", read_visit);
    let bookings = use_records("appointment", read_booking);
    let customers = use_records("customer", read_named);
    let vehicles = use_records("vehicle", read_named);
    let search = RwSignal::new(String::new());
    let now = clock();
    let (today_start, _) = format::local_day(0);
    let (tomorrow, _) = format::local_day(1);
    let (from, to) = (format::millis(&format!("{today_start}T00:00:00")), format::millis(&format!("{tomorrow}T00:00:00")));
    let name_of = move |list: Signal<Option<Vec<(String, String)>>>, id: &str| {
        list.with(|all| all.iter().flatten().find(|(i, _)| i == id).map(|(_, n)| n.clone())).unwrap_or_default()
    };
    // Rows with the names filled in, matching the search.
    let rows = Memo::new(move |_| {
        let wanted = search.get().trim().to_lowercase();
        let arrived: Vec<String> = visits.with(|v| v.iter().flatten().filter_map(|r| r.appointment.clone()).collect());
        let mut all: Vec<Row> = visits.get().unwrap_or_default();
        all.extend(
            bookings.get().unwrap_or_default().into_iter().filter(|b| b.at >= from && b.at < to && !arrived.contains(b.appointment.as_ref().unwrap())),
        );
        all.into_iter()
            .map(|mut row| {
                row.customer = name_of(customers, &row.customer);
                row.vehicle = name_of(vehicles, &row.vehicle);
                row
            })
            .filter(|row| wanted.is_empty() || [&row.customer, &row.vehicle, &row.code].iter().any(|f| f.to_lowercase().contains(&wanted)))
            .collect::<Vec<_>>()
    });
    let section = move |title: Msg, empty: Msg, pick: fn(&Row) -> bool| {
        let list = Memo::new(move |_| {
            let mut list: Vec<Row> = rows.with(|r| r.iter().filter(|row| pick(row)).cloned().collect());
            list.sort_by(|a, b| a.at.total_cmp(&b.at));
            list
        });
        view! {
            <section class="board-section">
                <h2>{i18n.msg(title)}</h2>
                {move || {
                    let list = list.get();
                    if list.is_empty() {
                        view! { <p class="quiet">{i18n.msg(empty)}</p> }.into_any()
                    } else {
                        view! { <ul class="board-list">{list.into_iter().map(|row| view! { <BoardRow row now /> }).collect_view()}</ul> }.into_any()
                    }
                }}
            </section>
        }
    };
    view! {
        <div class="board">
            <div class="board-actions">
                <a class="button primary" href="/advisor/walk-in">{i18n.msg(Msg::TabletBoardWalkIn)}</a>
                <a class="button" href="/advisor/follow-ups">{i18n.msg(Msg::FollowUpsLink)}</a>
            </div>
            <div class="field board-search">
                <label for="board-search">{i18n.msg(Msg::TabletBoardSearch)}</label>
                <input id="board-search" type="search" autocomplete="off" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
            </div>
            {section(Msg::TabletBoardWaiting, Msg::TabletBoardNoneWaiting, |row| row.state == "checked_in")}
            {section(Msg::TabletBoardUnderWay, Msg::TabletBoardNoneUnderWay, |row| row.visit.is_some() && row.state != "checked_in")}
            {section(Msg::TabletBoardExpected, Msg::TabletBoardNoneExpected, |row| row.visit.is_none())}
        </div>
    }
}

#[component]
fn BoardRow(row: Row, now: ReadSignal<f64>) -> impl IntoView {
    let i18n = use_i18n();
    let Row { visit, appointment, customer, vehicle, state, at, code, concerns, record } = row;
    let record = StoredValue::new(record.and_then(|json| serde_json::from_str::<Visit>(&json).ok()));
    let instant = move || DateTime::<Utc>::from_timestamp_millis(now.get() as i64).unwrap_or_default();
    let deadline = Signal::derive(move || record.with_value(|v| v.as_ref().and_then(|v| v.next_deadline(instant()))));
    let late = Memo::new(move |_| record.with_value(|v| v.as_ref().is_some_and(|v| v.is_late(instant()))));
    let at_risk = aria(move || deadline.get().is_some_and(|d| d.at_risk));
    let deadline_said = text(move || {
        deadline.get().map_or_else(String::new, |d| {
            let said = deadline_text(i18n, d);
            if d.at_risk { i18n.t_with(Msg::BoardDeadlineAtRisk, &[("deadline", &said)]) } else { said }
        })
    });
    // Only a car in the workshop has one.
    let deadline_view = record.with_value(Option::is_some).then(|| view! { <span class="board-deadline" data-risk=at_risk>{deadline_said}</span> });
    let promised = record.with_value(|v| v.as_ref().and_then(|v| v.promised_at));
    let who = customer.clone();
    let late_prompt = move |visit: String| {
        let who = who.clone();
        move || {
            late.get().then(|| {
                let time = promised.map(|p| format::time(p.timestamp_millis() as f64, i18n.language())).unwrap_or_default();
                let said = i18n.t_with(Msg::BoardDeadlineLate, &[("name", &who), ("time", &time)]);
                view! { <a class="board-late" href=format!("/advisor/visits/{visit}")>{said}</a> }
            })
        }
    };
    let waiting = state == "checked_in";
    let waited_long = aria(move || waiting && now.get() - at > ATTEND_WITHIN_MS);
    let when = text(move || {
        if waiting {
            let minutes = ((now.get() - at) / 60_000.0).floor().max(0.0) as u32;
            i18n.t_with(Msg::TabletBoardWaitingFor, &[("minutes", &minutes.to_string())])
        } else {
            format::time(at, i18n.language())
        }
    });
    let state_text = text(move || state_name(i18n, &state));
    let title = format!("{customer} · {vehicle}");
    let details = view! {
        <span class="board-who">{customer.clone()}</span>
        <span class="board-car">{vehicle}</span>
        <span class="board-when" data-late=waited_long>{when}</span>
        <span class="board-state">{state_text}</span>
        {deadline_view}
        <span class="board-concerns">{concerns}</span>
    };
    match visit {
        Some(visit) => view! {
            <li>
                <a class="board-row" href=format!("/advisor/visits/{visit}") aria-label=title>{details}</a>
                {late_prompt(visit.clone())}
            </li>
        }
        .into_any(),
        None => {
            let (sync, navigate) = (use_sync(), use_navigate());
            let check_in = move |_| start_visit(sync.clone(), navigate.clone(), appointment.clone());
            let label = i18n.t_with(Msg::TabletBoardCheckInNamed, &[("name", &customer)]);
            view! {
                <li class="board-row">
                    {details}
                    <span class="board-code">{code}</span>
                    <button type="button" class="primary" aria-label=label on:click=check_in>{i18n.msg(Msg::TabletBoardCheckIn)}</button>
                </li>
            }
            .into_any()
        }
    }
}

fn state_name(i18n: crate::i18n::I18n, state: &str) -> String {
    let msg = match state {
        "" => Msg::TabletStateBooked,
        "checked_in" => Msg::TabletStateCheckedIn,
        "walk_around_done" => Msg::TabletStateWalkAroundDone,
        "written_up_and_signed" => Msg::TabletStateSigned,
        "quality_check" => Msg::BoardDeadlineStateQualityCheck,
        "ready" => Msg::BoardDeadlineStateReady,
        _ => Msg::TabletStateInWorkshop,
    };
    i18n.t(msg).to_owned()
}

/// "Progress check by 10:30": which deadline comes next, and when.
fn deadline_text(i18n: crate::i18n::I18n, deadline: Deadline) -> String {
    let msg = match deadline.kind {
        DeadlineKind::ProgressCheck => Msg::BoardDeadlineProgressCheck,
        DeadlineKind::PickupNotice => Msg::BoardDeadlinePickupNotice,
        DeadlineKind::Promised => Msg::BoardDeadlinePromised,
    };
    i18n.t_with(msg, &[("time", &format::time(deadline.due.timestamp_millis() as f64, i18n.language()))])
}

/// Checks a booked customer in from the tablet (the customer came to the desk, not the kiosk),
/// and opens their visit.
fn start_visit(sync: crate::sync::SyncEngine, navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static, appointment: Option<String>) {
    let Some(appointment) = appointment.and_then(|id| AppointmentId::parse(&id).ok()) else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(store) = sync.store().await else { return };
        let Ok(Some(booking)) = store.record::<lane_domain::appointment::Appointment>("appointment", appointment.as_str()).await else { return };
        let visit = VisitId::parse(&random::uuid_v4()).expect("a UUID is an id");
        let check_in = CheckIn { visit: visit.clone(), arrival: Arrival::Booked(appointment.clone()), transport: booking.transport, concerns: booking.concerns.clone(), key_tag: None, parties: None };
        let parties = Parties { customer: booking.customer.clone(), vehicle: booking.vehicle.clone(), advisor: booking.advisor.clone() };
        let record = Visit::check_in(&check_in, Some(appointment), parties, chrono::Utc::now());
        if sync.save("visit", visit.as_str(), &record, Change::CheckIn(check_in)).await.is_ok() {
            navigate(&format!("/advisor/visits/{visit}"), Default::default());
        }
    });
}
