//! `/advisor/walk-in`: a customer without a booking comes to the advisor's desk (DOMAIN.md step
//! 2). The advisor types the same details a booking asks for, with the kiosk's fields and the
//! domain's checks (`BookingRequest::validate`); a customer already on the tablet is recognised
//! by phone (and their car by plate) and filled in. Starting the visit saves the customer, the
//! car and the visit with one check-in change, so the visit file opens at once, offline too; the
//! server keeps the tablet's ids for the records it creates (`CheckIn::parties`).

use crate::fields::{aria, text};
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::kiosk::draft::Draft;
use crate::kiosk::steps::{ConcernsFields, ContactFields, PlateAndPhone, ServiceChoice, VehicleFields};
use crate::layout::AdvisorLayout;
use crate::pages::DeviceGate;
use crate::random;
use crate::save_failure::SaveFailure;
use crate::store::{LocalRecord, StoreError};
use crate::sync::{use_records, use_sync};
use chrono::{Datelike, Utc};
use lane_domain::appointment::ValidBooking;
use lane_domain::customer::{Customer, Phone};
use lane_domain::device::DeviceKind;
use lane_domain::ids::{CustomerId, VehicleId, VisitId};
use lane_domain::sync::{Arrival, Change, CheckIn, ProposedParties};
use lane_domain::vehicle::{Plate, Vehicle};
use lane_domain::visit::{Parties, Visit};
use lane_domain::Language;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Every field of the booking request the form asks for (by `BookingProblem::field`).
const FIELDS: [&str; 11] = ["services", "plate", "phone", "make", "model", "year", "mileage", "vin", "name", "email", "concerns"];

#[component]
pub fn AdvisorWalkIn() -> impl IntoView {
    view! {
        <AdvisorLayout>
            <DeviceGate kind=DeviceKind::Tablet>
                <WalkInForm />
            </DeviceGate>
        </AdvisorLayout>
    }
}

/// A customer on the tablet, as recognition needs them.
#[derive(Clone, PartialEq)]
struct OnFile {
    id: String,
    name: String,
    phone: String,
    email: String,
    language: Option<Language>,
}

fn read_customer(record: &wasm_bindgen::JsValue) -> Option<OnFile> {
    Some(OnFile {
        id: js::text(record, "id")?,
        name: js::text(record, "name")?,
        phone: js::text(record, "phone")?,
        email: js::text(record, "email").unwrap_or_default(),
        language: js::text(record, "language").and_then(|tag| Language::from_tag(&tag)),
    })
}

/// A car on the tablet: (id, owner, plate, make, model, year, VIN).
type CarOnFile = (String, String, String, String, String, String, String);

fn read_vehicle(record: &wasm_bindgen::JsValue) -> Option<CarOnFile> {
    let year = js::count(record, "year").map(|y| y.to_string()).unwrap_or_default();
    Some((
        js::text(record, "id")?,
        js::text(record, "customer")?,
        js::text(record, "plate")?,
        js::text(record, "make").unwrap_or_default(),
        js::text(record, "model").unwrap_or_default(),
        year,
        js::text(record, "vin").unwrap_or_default(),
    ))
}

/// Fills what the advisor has not typed yet.
fn fill(field: RwSignal<String>, value: &str) {
    if field.with_untracked(|f| f.trim().is_empty()) && !value.is_empty() {
        field.set(value.to_owned());
    }
}

#[component]
fn WalkInForm() -> impl IntoView {
    let (i18n, sync, navigate) = (use_i18n(), use_sync(), use_navigate());
    let draft = Draft::provide();
    let language = RwSignal::new(i18n.language());
    let customers = use_records("customer", read_customer);
    let vehicles = use_records("vehicle", read_vehicle);
    // The customer and car on file for the phone and plate typed, if any.
    let known = Memo::new(move |_| {
        let phone = Phone::parse(&draft.phone.get()).ok()?;
        let customer = customers.with(|all| all.iter().flatten().find(|c| c.phone == phone.as_str()).cloned())?;
        let plate = Plate::parse(&draft.plate.get()).ok();
        let car = plate.and_then(|plate| vehicles.with(|all| all.iter().flatten().find(|v| v.1 == customer.id && v.2 == plate.as_str()).cloned()));
        Some((customer, car))
    });
    Effect::new(move |_| {
        let Some((customer, car)) = known.get() else { return };
        fill(draft.name, &customer.name);
        fill(draft.email, &customer.email);
        if let Some(spoken) = customer.language {
            language.set(spoken);
        }
        if let Some((_, _, _, make, model, year, vin)) = car {
            fill(draft.make, &make);
            fill(draft.model, &model);
            fill(draft.year, &year);
            fill(draft.vin, &vin);
        }
    });
    let invalid = RwSignal::new(false);
    let failure = RwSignal::new(None::<StoreError>);
    let saving = RwSignal::new(false);
    let start = move |_| {
        let fine = draft.check(&FIELDS);
        invalid.set(!fine);
        if !fine {
            return;
        }
        let Some(concerns) = draft.checked_concerns() else { return };
        let advisor = sync.device().session.get_untracked().map(|s| s.advisor);
        let (appointment, code) = Draft::new_ids();
        let now = Utc::now();
        let request = draft.request(language.get_untracked(), now, appointment, code);
        let Ok(booking) = request.validate(now.year() as u16) else { return };
        let on_file = known.get_untracked();
        let (customer, customer_record) = match on_file.as_ref() {
            Some((customer, _)) => (CustomerId::parse(&customer.id).expect("a stored id"), None),
            None => new_customer(&booking),
        };
        let (vehicle, vehicle_record) = match on_file.as_ref().and_then(|(_, car)| car.as_ref()) {
            Some(car) => (VehicleId::parse(&car.0).expect("a stored id"), None),
            None => new_vehicle(&booking, &customer),
        };
        let check_in = CheckIn {
            visit: VisitId::parse(&random::uuid_v4()).expect("a UUID is an id"),
            arrival: Arrival::WalkIn(Box::new(request)),
            transport: booking.transport,
            concerns,
            key_tag: None,
            parties: Some(ProposedParties { customer: customer.clone(), vehicle: vehicle.clone() }),
        };
        let visit = Visit::check_in(&check_in, None, Parties { customer, vehicle, advisor }, now);
        let records: Result<Vec<LocalRecord>, StoreError> = [
            customer_record.map(|c| LocalRecord::of("customer", c.id.as_str(), &c)),
            vehicle_record.map(|v| LocalRecord::of("vehicle", v.id.as_str(), &v)),
            Some(LocalRecord::of("visit", visit.id.as_str(), &visit)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (sync, navigate) = (sync.clone(), navigate.clone());
        saving.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let saved = match records {
                Ok(records) => sync.save_together(&records, Change::CheckIn(check_in)).await,
                Err(error) => Err(error),
            };
            saving.try_set(false);
            match saved {
                Ok(_) => navigate(&format!("/advisor/visits/{}", visit.id), Default::default()),
                Err(error) => drop(failure.try_set(Some(error))),
            }
        });
    };
    let known_text = text(move || known.get().map(|(c, _)| i18n.t_with(Msg::TabletWalkInKnown, &[("name", &c.name)])).unwrap_or_default());
    let languages = Language::ALL
        .into_iter()
        .map(|choice| {
            view! {
                <button type="button" class="choice" lang=choice.tag() aria-pressed=aria(move || language.get() == choice) on:click=move |_| language.set(choice)>
                    {choice.native_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="walk-in" aria-labelledby="walk-in-title">
            <a class="button" href="/advisor">{i18n.msg(Msg::TabletWalkInBack)}</a>
            <h1 id="walk-in-title">{i18n.msg(Msg::TabletWalkInTitle)}</h1>
            <p>{i18n.msg(Msg::TabletWalkInIntro)}</p>
            <PlateAndPhone />
            <p class="notice" role="status">{known_text}</p>
            <ContactFields />
            <div class="languages" role="group" aria-label=i18n.msg(Msg::TabletWalkInLanguage) aria-describedby="walk-in-language-hint">
                <h2>{i18n.msg(Msg::TabletWalkInLanguage)}</h2>
                {languages}
                <p id="walk-in-language-hint" class="quiet">{i18n.msg(Msg::TabletWalkInLanguageHint)}</p>
            </div>
            <VehicleFields welcome=RwSignal::new(None) />
            <ServiceChoice />
            <ConcernsFields />
            <p class="error" role="alert">{move || invalid.get().then(|| i18n.msg(Msg::TabletWalkInFix))}</p>
            <SaveFailure failure />
            <button type="button" class="primary" disabled=move || saving.get() on:click=start>{i18n.msg(Msg::TabletWalkInStart)}</button>
        </section>
    }
}

/// A customer the tablet does not know yet, under a new id it proposes to the server.
fn new_customer(booking: &ValidBooking) -> (CustomerId, Option<Customer>) {
    let id = CustomerId::parse(&random::uuid_v4()).expect("a UUID is an id");
    let customer = Customer { id: id.clone(), name: booking.name.clone(), phone: booking.phone.clone(), email: booking.email.clone(), language: booking.language, class: None };
    (id, Some(customer))
}

/// A car the tablet does not know yet, in `owner`'s file.
fn new_vehicle(booking: &ValidBooking, owner: &CustomerId) -> (VehicleId, Option<Vehicle>) {
    let id = VehicleId::parse(&random::uuid_v4()).expect("a UUID is an id");
    let vehicle = Vehicle {
        id: id.clone(),
        customer: owner.clone(),
        plate: booking.plate.clone(),
        vin: booking.vin.clone(),
        make: booking.make.clone(),
        model: booking.model.clone(),
        year: booking.year,
        colour: None,
        last_odometer: None,
    };
    (id, Some(vehicle))
}
