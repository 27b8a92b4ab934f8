//! Refusals that must cost little: files that are not regular or are too big are refused before
//! they are read, and an error on a huge line prints a snippet of fixed width.

use std::path::Path;

fn refusal(path: &Path) -> String {
    codebook_model::load_path(path).unwrap_err().messages().join("\n")
}

#[test]
fn a_device_is_refused_without_reading_it() {
    let message = refusal(Path::new("/dev/zero"));
    assert!(message.contains("not a regular file (a device)"), "{message}");
}

#[test]
fn a_fifo_is_refused_without_opening_it() {
    let dir = std::env::temp_dir().join(format!("codebook-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("codes.yaml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // Opening a FIFO for reading blocks until a writer appears: this returns only if it is not opened.
    let message = refusal(&fifo);
    std::fs::remove_dir_all(&dir).ok();
    assert!(message.contains("not a regular file (a FIFO)"), "{message}");
}

#[test]
fn a_file_over_the_limit_is_refused_by_its_size_before_reading() {
    let dir = std::env::temp_dir().join(format!("codebook-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let huge = dir.join("codes.yaml");
    // Sparse: 5 GB that take no disk space; reading it whole would need 5 GB of memory.
    std::fs::File::create(&huge).unwrap().set_len(5 << 30).unwrap();
    let message = refusal(&huge);
    std::fs::remove_dir_all(&dir).ok();
    assert!(message.contains(&format!("is {} bytes; the limit is", 5u64 << 30)), "{message}");
}

#[test]
fn a_snippet_of_a_huge_line_has_a_fixed_width() {
    let line = format!("families: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let rendered = codebook_model::load_str("codes.yaml", &line).unwrap_err().render();
    assert!(rendered.len() < 2_000, "{} bytes of error for one problem", rendered.len());
    assert!(rendered.starts_with("codes.yaml:1:"), "{rendered}");
}

/// An error family registering `count` numbers from 0, each code with `causes` causes.
fn generated_family(count: usize, causes: usize) -> String {
    let mut text = String::from(
        "families:\n  - id: large\n    title: Large\n    kind: error\n    description: Many codes.\n    fallback: {label: anything else, temporary: false}\n    codes:\n",
    );
    let causes = vec!["a cause"; causes].join(", ");
    for number in 0..count {
        text.push_str(&format!(
            "      - {{code: {number}, name: Code{number}, message: code {number}, description: Number {number}., causes: [{causes}]}}\n"
        ));
    }
    text
}

/// Refused while parsing, at the first code over the cap: a family of all 65,536 numbers costs
/// the parse of 4,001 codes (`cargo xtask bench-scale` measures it).
#[test]
fn a_family_every_target_cannot_compile_is_refused_at_its_first_code_over_the_cap() {
    let cap = codebook_model::MAX_CODES_PER_FAMILY;
    assert!(codebook_model::load_str("codes.yaml", &generated_family(cap, 1)).is_ok());
    for count in [cap + 1, 65_536] {
        let messages = codebook_model::load_str("codes.yaml", &generated_family(count, 1)).unwrap_err().messages();
        assert_eq!(
            messages,
            [format!(
                "codes.yaml:{}:16: this family has more than 4000 codes; a family holds at most 4000 (a Java enum cannot hold many more constants), so split it into several families",
                8 + cap
            )]
        );
    }
}

#[test]
fn a_code_with_thousands_of_causes_is_refused_at_the_first() {
    let messages = codebook_model::load_str("codes.yaml", &generated_family(1, 10_000)).unwrap_err().messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("codes.yaml:8:")
            && messages[0].ends_with("`causes` of code 0 has 10000 entries; at most 100")
    );
}
