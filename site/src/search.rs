//! Search over every registered code, with one ranking that the browser's search-as-you-type
//! (`assets/search.js`) implements too; `tests/search_cases.json` pins both to the same answers and
//! `tests/search_relevance.json` holds the queries users actually type.
//!
//! A query is cut into words (runs of letters and digits; case, whitespace and punctuation do not
//! count) and each word is reduced to a stem by [`stem`], so `closed`, `close` and `closure` are one
//! word. Numbers are picked out of the words, so a pasted log line or JSON object finds its code.
//! Ranking, best first (see [`Tier`]):
//!
//! 1. a number of the query is the code's number;
//! 2. the query is the code's name or wire message;
//! 3. every word of the query is a whole word of the name or of the message, then a word prefix,
//!    then a substring (all in the same field; for a query that is one number, the code's number
//!    starting with it counts as a prefix);
//! 4. every word is a whole word or a word prefix somewhere in the code (description and causes
//!    included), then a substring anywhere; then, for a long pasted text that no code matches
//!    whole, the codes that match most of its words.
//!
//! Every word is required in tiers 2-4, in any order. Within a tier the code that matched more of
//! the query's other words comes first (numbers, partial matches), then the one with more of them
//! in its name or message, then the shorter matching field; registry order (family, then number)
//! is the last tie-break. A query of one number also reports, for
//! every family that does not register it, what its range means there.

use std::collections::BTreeSet;

use codebook_model::{Action, Behaviour, Code, Registry};
use serde::Serialize;

/// Most results one query returns.
pub const MAX_RESULTS: usize = 50;

/// Longest query searched, in characters; the rest is ignored (a pasted log line fits).
pub const MAX_QUERY_CHARS: usize = 200;

/// How well a code matched; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A number in the query is the code's number.
    Number,
    /// The query is the code's name or wire message.
    Exact,
    /// Every word is a whole word (same stem) of the name or of the message.
    Word,
    /// Every word is a whole word or a word prefix of the name or of the message.
    Prefix,
    /// Every word is inside the name or the message.
    Substring,
    /// Every word is a whole word or a word prefix somewhere in the code's text.
    Text,
    /// Every word is inside the code's text somewhere.
    Anywhere,
    /// A long query (three words or more) of which the code matches at least two and at least
    /// half, as whole words or prefixes.
    Partial,
    /// An empty query with filters lists every code that passes them.
    Listing,
}

impl Tier {
    /// The name the JSON API and the browser search use.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Number => "number",
            Tier::Exact => "exact",
            Tier::Word => "word",
            Tier::Prefix => "prefix",
            Tier::Substring => "substring",
            Tier::Text => "text",
            Tier::Anywhere => "anywhere",
            Tier::Partial => "partial",
            Tier::Listing => "listing",
        }
    }
}

/// The optional filters of `/search`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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

/// Lower-cases and collapses whitespace, the normalisation applied to queries and to the text
/// they are matched against.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The words of `text`, lower-cased: runs of characters that are neither whitespace nor ASCII
/// punctuation or control characters.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || (c.is_ascii() && !c.is_ascii_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// Suffixes [`stem`] removes, longest first; at most one is removed, leaving three letters or more.
const SUFFIXES: [&str; 17] = [
    "ations", "ation", "ingly", "ings", "edly", "ion", "ing", "ures", "ure", "ies", "ied", "ed", "ly", "es", "s", "e",
    "y",
];

/// Folds simple English inflections so that `closed`, `closing`, `close` and `closure` (or
/// `abnormally` and `abnormal`, `expired` and `expiry`) compare equal. Only words of four or more
/// ASCII letters are touched. A stem is always a prefix of its word.
pub fn stem(word: &str) -> &str {
    let bytes = word.as_bytes();
    if bytes.len() < 4 || !bytes.iter().all(u8::is_ascii_lowercase) {
        return word;
    }
    for suffix in SUFFIXES {
        let Some(base) = word.strip_suffix(suffix) else { continue };
        if base.len() < 3 {
            continue;
        }
        // `address`, `access`: an s that is not a plural.
        if suffix == "s" && base.ends_with('s') {
            continue;
        }
        // `banned` -> `ban`, `stopping` -> `stop`; but `called` stays `call`.
        if matches!(suffix, "ed" | "edly" | "ing" | "ings") {
            let b = base.as_bytes();
            let n = b.len();
            if n >= 4
                && b[n - 1] == b[n - 2]
                && !matches!(b[n - 1], b'l' | b's' | b'z' | b'a' | b'e' | b'i' | b'o' | b'u')
            {
                return &base[..n - 1];
            }
        }
        return base;
    }
    word
}

/// The free text a code is found by after its names: description and causes.
pub fn searchable_text(code: &Code) -> String {
    let mut text = code.description.clone();
    for cause in &code.causes {
        text.push('\n');
        text.push_str(cause);
    }
    // A text built at run time: what it holds, and the known texts the message key leaves out.
    if let Some(what) = code.message.varies() {
        text.push('\n');
        text.push_str(what);
        for known in code.message.known().iter().skip(1) {
            text.push('\n');
            text.push_str(known);
        }
    }
    text
}

/// The text a code is matched by as its wire message: the fixed text, or the first known text of
/// a text built at run time (the others are searched with the description), or nothing.
pub fn message_key(code: &Code) -> &str {
    code.message.texts().first().copied().unwrap_or("")
}

/// One of the fields a code is matched by whole: its name as one word, its name as words, its
/// wire message.
#[derive(Debug)]
struct KeyField {
    /// The field's words joined by single spaces (what exact and substring matches compare).
    joined: String,
    /// Its words, as vocabulary ids.
    words: Vec<u32>,
    /// Length of `joined` in characters.
    chars: u32,
}

impl KeyField {
    fn new(text: &str, vocabulary: &mut Vocabulary) -> Self {
        let list = words(text);
        let joined = list.join(" ");
        let words = list.iter().map(|word| vocabulary.intern(word)).collect();
        KeyField { chars: joined.chars().count() as u32, joined, words }
    }
}

/// One code as the search sees it.
#[derive(Debug)]
struct Entry {
    family: usize,
    code: usize,
    number: u16,
    behaviour: Behaviour,
    action: Action,
    /// Name as one word (`invalidtoken`), name as words (`invalid token`), wire message.
    keys: [KeyField; 3],
    /// Every word of the keys, description and causes, as sorted vocabulary ids.
    all_words: Vec<u32>,
    /// The normalised description and causes.
    text: String,
    /// Length of `text` in characters.
    text_chars: u32,
}

/// Every distinct word of the registry, sorted, with its stem; words are referred to by index.
#[derive(Debug, Default)]
struct Vocabulary {
    words: Vec<String>,
    stems: Vec<u32>,
    /// Distinct stems, sorted.
    stem_list: Vec<String>,
    /// While building: word -> provisional id.
    building: std::collections::HashMap<String, u32>,
}

impl Vocabulary {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.building.get(word) {
            return id;
        }
        let id = self.building.len() as u32;
        self.building.insert(word.to_string(), id);
        id
    }

    /// Sorts the words; returns the map from provisional to final ids.
    fn finish(&mut self) -> Vec<u32> {
        let mut sorted: Vec<(String, u32)> = std::mem::take(&mut self.building).into_iter().collect();
        sorted.sort();
        let mut remap = vec![0u32; sorted.len()];
        for (final_id, (_, provisional)) in sorted.iter().enumerate() {
            remap[*provisional as usize] = final_id as u32;
        }
        self.words = sorted.into_iter().map(|(word, _)| word).collect();
        let stems: BTreeSet<&str> = self.words.iter().map(|word| stem(word)).collect();
        self.stem_list = stems.into_iter().map(str::to_string).collect();
        self.stems = self
            .words
            .iter()
            .map(|word| {
                self.stem_list.binary_search_by(|probe| probe.as_str().cmp(stem(word))).expect("every stem is listed")
                    as u32
            })
            .collect();
        self.words.shrink_to_fit();
        self.stem_list.shrink_to_fit();
        remap
    }

    /// How each vocabulary word matches the query word `word`: [`WHOLE`] for the same stem,
    /// [`PREFIX`] when it starts with `word`, [`NONE`] otherwise.
    fn levels(&self, word: &str) -> Vec<u8> {
        let mut levels = vec![NONE; self.words.len()];
        let start = self.words.partition_point(|probe| probe.as_str() < word);
        for (index, probe) in self.words[start..].iter().enumerate() {
            if !probe.starts_with(word) {
                break;
            }
            levels[start + index] = PREFIX;
        }
        if let Ok(stem_id) = self.stem_list.binary_search_by(|probe| probe.as_str().cmp(stem(word))) {
            // Words sharing a stem start with it, so they sit in the stem's prefix range.
            let stem_text = &self.stem_list[stem_id];
            let from = self.words.partition_point(|probe| probe.as_str() < stem_text.as_str());
            for (index, probe) in self.words[from..].iter().enumerate() {
                if !probe.starts_with(stem_text.as_str()) {
                    break;
                }
                if self.stems[from + index] == stem_id as u32 {
                    levels[from + index] = WHOLE;
                }
            }
        }
        levels
    }
}

/// Match levels of one query word against one word or field; lower is better.
const WHOLE: u8 = 0;
const PREFIX: u8 = 1;
const INSIDE: u8 = 2;
const NONE: u8 = u8::MAX;

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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub notes: Vec<RangeNote>,
}

/// A query cut up once: its words, its numbers, and what the tiers compare.
#[derive(Debug)]
pub struct Query {
    /// Every word, in order (for the exact tier).
    joined: String,
    /// Distinct numbers among the words (0..=65535), in order.
    numbers: Vec<u16>,
    /// The distinct words every match must contain: the words that are not numbers, or the
    /// numbers when there is nothing else.
    required: Vec<String>,
    /// The digits of a query that is one number and nothing else (matched as a number prefix).
    lone_number: Option<String>,
    empty: bool,
}

impl Query {
    pub fn parse(raw: &str) -> Query {
        let raw: String = raw.chars().take(MAX_QUERY_CHARS).collect();
        let all = words(&raw);
        let is_number = |word: &str| word.bytes().all(|b| b.is_ascii_digit());
        let mut numbers = Vec::new();
        for word in all.iter().filter(|word| is_number(word)) {
            if let Ok(number) = word.parse::<u16>()
                && !numbers.contains(&number)
            {
                numbers.push(number);
            }
        }
        let mut required: Vec<String> = Vec::new();
        let has_text = all.iter().any(|word| !is_number(word));
        for word in &all {
            if (!has_text || !is_number(word)) && !required.contains(word) {
                required.push(word.clone());
            }
        }
        let lone_number = (all.len() == 1 && is_number(&all[0])).then(|| all[0].clone());
        Query { joined: all.join(" "), numbers, required, lone_number, empty: all.is_empty() }
    }
}

#[derive(Debug)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    vocabulary: Vocabulary,
    family_ids: Vec<String>,
}

/// Sort key of a hit: tier, then the tier's own two orders (fewer words missed), then the
/// matching field's length, then registry order.
type Rank = (Tier, u32, u32, u32, usize);

impl SearchIndex {
    pub fn new(registry: &Registry) -> Self {
        let mut vocabulary = Vocabulary::default();
        let mut entries = Vec::with_capacity(registry.code_count());
        for (family_index, family) in registry.families.iter().enumerate() {
            let mut order: Vec<usize> = (0..family.codes.len()).collect();
            order.sort_by_key(|&index| family.codes[index].number);
            for code_index in order {
                let code = &family.codes[code_index];
                let keys = [
                    KeyField::new(&code.name.to_lowercase(), &mut vocabulary),
                    KeyField::new(&code.names.snake, &mut vocabulary),
                    KeyField::new(message_key(code), &mut vocabulary),
                ];
                let text = normalize(&searchable_text(code));
                let mut all_words: Vec<u32> = keys.iter().flat_map(|key| key.words.iter().copied()).collect();
                all_words.extend(words(&text).iter().map(|word| vocabulary.intern(word)));
                entries.push(Entry {
                    family: family_index,
                    code: code_index,
                    number: code.number,
                    behaviour: code.behaviour,
                    action: code.action,
                    keys,
                    all_words,
                    text_chars: text.chars().count() as u32,
                    text,
                });
            }
        }
        let remap = vocabulary.finish();
        for entry in &mut entries {
            for key in &mut entry.keys {
                for id in &mut key.words {
                    *id = remap[*id as usize];
                }
            }
            for id in &mut entry.all_words {
                *id = remap[*id as usize];
            }
            entry.all_words.sort_unstable();
            entry.all_words.dedup();
            entry.all_words.shrink_to_fit();
            entry.text.shrink_to_fit();
        }
        SearchIndex { entries, vocabulary, family_ids: registry.families.iter().map(|f| f.id.clone()).collect() }
    }

    /// Ranked results for `query` under `filters` (at most [`MAX_RESULTS`] hits).
    pub fn search(&self, registry: &Registry, query: &str, filters: &Filters) -> Results {
        let query = Query::parse(query);
        let family_filter = match &filters.family {
            Some(id) => match self.family_ids.iter().position(|known| known == id) {
                Some(index) => Some(index),
                None => return Results::default(),
            },
            None => None,
        };
        if query.empty && filters.is_empty() {
            return Results::default();
        }
        let passes = |family: usize, behaviour: Behaviour, action: Action| {
            family_filter.is_none_or(|wanted| wanted == family)
                && filters.behaviour.is_none_or(|wanted| wanted == behaviour)
                && filters.action.is_none_or(|wanted| wanted == action)
        };
        let levels: Vec<Vec<u8>> = query.required.iter().map(|word| self.vocabulary.levels(word)).collect();
        let finders: Vec<memchr::memmem::Finder<'_>> =
            query.required.iter().map(|word| memchr::memmem::Finder::new(word.as_bytes())).collect();

        let mut ranked: Vec<(Rank, Hit)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| passes(entry.family, entry.behaviour, entry.action))
            .filter_map(|(position, entry)| {
                let (tier, first, second, length) =
                    if query.empty { (Tier::Listing, 0, 0, 0) } else { self.rank(entry, &query, &levels, &finders)? };
                Some(((tier, first, second, length, position), Hit { family: entry.family, code: entry.code, tier }))
            })
            .collect();
        ranked.sort_unstable_by_key(|(rank, _)| *rank);
        let hits = ranked.into_iter().take(MAX_RESULTS).map(|(_, hit)| hit).collect();

        let mut notes = Vec::new();
        if let [number] = query.numbers[..] {
            for (index, family) in registry.families.iter().enumerate() {
                let classification = family.classify(number);
                if !classification.is_registered()
                    && passes(index, classification.behaviour, classification.segment.action)
                {
                    notes.push(RangeNote { family: index, number });
                }
            }
        }
        Results { hits, notes }
    }

    /// The tier, the tier's two own orders and the matching field's length of one code, or `None`.
    fn rank(
        &self,
        entry: &Entry,
        query: &Query,
        levels: &[Vec<u8>],
        finders: &[memchr::memmem::Finder<'_>],
    ) -> Option<(Tier, u32, u32, u32)> {
        // How each required word matches anywhere in the code, as a whole word or a prefix.
        let anywhere =
            |index: usize| entry.all_words.iter().map(|&id| levels[index][id as usize]).min().unwrap_or(NONE);
        let required = query.required.len() as u32;
        // Words missing from the name and the message: fewer means the code is more about them.
        let missing_from_keys = || {
            let in_keys = |index: usize| {
                entry.keys.iter().any(|key| key.words.iter().any(|&id| levels[index][id as usize] <= PREFIX))
            };
            required - (0..query.required.len()).filter(|&index| in_keys(index)).count() as u32
        };
        if query.numbers.contains(&entry.number) {
            let matched = (0..query.required.len()).filter(|&index| anywhere(index) <= PREFIX).count() as u32;
            return Some((Tier::Number, required - matched, missing_from_keys(), 0));
        }
        if let Some(key) = entry.keys.iter().filter(|key| key.joined == query.joined).min_by_key(|key| key.chars) {
            return Some((Tier::Exact, 0, 0, key.chars));
        }
        // The best key field: every required word in it, at the worst of their levels.
        let mut best: Option<(u8, u32)> = None;
        for key in &entry.keys {
            let mut worst = WHOLE;
            for (word_levels, finder) in levels.iter().zip(finders) {
                let level = key.words.iter().map(|&id| word_levels[id as usize]).min().unwrap_or(NONE);
                let level = if level == NONE && finder.find(key.joined.as_bytes()).is_some() { INSIDE } else { level };
                worst = worst.max(level);
            }
            if key.joined.contains(query.joined.as_str()) {
                worst = worst.min(INSIDE);
            }
            if worst != NONE && best.is_none_or(|(level, chars)| (worst, key.chars) < (level, chars)) {
                best = Some((worst, key.chars));
            }
        }
        if let Some(digits) = &query.lone_number {
            let number = entry.number.to_string();
            if number.starts_with(digits.as_str()) {
                let candidate = (PREFIX, number.len() as u32);
                if best.is_none_or(|current| candidate < current) {
                    best = Some(candidate);
                }
            }
        }
        if let Some((level, chars)) = best {
            let tier = match level {
                WHOLE => Tier::Word,
                PREFIX => Tier::Prefix,
                _ => Tier::Substring,
            };
            return Some((tier, 0, 0, chars));
        }
        let matched = (0..query.required.len()).filter(|&index| anywhere(index) <= PREFIX).count() as u32;
        let missing_from_keys = missing_from_keys();
        if matched == required {
            return Some((Tier::Text, 0, missing_from_keys, entry.text_chars));
        }
        let inside = |index: usize| {
            let finder = &finders[index];
            finder.find(entry.text.as_bytes()).is_some()
                || entry.keys.iter().any(|key| finder.find(key.joined.as_bytes()).is_some())
        };
        if (0..query.required.len()).all(inside) {
            return Some((Tier::Anywhere, 0, missing_from_keys, entry.text_chars));
        }
        if required >= 3 && matched >= 2 && 2 * matched >= required {
            return Some((Tier::Partial, required - matched, missing_from_keys, entry.text_chars));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_simple_inflections() {
        for group in [
            &["close", "closed", "closes", "closing", "closure"][..],
            &["abnormal", "abnormally"],
            &["expire", "expired", "expires", "expiry", "expiration"],
            &["ban", "banned", "banning", "bans"],
            &["limit", "limits", "limited", "limiting"],
            &["call", "called", "calling", "calls"],
            &["disconnect", "disconnected", "disconnects", "disconnection"],
            &["request", "requests", "requested"],
            &["deny", "denied", "denies"],
            &["gpu", "gpus"],
        ] {
            let stems: BTreeSet<&str> = group.iter().map(|word| stem(word)).collect();
            assert_eq!(stems.len(), 1, "{group:?} stem to {stems:?}");
        }
        for word in ["address", "access", "add", "1006", "café", "pong", "ping"] {
            assert_eq!(stem(word), word);
        }
    }

    #[test]
    fn a_stem_is_a_prefix_of_its_word() {
        for word in ["closure", "banned", "expiration", "retries", "abnormally", "stopping", "messages"] {
            assert!(word.starts_with(stem(word)), "{word} -> {}", stem(word));
        }
    }

    #[test]
    fn numbers_are_picked_out_of_pasted_text() {
        let query = Query::parse(r#"disconnected {"code":3500,"reason":"invalid token"}"#);
        assert_eq!(query.numbers, vec![3500]);
        assert_eq!(query.required, vec!["disconnected", "code", "reason", "invalid", "token"]);
        let query = Query::parse("300");
        assert_eq!(
            (query.numbers, query.required, query.lone_number),
            (vec![300], vec!["300".to_string()], Some("300".to_string()))
        );
        assert_eq!(Query::parse("99999 x").numbers, Vec::<u16>::new());
    }
}
