//! The documents a customer signs on a visit, one way for all three: the device builds the next
//! one with [`Document::next`], shows it and signs its canonical form; the server builds it again
//! from its own copy of the visit, and accepts the signature only if the two are the same.
//! [`Visit::take_signature`] is what a signature then does to the visit.

use crate::added_work::{pending, AddedWorkApproval, AddedWorkError};
use crate::customer::{Customer, PersonName};
use crate::drop_off::{DropOffOrder, OrderError};
use crate::ids::VisitId;
use crate::jobs::{Answer, Channel, Decision};
use crate::pickup::{PickupAcceptance, PickupError};
use crate::signature::{canonical_document, DocumentKind, Sha256, Signature, Tamper};
use crate::vehicle::{Plate, Vehicle};
use crate::visit::{Visit, VisitError, VisitState};
use crate::Language;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who and what a document is about, as printed at its top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heading {
    /// The language the customer read it in.
    pub language: Language,
    pub customer_name: PersonName,
    pub plate: Plate,
    /// Make, model and year as one line.
    pub vehicle: String,
}

impl Heading {
    pub fn of(customer: &Customer, vehicle: &Vehicle) -> Heading {
        Heading { language: customer.language, customer_name: customer.name.clone(), plate: vehicle.plate.clone(), vehicle: vehicle_line(vehicle) }
    }
}

/// Make, model and year, as a document prints them.
pub fn vehicle_line(vehicle: &Vehicle) -> String {
    let year = vehicle.year.map(|y| format!(" {y}")).unwrap_or_default();
    format!("{} {}{year}", vehicle.make, vehicle.model).trim().to_owned()
}

/// A document's content; serialized as the content alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Document {
    DropOff(DropOffOrder),
    AddedWork(AddedWorkApproval),
    Pickup(PickupAcceptance),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    Order(OrderError),
    AddedWork(AddedWorkError),
    Pickup(PickupError),
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::Order(e) => e.fmt(f),
            DocumentError::AddedWork(e) => e.fmt(f),
            DocumentError::Pickup(e) => e.fmt(f),
        }
    }
}

impl DocumentError {
    /// Whether the visit is at the wrong step for it (rather than missing something).
    pub fn wrong_step(&self) -> bool {
        matches!(
            self,
            DocumentError::Order(OrderError::NotReadyToSign { .. }) | DocumentError::AddedWork(AddedWorkError::NotInWorkshop { .. }) | DocumentError::Pickup(PickupError::NotReady { .. })
        )
    }
}

impl std::error::Error for DocumentError {}

/// A document with the version it has on its visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub version: u32,
    pub document: Document,
}

impl Versioned {
    /// The exact text that is hashed and signed.
    pub fn canonical(&self, visit: &VisitId) -> String {
        canonical_document(self.document.kind(), visit, self.version, &self.document).expect("documents serialize")
    }
}

impl Document {
    /// The document of `kind` the customer signs next on `visit`, if the visit is ready for it.
    pub fn next(kind: DocumentKind, visit: &Visit, customer: &Customer, vehicle: &Vehicle) -> Result<Versioned, DocumentError> {
        let heading = Heading::of(customer, vehicle);
        Ok(match kind {
            DocumentKind::DropOffOrder => Versioned {
                version: visit.order_version,
                document: Document::DropOff(DropOffOrder::of(visit, customer, vehicle).map_err(DocumentError::Order)?),
            },
            DocumentKind::AddedWorkApproval => Versioned {
                version: visit.approvals_signed + 1,
                document: Document::AddedWork(AddedWorkApproval::of(visit, heading).map_err(DocumentError::AddedWork)?),
            },
            DocumentKind::PickupAcceptance => Versioned {
                version: crate::drop_off::FIRST_VERSION,
                document: Document::Pickup(PickupAcceptance::of(visit, heading).map_err(DocumentError::Pickup)?),
            },
        })
    }

    pub fn kind(&self) -> DocumentKind {
        match self {
            Document::DropOff(_) => DocumentKind::DropOffOrder,
            Document::AddedWork(_) => DocumentKind::AddedWorkApproval,
            Document::Pickup(_) => DocumentKind::PickupAcceptance,
        }
    }
}

impl Visit {
    /// What the customer's signature on a document of `kind` does: the drop-off order writes the
    /// visit up (the order is frozen from then on), an added-work approval approves every line it
    /// listed, and the pickup acceptance delivers the car. The signature itself is checked against
    /// [`Document::next`] before this.
    pub fn take_signature(&mut self, kind: DocumentKind, signer: &PersonName, at: DateTime<Utc>) -> Result<(), VisitError> {
        match kind {
            DocumentKind::DropOffOrder => {
                self.state.transition(VisitState::WrittenUpAndSigned)?;
                if self.drop_off.is_none() {
                    return Err(VisitError::NoDropOffReadings);
                }
                self.state = VisitState::WrittenUpAndSigned;
            }
            DocumentKind::AddedWorkApproval => {
                let lines: Vec<_> = pending(self).map(|l| l.id.clone()).collect();
                if lines.is_empty() {
                    return Err(VisitError::NoAddedWorkPending);
                }
                let answer = Answer { at, by: signer.clone(), channel: Channel::InPerson, note: String::new() };
                for line in self.job_lines.iter_mut().filter(|l| lines.contains(&l.id)) {
                    if let Some(added) = line.added.as_mut() {
                        added.decision = Decision::Approved(answer.clone());
                    }
                }
                self.approvals_signed += 1;
            }
            DocumentKind::PickupAcceptance => {
                self.state.transition(VisitState::Delivered)?;
                if self.pickup.is_none() {
                    return Err(VisitError::NoPickupReadings);
                }
                self.state = VisitState::Delivered;
                self.delivered_at = Some(at);
            }
        }
        Ok(())
    }
}

/// Checks a stored signature against its stored canonical document and the visit now: the
/// document's hash, the consent text's, that it is the visit's document, and for the drop-off
/// order's current version that the visit's signed fields still hold what was signed.
pub fn verify_stored(signature: &Signature, canonical: &str, visit: &Visit) -> Result<(), Tamper> {
    #[derive(Deserialize)]
    struct Stored<T> {
        kind: DocumentKind,
        visit: VisitId,
        version: u32,
        content: T,
    }
    fn check<T: Serialize + for<'de> Deserialize<'de>>(signature: &Signature, canonical: &str, visit: &Visit) -> Result<Stored<T>, Tamper> {
        let stored: Stored<T> = serde_json::from_str(canonical).map_err(|_| Tamper::DocumentChanged)?;
        if stored.kind != signature.document.kind || stored.visit != visit.id || stored.version != signature.document.version {
            return Err(Tamper::WrongDocument);
        }
        crate::signature::verify(signature, stored.kind, &stored.visit, stored.version, &stored.content, &signature.consent_text)?;
        Ok(stored)
    }
    if Sha256::of(canonical.as_bytes()) != signature.document.sha256 {
        return Err(Tamper::DocumentChanged);
    }
    match signature.document.kind {
        DocumentKind::DropOffOrder => {
            let stored = check::<DropOffOrder>(signature, canonical, visit)?;
            if stored.version == visit.order_version && !stored.content.still_matches(visit) {
                return Err(Tamper::DocumentChanged);
            }
        }
        DocumentKind::AddedWorkApproval => {
            check::<AddedWorkApproval>(signature, canonical, visit)?;
        }
        DocumentKind::PickupAcceptance => {
            check::<PickupAcceptance>(signature, canonical, visit)?;
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::visit::tests::{added_line, ready_visit, signed_visit};
    use chrono::TimeZone;

    pub(crate) fn heading() -> Heading {
        Heading { language: Language::English, customer_name: PersonName::parse("王小明").unwrap(), plate: Plate::parse("沪A12345").unwrap(), vehicle: "Ford Focus 2019".into() }
    }

    fn wang() -> PersonName {
        PersonName::parse("王小明").unwrap()
    }

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    #[test]
    fn an_approval_signature_approves_its_lines_and_counts() {
        let mut v = signed_visit();
        assert_eq!(v.take_signature(DocumentKind::AddedWorkApproval, &wang(), at(11)), Err(VisitError::NoAddedWorkPending));
        v.job_lines.push(added_line("j-2", Decision::Pending));
        v.take_signature(DocumentKind::AddedWorkApproval, &wang(), at(11)).unwrap();
        assert_eq!(v.approvals_signed, 1);
        assert!(v.job_lines[1].is_charged());
        assert!(matches!(&v.job_lines[1].added.as_ref().unwrap().decision, Decision::Approved(a) if a.channel == Channel::InPerson && a.at == at(11)));
    }

    #[test]
    fn the_pickup_signature_delivers_a_ready_car_only() {
        let mut v = signed_visit();
        assert!(matches!(v.take_signature(DocumentKind::PickupAcceptance, &wang(), at(17)), Err(VisitError::Transition(_))));
        let mut v2 = ready_visit();
        v2.take_signature(DocumentKind::PickupAcceptance, &wang(), at(17)).unwrap();
        assert_eq!((v2.state, v2.delivered_at), (VisitState::Delivered, Some(at(17))));
        v.state = VisitState::Ready;
        v.pickup = None;
        assert_eq!(v.take_signature(DocumentKind::PickupAcceptance, &wang(), at(17)), Err(VisitError::NoPickupReadings));
    }

    #[test]
    fn the_next_document_has_its_version() {
        let mut v = ready_visit();
        v.handback.keys_returned = true;
        let customer = crate::drop_off::tests::customer();
        let vehicle = crate::drop_off::tests::vehicle();
        let pickup = Document::next(DocumentKind::PickupAcceptance, &v, &customer, &vehicle).unwrap();
        assert_eq!((pickup.version, pickup.document.kind()), (1, DocumentKind::PickupAcceptance));
        assert!(pickup.canonical(&v.id).starts_with(r#"{"kind":"pickup_acceptance","visit":"v-1","version":1,"content":{"heading":"#));
        let refused = Document::next(DocumentKind::AddedWorkApproval, &v, &customer, &vehicle).unwrap_err();
        assert!(refused.wrong_step());
        v.approvals_signed = 2;
        v.state = VisitState::InWorkshop;
        v.job_lines.push(added_line("j-9", Decision::Pending));
        assert_eq!(Document::next(DocumentKind::AddedWorkApproval, &v, &customer, &vehicle).unwrap().version, 3);
    }
}
