//! Search over every registered code, with one ranking that the browser's search-as-you-type
//! (`assets/search.js`) implements too; `tests/search_cases.json` pins both to the same answers.
//!
//! Ranking, best first: the exact number; an exact match on a name form or the wire message; a
//! prefix of those (or of the number); a substring of those or of the description and causes.
//! Ties keep registry order (family order, then number). A number query also reports, for every
//! family that does not register it, what its range means there.

use codebook_model::{Action, Behaviour, Code, Registry};
use serde::Serialize;

/// Most results one query returns.
pub const MAX_RESULTS: usize = 50;

/// How well a code matched; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Number,
    Exact,
    Prefix,
    Substring,
    /// An empty query with filters lists every code that passes them.
    Listing,
}

/// The optional filters of `/search`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub family: Option<String>,
    pub behaviour: Option<Behaviour>,
    pub action: Option<Action>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.family.is_none() && self.behaviour.is_none() && self.action.is_none()
    }
}

/// Parses an action filter value (`wait_for_capacity`, `stop`, ...: the spelling of `codes.yaml`).
pub fn parse_action(value: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|action| action.as_str() == value)
}

/// Parses a behaviour filter value (`reconnect`, `terminal`, `temporary`, `permanent`).
pub fn parse_behaviour(value: &str) -> Option<Behaviour> {
    Behaviour::ALL.into_iter().find(|behaviour| behaviour.as_str() == value)
}

/// One code as the search sees it, with its match keys already lower-cased.
#[derive(Debug)]
struct Entry {
    family: usize,
    code: usize,
    number: u16,
    number_text: String,
    behaviour: Behaviour,
    action: Action,
    /// Lower-cased name, snake_case name, name as words, wire message.
    keys: [String; 4],
    /// The keys, then the lower-cased description and causes, joined by newlines. A normalised
    /// query never holds a newline, so one search of this string finds a substring of any part.
    haystack: String,
}

/// A matching registered code: indexes into `Registry::families` and that family's `codes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub family: usize,
    pub code: usize,
    pub tier: Tier,
}

/// An unregistered number in one family, answered by its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeNote {
    pub family: usize,
    pub number: u16,
}

#[derive(Debug, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub notes: Vec<RangeNote>,
}

/// Lower-cases and collapses whitespace, the normalisation applied to queries and to the text
/// they are matched against.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The free text a code is found by after its names: description and causes.
pub fn searchable_text(code: &Code) -> String {
    let mut text = code.description.clone();
    for cause in &code.causes {
        text.push('\n');
        text.push_str(cause);
    }
    text
}

#[derive(Debug)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    family_ids: Vec<String>,
}

impl SearchIndex {
    pub fn new(registry: &Registry) -> Self {
        let mut entries = Vec::with_capacity(registry.code_count());
        for (family_index, family) in registry.families.iter().enumerate() {
            let mut order: Vec<usize> = (0..family.codes.len()).collect();
            order.sort_by_key(|&index| family.codes[index].number);
            for code_index in order {
                let code = &family.codes[code_index];
                let keys = [
                    code.name.to_lowercase(),
                    code.names.snake.clone(),
                    code.names.snake.replace('_', " "),
                    normalize(&code.message),
                ];
                let mut haystack = keys.join("\n");
                haystack.push('\n');
                haystack.push_str(&normalize(&searchable_text(code)));
                haystack.shrink_to_fit();
                entries.push(Entry {
                    family: family_index,
                    code: code_index,
                    number: code.number,
                    number_text: code.number.to_string(),
                    behaviour: code.behaviour,
                    action: code.action,
                    keys,
                    haystack,
                });
            }
        }
        SearchIndex { entries, family_ids: registry.families.iter().map(|f| f.id.clone()).collect() }
    }

    /// Ranked results for `query` under `filters` (at most [`MAX_RESULTS`] hits).
    pub fn search(&self, registry: &Registry, query: &str, filters: &Filters) -> Results {
        let query = normalize(query);
        let family_filter = match &filters.family {
            Some(id) => match self.family_ids.iter().position(|known| known == id) {
                Some(index) => Some(index),
                None => return Results::default(),
            },
            None => None,
        };
        if query.is_empty() && filters.is_empty() {
            return Results::default();
        }
        let passes = |family: usize, behaviour: Behaviour, action: Action| {
            family_filter.is_none_or(|wanted| wanted == family)
                && filters.behaviour.is_none_or(|wanted| wanted == behaviour)
                && filters.action.is_none_or(|wanted| wanted == action)
        };
        let number: Option<u16> =
            if query.bytes().all(|b| b.is_ascii_digit()) { query.parse().ok() } else { None };
        let digits = !query.is_empty() && query.bytes().all(|b| b.is_ascii_digit());
        let finder = memchr::memmem::Finder::new(query.as_bytes());

        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .filter(|entry| passes(entry.family, entry.behaviour, entry.action))
            .filter_map(|entry| {
                let tier = if query.is_empty() {
                    Tier::Listing
                } else if number == Some(entry.number) {
                    Tier::Number
                } else if entry.keys.contains(&query) {
                    Tier::Exact
                } else if entry.keys.iter().any(|key| key.starts_with(&query))
                    || (digits && entry.number_text.starts_with(&query))
                {
                    Tier::Prefix
                } else if finder.find(entry.haystack.as_bytes()).is_some() {
                    Tier::Substring
                } else {
                    return None;
                };
                Some(Hit { family: entry.family, code: entry.code, tier })
            })
            .collect();
        hits.sort_by_key(|hit| hit.tier);
        hits.truncate(MAX_RESULTS);

        let mut notes = Vec::new();
        if let Some(number) = number {
            for (index, family) in registry.families.iter().enumerate() {
                let classification = family.classify(number);
                if !classification.is_registered() && passes(index, classification.behaviour, classification.segment.action) {
                    notes.push(RangeNote { family: index, number });
                }
            }
        }
        Results { hits, notes }
    }
}
