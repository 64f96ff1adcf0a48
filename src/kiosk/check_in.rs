//! `/kiosk/check-in`: a customer with a booking checks in (接待, DOMAIN.md step 2): finds it by
//! confirmation code or by plate and the phone's last four digits, confirms it is theirs, adds
//! to the concerns in their own words, takes their valuables, and gets the key tag number.
//!
//! A lookup answers a hit and a miss alike and shows only masked details (`lane_domain::kiosk`);
//! after five misses the kiosk sends the customer to the desk.

use super::api::{self, Found, Lookup};
use super::draft::Draft;
use super::fields::{aria, text, TextField, Typing};
use crate::format;
use super::frame::{Flow, KioskScreen, Step};
use super::keypad;
use super::arrival::{check_in, KeyTag, Outcome, ValuablesStep};
use super::steps::{service_names, use_catalogue, Detail, DetailStep};
use crate::api::ApiFailure;
use crate::connection::use_connection;
use crate::i18n::{use_i18n, Msg};
use crate::sync::use_sync;
use lane_domain::appointment::{ConfirmationCode, Transport};
use lane_domain::ids::AppointmentId;
use lane_domain::sync::Arrival;
use leptos::prelude::*;
use leptos_router::components::A;

#[derive(Clone, Copy)]
enum Stage {
    Find,
    Confirm,
    Detail(Detail),
    Valuables,
}

const STAGES: [Stage; 4] = [Stage::Find, Stage::Confirm, Stage::Detail(Detail::Concerns), Stage::Valuables];
/// Misses before the kiosk asks the customer to see an advisor.
const MAX_MISSES: u8 = 5;

#[component]
pub fn KioskCheckIn() -> impl IntoView {
    view! { <KioskScreen><CheckIn /></KioskScreen> }
}

#[component]
fn CheckIn() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let (draft, flow) = (Draft::provide(), Flow::new(STAGES.len()));
    let found = RwSignal::new(None::<Found>);
    let outcome: Outcome = RwSignal::new(None);
    let welcome = RwSignal::new(None::<String>);
    let on_found = Callback::new(move |booking: Found| {
        draft.concerns.set(booking.concerns.clone());
        draft.transport.set(transport(&booking.transport));
        found.set(Some(booking));
        flow.at.set(1);
    });
    let finish = Callback::new(move |_| {
        let (Some(booking), Some(concerns)) = (found.get_untracked(), draft.checked_concerns()) else { return };
        let (Ok(appointment), Ok(code)) = (AppointmentId::parse(&booking.appointment), ConfirmationCode::parse(&booking.code)) else { return };
        check_in(sync.clone(), Arrival::Booked(appointment), draft.transport.get_untracked(), concerns, code, booking.advisor_name, outcome);
    });
    move || {
        if let Some(Ok(checked_in)) = outcome.get() {
            return view! { <KeyTag checked_in leave=flow.leave /> }.into_any();
        }
        let stage = STAGES[flow.here()];
        let (back, next, (step, total)) = (flow.back(), flow.next(), flow.count());
        match stage {
            Stage::Find => view! {
                <Step title=Msg::KioskFindTitle step total back>
                    <FindBooking found=on_found />
                </Step>
            }
            .into_any(),
            Stage::Confirm => view! {
                <Step title=Msg::KioskConfirmTitle step total back next next_label=Msg::KioskConfirmYes>
                    <Booking booking=found.get_untracked().expect("found before confirming") />
                    <button type="button" on:click=move |_| flow.at.set(0)>{i18n.msg(Msg::KioskConfirmNo)}</button>
                </Step>
            }
            .into_any(),
            Stage::Detail(detail) => view! { <DetailStep detail step total back next welcome /> }.into_any(),
            Stage::Valuables => view! { <ValuablesStep step total back finish outcome /> }.into_any(),
        }
    }
}

/// The booking's transport choice as the server names it (`lane_domain::appointment::Transport`).
fn transport(tag: &str) -> Transport {
    match tag {
        "loaner" => Transport::Loaner,
        "shuttle" => Transport::Shuttle,
        "drop_off" => Transport::DropOff,
        _ => Transport::Wait,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Code,
    Plate,
}

/// The lookup form: by code, or by plate and the phone's last four digits, each on a keypad.
#[component]
fn FindBooking(found: Callback<Found>) -> impl IntoView {
    let (i18n, sync, connection) = (use_i18n(), use_sync(), use_connection());
    let by = RwSignal::new(By::Code);
    let (code, plate, last4) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let misses = RwSignal::new(0u8);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Msg>);
    let find = move |_| {
        if busy.get_untracked() {
            return;
        }
        let lookup = match by.get_untracked() {
            By::Code => Lookup::Code(code.get_untracked()),
            By::Plate => Lookup::Plate { plate: plate.get_untracked(), last4: last4.get_untracked() },
        };
        busy.set(true);
        message.set(None);
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = api::lookup(&sync, lookup).await;
            busy.try_set(false);
            let problem = match outcome {
                Ok(Some(booking)) => {
                    // The customer may have left meanwhile (Start over, or the idle reset).
                    found.try_run(booking);
                    return;
                }
                Ok(None) => {
                    misses.try_update(|m| *m += 1);
                    Msg::KioskFindMiss
                }
                Err(ApiFailure::Network) => Msg::KioskFindOffline,
                // Rate-limited, or anything else: a person at the desk helps best.
                Err(_) => Msg::KioskFindSeeDesk,
            };
            message.try_set(Some(problem));
        });
    };
    let tab = move |which: By, label: Msg| {
        let pressed = aria(move || by.get() == which);
        view! { <button type="button" class="keypad-tab" aria-pressed=pressed on:click=move |_| { by.set(which); message.set(None); }>{i18n.msg(label)}</button> }
    };
    let none = Signal::derive(|| None::<String>);
    let blocked = Signal::derive(move || misses.get() >= MAX_MISSES || !connection.online.get());
    let note = text(move || {
        let note = if misses.get() >= MAX_MISSES {
            Some(Msg::KioskFindSeeDesk)
        } else if !connection.online.get() {
            Some(Msg::KioskFindOffline)
        } else {
            message.get()
        };
        note.map(|m| i18n.t(m).to_owned()).unwrap_or_default()
    });
    view! {
        <p class="error" role="alert">{note}</p>
        <div hidden=blocked>
            <div class="keypad-tabs" role="group" aria-label=i18n.msg(Msg::KioskFindTitle)>
                {tab(By::Code, Msg::KioskFindByCode)}
                {tab(By::Plate, Msg::KioskFindByPlate)}
            </div>
            <div hidden=Signal::derive(move || by.get() != By::Code)>
                <TextField id="code" label=Msg::KioskFindCode value=code typing=Typing::Keypad { keys: keypad::CODE, max: 6 } error=none />
            </div>
            <div hidden=Signal::derive(move || by.get() != By::Plate)>
                <TextField id="plate" label=Msg::KioskCarPlate value=plate typing=Typing::Keypad { keys: keypad::PLATE, max: 12 } error=none />
                <TextField id="last4" label=Msg::KioskFindLast4 value=last4 typing=Typing::Keypad { keys: keypad::DIGITS, max: 4 } error=none />
            </div>
            <button type="button" class="primary" aria-disabled=aria(move || busy.get()) on:click=find>
                {text(move || i18n.t(if busy.get() { Msg::KioskFindSearching } else { Msg::KioskFindSubmit }).to_owned())}
            </button>
        </div>
        <A href="/kiosk/walk-in" attr:class="button">{i18n.msg(Msg::KioskFindWalkIn)}</A>
    }
}

/// The booking found, masked: enough for the customer to recognise it as theirs.
#[component]
fn Booking(booking: Found) -> impl IntoView {
    let i18n = use_i18n();
    let services = service_names(use_catalogue(), Signal::derive({
        let services = booking.services.clone();
        move || services.clone()
    }));
    let millis = format::millis(&booking.slot_start);
    let when = text(move || format::moment(millis, i18n.language()));
    view! {
        <dl class="summary">
            <dt>{i18n.msg(Msg::KioskConfirmName)}</dt><dd>{booking.name_masked}</dd>
            <dt>{i18n.msg(Msg::KioskConfirmPlate)}</dt><dd>{booking.plate_masked}</dd>
            <dt>{i18n.msg(Msg::KioskReviewTime)}</dt><dd>{when}</dd>
            <dt>{i18n.msg(Msg::KioskReviewServices)}</dt><dd>{services}</dd>
            {booking.advisor_name.map(|name| view! { <dt>{i18n.msg(Msg::KioskConfirmAdvisor)}</dt><dd>{name}</dd> })}
        </dl>
    }
}
