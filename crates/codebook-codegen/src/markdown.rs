//! The Markdown backend: `markdown/README.md` (an index of families) and one page per family with
//! a table of codes and a section per code under its stable anchor (`code.names.anchor`).
//!
//! The text is in `templates/markdown/`. Registry text is untrusted here too: it reaches the
//! pages only through the filters of [`escape`]: table cells (pipes, HTML and Markdown
//! punctuation escaped, newlines kept as `<br>`), prose (Markdown kept, raw HTML neutralised), and
//! exact wire strings.

use askama::Template;
use codebook_model::{Code, Family, FamilyKind, Registry};

use crate::backend::{Backend, GeneratedFile, Provenance};

pub mod escape;

use escape::filters;
#[cfg(test)]
use escape::{literal_text, prose, table_cell};

pub struct Markdown;

impl Backend for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = format!("<!-- {} -->\n<!-- {} -->\n\n", provenance.notice(), provenance.hash_line());
        let mut files = vec![
            GeneratedFile::new("README.md", bindings_readme(registry, provenance, &header)),
            GeneratedFile::new(
                "markdown/README.md",
                crate::backend::render_file(&Index { header: &header, families: &registry.families }),
            ),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(
                format!("markdown/{}.md", family.id),
                family_page(&registry.bindings, family, &header),
            ));
        }
        files
    }
}

/// `bindings/README.md` (`templates/markdown/bindings_readme.md`): what is here, how each
/// language uses it (with a real family's names), and how a consumer without Rust detects stale
/// bindings.
#[derive(Template)]
#[template(path = "markdown/bindings_readme.md")]
struct BindingsReadme<'a> {
    header: &'a str,
    npm_name: &'a str,
    version: &'a str,
    /// What `npm pack` names the tarball (`codebook-codes-0.1.0.tgz`).
    npm_tarball: String,
    module_path: &'a str,
    /// What `python -m build` names the wheel.
    wheel: String,
    /// The Go module's directory below `bindings/`; its release tags are `bindings/<dir>/vX.Y.Z`.
    module_dir: String,
    go_package: &'a str,
    repository: &'a str,
    /// Every package name (`bindings:`).
    identity: &'a codebook_model::PackageIdentity,
    source: &'a str,
    hash: &'a str,
    /// The family the examples use: the first close family, else the first family.
    family: Option<ReadmeFamily<'a>>,
}

struct ReadmeFamily<'a> {
    t: &'a str,
    p: &'a str,
    first: &'a Code,
    /// The family's Python module.
    module: &'a str,
    /// The TypeScript function and the Go method of the family's yes/no question.
    ts_flag: String,
    go_flag: &'static str,
}

fn bindings_readme(registry: &Registry, provenance: &Provenance, header: &str) -> String {
    let family = registry
        .families
        .iter()
        .find(|family| family.kind == FamilyKind::WebsocketClose)
        .or(registry.families.first())
        .map(|family| {
            let p = &family.names.lower_camel;
            let (ts_flag, go_flag) = match family.kind {
                FamilyKind::WebsocketClose => (format!("{p}ShouldReconnect"), "ShouldReconnect()"),
                FamilyKind::Error => (format!("{p}IsTemporary"), "IsTemporary()"),
            };
            ReadmeFamily {
                t: &family.names.type_name,
                p,
                first: family.codes_by_number()[0],
                module: &family.names.module,
                ts_flag,
                go_flag,
            }
        });
    let version = registry.version.to_string();
    crate::backend::render_file(&BindingsReadme {
        header,
        npm_name: &registry.bindings.npm_package,
        version: &version,
        npm_tarball: super::typescript::tarball_name(registry),
        wheel: super::python::wheel_name(registry),
        module_path: &registry.bindings.go_module,
        module_dir: super::go::module_dir(&registry.bindings),
        go_package: &registry.bindings.go_package,
        repository: &registry.bindings.repository,
        identity: &registry.bindings,
        source: &provenance.source_name,
        hash: &provenance.sha256,
        family,
    })
}

/// `markdown/README.md` (`templates/markdown/index.md`): every family with its kind and size.
#[derive(Template)]
#[template(path = "markdown/index.md")]
struct Index<'a> {
    header: &'a str,
    families: &'a [Family],
}

/// One family's page (`templates/markdown/family.md`).
#[derive(Template)]
#[template(path = "markdown/family.md")]
struct FamilyPage<'a> {
    /// Every package name (`bindings:`).
    identity: &'a codebook_model::PackageIdentity,
    header: &'a str,
    family: &'a Family,
    codes: Vec<&'a Code>,
    /// The heading of the yes/no column: whether the code reconnects, or is temporary.
    column: &'static str,
}

fn family_page(identity: &codebook_model::PackageIdentity, family: &Family, header: &str) -> String {
    let column = match family.kind {
        FamilyKind::WebsocketClose => "Reconnect",
        FamilyKind::Error => "Temporary",
    };
    crate::backend::render_file(&FamilyPage { identity, header, family, codes: family.codes_by_number(), column })
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
