//! The drop-off order (进厂维修单, DOMAIN.md steps 4-5): exactly what the customer reads and signs
//! when leaving the car. Device and server both build it from the visit with [`DropOffOrder::of`],
//! so the server can check that a signature covers the visit as it stands, not as a device thought.

use crate::appointment::{Concerns, Transport};
use crate::customer::{Customer, PersonName, Phone};
use crate::jobs::{order_total, Estimate, JobError, JobLine, PricingBasis};
use crate::readings::DropOffReadings;
use crate::signature::Tamper;
use crate::vehicle::{Plate, Vehicle, Vin};
use crate::visit::{Visit, VisitState};
use crate::walkaround::{Belongings, KeyTag, Walkaround};
use crate::{Language, Money};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The signed content. Field order is part of the canonical form (see `signature`): add fields at
/// the end, never reorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DropOffOrder {
    /// The language the customer read it in.
    pub language: Language,
    pub customer_name: PersonName,
    pub customer_phone: Phone,
    pub plate: Plate,
    pub vin: Option<Vin>,
    /// Make, model and year as one line, as printed.
    pub vehicle: String,
    pub concerns: Concerns,
    pub diagnosis: String,
    pub transport: Transport,
    pub walkaround: Walkaround,
    pub readings: DropOffReadings,
    pub belongings: Belongings,
    pub key_tag: Option<KeyTag>,
    pub job_lines: Vec<JobLine>,
    pub total: Money,
    pub estimate: Estimate,
    pub promised_at: Option<DateTime<Utc>>,
    pub pricing_basis: PricingBasis,
}

/// Why an order cannot be put before the customer yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderError {
    /// The walk-around is not finished, or the order is signed already.
    NotReadyToSign { state: VisitState },
    NoJobLines,
    NoReadings,
    NoEstimate,
    ValuablesReminderMissing,
    Total(JobError),
}

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderError::NotReadyToSign { state: VisitState::CheckedIn } => {
                write!(f, "Finish the walk-around before the customer signs the order.")
            }
            OrderError::NotReadyToSign { .. } => write!(f, "The order is signed already; a change needs an amended order."),
            OrderError::NoJobLines => write!(f, "Add at least one job line before the customer signs."),
            OrderError::NoReadings => write!(f, "Record the odometer and fuel before the customer signs."),
            OrderError::NoEstimate => write!(f, "Give the estimate of cost and time before the customer signs."),
            OrderError::ValuablesReminderMissing => {
                write!(f, "Remind the customer to take their valuables, and tick it, before they sign.")
            }
            OrderError::Total(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OrderError {}

impl DropOffOrder {
    /// The order for `visit` as it stands, if it is complete enough to sign: the walk-around
    /// done, readings taken, the valuables reminder given, at least one line, and an estimate.
    pub fn of(visit: &Visit, customer: &Customer, vehicle: &Vehicle) -> Result<DropOffOrder, OrderError> {
        if visit.state != VisitState::WalkAroundDone {
            return Err(OrderError::NotReadyToSign { state: visit.state });
        }
        DropOffOrder::as_signed(visit, customer, vehicle)
    }

    /// The order as [`DropOffOrder::of`] builds it, whatever the visit's state: what a signed
    /// visit shows and prints (and checks against its signature's hash).
    pub fn as_signed(visit: &Visit, customer: &Customer, vehicle: &Vehicle) -> Result<DropOffOrder, OrderError> {
        let readings = visit.drop_off.clone().ok_or(OrderError::NoReadings)?;
        let first = visit.job_lines.first().ok_or(OrderError::NoJobLines)?;
        let estimate = visit.estimate.ok_or(OrderError::NoEstimate)?;
        if !visit.belongings.valuables_reminder_confirmed {
            return Err(OrderError::ValuablesReminderMissing);
        }
        let total = order_total(&visit.job_lines, first.unit_price.currency).map_err(OrderError::Total)?;
        Ok(DropOffOrder {
            language: customer.language,
            customer_name: customer.name.clone(),
            customer_phone: customer.phone.clone(),
            plate: vehicle.plate.clone(),
            vin: vehicle.vin.clone(),
            vehicle: crate::document::vehicle_line(vehicle),
            concerns: visit.concerns.clone(),
            diagnosis: visit.diagnosis.clone(),
            transport: visit.transport,
            walkaround: visit.walkaround.clone(),
            readings,
            belongings: visit.belongings.clone(),
            key_tag: visit.key_tag.clone(),
            job_lines: visit.job_lines.clone(),
            total,
            estimate,
            promised_at: visit.promised_at,
            pricing_basis: visit.pricing_basis,
        })
    }

    /// Whether the visit still holds what was signed. The fields frozen by signing
    /// ([`crate::visit::VisitField::is_on_signed_order`]) must be unchanged, and every signed job
    /// line still on the order as it was; lines added since are added work, signed for apart.
    pub fn still_matches(&self, visit: &Visit) -> bool {
        self.concerns == visit.concerns
            && self.walkaround == visit.walkaround
            && Some(&self.readings) == visit.drop_off.as_ref()
            && self.belongings == visit.belongings
            && Some(self.estimate) == visit.estimate
            && self.pricing_basis == visit.pricing_basis
            && self.job_lines.iter().all(|line| visit.job_lines.contains(line))
    }
}

/// The first version of a visit's drop-off order. A change after signing needs an amended order
/// (a later version), signed again.
pub const FIRST_VERSION: u32 = 1;

/// `GET /api/signatures/{id}/verification`: whether a stored signature still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Verification {
    pub signature: crate::ids::SignatureId,
    pub holds: bool,
    /// Why not, when it does not: `document_changed`, `consent_changed` or `wrong_document`.
    pub problem: Option<String>,
    /// In English, for staff and logs.
    pub message: Option<String>,
    /// The order was amended since: this signature covers an earlier version, which it still
    /// proves, and the visit's current version has its own.
    pub superseded: bool,
}

impl Verification {
    pub fn of(signature: crate::ids::SignatureId, outcome: Result<(), Tamper>, superseded: bool) -> Verification {
        let problem = outcome.err();
        let code = |tamper: Tamper| match tamper {
            Tamper::DocumentChanged => "document_changed",
            Tamper::ConsentChanged => "consent_changed",
            Tamper::WrongDocument => "wrong_document",
        };
        Verification {
            signature,
            holds: problem.is_none(),
            problem: problem.map(|t| code(t).to_owned()),
            message: problem.map(|t| t.to_string()),
            superseded,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::{CustomerId, DeviceId, JobLineId, SignatureId, VehicleId, VisitId};
    use crate::jobs::JobItem;
    use crate::readings::{DistanceUnit, FuelEighths, Odometer};
    use crate::document::verify_stored;
    use crate::signature::{canonical_document, DocumentKind, Draft, Point, Signature, Signer, SignerRole, Stroke, Strokes};
    use crate::Currency;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 1, 30, 0).unwrap()
    }

    pub(crate) fn customer() -> Customer {
        Customer {
            id: CustomerId::parse("c-1").unwrap(),
            name: PersonName::parse("王芳").unwrap(),
            phone: Phone::parse("13800138000").unwrap(),
            email: None,
            language: Language::SimplifiedChinese,
            class: None,
        }
    }

    pub(crate) fn vehicle() -> Vehicle {
        Vehicle {
            id: VehicleId::parse("v-1").unwrap(),
            customer: CustomerId::parse("c-1").unwrap(),
            plate: Plate::parse("沪A12345").unwrap(),
            vin: None,
            make: "Volkswagen".into(),
            model: "Passat".into(),
            year: Some(2021),
            colour: None,
            last_odometer: None,
        }
    }

    fn ready_visit() -> Visit {
        let check_in = crate::sync::CheckIn {
            visit: VisitId::parse("visit-1").unwrap(),
            arrival: crate::sync::Arrival::Booked(crate::ids::AppointmentId::parse("a-1").unwrap()),
            transport: Transport::Wait,
            concerns: Concerns::parse("Squeak when braking").unwrap(),
            key_tag: None,
            parties: None,
        };
        let parties = crate::visit::Parties { customer: customer().id, vehicle: vehicle().id, advisor: None };
        let mut visit = Visit::check_in(&check_in, None, parties, at());
        visit.state = VisitState::WalkAroundDone;
        visit.drop_off = Some(DropOffReadings { odometer: Odometer { value: 42_000, unit: DistanceUnit::Km }, fuel: FuelEighths::new(4).unwrap(), correction_reason: None });
        visit.belongings.valuables_reminder_confirmed = true;
        visit.job_lines = vec![JobLine {
            id: JobLineId::parse("j-1").unwrap(),
            description: "Front brake pads".into(),
            service_type: None,
            item: JobItem::Labour,
            quantity_milli: 1500,
            unit_price: Money::new(30_000, Currency::Cny),
            added: None,
        }];
        visit.estimate = Some(Estimate { cost: Money::new(45_000, Currency::Cny), minutes: 90, margin_percent: 10 });
        visit
    }

    fn strokes() -> Strokes {
        let points = (0..20).map(|i| Point { x: 1000 + i * 300, y: 5000, t: u32::from(i) * 8, pressure: 0 }).collect();
        Strokes::new(vec![Stroke { points }]).unwrap()
    }

    const CONSENT: &str = "我已阅读本委托书并以电子方式签名。";

    fn signed(visit: &Visit) -> (Signature, String) {
        let order = DropOffOrder::of(visit, &customer(), &vehicle()).unwrap();
        let canonical = canonical_document(DocumentKind::DropOffOrder, &visit.id, visit.order_version, &order).unwrap();
        let signer = Signer { name: customer().name, role: SignerRole::Customer };
        let device = DeviceId::parse("tablet-1").unwrap();
        let signed = Draft::new(DocumentKind::DropOffOrder, visit.id.clone(), visit.order_version, order)
            .sign(CONSENT, signer, strokes(), device, at(), SignatureId::parse("sig-1").unwrap())
            .unwrap();
        (signed.signature().clone(), canonical)
    }

    #[test]
    fn an_order_needs_what_the_customer_signs_for() {
        let visit = ready_visit();
        let order = DropOffOrder::of(&visit, &customer(), &vehicle()).unwrap();
        assert_eq!(order.total, Money::new(45_000, Currency::Cny));
        assert_eq!(order.vehicle, "Volkswagen Passat 2021");
        assert_eq!(order.pricing_basis, PricingBasis::ByItem);
        let refused = |change: fn(&mut Visit)| {
            let mut v = ready_visit();
            change(&mut v);
            DropOffOrder::of(&v, &customer(), &vehicle()).unwrap_err()
        };
        assert_eq!(refused(|v| v.job_lines.clear()), OrderError::NoJobLines);
        assert_eq!(refused(|v| v.drop_off = None), OrderError::NoReadings);
        assert_eq!(refused(|v| v.estimate = None), OrderError::NoEstimate);
        assert_eq!(refused(|v| v.belongings.valuables_reminder_confirmed = false), OrderError::ValuablesReminderMissing);
        assert_eq!(refused(|v| v.state = VisitState::CheckedIn), OrderError::NotReadyToSign { state: VisitState::CheckedIn });
        assert!(refused(|v| v.state = VisitState::WrittenUpAndSigned).to_string().contains("signed already"));
    }

    #[test]
    fn a_stored_signature_verifies_and_one_changed_byte_does_not() {
        let visit = ready_visit();
        let (signature, canonical) = signed(&visit);
        assert_eq!(verify_stored(&signature, &canonical, &visit), Ok(()));
        let tampered = canonical.replacen("42000", "41000", 1);
        assert_ne!(tampered, canonical);
        assert_eq!(verify_stored(&signature, &tampered, &visit), Err(Tamper::DocumentChanged));
        let mut consent = signature.clone();
        consent.consent_text.push('!');
        assert_eq!(verify_stored(&consent, &canonical, &visit), Err(Tamper::ConsentChanged));
    }

    #[test]
    fn the_visit_must_still_hold_what_was_signed() {
        let visit = ready_visit();
        let (signature, canonical) = signed(&visit);
        let mut changed = visit.clone();
        changed.drop_off.as_mut().unwrap().odometer.value = 40_000;
        assert_eq!(verify_stored(&signature, &canonical, &changed), Err(Tamper::DocumentChanged));
        let mut repriced = visit.clone();
        repriced.pricing_basis = PricingBasis::BySystem;
        assert_eq!(verify_stored(&signature, &canonical, &repriced), Err(Tamper::DocumentChanged));
        // Not on the signed order: the promised time moves with added work.
        let mut later = visit.clone();
        later.promised_at = Some(at());
        assert_eq!(verify_stored(&signature, &canonical, &later), Ok(()));
        let mut other = visit;
        other.id = VisitId::parse("visit-2").unwrap();
        assert_eq!(verify_stored(&signature, &canonical, &other), Err(Tamper::WrongDocument));
    }

    #[test]
    fn an_amended_orders_first_signature_still_proves_its_version() {
        let mut visit = ready_visit();
        let (first, first_canonical) = signed(&visit);
        visit.state = VisitState::WrittenUpAndSigned;
        visit.amend_order().unwrap();
        visit.concerns = Concerns::parse("Squeak when braking, and a rattle").unwrap();
        // The first version's signature holds for what it covered, not for the visit now.
        assert_eq!(verify_stored(&first, &first_canonical, &visit), Ok(()));
        assert_eq!(verify_stored(&first, &first_canonical.replacen("42000", "41000", 1), &visit), Err(Tamper::DocumentChanged));
        let (second, second_canonical) = signed(&visit);
        assert_eq!(second.document.version, 2);
        assert_ne!(second.document.sha256, first.document.sha256);
        assert_eq!(verify_stored(&second, &second_canonical, &visit), Ok(()));
        let mut changed = visit.clone();
        changed.walkaround.warning_lights.clear();
        changed.belongings.items.push("Umbrella".into());
        assert_eq!(verify_stored(&second, &second_canonical, &changed), Err(Tamper::DocumentChanged));
    }
}
