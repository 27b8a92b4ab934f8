//! `codebook centrifugo check-config FILE`: the custom codes of a Centrifugo config, checked
//! against the registry.
//!
//! Centrifugo lets an operator turn a proxy's HTTP status into a protocol error or disconnect
//! (`status_to_code_transforms` of every proxy), a connect error into a unidirectional disconnect
//! (`connect_code_to_unidirectional_disconnect`) and into an HTTP response
//! (`connect_code_to_http_response`), and checks none of those numbers itself. This reads the file
//! as Centrifugo does (JSON, YAML or TOML, by extension), finds those transforms wherever they sit
//! (top-level proxies, named proxies, unidirectional transports) and reports each problem with its
//! line, column and config path. Which numbers are custom comes from the registry: the
//! `application` segments of `centrifugo-error` and `centrifugo-disconnect`; nothing here
//! re-states a range.

use std::fmt::Write as _;
use std::path::Path;

use codebook_model::{Family, Registry, Scope};
use serde::Serialize;

/// The family the error numbers of a transform are read in.
pub const ERROR_FAMILY: &str = "centrifugo-error";
/// The family the disconnect numbers of a transform are read in.
pub const DISCONNECT_FAMILY: &str = "centrifugo-disconnect";

/// One value of the config with where it starts (1-based line and column).
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone)]
pub enum Value {
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    Integer(i64),
    Text(String),
    Bool(bool),
    /// Floats, dates, null: nothing a code check reads.
    Other,
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(name, _)| name == key).map(|(_, node)| node),
            _ => None,
        }
    }
}

/// How bad a problem is; the exit status follows the worst one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One located problem of the config.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub line: u32,
    pub column: u32,
    /// Where in the config, as Centrifugo's docs spell it: `client.proxy.connect.http.status_to_code_transforms[1].to_error.code`.
    pub path: String,
    /// The number the problem is about, if any.
    pub code: Option<i64>,
    pub message: String,
}

/// Output formats of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: severity: message (path)`, one line per problem.
    Text,
    /// One JSON object: the file, every problem, and counts.
    Json,
    /// GitHub workflow commands (`::error file=..,line=..,col=..::message`).
    Github,
}

/// Exit statuses: 0 clean, 1 warnings only, 2 errors, 4 the file cannot be read or parsed.
pub const EXIT_WARNINGS: u8 = 1;
pub const EXIT_ERRORS: u8 = 2;
pub const EXIT_UNREADABLE: u8 = 4;

/// Reads the config as Centrifugo would, by extension: `.json`, `.yaml`/`.yml` or `.toml`.
pub fn parse_config(path: &Path, text: &str) -> Result<Node, String> {
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "json" | "yaml" | "yml" => parse_yaml(text),
        "toml" => parse_toml(text),
        other => Err(format!(
            "cannot tell the format of a `.{other}` file; Centrifugo reads .json, .yaml, .yml and .toml configs"
        )),
    }
}

/// JSON is read by the YAML parser (every JSON config is YAML 1.2), so both keep line and column.
fn parse_yaml(text: &str) -> Result<Node, String> {
    let options = serde_saphyr::options! {
        budget: Some({
            let mut budget = serde_saphyr::Budget::default();
            budget.max_depth = 64;
            budget.max_documents = 1;
            budget
        }),
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    let spanned: serde_saphyr::Spanned<YamlValue> =
        serde_saphyr::from_str_with_options(text, options).map_err(|error| {
            let location = error.location().map(|at| format!("{}:{}: ", at.line(), at.column())).unwrap_or_default();
            let mut message = error.without_snippet().to_string();
            if let Some(cut) = message.find(" at line ") {
                message.truncate(cut);
            }
            format!("{location}{message}")
        })?;
    Ok(node_of(spanned))
}

fn node_of(spanned: serde_saphyr::Spanned<YamlValue>) -> Node {
    Node { value: spanned.value.0, line: spanned.referenced.line() as u32, column: spanned.referenced.column() as u32 }
}

/// A YAML (or JSON) value whose children keep their positions.
struct YamlValue(Value);

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = YamlValue;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a config value")
            }
            fn visit_bool<E>(self, value: bool) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Bool(value)))
            }
            fn visit_i64<E>(self, value: i64) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Integer(value)))
            }
            fn visit_u64<E>(self, value: u64) -> Result<YamlValue, E> {
                Ok(YamlValue(i64::try_from(value).map_or(Value::Other, Value::Integer)))
            }
            fn visit_f64<E>(self, _: f64) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Other))
            }
            fn visit_str<E>(self, value: &str) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Text(value.to_string())))
            }
            fn visit_unit<E>(self) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Other))
            }
            fn visit_none<E>(self) -> Result<YamlValue, E> {
                Ok(YamlValue(Value::Other))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<YamlValue, D::Error> {
                serde::Deserialize::deserialize(deserializer)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<serde_saphyr::Spanned<YamlValue>>()? {
                    items.push(node_of(item));
                }
                Ok(YamlValue(Value::List(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<KeyText>()? {
                    let value = map.next_value::<serde_saphyr::Spanned<YamlValue>>()?;
                    entries.push((key.0, node_of(value)));
                }
                Ok(YamlValue(Value::Map(entries)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A mapping key, whatever scalar it is written as (`404:` is a key too).
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = KeyText;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a scalar key")
            }
            fn visit_str<E>(self, value: &str) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_bool<E>(self, value: bool) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn parse_toml(text: &str) -> Result<Node, String> {
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect();
    let position = |offset: usize| -> (u32, u32) {
        let line = line_starts.partition_point(|start| *start <= offset).max(1);
        let column = text[line_starts[line - 1]..offset.min(text.len())].chars().count() + 1;
        (line as u32, column as u32)
    };
    let table = toml::de::DeTable::parse(text).map_err(|error| {
        let location = error.span().map(|span| position(span.start)).map(|(l, c)| format!("{l}:{c}: "));
        format!("{}{}", location.unwrap_or_default(), error.message())
    })?;
    fn convert(
        value: &toml::de::DeValue<'_>,
        span: std::ops::Range<usize>,
        position: &dyn Fn(usize) -> (u32, u32),
    ) -> Node {
        let (line, column) = position(span.start);
        let value = match value {
            toml::de::DeValue::String(text) => Value::Text(text.to_string()),
            toml::de::DeValue::Integer(number) => {
                i64::from_str_radix(number.as_str(), number.radix()).map_or(Value::Other, Value::Integer)
            }
            toml::de::DeValue::Boolean(flag) => Value::Bool(*flag),
            toml::de::DeValue::Array(items) => {
                Value::List(items.iter().map(|item| convert(item.get_ref(), item.span(), position)).collect())
            }
            toml::de::DeValue::Table(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, item)| (key.get_ref().to_string(), convert(item.get_ref(), item.span(), position)))
                    .collect(),
            ),
            _ => Value::Other,
        };
        Node { value, line, column }
    }
    let span = table.span();
    let root = toml::de::DeValue::Table(table.into_inner());
    Ok(convert(&root, span, &position))
}

/// Every problem of the config, sorted by position.
pub fn check(registry: &Registry, root: &Node) -> Result<Vec<Problem>, String> {
    let errors = registry.family(ERROR_FAMILY).ok_or_else(|| format!("the registry has no `{ERROR_FAMILY}` family"))?;
    let disconnects = registry
        .family(DISCONNECT_FAMILY)
        .ok_or_else(|| format!("the registry has no `{DISCONNECT_FAMILY}` family"))?;
    let mut checker = Checker { errors, disconnects, problems: Vec::new() };
    checker.walk(root, "");
    let mut problems = checker.problems;
    problems.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    Ok(problems)
}

struct Checker<'a> {
    errors: &'a Family,
    disconnects: &'a Family,
    problems: Vec<Problem>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// `4000-4499, 4500-4999` for the application segments of a family.
fn custom_ranges(family: &Family) -> String {
    let ranges: Vec<String> = family
        .application_segments()
        .iter()
        .map(|segment| {
            if segment.to == u16::MAX {
                format!("{}+", segment.from)
            } else {
                format!("{}-{}", segment.from, segment.to)
            }
        })
        .collect();
    if ranges.is_empty() { "none".to_string() } else { ranges.join(", ") }
}

impl Checker<'_> {
    fn report(&mut self, severity: Severity, node: &Node, path: &str, code: Option<i64>, message: String) {
        self.problems.push(Problem {
            severity,
            line: node.line,
            column: node.column,
            path: path.to_string(),
            code,
            message,
        });
    }

    fn walk(&mut self, node: &Node, path: &str) {
        match &node.value {
            Value::Map(entries) => {
                for (key, child) in entries {
                    let child_path = join(path, key);
                    match key.as_str() {
                        "status_to_code_transforms" => self.status_transforms(child, &child_path),
                        "connect_code_to_unidirectional_disconnect" => self.unidirectional(child, &child_path),
                        "connect_code_to_http_response" => self.http_response(child, &child_path),
                        _ => self.walk(child, &child_path),
                    }
                }
            }
            Value::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{path}[{index}]"));
                }
            }
            _ => {}
        }
    }

    fn items<'n>(&mut self, node: &'n Node, path: &str) -> Vec<(String, &'n Node)> {
        match &node.value {
            Value::List(items) => {
                items.iter().enumerate().map(|(index, item)| (format!("{path}[{index}]"), item)).collect()
            }
            _ => {
                self.report(Severity::Error, node, path, None, "expected a list of transforms".to_string());
                Vec::new()
            }
        }
    }

    /// The number at `node`, or a located error when it is not a whole number. Centrifugo treats
    /// 0 as "not set", so it answers `None` for 0 too.
    fn number(&mut self, node: &Node, path: &str) -> Option<i64> {
        match node.value {
            Value::Integer(0) => None,
            Value::Integer(number) => Some(number),
            _ => {
                self.report(Severity::Error, node, path, None, "expected a whole number".to_string());
                None
            }
        }
    }

    fn text(node: Option<&Node>) -> Option<&str> {
        match node.map(|node| &node.value) {
            Some(Value::Text(text)) if !text.is_empty() => Some(text),
            _ => None,
        }
    }

    fn status_transforms(&mut self, node: &Node, path: &str) {
        for (item_path, item) in self.items(node, path) {
            if let Some(to_error) = item.get("to_error") {
                let error_path = join(&item_path, "to_error");
                let temporary = matches!(to_error.get("temporary").map(|flag| &flag.value), Some(Value::Bool(true)));
                self.error_code(to_error, &error_path, "message", temporary);
            }
            if let Some(to_disconnect) = item.get("to_disconnect") {
                self.disconnect_code(to_disconnect, &join(&item_path, "to_disconnect"));
            }
        }
    }

    fn unidirectional(&mut self, node: &Node, path: &str) {
        let Some(transforms) = node.get("transforms") else { return };
        for (item_path, item) in self.items(transforms, &join(path, "transforms")) {
            self.matched_error_code(item, &item_path);
            if let Some(to) = item.get("to") {
                self.disconnect_code(to, &join(&item_path, "to"));
            }
        }
    }

    fn http_response(&mut self, node: &Node, path: &str) {
        let Some(transforms) = node.get("transforms") else { return };
        for (item_path, item) in self.items(transforms, &join(path, "transforms")) {
            self.matched_error_code(item, &item_path);
        }
    }

    /// The `code` a connect transform matches: a connect error, read in the error family.
    fn matched_error_code(&mut self, item: &Node, item_path: &str) {
        let Some(code_node) = item.get("code") else { return };
        let path = join(item_path, "code");
        let Some(number) = self.number(code_node, &path) else { return };
        let Ok(number16) = u16::try_from(number) else {
            let message = format!("connect error code {number} is not a code Centrifugo can send (0-65535)");
            self.report(Severity::Error, code_node, &path, Some(number), message);
            return;
        };
        if self.errors.code(number16).is_none()
            && self.errors.application_segments().iter().all(|s| !(s.from..=s.to).contains(&number16))
        {
            let message = format!(
                "matches connect error code {number}, which `{}` neither registers nor lets an application use ({}); the transform never fires",
                self.errors.id,
                custom_ranges(self.errors)
            );
            self.report(Severity::Warning, code_node, &path, Some(number), message);
        }
    }

    fn error_code(&mut self, parent: &Node, path: &str, text_key: &str, temporary: bool) {
        let Some(code_node) = parent.get("code") else { return };
        let code_path = join(path, "code");
        let Some(number) = self.number(code_node, &code_path) else { return };
        let family = self.errors;
        let within = u16::try_from(number).ok();
        if let Some(code) = within.and_then(|n| family.code(n)) {
            if let (Some(sent), Some(registered)) = (Self::text(parent.get(text_key)), code.message.fixed())
                && sent != registered
            {
                let node = parent.get(text_key).expect("read above");
                let message = format!(
                    "error {number} is registered as {} with the message {registered:?}; this sends {sent:?}",
                    code.name
                );
                self.report(Severity::Warning, node, &join(path, text_key), Some(number), message);
            }
            if temporary && !code.behaviour.is_temporary() {
                let message = format!(
                    "`temporary: true` with error {number} ({}), which the registry says is permanent: clients will not retry as intended",
                    code.name
                );
                self.report(
                    Severity::Warning,
                    parent.get("temporary").unwrap_or(code_node),
                    &join(path, "temporary"),
                    Some(number),
                    message,
                );
            }
            return;
        }
        let custom = within.is_some_and(|n| family.application_segments().iter().any(|s| (s.from..=s.to).contains(&n)));
        if custom {
            let message = format!(
                "error {number} is not registered in `{}`; register it so clients and dashboards can tell what it means",
                family.id
            );
            self.report(Severity::Warning, code_node, &code_path, Some(number), message);
            return;
        }
        let mut message =
            format!("error {number} is outside the custom error codes of `{}` ({})", family.id, custom_ranges(family));
        if let Some(n) = within {
            let disconnect = self.disconnects.classify(n);
            if let Some(code) = disconnect.code {
                let _ = write!(message, "; {n} is the disconnect code {} of `{}`", code.name, self.disconnects.id);
            } else if disconnect.segment.range_index.is_some() && self.disconnects.allowed_numbers().contains(&n) {
                let _ = write!(message, "; {n} is a disconnect number ({})", disconnect.segment.label);
            } else if family.classify(n).segment.scope == Scope::Server {
                let _ = write!(message, "; {n} is reserved for Centrifugo ({})", family.classify(n).segment.label);
            }
        }
        self.report(Severity::Error, code_node, &code_path, Some(number), message);
    }

    fn disconnect_code(&mut self, parent: &Node, path: &str) {
        let Some(code_node) = parent.get("code") else { return };
        let code_path = join(path, "code");
        let Some(number) = self.number(code_node, &code_path) else { return };
        let family = self.disconnects;
        let within = u16::try_from(number).ok();
        if let Some(code) = within.and_then(|n| family.code(n)) {
            if let (Some(sent), Some(registered)) = (Self::text(parent.get("reason")), code.message.fixed())
                && sent != registered
            {
                let node = parent.get("reason").expect("read above");
                let message = format!(
                    "disconnect {number} is registered as {} with the reason {registered:?}; this sends {sent:?}",
                    code.name
                );
                self.report(Severity::Warning, node, &join(path, "reason"), Some(number), message);
            }
            return;
        }
        let segment = within.map(|n| family.classify(n).segment);
        match segment {
            Some(segment) if segment.scope == Scope::Application => {
                let message = format!(
                    "disconnect {number} is not registered in `{}` ({}: {}); register it so clients and dashboards can tell what it means",
                    family.id,
                    segment.label,
                    if segment.behaviour.should_reconnect() {
                        "clients reconnect"
                    } else {
                        "clients stay disconnected"
                    }
                );
                self.report(Severity::Warning, code_node, &code_path, Some(number), message);
            }
            _ => {
                let label = segment.map(|segment| format!(" ({})", segment.label)).unwrap_or_default();
                let message = format!(
                    "disconnect {number}{label} is outside the custom disconnect codes of `{}` ({})",
                    family.id,
                    custom_ranges(family)
                );
                self.report(Severity::Error, code_node, &code_path, Some(number), message);
            }
        }
    }
}

/// `file:line:col: severity: message (path)` lines.
pub fn render_text(file: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for problem in problems {
        let _ = writeln!(
            out,
            "{file}:{}:{}: {}: {} ({})",
            problem.line,
            problem.column,
            problem.severity.as_str(),
            problem.message,
            problem.path
        );
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let _ = writeln!(out, "{file}: {errors} error(s), {} warning(s)", problems.len() - errors);
    out
}

pub fn render_json(file: &str, problems: &[Problem]) -> String {
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let document = serde_json::json!({
        "file": file,
        "problems": problems,
        "errors": errors,
        "warnings": problems.len() - errors,
    });
    serde_json::to_string_pretty(&document).expect("serialisable") + "\n"
}

/// A GitHub workflow command's data: `%`, CR and LF escaped.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A GitHub workflow command's property value: also `:` and `,`.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render_github(file: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for problem in problems {
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            problem.severity.as_str(),
            github_property(file),
            problem.line,
            problem.column,
            github_property(&format!("Centrifugo config: {}", problem.path)),
            github_data(&problem.message)
        );
    }
    out
}

/// The whole command: returns the exit status.
pub fn command(registry: &Registry, file: &Path, format: Format) -> u8 {
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{name}: cannot read: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let root = match parse_config(file, &text) {
        Ok(root) => root,
        Err(error) => {
            eprintln!("{name}:{error}");
            return EXIT_UNREADABLE;
        }
    };
    let problems = match check(registry, &root) {
        Ok(problems) => problems,
        Err(error) => {
            eprintln!("{error}");
            return EXIT_UNREADABLE;
        }
    };
    let output = match format {
        Format::Text => render_text(&name, &problems),
        Format::Json => render_json(&name, &problems),
        Format::Github => render_github(&name, &problems),
    };
    print!("{output}");
    exit_status(&problems)
}

pub fn exit_status(problems: &[Problem]) -> u8 {
    match problems.iter().map(|problem| problem.severity).max() {
        None => 0,
        Some(Severity::Warning) => EXIT_WARNINGS,
        Some(Severity::Error) => EXIT_ERRORS,
    }
}

#[cfg(test)]
#[path = "centrifugo_config_tests.rs"]
mod tests;
