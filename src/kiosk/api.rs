//! The kiosk's own requests, which need an answer while the customer waits: free slots, finding
//! one booking, recognising a returning customer. Answers are read with the browser's JSON
//! (`crate::js`) in the shapes of `lane_domain::kiosk`.

use crate::api::{call, ApiFailure};
use crate::js;
use crate::sync::SyncEngine;
use wasm_bindgen::JsValue;

async fn token(sync: &SyncEngine) -> String {
    match sync.store().await {
        Ok(store) => store.token().await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// `GET /api/kiosk/slots?day=…`: the free slot starts of a local day (RFC 3339). Offline the
/// service worker answers with the last list it saw for that day, if any.
pub async fn free_slots(sync: &SyncEngine, day: &str) -> Result<Vec<String>, ApiFailure> {
    let answer = call("GET", &format!("/api/kiosk/slots?day={day}"), Some(&token(sync).await), None).await?;
    Ok(js::items(&answer, "slots").iter().filter_map(|slot| js::text(slot, "start")).collect())
}

/// The one booking a lookup found: only what `lane_domain::kiosk::BookingSummary` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub appointment: String,
    pub code: String,
    pub slot_start: String,
    pub name_masked: String,
    pub plate_masked: String,
    pub advisor_name: Option<String>,
    pub services: Vec<String>,
    pub transport: String,
    pub concerns: String,
}

/// How a customer looks their booking up (`lane_domain::kiosk::LookupRequest`).
pub enum Lookup {
    Code(String),
    Plate { plate: String, last4: String },
}

/// `POST /api/kiosk/lookup`: the booking, or `None` for a miss.
pub async fn lookup(sync: &SyncEngine, by: Lookup) -> Result<Option<Found>, ApiFailure> {
    let body = match by {
        Lookup::Code(code) => js::stringify(&[("by", "code".into()), ("code", code.into())]),
        Lookup::Plate { plate, last4 } => js::stringify(&[("by", "plate".into()), ("plate", plate.into()), ("phone_last4", last4.into())]),
    };
    let answer = call("POST", "/api/kiosk/lookup", Some(&token(sync).await), Some(body)).await?;
    let booking = js::field(&answer, "booking");
    if booking.is_null() || booking.is_undefined() {
        return Ok(None);
    }
    let text = |name| js::text(&booking, name).unwrap_or_default();
    Ok(Some(Found {
        appointment: text("appointment"),
        code: text("code"),
        slot_start: text("slot_start"),
        name_masked: text("name_masked"),
        plate_masked: text("plate_masked"),
        advisor_name: js::text(&booking, "advisor_name"),
        services: js::items(&booking, "services").iter().filter_map(JsValue::as_string).collect(),
        transport: text("transport"),
        concerns: text("concerns"),
    }))
}

/// A returning customer's details (`lane_domain::kiosk::ReturningCustomer`), to prefill.
pub struct Returning {
    pub name: String,
    pub email: Option<String>,
    pub make: String,
    pub model: String,
    pub year: Option<u64>,
    pub vin: Option<String>,
}

/// `POST /api/kiosk/returning`: the customer whose phone and plate both match, if any.
pub async fn returning(sync: &SyncEngine, plate: &str, phone: &str) -> Result<Option<Returning>, ApiFailure> {
    let body = js::stringify(&[("plate", plate.into()), ("phone", phone.into())]);
    let answer = call("POST", "/api/kiosk/returning", Some(&token(sync).await), Some(body)).await?;
    let customer = js::field(&answer, "customer");
    let Some(name) = js::text(&customer, "name") else { return Ok(None) };
    Ok(Some(Returning {
        name,
        email: js::text(&customer, "email"),
        make: js::text(&customer, "make").unwrap_or_default(),
        model: js::text(&customer, "model").unwrap_or_default(),
        year: js::count(&customer, "year"),
        vin: js::text(&customer, "vin"),
    }))
}
