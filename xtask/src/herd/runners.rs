//! The external programs that run the simulation through the TypeScript and Go runtimes and
//! centrifuge-js's own backoff, built once per run, and the runtimes a scenario is run on.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::simulation::{RunResult, Scenario, simulate_rust};
use crate::command::{Step, run_step};

/// The external programs, built once.
pub struct Programs {
    root: PathBuf,
    go_binary: PathBuf,
}

impl Programs {
    pub fn prepare(root: &Path, out: &Path) -> anyhow::Result<Programs> {
        let typescript = root.join("bindings/typescript");
        if !typescript.join("node_modules").exists() {
            run_step("npm", &["ci", "--no-audit", "--no-fund"], &typescript)?;
        }
        let tsc = typescript.join("node_modules/.bin/tsc");
        run_step(tsc.to_str().context("UTF-8 path")?, &["-p", "tsconfig.json"], &typescript)?;
        let herd = root.join("xtask/herd");
        run_step("npm", &["ci", "--no-audit", "--no-fund"], &herd)?;
        Ok(Programs { root: root.to_path_buf(), go_binary: build_go(root, out)? })
    }

    /// The Go program built for the smoke run (the TypeScript binding is built by then).
    pub fn prepare_without_anchor(root: &Path, out: &Path) -> anyhow::Result<Programs> {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        Ok(Programs { root: root.to_path_buf(), go_binary: build_go(root, out)? })
    }

    pub fn run(&self, runtime: Runtime, scenario: &Scenario) -> anyhow::Result<RunResult> {
        let json = serde_json::to_string(scenario)?;
        let output = match runtime {
            Runtime::Rust => return simulate_rust(scenario, false),
            Runtime::RustBeforeFix => return simulate_rust(scenario, true),
            Runtime::TypeScript | Runtime::CentrifugeJs => {
                let mut value: serde_json::Value = serde_json::from_str(&json)?;
                value["policy"] = (if runtime == Runtime::CentrifugeJs { "centrifuge-js" } else { "binding" }).into();
                let dist = self.root.join("bindings/typescript/dist/index.js");
                Step::new("node").arg(self.root.join("xtask/herd/herd.mjs")).arg(dist).arg(value.to_string()).quiet()?
            }
            Runtime::Go => Step::new(&self.go_binary).arg(&json).quiet()?,
        };
        serde_json::from_str(&output).with_context(|| format!("the {} herd run wrote bad JSON", runtime.label()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Runtime {
    Rust,
    TypeScript,
    Go,
    CentrifugeJs,
    RustBeforeFix,
}

impl Runtime {
    pub fn label(self) -> &'static str {
        match self {
            Runtime::Rust => "Rust (random_u32)",
            Runtime::TypeScript => "TypeScript (randomU32)",
            Runtime::Go => "Go (RandomUint32)",
            Runtime::CentrifugeJs => "anchor: centrifuge-js 5.7.4",
            Runtime::RustBeforeFix => "before the fix (attempt 0 unjittered)",
        }
    }
}

/// The Go herd program, built into `out`.
fn build_go(root: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let go_binary = out.join("herd-go");
    Step::go().args(["build", "-mod=mod", "-o"]).arg(&go_binary).arg(".").dir(root.join("xtask/herd/go")).run()?;
    Ok(go_binary)
}
