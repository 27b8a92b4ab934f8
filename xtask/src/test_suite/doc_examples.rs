//! The code examples of the project's Markdown, the ones a user pastes: every fenced block of
//! `README.md`, of every `README.md` under `bindings/` (the bindings' own and each package's) and
//! of the generated pages in `bindings/markdown/`, plus the per-language names each generated page
//! gives under **In code**. [`write`] puts each one where the portal step's compile check of the
//! examples backend (`portal::check_snippets`) already compiles code, so the same `tsc`, `go vet`,
//! `mypy --strict`, `javac -Xlint:all -Werror` and `cargo check` read them; [`run`] then runs the
//! ones that can run (Python against the installed wheel, JavaScript against the package, Go
//! `package main` programs). Shell blocks get `bash -n`, TOML blocks a parse. The Rust blocks of
//! `README.md` are the `codebook` crate's doctests and run there.
//!
//! A block is most often a fragment, as in any README: what it may use without declaring it
//! (`closeCode`, `attempt`, `socket`, `log`, ...) is one small context file per language in
//! `xtask/tests/doc-examples/`, and a block that uses anything else fails to compile. Go imports
//! are hoisted out of the fragment and the module comes from the registry's package identity
//! (`bindings.go`), so a page that writes another qualifier than the package's name fails.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use codebook_model::Registry;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::command::Step;
use crate::workspace;

/// One fenced block of a Markdown file.
#[derive(Debug, PartialEq)]
pub struct CodeBlock {
    /// The line of the opening fence, from 1.
    pub line: usize,
    /// The info string as written (`ts`, `rust,ignore`).
    pub info: String,
    pub source: String,
}

/// Every code block of `markdown`, in order. An indented block has an empty info string.
pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let line = markdown[..range.start].matches('\n').count() + 1;
                open = Some(CodeBlock { line, info, source: String::new() });
            }
            Event::Text(text) => {
                if let Some(block) = open.as_mut() {
                    block.source.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The languages a block can be in, from the first word of its info string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Language {
    TypeScript,
    JavaScript,
    Go,
    Python,
    Java,
    Rust,
    Shell,
    Toml,
    /// Output, a diagnostic or a configuration excerpt (`text`, `nginx`): nothing to compile.
    NotCode,
}

/// The language of an info string; `None` for a block marked `ignore` (a Rust macro call that
/// needs the reader's own files). An unknown or missing language is an error, so a new kind of
/// block is never skipped silently.
pub fn language(info: &str) -> anyhow::Result<Option<Language>> {
    let mut words = info.split([',', ' ']).filter(|word| !word.is_empty());
    let first = words.next().unwrap_or_default();
    if words.any(|word| word == "ignore") {
        return Ok(None);
    }
    Ok(Some(match first {
        "ts" | "typescript" => Language::TypeScript,
        "js" | "javascript" => Language::JavaScript,
        "go" => Language::Go,
        "python" | "py" => Language::Python,
        "java" => Language::Java,
        "rust" => Language::Rust,
        "sh" | "bash" | "shell" => Language::Shell,
        "toml" => Language::Toml,
        "text" | "nginx" => Language::NotCode,
        "" => bail!("a code block without a language (write ```text for output)"),
        other => bail!("a code block in `{other}`, which no check compiles"),
    }))
}

/// The Markdown files whose examples users paste: `README.md`, every `README.md` under
/// `bindings/`, and the generated pages of `bindings/markdown/`.
pub fn documents(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = vec![root.join("README.md")];
    collect_readmes(&root.join("bindings"), &mut files)?;
    for entry in std::fs::read_dir(root.join("bindings/markdown"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "md") && !files.contains(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn collect_readmes(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if entry.file_type()?.is_dir() {
            if name != "node_modules" && name != "dist" && name != "target" {
                collect_readmes(&path, files)?;
            }
        } else if name == "README.md" {
            files.push(path);
        }
    }
    Ok(())
}

/// What [`write`] wrote, for [`run`].
#[derive(Default)]
pub struct Written {
    /// Python examples (and the **In code** names), run with the installed wheel.
    python: Vec<PathBuf>,
    /// JavaScript examples, run with Node against the package.
    javascript: Vec<PathBuf>,
    /// Go `package main` programs, by directory, run with `go run`.
    go_programs: Vec<PathBuf>,
    /// How many blocks of each language were written or checked, for the summary line.
    counts: std::collections::BTreeMap<&'static str, usize>,
}

/// The directory of the context files a fragment may lean on.
fn context_dir(root: &Path) -> PathBuf {
    root.join("xtask/tests/doc-examples")
}

/// A file stem for the block at `line` of `document`: `doc_bindings_readme_md_123`.
fn stem(root: &Path, document: &Path, line: usize) -> String {
    let relative = document.strip_prefix(root).unwrap_or(document).to_string_lossy().to_ascii_lowercase();
    let slug: String = relative.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("doc_{slug}_{line}")
}

/// Writes every example of every document into `out` beside the examples backend's files (a
/// folder per language: TypeScript and Java beside the portal's, Go in a package `docexamples`
/// of its own, Python in `python-docs`) with the context files, and checks the shell and TOML
/// blocks on the way.
pub fn write(root: &Path, registry: &Registry, out: &Path) -> anyhow::Result<Written> {
    let mut written = Written::default();
    let context = context_dir(root);
    for dir in ["typescript", "go/docexamples", "python-docs", "java", "rust", "javascript", "shell"] {
        std::fs::create_dir_all(out.join(dir))?;
    }
    std::fs::copy(context.join("context.d.ts"), out.join("typescript/doc_context.d.ts"))?;
    std::fs::copy(context.join("context.go"), out.join("go/docexamples/context.go"))?;
    std::fs::copy(context.join("doc_context.py"), out.join("python-docs/doc_context.py"))?;
    std::fs::copy(context.join("mypy.ini"), out.join("python-docs/mypy.ini"))?;
    std::fs::copy(context.join("DocContext.java"), out.join("java/DocContext.java"))?;
    let mut problems = Vec::new();
    for document in documents(root)? {
        let markdown =
            std::fs::read_to_string(&document).with_context(|| format!("cannot read {}", document.display()))?;
        let shown = document.strip_prefix(root).unwrap_or(&document).display().to_string();
        for block in code_blocks(&markdown) {
            let origin = format!("{shown}:{}", block.line);
            let language = match language(&block.info) {
                Ok(Some(language)) => language,
                Ok(None) => continue,
                Err(error) => {
                    problems.push(format!("{origin}: {error}"));
                    continue;
                }
            };
            let stem = stem(root, &document, block.line);
            if let Err(error) = write_block(registry, out, &origin, &stem, language, &block.source, &mut written) {
                problems.push(format!("{origin}: {error:#}"));
            }
            *written.counts.entry(language_name(language)).or_default() += 1;
        }
        // A family's generated page: the names it gives under **In code**.
        let in_markdown = document.parent().is_some_and(|parent| parent.ends_with("bindings/markdown"));
        let family = registry.families.iter().find(|f| document.file_stem() == Some(f.id.as_ref()));
        if let (true, Some(family)) = (in_markdown, family) {
            let stem = stem(root, &document, 0);
            match in_code_names(&markdown) {
                Ok(names) => write_in_code(registry, family, out, &shown, &stem, &names, &mut written)?,
                Err(error) => problems.push(format!("{shown}: {error}")),
            }
        }
    }
    if !problems.is_empty() {
        bail!("examples in the Markdown that cannot be checked:\n{}", problems.join("\n"));
    }
    let summary: Vec<String> = written.counts.iter().map(|(language, n)| format!("{n} {language}")).collect();
    eprintln!("==> the Markdown's examples: {}", summary.join(", "));
    Ok(written)
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::TypeScript => "TypeScript",
        Language::JavaScript => "JavaScript",
        Language::Go => "Go",
        Language::Python => "Python",
        Language::Java => "Java",
        Language::Rust => "Rust",
        Language::Shell => "shell",
        Language::Toml => "TOML",
        Language::NotCode => "text (not compiled)",
    }
}

fn write_block(
    registry: &Registry,
    out: &Path,
    origin: &str,
    stem: &str,
    language: Language,
    source: &str,
    written: &mut Written,
) -> anyhow::Result<()> {
    match language {
        Language::TypeScript => {
            // `export {}` makes every file a module, so two examples may declare the same name.
            std::fs::write(out.join(format!("typescript/{stem}.ts")), format!("// {origin}\nexport {{}};\n{source}"))?;
        }
        Language::JavaScript => {
            let extension = if source.lines().any(|line| line.starts_with("import ")) { "mjs" } else { "cjs" };
            let path = out.join(format!("javascript/{stem}.{extension}"));
            std::fs::write(&path, format!("// {origin}\n{source}"))?;
            written.javascript.push(path);
        }
        Language::Go => {
            if source.trim_start().starts_with("package ") {
                let dir = out.join(format!("go/{stem}"));
                std::fs::create_dir_all(&dir)?;
                std::fs::write(dir.join("main.go"), format!("// {origin}\n\n{source}"))?;
                if source.trim_start().starts_with("package main") {
                    written.go_programs.push(dir);
                }
            } else {
                std::fs::write(out.join(format!("go/docexamples/{stem}.go")), go_fragment(origin, stem, source)?)?;
            }
        }
        Language::Python => {
            let path = out.join(format!("python-docs/{stem}.py"));
            std::fs::write(&path, format!("# {origin}\nfrom doc_context import *  # noqa: F403\n{source}"))?;
            written.python.push(path);
        }
        Language::Java => {
            let class = java_class_name(stem);
            let file = java_fragment(origin, &class, &registry.bindings.java_package, source);
            std::fs::write(out.join(format!("java/{class}.java")), file)?;
        }
        Language::Rust => {
            let body: String = source.lines().map(|line| format!("    {line}\n")).collect();
            std::fs::write(
                out.join(format!("rust/{stem}.rs")),
                format!("// {origin}\n#[allow(unused)]\nfn example() {{\n{body}}}\n"),
            )?;
        }
        Language::Shell => {
            let path = out.join(format!("shell/{stem}.sh"));
            std::fs::write(&path, source)?;
            Step::new("bash").arg("-n").arg(&path).run().context("`bash -n` rejects the shell block")?;
        }
        Language::Toml => {
            Step::new("python3")
                .args(["-c", "import sys, tomllib; tomllib.loads(sys.stdin.read())"])
                .input(source.as_bytes().to_vec())
                .run()
                .context("the TOML block does not parse")?;
        }
        Language::NotCode => {}
    }
    Ok(())
}

/// A Go fragment as a file of package `docexamples`: its imports hoisted, the rest the body of a
/// function. A fragment that only imports imports for its side effects (`_`), so the import path
/// is still resolved.
fn go_fragment(origin: &str, stem: &str, source: &str) -> anyhow::Result<String> {
    let mut imports = Vec::new();
    let mut body = String::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed == "import (" {
            for line in lines.by_ref() {
                if line.trim() == ")" {
                    break;
                }
                if !line.trim().is_empty() {
                    imports.push(line.trim().to_string());
                }
            }
        } else if let Some(rest) = trimmed.strip_prefix("import ") {
            imports.push(rest.to_string());
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    let only_imports = body.trim().is_empty();
    let mut file = format!("// {origin}\n\npackage docexamples\n\n");
    if !imports.is_empty() {
        file.push_str("import (\n");
        for import in &imports {
            let import = if only_imports && import.starts_with('"') { format!("_ {import}") } else { import.clone() };
            writeln!(file, "\t{import}")?;
        }
        file.push_str(")\n\n");
    }
    if !only_imports {
        write!(file, "func {}() {{\n{body}}}\n", java_class_name(stem))?;
    }
    Ok(file)
}

/// `doc_bindings_readme_md_123` as `DocBindingsReadmeMd123`.
fn java_class_name(stem: &str) -> String {
    stem.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// A Java fragment as a class extending `DocContext`: its imports hoisted, next to the binding's
/// package, `java.util` and centrifuge-java (what a fragment leaves out); statements become the
/// body of a method, members (a listener's `@Override` method) stay members.
fn java_fragment(origin: &str, class: &str, java_package: &str, source: &str) -> String {
    let (imports, body): (Vec<&str>, Vec<&str>) = source.lines().partition(|line| line.starts_with("import "));
    let first = body.iter().map(|line| line.trim()).find(|line| !line.is_empty()).unwrap_or_default();
    let members = first.starts_with('@') || ["public ", "protected ", "private "].iter().any(|m| first.starts_with(m));
    let mut file = format!(
        "// {origin}\nimport {java_package}.*;\nimport java.util.*;\nimport io.github.centrifugal.centrifuge.*;\n{}\n\nfinal class {class} extends DocContext {{\n",
        imports.join("\n")
    );
    if members {
        for line in body {
            file.push_str(&format!("    {line}\n"));
        }
    } else {
        file.push_str("    void example() throws Exception {\n");
        for line in body {
            file.push_str(&format!("        {line}\n"));
        }
        file.push_str("    }\n");
    }
    file.push_str("}\n");
    file
}

/// The names a generated family page gives under **In code**, by language: the text after
/// `TypeScript`, `Rust`, `Go`, `Python` or `Java` (or "classify any number with") up to the next
/// backtick span.
pub fn in_code_names(markdown: &str) -> anyhow::Result<Vec<(Language, String)>> {
    let mut names = Vec::new();
    for line in markdown.lines().filter(|line| line.starts_with("**In code**:")) {
        let parts: Vec<&str> = line.split('`').collect();
        for pair in parts.chunks(2) {
            let [before, code] = pair else { continue };
            let before = before.trim_end();
            let language = if before.ends_with("TypeScript") {
                Language::TypeScript
            } else if before.ends_with("Rust") {
                Language::Rust
            } else if before.ends_with("Go") {
                Language::Go
            } else if before.ends_with("Python") || before.ends_with("classify any number with") {
                Language::Python
            } else if before.ends_with("Java") {
                Language::Java
            } else {
                continue;
            };
            names.push((language, code.to_string()));
        }
    }
    for wanted in [Language::TypeScript, Language::Rust, Language::Go, Language::Python, Language::Java] {
        if !names.iter().any(|(language, _)| *language == wanted) {
            bail!("the page's **In code** line names nothing in {}", language_name(wanted));
        }
    }
    Ok(names)
}

/// The **In code** names of one family page, each used as a value in its language.
fn write_in_code(
    registry: &Registry,
    family: &codebook_model::Family,
    out: &Path,
    origin: &str,
    stem: &str,
    names: &[(Language, String)],
    written: &mut Written,
) -> anyhow::Result<()> {
    let identity = &registry.bindings;
    let mut typescript = format!("// {origin}, **In code**\n");
    let mut go_file = format!("// {origin}, **In code**\n\npackage docexamples\n\nimport {:?}\n\n", identity.go_module);
    let mut python = format!("# {origin}, **In code**\n");
    let mut java = String::new();
    let mut rust = format!(
        "// {origin}, **In code**\nuse codebook::{}::*;\n#[allow(unused)]\nfn example() {{\n",
        family.names.module
    );
    for (index, (language, name)) in names.iter().enumerate() {
        match language {
            Language::TypeScript => {
                let imported = name.split('.').next().unwrap_or(name);
                writeln!(typescript, "import {{ {imported} as name{index} }} from {:?};", identity.npm_package)?;
                let rest = name.strip_prefix(imported).unwrap_or_default();
                writeln!(typescript, "console.log(name{index}{rest});")?;
            }
            Language::Go => writeln!(go_file, "var _ = {name}")?,
            Language::Python => {
                let module: Vec<&str> = name.split('.').take(2).collect();
                writeln!(python, "import {}\nprint(repr({name}))", module.join("."))?;
            }
            Language::Java => writeln!(java, "        Object name{index} = {name};")?,
            Language::Rust => writeln!(rust, "    let _ = {name};")?,
            _ => {}
        }
    }
    rust.push_str("}\n");
    std::fs::write(out.join(format!("typescript/{stem}.ts")), typescript)?;
    std::fs::write(out.join(format!("go/docexamples/{stem}.go")), go_file)?;
    let python_path = out.join(format!("python-docs/{stem}.py"));
    std::fs::write(&python_path, python)?;
    written.python.push(python_path);
    let class = java_class_name(stem);
    std::fs::write(
        out.join(format!("java/{class}.java")),
        format!(
            "// {origin}, **In code**\nfinal class {class} {{\n    private {class}() {{}}\n\n    @SuppressWarnings(\"deprecation\")\n    static void example() {{\n{java}    }}\n}}\n"
        ),
    )?;
    std::fs::write(out.join(format!("rust/{stem}.rs")), rust)?;
    Ok(())
}

/// Runs what can run: each Python example with the environment that has the installed wheel and
/// centrifuge-python (`python`), each JavaScript example with Node against the package (linked
/// into a `node_modules` beside it), and each Go `package main`.
pub fn run(registry: &Registry, root: &Path, out: &Path, written: &Written, python: &Path) -> anyhow::Result<()> {
    for script in &written.python {
        Step::new(python)
            .arg(script)
            .dir(out.join("python-docs"))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .run()
            .with_context(|| format!("the Markdown's Python example {} fails when run", script.display()))?;
    }
    if !written.javascript.is_empty() {
        let link = out.join("javascript/node_modules").join(&registry.bindings.npm_package);
        std::fs::create_dir_all(link.parent().context("a package has a parent")?)?;
        if !link.exists() {
            std::os::unix::fs::symlink(root.join("bindings/typescript"), &link)?;
        }
        // The whole package build: the type check leaves only ES modules in dist/, and a
        // CommonJS example needs the `.cjs` files the package's own build writes.
        Step::new("npm").args(["run", "--silent", "build"]).dir(root.join("bindings/typescript")).run()?;
    }
    for script in &written.javascript {
        Step::new("node")
            .arg(script)
            .dir(out.join("javascript"))
            .run()
            .with_context(|| format!("the Markdown's JavaScript example {} fails when run", script.display()))?;
    }
    for program in &written.go_programs {
        Step::go().args(["run", "-mod=mod", "."]).dir(program).run()?;
    }
    Ok(())
}

/// The Python of the environment the bindings step made (the wheel and centrifuge-python
/// installed), in which the Markdown's Python examples are type-checked and run.
pub fn python_with_wheel_and_sdk() -> anyhow::Result<PathBuf> {
    let python = workspace::scratch("python-wheel/consumer-venv/bin/python");
    if !python.exists() {
        bail!("{} is missing: `cargo xtask test-bindings` makes it first", python.display());
    }
    Ok(python)
}

/// centrifuge-java's jar in the local Maven repository (the version the Java SDK consumer of
/// `xtask/tests/consumers/java/pom.xml` pins, which fetched it).
pub fn centrifuge_java_jar() -> anyhow::Result<PathBuf> {
    let version = "0.4.1";
    let home = std::env::var_os("HOME").context("HOME is not set")?;
    let jar = PathBuf::from(home)
        .join(format!(".m2/repository/io/github/centrifugal/centrifuge-java/{version}/centrifuge-java-{version}.jar"));
    if !jar.exists() {
        bail!("{} is missing: `cargo xtask test-bindings` fetches it first", jar.display());
    }
    Ok(jar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fenced_blocks_with_their_lines_and_languages() {
        let markdown = "# Title\n\ntext\n\n```ts\nconst a = 1;\n```\n\n- item\n\n  ```rust,ignore\n  x!();\n  ```\n";
        let blocks = code_blocks(markdown);
        assert_eq!(
            blocks,
            [
                CodeBlock { line: 5, info: "ts".into(), source: "const a = 1;\n".into() },
                CodeBlock { line: 11, info: "rust,ignore".into(), source: "x!();\n".into() },
            ]
        );
        assert_eq!(language("ts").unwrap(), Some(Language::TypeScript));
        assert_eq!(language("rust,ignore").unwrap(), None);
        assert!(language("").is_err());
        assert!(language("kotlin").is_err());
    }

    #[test]
    fn a_go_fragment_has_its_imports_hoisted() {
        let file = go_fragment(
            "README.md:3",
            "doc_readme_md_3",
            "import \"example.com/m/codebook\"\n\ncode := codebook.X(1)\n_ = code\n",
        )
        .unwrap();
        assert!(file.contains("import (\n\t\"example.com/m/codebook\"\n)"), "{file}");
        assert!(file.contains("func DocReadmeMd3() {\n\ncode := codebook.X(1)\n_ = code\n}"), "{file}");
        let only_import =
            go_fragment("README.md:3", "doc_readme_md_3", "import \"example.com/m/codebook\" // no alias\n").unwrap();
        assert!(only_import.contains("\t_ \"example.com/m/codebook\" // no alias\n"), "{only_import}");
        assert!(!only_import.contains("func "), "{only_import}");
    }

    #[test]
    fn a_java_fragment_is_a_method_body_or_members() {
        let statements = java_fragment("R.md:1", "DocR1", "dev.codebook.codes", "import a.B;\nint x = 1;\n");
        assert!(statements.contains("import a.B;"));
        assert!(statements.contains("void example() throws Exception {\n        int x = 1;"), "{statements}");
        let members = java_fragment("R.md:1", "DocR1", "dev.codebook.codes", "@Override\npublic void on() {}\n");
        assert!(members.contains("extends DocContext {\n    @Override\n    public void on() {}\n}"), "{members}");
    }

    #[test]
    fn in_code_names_are_read_per_language() {
        let line = "**In code**: Rust `T::V`, TypeScript `T.V`, Go `codebook.TV`, Python `p.m.T.V` (classify any number with `p.m.classify`), Java `d.T.V` (`T.classify(int)`).";
        let names = in_code_names(line).unwrap();
        assert_eq!(
            names,
            [
                (Language::Rust, "T::V".to_string()),
                (Language::TypeScript, "T.V".into()),
                (Language::Go, "codebook.TV".into()),
                (Language::Python, "p.m.T.V".into()),
                (Language::Python, "p.m.classify".into()),
                (Language::Java, "d.T.V".into()),
            ]
        );
        assert!(in_code_names("**In code**: Go `codebook.TV`").is_err());
    }

    /// Every block of the shipped documents is in a language a check reads (the compile itself
    /// runs in `cargo xtask test`).
    #[test]
    fn every_block_of_the_shipped_documents_has_a_checked_language() {
        let root = workspace::root();
        let mut seen = 0;
        for document in documents(&root).unwrap() {
            let markdown = std::fs::read_to_string(&document).unwrap();
            for block in code_blocks(&markdown) {
                language(&block.info).unwrap_or_else(|e| panic!("{}:{}: {e}", document.display(), block.line));
                seen += 1;
            }
        }
        assert!(seen > 20, "only {seen} blocks found");
    }
}
