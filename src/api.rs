//! Requests that need an answer at once (enrolment, sign-in, the kiosk's lookups), as opposed
//! to changes, which go through the outbox.

use crate::js;
use crate::sync::TransportError;
use wasm_bindgen::JsValue;

/// Why a request to the API failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// No answer: these requests need the network.
    Network,
    /// The server's `lane_domain::api::Problem`: its stable code (see [`ApiFailure::is`]),
    /// its English message, and for a wrong PIN the attempts left.
    Problem { code: String, message: String, attempts_left: Option<u64> },
    /// Anything else (an unexpected answer), for the person to report.
    Other(String),
}

impl ApiFailure {
    /// Whether the server answered with this code (one of [`js::code`]).
    pub fn is(&self, expected: &str) -> bool {
        matches!(self, ApiFailure::Problem { code, .. } if code == expected)
    }
}

/// One request with an optional JSON body; the answer as the browser parses it (see `crate::js`).
pub async fn call(method: &str, url: &str, token: Option<&str>, body: Option<String>) -> Result<JsValue, ApiFailure> {
    match crate::sync::fetch(method, url, token, None, body.as_deref()).await {
        Ok(answer) => js::parse(&answer).ok_or_else(unexpected),
        Err(TransportError::Network(_)) => Err(ApiFailure::Network),
        Err(TransportError::Status { status, body }) => {
            let problem = js::parse(&body).unwrap_or_default();
            Err(match (js::text(&problem, "code"), js::text(&problem, "message")) {
                (Some(code), Some(message)) => ApiFailure::Problem { code, message, attempts_left: js::count(&problem, "attempts_left") },
                _ => ApiFailure::Other(format!("HTTP {status}")),
            })
        }
    }
}

pub fn unexpected() -> ApiFailure {
    ApiFailure::Other("an unexpected answer".into())
}

