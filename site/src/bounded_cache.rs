//! The portal's one bounded cache: a map bounded by entries and by bytes (each entry weighed by
//! the cache's weight function), evicting by CLOCK (second chance): entries leave in insertion
//! order, except that an entry read since it was last passed over goes to the back once more.
//! A read takes a shared lock and sets one flag, so a hot entry stays cheap to read and stays.
//! Keys hash with std's randomly seeded SipHash, so a flood cannot aim at one bucket.
//!
//! Used for rendered search answers ([`crate::search_cache`]) and for the lazily built brotli
//! variants of every response ([`crate::resource::BrotliCache`]).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

struct Entry<V> {
    value: V,
    /// Read since the clock hand last passed it.
    referenced: AtomicBool,
}

struct Entries<K, V> {
    map: HashMap<K, Entry<V>>,
    /// Keys in the clock's order: the front is the next candidate for eviction.
    order: VecDeque<K>,
    bytes: usize,
}

pub struct BoundedCache<K, V> {
    entries: RwLock<Entries<K, V>>,
    max_entries: usize,
    max_bytes: usize,
    weigh: fn(&K, &V) -> usize,
}

impl<K: Clone + Eq + Hash, V: Clone> BoundedCache<K, V> {
    /// A cache of at most `max_entries` entries and `max_bytes` bytes as `weigh` counts them.
    pub fn new(max_entries: usize, max_bytes: usize, weigh: fn(&K, &V) -> usize) -> Self {
        let entries = Entries { map: HashMap::new(), order: VecDeque::new(), bytes: 0 };
        BoundedCache { entries: RwLock::new(entries), max_entries, max_bytes, weigh }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.map.get(key)?;
        if !entry.referenced.load(Ordering::Relaxed) {
            entry.referenced.store(true, Ordering::Relaxed);
        }
        Some(entry.value.clone())
    }

    /// Keeps `value` under `key` (evicting to make room) and returns it, or the value another
    /// caller stored first. A value heavier than the whole bound is returned without being kept.
    pub fn insert(&self, key: K, value: V) -> V {
        let added = (self.weigh)(&key, &value);
        if added > self.max_bytes || self.max_entries == 0 {
            return value;
        }
        let mut guard = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        let entries = &mut *guard;
        if let Some(existing) = entries.map.get(&key) {
            return existing.value.clone();
        }
        while entries.map.len() >= self.max_entries || entries.bytes + added > self.max_bytes {
            let Some(candidate) = entries.order.pop_front() else { break };
            let Some(entry) = entries.map.get(&candidate) else { continue };
            // Second chance: every pass clears a flag, so this ends within two turns of the clock.
            if entry.referenced.swap(false, Ordering::Relaxed) {
                entries.order.push_back(candidate);
                continue;
            }
            if let Some(evicted) = entries.map.remove(&candidate) {
                entries.bytes -= (self.weigh)(&candidate, &evicted.value);
            }
        }
        entries.bytes += added;
        entries.order.push_back(key.clone());
        entries.map.insert(key, Entry { value: value.clone(), referenced: AtomicBool::new(false) });
        value
    }

    /// Entries and counted bytes held now.
    pub fn usage(&self) -> (usize, usize) {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        (entries.map.len(), entries.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(max_entries: usize, max_bytes: usize) -> BoundedCache<u32, u32> {
        BoundedCache::new(max_entries, max_bytes, |_, value| *value as usize)
    }

    #[test]
    fn an_entry_read_since_the_last_pass_gets_a_second_chance() {
        let cache = cache(3, usize::MAX);
        for key in 0..3 {
            cache.insert(key, 1);
        }
        assert_eq!(cache.get(&0), Some(1));
        cache.insert(3, 1);
        assert_eq!(cache.get(&0), Some(1), "read, so kept");
        assert_eq!(cache.get(&1), None, "the oldest unread entry went");
        assert_eq!(cache.usage(), (3, 3));
    }

    #[test]
    fn the_byte_bound_holds_even_when_every_entry_was_read() {
        let cache = cache(100, 10);
        for key in 0..50 {
            cache.insert(key, 3);
            for held in 0..=key {
                cache.get(&held);
            }
            assert!(cache.usage().1 <= 10, "{:?}", cache.usage());
        }
        assert_eq!(cache.insert(99, 11), 11, "heavier than the bound: returned, not kept");
        assert_eq!(cache.get(&99), None);
    }
}
