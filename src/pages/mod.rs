//! One module per screen.

mod advisor_start;
mod device_setup;
mod home;
mod kiosk_follow_ups;
mod not_found;
pub(crate) mod sign_in;

pub use advisor_start::{AdvisorHome, AdvisorStart};
pub use device_setup::DeviceGate;
pub use home::Home;
pub use not_found::NotFound;
