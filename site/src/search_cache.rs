//! A bounded cache of rendered search answers (the `/search` page and `/api/search` JSON), so a
//! repeated query is answered like a prebuilt page: one lookup, a variant, an ETag.
//!
//! Each [`Site`](crate::Site) owns one, so a `--watch` reload starts with an empty cache. It is
//! bounded twice: by entries and by bytes (every variant an entry can come to hold counted up
//! front, plus its key), and it evicts the oldest entry first, so a flood of distinct queries
//! cannot grow memory past the bound. Keys hash with std's randomly seeded SipHash, so a flood
//! cannot aim at one bucket either.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, RwLock};

use crate::resource::Resource;
use crate::search::Filters;

/// Most entries held.
pub const MAX_ENTRIES: usize = 2048;
/// Most bytes held (bodies and their worst-case variants, keys, bookkeeping).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Bookkeeping counted per entry on top of its key and body: map slot, queue slot, `Arc` and the
/// resource's headers.
const ENTRY_OVERHEAD: usize = 512;

/// Which answer a key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    Page,
    Api,
}

/// A search as the handlers parse it: the query as searched (already cut to its maximum length)
/// and the recognised filters. Parameters that do not change the answer are not part of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub answer: Answer,
    pub query: String,
    pub filters: Filters,
}

impl Key {
    fn bytes(&self) -> usize {
        self.query.len() + self.filters.family.as_ref().map_or(0, String::len)
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<Key, Arc<Resource>>,
    /// Keys in insertion order: the front is evicted first.
    order: VecDeque<Key>,
    bytes: usize,
}

pub struct SearchCache {
    entries: RwLock<Entries>,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for SearchCache {
    fn default() -> Self {
        SearchCache::new(MAX_ENTRIES, MAX_BYTES)
    }
}

impl SearchCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        SearchCache { entries: RwLock::default(), max_entries, max_bytes }
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Resource>> {
        self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner).map.get(key).cloned()
    }

    /// Keeps `resource` under `key` (evicting the oldest entries to make room) and returns it, or
    /// the entry another request stored first. A resource larger than the whole bound is
    /// returned without being kept.
    pub fn insert(&self, key: Key, resource: Resource) -> Arc<Resource> {
        let added = weight(&key, &resource);
        let resource = Arc::new(resource);
        if added > self.max_bytes || self.max_entries == 0 {
            return resource;
        }
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(existing) = entries.map.get(&key) {
            return existing.clone();
        }
        while entries.map.len() >= self.max_entries || entries.bytes + added > self.max_bytes {
            let Some(oldest) = entries.order.pop_front() else { break };
            if let Some(evicted) = entries.map.remove(&oldest) {
                entries.bytes -= weight(&oldest, &evicted);
            }
        }
        entries.bytes += added;
        entries.order.push_back(key.clone());
        entries.map.insert(key, resource.clone());
        resource
    }

    /// Entries and counted bytes held now.
    pub fn usage(&self) -> (usize, usize) {
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        (entries.map.len(), entries.bytes)
    }
}

fn weight(key: &Key, resource: &Resource) -> usize {
    // The key is held twice: in the map and in the eviction queue.
    2 * key.bytes() + resource.max_bytes() + ENTRY_OVERHEAD
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{HTML, REVALIDATE};

    fn key(query: &str) -> Key {
        Key { answer: Answer::Page, query: query.to_string(), filters: Filters::default() }
    }

    #[test]
    fn the_oldest_entry_goes_when_the_entry_bound_is_reached() {
        let cache = SearchCache::new(2, usize::MAX);
        cache.insert(key("a"), Resource::new(HTML, REVALIDATE, "a"));
        cache.insert(key("b"), Resource::new(HTML, REVALIDATE, "b"));
        cache.insert(key("c"), Resource::new(HTML, REVALIDATE, "c"));
        assert!(cache.get(&key("a")).is_none());
        assert!(cache.get(&key("b")).is_some() && cache.get(&key("c")).is_some());
        assert_eq!(cache.usage().0, 2);
    }

    #[test]
    fn the_byte_bound_holds_and_counts_every_variant() {
        let page = "x".repeat(10_000);
        let one = weight(&key("q0000"), &Resource::new(HTML, REVALIDATE, page.clone()));
        let cache = SearchCache::new(1000, 3 * one);
        for n in 0..100 {
            cache.insert(key(&format!("q{n:04}")), Resource::new(HTML, REVALIDATE, page.clone()));
            let (entries, bytes) = cache.usage();
            assert!(bytes <= 3 * one && entries <= 3, "{entries} entries, {bytes} bytes");
        }
        assert_eq!(cache.usage(), (3, 3 * one));
        // Too large for the whole cache: answered, not kept.
        let small = SearchCache::new(10, 100);
        let kept = small.insert(key("big"), Resource::new(HTML, REVALIDATE, page));
        assert_eq!(kept.body().len(), 10_000);
        assert_eq!(small.usage(), (0, 0));
    }

    #[test]
    fn a_second_insert_of_the_same_key_returns_the_first() {
        let cache = SearchCache::default();
        let first = cache.insert(key("a"), Resource::new(HTML, REVALIDATE, "first"));
        let second = cache.insert(key("a"), Resource::new(HTML, REVALIDATE, "second"));
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(cache.usage().0, 1);
    }
}
