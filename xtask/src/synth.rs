//! `cargo xtask synth`: a synthetic but valid registry of any size, for the generation benchmark.
//!
//! Codes are spread over families of at most 1,000 codes, alternating close and error families,
//! with range rules, retired numbers and multi-line descriptions, so every backend does the work
//! it does for the real registry. The text is deterministic: the same count gives the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

/// Codes per family; a close family registers them in 4000-4999.
const CODES_PER_FAMILY: usize = 1_000;

/// The YAML text of a registry with `count` codes.
pub fn registry_text(count: usize) -> String {
    let mut out = String::from("# Synthetic registry written by `cargo xtask synth`.\nfamilies:\n");
    let families = count.div_ceil(CODES_PER_FAMILY).max(1);
    for index in 0..families {
        let in_family = (count - index * CODES_PER_FAMILY).min(CODES_PER_FAMILY);
        family_text(&mut out, index, in_family);
    }
    out
}

fn family_text(out: &mut String, index: usize, count: usize) {
    let close = index.is_multiple_of(2);
    let _ = write!(
        out,
        "  - id: synthetic-{index}\n    title: Synthetic family {index}\n    kind: {kind}\n    description: |\n      \
         Synthetic family number {index}, written for benchmarks.\n      It has {count} codes.\n",
        kind = if close { "websocket_close" } else { "error" }
    );
    let (first_code, field) = if close { (4000, "reconnect") } else { (1000, "temporary") };
    if close {
        out.push_str(
            "    ranges:\n      - from: 1000\n        to: 2999\n        scope: protocol\n        label: Protocol codes\n        reconnect: true\n      \
             - from: 3000\n        to: 3999\n        scope: registered\n        label: Registered codes\n        reconnect: true\n      \
             - from: 4000\n        to: 4999\n        scope: private\n        label: Private codes\n        reconnect: false\n    \
             fallback:\n      label: Not a close code\n      reconnect: false\n",
        );
    } else {
        out.push_str(
            "    ranges:\n      - from: 0\n        to: 999\n        scope: server\n        label: Server errors\n        temporary: false\n      \
             - from: 1000\n        to: 19999\n        scope: application\n        label: Application errors\n        temporary: true\n    \
             fallback:\n      label: Unassigned error\n      temporary: false\n",
        );
    }
    let _ =
        write!(out, "    retired:\n      - code: {}\n        note: Retired in a synthetic past\n", first_code + count);
    out.push_str("    codes:\n");
    for offset in 0..count {
        let number = first_code + offset;
        // Every tenth code deviates from its range, as real registries do.
        let deviates = offset % 10 == 9;
        let range_flag = !close;
        let flag = if deviates { !range_flag } else { range_flag };
        let _ = write!(
            out,
            "      - code: {number}\n        name: Synthetic{index}Code{offset}\n        message: synthetic {index} code {offset}\n        \
             {field}: {flag}\n"
        );
        if deviates {
            out.push_str("        range_override: Synthetic deviation from the range\n");
        }
        let _ = write!(
            out,
            "        description: |\n          Synthetic code {offset} of family {index}, with `markdown` and a <tag>.\n          \
             A second line | with a pipe.\n        causes:\n          - First synthetic cause of {offset}\n          \
             - Second synthetic cause\n"
        );
    }
}

/// `cargo xtask synth --count N --out PATH`.
pub fn write_registry(count: usize, out: &Path) -> anyhow::Result<()> {
    let text = registry_text(count);
    std::fs::write(out, &text).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} codes ({} bytes) to {}", count, text.len(), out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_registry_is_valid_and_has_the_asked_count() {
        for count in [1, 999, 2_500] {
            let registry = codebook_model::load_str("synth.yaml", &registry_text(count)).unwrap();
            assert_eq!(registry.code_count(), count);
        }
    }
}
