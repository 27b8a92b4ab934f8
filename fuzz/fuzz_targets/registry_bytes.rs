//! Arbitrary bytes as a registry: the loader never panics, and whatever it accepts is coherent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Read as a file is read: bytes that are not UTF-8 are a located error, not a skip.
    match codebook_model::load_bytes("codes.yaml", data) {
        Ok(registry) => {
            if let Err(broken) = codebook_model::check_invariants(&registry) {
                panic!("accepted an incoherent registry: {broken}");
            }
        }
        Err(error) => {
            // Rendering must not panic either, whatever the location.
            let _ = error.render();
        }
    }
});
