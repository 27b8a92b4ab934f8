//! The portal's socket-level tests, run by `cargo xtask test` after the Rust tests: the browser
//! search (`site/assets/search.js`) against the shared ranking cases in Node, then one headless
//! Chromium session (through chromedriver) over the live portal and its static export, served both
//! by a plain static file server and by nginx with the deployment snippet README recommends
//! (`site/deploy/nginx-export.conf`, precompressed files, brotli where the module is installed).
//! Then `xtask/tests/browser/audit.mjs` (pinned Lighthouse, puppeteer-core and axe-core from its
//! `package-lock.json`, driving the same Debian Chromium through `CHROME_PATH`): axe at 390 and
//! 1280 px in both colour schemes, every table cell on screen at 390 px, the printed pages (print
//! media at A4's width: every table cell within the page, no control printed), Lighthouse's mobile and
//! desktop presets on five pages, and the export's 404 page classifying an unregistered number
//! behind nginx. Everything binds 127.0.0.1 on free ports.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use codebook_codegen::Backend as _;

use crate::command::{Step, run_step};
use crate::process::{self, Running, free_port, wait_for_port};
use crate::workspace;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const NGINX: &str = "/usr/sbin/nginx";
const NGINX_BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// Writes an nginx configuration serving `export` on 127.0.0.1:`port` with its pid file, logs and
/// temp directories under `prefix`, from `site/deploy/nginx-local.conf.template`.
pub fn nginx_config(root: &Path, prefix: &Path, export: &Path, port: u16) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(prefix)?;
    let template = std::fs::read_to_string(root.join("site/deploy/nginx-local.conf.template"))?;
    let utf8 = |path: &Path| path.to_str().map(str::to_string).context("UTF-8 path");
    let brotli = Path::new(NGINX_BROTLI_STATIC).exists();
    let config = template
        .replace("@PREFIX@", &utf8(prefix)?)
        .replace("@PORT@", &port.to_string())
        .replace("@ROOT@", &utf8(export)?)
        .replace("@SNIPPET@", &utf8(&root.join("site/deploy/nginx-export.conf"))?)
        .replace("@LOAD_BROTLI@", &if brotli { format!("load_module {NGINX_BROTLI_STATIC};") } else { String::new() })
        .replace("@BROTLI_STATIC@", if brotli { "brotli_static on;" } else { "" });
    let path = prefix.join("nginx.conf");
    std::fs::write(&path, config)?;
    Ok(path)
}

fn search_index(export: &Path) -> anyhow::Result<PathBuf> {
    std::fs::read_dir(export.join("static"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        // (Not its .gz and .br siblings.)
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("search-index.") && n.ends_with(".json"))
        })
        .context("the export has no search index")
}

/// `cargo xtask test-examples`: [`check_snippets`] alone, in a scratch directory of its own.
pub fn check_examples() -> anyhow::Result<()> {
    let out = workspace::scratch("examples-check");
    let _ = std::fs::remove_dir_all(&out);
    check_snippets(&workspace::root(), &out)
}

/// Compiles every example the portal shows (the examples backend of `codebook-codegen`: each
/// code's Rust, TypeScript, Go, Python and Java snippet and each family's handling loop) and every
/// code example of the Markdown users read (`doc_examples`: README.md, the bindings' READMEs, the
/// generated pages) against the `codebook` crate and the generated bindings in `bindings/` (after
/// the bindings' own tests, which install the TypeScript compiler, build `dist/` and make the
/// Python environment with the wheel), then runs the Markdown's examples that can run.
fn check_snippets(root: &Path, out: &Path) -> anyhow::Result<()> {
    eprintln!("==> writing the examples backend's files into {}", out.display());
    let (registry, provenance) = codebook_codegen::load(&root.join("codes.yaml"))?;
    let files = codebook_codegen::examples::Examples
        .generate(&registry, &provenance)
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect();
    codebook_codegen::ensure_files(out, &files, codebook_codegen::Mode::Write)?;
    // The handling pages' reconnect and retry loops (`loop_*`) are compiled with the snippets.
    for (language, extension) in [("typescript", "ts"), ("go", "go"), ("python", "py"), ("java", "java")] {
        let loops = std::fs::read_dir(out.join(language))?
            .filter_map(Result::ok)
            .filter(|entry| {
                entry.file_name().to_str().is_some_and(|n| n.starts_with("loop_") && n.ends_with(extension))
            })
            .count();
        if loops == 0 {
            bail!("the examples backend wrote no {language} handling loop to compile");
        }
    }
    crate::test_suite::seeded_examples::check(&[out])?;
    let documented = crate::test_suite::doc_examples::write(root, &registry, out)?;
    let bindings = root.join("bindings");
    let typescript_index = bindings.join("typescript/src/index.ts");
    // The README's SDK examples import centrifuge-js: its pinned copy of the interop step.
    let interop_js = root.join("interop/js");
    if !interop_js.join("node_modules/centrifuge").is_dir() {
        run_step("npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"], &interop_js)?;
    }
    std::fs::write(
        out.join("typescript/tsconfig.json"),
        format!(
            r#"{{"compilerOptions": {{"target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": true,
  "noEmit": true, "lib": ["ES2022", "DOM"], "paths": {{{:?}: [{:?}], {:?}: [{:?}], "centrifuge": [{:?}]}}}}, "include": ["*.ts"]}}"#,
            registry.bindings.npm_package,
            typescript_index.to_str().context("UTF-8 path")?,
            format!("{}/*", registry.bindings.npm_package),
            bindings.join("typescript/src/*").to_str().context("UTF-8 path")?,
            interop_js.join("node_modules/centrifuge").to_str().context("UTF-8 path")?,
        ),
    )?;
    let tsc = bindings.join("typescript/node_modules/.bin/tsc");
    run_step(tsc.to_str().context("UTF-8 path")?, &["-p", "tsconfig.json"], &out.join("typescript"))?;
    std::fs::write(
        out.join("go/go.mod"),
        format!(
            "module codebook.local/portalsnippets\n\ngo 1.22\n\nrequire {module} v0.0.0\n\nreplace {module} => {}\n",
            bindings.join(codebook_codegen::go::module_dir(&registry.bindings)).to_str().context("UTF-8 path")?,
            module = registry.bindings.go_module,
        ),
    )?;
    run_step("go", &["vet", "-mod=mod", "./..."], &out.join("go"))?;
    check_python_and_java_snippets(root, out)?;
    check_rust_snippets(root, &out.join("rust"))?;
    let python = crate::test_suite::doc_examples::python_with_wheel_and_sdk()?;
    crate::test_suite::doc_examples::run(&registry, root, out, &documented, &python)
}

/// `mypy --strict` (at Python 3.9, the package's oldest) on the Python examples against
/// `bindings/python/src`, and `javac -Xlint:all -Werror` on the Java examples together with the
/// sources of `bindings/java`.
fn check_python_and_java_snippets(root: &Path, out: &Path) -> anyhow::Result<()> {
    let tools = crate::test_suite::python_java::python_tools(root)?;
    let source = root.join("bindings/python/src");
    crate::test_suite::python_java::run_in(
        &tools.join("mypy"),
        &["--strict", "--python-version", "3.9", "--cache-dir", "/dev/null", "."],
        &out.join("python"),
        &[("MYPYPATH", &source)],
    )?;
    // The Markdown's Python examples, in the environment with the installed wheel and
    // centrifuge-python (an example subclasses the SDK's event handler), at the running Python:
    // the SDK needs 3.10.
    let python = crate::test_suite::doc_examples::python_with_wheel_and_sdk()?;
    crate::test_suite::python_java::run_in(
        &tools.join("mypy"),
        &["--strict", "--cache-dir", "/dev/null", "--python-executable", python.to_str().context("UTF-8 path")?, "."],
        &out.join("python-docs"),
        &[],
    )?;
    let mut sources: Vec<String> = Vec::new();
    for dir in [root.join("bindings/java/src/main/java/dev/codebook/codes"), out.join("java")] {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|extension| extension == "java") {
                sources.push(path.to_str().context("UTF-8 path")?.to_string());
            }
        }
    }
    let classes = out.join("java-classes");
    let classes_text = classes.to_str().context("UTF-8 path")?.to_string();
    // centrifuge-java, which the Markdown's listener example extends, from the local Maven
    // repository the bindings step's SDK consumer filled.
    let sdk = crate::test_suite::doc_examples::centrifuge_java_jar()?;
    let sdk_text = sdk.to_str().context("UTF-8 path")?.to_string();
    let mut args: Vec<&str> =
        vec!["-d", &classes_text, "-cp", &sdk_text, "-Xlint:all", "-Werror", "-encoding", "UTF-8"];
    args.extend(sources.iter().map(String::as_str));
    Step::new("javac").args(&args).run().context("the portal's Java examples do not compile against bindings/java")
}

/// Compiles the Rust snippets against the `codebook` crate, as a small crate of one module per
/// snippet that expands the registry with `include_codes!` at its root, as an adopter's crate does. It reuses the workspace's lock file and target directory, so nothing is downloaded and
/// only the snippets themselves are compiled.
fn check_rust_snippets(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let mut modules: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(".rs").map(str::to_string))
        .filter(|stem| stem != "lib")
        .collect();
    modules.sort();
    if modules.is_empty() {
        bail!("the examples backend wrote no Rust example to compile");
    }
    let lib: String = modules.iter().map(|stem| format!("#[path = \"{stem}.rs\"]\nmod {stem};\n")).collect();
    // The snippets name `crate::<family>`, as in an adopter's crate that expands its registry.
    std::fs::write(
        dir.join("lib.rs"),
        format!(
            "#![deny(warnings)]\n#![allow(dead_code, non_snake_case)]\ncodebook::include_codes!(path = \"codes.yaml\");\n{lib}"
        ),
    )?;
    std::fs::copy(root.join("codes.yaml"), dir.join("codes.yaml"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"portal-snippets\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n# `shipped`: the README and Markdown blocks use the shipped enums as `codebook::<family>`;\n# the portal snippets use the registry this crate expands itself.\ncodebook = {{ path = {:?}, features = [\"shipped\"] }}\n\n[workspace]\n",
            root.join("crates/codebook").to_str().context("UTF-8 path")?
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Step::new("cargo")
        .args(["check", "--quiet", "--offline", "--lib"])
        .env("CARGO_TARGET_DIR", workspace::target_dir())
        .dir(dir)
        .run()
        .context("the portal's Rust snippets do not compile against the codebook crate")
}

pub fn run() -> anyhow::Result<()> {
    let root = workspace::root();
    // Debian's chromium and chromedriver (never a browser download), nginx and its brotli module.
    process::ensure_debian_packages(&[CHROMIUM, CHROMEDRIVER], &["chromium", "chromium-driver"])?;
    process::ensure_debian_packages(&[NGINX, NGINX_BROTLI_STATIC], &["nginx", "libnginx-mod-http-brotli-static"])?;
    run_step("cargo", &["build", "--quiet", "-p", "site"], &root)?;
    let site = workspace::scratch("debug/site");
    let scratch = std::env::temp_dir().join(format!("codebook-portal-tests-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    let export = scratch.join("export");
    let export_arg = export.to_str().context("UTF-8 temp path")?;
    run_step(site.to_str().context("UTF-8 target path")?, &["export", "--out", export_arg], &root)?;

    let index = search_index(&export)?;
    run_step("node", &["site/tests/search_cases.mjs", index.to_str().context("UTF-8 path")?], &root)?;
    check_snippets(&root, &scratch.join("snippets"))?;

    let portal_port = free_port()?;
    let portal =
        Running::start("site serve", Step::new(&site).args(["serve", "--addr", &format!("127.0.0.1:{portal_port}")]))?;
    let static_port = free_port()?;
    let mut static_server = Step::new("python3").args([
        "-m",
        "http.server",
        &static_port.to_string(),
        "--bind",
        "127.0.0.1",
        "--directory",
        export_arg,
    ]);
    static_server.command_mut().stderr(Stdio::null());
    let static_server = Running::start("python3 -m http.server", static_server)?;
    let nginx_port = free_port()?;
    let nginx_config = nginx_config(&root, &scratch.join("nginx"), &export, nginx_port)?;
    let nginx = Running::start(
        "nginx",
        Step::new(NGINX).args([
            "-c",
            nginx_config.to_str().context("UTF-8 path")?,
            "-p",
            scratch.join("nginx").to_str().context("UTF-8 path")?,
        ]),
    )?;
    let driver_port = free_port()?;
    let mut driver = Step::new(CHROMEDRIVER).args([format!("--port={driver_port}"), "--allowed-ips=127.0.0.1".into()]);
    driver.command_mut().stdout(Stdio::null());
    let driver = Running::start("chromedriver", driver)?;
    wait_for_port("site serve", portal_port)?;
    wait_for_port("python3 -m http.server", static_port)?;
    wait_for_port("nginx", nginx_port)?;
    wait_for_port("chromedriver", driver_port)?;

    let profile = scratch.join("chromium-profile");
    let result = run_step(
        "node",
        &[
            "xtask/tests/browser/portal_browser.mjs",
            &format!("http://127.0.0.1:{driver_port}"),
            &format!("http://127.0.0.1:{portal_port}"),
            profile.to_str().context("UTF-8 path")?,
            &format!("static export=http://127.0.0.1:{static_port}"),
            &format!("nginx=http://127.0.0.1:{nginx_port}"),
        ],
        &root,
    );
    // The TypeScript binding in the same browser against a local WebSocket server: 1006, 1005,
    // 4001's wait screen and backoff, 3500's stop, safeCloseCode and reason truncation.
    let result = result.and_then(|()| {
        let dist = root.join("bindings/typescript/dist");
        let profile = scratch.join("chromium-profile-reconnect");
        run_step(
            "node",
            &[
                "xtask/tests/browser/reconnect_browser.mjs",
                &format!("http://127.0.0.1:{driver_port}"),
                dist.to_str().context("UTF-8 path")?,
                profile.to_str().context("UTF-8 path")?,
            ],
            &root,
        )
    });
    // Accessibility, phone layout and Lighthouse audits, and the export's 404 page behind nginx.
    let result = result.and_then(|()| {
        let audit = root.join("xtask/tests/browser");
        run_step("npm", &["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], &audit)?;
        Step::new("node")
            .args([
                "xtask/tests/browser/audit.mjs".to_string(),
                format!("http://127.0.0.1:{portal_port}"),
                format!("http://127.0.0.1:{nginx_port}"),
            ])
            .env("CHROME_PATH", CHROMIUM)
            .dir(&root)
            .run()
            .context("the portal's accessibility, layout or Lighthouse audit failed")
    });
    drop((driver, static_server));
    // nginx's master stops its worker on SIGTERM; the portal must shut down gracefully, not die.
    let nginx_stopped = nginx.stop_gracefully(Duration::from_secs(10)).map(drop);
    let stopped = portal.stop_gracefully(Duration::from_secs(10)).map(drop);
    std::fs::remove_dir_all(&scratch).ok();
    result.and(nginx_stopped).and(stopped)
}
