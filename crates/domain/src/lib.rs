//! Lane's shared domain: the types, rules and API messages that the app (wasm32) and the server
//! (native) both use. This crate never does I/O and depends on nothing web- or server-specific, so
//! every rule here is tested natively and holds the same on both sides.

pub mod api;
pub mod deadlines;
pub mod language;
pub mod money;
pub mod readings;
pub mod vehicle;
pub mod visit;

pub use language::Language;
pub use money::{Currency, Money};
