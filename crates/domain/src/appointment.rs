//! Appointments (预约, DOMAIN.md step 1): what a customer books, how they are told it is booked,
//! and what a kiosk may send to book one.

use crate::customer::{CustomerError, Email, PersonName, Phone};
use crate::ids::{AdvisorId, AppointmentId, CustomerId, ServiceTypeId, VehicleId};
use crate::newtype::trimmed_within;
use crate::vehicle::{check_year, Plate, PlateError, VehicleError, Vin, VinError};
use crate::Language;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How the customer gets on while the car is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Transport {
    Wait,
    Loaner,
    Shuttle,
    DropOff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AppointmentStatus {
    Booked,
    Arrived,
    Cancelled,
    NoShow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidStatusChange {
    pub from: AppointmentStatus,
    pub to: AppointmentStatus,
}

impl fmt::Display for InvalidStatusChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "An appointment that is {:?} cannot become {:?}; only a booked one can change.", self.from, self.to)
    }
}

impl std::error::Error for InvalidStatusChange {}

impl AppointmentStatus {
    /// A booked appointment ends one way: the customer arrives, cancels, or does not come.
    pub fn transition(self, to: AppointmentStatus) -> Result<AppointmentStatus, InvalidStatusChange> {
        match (self, to) {
            (AppointmentStatus::Booked, AppointmentStatus::Arrived | AppointmentStatus::Cancelled | AppointmentStatus::NoShow) => Ok(to),
            _ => Err(InvalidStatusChange { from: self, to }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmationCodeError {
    WrongLength { length: usize },
    NotInAlphabet { character: char },
}

impl fmt::Display for ConfirmationCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfirmationCodeError::WrongLength { length } => {
                write!(f, "A confirmation code has {CODE_LENGTH} characters; this one has {length}.")
            }
            ConfirmationCodeError::NotInAlphabet { character } => write!(
                f,
                "'{character}' is never in a confirmation code; codes use only the letters ACDEFGHJKLMNPQRTUVWXY and the digits 34679."
            ),
        }
    }
}

impl std::error::Error for ConfirmationCodeError {}

/// Letters and digits that cannot be mistaken for one another when read aloud or off a phone:
/// no B/8, I/1, O/0, S/5, Z/2.
const CODE_ALPHABET: &[u8; 26] = b"ACDEFGHJKLMNPQRTUVWXY34679";
const CODE_LENGTH: usize = 6;

validated_string!(
    /// What the customer shows or says at the kiosk to find their booking: six characters of an
    /// alphabet without look-alikes (26^6, about 309 million codes).
    ConfirmationCode,
    ConfirmationCodeError
);

impl ConfirmationCode {
    /// Accepts lower case and surrounding spaces, as typed.
    pub fn parse(input: &str) -> Result<ConfirmationCode, ConfirmationCodeError> {
        let code = input.trim().to_uppercase();
        let length = code.chars().count();
        if length != CODE_LENGTH {
            return Err(ConfirmationCodeError::WrongLength { length });
        }
        match code.chars().find(|c| !c.is_ascii() || !CODE_ALPHABET.contains(&(*c as u8))) {
            Some(character) => Err(ConfirmationCodeError::NotInAlphabet { character }),
            None => Ok(ConfirmationCode(code)),
        }
    }

    /// A code from six random bytes (the device's `crypto.getRandomValues`), so this crate needs
    /// no random number generator. The modulo leaves a slight bias (22 of the 26 characters are
    /// 10/256 likely rather than 9/256), harmless for a code that only finds a booking.
    pub fn from_random(bytes: [u8; 6]) -> ConfirmationCode {
        let code = bytes.iter().map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()])).collect();
        ConfirmationCode(code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcernsError {
    TooLong { length: usize },
}

impl fmt::Display for ConcernsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConcernsError::TooLong { length } => {
                write!(f, "Describe the concerns in at most {MAX_CONCERNS} characters; this is {length}.")
            }
        }
    }
}

impl std::error::Error for ConcernsError {}

const MAX_CONCERNS: usize = 2000;

validated_string!(
    /// The customer's concerns in their own words (客户陈述), kept apart from the advisor's
    /// diagnosis: trimmed, at most 2,000 characters, and may be empty (a routine service).
    Concerns,
    ConcernsError
);

impl Concerns {
    pub fn parse(input: &str) -> Result<Concerns, ConcernsError> {
        trimmed_within(input, MAX_CONCERNS).map(Concerns).map_err(|length| ConcernsError::TooLong { length })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicesError {
    Empty,
    Duplicate { service: ServiceTypeId },
}

impl fmt::Display for ServicesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServicesError::Empty => write!(f, "Choose at least one service."),
            ServicesError::Duplicate { service } => write!(f, "The service {service} is chosen twice; choose it once."),
        }
    }
}

impl std::error::Error for ServicesError {}

/// The services booked: at least one, each once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ServiceTypeId>", into = "Vec<ServiceTypeId>")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Services(Vec<ServiceTypeId>);

impl Services {
    pub fn new(services: Vec<ServiceTypeId>) -> Result<Services, ServicesError> {
        if services.is_empty() {
            return Err(ServicesError::Empty);
        }
        for (i, service) in services.iter().enumerate() {
            if services[..i].contains(service) {
                return Err(ServicesError::Duplicate { service: service.clone() });
            }
        }
        Ok(Services(services))
    }

    pub fn as_slice(&self) -> &[ServiceTypeId] {
        &self.0
    }
}

impl TryFrom<Vec<ServiceTypeId>> for Services {
    type Error = ServicesError;
    fn try_from(services: Vec<ServiceTypeId>) -> Result<Services, ServicesError> {
        Services::new(services)
    }
}

impl From<Services> for Vec<ServiceTypeId> {
    fn from(services: Services) -> Vec<ServiceTypeId> {
        services.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: AppointmentId,
    pub customer: CustomerId,
    pub vehicle: VehicleId,
    pub services: Services,
    pub slot_start: DateTime<Utc>,
    /// Assigned at booking (`capacity::assign`) so the customer is told who receives them.
    pub advisor: Option<AdvisorId>,
    pub transport: Transport,
    pub concerns: Concerns,
    pub code: ConfirmationCode,
    pub status: AppointmentStatus,
    /// The mileage the customer gave when booking, in km (not a reading).
    #[serde(default)]
    pub stated_mileage_km: Option<u32>,
}

/// What a kiosk sends to book: the fields as the customer typed them, so that [`validate`] can
/// name every one to fix at once. The ids and the code are the device's, made before sending, so
/// a booking retried after a lost connection is the same booking.
///
/// [`validate`]: BookingRequest::validate
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequest {
    pub appointment: AppointmentId,
    pub code: ConfirmationCode,
    pub name: String,
    pub phone: String,
    /// Blank counts as none.
    pub email: Option<String>,
    pub language: Language,
    pub plate: String,
    /// Blank counts as none.
    pub vin: Option<String>,
    pub make: String,
    pub model: String,
    pub year: Option<u16>,
    /// What the customer says the odometer shows, in km (DOMAIN.md step 1); the advisor records
    /// the reading itself at the walk-around.
    #[serde(default)]
    pub mileage_km: Option<u32>,
    pub services: Vec<ServiceTypeId>,
    pub slot_start: DateTime<Utc>,
    pub transport: Transport,
    pub concerns: String,
}

/// A booking request whose every field passed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBooking {
    pub appointment: AppointmentId,
    pub code: ConfirmationCode,
    pub name: PersonName,
    pub phone: Phone,
    pub email: Option<Email>,
    pub language: Language,
    pub plate: Plate,
    pub vin: Option<Vin>,
    pub make: String,
    pub model: String,
    pub year: Option<u16>,
    pub mileage_km: Option<u32>,
    pub services: Services,
    pub slot_start: DateTime<Utc>,
    pub transport: Transport,
    pub concerns: Concerns,
}

/// One field of a booking request to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingProblem {
    Name(CustomerError),
    Phone(CustomerError),
    Email(CustomerError),
    Plate(PlateError),
    Vin(VinError),
    MakeMissing,
    MakeTooLong { length: usize },
    ModelMissing,
    ModelTooLong { length: usize },
    Year(VehicleError),
    MileageTooHigh { km: u32 },
    Services(ServicesError),
    Concerns(ConcernsError),
}

impl BookingProblem {
    /// The request field the problem is in, so a form can mark it.
    pub fn field(&self) -> &'static str {
        match self {
            BookingProblem::Name(_) => "name",
            BookingProblem::Phone(_) => "phone",
            BookingProblem::Email(_) => "email",
            BookingProblem::Plate(_) => "plate",
            BookingProblem::Vin(_) => "vin",
            BookingProblem::MakeMissing | BookingProblem::MakeTooLong { .. } => "make",
            BookingProblem::ModelMissing | BookingProblem::ModelTooLong { .. } => "model",
            BookingProblem::Year(_) => "year",
            BookingProblem::MileageTooHigh { .. } => "mileage",
            BookingProblem::Services(_) => "services",
            BookingProblem::Concerns(_) => "concerns",
        }
    }
}

impl fmt::Display for BookingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookingProblem::Name(e) | BookingProblem::Phone(e) | BookingProblem::Email(e) => e.fmt(f),
            BookingProblem::Plate(e) => e.fmt(f),
            BookingProblem::Vin(e) => e.fmt(f),
            BookingProblem::MakeMissing => write!(f, "Enter the make of the car."),
            BookingProblem::ModelMissing => write!(f, "Enter the model of the car."),
            BookingProblem::MakeTooLong { length } | BookingProblem::ModelTooLong { length } => {
                write!(f, "A make or model has at most {MAX_MAKE_OR_MODEL} characters; this one has {length}.")
            }
            BookingProblem::Year(e) => e.fmt(f),
            BookingProblem::MileageTooHigh { km } => {
                write!(f, "A mileage is at most {MAX_MILEAGE_KM} km; {km} is more. Check the odometer.")
            }
            BookingProblem::Services(e) => e.fmt(f),
            BookingProblem::Concerns(e) => e.fmt(f),
        }
    }
}

/// Everything wrong with a booking request, in the order of its fields (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingError {
    pub problems: Vec<BookingProblem>,
}

impl fmt::Display for BookingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problems: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        write!(f, "{}", problems.join(" "))
    }
}

impl std::error::Error for BookingError {}

const MAX_MAKE_OR_MODEL: usize = 40;
/// Far beyond any car's life: a higher figure is a typing slip.
const MAX_MILEAGE_KM: u32 = 2_000_000;

fn make_or_model(input: &str, missing: BookingProblem, too_long: fn(usize) -> BookingProblem) -> Result<String, BookingProblem> {
    match trimmed_within(input, MAX_MAKE_OR_MODEL) {
        Ok(text) if text.is_empty() => Err(missing),
        Ok(text) => Ok(text),
        Err(length) => Err(too_long(length)),
    }
}

/// `None` for a blank optional field, else its parsed value.
fn optional<T, E>(input: Option<&str>, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

impl BookingRequest {
    /// Checks every field and reports every problem, not just the first. `current_year` bounds
    /// the model year.
    pub fn validate(&self, current_year: u16) -> Result<ValidBooking, BookingError> {
        let mut problems = Vec::new();
        let mut keep = |problem| problems.push(problem);
        let name = PersonName::parse(&self.name).map_err(BookingProblem::Name).map_err(&mut keep);
        let phone = Phone::parse(&self.phone).map_err(BookingProblem::Phone).map_err(&mut keep);
        let email = optional(self.email.as_deref(), Email::parse).map_err(BookingProblem::Email).map_err(&mut keep);
        let plate = Plate::parse(&self.plate).map_err(BookingProblem::Plate).map_err(&mut keep);
        let vin = optional(self.vin.as_deref(), Vin::parse).map_err(BookingProblem::Vin).map_err(&mut keep);
        let make = make_or_model(&self.make, BookingProblem::MakeMissing, |length| BookingProblem::MakeTooLong { length })
            .map_err(&mut keep);
        let model = make_or_model(&self.model, BookingProblem::ModelMissing, |length| BookingProblem::ModelTooLong { length })
            .map_err(&mut keep);
        let year = self.year.map(|y| check_year(y, current_year)).transpose().map_err(BookingProblem::Year).map_err(&mut keep);
        let mileage = match self.mileage_km {
            Some(km) if km > MAX_MILEAGE_KM => {
                keep(BookingProblem::MileageTooHigh { km });
                Err(())
            }
            km => Ok(km),
        };
        let services = Services::new(self.services.clone()).map_err(BookingProblem::Services).map_err(&mut keep);
        let concerns = Concerns::parse(&self.concerns).map_err(BookingProblem::Concerns).map_err(&mut keep);
        match (name, phone, email, plate, vin, make, model, year, mileage, services, concerns) {
            (Ok(name), Ok(phone), Ok(email), Ok(plate), Ok(vin), Ok(make), Ok(model), Ok(year), Ok(mileage_km), Ok(services), Ok(concerns)) => {
                Ok(ValidBooking {
                    appointment: self.appointment.clone(),
                    code: self.code.clone(),
                    name,
                    phone,
                    email,
                    language: self.language,
                    plate,
                    vin,
                    make,
                    model,
                    year,
                    mileage_km,
                    services,
                    slot_start: self.slot_start,
                    transport: self.transport,
                    concerns,
                })
            }
            _ => Err(BookingError { problems }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_booked_appointment_changes() {
        use AppointmentStatus::*;
        for to in [Arrived, Cancelled, NoShow] {
            assert_eq!(Booked.transition(to), Ok(to));
        }
        assert_eq!(Booked.transition(Booked), Err(InvalidStatusChange { from: Booked, to: Booked }));
        assert!(Arrived.transition(Cancelled).is_err());
        assert!(Cancelled.transition(Booked).is_err());
        assert!(NoShow.transition(Arrived).unwrap_err().to_string().contains("only a booked one"));
    }

    #[test]
    fn codes_avoid_look_alikes() {
        assert_eq!(ConfirmationCode::parse(" k7m3xq ").unwrap().as_str(), "K7M3XQ");
        assert_eq!(ConfirmationCode::parse("K7M3X"), Err(ConfirmationCodeError::WrongLength { length: 5 }));
        for look_alike in ["K7M3X0", "K7M3XO", "K7M3X1", "K7M3XI", "K7M3XB", "K7M3X8", "K7M3XS", "K7M3X5", "K7M3XZ", "K7M3X2"] {
            assert!(matches!(ConfirmationCode::parse(look_alike), Err(ConfirmationCodeError::NotInAlphabet { .. })), "{look_alike}");
        }
        assert!(serde_json::from_str::<ConfirmationCode>("\"K7M3X0\"").is_err());
    }

    #[test]
    fn codes_from_random_bytes_are_valid() {
        assert_eq!(ConfirmationCode::from_random([0, 1, 25, 26, 255, 100]).as_str(), "AC9A34");
        for seed in 0..=255u8 {
            let code = ConfirmationCode::from_random([seed, seed.wrapping_mul(7), seed ^ 0x55, 3, 200, seed / 2]);
            assert_eq!(ConfirmationCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn concerns_may_be_empty_but_not_endless() {
        assert_eq!(Concerns::parse("  ").unwrap().as_str(), "");
        assert_eq!(Concerns::parse(" 冷车启动时有异响 ").unwrap().as_str(), "冷车启动时有异响");
        assert_eq!(Concerns::parse(&"x".repeat(2001)), Err(ConcernsError::TooLong { length: 2001 }));
    }

    #[test]
    fn services_are_non_empty_and_distinct() {
        let oil = ServiceTypeId::parse("svc-oil").unwrap();
        let brakes = ServiceTypeId::parse("svc-brakes").unwrap();
        assert_eq!(Services::new(vec![]), Err(ServicesError::Empty));
        assert_eq!(Services::new(vec![oil.clone(), brakes.clone(), oil.clone()]), Err(ServicesError::Duplicate { service: oil.clone() }));
        assert_eq!(Services::new(vec![oil.clone(), brakes]).unwrap().as_slice()[0], oil);
        assert!(serde_json::from_str::<Services>("[]").is_err());
        assert!(serde_json::from_str::<Services>(r#"["svc-oil","svc-oil"]"#).is_err());
    }

    fn request() -> BookingRequest {
        serde_json::from_str(
            r#"{"appointment":"apt-1","code":"K7M3XQ","name":" 王小明 ","phone":"138 1234 5678","email":"",
                "language":"zh-CN","plate":"沪A·12345","vin":null,"make":"Buick","model":"GL8","year":2021,
                "services":["svc-oil"],"slot_start":"2026-11-24T01:30:00Z","transport":"wait","concerns":"刹车有异响"}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_good_request_validates_into_parsed_fields() {
        let valid = request().validate(2026).unwrap();
        assert_eq!(valid.name.as_str(), "王小明");
        assert_eq!(valid.phone.as_str(), "13812345678");
        assert_eq!(valid.email, None);
        assert_eq!(valid.plate.as_str(), "沪A12345");
        assert_eq!(valid.year, Some(2021));
        assert_eq!(valid.mileage_km, None, "a request without a mileage still reads");
        assert_eq!(valid.transport, Transport::Wait);
    }

    #[test]
    fn a_bad_request_lists_every_field_to_fix() {
        let mut bad = request();
        bad.name = " ".into();
        bad.email = Some("wang@".into());
        bad.vin = Some("LSVAA4180E2I23456".into());
        bad.model = String::new();
        bad.year = Some(1900);
        bad.mileage_km = Some(2_000_001);
        bad.services = vec![];
        let err = bad.validate(2026).unwrap_err();
        let fields: Vec<&str> = err.problems.iter().map(BookingProblem::field).collect();
        assert_eq!(fields, ["name", "email", "vin", "model", "year", "mileage", "services"]);
        assert!(err.to_string().starts_with("Enter a name. An email address looks like"));
    }

    #[test]
    fn a_request_accepts_only_its_fields() {
        let mut json = serde_json::to_value(request()).unwrap();
        json["status"] = "arrived".into();
        assert!(serde_json::from_value::<BookingRequest>(json).is_err());
    }
}
