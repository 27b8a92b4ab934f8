//! Tidy: tests that hold the repository itself to its rules, in the manner of rust-analyzer's
//! `tidy.rs`. They run with the workspace's tests, so `cargo xtask test` fails on:
//!
//! - a tracked file over 1 MB, or an executable that is not a script (a compiled binary, or the
//!   executable bit on a file without a `#!` line);
//! - a path named in a comment or a Markdown document that does not exist;
//! - a command's help text that lists the bindings' languages and leaves one out;
//! - the same doc line twice in one doc comment, or on two neighbouring items (a copy-paste that
//!   documents the wrong thing).

use std::collections::BTreeSet;
use std::path::Path;

use crate::command::Step;
use crate::workspace;

/// The largest file the repository may hold.
const MAX_FILE_BYTES: u64 = 1_000_000;

/// Every file git tracks (and every untracked one it does not ignore), with its mode.
fn tracked_files() -> Vec<(String, String)> {
    let root = workspace::root();
    let staged = Step::new("git").args(["ls-files", "-s", "-z"]).dir(&root).quiet().expect("git ls-files");
    let mut files: Vec<(String, String)> = staged
        .split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            Some((meta.split(' ').next()?.to_string(), path.to_string()))
        })
        .filter(|(_, path)| root.join(path).is_file())
        .collect();
    let untracked = Step::new("git")
        .args(["ls-files", "--others", "--exclude-standard", "-z"])
        .dir(&root)
        .quiet()
        .expect("git ls-files --others");
    for path in untracked.split('\0').filter(|path| !path.is_empty()) {
        let mode = if is_executable(&root.join(path)) { "100755" } else { "100644" };
        files.push((mode.to_string(), path.to_string()));
    }
    files
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o111 != 0)
}

/// Is this the start of a compiled program (ELF, Mach-O, PE, a Java class)?
fn is_binary_program(head: &[u8]) -> bool {
    const MAGICS: [&[u8]; 7] = [
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"MZ\x90\x00",
    ];
    MAGICS.iter().any(|magic| head.starts_with(magic))
}

/// Why a tracked file does not belong in the repository, if it does not.
fn misplaced(mode: &str, size: u64, head: &[u8]) -> Option<String> {
    if size > MAX_FILE_BYTES {
        return Some(format!("{size} bytes, over the 1 MB limit"));
    }
    if is_binary_program(head) {
        return Some("a compiled program (build output)".into());
    }
    if mode == "100755" && !head.starts_with(b"#!") {
        return Some("executable, but not a script with a #! line".into());
    }
    None
}

#[test]
fn no_tracked_file_is_large_or_a_program() {
    let root = workspace::root();
    let mut problems = Vec::new();
    for (mode, path) in tracked_files() {
        let full = root.join(&path);
        let size = std::fs::metadata(&full).map(|metadata| metadata.len()).unwrap_or(0);
        let mut head = vec![0u8; 4];
        let read = std::fs::File::open(&full).and_then(|mut file| std::io::Read::read(&mut file, &mut head));
        head.truncate(read.unwrap_or(0));
        if let Some(why) = misplaced(&mode, size, &head) {
            problems.push(format!("{path}: {why}"));
        }
    }
    assert!(problems.is_empty(), "files that must not be in the repository:\n{}", problems.join("\n"));
}

#[test]
fn the_program_check_tells_binaries_from_scripts() {
    assert!(misplaced("100755", 15_885_466, b"\x7fELF").is_some());
    assert!(misplaced("100644", 10, b"\x7fELF").is_some());
    assert!(misplaced("100755", 10, b"pack").is_some());
    assert!(misplaced("100644", 2_000_000, b"text").is_some());
    assert_eq!(misplaced("100755", 10, b"#!/b"), None);
    assert_eq!(misplaced("100644", 10, b"//! a"), None);
}

/// The text a reader takes for prose: a Markdown file whole, the comments of a source file.
fn prose_lines(path: &str, text: &str) -> Vec<(usize, String)> {
    let comment = if path.ends_with(".md") {
        return text.lines().enumerate().map(|(index, line)| (index + 1, line.to_string())).collect();
    } else if [".rs", ".go", ".mjs", ".ts", ".java", ".js"].iter().any(|extension| path.ends_with(extension)) {
        "//"
    } else if [".py", ".toml", ".sh"].iter().any(|extension| path.ends_with(extension)) || path.ends_with("/run") {
        "#"
    } else {
        return Vec::new();
    };
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let comment_start = line.trim_start();
            comment_start.starts_with(comment).then(|| (index + 1, comment_start.to_string()))
        })
        .collect()
}

/// The backticked words of a line that name a file or folder of this repository: a word with a
/// `/` (`xtask/herd/go`, `interop/`), or a Rust file's bare name (`tidy.rs`). Left alone: what a
/// build or test writes (`target/..`, `dist/`), absolute paths, URLs and Go import paths
/// (`github.com/..`, `math/rand/v2`), release tags (`../v0.1.0`), placeholders (`<language>`),
/// family-qualified codes (`chat-close/4001`) and other projects' file names (`codes.d.ts`).
fn named_paths(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| {
            !word.is_empty()
                && word.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
                && !word.starts_with('/')
                && !word.starts_with('.')
                && !word.contains("..")
                && (word.contains('/') || word.ends_with(".rs"))
        })
        .filter(|word| {
            !["target/", "dist/", "node_modules/", "build/", "tmp/"].iter().any(|output| word.contains(output))
        })
        .filter(|word| {
            let first = word.split('/').next().unwrap_or_default();
            let last = word.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            let is_version =
                last.strip_prefix('v').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == 'X'));
            let is_import_path = word.contains('/') && first.contains('.');
            // `centrifugo-disconnect/3501`: a family-qualified code, not a path.
            let is_qualified_code = !last.is_empty() && last.chars().all(|c| c.is_ascii_digit());
            !is_import_path && !is_version && !is_qualified_code
        })
        .map(str::to_string)
        .collect()
}

/// Does `word` name a tracked file or folder, from the root or from any folder (the way a doc
/// names a file of its crate or a sibling, `tests/hostile/codes.yaml`, `bench/load.sh`)?
fn exists(word: &str, files: &BTreeSet<String>, folders: &BTreeSet<String>) -> bool {
    let word = word.trim_end_matches('/');
    let suffix = format!("/{word}");
    files.iter().chain(folders).any(|path| path == word || path.ends_with(&suffix))
}

fn folders_of(files: &BTreeSet<String>) -> BTreeSet<String> {
    let mut folders = BTreeSet::new();
    for file in files {
        let mut path = Path::new(file.as_str());
        while let Some(parent) = path.parent() {
            if parent.as_os_str().is_empty() {
                break;
            }
            folders.insert(parent.to_string_lossy().into_owned());
            path = parent;
        }
    }
    folders
}

/// Hand-written files: the generated bindings and snapshots repeat what their templates say.
fn is_hand_written(path: &str) -> bool {
    !path.starts_with("bindings/") && !path.ends_with(".snap") && !path.contains("/fixtures/")
}

#[test]
fn every_path_a_comment_or_document_names_exists() {
    let root = workspace::root();
    let files: BTreeSet<String> = tracked_files().into_iter().map(|(_, path)| path).collect();
    let folders = folders_of(&files);
    let mut problems = Vec::new();
    for path in files.iter().filter(|path| is_hand_written(path)) {
        let Ok(text) = std::fs::read_to_string(root.join(path)) else { continue };
        for (line_number, line) in prose_lines(path, &text) {
            for word in named_paths(&line) {
                if !exists(&word, &files, &folders) {
                    problems.push(format!("{path}:{line_number}: `{word}` names no file or folder of the repository"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "stale paths:\n{}", problems.join("\n"));
}

#[test]
fn the_path_check_finds_stale_names_and_passes_real_ones() {
    let files: BTreeSet<String> =
        ["xtask/src/test_suite/interop.rs", "site/bench/load.sh", "codes.yaml"].map(String::from).into();
    let folders = folders_of(&files);
    let line =
        "// see `xtask/src/interop.rs`, `bench/load.sh`, `codes.yaml`, `interop/`, `site/` and `bindings_tests.rs`";
    let missing: Vec<String> = named_paths(line).into_iter().filter(|word| !exists(word, &files, &folders)).collect();
    assert_eq!(missing, ["xtask/src/interop.rs", "interop/", "bindings_tests.rs"]);
    assert_eq!(named_paths("(`herd.rs`, with"), ["herd.rs"]);
    let elsewhere = "`target/herd/report.md`, `/usr/bin/chromium`, `https://x/y.md`, `github.com/a/b`, \
                     `math/rand/v2`, `bindings/go/codebook/vX.Y.Z`, `runtime/<language>/`, `codes.d.ts`, `chat-close/4001`";
    assert!(named_paths(elsewhere).is_empty(), "{:?}", named_paths(elsewhere));
}

/// The languages the bindings are generated in: every backend with a runtime folder.
fn binding_languages() -> Vec<&'static str> {
    codebook_codegen::backends()
        .iter()
        .map(|backend| backend.name())
        .filter(|name| codebook_codegen::runtime_dir().join(name).is_dir())
        .collect()
}

/// Does `text` name `language` as a word (`Go`, not `good`)?
fn names_language(text: &str, language: &str) -> bool {
    text.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word == language)
}

/// The doc comments of a source file, each as its first line number and its lines.
fn doc_blocks(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut blocks: Vec<(usize, Vec<String>)> = Vec::new();
    let mut open = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(doc) = trimmed.strip_prefix("///") {
            if !open {
                blocks.push((index + 1, Vec::new()));
                open = true;
            }
            blocks.last_mut().expect("opened").1.push(doc.trim().to_string());
        } else if !trimmed.starts_with("#[") {
            open = false;
        }
    }
    blocks
}

/// Help texts that list languages of the bindings but not all of them.
fn help_gaps(text: &str, languages: &[&str]) -> Vec<String> {
    doc_blocks(text)
        .into_iter()
        .filter_map(|(line, block)| {
            let help = block.join(" ");
            let named: Vec<&str> =
                languages.iter().copied().filter(|language| names_language(&help, language)).collect();
            let missing: Vec<&str> = languages.iter().copied().filter(|language| !named.contains(language)).collect();
            (help.to_lowercase().contains("binding") && named.len() >= 2 && !missing.is_empty())
                .then(|| format!("line {line}: names {} but not {}", named.join(", "), missing.join(", ")))
        })
        .collect()
}

#[test]
fn help_texts_name_every_backend_they_list() {
    let root = workspace::root();
    let languages = binding_languages();
    assert!(languages.len() >= 4, "found only {languages:?}");
    let mut problems = Vec::new();
    for path in ["xtask/src/main.rs", "crates/codebook-cli/src/main.rs"] {
        let text = std::fs::read_to_string(root.join(path)).expect(path);
        problems.extend(help_gaps(&text, &languages).into_iter().map(|gap| format!("{path}: {gap}")));
    }
    assert!(problems.is_empty(), "help texts that leave out a binding:\n{}", problems.join("\n"));
}

#[test]
fn the_help_check_finds_a_missing_language() {
    let languages = ["typescript", "go", "python", "java"];
    let text = "/// Check the bindings in the TypeScript and Go toolchains.\nTestBindings,\n/// Herd on Go and TypeScript.\nHerd,";
    assert_eq!(help_gaps(text, &languages), ["line 1: names typescript, go but not python, java"]);
}

/// Lines worth comparing: prose of some length, not a code line or a heading of a doc section.
fn comparable(line: &str) -> bool {
    line.len() >= 24 && !line.starts_with("```") && !line.starts_with('#') && !line.starts_with("assert")
}

/// The prose of a doc comment, without its fenced examples.
fn without_code(block: Vec<String>) -> Vec<String> {
    let mut in_code = false;
    block
        .into_iter()
        .filter(|line| {
            if line.starts_with("```") {
                in_code = !in_code;
                return false;
            }
            !in_code
        })
        .collect()
}

/// A doc comment that says one thing twice, or two neighbouring items with the same doc line.
fn doc_repeats(text: &str) -> Vec<String> {
    let blocks: Vec<(usize, Vec<String>)> =
        doc_blocks(text).into_iter().map(|(line, block)| (line, without_code(block))).collect();
    let mut problems = Vec::new();
    for (line, block) in &blocks {
        let openings: Vec<String> = block
            .iter()
            .filter(|doc| comparable(doc))
            .map(|doc| doc.split_whitespace().take(5).collect::<Vec<_>>().join(" "))
            .collect();
        for (index, opening) in openings.iter().enumerate() {
            if openings[..index].contains(opening) {
                problems.push(format!("line {line}: the doc comment says `{opening} ...` twice"));
            }
        }
    }
    for pair in blocks.windows(2) {
        let ((_, first), (line, second)) = (&pair[0], &pair[1]);
        if let Some(repeated) = second.iter().find(|doc| comparable(doc) && first.contains(doc)) {
            problems.push(format!("line {line}: the same doc line as the item before: `{repeated}`"));
        }
    }
    problems
}

#[test]
fn no_doc_line_is_copied_onto_a_neighbour() {
    let root = workspace::root();
    let mut problems = Vec::new();
    for (_, path) in tracked_files() {
        if !path.ends_with(".rs") || !is_hand_written(&path) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&path)) else { continue };
        problems.extend(doc_repeats(&text).into_iter().map(|problem| format!("{path}: {problem}")));
    }
    assert!(problems.is_empty(), "copied doc lines:\n{}", problems.join("\n"));
}

#[test]
fn the_doc_check_finds_a_pasted_line() {
    let pasted = "/// The spelling used in `codes.yaml` and every binding.\n/// The spelling used in `codes.yaml` (`full`, `none`).\nfn as_str() {}";
    assert_eq!(doc_repeats(pasted).len(), 1);
    let neighbours = "/// Writes the registry to the out directory.\nfn a() {}\n/// Writes the registry to the out directory.\nfn b() {}";
    assert_eq!(doc_repeats(neighbours).len(), 1);
    assert!(doc_repeats("/// One thing said here.\nfn a() {}\n/// Another thing said there.\nfn b() {}").is_empty());
}

/// A source file's module path inside its crate (`["herd", "report"]`; the root is `[]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("below src").with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The code of a file that the crate builds outside tests: comments, and inline test modules,
/// left out. Each line comes with the inline module it sits in, if any (where `super::` means the
/// file itself).
fn code_lines(text: &str) -> Vec<(bool, String)> {
    let mut lines = Vec::new();
    // (depth the inline module opened at, is it a test module)
    let mut inline: Vec<(i32, bool)> = Vec::new();
    let mut depth = 0i32;
    let mut test_attribute = false;
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap_or_default();
        let trimmed = line.trim();
        let opens_module =
            (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ") || trimmed.starts_with("pub(crate) mod "))
                && trimmed.ends_with('{');
        if opens_module {
            inline.push((depth, test_attribute));
        }
        test_attribute = trimmed == "#[cfg(test)]" || (test_attribute && trimmed.starts_with("#["));
        let in_test = inline.iter().any(|(_, test)| *test);
        if !in_test && !opens_module {
            lines.push((!inline.is_empty(), line.to_string()));
        }
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        while inline.last().is_some_and(|(opened, _)| depth <= *opened) {
            inline.pop();
        }
    }
    lines
}

/// The other files of its crate a file uses: `crate::a::b`, `super::x`, and its own submodules.
fn file_imports(module: &[String], text: &str, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let longest_module = |path: Vec<String>, floor: usize| -> Option<Vec<String>> {
        (floor..=path.len()).rev().map(|length| path[..length].to_vec()).find(|prefix| modules.contains(prefix))
    };
    let mut imports = BTreeSet::new();
    for (in_inline_module, line) in code_lines(text) {
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .filter(|word| word.contains("::"))
            .collect();
        for word in words {
            let parts: Vec<String> = word.split("::").filter(|part| !part.is_empty()).map(String::from).collect();
            let target = match parts.first().map(String::as_str) {
                Some("crate") => longest_module(parts[1..].to_vec(), 1),
                Some("super") if !in_inline_module => {
                    let ups = parts.iter().take_while(|part| *part == "super").count();
                    let base = &module[..module.len().saturating_sub(ups)];
                    let path = [base, &parts[ups..]].concat();
                    longest_module(path, base.len()).or_else(|| Some(base.to_vec()))
                }
                Some(child) if word.starts_with(child) => {
                    let path = [module, &[child.to_string()]].concat();
                    modules.contains(&path).then_some(path)
                }
                _ => None,
            };
            if let Some(target) = target.filter(|target| target.as_slice() != module) {
                imports.insert(target);
            }
        }
    }
    imports
}

/// Circles of imports between the files of one crate (`src/`), each as the files it passes through.
fn import_circles(src: &Path) -> Vec<Vec<String>> {
    let mut files = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    let modules: BTreeSet<Vec<String>> = files.iter().map(|file| module_path(src, file)).collect();
    let graph: Vec<(Vec<String>, BTreeSet<Vec<String>>)> = files
        .iter()
        .map(|file| {
            let module = module_path(src, file);
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let imports = file_imports(&module, &text, &modules);
            (module, imports)
        })
        .collect();
    // A file is on a circle when it can reach itself; report each circle once, by its members.
    let reach = |from: &Vec<String>| -> BTreeSet<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<String>> = vec![from.clone()];
        while let Some(module) = stack.pop() {
            for (_, imports) in graph.iter().filter(|(name, _)| *name == module) {
                for next in imports {
                    if seen.insert(next.clone()) {
                        stack.push(next.clone());
                    }
                }
            }
        }
        seen
    };
    let reachable: Vec<(Vec<String>, BTreeSet<Vec<String>>)> =
        graph.iter().map(|(module, _)| (module.clone(), reach(module))).collect();
    let mut circles: BTreeSet<Vec<String>> = BTreeSet::new();
    for (module, reaches) in &reachable {
        if reaches.contains(module) {
            let members: Vec<String> = reachable
                .iter()
                .filter(|(other, other_reaches)| reaches.contains(other) && other_reaches.contains(module))
                .map(|(other, _)| if other.is_empty() { "(crate root)".to_string() } else { other.join("/") })
                .collect();
            circles.insert(members);
        }
    }
    circles.into_iter().map(|members| members.into_iter().collect()).collect()
}

#[test]
fn no_file_imports_itself_through_others() {
    let root = workspace::root();
    let mut problems = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("crates/").flatten().map(|entry| entry.path());
    for dir in crates.chain([root.join("xtask"), root.join("site")]) {
        let src = dir.join("src");
        for circle in import_circles(&src) {
            problems.push(format!("{}: {}", dir.strip_prefix(&root).unwrap_or(&dir).display(), circle.join(" <-> ")));
        }
    }
    assert!(problems.is_empty(), "files that import each other (directly or through others):\n{}", problems.join("\n"));
}

#[test]
fn the_circle_check_finds_a_parent_and_child_that_import_each_other() {
    let modules: BTreeSet<Vec<String>> =
        [vec![], vec!["herd".to_string()], vec!["herd".to_string(), "report".to_string()]].into();
    let herd = ["herd".to_string()];
    let report = ["herd".to_string(), "report".to_string()];
    let parent = "use report::write;\nfn run() { report::write(); }\n";
    let child = "use super::Options;\npub mod filters {\n    fn f() { super::escape(); }\n}\n";
    assert_eq!(file_imports(&herd, parent, &modules), [report.to_vec()].into());
    assert_eq!(file_imports(&report, child, &modules), [herd.to_vec()].into());
    let test_only = "#[cfg(test)]\nmod tests {\n    use crate::herd::Options;\n}\n";
    assert!(file_imports(&report, test_only, &modules).is_empty());
}
