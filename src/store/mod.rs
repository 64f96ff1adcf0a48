//! The device's durable store: one IndexedDB database with the records this device knows, the
//! outbox of changes the server has not acknowledged, the changes it rejected, photo and
//! signature bytes, and a few facts about the device (`meta`). A change is saved when its record
//! and its outbox entry are committed together; nothing is dropped before the server has it.

mod blobs;
mod idb;
mod locks;
mod meta;
mod outbox;
mod photos;
mod records;

pub use locks::exclusive;
pub use meta::Facts;
pub use outbox::{Batch, LocalRecord, Outcome, Rejected, Saved};
pub use photos::PendingPhoto;

use std::fmt;
use std::rc::Rc;
use web_sys::IdbDatabase;

/// The app's database; tests open others by name.
pub const DATABASE: &str = "lane";

/// A handle on the database. Cheap to clone; every tab (and test) opens its own.
#[derive(Clone)]
pub struct Store {
    db: IdbDatabase,
    name: Rc<str>,
}

impl Store {
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        Ok(Store { db: idb::open(name).await?, name: name.into() })
    }

    /// The name of the Web Lock that makes one tab at a time push this database's outbox.
    pub fn sync_lock(&self) -> String {
        format!("{}-sync", self.name)
    }

    fn outbox_lock(&self) -> String {
        format!("{}-outbox", self.name)
    }
}

/// Why the store could not do what was asked. `Display` is for logs; the UI translates the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No IndexedDB: a private window, storage switched off, or a very old browser.
    Unavailable,
    /// The browser refused more data (`QuotaExceededError`). The transaction was rolled back:
    /// nothing of this change was written, every earlier change is kept.
    Full,
    /// An older Lane in another tab keeps the database at its old version.
    Blocked,
    /// A newer Lane in another tab upgraded the database, which closed it here.
    Closed,
    /// Anything else, with the browser's error name and message.
    Failed(String),
}

impl StoreError {
    /// Maps a browser `DOMException` by its name.
    pub fn from_dom(name: &str, message: &str) -> Self {
        match name {
            "QuotaExceededError" => StoreError::Full,
            "InvalidStateError" => StoreError::Closed,
            _ => StoreError::Failed(format!("{name}: {message}")),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable => f.write_str("this browser offers Lane no storage (a private window, or storage switched off); use a normal window"),
            StoreError::Full => f.write_str("the device's storage is full; this change was not saved, earlier ones are kept; free some space and save again"),
            StoreError::Blocked => f.write_str("an older Lane is open in another tab; close it and reload"),
            StoreError::Closed => f.write_str("Lane was updated in another tab; reload this one (saved changes are kept)"),
            StoreError::Failed(detail) => write!(f, "saving on this device failed ({detail}); try again, and reload if it keeps failing"),
        }
    }
}

impl std::error::Error for StoreError {}

/// serde's account of where is left out: its error formatting costs more wasm than it helps here.
fn encode_error(_: serde_json::Error) -> StoreError {
    StoreError::Failed("not the JSON expected".into())
}
