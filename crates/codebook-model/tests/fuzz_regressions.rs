//! Inputs the fuzz targets (`fuzz/`) found interesting or that once broke something, replayed as
//! ordinary tests: the loader must not panic, must render any error, and whatever it accepts must
//! satisfy `check_invariants`. Add a crash artifact here as `<what-it-broke>.yaml` after fixing it.
//! Every file is read as bytes and loaded the way a file is (`load_bytes`), as the byte-level target
//! does: an input that is not UTF-8 is replayed too, never skipped.

use std::path::Path;

#[test]
fn every_fuzz_regression_input_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        count += 1;
        match codebook_model::load_bytes("codes.yaml", &bytes) {
            Ok(registry) => {
                if let Err(broken) = codebook_model::check_invariants(&registry) {
                    panic!("{}: accepted an incoherent registry: {broken}", path.display());
                }
            }
            Err(error) => assert!(!error.render().is_empty()),
        }
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn an_input_that_is_not_utf8_is_replayed_and_refused_with_its_location() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let bytes = std::fs::read(dir.join("not_utf8.yaml")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the corpus must keep an input that is not UTF-8");
    let error = codebook_model::load_bytes("codes.yaml", &bytes).unwrap_err();
    assert!(error.render().contains("codes.yaml:2:9: the registry is not valid UTF-8"), "{}", error.render());
}

#[test]
fn the_shipped_registry_satisfies_every_invariant() {
    let registry = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap();
    codebook_model::check_invariants(&registry).unwrap();
}
