//! A kiosk's refused booking or check-in, kept for staff. At a tablet the person who made the
//! change reads why it was refused and makes a new one; at a kiosk the customer may have walked
//! away before the screen said why, so the server keeps what they asked for and how to reach
//! them, and tablets pull it. It is written in the push's transaction, with the refusal's answer:
//! the one thing a refused mutation leaves behind, once however often the push is retried.

use super::apply::{refused, Applied, Batch};
use crate::audit::Actor;
use crate::auth::Device;
use crate::records;
use crate::time::format_utc;
use chrono::{DateTime, Utc};
use lane_domain::appointment::BookingRequest;
use lane_domain::ids::{AdvisorId, AppointmentId, ServiceTypeId};
use lane_domain::sync::{Arrival, Change, FollowUpError, FollowUpHandled, KioskFollowUp, Mutation, RejectCode, Rejection};
use serde_json::json;
use sqlx::AnyConnection;

/// Records the follow-up of a kiosk's refused mutation (nothing for a change that books no one).
pub async fn record(conn: &mut AnyConnection, batch: &mut Batch, device: &Device, actor: &Actor, mutation: &Mutation, reason: &Rejection) -> Result<(), sqlx::Error> {
    let asked = match &mutation.change {
        Change::BookAppointment(request) => Asked::from(request),
        Change::CheckIn(check_in) => match &check_in.arrival {
            Arrival::WalkIn(request) => Asked::from(&**request),
            Arrival::Booked(appointment) => Asked::booked(conn, appointment).await?,
        },
        _ => return Ok(()),
    };
    let device_name: String = sqlx::query_scalar("SELECT name FROM devices WHERE id = $1").bind(device.id.as_str()).fetch_one(&mut *conn).await?;
    let follow_up = KioskFollowUp {
        id: uuid::Uuid::new_v4().to_string(),
        device: device.id.clone(),
        device_name,
        at: mutation.at,
        reason: reason.clone(),
        name: asked.name,
        phone: asked.phone,
        plate: asked.plate,
        slot_start: asked.slot_start,
        services: asked.services,
        handled: None,
    };
    sqlx::query("INSERT INTO kiosk_follow_ups (id, device_id, mutation_id, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&follow_up.id)
        .bind(device.id.as_str())
        .bind(mutation.id.as_str())
        .bind(serde_json::to_string(&follow_up).expect("follow-ups serialize"))
        .bind(format_utc(Utc::now()))
        .execute(&mut *conn)
        .await?;
    batch.clock.bump("kiosk_follow_up", &follow_up.id);
    batch.audit.record(actor, "kiosk_follow_up.created", "kiosk_follow_up", &follow_up.id, &json!({ "mutation": mutation.id, "reason": reason }));
    Ok(())
}

/// Who asked for what, as far as the refused mutation tells.
struct Asked {
    name: String,
    phone: String,
    plate: String,
    slot_start: Option<DateTime<Utc>>,
    services: Vec<ServiceTypeId>,
}

impl From<&BookingRequest> for Asked {
    /// As typed: the refusal may be of a typo, and staff read past one.
    fn from(request: &BookingRequest) -> Asked {
        Asked {
            name: request.name.clone(),
            phone: request.phone.clone(),
            plate: request.plate.clone(),
            slot_start: Some(request.slot_start),
            services: request.services.clone(),
        }
    }
}

impl Asked {
    /// A booked arrival names only the booking: the customer, car and services are the booking's,
    /// if it exists.
    async fn booked(conn: &mut AnyConnection, id: &AppointmentId) -> Result<Asked, sqlx::Error> {
        let mut asked = Asked { name: String::new(), phone: String::new(), plate: String::new(), slot_start: None, services: Vec::new() };
        let Some(appointment) = records::appointment(conn, id.as_str()).await? else { return Ok(asked) };
        if let Some(customer) = records::customer(conn, appointment.customer.as_str()).await? {
            asked.name = customer.name.into();
            asked.phone = customer.phone.into();
        }
        if let Some(vehicle) = records::vehicle(conn, appointment.vehicle.as_str()).await? {
            asked.plate = vehicle.plate.into();
        }
        asked.slot_start = Some(appointment.slot_start);
        asked.services = appointment.services.into();
        Ok(asked)
    }
}

/// Marks a follow-up handled by the advisor signed in, with what was agreed.
pub async fn handle(conn: &mut AnyConnection, batch: &mut Batch, actor: &Actor, mutation: &Mutation, id: &str, note: &str) -> Result<Applied, sqlx::Error> {
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM kiosk_follow_ups WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    let Some(body) = body else { return refused(RejectCode::NotFound, "There is no such call back.") };
    let mut follow_up: KioskFollowUp = serde_json::from_str(&body).map_err(|_| sqlx::Error::Protocol(format!("stored follow-up {id} does not parse")))?;
    let Some(advisor) = actor.advisor.as_deref().and_then(|a| AdvisorId::parse(a).ok()) else {
        return refused(RejectCode::Invalid, "An advisor signs in to mark a call back handled.");
    };
    match FollowUpHandled::new(advisor, mutation.at, note).and_then(|handled| follow_up.handle(handled)) {
        Err(error @ FollowUpError::AlreadyHandled) => return refused(RejectCode::AlreadyExists, error.to_string()),
        Err(error) => return refused(RejectCode::Invalid, error.to_string()),
        Ok(()) => {}
    }
    sqlx::query("UPDATE kiosk_follow_ups SET body = $1 WHERE id = $2")
        .bind(serde_json::to_string(&follow_up).expect("follow-ups serialize"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    batch.clock.bump("kiosk_follow_up", id);
    batch.audit.record(actor, "kiosk_follow_up.handled", "kiosk_follow_up", id, &json!({ "note": follow_up.handled.as_ref().map(|h| &h.note) }));
    Ok(Applied::Done(None))
}
