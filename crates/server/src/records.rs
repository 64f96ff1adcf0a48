//! Loads the records devices pull from their tables, as the shared domain types. Every row was
//! validated on its way in; a row that no longer parses is reported as a database error, not
//! passed on half-read.

use lane_domain::follow_up::CustomerClass;
use lane_domain::appointment::{Appointment, AppointmentStatus, Concerns, ConfirmationCode, Services, Transport};
use lane_domain::catalogue::{Advisor, LocalizedText, ServiceType};
use lane_domain::customer::{Customer, Email, PersonName, Phone};
use lane_domain::ids::{AdvisorId, AppointmentId, CustomerId, ServiceTypeId, VehicleId};
use lane_domain::readings::{DistanceUnit, Odometer};
use lane_domain::sync::Record;
use lane_domain::vehicle::{Plate, Vehicle, Vin};
use lane_domain::{Currency, Language, Money};
use sqlx::AnyConnection;

fn bad(what: &str, id: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("stored {what} {id} does not parse"))
}

fn parse<T, E>(result: Result<T, E>, what: &str, id: &str) -> Result<T, sqlx::Error> {
    result.map_err(|_| bad(what, id))
}

/// The record of this type and id, or `None` if there is none (any more).
pub async fn load(conn: &mut AnyConnection, record_type: &str, id: &str) -> Result<Option<Record>, sqlx::Error> {
    Ok(match record_type {
        "service_type" => service_type(conn, id).await?.map(Record::ServiceType),
        "advisor" => advisor(conn, id).await?.map(Record::Advisor),
        "customer" => customer(conn, id).await?.map(Record::Customer),
        "vehicle" => vehicle(conn, id).await?.map(Record::Vehicle),
        "appointment" => appointment(conn, id).await?.map(Record::Appointment),
        "visit" => json_body(conn, "SELECT body FROM visits WHERE id = $1", id).await?.map(|v| Record::Visit(Box::new(v))),
        "signature" => json_body(conn, "SELECT body FROM signatures WHERE id = $1", id).await?.map(|s| Record::Signature(Box::new(s))),
        "notice" => json_body(conn, "SELECT body FROM notices WHERE id = $1", id).await?.map(Record::Notice),
        "kiosk_follow_up" => json_body(conn, "SELECT body FROM kiosk_follow_ups WHERE id = $1", id).await?.map(Record::KioskFollowUp),
        _ => None,
    })
}

async fn json_body<T: serde::de::DeserializeOwned>(conn: &mut AnyConnection, sql: &str, id: &str) -> Result<Option<T>, sqlx::Error> {
    let body: Option<String> = sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await?;
    body.map(|b| parse(serde_json::from_str(&b), "record", id)).transpose()
}

pub async fn service_type(conn: &mut AnyConnection, id: &str) -> Result<Option<ServiceType>, sqlx::Error> {
    type Row = (String, String, String, String, String, i64, i64, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, code, name_en, name_zh, name_ko, duration_minutes, price_minor, currency FROM service_types WHERE id = $1 AND active = TRUE",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, code, en, zh_cn, ko, minutes, price, currency)| {
        Ok(ServiceType {
            id: parse(ServiceTypeId::parse(&id), "service type", &id)?,
            code,
            names: LocalizedText { en, zh_cn, ko },
            duration_minutes: minutes as u32,
            price: Money::new(price, Currency::from_code(&currency).ok_or_else(|| bad("currency of service type", &id))?),
        })
    })
    .transpose()
}

/// The dealership's active service catalogue, in its order.
pub async fn catalogue(conn: &mut AnyConnection, dealership: &str) -> Result<Vec<ServiceType>, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM service_types WHERE dealership_id = $1 AND active = TRUE ORDER BY code")
        .bind(dealership)
        .fetch_all(&mut *conn)
        .await?;
    let mut services = Vec::with_capacity(ids.len());
    for id in ids {
        services.extend(service_type(conn, &id).await?);
    }
    Ok(services)
}

pub async fn advisor(conn: &mut AnyConnection, id: &str) -> Result<Option<Advisor>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM advisors WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    row.map(|(id, name)| {
        Ok(Advisor { id: parse(AdvisorId::parse(&id), "advisor", &id)?, name: parse(PersonName::parse(&name), "advisor name", &id)? })
    })
    .transpose()
}

pub async fn customer(conn: &mut AnyConnection, id: &str) -> Result<Option<Customer>, sqlx::Error> {
    type Row = (String, String, String, Option<String>, String, Option<String>);
    let row: Option<Row> =
        sqlx::query_as("SELECT id, name, phone, email, language, class FROM customers WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    row.map(|(id, name, phone, email, language, class)| {
        Ok(Customer {
            id: parse(CustomerId::parse(&id), "customer", &id)?,
            name: parse(PersonName::parse(&name), "customer name", &id)?,
            phone: parse(Phone::parse(&phone), "customer phone", &id)?,
            email: email.map(|e| parse(Email::parse(&e), "customer email", &id)).transpose()?,
            language: Language::from_tag(&language).ok_or_else(|| bad("customer language", &id))?,
            class: class.map(|c| CustomerClass::parse(&c).ok_or_else(|| bad("customer class", &id))).transpose()?,
        })
    })
    .transpose()
}

pub async fn vehicle(conn: &mut AnyConnection, id: &str) -> Result<Option<Vehicle>, sqlx::Error> {
    type Row = (String, String, String, Option<String>, String, String, Option<i64>, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, customer_id, plate, vin, make, model, model_year, colour, odometer_km FROM vehicles WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, customer, plate, vin, make, model, year, colour, odometer_km)| {
        Ok(Vehicle {
            id: parse(VehicleId::parse(&id), "vehicle", &id)?,
            customer: parse(CustomerId::parse(&customer), "vehicle owner", &id)?,
            plate: parse(Plate::parse(&plate), "plate", &id)?,
            vin: vin.map(|v| parse(Vin::parse(&v), "VIN", &id)).transpose()?,
            make,
            model,
            year: year.map(|y| y as u16),
            colour,
            last_odometer: odometer_km.map(|km| Odometer { value: km as u32, unit: DistanceUnit::Km }),
        })
    })
    .transpose()
}

pub async fn appointment(conn: &mut AnyConnection, id: &str) -> Result<Option<Appointment>, sqlx::Error> {
    type Row = (String, String, String, String, String, String, String, String, String, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, customer_id, vehicle_id, advisor_id, slot_start, transport, concerns, confirmation_code, status, stated_mileage_km \
         FROM appointments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, customer, vehicle, advisor, slot_start, transport, concerns, code, status, mileage)) = row else {
        return Ok(None);
    };
    let services: Vec<String> =
        sqlx::query_scalar("SELECT service_type_id FROM appointment_services WHERE appointment_id = $1 ORDER BY service_type_id")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    let services = services.iter().map(|s| ServiceTypeId::parse(s)).collect::<Result<Vec<_>, _>>();
    Ok(Some(Appointment {
        customer: parse(CustomerId::parse(&customer), "appointment customer", &id)?,
        vehicle: parse(VehicleId::parse(&vehicle), "appointment vehicle", &id)?,
        services: parse(Services::new(parse(services, "appointment services", &id)?), "appointment services", &id)?,
        slot_start: parse(slot_start.parse(), "appointment slot", &id)?,
        advisor: Some(parse(AdvisorId::parse(&advisor), "appointment advisor", &id)?),
        transport: parse(serde_json::from_value::<Transport>(serde_json::Value::String(transport)), "transport", &id)?,
        concerns: parse(Concerns::parse(&concerns), "concerns", &id)?,
        code: parse(ConfirmationCode::parse(&code), "confirmation code", &id)?,
        status: parse(serde_json::from_value::<AppointmentStatus>(serde_json::Value::String(status)), "status", &id)?,
        stated_mileage_km: mileage.and_then(|km| u32::try_from(km).ok()),
        id: parse(AppointmentId::parse(&id), "appointment", &id)?,
    }))
}
