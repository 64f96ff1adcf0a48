//! The vehicle: its identification (VIN, ISO 3779; the number plate) and what the customer's
//! file records about it.

use crate::ids::{CustomerId, VehicleId};
use crate::readings::Odometer;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vehicle {
    pub id: VehicleId,
    /// The owner whose file the vehicle is in.
    pub customer: CustomerId,
    pub plate: Plate,
    /// Often unknown when a customer books; read off the car at the walk-around.
    pub vin: Option<Vin>,
    pub make: String,
    pub model: String,
    /// Model year, checked by [`check_year`].
    pub year: Option<u16>,
    pub colour: Option<String>,
    /// The highest reading seen so far: the next drop-off is checked against it.
    pub last_odometer: Option<Odometer>,
}

validated_string!(
    /// A VIN that passed validation: 17 characters, digits and capital letters except I, O and Q.
    Vin,
    VinError
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VinError {
    WrongLength { length: usize },
    /// I, O and Q are never used, so they cannot be confused with 1 and 0.
    ConfusableLetter { position: usize, letter: char },
    InvalidCharacter { position: usize, character: char },
}

impl fmt::Display for VinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VinError::WrongLength { length } => write!(f, "A VIN has 17 characters; this one has {length}."),
            VinError::ConfusableLetter { position, letter } => write!(
                f,
                "A VIN never contains I, O or Q; character {position} is {letter}. Check whether it is 1 or 0."
            ),
            VinError::InvalidCharacter { position, character } => {
                write!(f, "A VIN has only letters and digits; character {position} is '{character}'.")
            }
        }
    }
}

impl std::error::Error for VinError {}

impl Vin {
    /// Accepts lower case and surrounding or inner spaces, as typed on a keypad.
    pub fn parse(input: &str) -> Result<Vin, VinError> {
        let vin: String = input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let length = vin.chars().count();
        if length != 17 {
            return Err(VinError::WrongLength { length });
        }
        for (i, c) in vin.chars().enumerate() {
            match c {
                'I' | 'O' | 'Q' => return Err(VinError::ConfusableLetter { position: i + 1, letter: c }),
                'A'..='Z' | '0'..='9' => {}
                _ => return Err(VinError::InvalidCharacter { position: i + 1, character: c }),
            }
        }
        Ok(Vin(vin))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlateError {
    WrongLength { length: usize },
    InvalidCharacter { character: char },
}

impl fmt::Display for PlateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlateError::WrongLength { length } => write!(
                f,
                "A number plate has {MIN_PLATE} to {MAX_PLATE} letters and digits; this one has {length}."
            ),
            PlateError::InvalidCharacter { character } => {
                write!(f, "A number plate has letters and digits only; '{character}' is not one.")
            }
        }
    }
}

impl std::error::Error for PlateError {}

const MIN_PLATE: usize = 2;
const MAX_PLATE: usize = 12;
/// How much of a plate a shared screen shows.
const PLATE_SHOWN: usize = 3;

validated_string!(
    /// A number plate in one stored form, so a lookup finds it however it was typed: upper case,
    /// with the spaces, dashes and dots (including the `·` of Chinese plates) removed. Letters are
    /// Latin, Chinese (the province character: 沪A12345) or Korean (12가3456).
    Plate,
    PlateError
);

impl Plate {
    pub fn parse(input: &str) -> Result<Plate, PlateError> {
        let plate: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '·' | '・')))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if let Some(character) = plate.chars().find(|&c| !is_plate_character(c)) {
            return Err(PlateError::InvalidCharacter { character });
        }
        let length = plate.chars().count();
        if !(MIN_PLATE..=MAX_PLATE).contains(&length) {
            return Err(PlateError::WrongLength { length });
        }
        Ok(Plate(plate))
    }

    /// The plate as a shared screen (the kiosk) may show it: only the last three characters, so
    /// a lookup cannot be used to learn whose car is whose.
    pub fn masked(&self) -> String {
        let length = self.0.chars().count();
        let shown: String = self.0.chars().skip(length.saturating_sub(PLATE_SHOWN)).collect();
        format!("•••{shown}")
    }
}

fn is_plate_character(c: char) -> bool {
    c.is_ascii_uppercase()
        || c.is_ascii_digit()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c) // CJK unified ideographs: 沪, 京, 粤, 使, 领 …
        || ('\u{AC00}'..='\u{D7A3}').contains(&c) // Hangul syllables: 가, 나, 허 …
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VehicleError {
    YearOutOfRange { year: u16, latest: u16 },
}

impl fmt::Display for VehicleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VehicleError::YearOutOfRange { year, latest } => {
                write!(f, "A model year is from {EARLIEST_YEAR} to {latest}; {year} is not. Check the registration.")
            }
        }
    }
}

impl std::error::Error for VehicleError {}

const EARLIEST_YEAR: u16 = 1950;

/// A model year from 1950 up to next year (makers sell next year's models from mid-year). The
/// caller gives the current year, so this stays a pure function.
pub fn check_year(year: u16, current_year: u16) -> Result<u16, VehicleError> {
    let latest = current_year.saturating_add(1);
    if (EARLIEST_YEAR..=latest).contains(&year) {
        Ok(year)
    } else {
        Err(VehicleError::YearOutOfRange { year, latest })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_real_vin_typed_loosely() {
        assert_eq!(Vin::parse(" lsvaa4180e2 123456 ").unwrap().as_str(), "LSVAA4180E2123456");
    }

    #[test]
    fn refuses_confusable_letters_with_their_position() {
        let err = Vin::parse("LSVAA4180E2I23456").unwrap_err();
        assert_eq!(err, VinError::ConfusableLetter { position: 12, letter: 'I' });
        assert!(err.to_string().contains("character 12 is I"));
        assert!(matches!(Vin::parse("OSVAA4180E2123456"), Err(VinError::ConfusableLetter { letter: 'O', .. })));
        assert!(matches!(Vin::parse("QSVAA4180E2123456"), Err(VinError::ConfusableLetter { letter: 'Q', .. })));
    }

    #[test]
    fn refuses_wrong_length_and_symbols() {
        assert_eq!(Vin::parse("LSVAA4180E212345"), Err(VinError::WrongLength { length: 16 }));
        assert_eq!(Vin::parse(""), Err(VinError::WrongLength { length: 0 }));
        assert_eq!(Vin::parse("LSVAA4180E2-23456"), Err(VinError::InvalidCharacter { position: 12, character: '-' }));
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<Vin>("\"LSVAA4180E2123456\"").is_ok());
        assert!(serde_json::from_str::<Vin>("\"LSVAA4180E2Q23456\"").is_err());
    }

    #[test]
    fn plates_have_one_stored_form() {
        assert_eq!(Plate::parse("沪A·12345").unwrap().as_str(), "沪A12345");
        assert_eq!(Plate::parse(" 粤b 8k9-21 ").unwrap().as_str(), "粤B8K921");
        assert_eq!(Plate::parse("12가 3456").unwrap().as_str(), "12가3456");
        assert_eq!(Plate::parse("ab-12.cd").unwrap().as_str(), "AB12CD");
    }

    #[test]
    fn plates_refuse_symbols_and_odd_lengths() {
        assert_eq!(Plate::parse("AB_12"), Err(PlateError::InvalidCharacter { character: '_' }));
        assert_eq!(Plate::parse("ÄB12"), Err(PlateError::InvalidCharacter { character: 'Ä' }));
        assert_eq!(Plate::parse("A"), Err(PlateError::WrongLength { length: 1 }));
        assert_eq!(Plate::parse("A-B-C-D-E-F-G-H-I-J-K-L-M"), Err(PlateError::WrongLength { length: 13 }));
        assert!(serde_json::from_str::<Plate>("\"京A 0001\"").is_ok());
        assert!(serde_json::from_str::<Plate>("\"京A!0001\"").is_err());
    }

    #[test]
    fn a_masked_plate_shows_the_last_three() {
        assert_eq!(Plate::parse("沪A12345").unwrap().masked(), "•••345");
        assert_eq!(Plate::parse("12가3456").unwrap().masked(), "•••456");
        assert_eq!(Plate::parse("AB").unwrap().masked(), "•••AB");
    }

    #[test]
    fn model_years_run_from_1950_to_next_year() {
        assert_eq!(check_year(2027, 2026), Ok(2027));
        assert_eq!(check_year(1950, 2026), Ok(1950));
        assert_eq!(check_year(2028, 2026), Err(VehicleError::YearOutOfRange { year: 2028, latest: 2027 }));
        assert!(check_year(1949, 2026).unwrap_err().to_string().contains("from 1950 to 2027"));
    }
}
