//! Structure-aware registries: well-formed YAML whose values are chosen to hit the validator's
//! rules (near-keyword and invalid names, overlapping ranges, overrides, retired numbers, hostile
//! strings). The validator never panics, and what it accepts is coherent.
#![no_main]

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Registry {
    families: Vec<Family>,
}

#[derive(Arbitrary, Debug)]
struct Family {
    id: Pick,
    error_kind: bool,
    ranges: Vec<(u16, Option<u16>, Option<bool>)>,
    fallback: Option<bool>,
    backoff: Option<(i64, i64, bool, Option<i64>)>,
    retired: Vec<(i32, Option<i32>)>,
    codes: Vec<Code>,
}

#[derive(Arbitrary, Debug)]
struct Code {
    number: i32,
    name: Pick,
    message: Pick,
    flag: Option<bool>,
    range_override: bool,
    user_agent: Option<bool>,
    causes: u8,
    action: Option<u8>,
    backoff: Option<(i64, i64, bool, Option<i64>)>,
}

/// Either one of a few interesting fixed strings or an arbitrary one.
#[derive(Arbitrary, Debug)]
enum Pick {
    Fixed(u8),
    Free(String),
}

const WORDS: &[&str] = &[
    "Shutdown", "InvalidToken", "Type", "Self", "SelfRef", "bad_name", "Unknown", "Error", "A",
    "Http2", "X1", "chat", "chat-1", "chat1", "foo-bar", "", " padded ", "line\nbreak",
    "tab\there", "</script>", "${x}", "*/", "emoji 🎉", "\u{202E}rtl", "מלל", "a\u{301}",
];

const ACTIONS: &[&str] = &[
    "none", "retry_after_backoff", "reconnect", "reconnect_after_backoff", "refresh_token_then_reconnect",
    "wait_for_capacity", "reauthenticate", "fix_configuration", "stop", "bogus",
];

fn backoff_yaml(indent: &str, backoff: &(i64, i64, bool, Option<i64>)) -> String {
    let (min_ms, max_ms, full, give_up) = backoff;
    let mut out = format!("{indent}backoff:\n{indent}  min_ms: {min_ms}\n{indent}  max_ms: {max_ms}\n");
    out.push_str(&format!("{indent}  jitter: {}\n", if *full { "full" } else { "none" }));
    if let Some(limit) = give_up {
        out.push_str(&format!("{indent}  give_up_after_ms: {limit}\n"));
    }
    out
}

impl Pick {
    fn text(&self) -> &str {
        match self {
            Pick::Fixed(index) => WORDS[usize::from(*index) % WORDS.len()],
            Pick::Free(text) => text,
        }
    }
}

/// A YAML double-quoted scalar holding exactly `text`.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => write!(out, "\\u{:04X}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn to_yaml(registry: &Registry) -> String {
    let mut out = String::from("families:\n");
    for family in registry.families.iter().take(4) {
        let field = if family.error_kind { "temporary" } else { "reconnect" };
        writeln!(out, "  - id: {}", quoted(family.id.text())).unwrap();
        out.push_str("    title: Fuzzed\n");
        writeln!(out, "    kind: {}", if family.error_kind { "error" } else { "websocket_close" }).unwrap();
        out.push_str("    description: Fuzzed family.\n");
        if let Some(backoff) = &family.backoff {
            out.push_str(&backoff_yaml("    ", backoff));
        }
        out.push_str("    ranges:\n");
        for (from, to, flag) in family.ranges.iter().take(6) {
            writeln!(out, "      - from: {from}").unwrap();
            if let Some(to) = to {
                writeln!(out, "        to: {to}").unwrap();
            }
            out.push_str("        scope: server\n        label: fuzzed range\n");
            if let Some(flag) = flag {
                writeln!(out, "        {field}: {flag}").unwrap();
            }
        }
        out.push_str("    fallback:\n      label: fuzzed fallback\n");
        if let Some(flag) = family.fallback {
            writeln!(out, "      {field}: {flag}").unwrap();
        }
        out.push_str("    retired:\n");
        for (number, moved_to) in family.retired.iter().take(4) {
            writeln!(out, "      - code: {number}\n        note: fuzzed").unwrap();
            if let Some(moved_to) = moved_to {
                writeln!(out, "        moved_to: {moved_to}").unwrap();
            }
        }
        out.push_str("    codes:\n");
        for code in family.codes.iter().take(16) {
            writeln!(out, "      - code: {}", code.number).unwrap();
            writeln!(out, "        name: {}", quoted(code.name.text())).unwrap();
            writeln!(out, "        message: {}", quoted(code.message.text())).unwrap();
            out.push_str("        description: Fuzzed code.\n        causes:\n");
            for _ in 0..(code.causes % 3) {
                out.push_str("          - fuzzed cause\n");
            }
            if code.causes % 3 == 0 {
                out.push_str("          []\n");
            }
            if let Some(flag) = code.flag {
                writeln!(out, "        {field}: {flag}").unwrap();
            }
            if code.range_override {
                out.push_str("        range_override: fuzzed\n");
            }
            if let Some(user_agent) = code.user_agent {
                writeln!(out, "        origin: {}", if user_agent { "user_agent" } else { "server" }).unwrap();
            }
            if let Some(action) = code.action {
                writeln!(out, "        action: {}", ACTIONS[usize::from(action) % ACTIONS.len()]).unwrap();
            }
            if let Some(backoff) = &code.backoff {
                out.push_str(&backoff_yaml("        ", backoff));
            }
        }
    }
    out
}

fuzz_target!(|registry: Registry| {
    let text = to_yaml(&registry);
    match codebook_model::load_str("codes.yaml", &text) {
        Ok(loaded) => {
            if let Err(broken) = codebook_model::check_invariants(&loaded) {
                panic!("accepted an incoherent registry: {broken}\n{text}");
            }
        }
        Err(error) => {
            let _ = error.render();
        }
    }
});
