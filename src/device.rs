//! What this device is, as app-wide context: whether and as what it was set up (enrolled), and on
//! a tablet which advisor is signed in. The sync engine keeps it (it reads and writes the store);
//! screens read it with [`use_device`] and change it through the engine.

use crate::api::{call, unexpected, ApiFailure};
use crate::js;
use lane_domain::device::{DeviceKind, Enrolment};
use lane_domain::ids::{AdvisorId, DeviceId};
use leptos::prelude::*;

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

/// `POST /api/devices/enrol`: trades a one-time code for this device's token, as a `kind` device.
pub async fn enrol(code: &str, kind: DeviceKind) -> Result<Enrolment, ApiFailure> {
    // A `lane_domain::device::EnrolRequest`.
    let answer = call("POST", "/api/devices/enrol", None, Some(js::stringify(&[("code", code.into()), ("kind", kind.tag().into())]))).await?;
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
    let answer = call("POST", "/api/advisors/sign-in", Some(token), Some(js::stringify(&[("advisor", advisor.as_str().into()), ("pin", pin.into())]))).await?;
    match (js::text(&answer, "advisor").and_then(|id| AdvisorId::parse(&id).ok()), js::text(&answer, "token")) {
        (Some(advisor), Some(token)) => Ok(Session { advisor, token }),
        _ => Err(unexpected()),
    }
}
