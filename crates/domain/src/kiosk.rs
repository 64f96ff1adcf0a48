//! What a kiosk may ask the server, and the narrow shape of every answer: a kiosk serves strangers
//! one after another, so no answer carries more than the person at the screen needs to recognise
//! their own booking and check in, or, having proved they own the car and the phone, to skip
//! retyping their details.

use crate::appointment::{ConfirmationCode, Transport};
use crate::capacity::FreeSlot;
use crate::ids::{AppointmentId, ServiceTypeId};
use crate::Language;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/kiosk/slots?day=2026-11-24`: a day in the dealership's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SlotsQuery {
    pub day: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Slots {
    pub day: NaiveDate,
    /// Slots after now that still have room, earliest first; empty on a closed day.
    pub slots: Vec<FreeSlot>,
}

/// `POST /api/kiosk/lookup`: one booking, by its code or by plate plus the phone's last four digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum LookupRequest {
    Code { code: String },
    Plate { plate: String, phone_last4: String },
}

/// The same shape for a hit and a miss: `booking` is null when nothing matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LookupResponse {
    pub booking: Option<BookingSummary>,
}

/// Enough to recognise one's own booking and check in, nothing more: who it is stays masked, while
/// how the customer gets on and what they said is wrong are theirs to confirm or correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookingSummary {
    pub appointment: AppointmentId,
    pub code: ConfirmationCode,
    pub slot_start: DateTime<Utc>,
    /// "王*", "J**** C*****".
    pub name_masked: String,
    /// "•••345".
    pub plate_masked: String,
    pub advisor_name: Option<String>,
    /// Named in the customer's language from the catalogue the kiosk already holds.
    pub services: Vec<ServiceTypeId>,
    pub transport: Transport,
    /// The customer's own words from the booking (may be empty); the check-in sends them back,
    /// edited or not.
    pub concerns: String,
}

/// `POST /api/kiosk/returning`: a returning customer, by the car's plate and their whole phone
/// number (spaces and dashes as typed are fine).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturningRequest {
    pub plate: String,
    pub phone: String,
}

/// The same shape for a hit and a miss: `customer` is null unless a customer with exactly that
/// phone number owns a car with exactly that plate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturningResponse {
    pub customer: Option<ReturningCustomer>,
}

/// What the booking or walk-in form is pre-filled with, in [`crate::appointment::BookingRequest`]'s
/// field names: the person typed the plate and phone already, so neither comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturningCustomer {
    pub name: String,
    pub email: Option<String>,
    pub language: Language,
    pub make: String,
    pub model: String,
    pub year: Option<u16>,
    pub vin: Option<String>,
}

/// Keeps the first character of each word and stars the rest.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            first + &"*".repeat(chars.count().max(1))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_initials() {
        assert_eq!(mask_name("王芳"), "王*");
        assert_eq!(mask_name("James Carter"), "J**** C*****");
        assert_eq!(mask_name("박서연"), "박**");
        assert_eq!(mask_name("A"), "A*");
    }

    #[test]
    fn lookups_are_tagged_and_strict() {
        let by_code: LookupRequest = serde_json::from_str(r#"{"by":"code","code":"K7M2QX"}"#).unwrap();
        assert_eq!(by_code, LookupRequest::Code { code: "K7M2QX".into() });
        assert!(serde_json::from_str::<LookupRequest>(r#"{"by":"code","code":"K7M2QX","name":"x"}"#).is_err());
        assert!(serde_json::from_str::<LookupRequest>(r#"{"by":"name","name":"x"}"#).is_err());
    }

    #[test]
    fn returning_requests_are_strict() {
        let request: ReturningRequest = serde_json::from_str(r#"{"plate":"沪A 12345","phone":"138 0013 8001"}"#).unwrap();
        assert_eq!(request, ReturningRequest { plate: "沪A 12345".into(), phone: "138 0013 8001".into() });
        assert!(serde_json::from_str::<ReturningRequest>(r#"{"plate":"沪A12345"}"#).is_err());
        assert!(serde_json::from_str::<ReturningRequest>(r#"{"plate":"沪A12345","phone":"13800138001","name":"x"}"#).is_err());
    }
}
