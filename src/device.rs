//! What this device is, as app-wide context: whether and as what it was set up (enrolled), and on
//! a tablet which advisor is signed in. The sync engine keeps it (it reads and writes the store);
//! screens read it with [`use_device`] and change it through the engine.

use crate::js;
use crate::sync::TransportError;
use lane_domain::device::{DeviceKind, Enrolment};
use lane_domain::ids::{AdvisorId, DeviceId};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[derive(Clone, Copy)]
pub struct Device {
    /// False until the store has been read: screens show nothing rather than the wrong thing.
    pub loaded: RwSignal<bool>,
    pub enrolled: RwSignal<Option<Enrolled>>,
    pub session: RwSignal<Option<SignedIn>>,
    /// Bumped whenever pulled records were written, so lists read from the store read again.
    pub records: RwSignal<u32>,
}

impl Device {
    pub fn new() -> Self {
        Device { loaded: RwSignal::new(false), enrolled: RwSignal::new(None), session: RwSignal::new(None), records: RwSignal::new(0) }
    }
}

impl Default for Device {
    fn default() -> Self {
        Device::new()
    }
}

/// The device, from the sync engine's context (which keeps it).
pub fn use_device() -> Device {
    crate::sync::use_sync().device()
}

/// This device as the server enrolled it (its token stays in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub device: String,
    pub kind: DeviceKind,
    pub name: String,
}

/// The advisor signed in on this tablet, kept in the store so a reload (even offline) keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub advisor: AdvisorId,
    pub name: String,
    /// Sent as `lane-advisor-session` with every push.
    pub token: String,
}

/// Why an enrolment or sign-in request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// No answer: these requests need the network.
    Network,
    /// The server's `lane_domain::api::Problem`: its stable code (see [`ApiFailure::is`])
    /// and its English message.
    Problem { code: String, message: String },
    /// Anything else (an unexpected answer), for the person to report.
    Other(String),
}

impl ApiFailure {
    /// Whether the server answered with this code (one of [`js::code`]).
    pub fn is(&self, expected: &str) -> bool {
        matches!(self, ApiFailure::Problem { code, .. } if code == expected)
    }
}

/// POSTs a JSON body; the answer as the browser parses it (see `crate::js`).
async fn call(url: &str, token: Option<&str>, body: String) -> Result<JsValue, ApiFailure> {
    match crate::sync::fetch("POST", url, token, None, Some(&body)).await {
        Ok(answer) => js::parse(&answer).ok_or_else(unexpected),
        Err(TransportError::Network(_)) => Err(ApiFailure::Network),
        Err(TransportError::Status { status, body }) => {
            let problem = js::parse(&body).unwrap_or_default();
            Err(match (js::text(&problem, "code"), js::text(&problem, "message")) {
                (Some(code), Some(message)) => ApiFailure::Problem { code, message },
                _ => ApiFailure::Other(format!("HTTP {status}")),
            })
        }
    }
}

fn unexpected() -> ApiFailure {
    ApiFailure::Other("an unexpected answer".into())
}

/// `POST /api/devices/enrol`: trades a one-time code for this device's token.
pub async fn enrol(code: &str) -> Result<Enrolment, ApiFailure> {
    // A `lane_domain::device::EnrolRequest`.
    let answer = call("/api/devices/enrol", None, js::stringify(&[("code", code.into())])).await?;
    // A `lane_domain::device::Enrolment`: `{"device","kind","name","token"}`.
    let device = js::text(&answer, "device").and_then(|id| DeviceId::parse(&id).ok());
    let kind = js::text(&answer, "kind").and_then(|tag| DeviceKind::from_tag(&tag));
    match (device, kind, js::text(&answer, "name"), js::text(&answer, "token")) {
        (Some(device), Some(kind), Some(name), Some(token)) => Ok(Enrolment { device, kind, name, token }),
        _ => Err(unexpected()),
    }
}

/// What the tablet keeps of `lane_domain::device::AdvisorSession` (`{"advisor","token","expires_at"}`):
/// the server decides when a session ends.
pub struct Session {
    pub advisor: AdvisorId,
    pub token: String,
}

/// `POST /api/advisors/sign-in` with the tablet's token.
pub async fn sign_in(token: &str, advisor: AdvisorId, pin: String) -> Result<Session, ApiFailure> {
    // A `lane_domain::device::PinSignIn`.
    let answer = call("/api/advisors/sign-in", Some(token), js::stringify(&[("advisor", advisor.as_str().into()), ("pin", pin.into())])).await?;
    match (js::text(&answer, "advisor").and_then(|id| AdvisorId::parse(&id).ok()), js::text(&answer, "token")) {
        (Some(advisor), Some(token)) => Ok(Session { advisor, token }),
        _ => Err(unexpected()),
    }
}
