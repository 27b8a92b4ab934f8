//! No hostile text becomes code: the Java and Python generated from the hostile fixture are
//! lexed the way javac and CPython read them, and every word that only the fixture's text holds
//! must sit inside a string literal or a comment. (That the text also survives byte for byte is
//! what the bindings' own vector tests check when `cargo xtask test` runs them on this fixture.)

use std::path::PathBuf;

use super::{java::Java, load, python::Python};
use crate::backend::Backend;

/// Words that appear in the hostile fixture's text and nowhere in the generators' own code.
const MARKERS: &[&str] =
    &["injected", "injection", "alert", "evil", "BULLET", "hasOwnProperty", "backticks", "docstrings", "heading"];

fn hostile_files(backend: &dyn Backend) -> Vec<(String, String)> {
    let codes = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/codes.yaml");
    let (registry, provenance) = load(&codes).unwrap();
    backend.generate(&registry, &provenance).into_iter().map(|file| (file.path, file.contents)).collect()
}

/// What javac sees after its first step: every `\uXXXX` (with any number of `u`s) whose backslash
/// is preceded by an even number of backslashes becomes its character.
fn java_unicode_escapes(source: &str) -> Result<String, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut index = 0;
    let mut backslashes_before = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '\\' && backslashes_before % 2 == 0 && chars.get(index + 1) == Some(&'u') {
            let mut next = index + 1;
            while chars.get(next) == Some(&'u') {
                next += 1;
            }
            let hex: String = chars.get(next..next + 4).ok_or("a cut unicode escape")?.iter().collect();
            let unit = u32::from_str_radix(&hex, 16).map_err(|_| format!("a bad unicode escape \\u{hex}"))?;
            out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
            index = next + 4;
            backslashes_before = 0;
            continue;
        }
        backslashes_before = if c == '\\' { backslashes_before + 1 } else { 0 };
        out.push(c);
        index += 1;
    }
    Ok(out)
}

/// The Java source with string and character literals and comments removed (each replaced by a
/// space), or why it does not lex.
fn java_code(source: &str) -> Result<String, String> {
    let chars: Vec<char> = java_unicode_escapes(source)?.chars().collect();
    let mut code = String::new();
    let mut index = 0;
    while index < chars.len() {
        match (chars[index], chars.get(index + 1)) {
            ('/', Some('/')) => {
                while index < chars.len() && chars[index] != '\n' && chars[index] != '\r' {
                    index += 1;
                }
                code.push(' ');
            }
            ('/', Some('*')) => {
                index += 2;
                loop {
                    match (chars.get(index), chars.get(index + 1)) {
                        (Some('*'), Some('/')) => break,
                        (Some(_), _) => index += 1,
                        (None, _) => return Err("an unterminated comment".into()),
                    }
                }
                index += 2;
                code.push(' ');
            }
            (quote @ ('"' | '\''), _) => {
                index += 1;
                loop {
                    match chars.get(index) {
                        Some('\\') => index += 2,
                        Some(c) if *c == quote => break,
                        Some('\n' | '\r') | None => return Err(format!("an unterminated literal near {}", code.len())),
                        Some(_) => index += 1,
                    }
                }
                index += 1;
                code.push(' ');
            }
            (c, _) => {
                code.push(c);
                index += 1;
            }
        }
    }
    Ok(code)
}

/// The Python source with string literals (single, double, triple-quoted) and comments removed.
fn python_code(source: &str) -> Result<String, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut code = String::new();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '#' {
            while index < chars.len() && chars[index] != '\n' && chars[index] != '\r' {
                index += 1;
            }
            code.push(' ');
        } else if c == '"' || c == '\'' {
            let triple = chars.get(index + 1) == Some(&c) && chars.get(index + 2) == Some(&c);
            index += if triple { 3 } else { 1 };
            loop {
                match chars.get(index) {
                    Some('\\') => index += 2,
                    Some(q)
                        if *q == c
                            && (!triple || (chars.get(index + 1) == Some(&c) && chars.get(index + 2) == Some(&c))) =>
                    {
                        break;
                    }
                    Some('\n' | '\r') if !triple => return Err(format!("an unterminated literal near {}", code.len())),
                    None => return Err("an unterminated literal at the end".into()),
                    Some(_) => index += 1,
                }
            }
            index += if triple { 3 } else { 1 };
            code.push(' ');
        } else {
            code.push(c);
            index += 1;
        }
    }
    Ok(code)
}

fn assert_no_marker_in_code(language: &str, files: &[(String, String)], lex: fn(&str) -> Result<String, String>) {
    let mut checked = 0;
    for (path, contents) in files {
        let code = lex(contents).unwrap_or_else(|problem| panic!("{language} {path} does not lex: {problem}"));
        for marker in MARKERS {
            assert!(!code.contains(marker), "hostile text `{marker}` became {language} code in {path}:\n{code}");
        }
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn the_fixture_holds_every_marker() {
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/codes.yaml")).unwrap();
    for marker in MARKERS {
        assert!(text.contains(marker), "{marker}");
    }
}

#[test]
fn no_hostile_text_becomes_java_code() {
    let files: Vec<(String, String)> =
        hostile_files(&Java).into_iter().filter(|(path, _)| path.ends_with(".java")).collect();
    assert_no_marker_in_code("Java", &files, java_code);
}

#[test]
fn no_hostile_text_becomes_python_code() {
    let files: Vec<(String, String)> =
        hostile_files(&Python).into_iter().filter(|(path, _)| path.ends_with(".py")).collect();
    assert_no_marker_in_code("Python", &files, python_code);
}

#[test]
fn the_lexers_see_what_an_unescaped_text_would_do() {
    // A raw `\u000a` in a line comment ends it: the rest is code.
    assert!(java_code("// text \\u000a injected();\n").unwrap().contains("injected"));
    // `\u002a/` closes a block comment.
    assert!(java_code("/** text \\u002a/ injected(); /* */").unwrap().contains("injected"));
    // A doubled backslash is no escape.
    assert!(!java_code("// text \\\\u000a injected();\n").unwrap().contains("injected"));
    // A triple quote ends a docstring.
    assert!(python_code("\"\"\"text \"\"\" injected() \"\"\"x\"\"\"").unwrap().contains("injected"));
    assert!(!python_code("\"text \\\" injected()\"").unwrap().contains("injected"));
}
