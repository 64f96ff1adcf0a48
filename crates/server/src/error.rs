//! The API's one error type: every failure leaves the server as a JSON [`Problem`] with a stable
//! code, and the request changes nothing (handlers write inside one transaction, or not at all).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lane_domain::api::{ErrorCode, Problem};
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    MethodNotAllowed,
    /// The body or query is not what the endpoint takes; the text is serde's account of where.
    BadRequest(String),
    UnsupportedMediaType,
    PayloadTooLarge,
    Unauthorized,
    DeviceRevoked,
    Forbidden(&'static str),
    SignInRequired,
    WrongPin { attempts_left: i64 },
    PinLocked { until: String },
    InvalidEnrolmentCode,
    /// The code is for this other kind of device.
    WrongDeviceKind { code_is: lane_domain::device::DeviceKind },
    /// Well-formed but against a rule; the text is the domain error's message.
    Invalid(String),
    RateLimited,
    DatabaseUnavailable,
    /// The id names other content already; the text says which and what to do.
    Conflict(String),
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        let (code, message) = match self {
            ApiError::NotFound => (ErrorCode::NotFound, "There is no such API endpoint or record.".to_owned()),
            ApiError::MethodNotAllowed => (ErrorCode::MethodNotAllowed, "This endpoint does not accept that HTTP method.".to_owned()),
            ApiError::BadRequest(detail) => (ErrorCode::BadRequest, format!("The request is malformed: {detail}")),
            ApiError::UnsupportedMediaType => {
                (ErrorCode::UnsupportedMediaType, "Send the body as JSON with `Content-Type: application/json`.".to_owned())
            }
            ApiError::PayloadTooLarge => (ErrorCode::PayloadTooLarge, "The request body is too large; send smaller batches.".to_owned()),
            ApiError::Unauthorized => {
                (ErrorCode::Unauthorized, "This device is not enrolled: send its token as `Authorization: Bearer <token>`.".to_owned())
            }
            ApiError::DeviceRevoked => {
                (ErrorCode::DeviceRevoked, "This device was revoked by an administrator; enrol it again with a new code.".to_owned())
            }
            ApiError::Forbidden(what) => (ErrorCode::Forbidden, format!("This device may not {what}.")),
            ApiError::SignInRequired => (ErrorCode::SignInRequired, "An advisor must sign in with their PIN on this tablet first.".to_owned()),
            ApiError::WrongPin { attempts_left } => {
                (ErrorCode::WrongPin, format!("Wrong PIN. {attempts_left} attempts left before the PIN is locked."))
            }
            ApiError::PinLocked { until } => {
                (ErrorCode::PinLocked, format!("Too many wrong PINs: locked until {until} (UTC). Ask a manager if it is urgent."))
            }
            ApiError::WrongDeviceKind { code_is } => {
                let other = if *code_is == lane_domain::device::DeviceKind::Kiosk { "a kiosk" } else { "an advisor tablet" };
                (ErrorCode::WrongDeviceKind, format!("That code is for {other}; type it there. It is still unused."))
            }
            ApiError::InvalidEnrolmentCode => {
                (ErrorCode::InvalidEnrolmentCode, "That enrolment code is unknown, used or expired; ask for a new one.".to_owned())
            }
            ApiError::Invalid(message) => (ErrorCode::Invalid, message.clone()),
            ApiError::RateLimited => (ErrorCode::RateLimited, "Too many attempts from this device; wait a few minutes.".to_owned()),
            ApiError::DatabaseUnavailable => (ErrorCode::DatabaseUnavailable, "The database cannot be reached; try again shortly.".to_owned()),
            ApiError::Conflict(message) => (ErrorCode::Conflict, message.clone()),
        };
        let attempts_left = match self {
            ApiError::WrongPin { attempts_left } => u32::try_from(*attempts_left).ok(),
            _ => None,
        };
        Problem { code, message, attempts_left }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        ApiError::DatabaseUnavailable
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        problem_response(self.problem())
    }
}

pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(problem)).into_response()
}

/// `Json` whose rejections are problems too. Request types deny unknown fields, so a typo in a
/// field name is a 400, not a silently ignored value.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::PayloadTooLarge),
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// `Query` with problem rejections.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| ApiError::BadRequest(rejection.body_text()))
    }
}
