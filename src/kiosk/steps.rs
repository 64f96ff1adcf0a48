//! The steps the kiosk's flows share: what they edit is the flow's [`Draft`]; which step comes
//! next is the flow's business (each flow lists its stages in order).

use super::api::{self, Returning};
use super::draft::{use_draft, Draft};
use super::fields::{aria, text, TextArea, TextField, Typing, TEXT};
use crate::format;
use super::frame::Step;
use super::keypad;
use crate::connection::use_connection;
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::sync::{use_records, use_sync, SyncEngine};
use chrono::{DateTime, Utc};
use lane_domain::appointment::Transport;
use lane_domain::ids::ServiceTypeId;
use leptos::prelude::*;

/// A service of the catalogue as the kiosk shows it.
#[derive(Clone)]
pub struct Service {
    pub id: ServiceTypeId,
    /// Every language's name, read from `lane_domain::catalogue::LocalizedText`.
    names: wasm_bindgen::JsValue,
    minutes: u64,
    price_minor: f64,
    currency: String,
}

impl Service {
    pub fn name(&self, language: lane_domain::Language) -> String {
        js::text(&self.names, language.tag()).unwrap_or_default()
    }
}

/// The catalogue the kiosk pulled (`lane_domain::catalogue::ServiceType` records), read again
/// after every pull that brought records.
pub fn use_catalogue() -> Signal<Option<Vec<Service>>> {
    use_records("service_type", |record| {
        let price = js::field(record, "price");
        Some(Service {
            id: ServiceTypeId::parse(&js::text(record, "id")?).ok()?,
            names: js::field(record, "names"),
            minutes: js::count(record, "duration_minutes")?,
            price_minor: js::field(&price, "minor").as_f64()?,
            currency: js::text(&price, "currency")?,
        })
    })
}

/// The names of chosen services, in the current language, joined.
pub fn service_names(catalogue: Signal<Option<Vec<Service>>>, chosen: Signal<Vec<String>>) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let language = i18n.language();
        let all = catalogue.get().unwrap_or_default();
        chosen.get().iter().filter_map(|id| all.iter().find(|s| s.id.as_str() == id)).map(|s| s.name(language)).collect::<Vec<_>>().join(", ")
    })
}

/// The catalogue as toggle buttons; the chosen ones are the draft's services.
#[component]
pub(crate) fn ServiceChoice() -> impl IntoView {
    let (i18n, draft) = (use_i18n(), use_draft());
    let catalogue = use_catalogue();
    let list = move || {
        let language = i18n.language();
        catalogue.get().map(|services| {
            services
                .into_iter()
                .map(|service| {
                    let id = service.id.clone();
                    let chosen = {
                        let id = id.clone();
                        aria(move || draft.services.with(|s| s.contains(&id)))
                    };
                    let toggle = move |_| draft.services.update(|s| match s.iter().position(|x| *x == id) {
                        Some(at) => drop(s.remove(at)),
                        None => s.push(id.clone()),
                    });
                    let minutes = i18n.t_with(Msg::KioskServicesMinutes, &[("minutes", &service.minutes.to_string())]);
                    let price = i18n.t_with(Msg::KioskServicesPrice, &[("price", &format::money(service.price_minor, &service.currency, language))]);
                    view! {
                        <li>
                            <button type="button" class="choice" aria-pressed=chosen on:click=toggle>
                                <span class="choice-title">{service.name(language)}</span>
                                <span class="choice-hint">{minutes}" · "{price}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <p>{i18n.msg(Msg::KioskServicesHint)}</p>
        <p class="error" role="alert">{text(move || draft.error("services").get().unwrap_or_default())}</p>
        <p hidden=Signal::derive(move || catalogue.with(Option::is_some))>{i18n.msg(Msg::KioskServicesLoading)}</p>
        <ul class="choices services">{list}</ul>
    }
}

/// What the kiosk knows of one day's free times.
#[derive(Clone, PartialEq)]
enum Day {
    Loading,
    Free(Vec<String>),
    /// No answer from the server, nor a remembered one.
    Unknown,
}

const DAYS_AHEAD: u32 = 14;

/// The next two weeks as day buttons, and the chosen day's free times; choosing a time calls
/// `chosen`. `notice` says why the customer is here again (their time was taken).
#[component]
pub fn TimeChoice(chosen: Callback<()>, notice: Option<Msg>) -> impl IntoView {
    let (i18n, draft, sync, connection) = (use_i18n(), use_draft(), use_sync(), use_connection());
    let days: Vec<(String, f64)> = (0..DAYS_AHEAD).map(format::local_day).collect();
    let free = RwSignal::new(vec![Day::Loading; days.len()]);
    // Every day at once: a day with no room shows as full before it is tapped, and the service
    // worker remembers each answer for a time without network.
    for (at, (key, _)) in days.iter().cloned().enumerate() {
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let day = match api::free_slots(&sync, &key).await {
                Ok(slots) => Day::Free(slots),
                Err(_) => Day::Unknown,
            };
            free.try_update(|all| all[at] = day);
        });
    }
    let shown = RwSignal::new(0usize);
    // Open on the first day with room once the answers are in.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        free.with(|all| match all.iter().position(|d| matches!(d, Day::Free(s) if !s.is_empty())) {
            Some(at) if all[..at].iter().all(|d| *d != Day::Loading) => {
                shown.set(at);
                true
            }
            _ => false,
        })
    });
    let day_buttons = {
        let days = days.clone();
        move || {
            let language = i18n.language();
            days.iter()
                .enumerate()
                .map(|(at, (_, millis))| {
                    let label = match at {
                        0 => i18n.t(Msg::KioskTimeToday).to_owned(),
                        1 => i18n.t(Msg::KioskTimeTomorrow).to_owned(),
                        _ => format::short_day(*millis, language),
                    };
                    let pressed = aria(move || shown.get() == at);
                    view! { <button type="button" class="day" aria-pressed=pressed on:click=move |_| shown.set(at)>{label}</button> }
                })
                .collect_view()
        }
    };
    let pick = move |start: String| {
        // The browser's parser: chrono's would add its whole parsing machinery to the bundle.
        draft.slot.set(DateTime::<Utc>::from_timestamp_millis(format::millis(&start) as i64));
        chosen.run(());
    };
    let times = move || {
        let language = i18n.language();
        match free.with(|all| all[shown.get()].clone()) {
            Day::Loading => view! { <p>{i18n.msg(Msg::KioskTimeLoading)}</p> }.into_any(),
            Day::Unknown => view! { <p class="notice">{i18n.msg(Msg::KioskTimeUnavailable)}</p> }.into_any(),
            Day::Free(slots) if slots.is_empty() => view! { <p>{i18n.msg(Msg::KioskTimeNone)}</p> }.into_any(),
            Day::Free(slots) => {
                let buttons = slots
                    .into_iter()
                    .map(|start| {
                        let label = format::time(format::millis(&start), language);
                        view! { <li><button type="button" class="time" on:click=move |_| pick(start.clone())>{label}</button></li> }
                    })
                    .collect_view();
                view! { <ul class="times">{buttons}</ul> }.into_any()
            }
        }
    };
    let day_name = text(move || format::day(days[shown.get()].1, i18n.language()));
    view! {
        {notice.map(|notice| view! { <p class="notice" role="alert">{i18n.msg(notice)}</p> })}
        <p class="notice" hidden=connection.online>{i18n.msg(Msg::KioskTimeOffline)}</p>
        <div class="days" role="group" aria-label=i18n.msg(Msg::KioskTimeDays)>{day_buttons}</div>
        <h2>{day_name}</h2>
        <div role="group" aria-label=i18n.msg(Msg::KioskTimeTimes)>{times}</div>
    }
}

/// Plate and phone: together they find a returning customer, whose details then fill the next
/// steps (only after both match, see `lane_domain::kiosk`).
#[component]
pub(crate) fn PlateAndPhone() -> impl IntoView {
    let (i18n, draft) = (use_i18n(), use_draft());
    view! {
        <p>{i18n.msg(Msg::KioskCarHint)}</p>
        <TextField id="plate" label=Msg::KioskCarPlate value=draft.plate typing=Typing::Keypad { keys: keypad::PLATE, max: 12 } error=draft.error("plate") />
        <TextField id="phone" label=Msg::KioskCarPhone value=draft.phone typing=Typing::Keyboard { mode: "tel", autocomplete: "off" } error=draft.error("phone") />
    }
}

/// Asks the server for a returning customer with this plate and phone, and fills in what the
/// customer has not typed yet. Offline, or for a new customer, nothing changes.
async fn recognise(sync: SyncEngine, draft: Draft, welcome: RwSignal<Option<String>>) {
    welcome.try_set(None);
    let Ok(Some(found)) = api::returning(&sync, &draft.plate.get_untracked(), &draft.phone.get_untracked()).await else { return };
    let Returning { name, email, make, model, year, vin } = found;
    let fill = |field: RwSignal<String>, value: String| {
        if field.with_untracked(|f| f.trim().is_empty()) {
            field.try_set(value);
        }
    };
    fill(draft.name, name.clone());
    fill(draft.email, email.unwrap_or_default());
    fill(draft.make, make);
    fill(draft.model, model);
    fill(draft.year, year.map(|y| y.to_string()).unwrap_or_default());
    fill(draft.vin, vin.unwrap_or_default());
    welcome.try_set(Some(name));
}

/// The car, prefilled for a returning customer, whom it welcomes back.
#[component]
pub(crate) fn VehicleFields(welcome: RwSignal<Option<String>>) -> impl IntoView {
    let (i18n, draft) = (use_i18n(), use_draft());
    view! {
        <p class="notice" role="status" hidden=Signal::derive(move || welcome.with(Option::is_none))>
            {text(move || welcome.get().map(|name| i18n.t_with(Msg::KioskCarWelcomeBack, &[("name", &name)])).unwrap_or_default())}
        </p>
        <TextField id="make" label=Msg::KioskVehicleMake value=draft.make typing=TEXT error=draft.error("make") />
        <TextField id="model" label=Msg::KioskVehicleModel value=draft.model typing=TEXT error=draft.error("model") />
        <TextField id="year" label=Msg::KioskVehicleYear value=draft.year typing=Typing::Digits error=draft.error("year") />
        <TextField id="mileage" label=Msg::KioskVehicleMileage value=draft.mileage typing=Typing::Digits error=draft.error("mileage") />
        <TextField id="vin" label=Msg::KioskVehicleVin value=draft.vin typing=TEXT error=draft.error("vin") />
    }
}

#[component]
pub(crate) fn ContactFields() -> impl IntoView {
    let draft = use_draft();
    view! {
        <TextField id="name" label=Msg::KioskContactName value=draft.name typing=Typing::Keyboard { mode: "text", autocomplete: "off" } error=draft.error("name") />
        <TextField id="email" label=Msg::KioskContactEmail value=draft.email typing=Typing::Keyboard { mode: "email", autocomplete: "off" } error=draft.error("email") />
    }
}

const TRANSPORTS: [(Transport, Msg); 4] = [
    (Transport::Wait, Msg::KioskTransportWait),
    (Transport::Loaner, Msg::KioskTransportLoaner),
    (Transport::Shuttle, Msg::KioskTransportShuttle),
    (Transport::DropOff, Msg::KioskTransportDropOff),
];

/// The prompts of the inquiry (DOMAIN.md step 3): each adds its question to the concerns, for
/// the customer to answer in their own words.
const PROMPTS: [Msg; 4] = [Msg::KioskConcernsWhen, Msg::KioskConcernsWhere, Msg::KioskConcernsHowOften, Msg::KioskConcernsConditions];

/// How the customer gets on meanwhile, and the concerns in their own words.
#[component]
pub(crate) fn ConcernsFields() -> impl IntoView {
    let (i18n, draft) = (use_i18n(), use_draft());
    let transports = TRANSPORTS
        .into_iter()
        .map(|(transport, label)| {
            let pressed = aria(move || draft.transport.get() == transport);
            view! { <button type="button" class="choice" aria-pressed=pressed on:click=move |_| draft.transport.set(transport)>{i18n.msg(label)}</button> }
        })
        .collect_view();
    let prompts = PROMPTS
        .into_iter()
        .map(|prompt| {
            let add = move |_| {
                draft.concerns.update(|text| {
                    if !text.trim().is_empty() {
                        text.push('\n');
                    }
                    text.push_str(i18n.t(prompt));
                    text.push(' ');
                });
                if let Some(area) = document().get_element_by_id("concerns") {
                    let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&area).focus();
                }
            };
            view! { <button type="button" class="prompt" on:click=add>{i18n.msg(prompt)}</button> }
        })
        .collect_view();
    view! {
        <div class="transports" role="group" aria-label=i18n.msg(Msg::KioskTransportLabel)>
            <h2>{i18n.msg(Msg::KioskTransportLabel)}</h2>
            {transports}
        </div>
        <TextArea id="concerns" label=Msg::KioskConcernsLabel value=draft.concerns error=draft.error("concerns") />
        <div class="prompts" role="group" aria-label=i18n.msg(Msg::KioskConcernsPrompts)>{prompts}</div>
    }
}

/// The customer's details, asked the same way when booking and when walking in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Services,
    Car,
    Vehicle,
    Contact,
    Concerns,
}

impl Detail {
    fn title(self) -> Msg {
        match self {
            Detail::Services => Msg::KioskServicesTitle,
            Detail::Car => Msg::KioskCarTitle,
            Detail::Vehicle => Msg::KioskVehicleTitle,
            Detail::Contact => Msg::KioskContactTitle,
            Detail::Concerns => Msg::KioskConcernsTitle,
        }
    }

    /// The draft's fields it asks for (by `BookingProblem::field`).
    fn fields(self) -> &'static [&'static str] {
        match self {
            Detail::Services => &["services"],
            Detail::Car => &["plate", "phone"],
            Detail::Vehicle => &["make", "model", "year", "mileage", "vin"],
            Detail::Contact => &["name", "email"],
            Detail::Concerns => &["concerns"],
        }
    }
}

/// One step of the customer's details, numbered `step` of `total`. Next moves on only when its
/// fields pass the domain's checks; after plate and phone, once a returning customer was looked
/// for (see [`recognise`]).
#[component]
pub fn DetailStep(detail: Detail, step: u8, total: u8, back: Callback<()>, next: Callback<()>, welcome: RwSignal<Option<String>>) -> impl IntoView {
    let (draft, sync) = (use_draft(), use_sync());
    let checked = Callback::new(move |_| {
        if !draft.check(detail.fields()) {
            return;
        }
        if detail != Detail::Car {
            return next.run(());
        }
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            recognise(sync, draft, welcome).await;
            // The customer may have left meanwhile (Start over, or the idle reset).
            next.try_run(());
        });
    });
    let fields = match detail {
        Detail::Services => view! { <ServiceChoice /> }.into_any(),
        Detail::Car => view! { <PlateAndPhone /> }.into_any(),
        Detail::Vehicle => view! { <VehicleFields welcome /> }.into_any(),
        Detail::Contact => view! { <ContactFields /> }.into_any(),
        Detail::Concerns => view! { <ConcernsFields /> }.into_any(),
    };
    view! { <Step title=detail.title() step total back next=checked>{fields}</Step> }
}
