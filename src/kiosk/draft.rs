//! What a customer types in a kiosk flow, as signals, until they send it: the fields of a
//! `lane_domain::appointment::BookingRequest`. The domain checks them (`BookingRequest::validate`);
//! this module only asks it, keeps the problems of the step on screen, and words them in the
//! customer's language.

use crate::i18n::{use_i18n, I18n, Msg};
use chrono::{DateTime, Datelike, Utc};
use lane_domain::appointment::{BookingProblem, BookingRequest, Concerns, ConcernsError, ConfirmationCode, Transport};
use lane_domain::customer::CustomerError;
use lane_domain::ids::{AppointmentId, ServiceTypeId};
use lane_domain::vehicle::{PlateError, VehicleError, VinError};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Draft {
    pub services: RwSignal<Vec<ServiceTypeId>>,
    pub slot: RwSignal<Option<DateTime<Utc>>>,
    pub plate: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub make: RwSignal<String>,
    pub model: RwSignal<String>,
    pub year: RwSignal<String>,
    pub vin: RwSignal<String>,
    pub mileage: RwSignal<String>,
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub transport: RwSignal<Transport>,
    pub concerns: RwSignal<String>,
    /// The problems of the step last checked, shown by its fields.
    problems: RwSignal<Vec<BookingProblem>>,
}

/// The draft of the flow on screen.
pub fn use_draft() -> Draft {
    expect_context::<Draft>()
}

fn blank_is_none(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A number typed in a digits-only field; too many digits to be one reads as the largest, which
/// the domain then refuses with its message.
fn number<T: std::str::FromStr + Copy>(text: &str, largest: T) -> Option<T> {
    (!text.is_empty()).then(|| text.parse().unwrap_or(largest))
}

impl Draft {
    /// A new draft, provided as context to the flow's steps.
    pub fn provide() -> Draft {
        let text = || RwSignal::new(String::new());
        let draft = Draft {
            services: RwSignal::new(Vec::new()),
            slot: RwSignal::new(None),
            plate: text(),
            phone: text(),
            make: text(),
            model: text(),
            year: text(),
            vin: text(),
            mileage: text(),
            name: text(),
            email: text(),
            transport: RwSignal::new(Transport::Wait),
            concerns: text(),
            problems: RwSignal::new(Vec::new()),
        };
        provide_context(draft);
        draft
    }

    /// Fresh ids for a booking sent now: made on the kiosk, so a retry after a lost answer is
    /// the same booking.
    pub fn new_ids() -> (AppointmentId, ConfirmationCode) {
        (AppointmentId::parse(&crate::random::uuid_v4()).expect("a UUID is an id"), ConfirmationCode::from_random(crate::random::bytes()))
    }

    /// The booking as typed. `slot_start` is the booked time, or the arrival for a walk-in.
    pub fn request(&self, language: lane_domain::Language, slot_start: DateTime<Utc>, appointment: AppointmentId, code: ConfirmationCode) -> BookingRequest {
        BookingRequest {
            appointment,
            code,
            name: self.name.get_untracked(),
            phone: self.phone.get_untracked(),
            email: blank_is_none(self.email.get_untracked()),
            language,
            plate: self.plate.get_untracked(),
            vin: blank_is_none(self.vin.get_untracked()),
            make: self.make.get_untracked(),
            model: self.model.get_untracked(),
            year: number(self.year.get_untracked().trim(), u16::MAX),
            mileage_km: number(self.mileage.get_untracked().trim(), u32::MAX),
            services: self.services.get_untracked(),
            slot_start: self.slot.get_untracked().unwrap_or(slot_start),
            transport: self.transport.get_untracked(),
            concerns: self.concerns.get_untracked(),
        }
    }

    /// Checks the `fields` of one step (by `BookingProblem::field`) and shows their problems;
    /// true when there are none.
    pub fn check(&self, fields: &[&str]) -> bool {
        let request = self.request(lane_domain::Language::English, Utc::now(), AppointmentId::parse("draft").expect("an id"), ConfirmationCode::from_random([0; 6]));
        let problems: Vec<BookingProblem> = match request.validate(Utc::now().year() as u16) {
            Ok(_) => Vec::new(),
            Err(error) => error.problems.into_iter().filter(|p| fields.contains(&p.field())).collect(),
        };
        let fine = problems.is_empty();
        self.problems.set(problems);
        fine
    }

    /// The concerns as the domain keeps them, or their problem shown.
    pub fn checked_concerns(&self) -> Option<Concerns> {
        let parsed = Concerns::parse(&self.concerns.get_untracked());
        self.problems.set(parsed.as_ref().err().map(|e| BookingProblem::Concerns(*e)).into_iter().collect());
        parsed.ok()
    }

    /// What to fix in `field`, in the current language.
    pub fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let (problems, i18n) = (self.problems, use_i18n());
        Signal::derive(move || problems.with(|all| all.iter().find(|p| p.field() == field).map(|p| problem_text(i18n, p))))
    }
}

/// A problem in the customer's language.
fn problem_text(i18n: I18n, problem: &BookingProblem) -> String {
    let with = |msg, args: &[(&str, &str)]| i18n.t_with(msg, args);
    let plain = |msg| i18n.t(msg).to_owned();
    match problem {
        BookingProblem::Name(CustomerError::NameTooLong { .. }) => plain(Msg::KioskErrorNameTooLong),
        BookingProblem::Name(_) => plain(Msg::KioskErrorNameEmpty),
        BookingProblem::Phone(CustomerError::PhoneWrongLength { digits }) => with(Msg::KioskErrorPhoneLength, &[("count", &digits.to_string())]),
        BookingProblem::Phone(_) => plain(Msg::KioskErrorPhoneCharacter),
        BookingProblem::Email(_) => plain(Msg::KioskErrorEmail),
        BookingProblem::Plate(PlateError::WrongLength { length }) => with(Msg::KioskErrorPlateLength, &[("count", &length.to_string())]),
        BookingProblem::Plate(PlateError::InvalidCharacter { character }) => with(Msg::KioskErrorPlateCharacter, &[("character", &character.to_string())]),
        BookingProblem::Vin(VinError::WrongLength { length }) => with(Msg::KioskErrorVinLength, &[("count", &length.to_string())]),
        BookingProblem::Vin(VinError::ConfusableLetter { position, letter }) => {
            with(Msg::KioskErrorVinConfusable, &[("position", &position.to_string()), ("character", &letter.to_string())])
        }
        BookingProblem::Vin(VinError::InvalidCharacter { position, character }) => {
            with(Msg::KioskErrorVinCharacter, &[("position", &position.to_string()), ("character", &character.to_string())])
        }
        BookingProblem::MakeMissing => plain(Msg::KioskErrorMake),
        BookingProblem::ModelMissing => plain(Msg::KioskErrorModel),
        BookingProblem::MakeTooLong { .. } | BookingProblem::ModelTooLong { .. } => plain(Msg::KioskErrorTooLong),
        BookingProblem::Year(VehicleError::YearOutOfRange { latest, .. }) => with(Msg::KioskErrorYear, &[("latest", &latest.to_string())]),
        BookingProblem::MileageTooHigh { .. } => plain(Msg::KioskErrorMileage),
        BookingProblem::Services(_) => plain(Msg::KioskErrorServices),
        BookingProblem::Concerns(ConcernsError::TooLong { .. }) => plain(Msg::KioskErrorConcerns),
    }
}
