//! The advisor's tablet: a visit from arrival to delivery (DOMAIN.md steps 2-11), one folder for
//! the feature, as `kiosk/` is for the lobby.

pub mod added_work;
pub mod belongings;
pub mod board;
pub mod follow_ups;
pub mod inquiry;
pub mod lock;
pub mod order;
pub mod photo;
pub mod pickup;
pub mod print;
pub mod readings;
pub mod review;
pub mod signature_pad;
pub mod signing;
pub mod summary;
pub mod visit;
pub mod walk_in;
pub mod walkaround;
pub mod workshop;

pub use board::Board;
pub use follow_ups::AdvisorFollowUps;
pub use print::AdvisorPrint;
pub use visit::AdvisorVisit;
pub use walk_in::AdvisorWalkIn;
