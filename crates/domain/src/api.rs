//! Messages of the HTTP API that both the app and the server read and write.

use serde::{Deserialize, Serialize};

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// The server's version (the workspace version).
    pub version: String,
    /// Whether a round trip to the database succeeded just now.
    pub database: bool,
}

/// Every error the API returns, in one JSON shape: a stable machine code that clients branch on,
/// and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub code: ErrorCode,
    pub message: String,
    /// With `wrong_pin`: how many more wrong PINs lock the advisor out, for the app to say in
    /// the person's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

/// Stable error codes. Renaming one breaks clients: add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    NotFound,
    MethodNotAllowed,
    BadRequest,
    UnsupportedMediaType,
    PayloadTooLarge,
    /// No device token, or one the server does not know.
    Unauthorized,
    /// The device was revoked by an admin; it must be enrolled again.
    DeviceRevoked,
    /// The device or person may not do this (a kiosk asking for customer data, say).
    Forbidden,
    /// A tablet change needs an advisor signed in with their PIN.
    SignInRequired,
    WrongPin,
    PinLocked,
    /// An enrolment code that is unknown, used or expired.
    InvalidEnrolmentCode,
    /// An enrolment code made for the other kind of device (kiosk or tablet); it stays unused.
    WrongDeviceKind,
    /// Well-formed, but breaks a rule; the message says which.
    Invalid,
    RateLimited,
    DatabaseUnavailable,
    Internal,
    /// The id is already taken by different content (a photo uploaded again with other bytes).
    Conflict,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::BadRequest => 400,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Unauthorized | ErrorCode::DeviceRevoked | ErrorCode::WrongPin => 401,
            ErrorCode::Forbidden | ErrorCode::SignInRequired => 403,
            ErrorCode::PinLocked => 423,
            ErrorCode::WrongDeviceKind | ErrorCode::Conflict => 409,
            ErrorCode::InvalidEnrolmentCode | ErrorCode::Invalid => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::DatabaseUnavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_has_a_stable_wire_form() {
        let p = Problem { code: ErrorCode::NotFound, message: "No such thing.".into(), attempts_left: None };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"code":"not_found","message":"No such thing."}"#
        );
        let pin = Problem { code: ErrorCode::WrongPin, message: "Wrong PIN.".into(), attempts_left: Some(2) };
        assert_eq!(serde_json::to_string(&pin).unwrap(), r#"{"code":"wrong_pin","message":"Wrong PIN.","attempts_left":2}"#);
    }

    #[test]
    fn health_rejects_unknown_fields() {
        let err = serde_json::from_str::<Health>(r#"{"version":"1","database":true,"x":1}"#);
        assert!(err.is_err());
    }
}
