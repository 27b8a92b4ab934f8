//! The shape of `codes.yaml` exactly as written, before any rule is checked.
//!
//! Every scalar a rule may complain about is wrapped in `Spanned` so the validator can point at its
//! line and column. Numbers are read as `i64` so an out-of-range number becomes a located validation
//! message instead of a parse failure. Nothing outside this crate sees these types.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::closed_sets::{Delivery, FamilyKind, NumberDisplay, Sdk, SdkEvent};
pub(crate) use crate::location::at;
use codebook_protocol::{Action, Jitter, Origin, Scope};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    /// The registry's version, `MAJOR.MINOR.PATCH` (semantic versioning, no pre-release or build
    /// suffix): every generated package carries it. Default `0.1.0`, an unreleased registry.
    #[schemars(with = "Option<String>")]
    pub version: Option<Spanned<String>>,
    /// Absolute base URL of the published portal (`https://codes.example.com`); each code's
    /// `doc_url` is `<base>/codes/<family>/<code>`. Without it, doc URLs are site-relative.
    #[schemars(with = "Option<String>")]
    pub doc_base_url: Option<Spanned<String>>,
    /// What the generated bindings are called where they are installed from; every name is
    /// optional and defaults to the project's own.
    pub bindings: Option<BindingsEntry>,
    /// The families of codes; their order is the display order in every generated output.
    pub families: Vec<FamilyEntry>,
    /// What each official SDK does with a code, one situation per entry, each tied to the interop
    /// scenario that proves it (the portal's `/sdks` page).
    #[serde(default)]
    pub sdk_behaviour: Vec<crate::sdk_behaviour::SdkBehaviourEntry>,
}

/// The bindings: which outputs `codebook gen` writes and where, the source repository, and what
/// each package is called in its language.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BindingsEntry {
    /// The directory `codebook gen` writes the bindings into, relative to this file's directory
    /// (default `bindings`).
    #[schemars(with = "Option<String>")]
    pub out: Option<Spanned<String>>,
    /// The outputs `codebook gen` writes (default: all of them).
    #[schemars(with = "Option<Vec<crate::closed_sets::BindingTarget>>")]
    pub targets: Option<Spanned<Vec<Spanned<crate::closed_sets::BindingTarget>>>>,
    /// The https URL of the source repository the packages link to (default
    /// `https://github.com/codebook-dev/codebook`).
    #[schemars(with = "Option<String>")]
    pub repository: Option<Spanned<String>>,
    pub typescript: Option<TypeScriptPackageEntry>,
    pub go: Option<GoPackageEntry>,
    pub python: Option<PythonPackageEntry>,
    pub java: Option<JavaPackageEntry>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeScriptPackageEntry {
    /// The npm package name (default `@codebook/codes`).
    #[schemars(with = "Option<String>")]
    pub package: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoPackageEntry {
    /// The Go module path (default `github.com/codebook-dev/codebook/bindings/go/codebook`); its
    /// last element is the package name.
    #[schemars(with = "Option<String>")]
    pub module: Option<Spanned<String>>,
    /// The package name of the Go files: the last element of `module` (default `codebook`).
    #[schemars(with = "Option<String>")]
    pub package: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PythonPackageEntry {
    /// The distribution name `pip install` uses (default `codebook-codes`).
    #[schemars(with = "Option<String>")]
    pub distribution: Option<Spanned<String>>,
    /// The import package (default `codebook_codes`).
    #[schemars(with = "Option<String>")]
    pub package: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct JavaPackageEntry {
    /// The Maven groupId (default `dev.codebook`).
    #[schemars(with = "Option<String>")]
    pub group_id: Option<Spanned<String>>,
    /// The Maven artifactId (default `codebook-codes`).
    #[schemars(with = "Option<String>")]
    pub artifact_id: Option<Spanned<String>>,
    /// The Java package (default `dev.codebook.codes`).
    #[schemars(with = "Option<String>")]
    pub package: Option<Spanned<String>>,
}

/// How long to wait before reconnecting or retrying.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BackoffEntry {
    /// Delay before the first attempt, in milliseconds; at least 1 (never a zero-delay default).
    #[schemars(with = "i64", range(min = 1, max = 86_400_000))]
    pub min_ms: Spanned<i64>,
    /// Largest delay between attempts, in milliseconds.
    #[schemars(with = "i64", range(min = 1, max = 86_400_000))]
    pub max_ms: Spanned<i64>,
    /// `full`: a random delay between the minimum and the exponential ceiling; `none`: the ceiling.
    #[schemars(with = "Jitter")]
    pub jitter: Spanned<Jitter>,
    /// Stop trying once this many milliseconds have passed since the first failure; omit to never give up.
    #[schemars(with = "Option<i64>", range(min = 1, max = 86_400_000))]
    pub give_up_after_ms: Option<Spanned<i64>>,
}

/// One entry of a code's history.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeEntry {
    /// The version that made the change.
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    /// One line on what changed.
    #[schemars(with = "String")]
    pub note: Spanned<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FamilyEntry {
    /// Kebab-case identifier, unique across the file (`chat-close`).
    #[schemars(with = "String", regex(pattern = crate::naming::KEBAB_ID_PATTERN))]
    pub id: Spanned<String>,
    /// One-line human title.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// `websocket_close` (close codes 1000-4999, behaviour `reconnect`) or `error` (behaviour `temporary`).
    #[schemars(with = "FamilyKind")]
    pub kind: Spanned<FamilyKind>,
    /// Where a client meets the codes: `close_frame`, `disconnect_push`, `error_reply`,
    /// `unsubscribe_push`, `sdk_event`. Default: `[close_frame]` for websocket_close families,
    /// `[error_reply]` for error families. Only a family delivered in a close frame is held to
    /// the close-code numbers 1000-4999.
    #[schemars(with = "Option<Vec<Delivery>>")]
    pub delivered_in: Option<Vec<Spanned<Delivery>>>,
    /// The SDK state event that carries the codes (`connecting`, `disconnected`, `subscribing`,
    /// `unsubscribed`); required exactly when `delivered_in` lists `sdk_event`.
    #[schemars(with = "Option<SdkEvent>")]
    pub sdk_event: Option<Spanned<SdkEvent>>,
    /// The official SDKs whose `sdk_event` carries these numbers (`centrifuge-js`, `centrifuge-go`,
    /// `centrifuge-python`, `centrifuge-java`); default every SDK. Only with `sdk_event`; two
    /// families of one event must not share an SDK.
    #[schemars(with = "Option<Vec<Sdk>>")]
    pub sdks: Option<Vec<Spanned<Sdk>>>,
    /// The space the family's numbers live in: how wide a number is on the wire and how it is
    /// written for a reader (default: 16 bits, decimal).
    pub code_space: Option<CodeSpaceEntry>,
    /// Markdown, 2-4 sentences in our own words.
    #[schemars(with = "String")]
    pub description: Spanned<String>,
    /// Backoff for every code whose action reconnects or retries, unless the code gives its own
    /// (default: 1000 ms doubling to 30000 ms, full jitter, never giving up).
    pub backoff: Option<BackoffEntry>,
    /// Rules that classify numbers which are not registered codes; they must not overlap.
    #[serde(default)]
    pub ranges: Vec<RangeEntry>,
    /// Behaviour for numbers no range covers.
    pub fallback: FallbackEntry,
    /// Numbers used once that must never be registered again.
    #[serde(default)]
    pub retired: Vec<RetiredEntry>,
    /// The registered codes.
    #[serde(deserialize_with = "codes_within_cap")]
    #[schemars(with = "Vec<CodeEntry>")]
    pub codes: Vec<CodeEntry>,
    /// Prometheus counters that count the family's codes, each with the label holding the number.
    #[serde(default)]
    pub metrics: Vec<crate::served::MetricEntry>,
}

/// The width and display base of a family's numbers.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeSpaceEntry {
    /// How many bits a number has on the wire: 8 (a one-byte reason code, 0-255) or 16 (0-65535,
    /// the default). Every registered, ranged and retired number must fit.
    #[schemars(with = "Option<i64>", range(min = 8, max = 16))]
    pub width_bits: Option<Spanned<i64>>,
    /// `decimal` (default) or `hex`: how the numbers are written for a reader.
    #[schemars(with = "Option<NumberDisplay>")]
    pub display: Option<Spanned<NumberDisplay>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeEntry {
    /// First number of the range (inclusive).
    #[schemars(with = "i64", range(min = 0, max = 65535))]
    pub from: Spanned<i64>,
    /// Last number (inclusive); omit it to mean "and above" (up to 65535).
    #[schemars(with = "Option<i64>", range(min = 0, max = 65535))]
    pub to: Option<Spanned<i64>>,
    /// Who the numbers belong to.
    #[schemars(with = "Scope")]
    pub scope: Spanned<Scope>,
    /// Short one-line human label.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Should a client reconnect? Required in websocket_close families.
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    /// May retrying succeed? Optional in error families.
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
    /// What a client should do with an unregistered number here; defaults from the behaviour.
    #[schemars(with = "Option<Action>")]
    pub action: Option<Spanned<Action>>,
    /// The id of another family whose codes these numbers are (an SDK event carries the server's
    /// codes too); helpers that read an SDK event classify such numbers there.
    #[schemars(with = "Option<String>")]
    pub codes_of: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FallbackEntry {
    /// One line.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Should a client reconnect? (websocket_close families)
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    /// May retrying succeed? (error families)
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
    /// What a client should do with a number no range covers; defaults from the behaviour.
    #[schemars(with = "Option<Action>")]
    pub action: Option<Spanned<Action>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetiredEntry {
    /// The retired number.
    #[schemars(with = "i64", range(min = 0, max = 65535))]
    pub code: Spanned<i64>,
    /// The number that replaced it, if any.
    #[schemars(with = "Option<i64>", range(min = 0, max = 65535))]
    pub moved_to: Option<Spanned<i64>>,
    /// One line on why it was retired.
    #[schemars(with = "String")]
    pub note: Spanned<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeEntry {
    /// The number.
    #[schemars(with = "i64", range(min = 0, max = 65535))]
    pub code: Spanned<i64>,
    /// UpperCamelCase identifier, used verbatim for the Rust, TypeScript and Go names.
    #[schemars(with = "String", regex(pattern = crate::naming::UPPER_CAMEL_PATTERN))]
    pub name: Spanned<String>,
    /// The exact wire message or close reason; one line, never empty. Exactly one of `message`
    /// and `message_varies`.
    #[schemars(with = "Option<String>")]
    pub message: Option<Spanned<String>>,
    /// For a code whose sender builds the text at run time: one line on what the text holds,
    /// instead of `message`.
    #[schemars(with = "Option<String>")]
    pub message_varies: Option<Spanned<String>>,
    /// Exact texts the sender is known to use for a code whose text varies (only with
    /// `message_varies`); each is held to the rules of a wire message.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub known_messages: Vec<Spanned<String>>,
    /// Markdown, 1-3 sentences in our own words.
    #[schemars(with = "String")]
    pub description: Spanned<String>,
    /// Short one-line causes, at least one.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub causes: Vec<Spanned<String>>,
    /// Should a client reconnect? (websocket_close families; may be omitted when a range says it)
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    /// May retrying succeed? (error families; defaults to the range, then the fallback)
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
    /// Why the behaviour differs from the range rule; required exactly when it does.
    #[schemars(with = "Option<String>")]
    pub range_override: Option<Spanned<String>>,
    /// Optional one line on why this behaviour was chosen.
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
    /// What a client should do next; must agree with `reconnect`/`temporary`. Defaults from the
    /// behaviour (reconnect_after_backoff, stop, retry_after_backoff or none).
    #[schemars(with = "Option<Action>")]
    pub action: Option<Spanned<Action>>,
    /// This code's own backoff, instead of the family's.
    pub backoff: Option<BackoffEntry>,
    /// Who emits the code: `server` (default), `client_library`, `user_agent` (reported
    /// locally by the browser or WebSocket stack, never sent in a close frame), or
    /// `server_internal` (recorded by the server, never sent to a client).
    #[schemars(with = "Option<Origin>")]
    pub origin: Option<Spanned<Origin>>,
    /// The version that introduced the code.
    #[schemars(with = "Option<String>")]
    pub since: Option<Spanned<String>>,
    /// Set when the code is deprecated: one line on what to use instead.
    #[schemars(with = "Option<String>")]
    pub deprecated: Option<Spanned<String>>,
    /// Later changes to the code's meaning or behaviour, oldest first.
    #[serde(default)]
    pub changes: Vec<ChangeEntry>,
    /// The HTTP status the server answers with when it returns this code as a transport error.
    #[schemars(with = "Option<i64>", range(min = 100, max = 599))]
    pub http_status: Option<Spanned<i64>>,
    /// The gRPC status the server answers with when it returns this code as a transport error
    /// (Go's name: `NotFound`, `InvalidArgument`, ...).
    #[schemars(with = "Option<crate::served::GrpcStatus>")]
    pub grpc_status: Option<Spanned<crate::served::GrpcStatus>>,
    /// In an SDK event family: the SDKs whose own code table names this code, when not every SDK
    /// of the family does (a subset of the family's `sdks`).
    #[schemars(with = "Option<Vec<Sdk>>")]
    pub sdks: Option<Vec<Spanned<Sdk>>>,
}

impl Document {
    /// Every number as written, for the one rule on how a number is spelt (`load.rs`).
    pub(crate) fn numbers(&self) -> Vec<&Spanned<i64>> {
        fn backoff<'a>(numbers: &mut Vec<&'a Spanned<i64>>, entry: &'a Option<BackoffEntry>) {
            if let Some(entry) = entry {
                numbers.extend([&entry.min_ms, &entry.max_ms]);
                numbers.extend(&entry.give_up_after_ms);
            }
        }
        let mut numbers = Vec::new();
        for family in &self.families {
            backoff(&mut numbers, &family.backoff);
            if let Some(space) = &family.code_space {
                numbers.extend(&space.width_bits);
            }
            for range in &family.ranges {
                numbers.push(&range.from);
                numbers.extend(&range.to);
            }
            for retired in &family.retired {
                numbers.push(&retired.code);
                numbers.extend(&retired.moved_to);
            }
            for code in &family.codes {
                numbers.push(&code.code);
                backoff(&mut numbers, &code.backoff);
            }
        }
        numbers.extend(self.sdk_behaviour.iter().filter_map(|row| row.answer.as_ref().map(|answer| &answer.code)));
        numbers
    }
}

/// Most codes one family may hold: every target compiles a family of this size (a Java enum's
/// class initializer creates each constant, and the JVM caps a method at 64 KB; 4,000 is also
/// every number a close frame may carry). Checked while parsing (`codes_within_cap`).
pub const MAX_CODES_PER_FAMILY: usize = 4_000;

thread_local! {
    /// Where the first code over [`MAX_CODES_PER_FAMILY`] stands, for the parse error that refuses
    /// it (serde-saphyr leaves an error raised by a visitor without a location).
    pub(crate) static FIRST_CODE_OVER_CAP: std::cell::Cell<Option<crate::registry::Location>> =
        const { std::cell::Cell::new(None) };
}

/// The message of the refusal of a family longer than [`MAX_CODES_PER_FAMILY`].
pub(crate) fn over_cap_message() -> String {
    format!(
        "this family has more than {MAX_CODES_PER_FAMILY} codes; a family holds at most {MAX_CODES_PER_FAMILY} (a Java \
         enum cannot hold many more constants), so split it into several families"
    )
}

/// A family's `codes`, refused while parsing as soon as one more than [`MAX_CODES_PER_FAMILY`]
/// is read, so a family of every `u16` costs the parse of 4,001 codes, not of 65,536.
fn codes_within_cap<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<CodeEntry>, D::Error> {
    struct Codes;
    impl<'de> serde::de::Visitor<'de> for Codes {
        type Value = Vec<CodeEntry>;
        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a sequence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut sequence: A) -> Result<Self::Value, A::Error> {
            let mut codes = Vec::with_capacity(sequence.size_hint().unwrap_or(0).min(MAX_CODES_PER_FAMILY));
            while let Some(code) = sequence.next_element::<CodeEntry>()? {
                if codes.len() == MAX_CODES_PER_FAMILY {
                    FIRST_CODE_OVER_CAP.set(Some(at(&code.code)));
                    return Err(serde::de::Error::custom(over_cap_message()));
                }
                codes.push(code);
            }
            Ok(codes)
        }
    }
    deserializer.deserialize_seq(Codes)
}
