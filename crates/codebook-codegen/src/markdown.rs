//! The Markdown backend: `markdown/README.md` (an index of families) and one page per family with
//! a table of codes and a section per code under its stable anchor (`code.names.anchor`).
//!
//! Registry text is untrusted here too: table cells go through [`table_cell`] (pipes, HTML and
//! Markdown punctuation escaped, newlines kept as `<br>`), prose through [`prose`] (Markdown kept,
//! raw HTML neutralised), and exact wire strings through [`literal_text`].

use std::fmt::Write as _;

use codebook_model::{Code, Family, FamilyKind, Origin, Registry};

use super::{Backend, GeneratedFile, Provenance, is_bidi_control};

pub struct Markdown;

impl Backend for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = format!("<!-- {} -->\n<!-- {} -->\n\n", provenance.notice(), provenance.hash_line());
        let mut files = vec![
            GeneratedFile::new("README.md", bindings_readme(registry, provenance, &header)),
            GeneratedFile::new("markdown/README.md", index(registry, &header)),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("markdown/{}.md", family.id), family_page(family, &header)));
        }
        files
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text shown exactly as written: characters with inline Markdown meaning (emphasis, code, links,
/// HTML, tables, GitHub's `$` math) are escaped, so is a leading block marker (`#`, `-`, `1.`),
/// and control or bidirectional characters become visible escapes.
fn literal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (index, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if index == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if index == digits && digits > 0 => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A table cell of registry text: like [`literal_text`], on one line.
fn table_cell(text: &str) -> String {
    literal_text(text.trim_end())
}

/// Registry Markdown placed as a paragraph: Markdown stays, raw HTML is shown as text, and a
/// line cannot open a code fence, a heading or a table that would swallow the rest of the page.
fn prose(markdown: &str) -> String {
    markdown
        .trim_end()
        .lines()
        .map(|line| {
            let line = escape_html(line.trim_start());
            let line: String = line.chars().map(|c| if c.is_control() || is_bidi_control(c) { ' ' } else { c }).collect();
            if line.starts_with("```") || line.starts_with("~~~") || line.starts_with('#') || line.starts_with('|') {
                format!("\\{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn origin_text(origin: Origin) -> &'static str {
    match origin {
        Origin::Server => "the server",
        Origin::ClientLibrary => "a client library",
        Origin::UserAgent => "the user agent (browser or WebSocket stack)",
    }
}

/// Where a code is documented: a link when the URL is absolute, else the site path as code.
fn doc_url_text(code: &Code) -> String {
    if code.doc_url.starts_with("https://") || code.doc_url.starts_with("http://") {
        format!("<{}>", code.doc_url)
    } else {
        format!("`{}`", code.doc_url)
    }
}

fn behaviour_column(family: &Family) -> &'static str {
    match family.kind {
        FamilyKind::WebsocketClose => "Reconnect",
        FamilyKind::Error => "Temporary",
    }
}

/// `bindings/README.md`: what is here, how each language uses it (with a real family's names),
/// and how a consumer without Rust detects stale bindings.
fn bindings_readme(registry: &Registry, provenance: &Provenance, header: &str) -> String {
    use super::go::{MODULE_DIR, MODULE_PATH, PACKAGE_NAME as GO_PACKAGE};
    use super::typescript::{PACKAGE_NAME as NPM_PACKAGE, PACKAGE_VERSION as NPM_VERSION};
    let repository = super::REPOSITORY_URL;
    let mut out = String::from(header);
    let _ = write!(
        out,
        "# Bindings\n\nGenerated from the registry by `cargo xtask gen`; `cargo xtask check` fails when they are stale.\n\n\
         | Path | What |\n| --- | --- |\n\
         | `typescript/` | npm package `{NPM_PACKAGE}`: ES modules and CommonJS, `as const` objects, literal unions, lookups, classification |\n\
         | `{MODULE_DIR}/` | Go module `{MODULE_PATH}`, package `{GO_PACKAGE}`: a `uint16` type per family, constants, lookups, classification, error types |\n\
         | `markdown/` | Reference pages, one per family |\n\
         | `vectors.json` | Conformance vectors every binding's tests assert (each package holds a copy) |\n\
         | `codes.schema.json` | JSON Schema of the registry, for editors |\n\n\
         ## Installing\n\n\
         **TypeScript / JavaScript.** From the registry, or from a release tarball (`npm pack` output) without one:\n\n\
         ```sh\nnpm install {NPM_PACKAGE}@{NPM_VERSION}\nnpm install ./codebook-codes-{NPM_VERSION}.tgz\n```\n\n\
         Import the root (`{NPM_PACKAGE}`), one family (`{NPM_PACKAGE}/<family-id>`) or the runtime alone \
         (`{NPM_PACKAGE}/runtime`), with `import` or `require`; a bundler keeps only what is used.\n\n\
         **Go.** The module is nested in the repository, so its versions are tags named after its directory:\n\n\
         ```sh\ngo get {MODULE_PATH}@v0.1.0   # tag bindings/{MODULE_DIR}/v0.1.0\n```\n\n\
         ```go\nimport \"{MODULE_PATH}\" // package {GO_PACKAGE}, no alias needed\n```\n\n\
         **Rust.** The `codebook` crate as a git dependency (pin a tag or a `rev`); a crate can also generate \
         enums from its own `codes.yaml` with `codebook::include_codes!`:\n\n\
         ```toml\n[dependencies]\ncodebook = {{ git = \"{repository}\", tag = \"v0.1.0\" }}\n```\n\n\
         ## Cutting a release\n\n\
         1. Edit `codes.yaml`, run `cargo xtask gen`, then `cargo xtask test` (it packs the npm package, installs it \
         into scratch projects, and serves the Go module to a consumer from a file-system `GOPROXY` at a tagged version).\n\
         2. Bump the npm version (`PACKAGE_VERSION` of the TypeScript backend), regenerate, and commit.\n\
         3. Tag the commit: `v0.1.0` for the Rust crate, `bindings/{MODULE_DIR}/v0.1.0` for the Go module; push both \
         tags. `go get {MODULE_PATH}@v0.1.0` resolves the second through the Go module proxy.\n\
         4. In `bindings/typescript/`: `npm ci && npm publish` (prepack builds `dist/`; `npm publish --dry-run` shows \
         what would ship), or attach the `npm pack` tarball to the release for teams without a registry.\n\n\
         Never reuse a version: the Go checksum database and npm both remember the first content of every version.\n",
    );
    let Some(family) = registry.families.iter().find(|family| family.kind == FamilyKind::WebsocketClose).or(registry.families.first()) else {
        return out;
    };
    let t = &family.names.type_name;
    let p = &family.names.lower_camel;
    let first = family.codes_by_number()[0];
    let (ts_flag, go_flag) = match family.kind {
        FamilyKind::WebsocketClose => (format!("{p}ShouldReconnect"), "ShouldReconnect()"),
        FamilyKind::Error => (format!("{p}IsTemporary"), "IsTemporary()"),
    };
    let _ = write!(
        out,
        "\n## TypeScript\n\n```ts\nimport {{ {t}, classify{t}, {ts_flag} }} from \"{NPM_PACKAGE}\";\n\n\
         socket.addEventListener(\"close\", (event) => {{\n  const closed = classify{t}(event.code);\n  \
         if (closed.known && closed.code === {t}.{variant}) {{\n    console.log(closed.info.message);\n  }}\n  \
         if ({ts_flag}(event.code)) {{\n    // retry or reconnect with backoff; unregistered numbers are classified by range\n  }}\n}});\n```\n\n\
         `npm ci && npm test` in `typescript/` builds `dist/` and runs the conformance vectors.\n\n\
         ## Go\n\n```go\nimport \"{MODULE_PATH}\"\n\n\
         code := {GO_PACKAGE}.{t}(closeCode) // any uint16\nif code == {GO_PACKAGE}.{constant} {{\n\tlog.Print(code.Message())\n}}\n\
         if code.{go_flag} {{\n\t// retry or reconnect with backoff\n}}\nclassified := {GO_PACKAGE}.Classify{t}(closeCode)\n_ = classified.Segment.Label\n```\n\n\
         ## Client handling\n\n\
         Every code, and every unregistered number through its range, carries an action (`stop`, `reconnect_after_backoff`, \
         `refresh_token_then_reconnect`, `wait_for_capacity`, ...) and, when the action tries again, a backoff hint. \
         `delayMs` (TypeScript) and `BackoffHint.DelayMs` (Go) turn a hint, the attempt number, the elapsed time and a random \
         32-bit number into the next delay or \"give up\", with the same arithmetic in every language.\n\n\
         ```ts\nimport {{ classifyCloseEvent, delayMs, randomU32, {p}Family }} from \"{NPM_PACKAGE}\";\n\n\
         socket.addEventListener(\"close\", (event) => {{\n  const closed = classifyCloseEvent({p}Family, event);\n  \
         const delay = closed.backoff && delayMs(closed.backoff, attempt, Date.now() - firstFailure, randomU32());\n  \
         if (delay === undefined) showError(closed.action); else setTimeout(connect, delay);\n}});\n```\n\n\
         ```go\nif classified, ok := {GO_PACKAGE}.ClassifyCloseError(err, {GO_PACKAGE}.Classify{t}); ok && classified.Action.TriesAgain() {{\n\t\
         delayMs, ok := classified.Backoff.DelayMs(attempt, elapsedMs, rand.Uint32())\n\t_, _ = delayMs, ok\n}}\n```\n\n\
         `CloseCodeOf` finds the close code in any Go error chain (gorilla/websocket, coder/websocket, or anything with \
         `CloseCode() int`). `safeCloseCode`/`SafeCloseCode` map a received close code to one the sender may pass on (1005, 1006 \
         and 1015 are never sent; a browser may only send 1000 and 3000-4999), and `truncateCloseReason`/`TruncateCloseReason` \
         cut a reason to 123 UTF-8 bytes on a character boundary.\n\n\
         ## Staleness without Rust\n\nEvery generated file carries the SHA-256 of the registry it came from; compare it with \
         `sha256sum {source}`. This set was generated from `{hash}`.\n",
        variant = first.names.variant,
        constant = first.names.go_constant,
        source = provenance.source_name,
        hash = provenance.sha256,
    );
    out
}

fn index(registry: &Registry, header: &str) -> String {
    let mut out = String::from(header);
    out.push_str("# Codes\n\nEvery family of error and disconnect codes in the registry.\n\n");
    out.push_str("| Family | Kind | Codes |\n| --- | --- | ---: |\n");
    for family in &registry.families {
        let _ = writeln!(
            out,
            "| [{}]({}.md) | `{}` | {} |",
            table_cell(&family.title),
            family.id,
            family.kind.as_str(),
            family.codes.len()
        );
    }
    out
}

fn family_page(family: &Family, header: &str) -> String {
    let mut out = String::from(header);
    let _ = writeln!(out, "# {}\n", table_cell(&family.title));
    let _ = writeln!(out, "Family `{}`, kind `{}`.\n", family.id, family.kind.as_str());
    let _ = writeln!(out, "{}\n", prose(&family.description));
    let _ = writeln!(out, "**Backoff** of codes that try again, unless a code says otherwise: {}\n", family.backoff.describe());

    out.push_str("## Codes\n\n");
    let _ = writeln!(out, "| Code | Name | Message | {} | Action |\n| ---: | --- | --- | --- | --- |", behaviour_column(family));
    for code in family.codes_by_number() {
        let _ = writeln!(
            out,
            "| {} | [`{}`](#{}) | {} | {} | `{}` |",
            code.number,
            code.names.variant,
            code.names.anchor,
            table_cell(&code.message),
            if code.behaviour.flag() { "yes" } else { "no" },
            code.action.as_str()
        );
    }

    out.push_str("\n## Unregistered numbers\n\nA number that is not registered is classified by the range it falls in.\n\n");
    let _ = writeln!(out, "| From | To | Scope | {} | Action | Label |\n| ---: | ---: | --- | --- | --- | --- |", behaviour_column(family));
    for segment in &family.segments {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | `{}` | {} |",
            segment.from,
            segment.to,
            segment.scope.as_str(),
            if segment.behaviour.flag() { "yes" } else { "no" },
            segment.action.as_str(),
            table_cell(&segment.label)
        );
    }
    if !family.retired.is_empty() {
        out.push_str("\n## Retired numbers\n\nNever registered again.\n\n| Code | Moved to | Note |\n| ---: | ---: | --- |\n");
        for retired in &family.retired {
            let moved = retired.moved_to.map_or_else(String::new, |to| to.to_string());
            let _ = writeln!(out, "| {} | {moved} | {} |", retired.number, table_cell(&retired.note));
        }
    }

    for code in family.codes_by_number() {
        let _ = writeln!(out, "\n<a id=\"{}\"></a>\n", code.names.anchor);
        let _ = writeln!(out, "## {} {}\n", code.number, code.names.variant);
        let _ = writeln!(out, "Message: {}\n", literal_text(&code.message));
        let _ = writeln!(out, "Behaviour: {}.", code.behaviour.as_str());
        if code.local_only {
            out.push_str(" Reported locally only; never sent in a close frame (RFC 6455, section 7.4.1).\n");
        }
        let _ = writeln!(out, "\nWhat to do: `{}`. {}", code.action.as_str(), code.action.advice());
        if let Some(hint) = &code.backoff {
            let _ = writeln!(out, "\n**Backoff**: {}", hint.describe());
        }
        let _ = writeln!(out, "\nOrigin: {}. Reference: {}.", origin_text(code.origin), doc_url_text(code));
        let _ = writeln!(out, "\n{}", prose(&code.description));
        if !code.causes.is_empty() {
            out.push_str("\nPossible causes:\n\n");
            for cause in &code.causes {
                let _ = writeln!(out, "- {}", table_cell(cause));
            }
        }
        if let Some(deprecated) = &code.deprecated {
            let _ = writeln!(out, "\nDeprecated: {}", table_cell(deprecated));
        }
        if code.since.is_some() || !code.changes.is_empty() {
            out.push_str("\nHistory:\n\n");
            if let Some(since) = &code.since {
                let _ = writeln!(out, "- {}: introduced", table_cell(since));
            }
            for change in &code.changes {
                let _ = writeln!(out, "- {}: {}", table_cell(&change.version), table_cell(&change.note));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_keeps_tables_and_html_intact() {
        assert_eq!(table_cell("a | b <i>x</i> & `c`"), "a \\| b &lt;i&gt;x&lt;/i&gt; &amp; \\`c\\`");
        assert_eq!(literal_text("# not a heading"), "\\# not a heading");
        assert_eq!(literal_text("1. not a list, 2. fine"), "1\\. not a list, 2. fine");
        assert_eq!(literal_text("e.g. per-user $5"), "e.g. per-user \\$5");
        assert_eq!(literal_text("tab\there \u{202E}"), "tab\\u{0009}here \\u{202e}");
    }

    #[test]
    fn prose_keeps_markdown_but_not_html_or_fences() {
        assert_eq!(prose("*yes* <script>\n```js\n# h"), "*yes* &lt;script&gt;\n\\```js\n\\# h");
    }
}
