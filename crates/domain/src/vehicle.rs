//! Vehicle identification: the VIN (ISO 3779).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A VIN that passed validation: 17 characters, digits and capital letters except I, O and Q.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Vin(String);

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

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Vin {
    type Error = VinError;
    fn try_from(value: String) -> Result<Vin, VinError> {
        Vin::parse(&value)
    }
}

impl From<Vin> for String {
    fn from(vin: Vin) -> String {
        vin.0
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
}
