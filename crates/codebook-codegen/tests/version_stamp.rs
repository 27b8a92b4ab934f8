//! Every package takes its version from `version:` in `codes.yaml`, and nowhere else.

use codebook_codegen::{Provenance, generate_all};

#[test]
fn every_package_carries_the_declared_version() {
    let text = codebook_model::EMBEDDED_CODES_YAML.replacen("\nversion: 0.1.0\n", "\nversion: 2.7.13\n", 1);
    assert_ne!(text, codebook_model::EMBEDDED_CODES_YAML, "the shipped registry declares `version: 0.1.0`");
    let registry = codebook_model::load_str("codes.yaml", &text).unwrap_or_else(|error| panic!("{error}"));
    let files = generate_all(&registry, &Provenance::of("codes.yaml", text.as_bytes()));
    let file = |path: &str| files.get(path).unwrap_or_else(|| panic!("{path} not generated"));
    assert!(file("typescript/package.json").contains("\n  \"version\": \"2.7.13\",\n"));
    assert!(file("python/pyproject.toml").contains("\nversion = \"2.7.13\"\n"));
    assert!(file("java/pom.xml").contains("\n  <version>2.7.13</version>\n"));
    // Go wants the major version in the module path from v2 on; the directory stays.
    assert!(file("go/codebook/go.mod").contains("\nmodule github.com/codebook-dev/codebook/bindings/go/codebook/v2\n"));
    let readme = file("README.md");
    assert!(readme.contains("go get github.com/codebook-dev/codebook/bindings/go/codebook/v2@v2.7.13"), "{readme}");
    assert!(readme.contains("codebook-codes-2.7.13.tgz"));
    // The JSON Schema documents the default, 0.1.0; nothing else may name a version of its own.
    let stale: Vec<&String> = files
        .iter()
        .filter(|(path, text)| *path != "codes.schema.json" && text.contains("0.1.0"))
        .map(|(path, _)| path)
        .collect();
    assert!(stale.is_empty(), "files still naming 0.1.0: {stale:?}");
}
