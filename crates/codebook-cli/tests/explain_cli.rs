//! `codebook explain` as a user runs it: the binary, its exit statuses, its JSON and its text on
//! the shipped registry and on a registry that is not Centrifugo's.

use std::path::PathBuf;
use std::process::{Command, Output};

fn codebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codebook")).args(args).env_remove("NO_COLOR").output().unwrap()
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../codebook-codegen/tests/fixtures")
        .join(name)
        .join("codes.yaml");
    path.display().to_string()
}

#[test]
fn a_registered_code_exits_zero_and_a_pipe_gets_no_colour() {
    let output = codebook(&["explain", "centrifugo-disconnect/3500"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("3500 InvalidToken in centrifugo-disconnect"), "{text}");
    assert!(!text.contains('\u{1b}'), "stdout is a pipe here: no escape sequences");
    let forced = codebook(&["explain", "--color", "always", "3500"]);
    assert!(String::from_utf8(forced.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn an_unregistered_number_exits_one_with_every_family_range() {
    let output = codebook(&["explain", "--json", "4321"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["found"], false);
    let answers = json["answers"].as_array().unwrap();
    assert!(answers.len() > 1);
    assert!(answers.iter().all(|answer| answer["registered"] == false && answer["range"].is_string()));
}

#[test]
fn a_bad_query_or_registry_exits_two() {
    assert_eq!(codebook(&["explain", "99999"]).status.code(), Some(2));
    assert_eq!(codebook(&["explain", "no-such-family/1"]).status.code(), Some(2));
    let output = codebook(&["explain", "--codes", "/nonexistent/codes.yaml", "1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!output.stderr.is_empty());
}

#[test]
fn a_foreign_registry_is_explained_from_its_own_data() {
    let codes = fixture("close_family_with_ranges_and_retired");
    let output = codebook(&["explain", "--codes", &codes, "--json", "Banned"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let answer = &json["answers"][0];
    assert_eq!(answer["family"], "chat-close");
    assert_eq!(answer["number"], 4001);
    let text = String::from_utf8(codebook(&["explain", "--codes", &codes, "4001"]).stdout).unwrap();
    assert!(!text.to_lowercase().contains("centrifugo"), "nothing of the shipped registry: {text}");
}

#[test]
fn hostile_text_reaches_the_terminal_escaped() {
    let codes = fixture("text_needing_escapes");
    let output = codebook(&["explain", "--codes", &codes, "--color", "never", "Quoted"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("say \"hi\""), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "no control character is printed raw: {text:?}");
}
