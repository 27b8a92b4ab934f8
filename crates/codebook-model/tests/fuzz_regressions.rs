//! Inputs the fuzz targets (`fuzz/`) found interesting or that once broke something, replayed as
//! ordinary tests: the loader must not panic, must render any error, and whatever it accepts must
//! satisfy `check_invariants`. Add a crash artifact here as `<what-it-broke>.yaml` after fixing it.

use std::path::Path;

#[test]
fn every_fuzz_regression_input_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes) else { continue };
        count += 1;
        match codebook_model::load_str("codes.yaml", &text) {
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
fn the_shipped_registry_satisfies_every_invariant() {
    let registry = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap();
    codebook_model::check_invariants(&registry).unwrap();
}
