//! The sync API's JSON as the app reads it. Private stand-ins until the shared types exist in
//! `lane_domain::sync`; kept in this one file so they can be swapped for those.

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub struct PushResponse {
    /// Answers for a prefix of the batch, in order.
    pub results: Vec<PushResult>,
    pub last_seq: u64,
}

#[derive(Deserialize)]
pub struct PushResult {
    pub seq: u64,
    /// `applied` or `rejected`.
    pub outcome: String,
    pub reason: Option<Reason>,
}

#[derive(Deserialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
pub struct PullPage {
    pub records: Vec<Value>,
    pub cursor: u64,
    pub more: bool,
    pub last_seq: u64,
}

/// The body of a 4xx refusal of a whole request (`api::Problem`, with the code left as text so a
/// code newer than this build still reads).
#[derive(Deserialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
}
