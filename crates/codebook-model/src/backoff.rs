//! The reconnect and retry delay: one definition, which every binding reproduces bit for bit.
//!
//! [`BackoffHint::delay_ms`] is pure integer and `f64` arithmetic on a caller-supplied 32-bit
//! random number, so Rust, TypeScript and Go compute the same delays; [`Mulberry32`] is the small
//! seeded generator the shared test vectors use to drive all three the same way.

use crate::registry::{BackoffHint, Jitter};

impl BackoffHint {
    /// The delay before attempt `attempt` (0 for the first retry), given the time since the first
    /// failure and one 32-bit random number, or `None` when it is time to give up.
    ///
    /// The ceiling doubles from `min_ms` each attempt up to `max_ms`. With full jitter the delay
    /// is uniform in `min_ms..=ceiling`: `min_ms + floor(random / 2^32 * (ceiling - min_ms + 1))`,
    /// computed in `f64`. It is never below `min_ms`, so a fleet never reconnects in lockstep
    /// with zero delay.
    ///
    /// ```
    /// use codebook_model::{BackoffHint, Jitter};
    /// let hint = BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::None, give_up_after_ms: Some(60_000) };
    /// assert_eq!(hint.delay_ms(0, 0, 0), Some(500));
    /// assert_eq!(hint.delay_ms(3, 0, 0), Some(4_000));
    /// assert_eq!(hint.delay_ms(10, 0, 0), Some(8_000));
    /// assert_eq!(hint.delay_ms(2, 60_000, 0), None);
    /// ```
    pub fn delay_ms(&self, attempt: u32, elapsed_ms: u64, random: u32) -> Option<u32> {
        if self.give_up_after_ms.is_some_and(|limit| elapsed_ms >= u64::from(limit)) {
            return None;
        }
        let doubled = u64::from(self.min_ms) << attempt.min(32);
        let ceiling = doubled.min(u64::from(self.max_ms)) as u32;
        Some(match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => {
                let span = f64::from(ceiling - self.min_ms) + 1.0;
                self.min_ms + (f64::from(random) / 4_294_967_296.0 * span).floor() as u32
            }
        })
    }
}

/// Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors.
///
/// ```
/// let mut random = codebook_model::Mulberry32::new(42);
/// assert_eq!(random.next_u32(), 2_581_720_956);
/// ```
#[derive(Clone, Debug)]
pub struct Mulberry32 {
    state: u32,
}

impl Mulberry32 {
    pub fn new(seed: u32) -> Self {
        Mulberry32 { state: seed }
    }

    pub fn next_u32(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x6D2B_79F5);
        let mut t = self.state;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        t ^ (t >> 14)
    }
}
