//! `codebook explain`: what a code means, like `rustc --explain`, for any registry.
//!
//! A query is a family-qualified code (`centrifugo-disconnect/3501`), a number (`3501`), a name in
//! any case convention (`BadRequest`, `bad_request`) or a pasted log line or JSON object
//! (`disconnect: code=3501 reason="bad request"`). Every answer comes from the model: registered
//! codes as the registry describes them, any other number by each family's range rules. Text from
//! the registry is untrusted, so control and bidirectional characters are shown escaped and never
//! reach the terminal as they are.

use std::fmt::Write as _;

use codebook_model::text::is_unsafe_in_text;
use codebook_model::{Classification, Code, Family, Registry, WireMessage};
use serde::Serialize;

/// How a query was read, before any family was consulted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// `<family>/<number>`.
    InFamily { family: String, number: u16 },
    /// A bare number, looked up in every family.
    Number(u16),
    /// A code's name, matched in any case convention.
    Name(String),
    /// Free text: the numbers it holds (those after a `code` key first) and the text around them.
    Text { numbers: Vec<u16>, text: String },
}

/// Why a query cannot be answered at all (as opposed to "not registered").
#[derive(Debug, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    UnknownFamily { family: String, known: Vec<String> },
    NumberOutOfRange(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Empty => {
                write!(f, "nothing to explain: give a number, a name, `<family>/<number>` or a log line")
            }
            QueryError::UnknownFamily { family, known } => {
                write!(f, "no family `{}` in this registry; families: {}", escape(family), known.join(", "))
            }
            QueryError::NumberOutOfRange(text) => {
                write!(f, "`{}` is not a code: codes are whole numbers from 0 to 65535", escape(text))
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// Reads a query. A lone token of digits is a number; `<family>/<number>` with a family-like id and a
/// number is family-qualified; a lone identifier is a name; anything else is free text.
pub fn parse_query(raw: &str) -> Result<Query, QueryError> {
    let query = raw.trim();
    if query.is_empty() {
        return Err(QueryError::Empty);
    }
    if let Some((family, number)) = query.split_once('/')
        && !family.is_empty()
        && family.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
    {
        let number = number.parse::<u16>().map_err(|_| QueryError::NumberOutOfRange(number.to_string()))?;
        return Ok(Query::InFamily { family: family.to_string(), number });
    }
    if query.chars().all(|c| c.is_ascii_digit()) {
        return query.parse::<u16>().map(Query::Number).map_err(|_| QueryError::NumberOutOfRange(query.to_string()));
    }
    if query.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && query.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Ok(Query::Name(query.to_string()));
    }
    Ok(Query::Text { numbers: numbers_in(query), text: query.to_string() })
}

/// The numbers (0-65535) a log line or JSON object holds, each once: those right after a key
/// named like `code` (`code=3501`, `"code": 3501`, `code: 3501`) first, then the others in order.
fn numbers_in(text: &str) -> Vec<u16> {
    let mut keyed = Vec::new();
    let mut other = Vec::new();
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if !bytes[index].is_ascii_digit() || (index > 0 && (is_word_byte(bytes[index - 1]) || bytes[index - 1] == b'.'))
        {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && bytes[index].is_ascii_digit() {
            index += 1;
        }
        if index < bytes.len() && (is_word_byte(bytes[index]) || bytes[index] == b'.') {
            continue; // part of a word, a version or a decimal: not a code
        }
        let Ok(number) = text[start..index].parse::<u16>() else { continue };
        let before = text[..start].trim_end_matches([' ', '"', '\'', ':', '=']);
        let key = before.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
        let list = if key.to_ascii_lowercase().ends_with("code") { &mut keyed } else { &mut other };
        if !list.contains(&number) {
            list.push(number);
        }
    }
    other.retain(|number| !keyed.contains(number));
    keyed.extend(other);
    keyed
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// A name folded for comparison: lower case without separators (`BadRequest` = `bad_request`).
fn fold_name(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// One family's answer for one number.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub family: String,
    pub family_title: String,
    pub number: u16,
    pub registered: bool,
    pub name: Option<String>,
    /// The exact wire text, when it is fixed.
    pub message: Option<String>,
    /// What the text holds, when the sender builds it at run time.
    pub message_varies: Option<String>,
    pub known_messages: Vec<String>,
    /// Where a client meets the code, in words.
    pub met_in: Vec<String>,
    /// Who sends the code (registered codes only).
    pub sent_by: Option<String>,
    pub behaviour: String,
    pub action: String,
    pub advice: String,
    /// The backoff window in words, when the action tries again.
    pub backoff: Option<String>,
    pub backoff_min_ms: Option<u32>,
    pub backoff_max_ms: Option<u32>,
    /// The range rule (or fallback) the number falls in.
    pub range: String,
    pub retired: Option<String>,
    pub deprecated: Option<String>,
    pub description: Option<String>,
    pub causes: Vec<String>,
    pub doc_url: String,
}

/// Everything `explain` says about a query.
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub query: String,
    /// True when at least one answer is a registered code.
    pub found: bool,
    pub answers: Vec<Answer>,
}

/// Answers a query against a registry.
pub fn explain(registry: &Registry, raw: &str) -> Result<Explanation, QueryError> {
    let answers = match parse_query(raw)? {
        Query::InFamily { family, number } => {
            let Some(found) = registry.family(&family) else {
                let known = registry.families.iter().map(|family| family.id.clone()).collect();
                return Err(QueryError::UnknownFamily { family, known });
            };
            vec![answer(registry, found, found.classify(number))]
        }
        Query::Number(number) => by_number(registry, number),
        Query::Name(name) => {
            let wanted = fold_name(&name);
            let named: Vec<Answer> = registry
                .families
                .iter()
                .flat_map(|family| family.codes_by_number().into_iter().map(move |code| (family, code)))
                .filter(|(_, code)| fold_name(&code.name) == wanted)
                .map(|(family, code)| answer(registry, family, family.classify(code.number)))
                .collect();
            named
        }
        Query::Text { numbers, text } => by_text(registry, &numbers, &text),
    };
    Ok(Explanation { query: raw.trim().to_string(), found: answers.iter().any(|answer| answer.registered), answers })
}

/// Every family registering `number`, or, when none does, every family's range answer.
fn by_number(registry: &Registry, number: u16) -> Vec<Answer> {
    let registered: Vec<Answer> = registry
        .families
        .iter()
        .filter(|family| family.code(number).is_some())
        .map(|family| answer(registry, family, family.classify(number)))
        .collect();
    if !registered.is_empty() {
        return registered;
    }
    registry.families.iter().map(|family| answer(registry, family, family.classify(number))).collect()
}

/// A log line: registered codes whose wire text the line also holds come first and alone; else
/// the first number the line holds (a keyed one if any); a line without numbers is matched by
/// the wire texts it contains.
fn by_text(registry: &Registry, numbers: &[u16], text: &str) -> Vec<Answer> {
    let lowered = text.to_lowercase();
    let mentions = |code: &Code| code.message.texts().iter().any(|message| lowered.contains(&message.to_lowercase()));
    let confirmed: Vec<Answer> = numbers
        .iter()
        .flat_map(|number| registry.families.iter().filter_map(move |family| Some((family, family.code(*number)?))))
        .filter(|(_, code)| mentions(code))
        .map(|(family, code)| answer(registry, family, family.classify(code.number)))
        .collect();
    if !confirmed.is_empty() {
        return confirmed;
    }
    if let Some(first) = numbers.first() {
        return by_number(registry, *first);
    }
    registry
        .families
        .iter()
        .flat_map(|family| family.codes_by_number().into_iter().map(move |code| (family, code)))
        .filter(|(_, code)| mentions(code))
        .map(|(family, code)| answer(registry, family, family.classify(code.number)))
        .collect()
}

fn answer(registry: &Registry, family: &Family, classified: Classification<'_>) -> Answer {
    let code = classified.code;
    let action = classified.action();
    let backoff = code.map_or(classified.segment.backoff, |code| code.backoff);
    let (message, message_varies, known_messages) = match code.map(|code| &code.message) {
        Some(WireMessage::Fixed(text)) => (Some(text.clone()), None, Vec::new()),
        Some(WireMessage::Varies { what, known }) => (None, Some(what.clone()), known.clone()),
        None => (None, None, Vec::new()),
    };
    Answer {
        family: family.id.clone(),
        family_title: family.title.clone(),
        number: classified.number,
        registered: code.is_some(),
        name: code.map(|code| code.name.clone()),
        message,
        message_varies,
        known_messages,
        met_in: family.delivered_in.iter().map(|delivery| delivery.in_words().to_string()).collect(),
        sent_by: code.map(|code| code.origin.describe().to_string()),
        behaviour: classified.behaviour.as_str().to_string(),
        action: action.as_str().to_string(),
        advice: action.advice().to_string(),
        backoff: backoff.map(|hint| hint.describe()),
        backoff_min_ms: backoff.map(|hint| hint.min_ms),
        backoff_max_ms: backoff.map(|hint| hint.max_ms),
        range: format!("{}-{}: {}", classified.segment.from, classified.segment.to, classified.segment.label),
        retired: classified.retired.map(|retired| retired.note.clone()),
        deprecated: code.and_then(|code| code.deprecated.clone()),
        description: code.map(|code| code.description.trim().to_string()),
        causes: code.map(|code| code.causes.clone()).unwrap_or_default(),
        doc_url: registry.doc_url(family, classified.number),
    }
}

/// Registry text made safe for a terminal: control, bidirectional and separator characters are
/// shown as `\u{..}` escapes (a newline stays a newline), so no registry can move the cursor,
/// recolour the screen or reorder what a reader sees.
pub fn escape(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && is_unsafe_in_text(c) {
            let _ = write!(safe, "\\u{{{:x}}}", c as u32);
        } else {
            safe.push(c);
        }
    }
    safe
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour { format!("\u{1b}[{code}m{text}\u{1b}[0m") } else { text.to_string() }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    /// Green for an action that tries again, yellow for one that needs the app, red for stop.
    fn action(self, action: &str, tries_again: bool) -> String {
        let colour = if tries_again {
            "32"
        } else if action == "stop" {
            "31"
        } else {
            "33"
        };
        self.paint(colour, action)
    }
}

/// The explanation as text for people.
pub fn render_text(explanation: &Explanation, style: Style) -> String {
    let mut out = String::new();
    if explanation.answers.is_empty() {
        let _ = writeln!(out, "no code matches `{}`", escape(&explanation.query));
        return out;
    }
    if !explanation.found {
        let _ = writeln!(
            out,
            "{}\n",
            style.dim("No family registers this number; each family's range rules say what it means:")
        );
    }
    for (index, answer) in explanation.answers.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        render_answer(&mut out, answer, style, explanation.found);
    }
    out
}

fn render_answer(out: &mut String, answer: &Answer, style: Style, full: bool) {
    let title = match &answer.name {
        Some(name) => format!("{} {}", answer.number, escape(name)),
        None => format!("{} (unregistered)", answer.number),
    };
    let _ = writeln!(out, "{} in {} ({})", style.bold(&title), escape(&answer.family), escape(&answer.family_title));
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "  {:<10}{}", style.dim(label), value);
    };
    if let Some(message) = &answer.message {
        field(out, "message", &format!("\"{}\"", escape(message)));
    }
    if let Some(varies) = &answer.message_varies {
        field(out, "message", &format!("built at run time: {}", escape(varies)));
        for known in &answer.known_messages {
            field(out, "", &format!("known: \"{}\"", escape(known)));
        }
    }
    if full || !answer.registered {
        field(out, "range", &escape(&answer.range));
    }
    field(out, "met in", &answer.met_in.join("; "));
    if let Some(sent_by) = &answer.sent_by {
        field(out, "sent by", sent_by);
    }
    field(out, "behaviour", &answer.behaviour);
    let tries_again = answer.backoff.is_some();
    field(out, "action", &format!("{}: {}", style.action(&answer.action, tries_again), answer.advice));
    if let Some(backoff) = &answer.backoff {
        field(out, "backoff", backoff);
    }
    if let Some(deprecated) = &answer.deprecated {
        field(out, "deprecated", &escape(deprecated));
    }
    if let Some(retired) = &answer.retired {
        field(out, "retired", &escape(retired));
    }
    field(out, "docs", &escape(&answer.doc_url));
    if let Some(description) = &answer.description {
        let _ = writeln!(out);
        for line in escape(description).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !answer.causes.is_empty() {
        let _ = writeln!(out, "\n  {}", style.bold("Causes"));
        for cause in &answer.causes {
            let _ = writeln!(out, "  - {}", escape(cause));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Registry {
        codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
    }

    #[test]
    fn queries_are_read_by_their_shape() {
        assert_eq!(parse_query(" 3501 "), Ok(Query::Number(3501)));
        assert_eq!(
            parse_query("centrifugo-disconnect/3501"),
            Ok(Query::InFamily { family: "centrifugo-disconnect".into(), number: 3501 })
        );
        assert_eq!(parse_query("bad_request"), Ok(Query::Name("bad_request".into())));
        assert_eq!(parse_query("70000"), Err(QueryError::NumberOutOfRange("70000".into())));
        assert_eq!(parse_query("   "), Err(QueryError::Empty));
        let Ok(Query::Text { numbers, .. }) =
            parse_query(r#"2026-12-07T10:00:01 pid=4100 disconnect: code=3501 reason="bad request""#)
        else {
            panic!("a log line is free text");
        };
        assert_eq!(numbers.first(), Some(&3501), "the keyed number comes first: {numbers:?}");
        assert!(!numbers.contains(&7), "digits inside a timestamp word are not codes: {numbers:?}");
    }

    #[test]
    fn a_json_object_gives_its_code_first() {
        assert_eq!(numbers_in(r#"{"client":"42","code": 109, "message":"token expired"}"#), vec![109, 42]);
        assert_eq!(numbers_in("v1.2.3 and 3.5"), Vec::<u16>::new());
    }

    #[test]
    fn a_family_qualified_code_is_that_code() {
        let explanation = explain(&shipped(), "centrifugo-disconnect/3501").unwrap();
        assert!(explanation.found);
        let [answer] = explanation.answers.as_slice() else { panic!("one answer") };
        assert_eq!(answer.name.as_deref(), Some("BadRequest"));
        assert_eq!(answer.message.as_deref(), Some("bad request"));
        assert_eq!(answer.behaviour, "terminal");
        assert_eq!(answer.action, "fix_configuration");
        assert_eq!(answer.doc_url, "/codes/centrifugo-disconnect/3501");
    }

    #[test]
    fn a_log_line_is_narrowed_by_the_text_it_holds() {
        let explanation = explain(&shipped(), r#"disconnect: code=3501 reason="bad request""#).unwrap();
        let families: Vec<&str> = explanation.answers.iter().map(|answer| answer.family.as_str()).collect();
        assert_eq!(families, ["centrifugo-disconnect"]);
    }

    #[test]
    fn a_name_in_any_convention_finds_the_code_in_every_family() {
        let registry = shipped();
        for spelling in ["InvalidToken", "invalid_token", "INVALID_TOKEN", "invalidToken"] {
            let explanation = explain(&registry, spelling).unwrap();
            assert!(explanation.answers.iter().any(|answer| answer.number == 3500), "{spelling}");
            assert!(explanation.answers.iter().all(|answer| answer.name.as_deref() == Some("InvalidToken")));
        }
    }

    #[test]
    fn an_unregistered_number_is_explained_by_every_family_range() {
        let registry = shipped();
        let explanation = explain(&registry, "4321").unwrap();
        assert!(!explanation.found);
        assert_eq!(explanation.answers.len(), registry.families.len());
        let disconnect = explanation.answers.iter().find(|answer| answer.family == "centrifugo-disconnect").unwrap();
        assert!(!disconnect.registered);
        assert_eq!(disconnect.behaviour, "reconnect");
        assert!(disconnect.backoff.is_some());
        assert_eq!(disconnect.doc_url, "/codes/centrifugo-disconnect/4321");
    }

    #[test]
    fn an_unknown_family_is_an_error_naming_the_families() {
        let error = explain(&shipped(), "nope/1").unwrap_err();
        assert!(error.to_string().contains("centrifugo-disconnect"), "{error}");
    }

    #[test]
    fn text_output_escapes_registry_text_and_paints_only_when_asked() {
        assert_eq!(escape("a\u{1b}[31mb\u{202e}c\nd"), "a\\u{1b}[31mb\\u{202e}c\nd");
        let explanation = explain(&shipped(), "3500").unwrap();
        let plain = render_text(&explanation, Style { colour: false });
        assert!(plain.contains("3500 InvalidToken in centrifugo-disconnect"), "{plain}");
        assert!(!plain.contains('\u{1b}'));
        let painted = render_text(&explanation, Style { colour: true });
        assert!(painted.contains("\u{1b}[1m3500 InvalidToken\u{1b}[0m"));
    }
}
