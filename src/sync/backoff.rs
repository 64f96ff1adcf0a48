//! How long to wait before retrying a failed sync: exponential backoff with full jitter (a random
//! delay up to 1 s, 2 s, 4 s, … capped at 60 s), so devices that lost the server together do not
//! come back in lockstep.

use std::time::Duration;

const BASE_MS: f64 = 1_000.0;
const CAP_MS: f64 = 60_000.0;

/// The delay before retry number `attempt` (0 for the first), `random` in `[0, 1)`.
pub fn backoff(attempt: u32, random: f64) -> Duration {
    let ceiling = (BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(CAP_MS);
    Duration::from_millis((ceiling * random.clamp(0.0, 1.0)) as u64)
}
