//! The advisor's tablet: the drop-off half of a visit (DOMAIN.md steps 2-5), one folder for the
//! feature, as `kiosk/` is for the lobby.

pub mod belongings;
pub mod board;
pub mod follow_ups;
pub mod inquiry;
pub mod lock;
pub mod order;
pub mod photo;
pub mod print;
pub mod readings;
pub mod review;
pub mod signature_pad;
pub mod summary;
pub mod visit;
pub mod walk_in;
pub mod walkaround;

pub use board::Board;
pub use follow_ups::AdvisorFollowUps;
pub use print::AdvisorPrint;
pub use visit::AdvisorVisit;
pub use walk_in::AdvisorWalkIn;
