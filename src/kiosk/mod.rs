//! The lobby kiosk (DOMAIN.md steps 1-3): customers book a visit, check in with their booking,
//! or register as a walk-in, in their own language, by touch alone.
//!
//! A kiosk serves strangers one after another. Each flow keeps what the customer typed in its own
//! signals (a [`draft::Draft`]), which die with the screen: leaving it (by Done, Start over, or
//! the idle reset in [`idle`]) leaves nothing of them in memory or on screen. Changes go out with
//! `SyncEngine::send`, which keeps no copy of the record on the device: the outbox entry is the
//! only one, until the server has it.

mod api;
mod arrival;
mod booking;
mod check_in;
pub(crate) mod draft;
mod frame;
mod idle;
mod start;
pub(crate) mod steps;
mod walk_in;

// Shared with the advisor's tablet; the kiosk's modules reach them as `super::…`.
use crate::{fields, keypad};

pub use booking::KioskBook;
pub use check_in::KioskCheckIn;
pub use start::{KioskHome, KioskStart};
pub use walk_in::KioskWalkIn;
