//! Applies one mutation to the database, validated against the current state by the shared
//! domain's rules. Every check comes before the first write, so a refusal writes nothing: the
//! push's transaction goes on with the next mutation (the simulation checks that refused mutations
//! leave no trace).

use crate::audit::{self, Actor};
use crate::auth::Device;
use crate::dealership::Dealership;
use crate::records;
use crate::time::format_utc;
use crate::versions::Clock;
use chrono::{DateTime, Datelike, Utc};
use lane_domain::appointment::{AppointmentStatus, BookingRequest, ValidBooking};
use lane_domain::capacity::{assign, walk_in_advisor, CapacityError};
use lane_domain::ids::{AdvisorId, CustomerId, VehicleId, VisitId};
use lane_domain::device::DeviceKind;
use lane_domain::readings::DistanceUnit;
use lane_domain::document::Document;
use lane_domain::follow_up::CustomerClass;
use lane_domain::signature::{consent_sha256, DocumentKind, Sha256, Signature};
use lane_domain::workshop::VisitEvent;
use lane_domain::sync::{Arrival, Change, CheckIn, Mutation, Notice, ProposedParties, Receipt, RejectCode, Rejection};
use lane_domain::visit::{Parties, Visit, VisitEdit, VisitError, VisitField, VisitState};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// What a push writes once, at its end: the records' versions and the audit-log rows.
pub struct Batch {
    pub clock: Clock,
    pub audit: audit::Log,
}

pub enum Applied {
    Done(Option<Receipt>),
    Refused(Rejection),
}

pub(super) fn refused(code: RejectCode, message: impl Into<String>) -> Result<Applied, sqlx::Error> {
    Ok(Applied::Refused(Rejection { code, message: message.into() }))
}

/// A serde unit variant's wire name, as stored in the tables' text columns.
fn tag<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub async fn apply(conn: &mut AnyConnection, batch: &mut Batch, device: &Device, actor: &Actor, mutation: &Mutation) -> Result<Applied, sqlx::Error> {
    match &mutation.change {
        Change::BookAppointment(request) => book(conn, batch, device, actor, request).await,
        Change::CheckIn(check_in) => arrive(conn, batch, device, actor, mutation, check_in).await,
        Change::EditVisit { visit, base, edit } => edit_visit(conn, batch, device, actor, mutation, FieldEdit { visit, base: *base, edit }).await,
        Change::AdvanceVisit { visit, to } => advance(conn, batch, actor, visit, *to).await,
        Change::Sign(signature) => sign(conn, batch, device, actor, signature).await,
        Change::AmendOrder { visit } => amend(conn, batch, actor, visit).await,
        Change::HandleFollowUp { follow_up, note } => super::follow_up::handle(conn, batch, actor, mutation, follow_up, note).await,
        Change::RecordVisit { visit, event } => record(conn, batch, actor, visit, event).await,
        Change::ClassifyCustomer { customer, class } => classify(conn, batch, actor, customer, *class).await,
    }
}

async fn book(conn: &mut AnyConnection, batch: &mut Batch, device: &Device, actor: &Actor, request: &BookingRequest) -> Result<Applied, sqlx::Error> {
    let now = Utc::now();
    let booking = match request.validate(now.year() as u16) {
        Ok(booking) => booking,
        Err(error) => return refused(RejectCode::Invalid, error.to_string()),
    };
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE id = $1 OR confirmation_code = $2")
        .bind(booking.appointment.as_str())
        .bind(booking.code.as_str())
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return refused(RejectCode::AlreadyExists, "A booking with this id or confirmation code exists already.");
    }
    for service in booking.services.as_slice() {
        if records::service_type(conn, service.as_str()).await?.is_none() {
            return refused(RejectCode::Invalid, format!("There is no service {service} in the catalogue."));
        }
    }
    if booking.slot_start <= now {
        return refused(RejectCode::SlotFull, "That time has passed; choose another.");
    }
    let dealership = Dealership::load(conn, &device.dealership).await?;
    let day = booking.slot_start.with_timezone(&dealership.time_zone).date_naive();
    let Some((open, close)) = dealership.hours(conn, day).await? else {
        return refused(RejectCode::SlotFull, "The dealership is closed that day; choose another.");
    };
    let advisors = dealership.advisors(conn).await?;
    let bookings = dealership.bookings(conn, open, close).await?;
    let advisor = match assign(&dealership.capacity, open, close, booking.slot_start, &advisors, &bookings) {
        Ok(advisor) => advisor,
        Err(error @ CapacityError::NotASlot { .. }) => return refused(RejectCode::Invalid, error.to_string()),
        Err(error) => return refused(RejectCode::SlotFull, error.to_string()),
    };
    let (customer, vehicle) = customer_and_vehicle(conn, batch, actor, &device.dealership, &booking, None).await?;
    insert_appointment(conn, &device.dealership, &booking, &customer, &vehicle, &advisor, AppointmentStatus::Booked).await?;
    batch.clock.bump("appointment", booking.appointment.as_str());
    batch.audit.record(actor, "appointment.booked", "appointment", booking.appointment.as_str(), &json!(request));
    let advisor_name = advisor_name(conn, &advisor).await?.unwrap_or_default();
    Ok(Applied::Done(Some(Receipt::Booked { advisor, advisor_name })))
}

async fn advisor_name(conn: &mut AnyConnection, advisor: &AdvisorId) -> Result<Option<String>, sqlx::Error> {
    Ok(records::advisor(conn, advisor.as_str()).await?.map(|a| a.name.as_str().to_owned()))
}

/// The customer's file by phone, and their vehicle by plate; created when new, under the ids a
/// tablet proposed if no other record has them.
async fn customer_and_vehicle(
    conn: &mut AnyConnection,
    batch: &mut Batch,
    actor: &Actor,
    dealership: &str,
    booking: &ValidBooking,
    proposed: Option<&ProposedParties>,
) -> Result<(CustomerId, VehicleId), sqlx::Error> {
    let now = format_utc(Utc::now());
    let existing: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE dealership_id = $1 AND phone = $2 ORDER BY created_at LIMIT 1")
        .bind(dealership)
        .bind(booking.phone.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let customer = match existing {
        Some(id) => id,
        None => {
            let id = new_id(conn, "customers", proposed.map(|p| p.customer.as_str())).await?;
            sqlx::query("INSERT INTO customers (id, dealership_id, name, phone, email, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id)
                .bind(dealership)
                .bind(booking.name.as_str())
                .bind(booking.phone.as_str())
                .bind(booking.email.as_ref().map(|e| e.as_str().to_owned()))
                .bind(booking.language.tag())
                .bind(&now)
                .execute(&mut *conn)
                .await?;
            batch.clock.bump("customer", &id);
            batch.audit.record(actor, "customer.created", "customer", &id, &json!({}));
            id
        }
    };
    let existing: Option<String> = sqlx::query_scalar("SELECT id FROM vehicles WHERE customer_id = $1 AND plate = $2")
        .bind(&customer)
        .bind(booking.plate.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let vehicle = match existing {
        Some(id) => id,
        None => {
            let id = new_id(conn, "vehicles", proposed.map(|p| p.vehicle.as_str())).await?;
            sqlx::query("INSERT INTO vehicles (id, customer_id, plate, vin, make, model, model_year) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id)
                .bind(&customer)
                .bind(booking.plate.as_str())
                .bind(booking.vin.as_ref().map(|v| v.as_str().to_owned()))
                .bind(&booking.make)
                .bind(&booking.model)
                .bind(booking.year.map(i64::from))
                .execute(&mut *conn)
                .await?;
            batch.clock.bump("vehicle", &id);
            batch.audit.record(actor, "vehicle.created", "vehicle", &id, &json!({}));
            id
        }
    };
    let customer = CustomerId::parse(&customer).map_err(|_| sqlx::Error::Protocol("stored customer id".into()))?;
    let vehicle = VehicleId::parse(&vehicle).map_err(|_| sqlx::Error::Protocol("stored vehicle id".into()))?;
    Ok((customer, vehicle))
}

/// The id for a new row of `table`: the proposed one if no row has it, else a fresh UUID.
async fn new_id(conn: &mut AnyConnection, table: &str, proposed: Option<&str>) -> Result<String, sqlx::Error> {
    if let Some(id) = proposed {
        let taken: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1")).bind(id).fetch_one(&mut *conn).await?;
        if taken == 0 {
            return Ok(id.to_owned());
        }
    }
    Ok(uuid::Uuid::new_v4().to_string())
}

async fn insert_appointment(
    conn: &mut AnyConnection,
    dealership: &str,
    booking: &ValidBooking,
    customer: &CustomerId,
    vehicle: &VehicleId,
    advisor: &AdvisorId,
    status: AppointmentStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appointments (id, dealership_id, customer_id, vehicle_id, advisor_id, slot_start, transport, concerns, confirmation_code, status, created_at, stated_mileage_km) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(booking.appointment.as_str())
    .bind(dealership)
    .bind(customer.as_str())
    .bind(vehicle.as_str())
    .bind(advisor.as_str())
    .bind(format_utc(booking.slot_start))
    .bind(tag(&booking.transport))
    .bind(booking.concerns.as_str())
    .bind(booking.code.as_str())
    .bind(tag(&status))
    .bind(format_utc(Utc::now()))
    .bind(booking.mileage_km.map(i64::from))
    .execute(&mut *conn)
    .await?;
    for service in booking.services.as_slice() {
        sqlx::query("INSERT INTO appointment_services (appointment_id, service_type_id) VALUES ($1, $2)")
            .bind(booking.appointment.as_str())
            .bind(service.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn arrive(conn: &mut AnyConnection, batch: &mut Batch, device: &Device, actor: &Actor, mutation: &Mutation, check_in: &CheckIn) -> Result<Applied, sqlx::Error> {
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE id = $1").bind(check_in.visit.as_str()).fetch_one(&mut *conn).await?;
    if exists > 0 {
        return refused(RejectCode::AlreadyExists, "This visit exists already.");
    }
    let (appointment, customer, vehicle, advisor) = match &check_in.arrival {
        Arrival::Booked(id) => {
            let Some(appointment) = records::appointment(conn, id.as_str()).await? else {
                return refused(RejectCode::NotFound, "There is no such booking.");
            };
            if let Err(error) = appointment.status.transition(AppointmentStatus::Arrived) {
                return refused(RejectCode::InvalidTransition, error.to_string());
            }
            sqlx::query("UPDATE appointments SET status = 'arrived' WHERE id = $1").bind(id.as_str()).execute(&mut *conn).await?;
            batch.clock.bump("appointment", id.as_str());
            (Some(id.clone()), appointment.customer, appointment.vehicle, appointment.advisor)
        }
        Arrival::WalkIn(request) => {
            let booking = match request.validate(Utc::now().year() as u16) {
                Ok(booking) => booking,
                Err(error) => return refused(RejectCode::Invalid, error.to_string()),
            };
            // The advisor who registers a walk-in on their tablet receives them.
            let advisor = match (device.kind, actor.advisor.as_deref().map(AdvisorId::parse)) {
                (DeviceKind::Tablet, Some(Ok(advisor))) => Some(advisor),
                _ => advisor_for_walk_in(conn, &device.dealership, mutation.at).await?,
            };
            let proposed = check_in.parties.as_ref();
            let (customer, vehicle) = customer_and_vehicle(conn, batch, actor, &device.dealership, &booking, proposed).await?;
            (None, customer, vehicle, advisor)
        }
    };
    // The device's clock: the customer arrived when they tapped, not when the wifi came back.
    let visit = Visit::check_in(check_in, appointment, Parties { customer, vehicle, advisor }, mutation.at);
    sqlx::query(
        "INSERT INTO visits (id, dealership_id, appointment_id, customer_id, vehicle_id, advisor_id, state, checked_in_at, body, field_versions) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}')",
    )
    .bind(visit.id.as_str())
    .bind(&device.dealership)
    .bind(visit.appointment.as_ref().map(|a| a.as_str().to_owned()))
    .bind(visit.customer.as_str())
    .bind(visit.vehicle.as_str())
    .bind(visit.advisor.as_ref().map(|a| a.as_str().to_owned()))
    .bind(tag(&visit.state))
    .bind(format_utc(visit.checked_in_at))
    .bind(serde_json::to_string(&visit).expect("visits serialize"))
    .execute(&mut *conn)
    .await?;
    batch.clock.bump("visit", visit.id.as_str());
    batch.audit.record(actor, "visit.checked_in", "visit", visit.id.as_str(), &json!(check_in));
    // The kiosk tells the customer at once who will come to them.
    let advisor_name = match &visit.advisor {
        Some(advisor) => advisor_name(conn, advisor).await?,
        None => None,
    };
    Ok(Applied::Done(Some(Receipt::CheckedIn { advisor: visit.advisor, advisor_name })))
}

/// Who receives a walk-in arriving at `at`: the domain's rule over the active advisors and the
/// visits they have open on that local day (the customer's arrival, not the push, decides the day).
async fn advisor_for_walk_in(conn: &mut AnyConnection, dealership: &str, at: DateTime<Utc>) -> Result<Option<AdvisorId>, sqlx::Error> {
    let dealership = Dealership::load(conn, dealership).await?;
    let advisors = dealership.advisors(conn).await?;
    let open = dealership.open_visits(conn, at.with_timezone(&dealership.time_zone).date_naive()).await?;
    Ok(walk_in_advisor(&advisors, &open))
}

/// Who last wrote a field, for last-writer-wins.
#[derive(Serialize, Deserialize)]
struct FieldWrite {
    version: u64,
    device: String,
}

async fn load_visit(conn: &mut AnyConnection, id: &VisitId) -> Result<Option<(Visit, BTreeMap<VisitField, FieldWrite>)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT body, field_versions FROM visits WHERE id = $1").bind(id.as_str()).fetch_optional(&mut *conn).await?;
    row.map(|(body, fields)| {
        let broken = |_| sqlx::Error::Protocol(format!("stored visit {id} does not parse"));
        Ok((serde_json::from_str(&body).map_err(broken)?, serde_json::from_str(&fields).map_err(broken)?))
    })
    .transpose()
}

async fn store_visit(conn: &mut AnyConnection, visit: &Visit, fields: &BTreeMap<VisitField, FieldWrite>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE visits SET state = $1, body = $2, field_versions = $3 WHERE id = $4")
        .bind(tag(&visit.state))
        .bind(serde_json::to_string(visit).expect("visits serialize"))
        .bind(serde_json::to_string(fields).expect("field versions serialize"))
        .bind(visit.id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn visit_refusal(error: VisitError) -> Result<Applied, sqlx::Error> {
    use lane_domain::pickup::PickupError;
    use lane_domain::workshop::EventError;
    let code = match error {
        VisitError::Transition(_)
        | VisitError::StepHasItsRecord { .. }
        | VisitError::Event(EventError::WrongState { .. })
        | VisitError::Pickup(PickupError::NotReady { .. })
        | VisitError::AddedWork(_) => RejectCode::InvalidTransition,
        VisitError::OrderSigned { .. } | VisitError::SignedLineChanged { .. } => RejectCode::OrderSigned,
        _ => RejectCode::Invalid,
    };
    refused(code, error.to_string())
}

/// The parts of a [`Change::EditVisit`].
struct FieldEdit<'a> {
    visit: &'a VisitId,
    base: u64,
    edit: &'a VisitEdit,
}

async fn edit_visit(
    conn: &mut AnyConnection,
    batch: &mut Batch,
    device: &Device,
    actor: &Actor,
    mutation: &Mutation,
    FieldEdit { visit: id, base, edit }: FieldEdit<'_>,
) -> Result<Applied, sqlx::Error> {
    let Some((mut visit, mut fields)) = load_visit(conn, id).await? else {
        return refused(RejectCode::NotFound, "There is no such visit.");
    };
    // Only a drop-off reading is checked against the vehicle's last known odometer.
    let vehicle = match edit {
        VisitEdit::DropOffReadings(_) => records::vehicle(conn, visit.vehicle.as_str()).await?,
        _ => None,
    };
    if let Err(error) = visit.apply(edit.clone(), vehicle.as_ref().and_then(|v| v.last_odometer)) {
        return visit_refusal(error);
    }
    let field = edit.field();
    let version = batch.clock.bump("visit", id.as_str()) as u64;
    // Last applied wins; a device whose edit was overwritten without being seen is told.
    if let Some(previous) = fields.get(&field).filter(|w| w.version > base && w.device != device.id.as_str()) {
        let notice = Notice {
            id: uuid::Uuid::new_v4().to_string(),
            to_device: lane_domain::ids::DeviceId::parse(&previous.device).map_err(|_| sqlx::Error::Protocol("stored device id".into()))?,
            visit: id.clone(),
            field,
            by_device: device.id.clone(),
            at: mutation.at,
        };
        sqlx::query("INSERT INTO notices (id, device_id, body, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&notice.id)
            .bind(&previous.device)
            .bind(serde_json::to_string(&notice).expect("notices serialize"))
            .bind(format_utc(Utc::now()))
            .execute(&mut *conn)
            .await?;
        batch.clock.bump("notice", &notice.id);
    }
    fields.insert(field, FieldWrite { version, device: device.id.to_string() });
    store_visit(conn, &visit, &fields).await?;
    if let (VisitEdit::DropOffReadings(r), Some(vehicle)) = (edit, &vehicle) {
        if r.odometer.unit == DistanceUnit::Km {
            // The vehicle's last known reading is the next visit's floor; a correction lowers it.
            sqlx::query("UPDATE vehicles SET odometer_km = $1 WHERE id = $2").bind(i64::from(r.odometer.value)).bind(vehicle.id.as_str()).execute(&mut *conn).await?;
            batch.clock.bump("vehicle", vehicle.id.as_str());
        }
    }
    batch.audit.record(actor, "visit.edited", "visit", id.as_str(), &json!(edit));
    Ok(Applied::Done(None))
}

async fn advance(conn: &mut AnyConnection, batch: &mut Batch, actor: &Actor, id: &VisitId, to: VisitState) -> Result<Applied, sqlx::Error> {
    let Some((mut visit, fields)) = load_visit(conn, id).await? else {
        return refused(RejectCode::NotFound, "There is no such visit.");
    };
    let from = visit.state;
    if let Err(error) = visit.advance(to) {
        return visit_refusal(error);
    }
    store_visit(conn, &visit, &fields).await?;
    batch.clock.bump("visit", id.as_str());
    batch.audit.record(actor, "visit.advanced", "visit", id.as_str(), &json!({ "from": from, "to": to }));
    Ok(Applied::Done(None))
}

/// A workshop, contact or follow-up fact, appended to the visit by the domain's rules; a step it
/// moves the visit to is audited as an advance too.
async fn record(conn: &mut AnyConnection, batch: &mut Batch, actor: &Actor, id: &VisitId, event: &VisitEvent) -> Result<Applied, sqlx::Error> {
    let Some((mut visit, fields)) = load_visit(conn, id).await? else {
        return refused(RejectCode::NotFound, "There is no such visit.");
    };
    let from = visit.state;
    if let Err(error) = visit.record(event.clone()) {
        return visit_refusal(error);
    }
    store_visit(conn, &visit, &fields).await?;
    batch.clock.bump("visit", id.as_str());
    batch.audit.record(actor, "visit.recorded", "visit", id.as_str(), &json!(event));
    if visit.state != from {
        batch.audit.record(actor, "visit.advanced", "visit", id.as_str(), &json!({ "from": from, "to": visit.state }));
    }
    Ok(Applied::Done(None))
}

async fn classify(conn: &mut AnyConnection, batch: &mut Batch, actor: &Actor, id: &CustomerId, class: Option<CustomerClass>) -> Result<Applied, sqlx::Error> {
    let updated = sqlx::query("UPDATE customers SET class = $1 WHERE id = $2")
        .bind(class.map(CustomerClass::letter))
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 0 {
        return refused(RejectCode::NotFound, "There is no such customer.");
    }
    batch.clock.bump("customer", id.as_str());
    batch.audit.record(actor, "customer.classified", "customer", id.as_str(), &json!({ "class": class }));
    Ok(Applied::Done(None))
}

async fn amend(conn: &mut AnyConnection, batch: &mut Batch, actor: &Actor, id: &VisitId) -> Result<Applied, sqlx::Error> {
    let Some((mut visit, fields)) = load_visit(conn, id).await? else {
        return refused(RejectCode::NotFound, "There is no such visit.");
    };
    if let Err(error) = visit.amend_order() {
        return refused(RejectCode::InvalidTransition, error.to_string());
    }
    store_visit(conn, &visit, &fields).await?;
    batch.clock.bump("visit", id.as_str());
    batch.audit.record(actor, "visit.order_amended", "visit", id.as_str(), &json!({ "version": visit.order_version }));
    Ok(Applied::Done(None))
}

/// A signature is taken only for a document the server can rebuild and check: the visit's next
/// document of its kind, from the visit as it stands (`Document::next`). A mismatch means the
/// visit changed on another device after this one showed the document to the customer, so the
/// signature covers something else. What the signature does to the visit
/// (`Visit::take_signature`) is stored in the same transaction.
async fn sign(conn: &mut AnyConnection, batch: &mut Batch, device: &Device, actor: &Actor, signature: &Signature) -> Result<Applied, sqlx::Error> {
    if signature.device != device.id {
        return refused(RejectCode::WrongDevice, "A signature is sent by the device it was made on.");
    }
    let document = &signature.document;
    let Some((mut visit, fields)) = load_visit(conn, &document.visit).await? else {
        return refused(RejectCode::NotFound, "There is no such visit.");
    };
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signatures WHERE id = $1 OR (visit_id = $2 AND document_kind = $3 AND document_version = $4)")
        .bind(signature.id.as_str())
        .bind(visit.id.as_str())
        .bind(tag(&document.kind))
        .bind(i64::from(document.version))
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return refused(RejectCode::AlreadyExists, "This document is signed already; a change needs a new document, signed again.");
    }
    let (Some(customer), Some(vehicle)) = (records::customer(conn, visit.customer.as_str()).await?, records::vehicle(conn, visit.vehicle.as_str()).await?) else {
        return refused(RejectCode::NotFound, "The visit's customer or vehicle is missing.");
    };
    let next = match Document::next(document.kind, &visit, &customer, &vehicle) {
        Ok(next) => next,
        Err(error) if error.wrong_step() && visit.order_signed() && document.kind == DocumentKind::DropOffOrder => {
            return refused(RejectCode::OrderSigned, error.to_string());
        }
        Err(error) if error.wrong_step() => return refused(RejectCode::InvalidTransition, error.to_string()),
        Err(error) => return refused(RejectCode::Invalid, error.to_string()),
    };
    if document.version != next.version {
        return refused(
            RejectCode::DocumentMismatch,
            format!("The visit's document is at version {}, not {}: it was amended or signed on another device.", next.version, document.version),
        );
    }
    let canonical = next.canonical(&visit.id);
    if Sha256::of(canonical.as_bytes()) != document.sha256 {
        return refused(
            RejectCode::DocumentMismatch,
            "The document changed on another device after it was shown for signing. Review it with the customer and sign again.",
        );
    }
    if consent_sha256(&signature.consent_text) != signature.consent_sha256 {
        return refused(RejectCode::Invalid, "The consent text does not match its hash; the device sent a bad signature.");
    }
    let from = visit.state;
    if let Err(error) = visit.take_signature(document.kind, &signature.signer.name, signature.signed_at) {
        return visit_refusal(error);
    }
    sqlx::query(
        "INSERT INTO signatures (id, visit_id, document_kind, document_version, document_sha256, consent_sha256, body, signed_at, received_at, document) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(signature.id.as_str())
    .bind(visit.id.as_str())
    .bind(tag(&document.kind))
    .bind(i64::from(document.version))
    .bind(document.sha256.as_str())
    .bind(signature.consent_sha256.as_str())
    .bind(serde_json::to_string(signature).expect("signatures serialize"))
    .bind(format_utc(signature.signed_at))
    .bind(format_utc(Utc::now()))
    .bind(&canonical)
    .execute(&mut *conn)
    .await?;
    batch.clock.bump("signature", signature.id.as_str());
    batch.audit.record(actor, "signature.added", "signature", signature.id.as_str(), &json!({ "document": document }));
    store_visit(conn, &visit, &fields).await?;
    batch.clock.bump("visit", visit.id.as_str());
    if visit.state != from {
        batch.audit.record(actor, "visit.advanced", "visit", visit.id.as_str(), &json!({ "from": from, "to": visit.state }));
    }
    Ok(Applied::Done(None))
}
