//! How to handle a code with the generated bindings, in Rust, TypeScript and Go.
//!
//! Identifiers come from the model's precomputed [`FamilyNames`] and [`CodeNames`], the same ones
//! the code generators use, so a snippet names exactly what the bindings export.

use codebook_model::{Code, Family, FamilyKind, FamilyNames};

/// One snippet, in one language.
#[derive(Clone, Debug)]
pub struct Snippet {
    pub language: &'static str,
    /// A stable, unique element id for the copy button to point at.
    pub id: String,
    pub source: String,
}

/// Snippets for a registered code.
pub fn for_code(family: &Family, code: &Code) -> Vec<Snippet> {
    let names = &family.names;
    let anchor = &code.names.anchor;
    vec![
        Snippet { language: "Rust", id: format!("rust-{anchor}"), source: rust_registered(family, code) },
        Snippet { language: "TypeScript", id: format!("ts-{anchor}"), source: typescript(names, family.kind, Some(code), code.number) },
        Snippet { language: "Go", id: format!("go-{anchor}"), source: go(names, family.kind, Some(code), code.number) },
    ]
}

/// Snippets for an unregistered number: classify it by its range.
pub fn for_number(family: &Family, number: u16) -> Vec<Snippet> {
    let names = &family.names;
    vec![
        Snippet { language: "Rust", id: format!("rust-{number}"), source: rust_unregistered(family, number) },
        Snippet { language: "TypeScript", id: format!("ts-{number}"), source: typescript(names, family.kind, None, number) },
        Snippet { language: "Go", id: format!("go-{number}"), source: go(names, family.kind, None, number) },
    ]
}

/// The Rust predicate and the action it guards, by family kind.
fn rust_check(kind: FamilyKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        FamilyKind::WebsocketClose => ("should_reconnect()", "reconnect with backoff", "stay disconnected and tell the user"),
        FamilyKind::Error => ("is_temporary()", "retry later with backoff", "do not retry; fix the request"),
    }
}

fn rust_registered(family: &Family, code: &Code) -> String {
    let FamilyNames { type_name, module, .. } = &family.names;
    let (check, yes, no) = rust_check(family.kind);
    let variant = &code.names.variant;
    format!(
        "use codebook::{module}::{type_name};\n\
         use codebook::{{Action, AnyCode}};\n\
         \n\
         // `code` is the number the server sent.\n\
         if {type_name}::from_code(code) == Some({type_name}::{variant}) {{\n\
         \x20   // {number} {message:?}\n\
         }}\n\
         \n\
         // Any number, including codes newer than this build, classifies by its range.\n\
         let any = AnyCode::<{type_name}>::from_code(code);\n\
         if any.behaviour().{check} {{\n\
         \x20   // {yes}\n\
         }} else {{\n\
         \x20   // {no}\n\
         }}\n\
         \n\
         // What to do next: for {number}, Action::{action:?}.\n\
         if any.action() == Action::{action:?} {{\n\
         \x20   if let Some(hint) = any.backoff() {{\n\
         \x20       // Sleep hint.delay_ms(attempt, elapsed_ms, codebook::random_u32()) ms; None: give up.\n\
         \x20   }}\n\
         }}\n",
        number = code.number,
        message = code.message,
        action = code.action,
    )
}

fn rust_unregistered(family: &Family, number: u16) -> String {
    let FamilyNames { type_name, module, .. } = &family.names;
    let (check, yes, no) = rust_check(family.kind);
    format!(
        "use codebook::{module}::{type_name};\n\
         \n\
         let class = {type_name}::classify({number});\n\
         assert_eq!(class.known, None); // not registered: its range decides\n\
         if class.behaviour.{check} {{\n\
         \x20   // {yes}\n\
         }} else {{\n\
         \x20   // {no}\n\
         }}\n"
    )
}

/// The package name of the generated TypeScript bindings (`bindings/typescript/package.json`).
pub const TYPESCRIPT_PACKAGE: &str = "@codebook/codes";
/// The module path of the generated Go bindings (`bindings/go/codebook/go.mod`); its package is
/// `codebook`, the last path element, so imports need no alias.
pub const GO_MODULE: &str = "github.com/codebook-dev/codebook/bindings/go/codebook";

fn typescript(names: &FamilyNames, kind: FamilyKind, code: Option<&Code>, number: u16) -> String {
    let FamilyNames { type_name, lower_camel, .. } = names;
    let (predicate, yes, no) = match kind {
        FamilyKind::WebsocketClose => ("ShouldReconnect", "reconnect with backoff", "stay disconnected and tell the user"),
        FamilyKind::Error => ("IsTemporary", "retry later with backoff", "do not retry; fix the request"),
    };
    let mut out = match code {
        Some(code) => format!(
            "import {{ {type_name}, {lower_camel}{predicate} }} from \"{TYPESCRIPT_PACKAGE}\";\n\n\
             // `code` is the number the server sent.\n\
             if (code === {type_name}.{variant}) {{\n  // {number} {message:?}\n}}\n\n\
             // Any number, including codes newer than this build, classifies by its range.\n",
            variant = code.names.variant,
            message = code.message,
        ),
        None => format!(
            "import {{ classify{type_name}, {lower_camel}{predicate} }} from \"{TYPESCRIPT_PACKAGE}\";\n\n\
             const code = {number};\n\
             const {{ known, behaviour }} = classify{type_name}(code); // known is false: its range decides\n"
        ),
    };
    out.push_str(&format!("if ({lower_camel}{predicate}(code)) {{\n  // {yes}\n}} else {{\n  // {no}\n}}\n"));
    out
}

fn go(names: &FamilyNames, kind: FamilyKind, code: Option<&Code>, number: u16) -> String {
    let FamilyNames { type_name, .. } = names;
    let (predicate, yes, no) = match kind {
        FamilyKind::WebsocketClose => ("ShouldReconnect()", "reconnect with backoff", "stay disconnected and tell the user"),
        FamilyKind::Error => ("IsTemporary()", "retry later with backoff", "do not retry; fix the request"),
    };
    let mut out = format!("import \"{GO_MODULE}\"\n\n");
    match code {
        Some(code) => out.push_str(&format!(
            "c := codebook.{type_name}(code) // the number the server sent\n\
             if c == codebook.{constant} {{\n\t// {number} {message:?}\n}}\n\n\
             // Any number, including codes newer than this build, classifies by its range.\n",
            constant = code.names.go_constant,
            message = code.message,
        )),
        None => out.push_str(&format!(
            "c := codebook.{type_name}({number})\n\
             _ = codebook.Classify{type_name}({number}).Known // false: its range decides\n"
        )),
    }
    out.push_str(&format!("if c.{predicate} {{\n\t// {yes}\n}} else {{\n\t// {no}\n}}\n"));
    out
}

/// Every Rust, TypeScript and Go snippet of `registry` (for each code, and for one unregistered
/// number per family) wrapped into a compilable file, so `cargo xtask test` can hold them to the
/// `codebook` crate and the generated bindings: `(language, file name, source)`.
pub fn compile_check_sources(registry: &codebook_model::Registry) -> Vec<(&'static str, String, String)> {
    let mut files = Vec::new();
    for family in &registry.families {
        let unregistered = (0..=u16::MAX).find(|&n| family.code(n).is_none() && family.allowed_numbers().contains(&n));
        let cases = family
            .codes
            .iter()
            .map(|code| (format!("{}_{}", family.names.module, code.number), for_code(family, code), true))
            .chain(unregistered.map(|n| (format!("{}_{n}_unregistered", family.names.module), for_number(family, n), false)));
        for (stem, snippets, takes_code) in cases {
            for snippet in snippets {
                let (imports, body) = snippet.source.split_once("\n\n").unwrap_or(("", &snippet.source));
                match snippet.language {
                    "Rust" => {
                        let parameter = if takes_code { "code: u16" } else { "" };
                        files.push((
                            "rust",
                            format!("{stem}.rs"),
                            format!("#[allow(unused)]\npub fn handle_{stem}({parameter}) {{\n{}}}\n", snippet.source),
                        ));
                    }
                    "TypeScript" => {
                        let parameter = if takes_code { "code: number" } else { "" };
                        files.push((
                            "typescript",
                            format!("{stem}.ts"),
                            format!("{imports}\n\nexport function handle_{stem}({parameter}): void {{\n{body}}}\n"),
                        ));
                    }
                    "Go" => {
                        let parameter = if takes_code { "code uint16" } else { "" };
                        files.push((
                            "go",
                            format!("{stem}.go"),
                            format!("package snippets\n\n{imports}\n\nfunc handle_{stem}({parameter}) {{\n{body}}}\n"),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    files
}
