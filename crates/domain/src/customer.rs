//! The customer's file (DOMAIN.md step 12): who they are and how to reach them.

use crate::ids::CustomerId;
use crate::newtype::trimmed_within;
use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: CustomerId,
    pub name: PersonName,
    pub phone: Phone,
    pub email: Option<Email>,
    /// The language we speak and write to them in.
    pub language: Language,
    /// How often the dealership keeps in touch (step 12); none until staff class them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<crate::follow_up::CustomerClass>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerError {
    NameEmpty,
    NameTooLong { length: usize },
    PhoneInvalidCharacter { character: char },
    PhoneWrongLength { digits: usize },
    EmailMalformed,
    EmailTooLong { length: usize },
}

impl fmt::Display for CustomerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerError::NameEmpty => write!(f, "Enter a name."),
            CustomerError::NameTooLong { length } => {
                write!(f, "A name has at most {MAX_NAME} characters; this one has {length}.")
            }
            CustomerError::PhoneInvalidCharacter { character } => {
                write!(f, "A phone number has only digits and a leading +; '{character}' is not allowed.")
            }
            CustomerError::PhoneWrongLength { digits } => write!(
                f,
                "A phone number has {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits; this one has {digits}."
            ),
            CustomerError::EmailMalformed => write!(f, "An email address looks like name@example.com."),
            CustomerError::EmailTooLong { length } => {
                write!(f, "An email address has at most {MAX_EMAIL} characters; this one has {length}.")
            }
        }
    }
}

impl std::error::Error for CustomerError {}

const MAX_NAME: usize = 80;
const MIN_PHONE_DIGITS: usize = 5;
const MAX_PHONE_DIGITS: usize = 20;
/// RFC 5321's limit on a forward path.
const MAX_EMAIL: usize = 254;

validated_string!(
    /// A person's name as they give it: trimmed, 1 to 80 characters, in any script.
    PersonName,
    CustomerError
);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, CustomerError> {
        match trimmed_within(input, MAX_NAME) {
            Ok(name) if name.is_empty() => Err(CustomerError::NameEmpty),
            Ok(name) => Ok(PersonName(name)),
            Err(length) => Err(CustomerError::NameTooLong { length }),
        }
    }
}

validated_string!(
    /// A phone number as digits with an optional leading `+`: spaces and dashes that people type
    /// are dropped, so one number has one stored form and a lookup finds it.
    Phone,
    CustomerError
);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, CustomerError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let digits = compact.strip_prefix('+').unwrap_or(&compact);
        if let Some(character) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(CustomerError::PhoneInvalidCharacter { character });
        }
        if !(MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digits.len()) {
            return Err(CustomerError::PhoneWrongLength { digits: digits.len() });
        }
        Ok(Phone(compact))
    }

    /// What a shared screen may show of the number (a kiosk asks "is this yours? …5678").
    pub fn last_four(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }
}

validated_string!(
    /// An email address that has the shape of one (trimmed, at most 254 characters). Whether it
    /// reaches anyone only sending can tell.
    Email,
    CustomerError
);

impl Email {
    pub fn parse(input: &str) -> Result<Email, CustomerError> {
        let email = input.trim();
        let length = email.chars().count();
        if length > MAX_EMAIL {
            return Err(CustomerError::EmailTooLong { length });
        }
        let well_formed = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if well_formed {
            Ok(Email(email.to_owned()))
        } else {
            Err(CustomerError::EmailMalformed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  王小明 ").unwrap().as_str(), "王小明");
        assert_eq!(PersonName::parse("   "), Err(CustomerError::NameEmpty));
        assert_eq!(PersonName::parse(&"김".repeat(81)), Err(CustomerError::NameTooLong { length: 81 }));
        assert!(PersonName::parse(&"김".repeat(80)).is_ok());
    }

    #[test]
    fn phones_keep_one_form() {
        assert_eq!(Phone::parse("+86 138-1234-5678").unwrap().as_str(), "+8613812345678");
        assert_eq!(Phone::parse("010 1234 5678").unwrap().as_str(), "01012345678");
        assert_eq!(Phone::parse("010 1234 5678").unwrap().last_four(), "5678");
        assert_eq!(Phone::parse("(010) 1234"), Err(CustomerError::PhoneInvalidCharacter { character: '(' }));
        assert_eq!(Phone::parse("1+234567"), Err(CustomerError::PhoneInvalidCharacter { character: '+' }));
        assert_eq!(Phone::parse("+1234"), Err(CustomerError::PhoneWrongLength { digits: 4 }));
        assert_eq!(Phone::parse(&"1".repeat(21)), Err(CustomerError::PhoneWrongLength { digits: 21 }));
    }

    #[test]
    fn emails_need_their_shape() {
        assert_eq!(Email::parse(" kim@example.co.kr ").unwrap().as_str(), "kim@example.co.kr");
        for bad in ["kim", "@example.com", "kim@example", "kim@@example.com", "kim@.com", "kim@example.", "k im@example.com"] {
            assert_eq!(Email::parse(bad), Err(CustomerError::EmailMalformed), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(matches!(Email::parse(&long), Err(CustomerError::EmailTooLong { .. })));
    }

    #[test]
    fn a_customer_round_trips_and_validates() {
        let json = r#"{"id":"c-1","name":"Kim Min-jun","phone":"+82 10-1234-5678","email":null,"language":"ko"}"#;
        let customer: Customer = serde_json::from_str(json).unwrap();
        assert_eq!(customer.phone.as_str(), "+821012345678");
        assert_eq!(serde_json::from_str::<Customer>(&serde_json::to_string(&customer).unwrap()).unwrap(), customer);
        assert!(serde_json::from_str::<Customer>(&json.replace("Kim Min-jun", " ")).is_err());
    }
}
