//! The sync protocol, one for every record type (ARCHITECTURE.md, "Sync"). A device records each
//! change as a [`Mutation`] in its outbox; `push` sends them in order and the server answers each
//! with an [`Outcome`]; `pull` returns every record the device may see that changed since its
//! cursor. The server is the truth: a device shows its pending mutations over the server's records.

use crate::appointment::{BookingRequest, Concerns, Transport};
use crate::catalogue::{Advisor, ServiceType};
use crate::customer::Customer;
use crate::ids::{AdvisorId, AppointmentId, CustomerId, DeviceId, MutationId, ServiceTypeId, VehicleId, VisitId};
use crate::signature::Signature;
use crate::vehicle::Vehicle;
use crate::visit::{Visit, VisitEdit, VisitField, VisitState};
use crate::walkaround::KeyTag;
use chrono::{DateTime, Utc};
use crate::newtype::trimmed_within;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most mutations one push may carry; a device sends a longer outbox in several pushes.
pub const MAX_PUSH: usize = 1000;
/// The most records one pull page holds.
pub const MAX_PULL: u32 = 1000;

/// One change a device made, as it sits in the outbox and travels in a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Made on the device; the server answers a repeated id with the answer it gave first.
    pub id: MutationId,
    pub device: DeviceId,
    /// 1, 2, 3, … per device, without gaps: the server applies them in this order.
    pub seq: u64,
    /// The device's clock when the person made the change: the evidence time.
    pub at: DateTime<Utc>,
    pub change: Change,
    /// The advisor signed in on the tablet when the change was made. Pushed later under another
    /// advisor's session, it is still credited to them, if they had a session on this device then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<AdvisorId>,
}

/// What a mutation does. The server validates each against the current state when it applies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A kiosk or tablet books a visit; rejected if the slot filled meanwhile.
    BookAppointment(BookingRequest),
    /// A customer arrives and a visit (repair order) opens.
    CheckIn(CheckIn),
    /// A plain field edit: last applied wins, and the device whose value was replaced is told.
    /// `base` is the visit's version the device had pulled when the person edited (0 for none).
    EditVisit { visit: VisitId, base: u64, edit: VisitEdit },
    /// A step of the visit's state machine.
    AdvanceVisit { visit: VisitId, to: VisitState },
    /// A signature: append-only, never edited.
    Sign(Signature),
    /// Marks a kiosk follow-up handled ([`KioskFollowUp::handle`]), by the advisor signed in.
    HandleFollowUp { follow_up: String, note: String },
    /// Reopens the visit's signed drop-off order as its next version ([`Visit::amend_order`]).
    ///
    /// [`Visit::amend_order`]: crate::visit::Visit::amend_order
    AmendOrder { visit: VisitId },
    /// A fact of the visit after drop-off ([`Visit::record`]): appended, so what two tablets
    /// record offline both count.
    ///
    /// [`Visit::record`]: crate::visit::Visit::record
    RecordVisit { visit: VisitId, event: crate::workshop::VisitEvent },
    /// Sets the customer's class, which sets how often the dealership keeps in touch.
    ClassifyCustomer { customer: crate::ids::CustomerId, class: Option<crate::follow_up::CustomerClass> },
}

impl Change {
    /// Whether a kiosk may send it: kiosks book and check in, nothing else.
    pub fn allowed_on_kiosk(&self) -> bool {
        matches!(self, Change::BookAppointment(_) | Change::CheckIn(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// Made on the device, like every id of a record created offline.
    pub visit: VisitId,
    pub arrival: Arrival,
    pub transport: Transport,
    pub concerns: Concerns,
    pub key_tag: Option<KeyTag>,
    /// A walk-in registered on a tablet: the ids the tablet's visit file uses for the customer
    /// and the vehicle, so it works before the server answers. The server keeps a customer it
    /// finds by phone (and their vehicle by plate) under their own ids, and gives these ids to
    /// the records it creates. Ignored for a booked arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<ProposedParties>,
}

/// See [`CheckIn::parties`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposedParties {
    pub customer: CustomerId,
    pub vehicle: VehicleId,
}

/// A customer arrives with a booking, or without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    Booked(AppointmentId),
    /// A walk-in registers with the same fields as a booking; its slot is the arrival time.
    WalkIn(Box<BookingRequest>),
}

/// `POST /api/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// One per mutation the server has now answered, in order: a prefix of the batch. Mutations
    /// without a result (after a gap in the sequence) are to be sent again.
    pub results: Vec<PushResult>,
    /// The last sequence number of this device that the server applied.
    pub last_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// No deny_unknown_fields: serde does not support it beside `flatten`; this is a response type.
pub struct PushResult {
    pub id: MutationId,
    pub seq: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Either answer acknowledges the mutation: the device may drop it from its outbox (keeping a
/// rejected one on screen until the person has seen why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt: Option<Receipt>,
    },
    Rejected {
        reason: Rejection,
    },
}

/// What the server decided while applying, that the device shows at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Receipt {
    /// A booking is confirmed: who receives the customer.
    Booked { advisor: AdvisorId, advisor_name: String },
    /// A visit is open: who comes to the customer (a booking's advisor, or the one a walk-in was
    /// given). Null when no advisor is active: staff at the desk take the customer.
    CheckedIn { advisor: Option<AdvisorId>, advisor_name: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub code: RejectCode,
    /// In English, for logs and staff; devices translate by `code`.
    pub message: String,
}

/// Why a mutation was refused. Stable: add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// The slot filled while the booking waited offline: offer another.
    SlotFull,
    /// A field breaks a rule (the message names it).
    Invalid,
    /// The record it changes does not exist (or this device may not see it).
    NotFound,
    /// A record with this id exists already, with other content.
    AlreadyExists,
    /// Not a step the visit can take from its current state.
    InvalidTransition,
    /// The order is signed: a change needs a new version and a new signature.
    OrderSigned,
    /// This kind of device may not make this change.
    Forbidden,
    /// The mutation names another device than the one pushing it.
    WrongDevice,
    /// A signature covers another document than the server holds (it changed meanwhile): sign again.
    DocumentMismatch,
}

/// `GET /api/sync/pull?cursor=N&limit=M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The `cursor` of the last page received; 0 for everything.
    #[serde(default)]
    pub cursor: u64,
    /// At most [`MAX_PULL`]; the server's default is 500.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    /// The latest state of each record changed after the cursor, oldest change first.
    pub records: Vec<Pulled>,
    /// Send this as the next pull's cursor.
    pub cursor: u64,
    /// Whether more changes wait: pull again at once.
    pub more: bool,
    /// As in [`PushResponse`]: lets a device whose storage was wiped continue its numbering.
    pub last_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pulled {
    /// The server's version of the record: higher is newer.
    pub version: u64,
    pub record: Record,
}

/// Every record type a device can hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    ServiceType(ServiceType),
    Advisor(Advisor),
    Customer(Customer),
    Vehicle(Vehicle),
    Appointment(crate::appointment::Appointment),
    Visit(Box<Visit>),
    Signature(Box<Signature>),
    Notice(Notice),
    KioskFollowUp(KioskFollowUp),
}

/// A message for one device: a field it edited was overwritten by a later edit from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    /// The device that made the overwritten edit: the only one that pulls this notice.
    pub to_device: DeviceId,
    pub visit: VisitId,
    pub field: VisitField,
    /// The device whose later edit won.
    pub by_device: DeviceId,
    pub at: DateTime<Utc>,
}

/// A kiosk's booking or check-in that the server refused (a slot that filled while it waited, a
/// booking cancelled meanwhile): the customer may have walked away from the screen, so staff get
/// what was asked for and how to reach them. Tablets pull it; kiosks never do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskFollowUp {
    pub id: String,
    /// The kiosk, and its name as enrolled ("Lobby kiosk"), so staff know where it happened.
    pub device: DeviceId,
    pub device_name: String,
    /// The kiosk's clock when the customer sent it.
    pub at: DateTime<Utc>,
    pub reason: Rejection,
    /// The customer's name, phone and plate as typed (a refusal may be of a typo), or, for a
    /// booked check-in, from the booking; empty when the booking does not exist.
    pub name: String,
    pub phone: String,
    pub plate: String,
    /// The time asked for (a walk-in's is its arrival); null for a booked check-in whose booking
    /// does not exist.
    pub slot_start: Option<DateTime<Utc>>,
    pub services: Vec<ServiceTypeId>,
    /// Once someone called the customer back: who, when, and what was agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled: Option<FollowUpHandled>,
}

/// How a kiosk follow-up was dealt with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpHandled {
    pub by: AdvisorId,
    pub at: DateTime<Utc>,
    /// What was agreed with the customer ("rebooked for Tuesday 10:00", "no answer, SMS sent").
    pub note: String,
}

/// The longest note on a handled follow-up, in characters.
pub const MAX_FOLLOW_UP_NOTE: usize = 500;

/// Why a follow-up cannot be marked handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpError {
    NoteEmpty,
    NoteTooLong { length: usize },
    AlreadyHandled,
}

impl fmt::Display for FollowUpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowUpError::NoteEmpty => write!(f, "Say what was agreed with the customer before marking the call handled."),
            FollowUpError::NoteTooLong { length } => write!(f, "Keep the note to {MAX_FOLLOW_UP_NOTE} characters; this one has {length}."),
            FollowUpError::AlreadyHandled => write!(f, "Someone has handled this call back already."),
        }
    }
}

impl std::error::Error for FollowUpError {}

impl FollowUpHandled {
    /// `by` called the customer back at `at`; `note` says what was agreed (trimmed, required).
    pub fn new(by: AdvisorId, at: DateTime<Utc>, note: &str) -> Result<FollowUpHandled, FollowUpError> {
        let note = trimmed_within(note, MAX_FOLLOW_UP_NOTE).map_err(|length| FollowUpError::NoteTooLong { length })?;
        if note.is_empty() {
            return Err(FollowUpError::NoteEmpty);
        }
        Ok(FollowUpHandled { by, at, note })
    }
}

impl KioskFollowUp {
    /// Records how the call back was handled; once only.
    pub fn handle(&mut self, handled: FollowUpHandled) -> Result<(), FollowUpError> {
        if self.handled.is_some() {
            return Err(FollowUpError::AlreadyHandled);
        }
        self.handled = Some(handled);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_follow_up_is_handled_once_with_what_was_agreed() {
        let rejection = Rejection { code: RejectCode::SlotFull, message: "Full.".into() };
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap();
        let mut follow_up = KioskFollowUp {
            id: "f-1".into(),
            device: DeviceId::parse("kiosk-1").unwrap(),
            device_name: "Lobby".into(),
            at,
            reason: rejection,
            name: "Noah Park".into(),
            phone: "13955556666".into(),
            plate: "沪C55555".into(),
            slot_start: None,
            services: vec![],
            handled: None,
        };
        let by = AdvisorId::parse("adv-1").unwrap();
        assert_eq!(FollowUpHandled::new(by.clone(), at, "   "), Err(FollowUpError::NoteEmpty));
        assert_eq!(FollowUpHandled::new(by.clone(), at, &"x".repeat(501)), Err(FollowUpError::NoteTooLong { length: 501 }));
        follow_up.handle(FollowUpHandled::new(by.clone(), at, "  Rebooked for Tuesday 10:00 ").unwrap()).unwrap();
        assert_eq!(follow_up.handled.as_ref().unwrap().note, "Rebooked for Tuesday 10:00");
        assert_eq!(follow_up.handle(FollowUpHandled::new(by, at, "again").unwrap()), Err(FollowUpError::AlreadyHandled));
        let json = serde_json::to_value(&follow_up).unwrap();
        assert_eq!(json["handled"]["by"], "adv-1");
    }
}
