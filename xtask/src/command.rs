//! The one way xtask runs another program. Every step is echoed before it starts as
//! `==> program args (in dir)`, and every failure reads the same:
//! ``` `program args` (in dir) failed with exit status: N ```, followed by what the program printed
//! when its output was captured. Go tools always run with `GOTOOLCHAIN=local`.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};

use anyhow::{Context, bail};

/// A program to run, with what the echo and the error message show of it.
pub struct Step {
    command: Command,
    shown: String,
    dir: Option<PathBuf>,
    input: Option<Vec<u8>>,
}

impl Step {
    /// `program`, found on `PATH` or at the path given.
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let program = program.as_ref();
        Step { command: Command::new(program), shown: program.to_string_lossy().into_owned(), dir: None, input: None }
    }

    /// The `go` tool, held to the installed toolchain (`GOTOOLCHAIN=local`).
    pub fn go() -> Self {
        Step::new("go").env("GOTOOLCHAIN", "local")
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&arg.as_ref().to_string_lossy());
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn envs<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.command.envs(vars);
        self
    }

    /// Bytes written to its stdin (for [`Step::rows`]).
    pub fn input(mut self, bytes: Vec<u8>) -> Self {
        self.input = Some(bytes);
        self
    }

    /// The directory it runs in (the caller's by default).
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir.as_ref());
        self.dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The command line as the echo shows it, with its directory.
    fn described(&self) -> String {
        match &self.dir {
            Some(dir) => format!("`{}` (in {})", self.shown, dir.display()),
            None => format!("`{}`", self.shown),
        }
    }

    fn echo(&self) {
        eprintln!("==> {}", self.described().replacen('`', "", 2));
    }

    fn failed(&self, status: ExitStatus, printed: Option<&Output>) -> anyhow::Error {
        let mut message = format!("{} failed with {status}", self.described());
        if let Some(output) = printed {
            for stream in [&output.stdout, &output.stderr] {
                if !stream.is_empty() {
                    message.push('\n');
                    message.push_str(String::from_utf8_lossy(stream).trim_end());
                }
            }
        }
        anyhow::anyhow!(message)
    }

    /// Runs it with the terminal's output; fails if it fails.
    pub fn run(mut self) -> anyhow::Result<()> {
        self.echo();
        let status = self.command.status().with_context(|| format!("cannot start {}", self.described()))?;
        if !status.success() {
            return Err(self.failed(status, None));
        }
        Ok(())
    }

    /// Runs it and returns what it wrote to stdout; its stderr goes to the terminal.
    pub fn stdout(mut self) -> anyhow::Result<String> {
        self.echo();
        let output = self
            .command
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("cannot start {}", self.described()))?;
        if !output.status.success() {
            return Err(self.failed(output.status, Some(&output)));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs it quietly: its output is shown only when it fails. Returns stdout.
    pub fn quiet(mut self) -> anyhow::Result<String> {
        self.echo();
        let output = self.command.output().with_context(|| format!("cannot start {}", self.described()))?;
        if !output.status.success() {
            return Err(self.failed(output.status, Some(&output)));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs it and returns its exit status and output, whatever they are (for probes whose
    /// failure is an answer, not an error).
    pub fn probe(mut self) -> anyhow::Result<Output> {
        self.command.output().with_context(|| format!("cannot start {}", self.described()))
    }

    /// Runs it and returns its stdout whatever its exit status (for runners that report their
    /// verdict as rows on stdout); its stderr goes to the terminal.
    pub fn rows(mut self) -> anyhow::Result<Vec<u8>> {
        self.echo();
        let stdin = if self.input.is_some() { Stdio::piped() } else { Stdio::null() };
        let mut child = self
            .command
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", self.described()))?;
        if let Some(input) = self.input.take() {
            child.stdin.take().expect("piped").write_all(&input)?;
        }
        Ok(child.wait_with_output()?.stdout)
    }

    /// Starts it in the background (a server), echoed like any step.
    pub fn spawn(mut self) -> anyhow::Result<Child> {
        self.echo();
        self.command.spawn().with_context(|| format!("cannot start {}", self.described()))
    }

    /// The underlying command, for stdio a step needs set up its own way.
    pub fn command_mut(&mut self) -> &mut Command {
        &mut self.command
    }
}

/// Fails with the one message shape when a finished program did not succeed (for the few
/// programs xtask must drive through its own stdin).
pub fn check_output(shown: &str, output: &Output) -> anyhow::Result<()> {
    if !output.status.success() {
        bail!("`{shown}` failed with {}\n{}", output.status, String::from_utf8_lossy(&output.stderr).trim_end());
    }
    Ok(())
}

/// Runs `program args` in `dir`, echoed; fails if it fails (the common case of [`Step`]).
pub fn run_step(program: impl AsRef<OsStr>, args: &[&str], dir: &Path) -> anyhow::Result<()> {
    Step::new(program).args(args).dir(dir).run()
}
