//! One module per screen.

mod advisor_start;
mod home;
mod kiosk_start;
mod not_found;

pub use advisor_start::AdvisorStart;
pub use home::Home;
pub use kiosk_start::KioskStart;
pub use not_found::NotFound;
