//! `cargo xtask bench-gen`: how long `gen` takes for all targets compared with loading and
//! validating the same registry alone, measured in one run so the ratio is fair.
//!
//! Three timings, each the median of `runs` repetitions after one warm-up:
//! - `load`: `codebook_model::load_path` (read, parse, validate);
//! - `gen in memory`: load, then every backend's output as strings;
//! - `gen to disk`: the whole `cargo xtask gen` path into an empty directory (load, render,
//!   compare, atomic writes);
//! - then each backend alone (render only, on the loaded registry).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;

use codebook_codegen as codegen;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut action: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<Duration> {
    action()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        std::hint::black_box(action()?);
        samples.push(start.elapsed());
    }
    Ok(median(samples))
}

pub fn run(codes: &Path, runs: usize) -> anyhow::Result<()> {
    let registry = codebook_model::load_path(codes).map_err(|error| anyhow::anyhow!("{}", error.render()))?;
    let scratch = std::env::temp_dir().join(format!("codebook-bench-gen-{}", std::process::id()));

    let load = time(runs, || codebook_model::load_path(codes).map_err(|error| anyhow::anyhow!("{error}")))?;
    let in_memory = time(runs, || {
        let (registry, provenance) = codegen::load(codes)?;
        Ok(codegen::generate_all(&registry, &provenance).values().map(String::len).sum::<usize>())
    })?;
    let to_disk = time(runs, || {
        let _ = std::fs::remove_dir_all(&scratch);
        codegen::ensure_bindings(codes, &scratch, codegen::Mode::Write)
    })?;
    let (registry_again, provenance) = codegen::load(codes)?;
    let files = codegen::generate_all(&registry_again, &provenance);
    let bytes: usize = files.values().map(String::len).sum();
    std::fs::remove_dir_all(&scratch).with_context(|| format!("cannot remove {}", scratch.display()))?;

    let ratio = |duration: Duration| duration.as_secs_f64() / load.as_secs_f64();
    println!(
        "registry: {} ({} codes in {} families); output: {} files, {} bytes; median of {runs} runs",
        codes.display(),
        registry.code_count(),
        registry.families.len(),
        files.len(),
        bytes
    );
    println!("load + validate      {:>9.1} ms   1.00x", load.as_secs_f64() * 1e3);
    println!("gen, in memory       {:>9.1} ms   {:.2}x load", in_memory.as_secs_f64() * 1e3, ratio(in_memory));
    println!("gen, written to disk {:>9.1} ms   {:.2}x load", to_disk.as_secs_f64() * 1e3, ratio(to_disk));
    // Each backend alone on the loaded registry, so a change to one target shows as its own line.
    for backend in codegen::backends() {
        let alone = time(runs, || {
            Ok(backend.generate(&registry_again, &provenance).iter().map(|file| file.contents.len()).sum::<usize>())
        })?;
        println!("  {:<18} {:>9.1} ms   {:.2}x load", backend.name(), alone.as_secs_f64() * 1e3, ratio(alone));
    }
    Ok(())
}
