//! Real randomness for reconnect jitter: the default random source every example uses.
//!
//! Backoff jitter only spreads a fleet if every client draws different numbers, so the default is
//! the operating system's generator (through `getrandom`, the crate `rand` itself uses for OS
//! randomness: no unsafe code of ours, one small pinned dependency, nothing to seed). The seeded
//! [`Mulberry32`](crate::Mulberry32) is for test vectors and repeatable simulations only.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A random 32-bit number from the operating system, for
/// [`BackoffHint::delay_ms`](crate::BackoffHint::delay_ms).
///
/// ```
/// use codebook::streaming_session::StreamingSession;
/// use codebook::{CodeFamily, random_u32};
///
/// let hint = StreamingSession::NoWorkerNodeAvailable.backoff().unwrap();
/// let delay_ms = hint.delay_ms(0, 0, random_u32()).unwrap();
/// assert!((5_000..=10_000).contains(&delay_ms));
/// ```
///
/// Never panics: should the OS source ever fail (it does not on supported platforms once booted),
/// the number comes from std's per-process randomly keyed SipHash over a counter and the time,
/// which still differs between clients.
pub fn random_u32() -> u32 {
    getrandom::u32().unwrap_or_else(|_| fallback_u32())
}

fn fallback_u32() -> u32 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    (hasher.finish() >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_differ_and_cover_the_range() {
        let draws: Vec<u32> = (0..4_096).map(|_| random_u32()).collect();
        let mut distinct = draws.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // 4096 draws from 2^32 values collide with probability about 0.2%; a constant source fails.
        assert!(distinct.len() >= 4_090, "only {} distinct of 4096", distinct.len());
        assert!(draws.iter().any(|&x| x >= 1 << 31) && draws.iter().any(|&x| x < 1 << 31));
        let fallback: Vec<u32> = (0..64).map(|_| fallback_u32()).collect();
        assert!(fallback.windows(2).any(|pair| pair[0] != pair[1]));
    }
}
