//! The library behind `codebook`, the command for any registry: each subcommand is one module
//! here, so `cargo xtask` (the repository's own automation) calls the same code the binary runs.

pub mod breaking;
pub mod generate;
pub mod release;
