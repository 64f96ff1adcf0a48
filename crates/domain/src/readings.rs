//! Odometer and fuel readings at drop-off and pickup, and the checks the client's walk-around
//! needs (DOMAIN.md step 4, step 11).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DistanceUnit {
    Km,
    Miles,
}

/// An odometer reading in the unit the car's dash shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Odometer {
    pub value: u32,
    pub unit: DistanceUnit,
}

impl Odometer {
    /// In metres, so readings in different units compare exactly enough (a mile is 1,609.344 m).
    pub fn metres(self) -> u64 {
        match self.unit {
            DistanceUnit::Km => u64::from(self.value) * 1000,
            DistanceUnit::Miles => u64::from(self.value) * 1_609_344 / 1000,
        }
    }
}

/// A fuel gauge reading in eighths: 0 (empty) to 8 (full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FuelEighths(u8);

impl FuelEighths {
    pub fn new(eighths: u8) -> Result<FuelEighths, ReadingError> {
        if eighths <= 8 {
            Ok(FuelEighths(eighths))
        } else {
            Err(ReadingError::FuelOutOfRange { eighths })
        }
    }

    pub fn eighths(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for FuelEighths {
    type Error = ReadingError;
    fn try_from(value: u8) -> Result<FuelEighths, ReadingError> {
        FuelEighths::new(value)
    }
}

impl From<FuelEighths> for u8 {
    fn from(fuel: FuelEighths) -> u8 {
        fuel.0
    }
}

/// What the walk-around records at drop-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DropOffReadings {
    pub odometer: Odometer,
    pub fuel: FuelEighths,
    /// Why the odometer is below the car's last known reading, when it is.
    pub correction_reason: Option<String>,
}

/// What is read when the car is handed back. A pickup reading has no correction: it can only
/// be checked again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupReadings {
    pub odometer: Odometer,
    pub fuel: FuelEighths,
    /// Why the car went further than [`UNEXPLAINED_KM`] while in (a road test, a trip to a
    /// specialist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The distance a car may cover while in (moving it about, a short road test) without a note.
pub const UNEXPLAINED_KM: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingError {
    FuelOutOfRange { eighths: u8 },
    /// Lower than the vehicle's last known reading, with no correction reason given.
    BelowLastKnown { reading: Odometer, last_known: Odometer },
    /// A pickup reading lower than the drop-off reading of the same visit.
    PickupBelowDropOff { pickup: Odometer, drop_off: Odometer },
    /// Driven further than [`UNEXPLAINED_KM`] since drop-off, with no note saying why.
    DistanceUnexplained { km: u32 },
}

impl fmt::Display for ReadingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadingError::FuelOutOfRange { eighths } => {
                write!(f, "The fuel gauge reads from 0 to 8 eighths; {eighths} is not on it.")
            }
            ReadingError::BelowLastKnown { reading, last_known } => write!(
                f,
                "The odometer reads {} but this car last showed {}. Check the reading, or give a reason for the correction (such as a replaced instrument cluster).",
                reading.value, last_known.value
            ),
            ReadingError::PickupBelowDropOff { pickup, drop_off } => write!(
                f,
                "The pickup reading {} is lower than the drop-off reading {}. Check the odometer again.",
                pickup.value, drop_off.value
            ),
            ReadingError::DistanceUnexplained { km } => write!(
                f,
                "The car went {km} km since drop-off, more than {UNEXPLAINED_KM}: add a note saying why (such as a road test)."
            ),
        }
    }
}

impl std::error::Error for ReadingError {}

/// A drop-off reading must not be below the last known one unless the advisor gives a reason.
pub fn check_drop_off(reading: Odometer, last_known: Option<Odometer>, correction_reason: Option<&str>) -> Result<(), ReadingError> {
    let has_reason = correction_reason.is_some_and(|r| !r.trim().is_empty());
    match last_known {
        Some(last) if reading.metres() < last.metres() && !has_reason => {
            Err(ReadingError::BelowLastKnown { reading, last_known: last })
        }
        _ => Ok(()),
    }
}

/// A pickup reading can never be below the drop-off reading, and a long way above it needs a note.
pub fn check_pickup(pickup: &PickupReadings, drop_off: Odometer) -> Result<(), ReadingError> {
    let odometer = pickup.odometer;
    if odometer.metres() < drop_off.metres() {
        return Err(ReadingError::PickupBelowDropOff { pickup: odometer, drop_off });
    }
    let km = ((odometer.metres() - drop_off.metres()) / 1000) as u32;
    let explained = pickup.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    if km > UNEXPLAINED_KM && !explained {
        return Err(ReadingError::DistanceUnexplained { km });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn km(value: u32) -> Odometer {
        Odometer { value, unit: DistanceUnit::Km }
    }

    #[test]
    fn fuel_is_zero_to_eight_eighths() {
        assert_eq!(FuelEighths::new(8).unwrap().eighths(), 8);
        assert_eq!(FuelEighths::new(9), Err(ReadingError::FuelOutOfRange { eighths: 9 }));
        assert!(serde_json::from_str::<FuelEighths>("4").is_ok());
        assert!(serde_json::from_str::<FuelEighths>("12").is_err());
    }

    #[test]
    fn a_lower_drop_off_reading_needs_a_reason() {
        assert_eq!(check_drop_off(km(38_000), Some(km(38_120)), None), Err(ReadingError::BelowLastKnown { reading: km(38_000), last_known: km(38_120) }));
        assert!(check_drop_off(km(38_000), Some(km(38_120)), Some("   ")).is_err());
        assert!(check_drop_off(km(38_000), Some(km(38_120)), Some("cluster replaced")).is_ok());
        assert!(check_drop_off(km(38_200), Some(km(38_120)), None).is_ok());
        assert!(check_drop_off(km(10), None, None).is_ok());
    }

    #[test]
    fn units_compare_by_distance() {
        let miles = Odometer { value: 100, unit: DistanceUnit::Miles };
        assert!(check_drop_off(miles, Some(km(160)), None).is_ok());
        assert!(check_drop_off(miles, Some(km(161)), None).is_err());
    }

    fn pickup(value: u32, note: Option<&str>) -> PickupReadings {
        PickupReadings { odometer: km(value), fuel: FuelEighths::new(4).unwrap(), note: note.map(str::to_owned) }
    }

    #[test]
    fn pickup_never_below_drop_off() {
        assert!(check_pickup(&pickup(38_125, None), km(38_120)).is_ok());
        assert!(check_pickup(&pickup(38_120, None), km(38_120)).is_ok());
        let err = check_pickup(&pickup(38_100, None), km(38_120)).unwrap_err();
        assert!(err.to_string().contains("lower than the drop-off reading 38120"));
    }

    #[test]
    fn a_long_way_since_drop_off_needs_a_note() {
        assert!(check_pickup(&pickup(38_130, None), km(38_120)).is_ok());
        assert_eq!(check_pickup(&pickup(38_131, None), km(38_120)), Err(ReadingError::DistanceUnexplained { km: 11 }));
        assert!(check_pickup(&pickup(38_131, Some(" ")), km(38_120)).is_err());
        assert!(check_pickup(&pickup(38_131, Some("Road test")), km(38_120)).is_ok());
    }
}
