//! Lane's shared domain: the types, rules and API messages that the app (wasm32) and the server
//! (native) both use. This crate never does I/O and depends on nothing web- or server-specific, so
//! every rule here is tested natively and holds the same on both sides.
//!
//! With the `openapi` feature every type that travels over the wire derives `utoipa::ToSchema`.

#[macro_use]
mod newtype;

pub mod added_work;
pub mod api;
pub mod appointment;
pub mod capacity;
pub mod catalogue;
pub mod customer;
pub mod deadlines;
pub mod decimal;
pub mod device;
pub mod document;
pub mod drop_off;
pub mod follow_up;
pub mod ids;
pub mod kiosk;
pub mod jobs;
pub mod language;
pub mod money;
pub mod photo;
pub mod pickup;
pub mod readings;
pub mod signature;
pub mod sync;
pub mod vehicle;
pub mod visit;
pub mod walkaround;
pub mod workshop;

pub use language::Language;
pub use money::{Currency, Money};
