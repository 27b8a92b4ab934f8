//! The "handling" section: one complete reconnect (or retry) loop per family, in TypeScript and
//! Go, generated from the family's actions and hints.
//!
//! The loop switches on exactly the actions the family's codes and ranges carry, so a family whose
//! codes never ask for a wait screen has no wait-screen branch. Identifiers come from the model's
//! [`FamilyNames`], the ones the code generators export; `cargo xtask test` compiles every loop
//! against `bindings/` with tsc and go vet (through [`compile_check_sources`]).

use codebook_model::{Action, Family, FamilyKind, FamilyNames, Registry};

use crate::snippets::{GO_MODULE, Snippet, TYPESCRIPT_PACKAGE};

/// One action the family uses, with the registered codes and unregistered ranges that carry it.
pub struct ActionUse {
    pub action: Action,
    /// "4001 NoWorkerNodeAvailable", by number.
    pub codes: Vec<String>,
    /// The numbers of `codes`, in the same order.
    pub numbers: Vec<u16>,
    /// "4500-4999" spans of unregistered numbers.
    pub ranges: Vec<String>,
}

impl ActionUse {
    /// A one-line comment for the loop's branch: "4001 NoWorkerNodeAvailable; unregistered 4500-4999".
    fn comment(&self) -> String {
        const SHOWN: usize = 6;
        let mut parts: Vec<String> = self.codes.iter().take(SHOWN).cloned().collect();
        if self.codes.len() > SHOWN {
            parts.push(format!("and {} more", self.codes.len() - SHOWN));
        }
        let mut text = parts.join(", ");
        if !self.ranges.is_empty() {
            if !text.is_empty() {
                text.push_str("; ");
            }
            text.push_str("unregistered ");
            text.push_str(&self.ranges.join(", "));
        }
        text
    }
}

/// The actions `family` uses, in the model's order.
pub fn actions_of(family: &Family) -> Vec<ActionUse> {
    Action::ALL
        .into_iter()
        .filter_map(|action| {
            let carrying: Vec<_> = family.codes_by_number().into_iter().filter(|code| code.action == action).collect();
            let codes: Vec<String> = carrying.iter().map(|code| format!("{} {}", code.number, code.name)).collect();
            let numbers: Vec<u16> = carrying.iter().map(|code| code.number).collect();
            let ranges: Vec<String> = family
                .segments
                .iter()
                .filter(|segment| segment.action == action)
                .map(|segment| {
                    if segment.from == segment.to { segment.from.to_string() } else { format!("{}-{}", segment.from, segment.to) }
                })
                .collect();
            (!codes.is_empty() || !ranges.is_empty()).then_some(ActionUse { action, codes, numbers, ranges })
        })
        .collect()
}

/// What the loop does for an action, in words (the handling page's table).
pub fn loop_step(action: Action, kind: FamilyKind) -> &'static str {
    let again = match kind {
        FamilyKind::WebsocketClose => "reconnect",
        FamilyKind::Error => "retry the call",
    };
    match (action, again) {
        (Action::WaitForCapacity, "reconnect") => "show the wait screen, then reconnect after the backoff delay",
        (Action::WaitForCapacity, _) => "show the wait screen, then retry the call after the backoff delay",
        (Action::RefreshTokenThenReconnect, _) => "refresh the token, then reconnect after the backoff delay",
        (Action::Reconnect | Action::ReconnectAfterBackoff, "reconnect") => "reconnect after the backoff delay",
        (Action::Reconnect | Action::ReconnectAfterBackoff, _) => "reconnect, then retry the call after the backoff delay",
        (Action::RetryAfterBackoff, "reconnect") => "reconnect after the backoff delay",
        (Action::RetryAfterBackoff, _) => "retry the call after the backoff delay",
        (Action::Reauthenticate, _) => "ask the user to sign in again and stop",
        (Action::FixConfiguration, _) => "report a configuration error and stop",
        (Action::Stop, _) => "stop without an error",
        (Action::None, _) => "report the problem and stop",
    }
}

/// The TypeScript and Go loops of `family`, with copy-button ids.
pub fn for_family(family: &Family) -> Vec<Snippet> {
    let uses = actions_of(family);
    let module = &family.names.module;
    let (typescript, go) = match family.kind {
        FamilyKind::WebsocketClose => (typescript_reconnect_loop(&family.names, &uses), go_reconnect_loop(&family.names, &uses)),
        FamilyKind::Error => (typescript_retry_loop(&family.names, &uses), go_retry_loop(&family.names, &uses)),
    };
    vec![
        Snippet { language: "TypeScript", id: format!("loop-ts-{module}"), source: typescript },
        Snippet { language: "Go", id: format!("loop-go-{module}"), source: go },
    ]
}

fn uses_action(uses: &[ActionUse], actions: &[Action]) -> bool {
    uses.iter().any(|used| actions.contains(&used.action))
}

/// Replaces `@Type@` (the TS/Go type name) and `@camel@` (the TS function prefix).
fn fill(text: &str, names: &FamilyNames) -> String {
    text.replace("@Type@", &names.type_name).replace("@camel@", &names.lower_camel)
}

/// The TypeScript `case` of one action, indented for the loop's `switch`; `stop` is the
/// statement that ends the loop.
fn typescript_case(used: &ActionUse, kind: FamilyKind, stop: &str) -> String {
    let body = match used.action {
        Action::WaitForCapacity => "app.showWaitScreen();\n        break;".to_string(),
        Action::RefreshTokenThenReconnect => "await app.refreshToken();\n        break;".to_string(),
        Action::Reconnect | Action::ReconnectAfterBackoff if kind == FamilyKind::Error => {
            "await app.reconnect();\n        break;".to_string()
        }
        Action::Reconnect | Action::ReconnectAfterBackoff | Action::RetryAfterBackoff => "break;".to_string(),
        Action::Reauthenticate => format!("app.signIn();\n        {stop}"),
        Action::FixConfiguration => format!("app.showError(`${{code}}: fix the configuration; retrying cannot help`);\n        {stop}"),
        Action::Stop => stop.to_string(),
        Action::None => format!("app.showError(`${{code}}: ${{actionAdvice(classified.action)}}`);\n        {stop}"),
    };
    format!("      case \"{}\": // {}\n        {body}\n", used.action.as_str(), used.comment())
}

fn typescript_reconnect_loop(names: &FamilyNames, uses: &[ActionUse]) -> String {
    let mut members = String::from(
        "  /** The URL to connect to, with the current token. */\n  url(): string;\n  /** Called with every socket that opened. */\n  onOpen(socket: WebSocket): void;\n  /** Tells the user the connection ended for good. */\n  showError(message: string): void;\n",
    );
    if uses_action(uses, &[Action::WaitForCapacity]) {
        members.push_str("  /** Shows a waiting state (not an error) while the platform is out of capacity. */\n  showWaitScreen(): void;\n");
    }
    if uses_action(uses, &[Action::RefreshTokenThenReconnect]) {
        members.push_str("  /** Fetches a fresh token, which `url()` then uses. */\n  refreshToken(): Promise<void>;\n");
    }
    if uses_action(uses, &[Action::Reauthenticate]) {
        members.push_str("  /** Sends the user to sign in again; the application starts a new loop afterwards. */\n  signIn(): void;\n");
    }
    let cases: String = uses.iter().map(|used| typescript_case(used, FamilyKind::WebsocketClose, "return;")).collect();
    let imports = if uses_action(uses, &[Action::None]) {
        "actionAdvice, classifyCloseEvent, delayMs, randomU32, @camel@Family"
    } else {
        "classifyCloseEvent, delayMs, randomU32, @camel@Family"
    };
    let template = r#"import { @imports@ } from "@package@";

/** What the loop needs from the application. */
export interface @Type@Client {
@members@}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opens a socket and resolves when it closes, with the close event and whether it ever opened. */
function connectOnce(app: @Type@Client): Promise<{ opened: boolean; event: CloseEvent }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(app.url());
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      app.onOpen(socket);
    });
    socket.addEventListener("close", (event) => resolve({ opened, event }));
  });
}

/** Keeps a session connected: reconnects as each close code asks, backs off, and gives up. */
export async function keep@Type@Connected(app: @Type@Client): Promise<void> {
  let attempt = 0;
  let firstFailureAt = Date.now();
  for (;;) {
    const { opened, event } = await connectOnce(app);
    if (opened) {
      // A session that opened starts a fresh backoff.
      attempt = 0;
      firstFailureAt = Date.now();
    }
    const classified = classifyCloseEvent(@camel@Family, event);
    const code = classified.code;
    switch (classified.action) {
@cases@      default: // an action this family does not use
        return;
    }
    if (classified.backoff === undefined) return;
    const delay = delayMs(classified.backoff, attempt, Date.now() - firstFailureAt, randomU32());
    if (delay === undefined) {
      app.showError(`${code}: gave up reconnecting after ${attempt + 1} attempts`);
      return;
    }
    attempt += 1;
    await sleep(delay);
  }
}
"#;
    fill(&typescript_template(template, imports, &members, &cases), names)
}

/// Fills a TypeScript loop template's imports, client members and `switch` cases.
fn typescript_template(template: &str, imports: &str, members: &str, cases: &str) -> String {
    template
        .replace("@imports@", imports)
        .replace("@package@", TYPESCRIPT_PACKAGE)
        .replace("@members@", members)
        .replace("@cases@", cases)
}

fn typescript_retry_loop(names: &FamilyNames, uses: &[ActionUse]) -> String {
    let mut members = String::from(
        "  /** The code of a failed call's error, or undefined for an error without one. */\n  codeOf(error: unknown): number | undefined;\n  /** Tells the user the call failed for good. */\n  showError(message: string): void;\n",
    );
    if uses_action(uses, &[Action::WaitForCapacity]) {
        members.push_str("  /** Shows a waiting state (not an error) while the platform is out of capacity. */\n  showWaitScreen(): void;\n");
    }
    if uses_action(uses, &[Action::RefreshTokenThenReconnect]) {
        members.push_str("  /** Fetches a fresh token and reconnects with it. */\n  refreshToken(): Promise<void>;\n");
    }
    if uses_action(uses, &[Action::Reconnect, Action::ReconnectAfterBackoff]) {
        members.push_str("  /** Opens a new connection. */\n  reconnect(): Promise<void>;\n");
    }
    if uses_action(uses, &[Action::Reauthenticate]) {
        members.push_str("  /** Sends the user to sign in again. */\n  signIn(): void;\n");
    }
    let cases: String = uses.iter().map(|used| typescript_case(used, FamilyKind::Error, "return undefined;")).collect();
    let imports = if uses_action(uses, &[Action::None]) {
        "actionAdvice, classify@Type@, delayMs, randomU32"
    } else {
        "classify@Type@, delayMs, randomU32"
    };
    let template = r#"import { @imports@ } from "@package@";

/** What the loop needs from the application. */
export interface @Type@Client {
@members@}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call` until it succeeds, retrying as each error code asks; undefined once it stops. */
export async function callWith@Type@Retries<T>(app: @Type@Client, call: () => Promise<T>): Promise<T | undefined> {
  let attempt = 0;
  let firstFailureAt: number | undefined;
  for (;;) {
    let error: unknown;
    try {
      return await call();
    } catch (caught) {
      error = caught;
    }
    const code = app.codeOf(error);
    if (code === undefined) throw error;
    firstFailureAt ??= Date.now();
    const classified = classify@Type@(code);
    switch (classified.action) {
@cases@      default: // an action this family does not use
        return undefined;
    }
    if (classified.backoff === undefined) return undefined;
    const delay = delayMs(classified.backoff, attempt, Date.now() - firstFailureAt, randomU32());
    if (delay === undefined) {
      app.showError(`${code}: gave up after ${attempt + 1} attempts`);
      return undefined;
    }
    attempt += 1;
    await sleep(delay);
  }
}
"#;
    fill(&typescript_template(template, imports, &members, &cases), names)
}

/// The Go constant of an action (`codebook.ActionWaitForCapacity`).
fn go_action(action: Action) -> String {
    let words: String = action
        .as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    format!("codebook.Action{words}")
}

/// The Go `case` of one action, indented for the loop's `switch`; `stop` is what the branch
/// returns to end the loop.
fn go_case(used: &ActionUse, kind: FamilyKind, stop: &str) -> String {
    let body = match used.action {
        Action::WaitForCapacity => "app.ShowWaitScreen()".to_string(),
        Action::RefreshTokenThenReconnect => {
            format!("if err := app.RefreshToken(ctx); err != nil {{\n\t\t\t\treturn {stop}err\n\t\t\t}}")
        }
        Action::Reconnect | Action::ReconnectAfterBackoff if kind == FamilyKind::Error => {
            format!("if err := app.Reconnect(ctx); err != nil {{\n\t\t\t\treturn {stop}err\n\t\t\t}}")
        }
        Action::Reconnect | Action::ReconnectAfterBackoff | Action::RetryAfterBackoff => "// back off below".to_string(),
        Action::Reauthenticate => format!("app.SignIn()\n\t\t\treturn {stop}err"),
        Action::FixConfiguration => format!("return {stop}fmt.Errorf(\"%v: fix the configuration, retrying cannot help: %w\", classified.Code, err)"),
        Action::Stop => format!("return {stop}err"),
        Action::None => format!("return {stop}fmt.Errorf(\"%v: %s: %w\", classified.Code, classified.Action.Advice(), err)"),
    };
    format!("\t\tcase {}: // {}\n\t\t\t{body}\n", go_action(used.action), used.comment())
}

fn go_imports() -> String {
    format!("import (\n\t\"context\"\n\t\"fmt\"\n\t\"math/rand/v2\"\n\t\"time\"\n\n\t\"{GO_MODULE}\"\n)\n")
}

fn go_reconnect_loop(names: &FamilyNames, uses: &[ActionUse]) -> String {
    let mut methods = String::from(
        "\t// Session connects and serves one session; it returns whether the connection opened and\n\t// the error that ended it (a WebSocket library's close error carries the close code).\n\tSession(ctx context.Context) (opened bool, err error)\n",
    );
    if uses_action(uses, &[Action::WaitForCapacity]) {
        methods.push_str("\t// ShowWaitScreen shows a waiting state (not an error) while the platform is out of capacity.\n\tShowWaitScreen()\n");
    }
    if uses_action(uses, &[Action::RefreshTokenThenReconnect]) {
        methods.push_str("\t// RefreshToken fetches a fresh token for the next Session.\n\tRefreshToken(ctx context.Context) error\n");
    }
    if uses_action(uses, &[Action::Reauthenticate]) {
        methods.push_str("\t// SignIn sends the user to sign in again; the application starts a new loop afterwards.\n\tSignIn()\n");
    }
    let cases: String = uses.iter().map(|used| go_case(used, FamilyKind::WebsocketClose, "")).collect();
    fill(
        &format!(
            "{imports}\n\
// @Type@Client is what the loop needs from the application.\n\
type @Type@Client interface {{\n\
{methods}}}\n\
\n\
// Keep@Type@Connected keeps a session connected: it reconnects as each close code asks, backs\n\
// off, and returns when a code says to stop, the backoff gives up or ctx ends.\n\
func Keep@Type@Connected(ctx context.Context, app @Type@Client) error {{\n\
\tvar attempt uint32\n\
\tfirstFailure := time.Now()\n\
\tfor {{\n\
\t\topened, err := app.Session(ctx)\n\
\t\tif opened {{\n\
\t\t\t// A session that opened starts a fresh backoff.\n\
\t\t\tattempt, firstFailure = 0, time.Now()\n\
\t\t}}\n\
\t\tif err == nil {{\n\
\t\t\treturn nil // the application ended the session\n\
\t\t}}\n\
\t\tif ctx.Err() != nil {{\n\
\t\t\treturn ctx.Err()\n\
\t\t}}\n\
\t\tclassified, ok := codebook.ClassifyCloseError(err, codebook.Classify@Type@)\n\
\t\tif !ok {{\n\
\t\t\t// No close frame: the connection dropped (1006, abnormal closure).\n\
\t\t\tclassified = codebook.Classify@Type@(1006)\n\
\t\t}}\n\
\t\tswitch classified.Action {{\n\
{cases}\
\t\tdefault: // an action this family does not use\n\
\t\t\treturn err\n\
\t\t}}\n\
\t\tdelay, ok := classified.Backoff.Delay(attempt, time.Since(firstFailure), rand.Uint32())\n\
\t\tif !ok || !classified.Action.TriesAgain() {{\n\
\t\t\treturn fmt.Errorf(\"%v: gave up reconnecting after %d attempts: %w\", classified.Code, attempt+1, err)\n\
\t\t}}\n\
\t\tattempt++\n\
\t\tselect {{\n\
\t\tcase <-ctx.Done():\n\
\t\t\treturn ctx.Err()\n\
\t\tcase <-time.After(delay):\n\
\t\t}}\n\
\t}}\n\
}}\n",
            imports = go_imports()
        ),
        names,
    )
}

fn go_retry_loop(names: &FamilyNames, uses: &[ActionUse]) -> String {
    let mut methods = String::new();
    if uses_action(uses, &[Action::WaitForCapacity]) {
        methods.push_str("\t// ShowWaitScreen shows a waiting state (not an error) while the platform is out of capacity.\n\tShowWaitScreen()\n");
    }
    if uses_action(uses, &[Action::RefreshTokenThenReconnect]) {
        methods.push_str("\t// RefreshToken fetches a fresh token and reconnects with it.\n\tRefreshToken(ctx context.Context) error\n");
    }
    if uses_action(uses, &[Action::Reconnect, Action::ReconnectAfterBackoff]) {
        methods.push_str("\t// Reconnect opens a new connection.\n\tReconnect(ctx context.Context) error\n");
    }
    if uses_action(uses, &[Action::Reauthenticate]) {
        methods.push_str("\t// SignIn sends the user to sign in again.\n\tSignIn()\n");
    }
    let cases: String = uses.iter().map(|used| go_case(used, FamilyKind::Error, "zero, ")).collect();
    fill(
        &format!(
            "{imports}\n\
// @Type@Client is what the loop needs from the application.\n\
type @Type@Client interface {{\n\
{methods}}}\n\
\n\
// CallWith@Type@Retries runs call until it succeeds, retrying as the code of each error asks (an\n\
// error wrapping a codebook.@Type@Error, see @Type@.Err), and returns the last error once it stops.\n\
func CallWith@Type@Retries[T any](ctx context.Context, app @Type@Client, call func(context.Context) (T, error)) (T, error) {{\n\
\tvar zero T\n\
\tvar attempt uint32\n\
\tvar firstFailure time.Time\n\
\tfor {{\n\
\t\tresult, err := call(ctx)\n\
\t\tif err == nil {{\n\
\t\t\treturn result, nil\n\
\t\t}}\n\
\t\tvar coded codebook.@Type@Error\n\
\t\tif !errors.As(err, &coded) {{\n\
\t\t\treturn zero, err\n\
\t\t}}\n\
\t\tif attempt == 0 {{\n\
\t\t\tfirstFailure = time.Now()\n\
\t\t}}\n\
\t\tclassified := codebook.Classify@Type@(uint16(coded.Code))\n\
\t\tswitch classified.Action {{\n\
{cases}\
\t\tdefault: // an action this family does not use\n\
\t\t\treturn zero, err\n\
\t\t}}\n\
\t\tdelay, ok := classified.Backoff.Delay(attempt, time.Since(firstFailure), rand.Uint32())\n\
\t\tif !ok || !classified.Action.TriesAgain() {{\n\
\t\t\treturn zero, fmt.Errorf(\"%v: gave up after %d attempts: %w\", classified.Code, attempt+1, err)\n\
\t\t}}\n\
\t\tattempt++\n\
\t\tselect {{\n\
\t\tcase <-ctx.Done():\n\
\t\t\treturn zero, ctx.Err()\n\
\t\tcase <-time.After(delay):\n\
\t\t}}\n\
\t}}\n\
}}\n",
            imports = go_imports().replace("\t\"context\"\n", "\t\"context\"\n\t\"errors\"\n")
        ),
        names,
    )
}

/// Every family's loops as compilable files for `cargo xtask test`: `(language, file name,
/// source)`, next to the per-code snippets of [`crate::snippets::compile_check_sources`].
pub fn compile_check_sources(registry: &Registry) -> Vec<(&'static str, String, String)> {
    let mut files = Vec::new();
    for family in &registry.families {
        let stem = format!("loop_{}", family.names.module);
        for snippet in for_family(family) {
            match snippet.language {
                "TypeScript" => files.push(("typescript", format!("{stem}.ts"), snippet.source)),
                "Go" => files.push(("go", format!("{stem}.go"), format!("package snippets\n\n{}", snippet.source))),
                _ => {}
            }
        }
    }
    files
}
