//! Devices and the people on them: enrolment of a kiosk or tablet with a one-time code, and an
//! advisor's PIN sign-in on a tablet.

use crate::ids::{AdvisorId, DeviceId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an enrolled device may do: a kiosk serves strangers and sees no customer data; a tablet
/// serves advisors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Kiosk,
    Tablet,
}

impl DeviceKind {
    pub const fn tag(self) -> &'static str {
        match self {
            DeviceKind::Kiosk => "kiosk",
            DeviceKind::Tablet => "tablet",
        }
    }

    pub fn from_tag(tag: &str) -> Option<DeviceKind> {
        [DeviceKind::Kiosk, DeviceKind::Tablet].into_iter().find(|k| k.tag() == tag)
    }
}

/// `POST /api/admin/enrolment-codes`: an admin prepares the enrolment of one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEnrolmentCode {
    pub kind: DeviceKind,
    /// A name the staff recognise, such as "Lobby kiosk" or "Tablet 3".
    pub name: String,
}

/// The one-time code, shown once to the admin, who types it on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolmentCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/devices/enrol`: the device trades the one-time code for its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub code: String,
    /// The kind of device the code is typed on: a code made for the other kind is refused
    /// (`wrong_device_kind`) and stays unused, so a code typed on the wrong screen is not lost.
    #[serde(default)]
    pub kind: Option<DeviceKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    pub device: DeviceId,
    pub kind: DeviceKind,
    pub name: String,
    /// Sent as `Authorization: Bearer <token>` from now on; revocable by an admin.
    pub token: String,
}

/// One enrolled device, as an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceSummary {
    pub id: DeviceId,
    pub kind: DeviceKind,
    pub name: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub last_seq: u64,
}

/// `POST /api/advisors/sign-in` from a tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinSignIn {
    pub advisor: AdvisorId,
    pub pin: String,
}

/// An advisor's session on one tablet, sent as the `Lane-Advisor-Session` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdvisorSession {
    pub advisor: AdvisorId,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A PIN is 4 to 8 digits: short enough for a busy lane, with lockout doing the rest.
pub fn valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_their_tags() {
        for kind in [DeviceKind::Kiosk, DeviceKind::Tablet] {
            assert_eq!(DeviceKind::from_tag(kind.tag()), Some(kind));
        }
        assert_eq!(DeviceKind::from_tag("phone"), None);
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(valid_pin("1234"));
        assert!(valid_pin("12345678"));
        assert!(!valid_pin("123"));
        assert!(!valid_pin("123456789"));
        assert!(!valid_pin("12a4"));
    }
}
