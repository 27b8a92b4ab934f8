//! Search over every registered code, with one ranking that the browser's search-as-you-type
//! (`assets/search.js`) implements too; `tests/search_cases.json` pins both to the same answers and
//! `tests/search_relevance.json` holds the queries users actually type. The stemmer's suffixes and
//! the typo rules live here only: the exported index carries them ([`RULES`]) and `search.js`
//! reads them from there.
//!
//! A query is cut into words (runs of letters and digits; case, whitespace and punctuation do not
//! count) and each word is reduced to a stem by [`stem`], so `closed`, `close` and `closure` are one
//! word. Numbers are picked out of the words, so a pasted log line or JSON object finds its code.
//! A word that is nowhere in the registry (not a word, a prefix or a part of one) is read as a
//! typo: it matches the registry's words within [`typo_budget`] edits (Levenshtein distance over
//! characters), and the query with each such word replaced by its closest word is offered as
//! "did you mean". Ranking, best first (see [`Tier`]):
//!
//! 1. a number of the query is the code's number;
//! 2. the query is the code's name or wire message;
//! 3. every word of the query is a whole word of the name or of the message, then a word prefix,
//!    then a substring, then a word within its typo budget (all in the same field; for a query
//!    that is one number, the code's number starting with it counts as a prefix);
//! 4. every word is a whole word or a word prefix somewhere in the code (description and causes
//!    included), then a substring anywhere, then within its typo budget; then, for a long pasted
//!    text that no code matches whole, the codes that match most of its words.
//!
//! Every word is required in tiers 2-4, in any order. Within a tier the code that matched more of
//! the query's other words comes first (numbers, partial matches) or needed fewer edits (typos),
//! then the one with more of them in its name or message, then the shorter matching field;
//! registry order (family, then number) is the last tie-break. A query of one number also
//! reports, for every family that does not register it, what its range means there.
//!
//! How it stays fast at 100,000 codes: the registry's distinct words are an [`fst::Map`] (a typo's
//! candidates are what a Levenshtein automaton of `levenshtein_automata` accepts in it) beside
//! postings per word (the codes, and the key fields, holding it), and the codes are also kept in
//! the order of each tier's tie-breaks (key fields by length, then texts by length). A query
//! gathers the codes of its rarest words when they are few; when every word is common it walks
//! those orders (from the rarest word's key postings where it can) and stops as soon as no code
//! further on can enter the first [`MAX_RESULTS`]. Substrings are looked for only when whole words
//! and prefixes have not filled the first results. The answer is the same as ranking every code
//! ([`SearchIndex::search_exhaustive`], which the tests compare it with).

use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use codebook_model::{Action, Behaviour, Code, Registry};
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::LevenshteinAutomatonBuilder;
use memchr::memmem;
use serde::Serialize;

/// Most results one query returns.
pub const MAX_RESULTS: usize = 50;

/// Longest query searched, in characters; the rest is ignored (a pasted log line fits).
pub const MAX_QUERY_CHARS: usize = 200;

/// A query whose rarest words occur in at most this many codes ranks those codes directly;
/// above it, the ordered walk with its early stop is cheaper.
const GATHER_LIMIT: usize = 4096;

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
    /// Every word is in the name or the message, some only within their typo budget.
    Typo,
    /// Every word is a whole word or a word prefix somewhere in the code's text.
    Text,
    /// Every word is inside the code's text somewhere.
    Anywhere,
    /// Every word is in the code's text somewhere, some only within their typo budget.
    TypoText,
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
            Tier::Typo => "typo",
            Tier::Text => "text",
            Tier::Anywhere => "anywhere",
            Tier::TypoText => "typo_text",
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
pub const STEM_SUFFIXES: [&str; 17] = [
    "ations", "ation", "ingly", "ings", "edly", "ion", "ing", "ures", "ure", "ies", "ied", "ed", "ly", "es", "s", "e",
    "y",
];

/// Suffixes after which a doubled final consonant is undone (`banned` -> `ban`).
pub const UNDOUBLE_SUFFIXES: [&str; 4] = ["ed", "edly", "ing", "ings"];

/// Letters whose doubling is kept (`called` stays `call`, `passed` stays `pass`).
pub const KEEP_DOUBLE: &str = "lszaeiou";

/// Folds simple English inflections so that `closed`, `closing`, `close` and `closure` (or
/// `abnormally` and `abnormal`, `expired` and `expiry`) compare equal. Only words of four or more
/// ASCII letters are touched. A stem is always a prefix of its word.
pub fn stem(word: &str) -> &str {
    let bytes = word.as_bytes();
    if bytes.len() < 4 || !bytes.iter().all(u8::is_ascii_lowercase) {
        return word;
    }
    for suffix in STEM_SUFFIXES {
        let Some(base) = word.strip_suffix(suffix) else { continue };
        if base.len() < 3 {
            continue;
        }
        // `address`, `access`: an s that is not a plural.
        if suffix == "s" && base.ends_with('s') {
            continue;
        }
        // `banned` -> `ban`, `stopping` -> `stop`; but `called` stays `call`.
        if UNDOUBLE_SUFFIXES.contains(&suffix) {
            let b = base.as_bytes();
            let n = b.len();
            if n >= 4 && b[n - 1] == b[n - 2] && !KEEP_DOUBLE.as_bytes().contains(&b[n - 1]) {
                return &base[..n - 1];
            }
        }
        return base;
    }
    word
}

/// Shortest word read as a possible typo, in characters.
pub const TYPO_MIN_CHARS: usize = 4;
/// From this length on a word may be two edits away from what was meant (a swapped pair of
/// letters is two edits).
pub const TYPO_TWO_FROM_CHARS: usize = 6;
/// Longest word read as a possible typo (a longer one is an identifier or a pasted token).
pub const TYPO_MAX_CHARS: usize = 24;
/// A query with more unknown words than this is pasted text, not a typo: none are corrected.
pub const TYPO_MAX_WORDS: usize = 3;

/// How many edits a query word that is nowhere in the registry may be from a registry word:
/// 0 for numbers and for words shorter than [`TYPO_MIN_CHARS`] or longer than [`TYPO_MAX_CHARS`].
pub fn typo_budget(word: &str) -> u32 {
    let chars = word.chars().count();
    if !(TYPO_MIN_CHARS..=TYPO_MAX_CHARS).contains(&chars) || word.bytes().all(|b| b.is_ascii_digit()) {
        0
    } else if chars >= TYPO_TWO_FROM_CHARS {
        2
    } else {
        1
    }
}

/// The automaton builder for a typo budget (building one takes milliseconds; each query's
/// automaton from it takes microseconds), made once per process.
fn typo_automaton_builder(budget: u32) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [std::sync::OnceLock<LevenshteinAutomatonBuilder>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let slot = if budget >= 2 { 1 } else { 0 };
    BUILDERS[slot].get_or_init(|| LevenshteinAutomatonBuilder::new(slot as u8 + 1, false))
}

/// Levenshtein distance between two words, counted in characters (what the automaton matches).
pub fn edit_distance(a: &str, b: &str) -> u32 {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<u32> = (0..=b.len() as u32).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i as u32 + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + u32::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The rules `search.js` reads from the exported index, so that they are written once.
#[derive(Serialize)]
pub struct Rules {
    pub stem_suffixes: &'static [&'static str],
    pub undouble_suffixes: &'static [&'static str],
    pub keep_double: &'static str,
    pub typo_min_chars: usize,
    pub typo_two_from_chars: usize,
    pub typo_max_chars: usize,
    pub typo_max_words: usize,
    pub max_results: usize,
    pub max_query_chars: usize,
}

pub const RULES: Rules = Rules {
    stem_suffixes: &STEM_SUFFIXES,
    undouble_suffixes: &UNDOUBLE_SUFFIXES,
    keep_double: KEEP_DOUBLE,
    typo_min_chars: TYPO_MIN_CHARS,
    typo_two_from_chars: TYPO_TWO_FROM_CHARS,
    typo_max_chars: TYPO_MAX_CHARS,
    typo_max_words: TYPO_MAX_WORDS,
    max_results: MAX_RESULTS,
    max_query_chars: MAX_QUERY_CHARS,
};

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

/// Match levels of one query word against one registry word; lower is better. A typo level is
/// `INSIDE` plus its number of edits.
const WHOLE: u8 = 0;
const PREFIX: u8 = 1;
const INSIDE: u8 = 2;
const TYPO: u8 = 3;
const NONE: u8 = u8::MAX;

/// Edits a level stands for (0 unless it is a typo level).
fn typo_cost(level: u8) -> u32 {
    if level >= TYPO && level != NONE { u32::from(level - INSIDE) } else { 0 }
}

/// The key tier of a key field's worst word level.
fn key_tier(worst: u8) -> Tier {
    match worst {
        WHOLE => Tier::Word,
        PREFIX => Tier::Prefix,
        INSIDE => Tier::Substring,
        _ => Tier::Typo,
    }
}

/// One of the fields a code is matched by whole: its name as one word, its name as words, its
/// wire message.
#[derive(Debug)]
struct KeyField {
    /// Its words, as vocabulary ids, in order (the field is these words joined by spaces).
    words: Box<[u32]>,
    /// Length of the joined field in characters.
    chars: u32,
}

/// One code as the search sees it.
#[derive(Debug)]
struct Entry {
    family: u32,
    code: u32,
    number: u16,
    behaviour: Behaviour,
    action: Action,
    /// Name as one word (`invalidtoken`), name as words (`invalid token`), wire message.
    keys: [KeyField; 3],
    /// Every word of the keys, description and causes, as sorted vocabulary ids.
    all_words: Box<[u32]>,
    /// Length of the normalised description and causes in characters.
    text_chars: u32,
}

/// Every distinct word of the registry, sorted; a word's id is its place in that order.
struct Vocabulary {
    /// Word -> id, searched by the typo automata.
    map: fst::Map<Vec<u8>>,
    /// The words in id order, each followed by a newline (searched for substrings).
    text: String,
    /// Byte offset of each word in `text`, and the end.
    starts: Vec<u32>,
    /// Where each word's codes begin in `postings`, and the end.
    posting_starts: Vec<u32>,
    /// For each word, the positions of the codes whose text holds it, ascending.
    postings: Vec<u32>,
    /// How many of the words before each id appear in some code's name or message, and the total.
    in_keys_before: Vec<u32>,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocabulary").field("words", &self.len()).finish()
    }
}

/// The first index in `0..len` for which `below` is false (`below` is true, then false).
fn partition(len: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = (low + high) / 2;
        if below(middle) { low = middle + 1 } else { high = middle }
    }
    low
}

impl Vocabulary {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn word(&self, id: u32) -> &str {
        let id = id as usize;
        &self.text[self.starts[id] as usize..self.starts[id + 1] as usize - 1]
    }

    fn postings(&self, id: u32) -> &[u32] {
        &self.postings[self.posting_starts[id as usize] as usize..self.posting_starts[id as usize + 1] as usize]
    }

    fn postings_in(&self, ids: Range<u32>) -> usize {
        (self.posting_starts[ids.end as usize] - self.posting_starts[ids.start as usize]) as usize
    }

    fn in_keys(&self, id: u32) -> bool {
        self.in_keys_before[id as usize + 1] > self.in_keys_before[id as usize]
    }

    fn any_in_keys(&self, ids: Range<u32>) -> bool {
        self.in_keys_before[ids.end as usize] > self.in_keys_before[ids.start as usize]
    }

    /// The ids of the words that start with `prefix` (contiguous, as ids follow sorted order).
    fn prefix_range(&self, prefix: &str) -> Range<u32> {
        let low = partition(self.len(), |id| self.word(id as u32) < prefix);
        let count = partition(self.len() - low, |offset| self.word((low + offset) as u32).starts_with(prefix));
        low as u32..(low + count) as u32
    }

    fn id(&self, word: &str) -> Option<u32> {
        self.map.get(word).map(|id| id as u32)
    }

    /// The id of the word holding byte `offset` of `text`.
    fn id_at(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&start| start as usize <= offset) - 1) as u32
    }
}

/// Builds the vocabulary while the entries are read: word -> provisional id.
#[derive(Default)]
struct VocabularyBuilder {
    ids: HashMap<String, u32>,
}

impl VocabularyBuilder {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(word.to_string(), id);
        id
    }

    /// Sorts the words; returns the vocabulary without postings and the map from provisional to
    /// final ids.
    fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut sorted: Vec<(String, u32)> = self.ids.into_iter().collect();
        sorted.sort_unstable();
        let mut remap = vec![0u32; sorted.len()];
        for (final_id, (_, provisional)) in sorted.iter().enumerate() {
            remap[*provisional as usize] = final_id as u32;
        }
        (sorted.into_iter().map(|(word, _)| word).collect(), remap)
    }
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub notes: Vec<RangeNote>,
    /// The query with every typo replaced by the registry's closest word ("did you mean").
    pub suggestion: Option<String>,
}

/// A query cut up once: its words, its numbers, and what the tiers compare.
#[derive(Debug)]
pub struct Query {
    /// Every word, in order.
    all: Vec<String>,
    /// Every word joined by single spaces (for the exact tier).
    joined: String,
    /// Its length in characters: a key field of another length cannot equal it, which spares
    /// comparing the text for nearly every code ranked.
    joined_chars: u32,
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
        let joined = all.join(" ");
        let joined_chars = joined.chars().count() as u32;
        Query { joined, joined_chars, numbers, required, lone_number, empty: all.is_empty(), all }
    }
}

/// How one required word of a query matches the vocabulary.
struct WordMatch {
    word: String,
    /// Per vocabulary id, the level (`NONE` where it does not match).
    levels: Vec<u8>,
    /// Words that start with it.
    prefix: Range<u32>,
    /// Words with its stem.
    whole: Vec<u32>,
    /// Words that hold it elsewhere than at their start (filled when substrings are needed).
    inside: Vec<u32>,
    /// Words within its typo budget, with their distance (only for a word the registry lacks).
    typos: Vec<(u32, u32)>,
    /// Whether the registry holds it as a word, a word's stem, a prefix or a part of a word
    /// (or it cannot be a typo: then it is not looked for).
    known: bool,
    /// Whether it was read as a typo (`typos` may still be empty).
    fuzzed: bool,
}

impl WordMatch {
    fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.prefix
            .clone()
            .chain(self.whole.iter().copied())
            .chain(self.inside.iter().copied())
            .chain(self.typos.iter().map(|&(id, _)| id))
    }

    /// How many postings its words have (an estimate of how many codes hold it).
    fn postings(&self, vocabulary: &Vocabulary) -> usize {
        vocabulary.postings_in(self.prefix.clone())
            + self
                .whole
                .iter()
                .chain(&self.inside)
                .chain(self.typos.iter().map(|(id, _)| id))
                .map(|&id| vocabulary.postings(id).len())
                .sum::<usize>()
    }

    /// Its best level over every word, or over the words found in names and messages.
    fn best(&self, vocabulary: &Vocabulary, in_keys: bool) -> u8 {
        let keep = |id: &u32| !in_keys || vocabulary.in_keys(*id);
        if self.whole.iter().any(keep) {
            WHOLE
        } else if !self.prefix.is_empty() && (!in_keys || vocabulary.any_in_keys(self.prefix.clone())) {
            PREFIX
        } else if self.inside.iter().any(keep) {
            INSIDE
        } else {
            self.typos.iter().filter(|(id, _)| keep(id)).map(|&(_, d)| INSIDE + d as u8).min().unwrap_or(NONE)
        }
    }
}

/// Position in registry order (family, then number): the last tie-break.
type Position = u32;

/// Sort key of a hit: tier, then the tier's own two orders (fewer words missed, fewer edits),
/// then the matching field's length, then registry order.
type Rank = (Tier, u32, u32, u32, Position);

/// The best [`MAX_RESULTS`] ranks seen so far.
struct Best {
    heap: BinaryHeap<(Rank, Position)>,
}

impl Best {
    fn full(&self) -> bool {
        self.heap.len() == MAX_RESULTS
    }

    /// Whether nothing ranked `bound` or worse can enter any more.
    fn closed_below(&self, bound: Rank) -> bool {
        self.full() && self.heap.peek().is_some_and(|(worst, _)| *worst < bound)
    }

    fn offer(&mut self, rank: Rank, position: Position) {
        if !self.full() {
            self.heap.push((rank, position));
        } else if self.heap.peek().is_some_and(|(worst, _)| rank < *worst) {
            self.heap.pop();
            self.heap.push((rank, position));
        }
    }
}

/// A set of code positions.
struct PositionSet(Vec<u64>);

impl PositionSet {
    fn new(len: usize) -> Self {
        PositionSet(vec![0; len.div_ceil(64)])
    }

    fn contains(&self, position: Position) -> bool {
        self.0[position as usize / 64] & (1 << (position % 64)) != 0
    }

    /// Adds `position`; false when it was there already.
    fn insert(&mut self, position: Position) -> bool {
        let was = self.contains(position);
        self.0[position as usize / 64] |= 1 << (position % 64);
        !was
    }
}

/// The search index, built once per loaded registry.
#[derive(Debug)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    vocabulary: Vocabulary,
    family_ids: Vec<String>,
    /// Number -> positions of the codes registering it.
    by_number: HashMap<u16, Vec<Position>>,
    /// Positions ordered by (number as decimal text, position), for a query that is a number prefix.
    by_decimal: Vec<Position>,
    /// Hash of a key field -> positions of the codes having a field with that text.
    by_key_text: HashMap<u64, Vec<Position>>,
    /// Every (position, key field) ordered by (field length, position): the key tiers' order.
    key_order: Vec<(Position, u8)>,
    /// Where each word's key fields begin in `key_postings`, and the end.
    key_posting_starts: Vec<u32>,
    /// For each word, the places in `key_order` of the key fields holding it, ascending.
    key_postings: Vec<u32>,
    /// Positions ordered by (text length, position): the text tiers' order.
    text_order: Vec<Position>,
    /// [`GATHER_LIMIT`], lowered by the tests to take the ordered walk on a small registry.
    gather_limit: usize,
}

/// A number as decimal digits.
fn decimal(number: u16) -> ([u8; 5], usize) {
    let mut digits = [0u8; 5];
    let (mut rest, mut len) = (number, 0);
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[..len].reverse();
    (digits, len)
}

fn key_text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Everything a search needs about one query, worked out once.
struct Prepared<'q> {
    query: &'q Query,
    words: Vec<WordMatch>,
}

/// The two passes of a search: first with whole words and prefixes only (cheap, and enough when
/// the first results fill up with them), then with substrings and typos.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    WordsAndPrefixes,
    Everything,
}

impl SearchIndex {
    pub fn new(registry: &Registry) -> Self {
        let mut builder = VocabularyBuilder::default();
        let mut entries = Vec::with_capacity(registry.code_count());
        let mut key_texts = Vec::with_capacity(registry.code_count());
        for (family_index, family) in registry.families.iter().enumerate() {
            let mut order: Vec<usize> = (0..family.codes.len()).collect();
            order.sort_by_key(|&index| family.codes[index].number);
            for code_index in order {
                let code = &family.codes[code_index];
                let mut field = |text: &str| {
                    let list = words(text);
                    let joined = list.join(" ");
                    let ids: Box<[u32]> = list.iter().map(|word| builder.intern(word)).collect();
                    (KeyField { words: ids, chars: joined.chars().count() as u32 }, joined)
                };
                let (name, name_text) = field(&code.name.to_lowercase());
                let (snake, snake_text) = field(&code.names.snake);
                let (message, message_text) = field(message_key(code));
                let text = normalize(&searchable_text(code));
                let mut all_words: Vec<u32> =
                    [&name, &snake, &message].iter().flat_map(|key| key.words.iter().copied()).collect();
                all_words.extend(words(&text).iter().map(|word| builder.intern(word)));
                key_texts.push([name_text, snake_text, message_text]);
                entries.push(Entry {
                    family: family_index as u32,
                    code: code_index as u32,
                    number: code.number,
                    behaviour: code.behaviour,
                    action: code.action,
                    keys: [name, snake, message],
                    all_words: all_words.into_boxed_slice(),
                    text_chars: text.chars().count() as u32,
                });
            }
        }
        let (sorted_words, remap) = builder.finish();
        let mut in_keys = vec![false; sorted_words.len()];
        for entry in &mut entries {
            for key in &mut entry.keys {
                for id in key.words.iter_mut() {
                    *id = remap[*id as usize];
                    in_keys[*id as usize] = true;
                }
            }
            let mut all: Vec<u32> = entry.all_words.iter().map(|id| remap[*id as usize]).collect();
            all.sort_unstable();
            all.dedup();
            entry.all_words = all.into_boxed_slice();
        }

        let mut posting_starts = vec![0u32; sorted_words.len() + 1];
        for entry in &entries {
            for &id in &entry.all_words {
                posting_starts[id as usize + 1] += 1;
            }
        }
        for id in 0..sorted_words.len() {
            posting_starts[id + 1] += posting_starts[id];
        }
        let mut postings = vec![0u32; posting_starts[sorted_words.len()] as usize];
        let mut fill = posting_starts.clone();
        for (position, entry) in entries.iter().enumerate() {
            for &id in &entry.all_words {
                postings[fill[id as usize] as usize] = position as u32;
                fill[id as usize] += 1;
            }
        }
        let mut in_keys_before = vec![0u32; sorted_words.len() + 1];
        for (id, &held) in in_keys.iter().enumerate() {
            in_keys_before[id + 1] = in_keys_before[id] + u32::from(held);
        }
        let mut text = String::with_capacity(sorted_words.iter().map(|word| word.len() + 1).sum());
        let mut starts = Vec::with_capacity(sorted_words.len() + 1);
        for word in &sorted_words {
            starts.push(text.len() as u32);
            text.push_str(word);
            text.push('\n');
        }
        starts.push(text.len() as u32);
        let map = fst::Map::from_iter(sorted_words.iter().enumerate().map(|(id, word)| (word.as_str(), id as u64)))
            .expect("the words are sorted and distinct");
        let vocabulary = Vocabulary { map, text, starts, posting_starts, postings, in_keys_before };

        let mut by_number: HashMap<u16, Vec<Position>> = HashMap::new();
        let mut by_key_text: HashMap<u64, Vec<Position>> = HashMap::new();
        for (position, (entry, texts)) in entries.iter().zip(&key_texts).enumerate() {
            by_number.entry(entry.number).or_default().push(position as u32);
            for text in texts {
                let list = by_key_text.entry(key_text_hash(text)).or_default();
                if list.last() != Some(&(position as u32)) {
                    list.push(position as u32);
                }
            }
        }
        let mut by_decimal: Vec<Position> = (0..entries.len() as u32).collect();
        by_decimal.sort_by_key(|&position| (decimal(entries[position as usize].number), position));
        let mut key_order: Vec<(Position, u8)> =
            (0..entries.len() as u32).flat_map(|position| (0..3u8).map(move |key| (position, key))).collect();
        key_order.sort_by_key(|&(position, key)| (entries[position as usize].keys[key as usize].chars, position));
        let mut key_posting_starts = vec![0u32; vocabulary.len() + 1];
        let distinct = |words: &[u32]| {
            let mut words = words.to_vec();
            words.sort_unstable();
            words.dedup();
            words
        };
        for &(position, key) in &key_order {
            for id in distinct(&entries[position as usize].keys[key as usize].words) {
                key_posting_starts[id as usize + 1] += 1;
            }
        }
        for id in 0..vocabulary.len() {
            key_posting_starts[id + 1] += key_posting_starts[id];
        }
        let mut key_postings = vec![0u32; key_posting_starts[vocabulary.len()] as usize];
        let mut fill = key_posting_starts.clone();
        for (place, &(position, key)) in key_order.iter().enumerate() {
            for id in distinct(&entries[position as usize].keys[key as usize].words) {
                key_postings[fill[id as usize] as usize] = place as u32;
                fill[id as usize] += 1;
            }
        }
        let mut text_order: Vec<Position> = (0..entries.len() as u32).collect();
        text_order.sort_by_key(|&position| (entries[position as usize].text_chars, position));

        SearchIndex {
            entries,
            vocabulary,
            family_ids: registry.families.iter().map(|f| f.id.clone()).collect(),
            by_number,
            by_decimal,
            by_key_text,
            key_order,
            key_posting_starts,
            key_postings,
            text_order,
            gather_limit: GATHER_LIMIT,
        }
    }

    /// Ranked results for `query` under `filters` (at most [`MAX_RESULTS`] hits).
    pub fn search(&self, registry: &Registry, query: &str, filters: &Filters) -> Results {
        self.run(registry, query, filters, false)
    }

    /// The same answer as [`search`](Self::search), found by ranking every code: the reference
    /// the tests compare the index with, and the benchmark's baseline.
    #[doc(hidden)]
    pub fn search_exhaustive(&self, registry: &Registry, query: &str, filters: &Filters) -> Results {
        self.run(registry, query, filters, true)
    }

    fn run(&self, registry: &Registry, query: &str, filters: &Filters, exhaustive: bool) -> Results {
        let query = Query::parse(query);
        let family_filter = match &filters.family {
            Some(id) => match self.family_ids.iter().position(|known| known == id) {
                Some(index) => Some(index as u32),
                None => return Results::default(),
            },
            None => None,
        };
        if query.empty && filters.is_empty() {
            return Results::default();
        }
        let passes_segment = |family: u32, behaviour: Behaviour, action: Action| {
            family_filter.is_none_or(|wanted| wanted == family)
                && filters.behaviour.is_none_or(|wanted| wanted == behaviour)
                && filters.action.is_none_or(|wanted| wanted == action)
        };
        let passes = |position: Position| {
            let entry = &self.entries[position as usize];
            passes_segment(entry.family, entry.behaviour, entry.action)
        };

        let (ranked, suggestion) = if query.empty {
            let listed = (0..self.entries.len() as u32).filter(|&position| passes(position)).take(MAX_RESULTS);
            (listed.map(|position| (Tier::Listing, position)).collect(), None)
        } else {
            self.ranked(&query, &passes, exhaustive)
        };
        let hits = ranked
            .into_iter()
            .map(|(tier, position)| {
                let entry = &self.entries[position as usize];
                Hit { family: entry.family as usize, code: entry.code as usize, tier }
            })
            .collect();

        let mut notes = Vec::new();
        if let [number] = query.numbers[..] {
            for (index, family) in registry.families.iter().enumerate() {
                let classification = family.classify(number);
                if !classification.is_registered()
                    && passes_segment(index as u32, classification.behaviour, classification.segment.action)
                {
                    notes.push(RangeNote { family: index, number });
                }
            }
        }
        Results { hits, notes, suggestion }
    }

    /// The ranked hits of a non-empty query, best first, and its "did you mean".
    fn ranked(
        &self,
        query: &Query,
        passes: &dyn Fn(Position) -> bool,
        exhaustive: bool,
    ) -> (Vec<(Tier, Position)>, Option<String>) {
        let mut words: Vec<WordMatch> = query.required.iter().map(|word| self.match_word(word)).collect();
        self.add_typos(&mut words, query);
        let suggestion = self.suggestion(query, &words);
        let mut best = Best { heap: BinaryHeap::with_capacity(MAX_RESULTS + 1) };
        let mut prepared = Prepared { query, words };

        if exhaustive {
            for word in &mut prepared.words {
                self.add_inside(word);
            }
            for position in 0..self.entries.len() as u32 {
                if passes(position)
                    && let Some(rank) = self.rank(position, &prepared)
                {
                    best.offer(rank, position);
                }
            }
        } else {
            let mut accepted = PositionSet::new(self.entries.len());
            self.direct(&prepared, passes, &mut best, &mut accepted);
            let stopped = self.pass(&prepared, passes, &mut best, &mut accepted, Pass::WordsAndPrefixes);
            if !stopped && !best.closed_below((Tier::Substring, 0, 0, 0, 0)) {
                for word in &mut prepared.words {
                    self.add_inside(word);
                }
                self.pass(&prepared, passes, &mut best, &mut accepted, Pass::Everything);
            }
        }
        let ranked = best.heap.into_sorted_vec().into_iter().map(|(rank, position)| (rank.0, position)).collect();
        (ranked, suggestion)
    }

    /// Whole-word, stem and prefix matches of one query word (substrings and typos come later).
    fn match_word(&self, word: &str) -> WordMatch {
        let vocabulary = &self.vocabulary;
        let mut levels = vec![NONE; vocabulary.len()];
        let prefix = vocabulary.prefix_range(word);
        levels[prefix.start as usize..prefix.end as usize].fill(PREFIX);
        // Words with the same stem are the stem itself plus one suffix (with the last letter
        // doubled before some), so they are looked up, not scanned.
        let base = stem(word);
        let mut whole = Vec::new();
        let mut consider = |candidate: &str| {
            if let Some(id) = vocabulary.id(candidate)
                && stem(candidate) == base
                && levels[id as usize] != WHOLE
            {
                levels[id as usize] = WHOLE;
                whole.push(id);
            }
        };
        consider(base);
        for suffix in STEM_SUFFIXES {
            consider(&format!("{base}{suffix}"));
        }
        if let Some(last) = base.chars().last() {
            for suffix in UNDOUBLE_SUFFIXES {
                consider(&format!("{base}{last}{suffix}"));
            }
        }
        // Whether the word is in the registry at all decides only whether it may be a typo.
        let known = !prefix.is_empty()
            || !whole.is_empty()
            || typo_budget(word) == 0
            || self.inside_hits(word, &prefix).next().is_some();
        WordMatch {
            word: word.to_string(),
            levels,
            prefix,
            whole,
            inside: Vec::new(),
            typos: Vec::new(),
            known,
            fuzzed: false,
        }
    }

    /// Ids of the words that hold `word` other than at their start (each once).
    fn inside_hits<'a>(&'a self, word: &'a str, prefix: &Range<u32>) -> impl Iterator<Item = u32> + 'a {
        let vocabulary = &self.vocabulary;
        let finder = memmem::Finder::new(word.as_bytes());
        // The words that start with it are one contiguous run of the text: skip it.
        let skipped =
            vocabulary.starts[prefix.start as usize] as usize..vocabulary.starts[prefix.end as usize] as usize;
        let spans = [0..skipped.start, skipped.end..vocabulary.text.len()];
        spans.into_iter().flat_map(move |span| {
            let finder = finder.clone();
            let mut from = span.start;
            // Hits come in text order, so the word holding one is found by walking forward.
            let mut id = vocabulary.id_at(from.min(vocabulary.text.len().saturating_sub(1))) as usize;
            std::iter::from_fn(move || {
                let hit = from + finder.find(&vocabulary.text.as_bytes()[from..span.end])?;
                while vocabulary.starts[id + 1] as usize <= hit {
                    id += 1;
                }
                from = vocabulary.starts[id + 1] as usize;
                Some(id as u32)
            })
        })
    }

    /// Adds the words that hold the query word elsewhere than at their start (substring tiers).
    fn add_inside(&self, word_match: &mut WordMatch) {
        if word_match.fuzzed || !word_match.inside.is_empty() {
            return;
        }
        let hits: Vec<u32> = self.inside_hits(&word_match.word, &word_match.prefix).collect();
        for id in hits {
            if word_match.levels[id as usize] == NONE {
                word_match.levels[id as usize] = INSIDE;
                word_match.inside.push(id);
            }
        }
    }

    /// Reads each query word the registry lacks as a typo: its words within the typo budget.
    fn add_typos(&self, words: &mut [WordMatch], query: &Query) {
        let unknown: Vec<usize> =
            (0..words.len()).filter(|&i| !words[i].known && typo_budget(&query.required[i]) > 0).collect();
        if unknown.len() > TYPO_MAX_WORDS {
            return;
        }
        for i in unknown {
            let word = &query.required[i];
            let budget = typo_budget(word);
            let automaton = typo_automaton_builder(budget).build_dfa(word);
            let mut stream = self.vocabulary.map.search(&automaton).into_stream();
            let word_match = &mut words[i];
            word_match.fuzzed = true;
            while let Some((candidate, id)) = stream.next() {
                let candidate = std::str::from_utf8(candidate).expect("the vocabulary is UTF-8");
                let distance = edit_distance(word, candidate);
                if distance > budget {
                    continue;
                }
                word_match.levels[id as usize] = INSIDE + distance as u8;
                word_match.typos.push((id as u32, distance));
            }
        }
    }

    /// The query with each typo replaced by its closest registry word: fewest edits, then the
    /// word found in the most codes, then alphabetical order. None unless every typo has one.
    fn suggestion(&self, query: &Query, words: &[WordMatch]) -> Option<String> {
        let vocabulary = &self.vocabulary;
        if words.iter().any(|word| word.fuzzed && word.typos.is_empty()) {
            return None;
        }
        let mut corrections: HashMap<&str, &str> = HashMap::new();
        for (word, word_match) in query.required.iter().zip(words) {
            let closest = word_match.typos.iter().min_by_key(|&&(id, distance)| {
                (distance, std::cmp::Reverse(vocabulary.postings(id).len()), vocabulary.word(id))
            });
            if let Some(&(id, _)) = closest {
                corrections.insert(word, vocabulary.word(id));
            }
        }
        if corrections.is_empty() {
            return None;
        }
        let corrected: Vec<&str> =
            query.all.iter().map(|word| corrections.get(word.as_str()).copied().unwrap_or(word)).collect();
        Some(corrected.join(" "))
    }

    /// Ranks the codes found without the walk: the query's numbers, a name or message equal to
    /// the query, and the numbers a lone number starts.
    fn direct(
        &self,
        prepared: &Prepared<'_>,
        passes: &dyn Fn(Position) -> bool,
        best: &mut Best,
        accepted: &mut PositionSet,
    ) {
        let query = prepared.query;
        let mut collect =
            Collect { best, accepted, visited: PositionSet::new(self.entries.len()), limit: Tier::Prefix };
        for number in &query.numbers {
            for &position in self.by_number.get(number).into_iter().flatten() {
                self.consider(position, prepared, passes, &mut collect);
            }
        }
        for &position in self.by_key_text.get(&key_text_hash(&query.joined)).into_iter().flatten() {
            self.consider(position, prepared, passes, &mut collect);
        }
        if let Some(digits) = &query.lone_number {
            let digits = digits.as_bytes();
            let number = |position: Position| decimal(self.entries[position as usize].number);
            let low = self.by_decimal.partition_point(|&position| {
                let (text, len) = number(position);
                &text[..len] < digits
            });
            let count = self.by_decimal[low..].partition_point(|&position| {
                let (text, len) = number(position);
                text[..len].starts_with(digits)
            });
            let mut candidates: Vec<(u32, Position)> = self.by_decimal[low..low + count]
                .iter()
                .map(|&position| (number(position).1 as u32, position))
                .collect();
            candidates.sort_unstable();
            for (len, position) in candidates {
                if collect.best.closed_below((Tier::Prefix, 0, 0, len, position)) {
                    break;
                }
                self.consider(position, prepared, passes, &mut collect);
            }
        }
    }

    /// One pass over the codes that may match: gathered from the rarest words' postings when
    /// they are few, else walked in the tiers' own orders until nothing further can enter.
    /// Returns true when the walk stopped early (the first results are then final).
    fn pass(
        &self,
        prepared: &Prepared<'_>,
        passes: &dyn Fn(Position) -> bool,
        best: &mut Best,
        accepted: &mut PositionSet,
        pass: Pass,
    ) -> bool {
        let vocabulary = &self.vocabulary;
        let words = &prepared.words;
        let n = words.len();
        let limit = match pass {
            Pass::WordsAndPrefixes => Tier::Prefix,
            Pass::Everything => Tier::Listing,
        };
        let key_best: Vec<u8> = words.iter().map(|word| word.best(vocabulary, true)).collect();
        let key_class = key_best.iter().copied().max().unwrap_or(NONE);
        if pass == Pass::WordsAndPrefixes && key_class > PREFIX {
            return false;
        }
        let mut collect = Collect { best, accepted, visited: PositionSet::new(self.entries.len()), limit };

        // A code must hold `need` of the words, so it holds one of the `n - need + 1` rarest.
        let need = if pass == Pass::Everything && n >= 3 { n.min(2.max(n.div_ceil(2))) } else { n };
        let mut rarest: Vec<(usize, usize)> =
            words.iter().enumerate().map(|(i, word)| (word.postings(vocabulary), i)).collect();
        rarest.sort_unstable();
        let rarest = &rarest[..n - need + 1];
        if rarest.iter().map(|(postings, _)| postings).sum::<usize>() <= self.gather_limit {
            for &(_, i) in rarest {
                for id in words[i].ids() {
                    for &position in vocabulary.postings(id) {
                        self.consider(position, prepared, passes, &mut collect);
                    }
                }
            }
            return false;
        }

        // Key tiers, one class of match at a time, by key field length: an unseen code ranks no
        // better than the bound, so the walk stops once the first results are all better.
        let classes: &[u8] = match pass {
            Pass::WordsAndPrefixes => &[WHOLE, PREFIX],
            Pass::Everything => &[INSIDE, TYPO],
        };
        for &class in classes {
            let within = |level: u8| if class == TYPO { level != NONE } else { level <= class };
            if !key_best.iter().all(|&level| within(level)) {
                continue;
            }
            let tier = key_tier(class);
            let cost = if class == TYPO { key_best.iter().map(|&level| typo_cost(level)).sum() } else { 0 };
            let places = self.key_places(words, class);
            for place in places {
                let (position, key) = self.key_order[place as usize];
                let field = &self.entries[position as usize].keys[key as usize];
                if collect.best.closed_below((tier, cost, 0, field.chars, position)) {
                    return true;
                }
                if collect.accepted.contains(position) || collect.visited.contains(position) {
                    continue;
                }
                let matches = |word: &WordMatch| field.words.iter().any(|&id| within(word.levels[id as usize]));
                if words.iter().all(matches) {
                    self.consider(position, prepared, passes, &mut collect);
                }
            }
        }
        if pass == Pass::WordsAndPrefixes {
            return false;
        }

        // Text tiers, by text length; every code with a key tier was met above.
        let worst = words.iter().map(|word| word.best(vocabulary, false)).max().unwrap_or(NONE);
        let tier = match worst {
            WHOLE | PREFIX => Tier::Text,
            INSIDE => Tier::Anywhere,
            NONE => Tier::Partial,
            _ => Tier::TypoText,
        };
        if tier == Tier::Partial && n < 3 {
            return true;
        }
        let missing = key_best.iter().filter(|&&level| level > PREFIX).count() as u32;
        for &position in &self.text_order {
            let text_chars = self.entries[position as usize].text_chars;
            if collect.best.closed_below((tier, 0, missing, text_chars, position)) {
                return true;
            }
            self.consider(position, prepared, passes, &mut collect);
        }
        true
    }

    /// The places in `key_order` of the key fields that may hold every word within `class`, in
    /// order: the key postings of the word whose matching words hold the fewest key fields, merged
    /// lazily, when it has few matching words; else every key field.
    fn key_places<'a>(&'a self, words: &'a [WordMatch], class: u8) -> Box<dyn Iterator<Item = u32> + 'a> {
        const MERGE_AT_MOST: usize = 64;
        let key_postings = |id: u32| {
            &self.key_postings
                [self.key_posting_starts[id as usize] as usize..self.key_posting_starts[id as usize + 1] as usize]
        };
        // A word's matching words within the class, unless there are too many to merge.
        let ids_within = |word: &WordMatch| -> Option<Vec<u32>> {
            let mut ids: Vec<u32> = word.whole.clone();
            if class >= PREFIX {
                if word.prefix.len() > MERGE_AT_MOST {
                    return None;
                }
                ids.extend(word.prefix.clone());
            }
            if class >= INSIDE {
                ids.extend(&word.inside);
            }
            if class >= TYPO {
                ids.extend(word.typos.iter().map(|&(id, _)| id));
            }
            ids.sort_unstable();
            ids.dedup();
            (ids.len() <= MERGE_AT_MOST).then_some(ids)
        };
        let driver = words
            .iter()
            .filter_map(ids_within)
            .min_by_key(|ids| ids.iter().map(|&id| key_postings(id).len()).sum::<usize>());
        let Some(driver) = driver else {
            return Box::new(0..self.key_order.len() as u32);
        };
        let lists: Vec<&[u32]> = driver.iter().map(|&id| key_postings(id)).filter(|list| !list.is_empty()).collect();
        let mut heap: BinaryHeap<std::cmp::Reverse<(u32, usize, usize)>> =
            lists.iter().enumerate().map(|(list, places)| std::cmp::Reverse((places[0], list, 0))).collect();
        let mut last = None;
        Box::new(std::iter::from_fn(move || {
            loop {
                let std::cmp::Reverse((place, list, offset)) = heap.pop()?;
                if let Some(&next) = lists[list].get(offset + 1) {
                    heap.push(std::cmp::Reverse((next, list, offset + 1)));
                }
                if last != Some(place) {
                    last = Some(place);
                    return Some(place);
                }
            }
        }))
    }

    /// Ranks one code once per pass and keeps it when its tier is settled by the levels known.
    fn consider(
        &self,
        position: Position,
        prepared: &Prepared<'_>,
        passes: &dyn Fn(Position) -> bool,
        collect: &mut Collect<'_>,
    ) {
        if collect.accepted.contains(position) || !collect.visited.insert(position) || !passes(position) {
            return;
        }
        if let Some(rank) = self.rank(position, prepared)
            && rank.0 <= collect.limit
        {
            collect.accepted.insert(position);
            collect.best.offer(rank, position);
        }
    }

    /// Whether a key field is exactly `text` (its words joined by single spaces).
    fn key_text_is(&self, key: &KeyField, text: &str) -> bool {
        let mut rest = text.as_bytes();
        for (index, &id) in key.words.iter().enumerate() {
            if index > 0 {
                match rest.split_first() {
                    Some((b' ', tail)) => rest = tail,
                    _ => return false,
                }
            }
            let word = self.vocabulary.word(id).as_bytes();
            if !rest.starts_with(word) {
                return false;
            }
            rest = &rest[word.len()..];
        }
        rest.is_empty()
    }

    /// The rank of one code, or `None` when it does not match.
    fn rank(&self, position: Position, prepared: &Prepared<'_>) -> Option<Rank> {
        let entry = &self.entries[position as usize];
        let (query, words) = (prepared.query, &prepared.words);
        let n = words.len() as u32;
        let level_in =
            |word: &WordMatch, ids: &[u32]| ids.iter().map(|&id| word.levels[id as usize]).min().unwrap_or(NONE);
        let anywhere: Vec<u8> = words.iter().map(|word| level_in(word, &entry.all_words)).collect();
        let matched = anywhere.iter().filter(|&&level| level <= PREFIX).count() as u32;
        // Words missing from the name and the message: fewer means the code is more about them.
        let missing_from_keys = || {
            words.iter().filter(|word| !entry.keys.iter().any(|key| level_in(word, &key.words) <= PREFIX)).count()
                as u32
        };
        if query.numbers.contains(&entry.number) {
            return Some((Tier::Number, n - matched, missing_from_keys(), 0, position));
        }
        if let Some(chars) = entry
            .keys
            .iter()
            .filter(|key| key.chars == query.joined_chars && self.key_text_is(key, &query.joined))
            .map(|key| key.chars)
            .min()
        {
            return Some((Tier::Exact, 0, 0, chars, position));
        }
        // The best key field: every word in it, at the worst of their levels, fewest edits.
        let mut best: Option<(u8, u32, u32)> = None;
        for key in &entry.keys {
            let mut worst = WHOLE;
            let mut cost = 0;
            for word in words {
                let level = level_in(word, &key.words);
                worst = worst.max(level);
                cost += typo_cost(level);
            }
            let candidate = (worst.min(TYPO), cost, key.chars);
            if worst != NONE && best.is_none_or(|current| candidate < current) {
                best = Some(candidate);
            }
        }
        if let Some(digits) = &query.lone_number {
            let (text, len) = decimal(entry.number);
            if text[..len].starts_with(digits.as_bytes()) {
                let candidate = (PREFIX, 0, len as u32);
                if best.is_none_or(|current| candidate < current) {
                    best = Some(candidate);
                }
            }
        }
        if let Some((worst, cost, chars)) = best {
            return Some((key_tier(worst), cost, 0, chars, position));
        }
        let worst = anywhere.iter().copied().max().unwrap_or(NONE);
        let tier = if matched == n {
            Tier::Text
        } else if worst <= INSIDE {
            Tier::Anywhere
        } else if worst != NONE {
            Tier::TypoText
        } else if n >= 3 && matched >= 2 && 2 * matched >= n {
            return Some((Tier::Partial, n - matched, missing_from_keys(), entry.text_chars, position));
        } else {
            return None;
        };
        let cost = anywhere.iter().map(|&level| typo_cost(level)).sum();
        Some((tier, cost, missing_from_keys(), entry.text_chars, position))
    }
}

/// What one pass keeps: the best ranks, the codes ranked for good, the codes this pass ranked.
struct Collect<'a> {
    best: &'a mut Best,
    accepted: &'a mut PositionSet,
    visited: PositionSet,
    /// The worst tier this pass can settle.
    limit: Tier,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use codebook_model::{EMBEDDED_CODES_YAML, load_str};

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

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("tokn", "token"), 1);
        assert_eq!(edit_distance("invlaid", "invalid"), 2);
        assert_eq!(edit_distance("café", "cafe"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!((typo_budget("tok"), typo_budget("tokn"), typo_budget("invlaid")), (0, 1, 2));
        assert_eq!(typo_budget("12345"), 0);
    }

    fn embedded() -> Registry {
        load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid")
    }

    fn first(registry: &Registry, results: &Results) -> String {
        let hit = results.hits[0];
        let family = &registry.families[hit.family];
        format!("{}/{}", family.id, family.codes[hit.code].number)
    }

    #[test]
    fn a_query_with_typos_finds_what_was_meant_and_says_so() {
        let registry = embedded();
        let index = SearchIndex::new(&registry);
        let results = index.search(&registry, "invlaid tokn", &Filters::default());
        assert_eq!(first(&registry, &results), "centrifugo-disconnect/3500");
        assert_eq!(results.hits[0].tier, Tier::Typo);
        assert_eq!(results.suggestion.as_deref(), Some("invalid token"));
        let results = index.search(&registry, "3500 invlaid", &Filters::default());
        assert_eq!(results.suggestion.as_deref(), Some("3500 invalid"));
        // Words the registry holds are not corrected, and too many unknown words are pasted text.
        assert_eq!(index.search(&registry, "invalid token", &Filters::default()).suggestion, None);
        assert_eq!(index.search(&registry, "qwertz asdfgh yxcvbn poiuzt", &Filters::default()).suggestion, None);
    }

    /// Every word of the registry, its prefixes, the word with a letter dropped or swapped, and
    /// pairs of words from names and messages.
    fn probe_queries(registry: &Registry) -> Vec<String> {
        let mut queries: BTreeSet<String> = BTreeSet::new();
        for family in &registry.families {
            for code in &family.codes {
                let text = format!("{} {} {}", code.name, message_key(code), searchable_text(code));
                let list = words(&text);
                for (i, word) in list.iter().enumerate().take(12) {
                    queries.insert(word.clone());
                    let chars: Vec<char> = word.chars().collect();
                    for cut in 1..chars.len().min(4) {
                        queries.insert(chars[..cut].iter().collect());
                    }
                    if chars.len() > 4 {
                        queries.insert(chars[1..].iter().collect());
                        let mut swapped = chars.clone();
                        swapped.swap(1, 2);
                        queries.insert(swapped.iter().collect());
                        let dropped: String =
                            chars.iter().enumerate().filter(|(k, _)| *k != 2).map(|(_, c)| c).collect();
                        queries.insert(format!("{dropped} {}", list[(i + 1) % list.len()]));
                    }
                    if let Some(next) = list.get(i + 1) {
                        queries.insert(format!("{word} {next}"));
                        queries.insert(format!("{next} {word} {}", code.number));
                    }
                }
                queries.insert(code.number.to_string());
                queries.insert(code.number.to_string()[..1].to_string());
            }
        }
        // Every fifth keeps the test quick in the dev profile and still covers every kind.
        queries.into_iter().step_by(5).collect()
    }

    #[test]
    fn the_index_answers_as_ranking_every_code_does() {
        let registry = embedded();
        let mut index = SearchIndex::new(&registry);
        let queries = probe_queries(&registry);
        assert!(queries.len() > 500, "{} probe queries", queries.len());
        let filters = [
            Filters::default(),
            Filters { behaviour: Some(Behaviour::Reconnect), ..Filters::default() },
            Filters { family: Some("centrifugo-disconnect".into()), ..Filters::default() },
        ];
        for query in &queries {
            for filter in &filters {
                let expected = index.search_exhaustive(&registry, query, filter);
                // The default gathers; a limit of zero walks the tiers' orders for every query.
                for gather_limit in [GATHER_LIMIT, 40, 0] {
                    index.gather_limit = gather_limit;
                    assert_eq!(
                        index.search(&registry, query, filter),
                        expected,
                        "{query:?} with {filter:?}, gather limit {gather_limit}"
                    );
                }
            }
        }
    }
}
