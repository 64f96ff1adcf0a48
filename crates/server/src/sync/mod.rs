//! The sync endpoints: `push` applies a device's mutations exactly once and in order, `pull`
//! returns what changed since the device's cursor. The rules are in ARCHITECTURE.md, "Sync".

mod apply;
mod follow_up;
pub mod pull;
pub mod push;
