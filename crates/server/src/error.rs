//! The API's one error type: every failure leaves the server as a JSON [`Problem`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lane_domain::api::{ErrorCode, Problem};

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    MethodNotAllowed,
    DatabaseUnavailable,
}

impl ApiError {
    fn problem(&self) -> Problem {
        let (code, message) = match self {
            ApiError::NotFound => (ErrorCode::NotFound, "There is no such API endpoint."),
            ApiError::MethodNotAllowed => (ErrorCode::MethodNotAllowed, "This endpoint does not accept that HTTP method."),
            ApiError::DatabaseUnavailable => (ErrorCode::DatabaseUnavailable, "The database cannot be reached; try again shortly."),
        };
        Problem { code, message: message.to_owned() }
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
