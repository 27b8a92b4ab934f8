//! Arbitrary bytes as a registry: the loader never panics, and whatever it accepts is coherent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match codebook_model::load_str("codes.yaml", text) {
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
