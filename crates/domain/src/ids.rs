//! Record ids. Devices make them (UUIDs) so that a record created offline keeps its id when it
//! syncs; the seed uses short readable ones such as `adv-1`. One type per record, so an advisor's
//! id can never be passed where a customer's is expected.

use std::fmt;

/// Why a text is not an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Empty,
    TooLong { length: usize },
    InvalidCharacter { character: char },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Empty => write!(f, "An id cannot be empty."),
            IdError::TooLong { length } => write!(f, "An id has at most {MAX_ID_LENGTH} characters; this one has {length}."),
            IdError::InvalidCharacter { character } => {
                write!(f, "An id has only letters, digits, '-' and '_'; '{character}' is not allowed.")
            }
        }
    }
}

impl std::error::Error for IdError {}

/// A UUID is 36 characters; this leaves room for prefixed ids without admitting essays.
pub const MAX_ID_LENGTH: usize = 64;

fn check_id(input: &str) -> Result<(), IdError> {
    let length = input.chars().count();
    if length == 0 {
        return Err(IdError::Empty);
    }
    if length > MAX_ID_LENGTH {
        return Err(IdError::TooLong { length });
    }
    match input.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        Some(character) => Err(IdError::InvalidCharacter { character }),
        None => Ok(()),
    }
}

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {
        $(
            validated_string!($(#[$meta])* $name, IdError);

            impl $name {
                /// 1 to 64 characters of `A-Z a-z 0-9 - _`, taken as given (ids are case-sensitive).
                pub fn parse(input: &str) -> Result<$name, IdError> {
                    check_id(input).map(|()| $name(input.to_owned()))
                }
            }
        )+
    };
}

ids! {
    DealershipId,
    CustomerId,
    VehicleId,
    AdvisorId,
    ServiceTypeId,
    AppointmentId,
    VisitId,
    SignatureId,
    DamageMarkId,
    JobLineId,
    PhotoId,
    /// An enrolled kiosk or tablet.
    DeviceId,
    /// One change a device made offline; the server applies each at most once.
    MutationId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uuids_and_seed_ids() {
        assert_eq!(AdvisorId::parse("adv-1").unwrap().as_str(), "adv-1");
        assert!(VisitId::parse("0b9e4a1c-7f3d-4c2e-9a61-3f0d2c8b5e77").is_ok());
        assert!(MutationId::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn refuses_empty_long_and_odd_ids() {
        assert_eq!(CustomerId::parse(""), Err(IdError::Empty));
        assert_eq!(CustomerId::parse(&"a".repeat(65)), Err(IdError::TooLong { length: 65 }));
        assert_eq!(CustomerId::parse("a b"), Err(IdError::InvalidCharacter { character: ' ' }));
        assert_eq!(CustomerId::parse("客户"), Err(IdError::InvalidCharacter { character: '客' }));
        assert!(CustomerId::parse("../x").unwrap_err().to_string().contains("'.'"));
    }

    #[test]
    fn serde_is_a_plain_string_that_validates() {
        let id = PhotoId::parse("ph_7").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"ph_7\"");
        assert_eq!(serde_json::from_str::<PhotoId>("\"ph_7\"").unwrap(), id);
        assert!(serde_json::from_str::<PhotoId>("\"ph 7\"").is_err());
        assert_eq!(id.to_string(), "ph_7");
    }
}
